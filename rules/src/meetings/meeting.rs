//! A meeting's plain facts (format, place, access, times in their own time
//! zone, status), a person's reminder preferences and the times they said they
//! can't do, with the checks that turn bad input into a clear typed error.

use crate::error::{Error, Result};
use crate::ids::{MeetingId, PersonId, ProjectId};
use crate::text::Text;
use crate::time::{Timestamp, parse_time_zone};
use serde::{Deserialize, Serialize};

/// How people take part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingFormat {
    InPerson,
    Online,
    Hybrid,
}

impl MeetingFormat {
    /// Whether some people will be in a room together.
    pub fn has_a_room(self) -> bool {
        matches!(self, MeetingFormat::InPerson | MeetingFormat::Hybrid)
    }

    /// Whether people can join from where they are.
    pub fn can_join_online(self) -> bool {
        matches!(self, MeetingFormat::Online | MeetingFormat::Hybrid)
    }
}

/// Something a meeting offers so that everyone can take part. The same list
/// records what a person needs, so the two can be compared directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessFeature {
    StepFree,
    HearingLoop,
    QuietRoom,
    /// A spoken-language interpreter.
    Interpreter,
    /// A British Sign Language interpreter.
    Bsl,
    Childcare,
    AccessibleToilet,
    LargePrint,
    EasyReadPapers,
    Captions,
}

impl AccessFeature {
    pub const ALL: [AccessFeature; 10] = [
        AccessFeature::StepFree,
        AccessFeature::HearingLoop,
        AccessFeature::QuietRoom,
        AccessFeature::Interpreter,
        AccessFeature::Bsl,
        AccessFeature::Childcare,
        AccessFeature::AccessibleToilet,
        AccessFeature::LargePrint,
        AccessFeature::EasyReadPapers,
        AccessFeature::Captions,
    ];

    /// Features that belong to a building. Someone joining an online meeting
    /// from home does not need the meeting to have them.
    pub fn belongs_to_the_room(self) -> bool {
        matches!(
            self,
            AccessFeature::StepFree
                | AccessFeature::HearingLoop
                | AccessFeature::QuietRoom
                | AccessFeature::Childcare
                | AccessFeature::AccessibleToilet
        )
    }

    /// The name used in message ids and selectors (`step-free`).
    pub fn slug(self) -> &'static str {
        match self {
            AccessFeature::StepFree => "step-free",
            AccessFeature::HearingLoop => "hearing-loop",
            AccessFeature::QuietRoom => "quiet-room",
            AccessFeature::Interpreter => "interpreter",
            AccessFeature::Bsl => "bsl",
            AccessFeature::Childcare => "childcare",
            AccessFeature::AccessibleToilet => "accessible-toilet",
            AccessFeature::LargePrint => "large-print",
            AccessFeature::EasyReadPapers => "easy-read-papers",
            AccessFeature::Captions => "captions",
        }
    }

    /// The Fluent id of the feature's name, e.g. for a ticked list.
    pub fn message_id(self) -> String {
        format!("access-feature-{}", self.slug())
    }
}

/// The longest meeting we accept: longer is almost always a typing mistake
/// (a wrong month), and it bounds the work of checking unavailable times.
pub const MAX_MEETING_MINUTES: i64 = 7 * 24 * 60;

/// When a meeting happens: two UTC instants and the IANA time zone it was set
/// in, so it is shown and exported at the local time the organiser meant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingTimes {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// An IANA name such as `Europe/London`.
    pub time_zone: String,
}

impl MeetingTimes {
    /// Checked times from instants.
    pub fn new(starts_at: Timestamp, ends_at: Timestamp, time_zone: &str) -> Result<Self> {
        let times = MeetingTimes {
            starts_at,
            ends_at,
            time_zone: time_zone.to_string(),
        };
        times.validate()?;
        Ok(times)
    }

    /// Checked times from the local start an organiser typed
    /// (`2025-10-14T10:00`), a length in minutes, and the time zone.
    pub fn local(starts: &str, minutes: u32, time_zone: &str) -> Result<Self> {
        let tz = parse_time_zone("time_zone", time_zone)?;
        let civil: jiff::civil::DateTime = starts.parse().map_err(|_| {
            Error::invalid("starts_at", "is not a date and time like 2025-10-14T10:00")
        })?;
        let ambiguous = tz.to_ambiguous_timestamp(civil);
        // A time in the spring gap never shows on a clock there; saying so is
        // kinder than quietly moving the meeting by an hour. In the autumn
        // fold the first of the two is meant, as people read it.
        if let jiff::tz::AmbiguousOffset::Gap { .. } = ambiguous.offset() {
            return Err(Error::invalid(
                "starts_at",
                format!("{starts} does not exist in {time_zone}: the clocks go forward then"),
            ));
        }
        let start = ambiguous
            .earlier()
            .map_err(|_| Error::invalid("starts_at", "is out of range"))?;
        let starts_at = Timestamp::from_jiff(start);
        MeetingTimes::new(
            starts_at,
            starts_at.plus_minutes(i64::from(minutes)),
            time_zone,
        )
    }

