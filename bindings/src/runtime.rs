//! The tokio runtime the bindings own. Kotlin and Swift drive our futures on
//! their own executors; the work itself runs here, so nothing ever needs a
//! tokio context on a foreign thread, and SQLite never blocks a caller.

use crate::error::EquallyError;
use std::sync::{Mutex, OnceLock, PoisonError};
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
// Only one caller builds the runtime: a second one built in a race would be
// dropped, and dropping a runtime inside async code panics.
static STARTING: Mutex<()> = Mutex::new(());

/// The runtime, made on first use. Small on purpose: a phone has few cores,
/// and SQLite work is serialised by the store's own connections anyway.
pub(crate) fn runtime() -> Result<&'static Runtime, EquallyError> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let _starting = STARTING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(8)
        .thread_name("equally")
        .enable_all()
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "could not start the runtime");
            EquallyError::Internal("Equally could not start its worker threads".into())
        })?;
    Ok(RUNTIME.get_or_init(|| rt))
}

/// Runs blocking core work (SQLite) on the runtime's blocking pool and waits
/// for it without holding the caller's thread. A panic inside becomes
/// [`EquallyError::Internal`] instead of crossing the FFI.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, EquallyError>
where
    T: Send + 'static,
    F: FnOnce() -> equally_core::Result<T> + Send + 'static,
{
    let outcome = runtime()?.spawn_blocking(work).await?;
    Ok(outcome?)
}
