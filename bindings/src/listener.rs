//! Change notices for screens. The app passes a listener; the core's
//! notices go through a channel to a task on our runtime that calls it, so a
//! slow screen never holds up a write. The returned [`TaskHandle`] ends it.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use crate::runtime::runtime;
use equally_core::Changed;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One entity that changed, and the project it belongs to (if any), so a
/// screen can tell whether to refresh.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Change {
    /// The kind of thing: "project", "offer", "contribution", "membership"…
    pub entity: String,
    pub id: String,
    pub project_id: Option<String>,
}

impl From<&Changed> for Change {
    fn from(c: &Changed) -> Self {
        Change {
            entity: c.entity.to_string(),
            id: c.id.clone(),
            project_id: c.project_id.clone(),
        }
    }
}

/// Implemented by the app: told what changed after every saved write.
/// Called on a background thread; hop to the main thread to touch the UI.
#[uniffi::export(foreign)]
pub trait ChangeListener: Send + Sync {
    fn on_change(&self, changes: Vec<Change>);
}

/// Keeps a listener running. `cancel()` or dropping it stops the listener.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    task: JoinHandle<()>,
    // Checked just before each call: aborting alone would let a notice
    // already picked up by the task still reach the app.
    cancelled: Arc<AtomicBool>,
}

#[uniffi::export]
impl TaskHandle {
    /// Stops the listener: no new call starts after this returns (one
    /// already under way finishes).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.task.abort();
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The core-side listener: forwards each notice into the channel.
struct Forward(mpsc::UnboundedSender<Vec<Change>>);

impl equally_core::ChangeListener for Forward {
    fn on_change(&self, changes: &[Changed]) {
        // The receiver only goes away once the listener was cancelled.
        let _ = self.0.send(changes.iter().map(Change::from).collect());
    }
}

#[uniffi::export]
impl EquallyCore {
    /// Starts telling `listener` about every change saved from now on,
    /// until the returned handle is cancelled or dropped.
    pub fn subscribe(
        &self,
        listener: Arc<dyn ChangeListener>,
    ) -> Result<Arc<TaskHandle>, EquallyError> {
        let rt = runtime()?;
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<Change>>();
        let subscription = self.core().subscribe(Arc::new(Forward(tx)));
        let cancelled = Arc::new(AtomicBool::new(false));
        let stop = cancelled.clone();
        let task = rt.spawn(async move {
            // Owned by the task: aborting the task unsubscribes from the core.
            let _subscription = subscription;
            while let Some(mut changes) = rx.recv().await {
                // Notices that queued while the app was busy go in one call.
                while let Ok(more) = rx.try_recv() {
                    changes.extend(more);
                }
                let listener = listener.clone();
                let stop = stop.clone();
                // Foreign code runs on the blocking pool, not a worker; one
                // call at a time keeps notices in order. If the app's
                // listener throws, uniffi panics here; the panic stays in the
                // blocking task and the listener stays subscribed.
                let call = move || {
                    if !stop.load(Ordering::SeqCst) {
                        listener.on_change(changes)
                    }
                };
                if tokio::task::spawn_blocking(call).await.is_err() {
                    tracing::warn!("a change listener failed");
                }
            }
        });
        Ok(Arc::new(TaskHandle { task, cancelled }))
    }
}
