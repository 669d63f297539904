//! Change notices shared by every handle on one database file. An app may
//! open a second [`Equally`](crate::Equally) on the same file (an Android
//! WorkManager worker or an iOS background task syncing while a screen is
//! open); the screen must still hear what the worker saved. So each handle's
//! listeners join a process-wide list per file, and a committed write tells
//! every handle on that file.
//!
//! Only this process hears: writes by another process on the same file (an
//! iOS notification service extension, an Android service in its own
//! process) reach no listener here. Apps re-read on foreground anyway
//! (DESIGN.md, Sync 6); a handle could watch `PRAGMA data_version` if that
//! ever proves too late.

use crate::ChangeListener;
use crate::store::Changed;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

/// One handle's listeners. The handle owns it; the registry only points at
/// it, so a closed handle's listeners drop out with it.
pub(crate) struct Notices {
    file: Option<PathBuf>,
    listeners: Mutex<Vec<(u64, Arc<dyn ChangeListener>)>>,
    next_id: AtomicU64,
}

/// Every open handle's listeners, by the canonical path of its database.
fn open_files() -> &'static Mutex<HashMap<PathBuf, Vec<Weak<Notices>>>> {
    static OPEN: OnceLock<Mutex<HashMap<PathBuf, Vec<Weak<Notices>>>>> = OnceLock::new();
    OPEN.get_or_init(Default::default)
}

impl Notices {
    /// The listeners of a new handle on the database at `path`, which must
    /// exist. Two spellings of one file (a symlink, `./`) are one file; a
    /// path that cannot be resolved (an in-memory database) shares with no
    /// one.
    pub(crate) fn join(path: &Path) -> Arc<Notices> {
        let file = std::fs::canonicalize(path).ok();
        let notices = Arc::new(Notices {
            file: file.clone(),
            listeners: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(0),
        });
        if let Some(file) = file {
            let mut open = open_files().lock();
            let handles = open.entry(file).or_default();
            handles.retain(|h| h.strong_count() > 0);
            handles.push(Arc::downgrade(&notices));
        }
        notices
    }

