//! The FFI face of the Equally core: one handle, [`EquallyCore`], plus the
//! records, enums, error and listener the Kotlin and Swift apps see. The core
//! crate knows nothing of this; every type here wraps or mirrors a core one.
//!
//! Adding a feature: give it a file like `offers.rs` that declares its core
//! types with `#[uniffi::remote(...)]` and adds one
//! `#[uniffi::export] impl EquallyCore` block of coarse, async methods, each
//! running the core call through [`EquallyCore::run`]. Then add it to the
//! Kotlin and Swift suites. docs/adr/0002-uniffi-bindings.md says why.

mod actions;
mod contributions;
mod error;
mod handle;
mod home;
mod listener;
mod offers;
mod people;
mod projects;
mod reviews;
mod risks;
mod runtime;
mod statements;
mod types;
mod updates;

pub use error::EquallyError;
pub use handle::EquallyCore;
pub use listener::{Change, ChangeListener, TaskHandle};

uniffi::setup_scaffolding!();

/// The version of the core built into this library, for an app's "about"
/// screen and bug reports.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
