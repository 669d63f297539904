//! "Add to calendar": meetings as iCalendar (RFC 5545) text for phones'
//! calendars, at the local time of the zone they were set in (with that
//! zone's rules), and cancellations that replace the event they cancel.

use super::meeting::{Meeting, MeetingState};
use crate::error::Result;
use crate::l10n;
use crate::text::Reading;
use crate::time::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

/// Names the program that wrote the file, as RFC 5545 asks.
pub const PRODID: &str = "-//Equally//Equally core//EN";

/// RFC 5545 lines are at most 75 octets, not counting the line break.
const MAX_LINE_OCTETS: usize = 75;

/// One meeting, to add to a calendar or, once cancelled, to remove from it.
/// `stamped_at` is when the file is made (DTSTAMP); text is in `reader`'s
/// language.
pub fn meeting_calendar(
    meeting: &Meeting,
    reader: &Reading,
    stamped_at: Timestamp,
) -> Result<String> {
    // A file carrying only a cancellation says so in its method, so a
    // calendar that honours iTIP removes the event it already has.
    let method = if meeting.status.is_cancelled() {
        "CANCEL"
    } else {
        "PUBLISH"
    };
    calendar(&[meeting], reader, stamped_at, method, None)
}

/// All of a person's meetings in one calendar, soonest first. Cancelled ones
/// stay in, marked cancelled, so a calendar that had them drops them.
pub fn my_meetings_calendar(
    meetings: &[Meeting],
    reader: &Reading,
    stamped_at: Timestamp,
) -> Result<String> {
    let mut sorted: Vec<&Meeting> = meetings.iter().collect();
    sorted.sort_by(|a, b| {
        a.times
            .starts_at
            .cmp(&b.times.starts_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let name = l10n::message(reader, "calendar-my-meetings", &[]);
    calendar(&sorted, reader, stamped_at, "PUBLISH", Some(name))
}

/// A zone used by the meetings, and the years they span in it.
struct ZoneUse {
    name: String,
    tz: TimeZone,
    first_year: i16,
    last_year: i16,
}

fn calendar(
    meetings: &[&Meeting],
    reader: &Reading,
    stamped_at: Timestamp,
    method: &str,
    name: Option<String>,
) -> Result<String> {
    let mut zones: Vec<ZoneUse> = Vec::new();
    let mut events: Vec<(&Meeting, String, DateTime, DateTime)> =
        Vec::with_capacity(meetings.len());
    for meeting in meetings {
        let tz = meeting.times.validate()?;
        // The zone's own spelling, so DTSTART's TZID matches the VTIMEZONE.
        let zone_name = tz
            .iana_name()
            .unwrap_or(&meeting.times.time_zone)
            .to_string();
        let start = tz.to_datetime(meeting.times.starts_at.to_jiff());
        let end = tz.to_datetime(meeting.times.ends_at.to_jiff());
        match zones.iter_mut().find(|z| z.name == zone_name) {
            Some(zone) => {
                zone.first_year = zone.first_year.min(start.year());
                zone.last_year = zone.last_year.max(end.year());
            }
            None => zones.push(ZoneUse {
                name: zone_name.clone(),
                tz: tz.clone(),
                first_year: start.year(),
                last_year: end.year(),
            }),
        }
        events.push((meeting, zone_name, start, end));
    }

    let mut out = Lines::default();
    out.prop("BEGIN", "VCALENDAR");
    out.prop("VERSION", "2.0");
    out.prop("PRODID", PRODID);
    out.prop("CALSCALE", "GREGORIAN");
    out.prop("METHOD", method);
    if let Some(name) = name {
        out.prop("X-WR-CALNAME", &escape_text(&name));
    }
    for zone in &zones {
        vtimezone(&mut out, zone);
    }
    for (meeting, zone_name, start, end) in events {
        vevent(
            &mut out, meeting, reader, stamped_at, &zone_name, start, end,
        );
    }
    out.prop("END", "VCALENDAR");
    Ok(out.0)
}

fn vevent(
    out: &mut Lines,
    meeting: &Meeting,
    reader: &Reading,
    stamped_at: Timestamp,
    zone_name: &str,
    start: DateTime,
    end: DateTime,
) {
    out.prop("BEGIN", "VEVENT");
    // Stable per meeting, so a re-import updates the event instead of
    // adding a copy.
    out.prop("UID", &format!("{}@equally", meeting.id));
    out.prop("DTSTAMP", &utc_stamp(stamped_at.to_jiff()));
    out.prop(&format!("DTSTART;TZID={zone_name}"), &local_stamp(start));
    out.prop(&format!("DTEND;TZID={zone_name}"), &local_stamp(end));
    out.prop("SEQUENCE", &meeting.status.sequence.to_string());
    let status = match meeting.status.state {
        MeetingState::Cancelled => "CANCELLED",
        MeetingState::Scheduled | MeetingState::Moved => "CONFIRMED",
    };
    out.prop("STATUS", status);
    out.prop(
        "SUMMARY",
        &escape_text(&meeting.title.for_reader(reader).text),
    );
    let description = description(meeting, reader);
    if !description.is_empty() {
        out.prop("DESCRIPTION", &escape_text(&description));
    }
    let location = match &meeting.place {
        Some(place) => Some(place.for_reader(reader).text),
        None if meeting.format.can_join_online() => {
            Some(l10n::message(reader, "calendar-online", &[]))
        }
        None => None,
    };
    if let Some(location) = location {
        out.prop("LOCATION", &escape_text(&location));
    }
    if let Some(link) = &meeting.online_link {
        // A URI is not TEXT: its commas and semicolons stay as they are.
        out.prop("URL", &strip_controls(link));
    }
    out.prop("END", "VEVENT");
}

/// What to know before going: the description, the access the meeting
/// offers, and how to join online (many calendars hide the URL property).
fn description(meeting: &Meeting, reader: &Reading) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(text) = &meeting.description {
        parts.push(text.for_reader(reader).text);
    }
    if !meeting.access.is_empty() {
        let mut access = l10n::message(reader, "calendar-access", &[]);
        for feature in &meeting.access {
            access.push_str("\n- ");
            access.push_str(&l10n::message(reader, &feature.message_id(), &[]));
        }
        parts.push(access);
    }
    if let Some(notes) = &meeting.access_notes {
        parts.push(notes.for_reader(reader).text);
    }
    if let Some(link) = &meeting.online_link {
        parts.push(format!(
            "{} {link}",
            l10n::message(reader, "calendar-join-online", &[])
        ));
    }
    parts.join("\n\n")
}

/// The zone's rules over the years its meetings span: the observance in
/// force when the first year begins, then each change up to the end of the
/// last year, as one-off observances (no RRULE, so a rule that changes
/// between years is still right).
fn vtimezone(out: &mut Lines, zone: &ZoneUse) {
    let tz = &zone.tz;
    let year_start = |year: i16| {
        jiff::civil::date(year.clamp(1, 9998), 1, 1)
            .at(0, 0, 0, 0)
            .to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp())
            .ok()
    };
    let (Some(from), Some(until)) = (
        year_start(zone.first_year),
        year_start(zone.last_year.saturating_add(1)),
    ) else {
        return;
    };
    out.prop("BEGIN", "VTIMEZONE");
    out.prop("TZID", &zone.name);
    // `preceding` is strictly before its argument; a second later catches a
    // change at the very start of the year.
    let in_force = from
        .checked_add(jiff::SignedDuration::from_secs(1))
        .ok()
        .and_then(|t| tz.preceding(t).next());
    let mut any = false;
    for transition in in_force
        .into_iter()
        .chain(tz.following(from).take_while(|t| t.timestamp() < until))
        .take(64)
    {
        let at = transition.timestamp();
        let before = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map(|t| tz.to_offset(t))
            .unwrap_or(transition.offset());
        observance(
            out,
            transition.dst().is_dst(),
            // DTSTART is the wall-clock time just before the change.
            before.to_datetime(at),
            before,
            transition.offset(),
            transition.abbreviation(),
        );
        any = true;
    }
    if !any {
        // A zone that has never changed (UTC, or a fixed offset).
        let info = tz.to_offset_info(from);
        observance(
            out,
            false,
            jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0),
            info.offset(),
            info.offset(),
            info.abbreviation(),
        );
    }
    out.prop("END", "VTIMEZONE");
}