    pub(crate) fn subscribe(self: &Arc<Self>, listener: Arc<dyn ChangeListener>) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.listeners.lock().push((id, listener));
        Subscription {
            id,
            notices: Arc::downgrade(self),
        }
    }

    /// Tells every listener of every handle on this file about a committed
    /// write. Called on the writer's thread after the commit.
    pub(crate) fn publish(self: &Arc<Self>, changed: &[Changed]) {
        if changed.is_empty() {
            return;
        }
        let handles: Vec<Arc<Notices>> = match &self.file {
            Some(file) => open_files()
                .lock()
                .get(file)
                .map(|hs| hs.iter().filter_map(Weak::upgrade).collect())
                .unwrap_or_default(),
            None => vec![self.clone()],
        };
        // Listeners are called outside every lock, so one may unsubscribe
        // itself (or others), subscribe, or even write from its callback.
        let listeners: Vec<Arc<dyn ChangeListener>> = handles
            .iter()
            .flat_map(|h| {
                h.listeners
                    .lock()
                    .iter()
                    .map(|(_, l)| l.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        // Dropped before the calls: if another thread closed a handle
        // meanwhile, its last reference may be ours, and its `Drop` takes
        // the registry lock.
        drop(handles);
        for listener in listeners {
            listener.on_change(changed);
        }
    }
}

impl Drop for Notices {
    fn drop(&mut self) {
        let Some(file) = &self.file else { return };
        let mut open = open_files().lock();
        if let Some(handles) = open.get_mut(file) {
            handles.retain(|h| h.strong_count() > 0);
            if handles.is_empty() {
                open.remove(file);
            }
        }
    }
}

/// How many handles in this process have listeners registered for `path`,
/// for tests that prove closed handles do not linger.
#[cfg(test)]
pub(crate) fn handles_open_on(path: &Path) -> usize {
    let Ok(file) = std::fs::canonicalize(path) else {
        return 0;
    };
    open_files()
        .lock()
        .get(&file)
        .map_or(0, |hs| hs.iter().filter(|h| h.strong_count() > 0).count())
}

/// Keeps a listener subscribed; dropping it (or calling `cancel`) ends it.
pub struct Subscription {
    id: u64,
    notices: Weak<Notices>,
}

impl Subscription {
    pub fn cancel(&self) {
        if let Some(notices) = self.notices.upgrade() {
            notices.listeners.lock().retain(|(id, _)| *id != self.id);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{self, world};
    use crate::{Config, Equally};
    use std::sync::atomic::AtomicUsize;

    /// Remembers every notice it hears.
    #[derive(Default)]
    struct Heard(Mutex<Vec<Changed>>);

    impl ChangeListener for Heard {
        fn on_change(&self, changes: &[Changed]) {
            self.0.lock().extend_from_slice(changes);
        }
    }

    impl Heard {
        fn of(&self, entity: &str) -> usize {
            self.0.lock().iter().filter(|c| c.entity == entity).count()
        }
    }

    fn second_handle(app: &Equally) -> Equally {
        Equally::open(Config {
            database_path: app.store().path().to_path_buf(),
        })
        .unwrap()
    }

    #[test]
    fn a_background_sync_is_heard_by_the_open_screen() {
        let w = world();
        let screen = Arc::new(Heard::default());
        let _sub = w.app.subscribe(screen.clone());
        // The background worker opens the same file by another spelling.
        let path = w.app.store().path();
        let dir = path.parent().unwrap();
        let worker = Equally::open(Config {
            database_path: dir.join(".").join(path.file_name().unwrap()),
        })
        .unwrap();
        testkit::person(
            &worker,
            Some(&w.priya),
            "Dee",
            crate::people::PersonKind::Volunteer,
        );
        assert_eq!(screen.of("person"), 1, "{:?}", screen.0.lock());
    }

    #[test]
    fn a_screen_hears_its_own_writes_once_with_another_handle_open() {
        let w = world();
        let worker = second_handle(&w.app);
        let screen = Arc::new(Heard::default());
        let _sub = w.app.subscribe(screen.clone());
        let worker_heard = Arc::new(Heard::default());
        let _worker_sub = worker.subscribe(worker_heard.clone());
        w.garden();
        assert_eq!(screen.of("project"), 1);
        assert_eq!(worker_heard.of("project"), 1);
    }

    #[test]
    fn a_closed_handle_no_longer_hears_or_lingers() {
        let w = world();
        let path = w.app.store().path().to_path_buf();
        let base = handles_open_on(&path);
        let worker = second_handle(&w.app);
        let worker_heard = Arc::new(Heard::default());
        let worker_sub = worker.subscribe(worker_heard.clone());
        assert_eq!(handles_open_on(&path), base + 1);
        drop(worker);
        assert_eq!(handles_open_on(&path), base);
        // Its subscription outlived it, but hears nothing and ends quietly.
        w.garden();
        assert_eq!(worker_heard.of("project"), 0);
        drop(worker_sub);
        // Nothing else holds the listener: it was not leaked.
        assert_eq!(Arc::strong_count(&worker_heard), 1);
    }

    #[test]
    fn handles_on_other_files_hear_nothing() {
        let w = world();
        let other = world();
        let heard = Arc::new(Heard::default());
        let _sub = other.app.subscribe(heard.clone());
        w.garden();
        assert_eq!(heard.of("project"), 0);
    }

    /// Cancels its own subscription from inside its callback.
    struct OnlyOnce {
        calls: AtomicUsize,
        subscription: Mutex<Option<Subscription>>,
    }

    impl ChangeListener for OnlyOnce {
        fn on_change(&self, _: &[Changed]) {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(sub) = self.subscription.lock().take() {
                sub.cancel();
            }
        }
    }

    #[test]
    fn a_screen_that_stops_listening_while_told_of_a_change_is_not_told_again() {
        let w = world();
        let worker = second_handle(&w.app);
        let once = Arc::new(OnlyOnce {
            calls: AtomicUsize::new(0),
            subscription: Mutex::new(None),
        });
        *once.subscription.lock() = Some(w.app.subscribe(once.clone()));
        let still = Arc::new(Heard::default());
        let _still = w.app.subscribe(still.clone());
        w.garden();
        w.garden();
        assert_eq!(once.calls.load(Ordering::SeqCst), 1);
        // The other listener on the same screen keeps hearing, from either
        // handle.
        assert_eq!(still.of("project"), 2);
        testkit::person(
            &worker,
            Some(&w.priya),
            "Dee",
            crate::people::PersonKind::Volunteer,
        );
        assert_eq!(still.of("person"), 1);
    }

    #[test]
    fn handles_on_one_file_from_many_threads_all_hear_every_write() {
        let w = world();
        let heard = Arc::new(Heard::default());
        let _sub = w.app.subscribe(heard.clone());
        let path = w.app.store().path().to_path_buf();
        let priya = w.priya.clone();
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let path = path.clone();
                let priya = priya.clone();
                std::thread::spawn(move || {
                    let worker = Equally::open(Config {
                        database_path: path,
                    })
                    .unwrap();
                    testkit::person(
                        &worker,
                        Some(&priya),
                        &format!("Helper {i}"),
                        crate::people::PersonKind::Volunteer,
                    );
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(heard.of("person"), 4);
    }
}
