//! Equally's shared core: co-production projects, equal-say decisions,
//! meetings and reminders, and the offline store, for the Android and iOS
//! apps (through `bindings/`), the terminal shell and the sync server.

pub mod decisions;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod l10n;
pub mod text;
pub mod time;

pub use error::{Error, Result};
