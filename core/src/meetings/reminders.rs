//! The reminder plan: from a person's meetings, the proposals waiting for
//! their vote and the actions they took on, the notifications their phone
//! schedules locally so they ring with no signal. The shell re-plans after
//! every sync, on foreground, after boot and after a time-zone change.

use super::meeting::{
    MAX_OFFSET_MINUTES, MAX_OFFSETS, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes,
    ReminderPreferences, Rsvp,
};
use crate::ids::{ActionId, MeetingId};
use crate::l10n::{self, FluentValue};
use crate::text::{Reading, Text};
use crate::time::{Day, Timestamp};
use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, ToSpan};
use serde::{Deserialize, Serialize};

/// iOS keeps 64 pending local notifications; a few are left for the shell.
pub const MAX_REMINDERS: usize = 60;
/// A proposal the person has not voted on is mentioned a day before it closes.
pub const PROPOSAL_OFFSET_MINUTES: u32 = 24 * 60;
/// An action is mentioned on the morning of the day it is due.
pub const ACTION_REMINDER_HOUR: i8 = 9;

/// Everything the plan is made from, for one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReminderInput {
    /// Their languages and easy-read preference.
    pub reader: Reading,
    /// Where they are now (IANA name). Reminders ring by this clock.
    pub time_zone: String,
    #[serde(default)]
    pub preferences: ReminderPreferences,
    #[serde(default)]
    pub meetings: Vec<MeetingToAttend>,
    #[serde(default)]
    pub proposals: Vec<ProposalClosing>,
    #[serde(default)]
    pub actions: Vec<ActionDue>,
}

/// A meeting of one of the person's projects, with their answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingToAttend {
    pub id: MeetingId,
    pub title: Text,
    pub format: MeetingFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    pub times: MeetingTimes,
    #[serde(default)]
    pub status: MeetingStatus,
    /// None: they have not answered yet, and are reminded like a "maybe".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsvp: Option<Rsvp>,
}

impl MeetingToAttend {
    pub fn from_meeting(meeting: &super::Meeting, rsvp: Option<Rsvp>) -> Self {
        MeetingToAttend {
            id: meeting.id.clone(),
            title: meeting.title.clone(),
            format: meeting.format,
            place: meeting.place.clone(),
            times: meeting.times.clone(),
            status: meeting.status,
            rsvp,
        }
    }
}

/// A proposal open to the person's vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalClosing {
    /// The proposal's id, as its deep link carries it.
    pub id: String,
    pub title: Text,
    pub closes_at: Timestamp,
    /// Someone who has voted is not nudged.
    #[serde(default)]
    pub has_voted: bool,
}

/// An action the person took on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDue {
    pub id: ActionId,
    pub what: Text,
    pub due: Day,
    #[serde(default)]
    pub done: bool,
}

/// What a reminder opens when tapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Action,
    Meeting,
    Proposal,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Action => "action",
            LinkKind::Meeting => "meeting",
            LinkKind::Proposal => "proposal",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeepLink {
    pub kind: LinkKind,
    pub id: String,
}

/// One local notification for the shell to schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// The same for the same thing and offset in every plan
    /// (`meeting:<id>:1440`), so scheduling a new plan replaces the old
    /// notification instead of adding a second one.
    pub id: String,
    pub fire_at: Timestamp,
    /// When the meeting starts, the vote closes, or the due day ends.
    pub event_at: Timestamp,
    pub title: String,
    pub body: String,
    pub link: DeepLink,
}

