//! The core's log, in the app's logger. The core logs with `tracing` and
//! keeps personal content out of its events (no names, titles or notes);
//! this file hands each event to a logger the app implements (Logcat,
//! os_log, a crash reporter's breadcrumbs), as the event was written.
//!
//! A small `tracing::Subscriber` of our own, installed process-wide the
//! first time an app sets a logger, reads whichever logger is set now, so an
//! app can replace or clear it at any time. It ignores spans (the core opens
//! none worth forwarding), which is why `tracing-subscriber` and its span
//! registry are not needed here: the shipped library stays smaller.

use std::fmt::Write as _;
use std::sync::{Arc, Once, RwLock};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// How serious a log record is, from most to least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl From<&Level> for LogLevel {
    fn from(level: &Level) -> Self {
        match *level {
            Level::ERROR => LogLevel::Error,
            Level::WARN => LogLevel::Warn,
            Level::INFO => LogLevel::Info,
            Level::DEBUG => LogLevel::Debug,
            _ => LogLevel::Trace,
        }
    }
}

impl From<LogLevel> for LevelFilter {
    fn from(level: LogLevel) -> Self {
        match level {
            LogLevel::Error => LevelFilter::ERROR,
            LogLevel::Warn => LevelFilter::WARN,
            LogLevel::Info => LevelFilter::INFO,
            LogLevel::Debug => LevelFilter::DEBUG,
            LogLevel::Trace => LevelFilter::TRACE,
        }
    }
}

/// One event from the core.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// Where in the library it comes from, e.g. `equally_core::sync::engine`:
    /// a tag for the app's logger.
    pub target: String,
    /// The event's words, then its fields as `name=value`, exactly as the
    /// core wrote them (ids, counts, codes; never a person's words).
    pub message: String,
}

/// Implemented by the app: receives the core's log records at or above the
/// level it asked for. Called on whichever thread logged, sometimes while
/// the core holds a lock: hand the record to the app's logger and return;
/// do not call back into the core from here.
#[uniffi::export(with_foreign)]
pub trait AppLogger: Send + Sync {
    fn log(&self, record: LogRecord);
}

struct Installed {
    logger: Arc<dyn AppLogger>,
    max_level: LevelFilter,
}

static LOGGER: RwLock<Option<Installed>> = RwLock::new(None);

/// Sends the core's log records at `max_level` and above to `logger`,
/// replacing any logger set before; `None` stops forwarding. Call it once
/// at start-up, and again whenever the app's log settings change.
///
/// If something else in the process already set a global `tracing`
/// subscriber (not the case in the apps), records go there instead.
#[uniffi::export]
pub fn set_app_logger(logger: Option<Arc<dyn AppLogger>>, max_level: LogLevel) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if tracing::subscriber::set_global_default(Forward).is_err() {
            // Nothing else to do: a host that installed its own subscriber
            // keeps its own logs.
            eprintln!("equally: a tracing subscriber was already set; app logger not installed");
        }
    });
    *LOGGER.write().unwrap_or_else(|e| e.into_inner()) = logger.map(|logger| Installed {
        logger,
        max_level: max_level.into(),
    });
    // `tracing` caches which call sites are enabled and the highest level
    // anyone wants; both change with the logger.
    tracing::callsite::rebuild_interest_cache();
}

fn current_max() -> LevelFilter {
    LOGGER
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map_or(LevelFilter::OFF, |i| i.max_level)
}

thread_local! {
    // Set while a record is with the app's logger: an event raised inside
    // it (the logger calling into the core after all) is dropped rather
    // than looping.
    static FORWARDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The process-wide subscriber: events to the current app logger, spans
/// ignored.
struct Forward;

impl Subscriber for Forward {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if metadata.is_span() {
            Interest::never()
        } else {
            // The level may change later: ask `enabled` each time (after
            // the cheap global level check `max_level_hint` feeds).
            Interest::sometimes()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_event() && *metadata.level() <= current_max()
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(current_max())
    }

    fn event(&self, event: &Event<'_>) {
        if FORWARDING.with(|f| f.replace(true)) {
            return;
        }
        let logger = {
            let installed = LOGGER.read().unwrap_or_else(|e| e.into_inner());
            installed
                .as_ref()
                .filter(|i| *event.metadata().level() <= i.max_level)
                .map(|i| i.logger.clone())
        };
        if let Some(logger) = logger {
            let mut words = Words::default();
            event.record(&mut words);
            let record = LogRecord {
                level: event.metadata().level().into(),
                target: event.metadata().target().to_string(),
                message: words.finish(),
            };
            // A logger that throws must not take the core's write down with
            // it: uniffi turns the app's exception into a panic here.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| logger.log(record)));
        }
        FORWARDING.with(|f| f.set(false));
    }

    // Spans are never enabled (`register_callsite`), so these are not
    // called for real spans; any id will do.
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// An event's message and fields, as text.
#[derive(Default)]
struct Words {
    message: String,
    fields: String,
}

impl Words {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
            self.fields.trim_start().to_string()
        } else {
            self.message + &self.fields
        }
    }
}

