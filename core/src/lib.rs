//! Equally's shared core: co-production projects, equal-say decisions,
//! meetings and reminders, and the offline store, for the Android and iOS
//! apps (through `bindings/`), the terminal shell and the sync server.
//!
//! Everything goes through one handle, [`Equally`], whose methods are
//! grouped by feature in the modules below (`projects`, `offers`,
//! `contributions`…). Each method is one screen or one action: plain records
//! in, plain records out, and one [`Error`] type.

pub mod actions;
pub mod contributions;
pub mod decisions;
pub mod error;
pub mod home;
pub mod l10n;
pub mod meetings;
mod notices;
pub mod offers;
pub mod people;
pub mod phone;
pub mod projects;
pub mod reviews;
pub mod risks;
pub mod statements;
pub mod store;
pub mod sync;
pub mod updates;

// The shared rules, under the names the device has always used for them.
pub use equally_rules::{entity as rules, hlc, ids, registry, text, time};

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod story_tests;

pub use error::{Error, Result};
pub use notices::Subscription;
pub use store::Changed;

use crate::ids::PersonId;
use crate::store::{Reader, Store, Writer};
use crate::time::{SystemTime, TimeSource, Timestamp};
use std::path::PathBuf;
use std::sync::Arc;

/// Where and how to open the device's store.
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite file; its folder must exist.
    pub database_path: PathBuf,
}

/// Told which entities changed after each committed write, so a screen can
/// refresh what it shows.
pub trait ChangeListener: Send + Sync {
    fn on_change(&self, changes: &[Changed]);
}

/// The core, opened on one device database.
pub struct Equally {
    store: Arc<Store>,
    time: Arc<dyn TimeSource>,
    // Shared with every handle on the same file (notices.rs).
    notices: Arc<notices::Notices>,
    sync: sync::engine::SyncRuntime,
}

impl Equally {
    /// Opens the store at `config.database_path`, creating or upgrading it.
    pub fn open(config: Config) -> Result<Self> {
        Self::open_with_time(config, Arc::new(SystemTime))
    }

    /// Opens the store with a chosen clock (tests, demos, benchmarks).
    pub fn open_with_time(config: Config, time: Arc<dyn TimeSource>) -> Result<Self> {
        Self::open_inner(config, time, None)
    }

    /// Opens an encrypted store (SQLCipher; builds with the `encryption`
    /// feature). `key_hex` is 32 random bytes as 64 hex digits, which the
    /// shell keeps in Keystore/Keychain; a new file is created encrypted.
    pub fn open_encrypted(config: Config, key_hex: &str) -> Result<Self> {
        Self::open_inner(config, Arc::new(SystemTime), Some(key_hex))
    }

    fn open_inner(
        config: Config,
        time: Arc<dyn TimeSource>,
        key_hex: Option<&str>,
    ) -> Result<Self> {
        let store = Store::open(&config.database_path, key_hex)?;
        Ok(Equally {
            notices: notices::Notices::join(store.path()),
            store: Arc::new(store),
            time,
            sync: Default::default(),
        })
    }

    /// The time the core uses for new records.
    pub fn now(&self) -> Timestamp {
        self.time.now()
    }

    /// `error` in the words of this phone's own person (their languages and
    /// easy-read setting), or in British English before anyone has
    /// connected, or if their settings cannot be read.
    pub fn describe_error(&self, error: &Error) -> String {
        let reader = self
            .read(|r| {
                Ok(match sync::state::account(r.conn())? {
                    Some(account) => Some(r.reading_of(&account.person_id)?),
                    None => None,
                })
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                people::PersonalSettings::default_for(&ids::PersonId::new()).reader()
            });
        error.describe(&reader)
    }

    /// Subscribes `listener` to the changes saved through this handle or
    /// any other handle on the same file in this process, until the
    /// returned subscription is cancelled or dropped (or this handle closes).
    pub fn subscribe(&self, listener: Arc<dyn ChangeListener>) -> Subscription {
        self.notices.subscribe(listener)
    }

    /// The store underneath, for the sync engine and tests.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many local changes wait to be pushed.
    pub fn pending_count(&self) -> Result<i64> {
        self.read(|r| store::outbox::count(r.conn()))
    }

    /// The oldest pending changes, for the sync engine to push.
    pub fn pending_ops(&self, limit: usize) -> Result<Vec<store::Op>> {
        self.read(|r| store::outbox::pending(r.conn(), limit))
    }

    pub(crate) fn write<T>(
        &self,
        author: &PersonId,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let (value, changed) = self.store.write(author, self.now(), f)?;
        self.notify(&changed);
        Ok(value)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Reader<'_>) -> Result<T>) -> Result<T> {
        self.store.read(f)
    }

    pub(crate) fn notify(&self, changed: &[Changed]) {
        self.notices.publish(changed);
    }
}

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn the_handle_can_be_shared_across_threads() {
        assert_send_sync::<super::Equally>();
    }
}