/// The person's reminders, soonest first (then by id), at most
/// [`MAX_REMINDERS`]. Each fires after `now` and no later than its event,
/// never in quiet hours. Data that should have been refused on the way in (an
/// unknown time zone, malformed quiet hours) is worked around, not fatal: a
/// person still gets their reminders.
pub fn plan_reminders(input: &ReminderInput, now: Timestamp) -> Vec<Reminder> {
    let clock = PersonClock::new(input);
    let offsets = usable_offsets(&input.preferences);
    let mut planned: Vec<Planned<'_>> = Vec::with_capacity(
        input.meetings.len() * offsets.len() + input.proposals.len() + input.actions.len(),
    );

    for meeting in &input.meetings {
        // A "maybe" is still reminded: it is often the nudge that helps.
        if meeting.status.is_cancelled() || meeting.rsvp == Some(Rsvp::NotGoing) {
            continue;
        }
        let event = meeting.times.starts_at;
        if event <= now {
            continue;
        }
        for &offset in &offsets {
            let ideal = clock.before(event, offset);
            if let Some(fire_at) = clock.placed(ideal, event, now) {
                planned.push(Planned {
                    fire_at,
                    event_at: event,
                    id: format!("meeting:{}:{offset}", meeting.id),
                    about: About::Meeting(meeting),
                });
            }
        }
    }

    for proposal in &input.proposals {
        if proposal.has_voted || proposal.closes_at <= now {
            continue;
        }
        let event = proposal.closes_at;
        let ideal = clock.before(event, PROPOSAL_OFFSET_MINUTES);
        if let Some(fire_at) = clock.placed(ideal, event, now) {
            planned.push(Planned {
                fire_at,
                event_at: event,
                id: format!("proposal:{}:{PROPOSAL_OFFSET_MINUTES}", proposal.id),
                about: About::Proposal(proposal),
            });
        }
    }

    for action in &input.actions {
        if action.done {
            continue;
        }
        let Some((morning, day_ends)) = clock.due_day(action.due) else {
            continue;
        };
        if let Some(fire_at) = clock.placed(Some(morning), day_ends, now) {
            planned.push(Planned {
                fire_at,
                event_at: day_ends,
                id: format!("action:{}:due", action.id),
                about: About::Action(action),
            });
        }
    }

    // Select first, then localise: formatting messages is the costly part,
    // and most candidates are cut by the limit.
    planned.sort_unstable_by(|a, b| a.fire_at.cmp(&b.fire_at).then_with(|| a.id.cmp(&b.id)));
    let mut kept: Vec<Planned<'_>> = Vec::with_capacity(MAX_REMINDERS);
    for candidate in planned {
        if kept.len() == MAX_REMINDERS {
            break;
        }
        // The same thing listed twice, or two offsets that quiet hours moved
        // onto the same minute, ring once.
        let duplicate = kept.iter().any(|k| {
            k.id == candidate.id
                || (k.fire_at == candidate.fire_at
                    && k.about.link_id() == candidate.about.link_id())
        });
        if !duplicate {
            kept.push(candidate);
        }
    }

    let words = Words {
        reader: &input.reader,
        tz: &clock.tz,
    };
    kept.into_iter().map(|p| words.reminder(p)).collect()
}

/// A reminder chosen but not yet put into words.
struct Planned<'a> {
    fire_at: Timestamp,
    event_at: Timestamp,
    id: String,
    about: About<'a>,
}

enum About<'a> {
    Meeting(&'a MeetingToAttend),
    Proposal(&'a ProposalClosing),
    Action(&'a ActionDue),
}

impl About<'_> {
    fn link_id(&self) -> (LinkKind, &str) {
        match self {
            About::Meeting(m) => (LinkKind::Meeting, m.id.as_str()),
            About::Proposal(p) => (LinkKind::Proposal, p.id.as_str()),
            About::Action(a) => (LinkKind::Action, a.id.as_str()),
        }
    }
}

fn usable_offsets(preferences: &ReminderPreferences) -> Vec<u32> {
    let mut offsets: Vec<u32> = Vec::with_capacity(MAX_OFFSETS);
    for &offset in &preferences.offsets_minutes {
        if offset <= MAX_OFFSET_MINUTES && !offsets.contains(&offset) && offsets.len() < MAX_OFFSETS
        {
            offsets.push(offset);
        }
    }
    offsets
}

/// The person's clock: their time zone, resolved once, and their quiet hours.
struct PersonClock {
    tz: TimeZone,
    quiet: Option<(Time, Time)>,
}

impl PersonClock {
    fn new(input: &ReminderInput) -> Self {
        let tz = TimeZone::get(&input.time_zone).unwrap_or_else(|_| {
            tracing::warn!("reminders: unknown time zone, planning in UTC");
            TimeZone::UTC
        });
        let quiet = input
            .preferences
            .quiet_hours
            .as_ref()
            .and_then(|q| match q.parse() {
                Ok(times) => Some(times),
                Err(_) => {
                    tracing::warn!("reminders: malformed quiet hours ignored");
                    None
                }
            });
        PersonClock { tz, quiet }
    }

    /// `offset` minutes before `event`. Whole days are counted on the
    /// person's wall clock ("a day before" is the same time the day before,
    /// 23 or 25 hours across a clock change); the rest is exact.
    fn before(&self, event: Timestamp, offset: u32) -> Option<jiff::Timestamp> {
        let days = offset / (24 * 60);
        let rest = offset % (24 * 60);
        let mut at = event.to_jiff();
        if days > 0 {
            let local = self.tz.to_datetime(at);
            let earlier = local.checked_sub(i64::from(days).days()).ok()?;
            at = self.tz.to_timestamp(earlier).ok()?;
        }
        at.checked_sub(SignedDuration::from_mins(i64::from(rest)))
            .ok()
    }

    /// 09:00 on the due day, and the end of that day, by the person's clock.
    fn due_day(&self, due: Day) -> Option<(jiff::Timestamp, Timestamp)> {
        let morning = self
            .tz
            .to_timestamp(due.0.at(ACTION_REMINDER_HOUR, 0, 0, 0))
            .ok()?;
        let next = due.0.tomorrow().ok()?;
        let day_ends = self.tz.to_timestamp(next.at(0, 0, 0, 0)).ok()?;
        Some((morning, Timestamp::from_jiff(day_ends)))
    }

    fn is_quiet(&self, at: jiff::Timestamp) -> bool {
        let Some((start, end)) = self.quiet else {
            return false;
        };
        let t = self.tz.to_datetime(at).time();
        if start < end {
            start <= t && t < end
        } else {
            t >= start || t < end
        }
    }

    /// When the reminder can ring: `ideal`, or if that is in quiet hours,
    /// just before they began, so it rings the evening before rather than
    /// waking anyone or arriving late. None when that is not after `now` or
    /// would be after the event.
    fn placed(
        &self,
        ideal: Option<jiff::Timestamp>,
        event: Timestamp,
        now: Timestamp,
    ) -> Option<Timestamp> {
        let mut at = ideal?;
        let mut rings = None;
        // Two steps settle every real case; the third covers quiet hours
        // that start inside a spring-forward gap.
        for _ in 0..3 {
            if !self.is_quiet(at) {
                rings = Some(at);
                break;
            }
            let (start, _) = self.quiet?;
            let local = self.tz.to_datetime(at);
            let began_on = if local.time() >= start {
                local.date()
            } else {
                local.date().yesterday().ok()?
            };
            let began = self.tz.to_timestamp(began_on.to_datetime(start)).ok()?;
            let just_before = began.checked_sub(SignedDuration::from_mins(1)).ok()?;
            at = if just_before < at {
                just_before
            } else {
                at.checked_sub(SignedDuration::from_hours(1)).ok()?
            };
        }
        let rings = Timestamp::from_jiff(rings?);
        (rings > now && rings <= event).then_some(rings)
    }
}

/// Puts chosen reminders into the person's words and clock.
struct Words<'a> {
    reader: &'a Reading,
    tz: &'a TimeZone,
}