impl Visit for Words {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={:?}", field.name(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The app's side: keeps what it is given, as a phone's logger would
    /// write it to Logcat.
    #[derive(Default)]
    struct Logcat(Mutex<Vec<LogRecord>>);

    impl AppLogger for Logcat {
        fn log(&self, record: LogRecord) {
            self.0.lock().unwrap().push(record);
        }
    }

    impl Logcat {
        fn lines_from(&self, target: &str) -> Vec<LogRecord> {
            let lines = self.0.lock().unwrap();
            lines
                .iter()
                .filter(|r| r.target == target)
                .cloned()
                .collect()
        }
    }

    // One logger per process: the tests that set it take turns.
    static TURN: Mutex<()> = Mutex::new(());

    /// A file that is not a database makes SQLite fail, which the core logs.
    fn open_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("equally.db");
        std::fs::write(&path, vec![7u8; 8192]).unwrap();
        let opened = equally_core::Equally::open(equally_core::Config {
            database_path: path,
        });
        // Not a database: damaged, or locked with another key.
        assert!(matches!(opened, Err(equally_core::Error::Corrupt)));
    }

    #[test]
    fn a_storage_failure_reaches_the_apps_logger_in_the_cores_words() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let logcat = Arc::new(Logcat::default());
        set_app_logger(Some(logcat.clone()), LogLevel::Info);
        open_a_file_that_is_not_a_database();
        set_app_logger(None, LogLevel::Info);
        let lines = logcat.lines_from("equally_core::error");
        assert!(!lines.is_empty(), "{:?}", logcat.0.lock().unwrap());
        assert_eq!(lines[0].level, LogLevel::Error);
        assert!(
            lines[0].message.starts_with("sqlite error error="),
            "{:?}",
            lines[0]
        );
    }

    #[test]
    fn the_app_chooses_how_much_it_hears_and_can_stop_or_swap_its_logger() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let quiet = Arc::new(Logcat::default());
        set_app_logger(Some(quiet.clone()), LogLevel::Info);
        tracing::warn!(target: "equally_core::test", seq = 3, "a warning");
        tracing::debug!(target: "equally_core::test", "a detail");
        assert_eq!(
            quiet.lines_from("equally_core::test"),
            [LogRecord {
                level: LogLevel::Warn,
                target: "equally_core::test".into(),
                message: "a warning seq=3".into(),
            }]
        );

        let chatty = Arc::new(Logcat::default());
        set_app_logger(Some(chatty.clone()), LogLevel::Debug);
        tracing::debug!(target: "equally_core::test", "a detail");
        assert_eq!(chatty.lines_from("equally_core::test").len(), 1);
        assert_eq!(quiet.lines_from("equally_core::test").len(), 1);

        set_app_logger(None, LogLevel::Trace);
        tracing::error!(target: "equally_core::test", "after clearing");
        assert_eq!(chatty.lines_from("equally_core::test").len(), 1);
    }

    /// A logger that logs again from inside `log`, as an app's logger that
    /// calls back into the core might.
    struct Echo(Mutex<usize>);

    impl AppLogger for Echo {
        fn log(&self, _: LogRecord) {
            *self.0.lock().unwrap() += 1;
            tracing::error!(target: "equally_core::test", "from inside the logger");
        }
    }

    #[test]
    fn a_logger_that_logs_while_logging_does_not_loop() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let echo = Arc::new(Echo(Mutex::new(0)));
        set_app_logger(Some(echo.clone()), LogLevel::Error);
        tracing::error!(target: "equally_core::test", "once");
        set_app_logger(None, LogLevel::Error);
        assert_eq!(*echo.0.lock().unwrap(), 1);
    }
}
