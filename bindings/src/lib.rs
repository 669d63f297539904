//! The FFI face of the Equally core: one handle, [`EquallyCore`], plus the
//! records, enums, error and listener the Kotlin and Swift apps see. The core
//! crate knows nothing of this (docs/adr/0002-uniffi-bindings.md).

// Adding a feature: a file like `offers.rs` declares its core types with
// `#[uniffi::remote(...)]` and adds one `#[uniffi::export] impl EquallyCore`
// block of coarse async methods, each running its core call through
// `EquallyCore::run`; then a test in the Kotlin and Swift suites.
mod actions;
mod checkins;
mod contributions;
mod decisions;
mod error;
mod handle;
mod home;
mod listener;
mod logging;
mod meetings;
mod offers;
mod people;
mod projects;
mod reviews;
mod risks;
mod runtime;
mod statements;
mod sync;
mod types;
mod updates;

pub use error::EquallyError;
pub use handle::EquallyCore;
pub use listener::{Change, ChangeListener, TaskHandle};
pub use logging::{AppLogger, LogLevel, LogRecord, set_app_logger};

uniffi::setup_scaffolding!();

/// The version of the core built into this library, for an app's "about"
/// screen and bug reports.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