impl Words<'_> {
    fn say(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        l10n::message(self.reader, id, args)
    }

    fn reminder(&self, planned: Planned<'_>) -> Reminder {
        let (kind, entity) = planned.about.link_id();
        let link = DeepLink {
            kind,
            id: entity.to_string(),
        };
        let (title, body) = match planned.about {
            About::Meeting(meeting) => self.meeting(meeting, planned.fire_at),
            About::Proposal(proposal) => {
                let name = proposal.title.for_reader(self.reader).text;
                let when = self.when(proposal.closes_at, planned.fire_at);
                (
                    self.say("reminder-proposal-title", &[("title", name.into())]),
                    self.say("reminder-proposal-body", &[("when", when.into())]),
                )
            }
            About::Action(action) => {
                let what = action.what.for_reader(self.reader).text;
                let when = self.day(action.due.0, planned.fire_at);
                (
                    self.say("reminder-action-title", &[("title", what.into())]),
                    self.say("reminder-action-body", &[("when", when.into())]),
                )
            }
        };
        Reminder {
            id: planned.id,
            fire_at: planned.fire_at,
            event_at: planned.event_at,
            title,
            body,
            link,
        }
    }

    fn meeting(&self, meeting: &MeetingToAttend, fire_at: Timestamp) -> (String, String) {
        let name = meeting.title.for_reader(self.reader).text;
        let title_id = if meeting.status.state == MeetingState::Moved {
            "reminder-meeting-moved-title"
        } else {
            "reminder-meeting-title"
        };
        let title = self.say(title_id, &[("title", name.into())]);
        let when = self.when(meeting.times.starts_at, fire_at);
        let body = match (&meeting.place, meeting.format) {
            (Some(place), _) => {
                let place = place.for_reader(self.reader).text;
                self.say(
                    "reminder-meeting-body",
                    &[("when", when.into()), ("place", place.into())],
                )
            }
            (None, format) if format.can_join_online() => {
                self.say("reminder-meeting-body-online", &[("when", when.into())])
            }
            (None, _) => self.say("reminder-meeting-body-no-place", &[("when", when.into())]),
        };
        (title, body)
    }

    /// The event's time on the person's clock, said relative to the moment
    /// the reminder rings ("tomorrow at 10:00"), which is when it is read.
    fn when(&self, event: Timestamp, fire_at: Timestamp) -> String {
        let local = self.tz.to_datetime(event.to_jiff());
        let rings_on = self.tz.to_datetime(fire_at.to_jiff()).date();
        let time = format!("{:02}:{:02}", local.hour(), local.minute());
        if local.date() == rings_on {
            self.say("when-today", &[("time", time.into())])
        } else if rings_on.tomorrow().ok() == Some(local.date()) {
            self.say("when-tomorrow", &[("time", time.into())])
        } else {
            let (weekday, day, month) = self.date_parts(local.date());
            self.say(
                "when-date",
                &[
                    ("weekday", weekday.into()),
                    ("day", day.into()),
                    ("month", month.into()),
                    ("time", time.into()),
                ],
            )
        }
    }

    /// A day, said relative to the moment the reminder rings.
    fn day(&self, date: jiff::civil::Date, fire_at: Timestamp) -> String {
        let rings_on = self.tz.to_datetime(fire_at.to_jiff()).date();
        if date == rings_on {
            self.say("day-today", &[])
        } else if rings_on.tomorrow().ok() == Some(date) {
            self.say("day-tomorrow", &[])
        } else {
            let (weekday, day, month) = self.date_parts(date);
            self.say(
                "day-date",
                &[
                    ("weekday", weekday.into()),
                    ("day", day.into()),
                    ("month", month.into()),
                ],
            )
        }
    }

    fn date_parts(&self, date: jiff::civil::Date) -> (String, String, String) {
        let weekday = self.say(
            &format!("weekday-{}", date.weekday().to_monday_one_offset()),
            &[],
        );
        let month = self.say(&format!("month-{}", date.month()), &[]);
        (weekday, date.day().to_string(), month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::meeting::QuietHours;
    use proptest::prelude::*;

    const LONDON: &str = "Europe/London";

    /// An instant from a wall-clock time in a zone.
    fn at(local: &str, zone: &str) -> Timestamp {
        let tz = TimeZone::get(zone).unwrap();
        Timestamp::from_jiff(tz.to_timestamp(local.parse().unwrap()).unwrap())
    }

    /// The wall-clock time of an instant in a zone.
    fn wall(ts: Timestamp, zone: &str) -> String {
        let tz = TimeZone::get(zone).unwrap();
        tz.to_datetime(ts.to_jiff())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }

    fn english(easy_read: bool) -> Reading {
        Reading {
            languages: vec!["en-GB".into()],
            easy_read,
        }
    }

    fn meeting(title: &str, local_start: &str, zone: &str) -> MeetingToAttend {
        MeetingToAttend {
            id: MeetingId::new(),
            title: Text::new("en-GB", title),
            format: MeetingFormat::InPerson,
            place: Some(Text::new("en-GB", "Elm Street community hall")),
            times: MeetingTimes::local(local_start, 90, zone).unwrap(),
            status: MeetingStatus::scheduled(),
            rsvp: Some(Rsvp::Going),
        }
    }

    fn person(zone: &str, quiet: Option<(&str, &str)>) -> ReminderInput {
        ReminderInput {
            reader: english(false),
            time_zone: zone.into(),
            preferences: ReminderPreferences {
                offsets_minutes: vec![1440, 60],
                quiet_hours: quiet.map(|(s, e)| QuietHours::new(s, e).unwrap()),
            },
            meetings: vec![],
            proposals: vec![],
            actions: vec![],
        }
    }

    fn fire_times(plan: &[Reminder], zone: &str) -> Vec<String> {
        plan.iter().map(|r| wall(r.fire_at, zone)).collect()
    }

    #[test]
    fn a_day_and_an_hour_before_by_default() {
        let mut sam = person(LONDON, None);
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(
            fire_times(&plan, LONDON),
            ["2025-10-13 10:00", "2025-10-14 09:00"]
        );
        assert_eq!(plan[0].title, "Meeting: Garden planning");
        assert_eq!(
            plan[0].body,
            "Starts tomorrow at 10:00. Place: Elm Street community hall"
        );
        assert_eq!(
            plan[1].body,
            "Starts today at 10:00. Place: Elm Street community hall"
        );
        assert_eq!(plan[0].link.kind, LinkKind::Meeting);
        assert_eq!(plan[0].link.id, sam.meetings[0].id.as_str());
        assert_eq!(plan[0].id, format!("meeting:{}:1440", sam.meetings[0].id));
    }

    #[test]
    fn a_persons_own_offsets_replace_the_defaults() {
        let mut jo = person(LONDON, None);
        jo.preferences.offsets_minutes = vec![2 * 1440, 30];
        jo.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let plan = plan_reminders(&jo, at("2025-10-01T12:00", LONDON));
        assert_eq!(
            fire_times(&plan, LONDON),
            ["2025-10-12 10:00", "2025-10-14 09:30"]
        );
        assert_eq!(
            plan[0].body,
            "Starts Tuesday 14 October, 10:00. Place: Elm Street community hall"
        );
    }

    #[test]
    fn a_reminder_never_rings_in_quiet_hours() {
        // Quiet from ten at night to eight in the morning; the meeting is at
        // half past eight, so "an hour before" would be 07:30.
        let mut sam = person(LONDON, Some(("22:00", "08:00")));
        sam.meetings
            .push(meeting("Breakfast club", "2025-10-14T08:30", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(
            fire_times(&plan, LONDON),
            ["2025-10-13 08:30", "2025-10-13 21:59"],
            "the hour-before reminder moves to just before quiet hours, never later"
        );
        assert_eq!(
            plan[1].body,
            "Starts tomorrow at 08:30. Place: Elm Street community hall"
        );
        for reminder in &plan {
            let time = wall(reminder.fire_at, LONDON);
            let hhmm = &time[11..];
            assert!(
                ("08:00".."22:00").contains(&hhmm),
                "{time} is in quiet hours"
            );
        }
    }

    #[test]
    fn quiet_hours_within_a_day_are_respected_too() {
        // A nap after lunch: 13:00 to 15:00.
        let mut ash = person(LONDON, Some(("13:00", "15:00")));
        ash.preferences.offsets_minutes = vec![60];
        ash.meetings
            .push(meeting("Art group", "2025-10-14T15:30", LONDON));
        let plan = plan_reminders(&ash, at("2025-10-01T12:00", LONDON));
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-14 12:59"]);
    }

    #[test]
    fn a_reminder_that_cannot_ring_before_quiet_hours_is_dropped() {
        // It is already 23:00, inside quiet hours; the meeting is at 07:30.
        let mut sam = person(LONDON, Some(("22:00", "08:00")));
        sam.meetings
            .push(meeting("Early walk", "2025-10-14T07:30", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-13T23:00", LONDON));
        assert!(plan.is_empty(), "{plan:?}");
    }

    #[test]
    fn no_reminder_is_in_the_past() {
        let mut sam = person(LONDON, None);
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        sam.meetings
            .push(meeting("Last week's meeting", "2025-10-07T10:00", LONDON));
        // Half an hour before: both reminders for today's meeting have passed.
        let plan = plan_reminders(&sam, at("2025-10-14T09:30", LONDON));
        assert!(plan.is_empty(), "{plan:?}");
        let plan = plan_reminders(&sam, at("2025-10-13T18:00", LONDON));
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-14 09:00"]);
    }

    #[test]
    fn the_hour_before_reminder_survives_the_october_clock_change() {
        // The clocks go back at 02:00 BST on 26 October 2025, so 01:00 to
        // 02:00 happens twice. A night-shift handover at 02:30 GMT: an hour
        // before is the second 01:30, not the first (which is two hours
        // before). Staff on nights keep no quiet hours.
        let mut kim = person(LONDON, None);
        kim.preferences.offsets_minutes = vec![60];
        kim.meetings
            .push(meeting("Night shift handover", "2025-10-26T02:30", LONDON));
        let plan = plan_reminders(&kim, at("2025-10-25T12:00", LONDON));
        assert_eq!(plan.len(), 1);
        let starts = kim.meetings[0].times.starts_at;
        assert_eq!(starts.millis() - plan[0].fire_at.millis(), 60 * 60_000);
        assert_eq!(
            plan[0].fire_at.to_jiff().to_string(),
            "2025-10-26T01:30:00Z"
        );
        assert_eq!(
            plan[0].body,
            "Starts today at 02:30. Place: Elm Street community hall"
        );
    }

    #[test]
    fn the_day_before_reminder_keeps_the_local_time_across_the_october_change() {
        let mut sam = person(LONDON, Some(("22:00", "07:00")));
        sam.meetings
            .push(meeting("Sunday lunch club", "2025-10-26T10:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-20T12:00", LONDON));
        assert_eq!(
            fire_times(&plan, LONDON),
            ["2025-10-25 10:00", "2025-10-26 09:00"]
        );
        let starts = sam.meetings[0].times.starts_at;
        assert_eq!(starts.millis() - plan[0].fire_at.millis(), 25 * 3_600_000);
    }

    #[test]
    fn the_day_before_reminder_keeps_the_local_time_across_the_march_change() {
        // The clocks go forward at 01:00 GMT on 30 March 2025: "the day
        // before" a 10:00 meeting is 10:00 on Saturday, 23 hours earlier.
        let mut sam = person(LONDON, Some(("22:00", "07:00")));
        sam.meetings
            .push(meeting("Spring planting", "2025-03-30T10:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-03-20T12:00", LONDON));
        assert_eq!(
            fire_times(&plan, LONDON),
            ["2025-03-29 10:00", "2025-03-30 09:00"]
        );
        let starts = sam.meetings[0].times.starts_at;
        assert_eq!(starts.millis() - plan[0].fire_at.millis(), 23 * 3_600_000);
        assert_eq!(
            plan[0].fire_at.to_jiff().to_string(),
            "2025-03-29T10:00:00Z"
        );
    }

    #[test]
    fn a_cancelled_meeting_takes_its_reminders_away() {
        let mut sam = person(LONDON, None);
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        sam.meetings
            .push(meeting("Art group", "2025-10-15T14:00", LONDON));
        let now = at("2025-10-01T12:00", LONDON);
        let before = plan_reminders(&sam, now);
        assert_eq!(before.len(), 4);
        sam.meetings[0].status = sam.meetings[0].status.cancelled().unwrap();
        let after = plan_reminders(&sam, now);
        assert_eq!(after.len(), 2);
        assert!(
            after
                .iter()
                .all(|r| r.link.id == sam.meetings[1].id.as_str())
        );
        // The shell cancels what is no longer planned, by id.
        let gone: Vec<_> = before
            .iter()
            .filter(|r| !after.iter().any(|a| a.id == r.id))
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(gone.len(), 2);
        assert!(
            gone.iter()
                .all(|id| id.contains(sam.meetings[0].id.as_str()))
        );
    }

    #[test]
    fn saying_not_going_removes_the_reminders() {
        let mut jo = person(LONDON, None);
        jo.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let now = at("2025-10-01T12:00", LONDON);
        jo.meetings[0].rsvp = Some(Rsvp::NotGoing);
        assert!(plan_reminders(&jo, now).is_empty());
        // "Maybe", or no answer yet, still gets them.
        jo.meetings[0].rsvp = Some(Rsvp::Maybe);
        assert_eq!(plan_reminders(&jo, now).len(), 2);
        jo.meetings[0].rsvp = None;
        assert_eq!(plan_reminders(&jo, now).len(), 2);
    }

    #[test]
    fn a_moved_meeting_is_reminded_at_its_new_time_under_the_same_ids() {
        let mut sam = person(LONDON, None);
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let now = at("2025-10-01T12:00", LONDON);
        let before = plan_reminders(&sam, now);
        sam.meetings[0].times = MeetingTimes::local("2025-10-16T14:00", 60, LONDON).unwrap();
        sam.meetings[0].status = sam.meetings[0].status.moved().unwrap();
        let after = plan_reminders(&sam, now);
        assert_eq!(
            fire_times(&after, LONDON),
            ["2025-10-15 14:00", "2025-10-16 13:00"]
        );
        assert_eq!(
            before.iter().map(|r| &r.id).collect::<Vec<_>>(),
            after.iter().map(|r| &r.id).collect::<Vec<_>>(),
            "the shell replaces the old notifications"
        );
        assert_eq!(after[0].title, "New time for meeting: Garden planning");
    }

    #[test]
    fn a_person_travelling_gets_reminders_in_their_new_time_zone() {
        // A London meeting at 12:00 is 07:00 in New York. At home the hour
        // before is 11:00; away it would be 06:00 New York time, inside the
        // person's quiet hours there, so it rings the evening before, and the
        // times read are New York's.
        let mut sam = person(LONDON, Some(("22:00", "07:00")));
        sam.meetings
            .push(meeting("Garden planning", "2025-10-09T12:00", LONDON));
        let now = at("2025-10-01T12:00", LONDON);
        let at_home = plan_reminders(&sam, now);
        assert_eq!(
            fire_times(&at_home, LONDON),
            ["2025-10-08 12:00", "2025-10-09 11:00"]
        );

        let new_york = "America/New_York";
        sam.time_zone = new_york.into();
        let away = plan_reminders(&sam, now);
        assert_eq!(
            fire_times(&away, new_york),
            ["2025-10-08 07:00", "2025-10-08 21:59"]
        );
        assert_eq!(
            away[1].body,
            "Starts tomorrow at 07:00. Place: Elm Street community hall"
        );
        assert_eq!(away[0].id, at_home[0].id);
    }

    #[test]
    fn reminders_are_in_the_readers_language_and_easy_read() {
        let mut kasia = person(LONDON, None);
        let mut garden = meeting("Garden planning", "2025-10-14T10:00", LONDON);
        garden.title = Text::new("en-GB", "Garden planning")
            .with_easy_read("We plan the garden")
            .with_translation("pl", "Planowanie ogrodu", None)
            .with_translation("ur", "باغ کی منصوبہ بندی", None);
        kasia.meetings.push(garden);
        let now = at("2025-10-01T12:00", LONDON);

        kasia.reader = Reading {
            languages: vec!["pl".into()],
            easy_read: false,
        };
        let polish = plan_reminders(&kasia, now);
        assert_eq!(polish[0].title, "Spotkanie: Planowanie ogrodu");
        assert_eq!(
            polish[0].body,
            "Początek: jutro o 10:00. Miejsce: Elm Street community hall"
        );

        kasia.reader = english(true);
        let easy = plan_reminders(&kasia, now);
        assert_eq!(easy[0].title, "You have a meeting: We plan the garden");
        assert_eq!(
            easy[0].body,
            "It starts tomorrow at 10:00. Go to: Elm Street community hall"
        );

        kasia.reader = Reading {
            languages: vec!["ur".into()],
            easy_read: true,
        };
        let urdu = plan_reminders(&kasia, now);
        assert!(
            urdu[0].title.contains("باغ کی منصوبہ بندی"),
            "{}",
            urdu[0].title
        );
        assert!(
            urdu[0].title.contains("آپ کی ایک میٹنگ ہے"),
            "{}",
            urdu[0].title
        );
        assert!(urdu[0].body.contains("کل"), "{}", urdu[0].body);
    }

    #[test]
    fn an_online_meeting_says_how_to_join() {
        let mut sam = person(LONDON, None);
        let mut call = meeting("Catch-up call", "2025-10-14T10:00", LONDON);
        call.format = MeetingFormat::Online;
        call.place = None;
        sam.meetings.push(call);
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(
            plan[0].body,
            "Starts tomorrow at 10:00. Online: open Equally to join."
        );
    }

    #[test]
    fn a_proposal_not_yet_voted_on_is_mentioned_a_day_before_it_closes() {
        let mut sam = person(LONDON, Some(("22:00", "07:00")));
        sam.proposals.push(ProposalClosing {
            id: "0199c1a0-0000-7000-8000-000000000001".into(),
            title: Text::new("en-GB", "Paint the shed green"),
            closes_at: at("2025-10-14T18:00", LONDON),
            has_voted: false,
        });
        let now = at("2025-10-01T12:00", LONDON);
        let plan = plan_reminders(&sam, now);
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-13 18:00"]);
        assert_eq!(plan[0].title, "Vote closing soon: Paint the shed green");
        assert_eq!(
            plan[0].body,
            "Voting closes tomorrow at 18:00. Your vote counts the same as everyone's."
        );
        assert_eq!(plan[0].link.kind, LinkKind::Proposal);
        sam.proposals[0].has_voted = true;
        assert!(plan_reminders(&sam, now).is_empty());
    }

    #[test]
    fn an_action_is_mentioned_at_nine_on_the_day_it_is_due() {
        let mut jo = person(LONDON, Some(("22:00", "07:00")));
        jo.actions.push(ActionDue {
            id: ActionId::new(),
            what: Text::new("en-GB", "Buy seeds"),
            due: Day::parse("due", "2025-10-14").unwrap(),
            done: false,
        });
        let now = at("2025-10-01T12:00", LONDON);
        let plan = plan_reminders(&jo, now);
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-14 09:00"]);
        assert_eq!(plan[0].title, "Action due: Buy seeds");
        assert_eq!(
            plan[0].body,
            "Due today. If it can't be done, \"not today\" is an answer too."
        );
        // A late riser: nine o'clock is quiet, so it comes the evening before.
        jo.preferences.quiet_hours = Some(QuietHours::new("22:00", "10:00").unwrap());
        let plan = plan_reminders(&jo, now);
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-13 21:59"]);
        assert!(
            plan[0].body.starts_with("Due tomorrow."),
            "{}",
            plan[0].body
        );
        jo.actions[0].done = true;
        assert!(plan_reminders(&jo, now).is_empty());
    }

    #[test]
    fn only_the_sixty_soonest_are_kept() {
        let mut busy = person(LONDON, None);
        busy.preferences.offsets_minutes = vec![60];
        let first = jiff::civil::date(2025, 11, 1);
        for day in 0..100 {
            let date = first.checked_add(jiff::Span::new().days(day)).unwrap();
            busy.meetings.push(meeting(
                &format!("Meeting {day}"),
                &format!("{date}T10:00"),
                LONDON,
            ));
        }
        // Loaded latest first, to show the order does not matter.
        busy.meetings.reverse();
        let plan = plan_reminders(&busy, at("2025-10-31T12:00", LONDON));
        assert_eq!(plan.len(), MAX_REMINDERS);
        assert_eq!(plan[0].title, "Meeting: Meeting 0");
        assert_eq!(plan[59].title, "Meeting: Meeting 59");
        assert!(plan.windows(2).all(|w| w[0].fire_at <= w[1].fire_at));
    }

    #[test]
    fn offsets_landing_on_the_same_minute_ring_once() {
        // Both 07:00 and 06:00 are quiet, so both would move to 21:59.
        let mut sam = person(LONDON, Some(("22:00", "08:00")));
        sam.preferences.offsets_minutes = vec![60, 120];
        sam.meetings
            .push(meeting("Early walk", "2025-10-14T08:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(fire_times(&plan, LONDON), ["2025-10-13 21:59"]);
    }

    #[test]
    fn nonsense_instants_are_skipped_without_panicking() {
        let mut sam = person(LONDON, Some(("22:00", "07:00")));
        let mut broken = meeting("Broken", "2025-10-14T10:00", LONDON);
        broken.times.starts_at = Timestamp::from_millis(i64::MAX);
        sam.meetings.push(broken);
        sam.proposals.push(ProposalClosing {
            id: "p".into(),
            title: Text::new("en-GB", "Broken too"),
            closes_at: Timestamp::from_millis(i64::MAX),
            has_voted: false,
        });
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(plan.len(), 2);
    }

    #[test]
    fn an_unknown_time_zone_still_gets_reminders() {
        let mut sam = person("Mars/Olympus_Mons", None);
        sam.meetings
            .push(meeting("Garden planning", "2025-10-14T10:00", LONDON));
        let plan = plan_reminders(&sam, at("2025-10-01T12:00", LONDON));
        assert_eq!(plan.len(), 2);
    }

    const ZONES: [&str; 4] = [LONDON, "America/New_York", "Asia/Karachi", "Europe/Warsaw"];

    fn arb_meeting(now: Timestamp) -> impl Strategy<Value = MeetingToAttend> {
        (
            -3 * 1440i64..70 * 1440,
            prop_oneof![
                Just(None),
                Just(Some(Rsvp::Going)),
                Just(Some(Rsvp::Maybe)),
                Just(Some(Rsvp::NotGoing))
            ],
            prop_oneof![
                3 => Just(MeetingState::Scheduled),
                1 => Just(MeetingState::Moved),
                1 => Just(MeetingState::Cancelled)
            ],
            0..ZONES.len(),
            any::<u128>(),
        )
            .prop_map(move |(minutes, rsvp, state, zone, id)| {
                let starts_at = now.plus_minutes(minutes);
                MeetingToAttend {
                    id: MeetingId::parse(&uuid::Uuid::from_u128(id).to_string()).unwrap(),
                    title: Text::new("en-GB", "A meeting"),
                    format: MeetingFormat::Hybrid,
                    place: None,
                    times: MeetingTimes {
                        starts_at,
                        ends_at: starts_at.plus_minutes(60),
                        time_zone: ZONES[zone].into(),
                    },
                    status: MeetingStatus { state, sequence: 1 },
                    rsvp,
                }
            })
    }

    fn arb_case() -> impl Strategy<Value = (ReminderInput, Vec<MeetingToAttend>, Timestamp)> {
        // Any moment in 2025, so the March and October changes come up.
        (1_735_689_600_000i64..1_767_225_600_000).prop_flat_map(|now_ms| {
            let now = Timestamp::from_millis(now_ms);
            (
                proptest::collection::vec(arb_meeting(now), 0..120),
                proptest::sample::subsequence(vec![0u32, 30, 60, 180, 1440, 2 * 1440, 1500], 0..=4),
                prop_oneof![
                    Just(None),
                    Just(Some(("22:00", "07:00"))),
                    Just(Some(("13:00", "14:30"))),
                    Just(Some(("00:30", "06:00")))
                ],
                0..ZONES.len(),
            )
                .prop_flat_map(move |(meetings, offsets, quiet, zone)| {
                    let mut input = person(ZONES[zone], quiet);
                    input.preferences.offsets_minutes = offsets;
                    input.meetings = meetings.clone();
                    (Just(input), Just(meetings).prop_shuffle(), Just(now))
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn every_reminder_rings_after_now_and_no_later_than_its_event((input, _, now) in arb_case()) {
            let plan = plan_reminders(&input, now);
            for r in &plan {
                prop_assert!(r.fire_at > now, "{} rings before now", r.id);
                prop_assert!(r.fire_at <= r.event_at, "{} rings after its event", r.id);
                let meeting = input.meetings.iter().find(|m| m.id.as_str() == r.link.id).unwrap();
                prop_assert_eq!(r.event_at, meeting.times.starts_at);
                prop_assert!(!meeting.status.is_cancelled());
                prop_assert!(meeting.rsvp != Some(Rsvp::NotGoing));
            }
        }

        #[test]
        fn no_reminder_rings_in_quiet_hours((input, _, now) in arb_case()) {
            let plan = plan_reminders(&input, now);
            if let Some(quiet) = &input.preferences.quiet_hours {
                let (start, end) = quiet.parse().unwrap();
                let tz = TimeZone::get(&input.time_zone).unwrap();
                for r in &plan {
                    let t = tz.to_datetime(r.fire_at.to_jiff()).time();
                    let quiet = if start < end { start <= t && t < end } else { t >= start || t < end };
                    prop_assert!(!quiet, "{} rings at {} in quiet hours", r.id, t);
                }
            }
        }

        #[test]
        fn the_plan_is_the_same_whatever_order_meetings_are_loaded_in((input, shuffled, now) in arb_case()) {
            let mut reordered = input.clone();
            reordered.meetings = shuffled;
            prop_assert_eq!(plan_reminders(&input, now), plan_reminders(&reordered, now));
        }

        #[test]
        fn at_most_sixty_with_unique_ids_in_order((input, _, now) in arb_case()) {
            let plan = plan_reminders(&input, now);
            prop_assert!(plan.len() <= MAX_REMINDERS);
            let mut ids: Vec<&str> = plan.iter().map(|r| r.id.as_str()).collect();
            prop_assert!(plan.windows(2).all(|w| (w[0].fire_at, &w[0].id) < (w[1].fire_at, &w[1].id)));
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), plan.len());
        }
    }
}
