//! Times and days in a reader's own words and on their own clock, for
//! screens and the home screen's waiting list (reminders say theirs
//! relative to when they ring).

use crate::l10n::{self, FluentValue};
use crate::text::Reading;
use crate::time::Timestamp;
use jiff::tz::TimeZone;

/// The reader's time zone, or UTC for one the store should never have
/// accepted: a screen still shows.
pub fn zone_or_utc(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

fn date_text(prefs: &Reading, id: &str, date: jiff::civil::Date, time: Option<String>) -> String {
    let mut args: Vec<(&str, FluentValue<'_>)> = vec![
        (
            "weekday",
            l10n::message(
                prefs,
                &format!("weekday-{}", date.weekday().to_monday_one_offset()),
                &[],
            )
            .into(),
        ),
        ("day", date.day().to_string().into()),
        (
            "month",
            l10n::message(prefs, &format!("month-{}", date.month()), &[]).into(),
        ),
    ];
    if let Some(time) = time {
        args.push(("time", time.into()));
    }
    l10n::message(prefs, id, &args)
}

/// A day in the reader's words ("Tuesday 3 March").
pub fn day_text(prefs: &Reading, date: jiff::civil::Date) -> String {
    date_text(prefs, "day-date", date, None)
}

/// A meeting's time on the reader's clock: "Tuesday 14 October, 10:00–11:30",
/// or both ends in full when it runs over midnight.
pub fn when_text(prefs: &Reading, tz: &TimeZone, starts: Timestamp, ends: Timestamp) -> String {
    let start = tz.to_datetime(starts.to_jiff());
    let end = tz.to_datetime(ends.to_jiff());
    let hm = |d: &jiff::civil::DateTime| format!("{:02}:{:02}", d.hour(), d.minute());
    if start.date() == end.date() {
        date_text(
            prefs,
            "when-date",
            start.date(),
            Some(format!("{}–{}", hm(&start), hm(&end))),
        )
    } else {
        format!(
            "{} – {}",
            date_text(prefs, "when-date", start.date(), Some(hm(&start))),
            date_text(prefs, "when-date", end.date(), Some(hm(&end)))
        )
    }
}
