//! Instants and calendar days. Instants are UTC milliseconds; a day (an
//! action's "by when", a risk's review date) is a civil date with no time
//! zone. Rules never read the clock themselves: the caller passes `now`.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A UTC instant in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn from_millis(ms: i64) -> Self {
        Self(ms)
    }
    pub fn millis(self) -> i64 {
        self.0
    }
    pub fn plus_minutes(self, minutes: i64) -> Self {
        Self(self.0 + minutes * 60_000)
    }
    pub fn to_jiff(self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
    pub fn from_jiff(ts: jiff::Timestamp) -> Self {
        Self(ts.as_millisecond())
    }
    /// The calendar day this instant falls on in `tz`.
    pub fn day_in(self, tz: &jiff::tz::TimeZone) -> Day {
        Day(self.to_jiff().to_zoned_datetime(tz.clone()).date())
    }
}

/// A calendar day, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Day(pub jiff::civil::Date);

impl Day {
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        text.parse::<jiff::civil::Date>()
            .map(Day)
            .map_err(|_| Error::invalid(field, "is not a date written as YYYY-MM-DD"))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where the store's writes get their wall-clock time. Production uses the
/// system clock; tests and the demo pin it so results are repeatable.
pub trait TimeSource: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The device's real clock.
#[derive(Debug, Default)]
pub struct SystemTime;

impl TimeSource for SystemTime {
    fn now(&self) -> Timestamp {
        Timestamp::from_jiff(jiff::Timestamp::now())
    }
}

/// A clock that stays where it is put, for tests, demos and benchmarks.
#[derive(Debug)]
pub struct FixedTime(std::sync::atomic::AtomicI64);

impl FixedTime {
    pub fn new(at: Timestamp) -> Self {
        Self(std::sync::atomic::AtomicI64::new(at.0))
    }
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.0, std::sync::atomic::Ordering::SeqCst);
    }
    pub fn advance_minutes(&self, minutes: i64) {
        self.0
            .fetch_add(minutes * 60_000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl TimeSource for FixedTime {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(std::sync::atomic::Ordering::SeqCst))
    }
}

/// Checks an IANA time zone name such as `Europe/London`.
pub fn parse_time_zone(field: &'static str, name: &str) -> Result<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name)
        .map_err(|_| Error::invalid(field, format!("“{name}” is not a time zone we know")))
}