    /// Checks the times, and gives back the resolved time zone.
    pub fn validate(&self) -> Result<jiff::tz::TimeZone> {
        let tz = parse_time_zone("time_zone", &self.time_zone)?;
        for (field, at) in [("starts_at", self.starts_at), ("ends_at", self.ends_at)] {
            if jiff::Timestamp::from_millisecond(at.millis()).is_err() {
                return Err(Error::invalid(field, "is not a real date"));
            }
        }
        if self.ends_at <= self.starts_at {
            return Err(Error::invalid(
                "ends_at",
                "must be after the meeting starts",
            ));
        }
        if self
            .ends_at
            .millis()
            .saturating_sub(self.starts_at.millis())
            > MAX_MEETING_MINUTES * 60_000
        {
            return Err(Error::invalid(
                "ends_at",
                "is more than 7 days after the start",
            ));
        }
        Ok(tz)
    }

    pub fn has_started(&self, now: Timestamp) -> bool {
        now >= self.starts_at
    }
}

/// A member's answer to "are you coming?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rsvp {
    Going,
    Maybe,
    NotGoing,
}

/// Where a meeting stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    Scheduled,
    /// Its time changed after people were told of it.
    Moved,
    Cancelled,
}

/// The state and a count of changes. Calendars replace an event only when the
/// sequence rises (RFC 5545's `SEQUENCE`), so every change people must learn
/// of raises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeetingStatus {
    pub state: MeetingState,
    pub sequence: u32,
}

impl Default for MeetingStatus {
    fn default() -> Self {
        Self::scheduled()
    }
}

impl MeetingStatus {
    pub fn scheduled() -> Self {
        MeetingStatus {
            state: MeetingState::Scheduled,
            sequence: 0,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.state == MeetingState::Cancelled
    }

    /// After an edit of the title, place or description.
    pub fn edited(&self) -> Result<Self> {
        self.change(self.state)
    }

    /// After the meeting moved to a new time.
    pub fn moved(&self) -> Result<Self> {
        self.change(MeetingState::Moved)
    }

    pub fn cancelled(&self) -> Result<Self> {
        self.change(MeetingState::Cancelled)
    }

    fn change(&self, state: MeetingState) -> Result<Self> {
        if self.is_cancelled() {
            return Err(Error::conflict("the meeting was cancelled"));
        }
        let sequence = self
            .sequence
            .checked_add(1)
            .ok_or_else(|| Error::conflict("the meeting has changed too many times"))?;
        Ok(MeetingStatus { state, sequence })
    }
}

/// What a meeting is, as the store keeps it and calendars and reminders read
/// it. Agenda, capacity, attendance and minutes live beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    /// The project it belongs to; none for a meeting of the whole
    /// organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub organiser: PersonId,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    pub format: MeetingFormat,
    /// Where the room is, in words people can follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_link: Option<String>,
    /// What the organiser ticked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<AccessFeature>,
    /// Anything the list does not say ("the lift is at the back").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_notes: Option<Text>,
    pub times: MeetingTimes,
    #[serde(default)]
    pub status: MeetingStatus,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
pub const MAX_PLACE_CHARS: usize = 300;
pub const MAX_ACCESS_NOTES_CHARS: usize = 1000;
pub const MAX_LINK_CHARS: usize = 2000;

impl Meeting {
    /// Checks everything a person typed or ticked.
    pub fn validate(&self) -> Result<()> {
        self.title.validate("title", MAX_TITLE_CHARS)?;
        if let Some(description) = &self.description {
            description.validate("description", MAX_DESCRIPTION_CHARS)?;
        }
        if let Some(place) = &self.place {
            place.validate("place", MAX_PLACE_CHARS)?;
        }
        if let Some(notes) = &self.access_notes {
            notes.validate("access_notes", MAX_ACCESS_NOTES_CHARS)?;
        }
        if let Some(link) = &self.online_link {
            validate_link(link)?;
        }
        for (i, feature) in self.access.iter().enumerate() {
            if self.access[..i].contains(feature) {
                return Err(Error::invalid(
                    "access",
                    format!("lists {} twice", feature.slug()),
                ));
            }
        }
        self.times.validate()?;
        Ok(())
    }

