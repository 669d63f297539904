//! The one object the apps hold: an open device database. Feature files add
//! their methods to it in their own `#[uniffi::export] impl` blocks; this
//! file has opening, the clock and the outbox count.

use crate::error::EquallyError;
use crate::runtime::blocking;
use equally_core::ids::PersonId;
use equally_core::time::Timestamp;
use equally_core::{Config, Equally};
use std::path::PathBuf;
use std::sync::Arc;

/// Equally on this device: open it once, keep it for the app's lifetime.
/// Dropping the last reference (Kotlin `close()`/GC, Swift `deinit`) closes
/// the database.
#[derive(uniffi::Object)]
pub struct EquallyCore {
    inner: Arc<Equally>,
}

impl EquallyCore {
    /// Runs one core call on the blocking pool. Every method that touches
    /// the database goes through here, so none blocks the app's thread.
    pub(crate) async fn run<T, F>(&self, call: F) -> Result<T, EquallyError>
    where
        T: Send + 'static,
        F: FnOnce(&Equally) -> equally_core::Result<T> + Send + 'static,
    {
        let core = self.inner.clone();
        blocking(move || {
            Ok(call(&core).map_err(|e| EquallyError::worded(&e, core.describe_error(&e))))
        })
        .await?
    }

    /// `run` for a call made by this phone's own person, who is passed to
    /// `call`: the one place the bindings learn who is acting, so no screen
    /// can name someone else by mistake.
    pub(crate) async fn run_as_me<T, F>(&self, call: F) -> Result<T, EquallyError>
    where
        T: Send + 'static,
        F: FnOnce(&Equally, PersonId) -> equally_core::Result<T> + Send + 'static,
    {
        self.run(move |core| {
            let me = core.me()?;
            call(core, me)
        })
        .await
    }

    /// The same for work that waits on the network (it runs on the runtime,
    /// not the blocking pool); errors are worded for the phone's person too.
    pub(crate) async fn run_async<T, F, Fut>(&self, call: F) -> Result<T, EquallyError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Equally>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = equally_core::Result<T>> + Send + 'static,
    {
        let core = self.inner.clone();
        let work = async move {
            let result = call(core.clone()).await;
            result.map_err(|e| EquallyError::worded(&e, core.describe_error(&e)))
        };
        crate::runtime::runtime()?.spawn(work).await?
    }

    pub(crate) fn core(&self) -> &Arc<Equally> {
        &self.inner
    }
}

#[uniffi::export]
impl EquallyCore {
    /// Opens (creating or upgrading) the database at `database_path`, whose
    /// folder must exist: the app's private files folder.
    #[uniffi::constructor]
    pub async fn open(database_path: String) -> Result<Arc<Self>, EquallyError> {
        let config = Config {
            database_path: PathBuf::from(database_path),
        };
        let inner = blocking(move || Equally::open(config)).await?;
        Ok(Arc::new(EquallyCore {
            inner: Arc::new(inner),
        }))
    }

    /// Opens the database encrypted with SQLCipher. `key_hex` is 32 random
    /// bytes as 64 hex digits, made once and kept by the app in
    /// Keystore/Keychain; a new file is created encrypted. A library built
    /// without the `encryption` feature refuses with `Invalid`.
    #[uniffi::constructor]
    pub async fn open_encrypted(
        database_path: String,
        key_hex: String,
    ) -> Result<Arc<Self>, EquallyError> {
        let config = Config {
            database_path: PathBuf::from(database_path),
        };
        let inner = blocking(move || Equally::open_encrypted(config, &key_hex)).await?;
        Ok(Arc::new(EquallyCore {
            inner: Arc::new(inner),
        }))
    }

    /// The time the core stamps on new records, in UTC milliseconds.
    pub fn now(&self) -> Timestamp {
        self.inner.now()
    }

    /// The person this phone belongs to; every call acts as them. An
    /// `Conflict` error before anyone has started or joined.
    pub async fn me(&self) -> Result<PersonId, EquallyError> {
        self.run(|core| core.me()).await
    }

    /// How many local changes are waiting to be sent to the server.
    pub async fn pending_count(&self) -> Result<i64, EquallyError> {
        self.run(|core| core.pending_count()).await
    }
}