fn observance(
    out: &mut Lines,
    daylight: bool,
    starts: DateTime,
    from: Offset,
    to: Offset,
    abbreviation: &str,
) {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    out.prop("BEGIN", kind);
    out.prop("DTSTART", &local_stamp(starts));
    out.prop("TZOFFSETFROM", &utc_offset(from));
    out.prop("TZOFFSETTO", &utc_offset(to));
    if !abbreviation.is_empty() {
        out.prop("TZNAME", &escape_text(abbreviation));
    }
    out.prop("END", kind);
}

fn local_stamp(dt: DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn utc_stamp(ts: jiff::Timestamp) -> String {
    format!("{}Z", local_stamp(Offset::UTC.to_datetime(ts)))
}

/// `+0100`, or `+053028` when the offset has seconds (old local mean times).
fn utc_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs % 3600 / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as
/// `\n`, other control characters dropped (they are not allowed at all).
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn strip_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// The output, a content line at a time, folded and CRLF-terminated.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn prop(&mut self, name: &str, value: &str) {
        fold_into(&format!("{name}:{value}"), &mut self.0);
    }
}

/// Folds a content line so no physical line exceeds 75 octets, breaking only
/// between characters so multi-byte UTF-8 (Polish, Urdu) stays whole. A
/// continuation line starts with one space, which counts towards its 75.
pub(crate) fn fold_into(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{MeetingId, PersonId};
    use crate::meetings::meeting::{AccessFeature, MeetingFormat, MeetingStatus, MeetingTimes};
    use crate::text::Text;
    use icalendar::parser::{Component, read_calendar, unfold};

    fn reader() -> Reading {
        Reading {
            languages: vec!["en-GB".into()],
            easy_read: false,
        }
    }

    fn garden() -> Meeting {
        Meeting {
            id: MeetingId::parse("0199c1a0-0000-7000-8000-00000000000a").unwrap(),
            project: None,
            organiser: PersonId::new(),
            title: Text::new("en-GB", "Garden planning; seeds, soil and sheds"),
            description: Some(Text::new(
                "en-GB",
                "Bring ideas.\nTea and biscuits provided, as always \\o/",
            )),
            format: MeetingFormat::Hybrid,
            place: Some(Text::new("en-GB", "Elm Street hall, Room 2")),
            online_link: Some("https://meet.example.org/garden?x=1,2;3".into()),
            access: vec![AccessFeature::StepFree, AccessFeature::HearingLoop],
            access_notes: None,
            times: MeetingTimes::local("2025-10-14T10:00", 90, "Europe/London").unwrap(),
            status: MeetingStatus::scheduled(),
        }
    }

    fn stamp() -> Timestamp {
        Timestamp::from_millis(1_759_312_800_000) // 2025-10-01T10:00:00Z
    }

    fn prop<'a>(component: &'a Component<'a>, name: &str) -> &'a str {
        component
            .find_prop(name)
            .unwrap_or_else(|| panic!("{} has no {name}", component.name.as_str()))
            .val
            .as_str()
    }

    fn param<'a>(component: &'a Component<'a>, name: &str, key: &str) -> Option<&'a str> {
        component
            .find_prop(name)?
            .params
            .iter()
            .find_map(|p| (p.key.as_str() == key).then(|| p.val.as_ref().map(|v| v.as_str()))?)
    }

    fn children<'a>(parent: &'a [Component<'a>], name: &str) -> Vec<&'a Component<'a>> {
        parent.iter().filter(|c| c.name.as_str() == name).collect()
    }

    #[test]
    fn a_meeting_round_trips_through_an_independent_parser() {
        let meeting = garden();
        let ics = meeting_calendar(&meeting, &reader(), stamp()).unwrap();
        let unfolded = unfold(&ics);
        let calendar = read_calendar(&unfolded).unwrap();
        let method = calendar
            .properties
            .iter()
            .find(|p| p.name.as_str() == "METHOD");
        assert_eq!(method.unwrap().val.as_str(), "PUBLISH");

        let events = children(&calendar.components, "VEVENT");
        assert_eq!(events.len(), 1);
        let event = events[0];
        assert_eq!(prop(event, "UID"), format!("{}@equally", meeting.id));
        assert_eq!(
            prop(event, "SUMMARY"),
            "Garden planning; seeds, soil and sheds"
        );
        assert_eq!(prop(event, "LOCATION"), "Elm Street hall, Room 2");
        assert_eq!(prop(event, "DTSTART"), "20251014T100000");
        assert_eq!(param(event, "DTSTART", "TZID"), Some("Europe/London"));
        assert_eq!(prop(event, "DTEND"), "20251014T113000");
        assert_eq!(prop(event, "DTSTAMP"), "20251001T100000Z");
        assert_eq!(prop(event, "STATUS"), "CONFIRMED");
        assert_eq!(prop(event, "SEQUENCE"), "0");
        assert_eq!(
            prop(event, "URL"),
            "https://meet.example.org/garden?x=1,2;3"
        );
        let description = prop(event, "DESCRIPTION");
        assert!(description.starts_with("Bring ideas.\nTea and biscuits provided, as always \\o/"));
        assert!(
            description.contains("Access:\n- Step-free access\n- Hearing loop"),
            "{description}"
        );
        assert!(description.ends_with("Join online: https://meet.example.org/garden?x=1,2;3"));

        let zones = children(&calendar.components, "VTIMEZONE");
        assert_eq!(zones.len(), 1);
        assert_eq!(prop(zones[0], "TZID"), "Europe/London");
    }

    #[test]
    fn a_cancelled_meeting_keeps_its_uid_with_a_higher_sequence() {
        let meeting = garden();
        let first = meeting_calendar(&meeting, &reader(), stamp()).unwrap();
        let cancelled = meeting.cancelled().unwrap();
        let second = meeting_calendar(&cancelled, &reader(), stamp()).unwrap();
        let (a, b) = (unfold(&first), unfold(&second));
        let (a, b) = (read_calendar(&a).unwrap(), read_calendar(&b).unwrap());
        let (before, after) = (
            children(&a.components, "VEVENT")[0],
            children(&b.components, "VEVENT")[0],
        );
        assert_eq!(prop(before, "UID"), prop(after, "UID"));
        assert_eq!(prop(after, "STATUS"), "CANCELLED");
        let sequence = |e| prop(e, "SEQUENCE").parse::<u32>().unwrap();
        assert!(sequence(after) > sequence(before));
        let method = b.properties.iter().find(|p| p.name.as_str() == "METHOD");
        assert_eq!(method.unwrap().val.as_str(), "CANCEL");
    }

    #[test]
    fn a_moved_meeting_is_confirmed_at_its_new_time_with_a_higher_sequence() {
        let meeting = garden();
        let new_times = MeetingTimes::local("2025-10-21T14:00", 60, "Europe/London").unwrap();
        let moved = meeting.moved_to(new_times, stamp()).unwrap();
        let ics = unfold(&meeting_calendar(&moved, &reader(), stamp()).unwrap());
        let calendar = read_calendar(&ics).unwrap();
        let event = children(&calendar.components, "VEVENT")[0];
        assert_eq!(prop(event, "DTSTART"), "20251021T140000");
        assert_eq!(prop(event, "STATUS"), "CONFIRMED");
        assert_eq!(prop(event, "SEQUENCE"), "1");
    }

    #[test]
    fn lines_are_folded_at_75_octets_and_text_is_escaped() {
        let mut meeting = garden();
        meeting.title = Text::new("en-GB", "Garden planning").with_translation(
            "ur",
            &"باغ کی منصوبہ بندی، بیج اور مٹی۔ ".repeat(6),
            None,
        );
        meeting.description = Some(Text::new("pl", &"Zażółć gęślą jaźń; ".repeat(12)));
        let urdu = Reading {
            languages: vec!["ur".into()],
            easy_read: false,
        };
        let ics = meeting_calendar(&meeting, &urdu, stamp()).unwrap();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "a bare LF");
        let mut folded = 0;
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            if line.starts_with(' ') {
                folded += 1;
            }
        }
        assert!(folded > 5, "long lines were folded");
        // Unfolding gives back the text, whole characters and all.
        let unfolded = unfold(&ics);
        let calendar = read_calendar(&unfolded).unwrap();
        let event = children(&calendar.components, "VEVENT")[0];
        assert_eq!(
            prop(event, "SUMMARY"),
            "باغ کی منصوبہ بندی، بیج اور مٹی۔ ".repeat(6)
        );
        assert!(prop(event, "DESCRIPTION").starts_with(&"Zażółć gęślą jaźń; ".repeat(12)));
    }

    #[test]
    fn text_escaping_follows_rfc_5545() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(
            escape_text("one\r\ntwo\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape_text("bell\u{7}"), "bell");
        let mut out = String::new();
        fold_into(&"é".repeat(50), &mut out);
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines[0].len(), 74, "a two-octet character is never split");
        assert!(lines[1].starts_with(' '));
    }

    /// Reads the VTIMEZONE the way a calendar does: the last observance whose
    /// onset (its DTSTART on the clock before it) is not after the instant.
    fn local_time_by_vtimezone(zone: &Component<'_>, instant: jiff::Timestamp) -> DateTime {
        let offset = |text: &str| {
            let sign = if text.starts_with('-') { -1 } else { 1 };
            let h: i32 = text[1..3].parse().unwrap();
            let m: i32 = text[3..5].parse().unwrap();
            Offset::from_seconds(sign * (h * 3600 + m * 60)).unwrap()
        };
        let mut best: Option<(jiff::Timestamp, Offset)> = None;
        for observance in &zone.components {
            let starts: DateTime =
                jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", prop(observance, "DTSTART"))
                    .unwrap()
                    .to_datetime()
                    .unwrap();
            let from = offset(prop(observance, "TZOFFSETFROM"));
            let onset = from.to_timestamp(starts).unwrap();
            if onset <= instant && best.is_none_or(|(b, _)| onset > b) {
                best = Some((onset, offset(prop(observance, "TZOFFSETTO"))));
            }
        }
        best.expect("an observance in force").1.to_datetime(instant)
    }

    #[test]
    fn the_time_zone_rules_cover_the_meetings_year() {
        let mut meetings = Vec::new();
        for (i, start) in [
            "2025-01-07T10:00",
            "2025-03-30T10:00",
            "2025-10-26T10:00",
            "2025-12-30T18:00",
        ]
        .iter()
        .enumerate()
        {
            let mut m = garden();
            m.id = MeetingId::parse(&format!("0199c1a0-0000-7000-8000-00000000001{i}")).unwrap();
            m.times = MeetingTimes::local(start, 60, "Europe/London").unwrap();
            meetings.push(m);
        }
        let ics = unfold(&my_meetings_calendar(&meetings, &reader(), stamp()).unwrap());
        let calendar = read_calendar(&ics).unwrap();
        let zone = children(&calendar.components, "VTIMEZONE")[0];
        let kinds: Vec<(&str, &str)> = zone
            .components
            .iter()
            .map(|o| (o.name.as_str(), prop(o, "DTSTART")))
            .collect();
        assert_eq!(
            kinds,
            [
                ("STANDARD", "20241027T020000"),
                ("DAYLIGHT", "20250330T010000"),
                ("STANDARD", "20251026T020000"),
            ]
        );
        let bst = &zone.components[1];
        assert_eq!(prop(bst, "TZOFFSETFROM"), "+0000");
        assert_eq!(prop(bst, "TZOFFSETTO"), "+0100");
        assert_eq!(prop(bst, "TZNAME"), "BST");
        // Every event's local DTSTART, read through the VTIMEZONE, is the
        // meeting's real instant.
        for (event, meeting) in children(&calendar.components, "VEVENT")
            .iter()
            .zip(&meetings)
        {
            let local = local_time_by_vtimezone(zone, meeting.times.starts_at.to_jiff());
            assert_eq!(local_stamp(local), prop(event, "DTSTART"));
        }
    }

    #[test]
    fn my_meetings_are_one_calendar_soonest_first_with_each_zone_once() {
        let mut warsaw = garden();
        warsaw.id = MeetingId::parse("0199c1a0-0000-7000-8000-000000000021").unwrap();
        warsaw.title = Text::new("pl", "Spotkanie w Warszawie");
        warsaw.times = MeetingTimes::local("2025-11-02T18:00", 60, "Europe/Warsaw").unwrap();
        let mut utc = garden();
        utc.id = MeetingId::parse("0199c1a0-0000-7000-8000-000000000022").unwrap();
        utc.title = Text::new("en-GB", "Partners' call");
        utc.format = MeetingFormat::Online;
        utc.place = None;
        utc.times = MeetingTimes::local("2025-09-01T08:00", 60, "UTC").unwrap();
        let cancelled = garden().cancelled().unwrap();

        let ics =
            unfold(&my_meetings_calendar(&[warsaw, cancelled, utc], &reader(), stamp()).unwrap());
        let calendar = read_calendar(&ics).unwrap();
        let name = calendar
            .properties
            .iter()
            .find(|p| p.name.as_str() == "X-WR-CALNAME");
        assert_eq!(name.unwrap().val.as_str(), "My meetings");
        let method = calendar
            .properties
            .iter()
            .find(|p| p.name.as_str() == "METHOD");
        assert_eq!(method.unwrap().val.as_str(), "PUBLISH");
        let summaries: Vec<(&str, &str)> = children(&calendar.components, "VEVENT")
            .iter()
            .map(|e| (prop(e, "SUMMARY"), prop(e, "STATUS")))
            .collect();
        assert_eq!(
            summaries,
            [
                ("Partners' call", "CONFIRMED"),
                ("Garden planning; seeds, soil and sheds", "CANCELLED"),
                ("Spotkanie w Warszawie", "CONFIRMED"),
            ]
        );
        let online = children(&calendar.components, "VEVENT")[0];
        assert_eq!(prop(online, "LOCATION"), "Online");
        let zones: Vec<&str> = children(&calendar.components, "VTIMEZONE")
            .iter()
            .map(|z| prop(z, "TZID"))
            .collect();
        // In the order the meetings come, soonest first.
        assert_eq!(zones, ["UTC", "Europe/London", "Europe/Warsaw"]);
        let utc_zone = children(&calendar.components, "VTIMEZONE")[0];
        assert_eq!(utc_zone.components.len(), 1);
        assert_eq!(prop(&utc_zone.components[0], "TZOFFSETTO"), "+0000");
    }

    #[test]
    fn a_meeting_with_an_unknown_time_zone_is_refused() {
        let mut meeting = garden();
        meeting.times.time_zone = "Europe/Atlantis".into();
        assert!(matches!(
            meeting_calendar(&meeting, &reader(), stamp()),
            Err(crate::Error::Invalid { .. })
        ));
    }
}