    /// The meeting at its new time. Nothing changes if the times are bad or
    /// the meeting was cancelled or is already over.
    pub fn moved_to(&self, times: MeetingTimes, now: Timestamp) -> Result<Meeting> {
        times.validate()?;
        if now >= self.times.ends_at {
            return Err(Error::conflict("the meeting is already over"));
        }
        Ok(Meeting {
            times,
            status: self.status.moved()?,
            ..self.clone()
        })
    }

    /// The meeting, cancelled.
    pub fn cancelled(&self) -> Result<Meeting> {
        Ok(Meeting {
            status: self.status.cancelled()?,
            ..self.clone()
        })
    }

    /// Whether a member may still give or change their answer: until the
    /// start, and never for a cancelled meeting.
    pub fn check_rsvp_open(&self, now: Timestamp) -> Result<()> {
        if self.status.is_cancelled() {
            return Err(Error::conflict("the meeting was cancelled"));
        }
        if self.times.has_started(now) {
            return Err(Error::conflict(
                "the meeting has started; answers close at the start",
            ));
        }
        Ok(())
    }
}

fn validate_link(link: &str) -> Result<()> {
    let field = "online_link";
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(Error::invalid(field, "is too long for a web address"));
    }
    // Only https: a link opened from a reminder must not be downgraded or
    // point at something that is not a web page.
    let rest = link
        .strip_prefix("https://")
        .ok_or_else(|| Error::invalid(field, "must be a web address starting with https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(Error::invalid(field, "has no site name after https://"));
    }
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            "contains spaces or control characters",
        ));
    }
    Ok(())
}

/// A person's default reminders for a meeting: a day and an hour before.
pub const DEFAULT_OFFSETS_MINUTES: [u32; 2] = [24 * 60, 60];
/// The earliest reminder a person can ask for: 30 days before.
pub const MAX_OFFSET_MINUTES: u32 = 30 * 24 * 60;
/// More reminders per meeting than this would crowd out others (the plan
/// keeps only 60 in all).
pub const MAX_OFFSETS: usize = 5;

fn default_offsets() -> Vec<u32> {
    DEFAULT_OFFSETS_MINUTES.to_vec()
}

/// A time of day, written `HH:MM` on the 24-hour clock, in the person's own
/// time zone.
pub type LocalTime = String;

/// When a person does not want their phone to ring, e.g. 22:00 to 07:00.
/// May cross midnight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: LocalTime,
    pub end: LocalTime,
}

impl QuietHours {
    pub fn new(start: &str, end: &str) -> Result<Self> {
        let quiet = QuietHours {
            start: start.to_string(),
            end: end.to_string(),
        };
        quiet.validate()?;
        Ok(quiet)
    }

    pub fn validate(&self) -> Result<()> {
        self.parse().map(|_| ())
    }

    /// The start and end as times of day.
    pub fn parse(&self) -> Result<(jiff::civil::Time, jiff::civil::Time)> {
        let start = parse_local_time("quiet_hours.start", &self.start, false)?;
        let end = parse_local_time("quiet_hours.end", &self.end, false)?;
        if start == end {
            return Err(Error::invalid(
                "quiet_hours",
                "start and end are the same time",
            ));
        }
        Ok((start, end))
    }
}

/// How a person likes to be reminded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPreferences {
    /// Minutes before each meeting. A whole number of days means the same
    /// clock time that many days before, in the person's time zone. Empty:
    /// no meeting reminders.
    #[serde(default = "default_offsets")]
    pub offsets_minutes: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<QuietHours>,
}

impl Default for ReminderPreferences {
    fn default() -> Self {
        ReminderPreferences {
            offsets_minutes: default_offsets(),
            quiet_hours: None,
        }
    }
}

impl ReminderPreferences {
    pub fn validate(&self) -> Result<()> {
        let field = "offsets_minutes";
        if self.offsets_minutes.len() > MAX_OFFSETS {
            return Err(Error::invalid(
                field,
                format!(
                    "has {} reminders; at most {MAX_OFFSETS} fit",
                    self.offsets_minutes.len()
                ),
            ));
        }
        for (i, offset) in self.offsets_minutes.iter().enumerate() {
            if *offset > MAX_OFFSET_MINUTES {
                return Err(Error::invalid(
                    field,
                    format!("{offset} minutes is more than 30 days before"),
                ));
            }
            if self.offsets_minutes[..i].contains(offset) {
                return Err(Error::invalid(
                    field,
                    format!("lists {offset} minutes twice"),
                ));
            }
        }
        if let Some(quiet) = &self.quiet_hours {
            quiet.validate()?;
        }
        Ok(())
    }
}

/// A day of the week, Monday first as in the UK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn from_jiff(day: jiff::civil::Weekday) -> Self {
        match day {
            jiff::civil::Weekday::Monday => Weekday::Monday,
            jiff::civil::Weekday::Tuesday => Weekday::Tuesday,
            jiff::civil::Weekday::Wednesday => Weekday::Wednesday,
            jiff::civil::Weekday::Thursday => Weekday::Thursday,
            jiff::civil::Weekday::Friday => Weekday::Friday,
            jiff::civil::Weekday::Saturday => Weekday::Saturday,
            jiff::civil::Weekday::Sunday => Weekday::Sunday,
        }
    }
}

/// A time in the week a member said they can't do ("Tuesdays 10:00 to
/// 12:00", "Fridays all day": 00:00 to 24:00), in their own time zone. A
/// window that crosses midnight is written as two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailability {
    pub weekday: Weekday,
    pub start: LocalTime,
    /// `24:00` for the end of the day.
    pub end: LocalTime,
}

impl Unavailability {
    pub fn new(weekday: Weekday, start: &str, end: &str) -> Result<Self> {
        let window = Unavailability {
            weekday,
            start: start.to_string(),
            end: end.to_string(),
        };
        window.validate()?;
        Ok(window)
    }

    pub fn validate(&self) -> Result<()> {
        self.minutes().map(|_| ())
    }

    /// Start and end as minutes after midnight (the end may be 1440).
    pub fn minutes(&self) -> Result<(u32, u32)> {
        let start = parse_local_time("unavailable.start", &self.start, false)?;
        let end = parse_local_time("unavailable.end", &self.end, true)?;
        let start = minutes_of(start);
        let end = if self.end == "24:00" {
            24 * 60
        } else {
            minutes_of(end)
        };
        if end <= start {
            return Err(Error::invalid(
                "unavailable.end",
                "must be after the start on the same day; write a time across midnight as two",
            ));
        }
        Ok((start, end))
    }
}

fn minutes_of(time: jiff::civil::Time) -> u32 {
    // Hours and minutes of a parsed `HH:MM` are small and never negative.
    (time.hour() as u32) * 60 + time.minute() as u32
}

/// Reads `HH:MM` on the 24-hour clock. `24:00` is allowed only where it
/// means the end of a day, and comes back as midnight.
pub fn parse_local_time(
    field: &str,
    text: &str,
    allow_end_of_day: bool,
) -> Result<jiff::civil::Time> {
    let bad = || Error::invalid(field, format!("“{text}” is not a time like 09:30"));
    if allow_end_of_day && text == "24:00" {
        return Ok(jiff::civil::Time::midnight());
    }
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let hour: i8 = h.parse().map_err(|_| bad())?;
    let minute: i8 = m.parse().map_err(|_| bad())?;
    jiff::civil::Time::new(hour, minute, 0, 0).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn garden_meeting() -> Meeting {
        Meeting {
            id: MeetingId::new(),
            project: Some(ProjectId::new()),
            organiser: PersonId::new(),
            title: Text::new("en-GB", "Garden planning"),
            description: None,
            format: MeetingFormat::InPerson,
            place: Some(Text::new("en-GB", "Elm Street community hall")),
            online_link: None,
            access: vec![AccessFeature::StepFree],
            access_notes: None,
            times: MeetingTimes::local("2025-10-14T10:00", 90, "Europe/London").unwrap(),
            status: MeetingStatus::scheduled(),
        }
    }

    fn field_of(err: Error) -> String {
        match err {
            Error::Invalid { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_meeting_that_ends_before_it_starts_is_refused() {
        let start = Timestamp::from_millis(1_760_000_000_000);
        let err = MeetingTimes::new(start, start.plus_minutes(-30), "Europe/London").unwrap_err();
        assert_eq!(field_of(err.clone()), "ends_at");
        assert!(
            err.to_string().contains("after the meeting starts"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_time_zone_is_refused_by_name() {
        let start = Timestamp::from_millis(1_760_000_000_000);
        let err = MeetingTimes::new(start, start.plus_minutes(60), "Europe/Atlantis").unwrap_err();
        assert!(err.to_string().contains("Europe/Atlantis"), "{err}");
        assert_eq!(field_of(err), "time_zone");
    }

    #[test]
    fn instants_beyond_any_calendar_are_refused_without_panicking() {
        let err = MeetingTimes::new(
            Timestamp::from_millis(i64::MIN),
            Timestamp::from_millis(i64::MAX),
            "Europe/London",
        )
        .unwrap_err();
        assert_eq!(field_of(err), "starts_at");
        let start = Timestamp::from_millis(1_760_000_000_000);
        let err =
            MeetingTimes::new(start, start.plus_minutes(8 * 24 * 60), "Europe/London").unwrap_err();
        assert!(err.to_string().contains("7 days"), "{err}");
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused() {
        let err = MeetingTimes::local("2025-03-30T01:30", 60, "Europe/London").unwrap_err();
        assert!(err.to_string().contains("clocks go forward"), "{err}");
    }

    #[test]
    fn a_local_start_is_kept_at_the_wall_clock_time_meant() {
        let times = MeetingTimes::local("2025-07-01T10:00", 60, "Europe/London").unwrap();
        // 10:00 BST is 09:00 UTC.
        assert_eq!(
            times.starts_at.to_jiff().to_string(),
            "2025-07-01T09:00:00Z"
        );
    }

    #[test]
    fn offsets_beyond_thirty_days_or_twice_are_refused() {
        let far = ReminderPreferences {
            offsets_minutes: vec![31 * 24 * 60],
            quiet_hours: None,
        };
        assert_eq!(field_of(far.validate().unwrap_err()), "offsets_minutes");
        let twice = ReminderPreferences {
            offsets_minutes: vec![60, 60],
            quiet_hours: None,
        };
        assert!(twice.validate().unwrap_err().to_string().contains("twice"));
        assert!(ReminderPreferences::default().validate().is_ok());
        let at_the_start = ReminderPreferences {
            offsets_minutes: vec![0, MAX_OFFSET_MINUTES],
            quiet_hours: None,
        };
        assert!(at_the_start.validate().is_ok());
    }

    #[test]
    fn malformed_quiet_hours_are_refused() {
        for (start, end) in [
            ("22", "07:00"),
            ("25:00", "07:00"),
            ("22:00", "7:00"),
            ("22:00", "22:00"),
        ] {
            let err = QuietHours::new(start, end).unwrap_err();
            assert!(field_of(err).starts_with("quiet_hours"), "{start}-{end}");
        }
        assert!(QuietHours::new("22:00", "07:00").is_ok());
    }

    #[test]
    fn an_unavailable_window_must_end_after_it_starts() {
        assert!(Unavailability::new(Weekday::Friday, "00:00", "24:00").is_ok());
        assert!(Unavailability::new(Weekday::Friday, "18:00", "09:00").is_err());
        assert!(Unavailability::new(Weekday::Friday, "24:00", "24:00").is_err());
    }

    #[test]
    fn preferences_default_to_a_day_and_an_hour_before() {
        let prefs: ReminderPreferences = serde_json::from_str("{}").unwrap();
        assert_eq!(prefs.offsets_minutes, vec![1440, 60]);
        assert_eq!(prefs.quiet_hours, None);
    }

    #[test]
    fn a_link_must_be_https() {
        let mut meeting = garden_meeting();
        meeting.online_link = Some("http://example.org/call".into());
        assert_eq!(field_of(meeting.validate().unwrap_err()), "online_link");
        meeting.online_link = Some("https://meet.example.org/garden".into());
        assert!(meeting.validate().is_ok());
    }

    #[test]
    fn moving_raises_the_sequence_and_a_cancelled_meeting_stays_cancelled() {
        let meeting = garden_meeting();
        let now = meeting.times.starts_at.plus_minutes(-24 * 60);
        let new_times = MeetingTimes::local("2025-10-15T10:00", 90, "Europe/London").unwrap();
        let moved = meeting.moved_to(new_times.clone(), now).unwrap();
        assert_eq!(moved.status.state, MeetingState::Moved);
        assert_eq!(moved.status.sequence, 1);
        let cancelled = moved.cancelled().unwrap();
        assert_eq!(cancelled.status.sequence, 2);
        assert!(matches!(
            cancelled.moved_to(new_times, now),
            Err(Error::Conflict { .. })
        ));
    }

    #[test]
    fn an_rsvp_after_the_start_is_refused() {
        let meeting = garden_meeting();
        assert!(
            meeting
                .check_rsvp_open(meeting.times.starts_at.plus_minutes(-1))
                .is_ok()
        );
        assert!(matches!(
            meeting.check_rsvp_open(meeting.times.starts_at),
            Err(Error::Conflict { .. })
        ));
    }

    #[test]
    fn a_meeting_round_trips_through_json() {
        let meeting = garden_meeting();
        let json = serde_json::to_string(&meeting).unwrap();
        assert!(json.contains("\"in_person\""), "{json}");
        assert_eq!(serde_json::from_str::<Meeting>(&json).unwrap(), meeting);
    }
}
