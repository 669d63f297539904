//! The meeting screens: a meeting with its agenda, answers, attendance and
//! access concerns; my meetings; the reminder plan; the calendar files;
//! and the notices the home screen shows about meetings.

use super::access::MemberAccess;
use super::ical;
use super::meeting::{AccessFeature, MeetingFormat, MeetingState, Rsvp};
use super::reminders::{
    ActionDue, MeetingToAttend, ProposalClosing, Reminder, ReminderInput, plan_reminders,
};
use super::store::{
    AgendaItem, Attendance, AttendanceMethod, MeetingRecord, MeetingRsvp, may_run, places,
};
use super::words::{when_text, zone_or_utc};
use crate::Equally;
use crate::actions::{Action, ActionView, action_view};
use crate::error::{Error, Result};
use crate::home::{Waiting, WaitingKind};
use crate::ids::{AgendaItemId, MeetingId, PersonId, ProjectId};
use crate::l10n;
use crate::people::Person;
use crate::rules::Entity as _;
use crate::store::Reader;
use crate::text::{Reading, ShownText};
use crate::time::Timestamp;
use jiff::tz::TimeZone;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaItemView {
    pub id: AgendaItemId,
    pub text: ShownText,
    pub added_by: PersonId,
    pub added_by_name: String,
    pub mine: bool,
}

/// Something the organiser may want to change so a member can take part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessConcernView {
    pub person_id: PersonId,
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendanceView {
    pub person_id: PersonId,
    pub name: String,
    pub present: bool,
    pub how: AttendanceMethod,
}

/// A person's answer and, when the meeting is full, their place in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MyAnswer {
    pub answer: Rsvp,
    /// 1 for the next to get a place; None when they have one (or are not
    /// going).
    pub waiting_position: Option<u32>,
}

/// The meeting screen, for one reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingView {
    pub id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub organiser_id: PersonId,
    pub organiser_name: String,
    pub title: ShownText,
    pub description: Option<ShownText>,
    pub format: MeetingFormat,
    pub place: Option<ShownText>,
    pub online_link: Option<String>,
    pub access: Vec<AccessFeature>,
    /// The ticked access features in the reader's words.
    pub access_labels: Vec<String>,
    pub access_notes: Option<ShownText>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// The zone the meeting was set in.
    pub time_zone: String,
    /// When, on the reader's own clock, in their words.
    pub when: String,
    pub state: MeetingState,
    pub sequence: u32,
    pub capacity: Option<u32>,
    /// People going who have a place.
    pub going: u32,
    pub maybe: u32,
    pub not_going: u32,
    /// People going who wait for a place.
    pub waiting: u32,
    pub my_answer: Option<MyAnswer>,
    pub answers_open: bool,
    /// A move, cancellation or new place the reader said going or maybe to
    /// and has not yet seen, in their words.
    pub change_notice: Option<String>,
    pub agenda: Vec<AgendaItemView>,
    pub minutes: Option<ShownText>,
    pub actions: Vec<ActionView>,
    /// Whether the reader may change the meeting, mark who came and write
    /// minutes.
    pub can_run: bool,
    /// The code to show at the meeting: for those who may run it (the
    /// organiser at any time, other members from when it starts to work).
    pub check_in_code: Option<String>,
    /// Who came; for those who may run the meeting.
    pub attendance: Vec<AttendanceView>,
    pub i_came: bool,
    /// For the organiser only: members whose needs the meeting does not
    /// meet, or who said they can't do its time.
    pub access_concerns: Vec<AccessConcernView>,
}

/// One line in "my meetings".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub title: ShownText,
    pub when: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub state: MeetingState,
    pub my_answer: Option<MyAnswer>,
    pub has_change_notice: bool,
}

/// A meeting the reader may see: one of their projects', or the whole
/// organisation's. Others are "not found", so as not to say they exist.
fn visible_meeting(r: &Reader<'_>, reader: &PersonId, id: &MeetingId) -> Result<MeetingRecord> {
    let m: MeetingRecord = r
        .get(id.as_str())?
        .ok_or_else(|| Error::not_found("meeting", id))?;
    match &m.project_id {
        Some(p) if !r.facts().is_member(p, reader)? => Err(Error::not_found("meeting", id)),
        _ => Ok(m),
    }
}

/// Everyone's answers to one meeting, and who has a place.
pub(crate) struct Answers {
    pub(crate) rsvps: Vec<MeetingRsvp>,
    pub(crate) placed: Vec<PersonId>,
    pub(crate) waiting: Vec<PersonId>,
}

impl Answers {
    pub(crate) fn read(conn: &rusqlite::Connection, meeting: &MeetingRecord) -> Result<Answers> {
        let info = crate::store::record::table_info(conn, MeetingRsvp::TABLE)?;
        let rsvps: Vec<MeetingRsvp> = crate::store::record::select(
            conn,
            &info,
            "WHERE meeting_id = ?1",
            [meeting.id.as_str()],
            |f| Ok(crate::rules::decode(f)?),
        )?;
        let going = rsvps
            .iter()
            .filter_map(|r| r.going_since.map(|t| (t, r.person_id.clone())))
            .collect();
        let (placed, waiting) = places(meeting.capacity, going);
        Ok(Answers {
            rsvps,
            placed,
            waiting,
        })
    }

    /// Only who has a place and who waits, without reading every answer in
    /// full: for the reminder plan and the home screen.
    pub(crate) fn places_only(
        conn: &rusqlite::Connection,
        meeting: &MeetingRecord,
    ) -> Result<Answers> {
        let mut going = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT going_since, person_id FROM meeting_rsvps
             WHERE meeting_id = ?1 AND going_since IS NOT NULL",
        )?;
        let mut rows = stmt.query([meeting.id.as_str()])?;
        while let Some(row) = rows.next()? {
            let person: String = row.get(1)?;
            going.push((
                Timestamp::from_millis(row.get(0)?),
                PersonId::parse(&person)?,
            ));
        }
        let (placed, waiting) = places(meeting.capacity, going);
        Ok(Answers {
            rsvps: Vec::new(),
            placed,
            waiting,
        })
    }

    pub(crate) fn count(&self, answer: Rsvp) -> u32 {
        self.rsvps.iter().filter(|r| r.answer == answer).count() as u32
    }

    pub(crate) fn position(&self, person: &PersonId) -> Option<u32> {
        self.waiting
            .iter()
            .position(|p| p == person)
            .map(|i| i as u32 + 1)
    }

    pub(crate) fn of(&self, person: &PersonId) -> Option<MyAnswer> {
        self.rsvps
            .iter()
            .find(|r| &r.person_id == person)
            .map(|r| MyAnswer {
                answer: r.answer,
                waiting_position: self.position(person),
            })
    }
}

/// Whether a person who said going or maybe has a change to be told of.
fn has_notice(rsvp: &MeetingRsvp, meeting: &MeetingRecord) -> bool {
    matches!(rsvp.answer, Rsvp::Going | Rsvp::Maybe) && rsvp.seen_sequence < meeting.notice_sequence
}

fn notice_text(meeting: &MeetingRecord, prefs: &Reading, tz: &TimeZone) -> String {
    let title = meeting.title.for_reader(prefs).text;
    match meeting.state {
        MeetingState::Cancelled => l10n::message(
            prefs,
            "home-waiting-meeting-cancelled",
            &[("title", title.into())],
        ),
        MeetingState::Moved => l10n::message(
            prefs,
            "home-waiting-meeting-moved",
            &[
                ("title", title.into()),
                (
                    "when",
                    when_text(prefs, tz, meeting.starts_at, meeting.ends_at).into(),
                ),
            ],
        ),
        MeetingState::Scheduled => l10n::message(
            prefs,
            "home-waiting-meeting-changed",
            &[("title", title.into())],
        ),
    }
}

/// The meetings I said going or maybe to that moved, were cancelled or
/// changed place since I last looked, and places that came up for me: for
/// the home screen's waiting list. `projects` are my active projects.
pub(crate) fn meeting_notices(
    r: &Reader<'_>,
    person: &PersonId,
    projects: &[ProjectId],
    now: Timestamp,
    prefs: &Reading,
    tz: &TimeZone,
) -> Result<Vec<Waiting>> {
    // One pass over my answers, joined to their meetings by primary key;
    // only the few with something to say are loaded in full.
    let due: Vec<String> = r
        .conn()
        .prepare_cached(
            "SELECT r.id FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id
             WHERE r.person_id = ?1 AND m.ends_at > ?2 AND (r.was_waiting = 1
               OR (r.answer IN ('going', 'maybe') AND r.seen_sequence < m.notice_sequence))
             ORDER BY m.starts_at, m.id",
        )?
        .query_map(rusqlite::params![person.as_str(), now.millis()], |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in due {
        let Some(rsvp) = r.get::<MeetingRsvp>(&id)? else {
            continue;
        };
        let Some(meeting) = r.get::<MeetingRecord>(rsvp.meeting_id.as_str())? else {
            continue;
        };
        if meeting
            .project_id
            .as_ref()
            .is_some_and(|p| !projects.contains(p))
        {
            continue;
        }
        if has_notice(&rsvp, &meeting) {
            out.push(Waiting {
                kind: WaitingKind::MeetingChanged,
                project_id: meeting.project_id.clone(),
                person_id: None,
                meeting_id: Some(meeting.id.clone()),
                check_in_id: None,
                proposal_id: None,
                text: notice_text(&meeting, prefs, tz),
            });
        } else if rsvp.was_waiting && !meeting.is_cancelled() {
            let answers = Answers::places_only(r.conn(), &meeting)?;
            if answers.placed.contains(person) {
                out.push(Waiting {
                    kind: WaitingKind::PlaceCameUp,
                    project_id: meeting.project_id.clone(),
                    person_id: None,
                    meeting_id: Some(meeting.id.clone()),
                    check_in_id: None,
                    proposal_id: None,
                    text: l10n::message(
                        prefs,
                        "home-waiting-place",
                        &[("title", meeting.title.for_reader(prefs).text.into())],
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Proposals of the person's projects closing soon that they have not voted
/// on, from the decisions module's proposals and votes.
pub(crate) fn proposals_waiting_for_vote(
    r: &Reader<'_>,
    person: &PersonId,
    now: Timestamp,
) -> Result<Vec<ProposalClosing>> {
    crate::decisions::proposals_closing_for(r, person, now)
}

/// The meetings of my active projects and of the whole organisation that
/// end after `after`, soonest first.
fn meetings_for(r: &Reader<'_>, person: &PersonId, after: Timestamp) -> Result<Vec<MeetingRecord>> {
    r.select::<MeetingRecord>(
        "WHERE ends_at > ?2 AND (project_id IS NULL OR project_id IN
           (SELECT project_id FROM memberships WHERE person_id = ?1 AND status = 'active'))
         ORDER BY starts_at, id",
        rusqlite::params![person.as_str(), after.millis()],
    )
}

impl Equally {
    /// The meeting screen for `reader`.
    pub fn meeting(&self, reader: &PersonId, id: &MeetingId) -> Result<MeetingView> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let prefs = r.reading_of(&me.id)?;
            let tz = zone_or_utc(&me.time_zone);
            let m = visible_meeting(r, reader, id)?;
            let answers = Answers::read(r.conn(), &m)?;
            let mine = answers.rsvps.iter().find(|x| &x.person_id == reader);
            let can_run = may_run(&m, reader, r.facts())?;
            let is_organiser = &m.organiser_id == reader;

            let mut agenda = Vec::new();
            for item in r.select::<AgendaItem>(
                "WHERE meeting_id = ?1 ORDER BY created_at, id",
                [id.as_str()],
            )? {
                let name = r
                    .get::<Person>(item.added_by.as_str())?
                    .map(|p| p.name)
                    .unwrap_or_default();
                agenda.push(AgendaItemView {
                    id: item.id,
                    text: item.text.for_reader(&prefs),
                    mine: &item.added_by == reader,
                    added_by: item.added_by,
                    added_by_name: name,
                });
            }

            let actions = r
                .select::<Action>(
                    "WHERE from_meeting = ?1 ORDER BY created_at, id",
                    [id.as_str()],
                )?
                .into_iter()
                .map(|a| action_view(r, a, reader, &prefs))
                .collect::<Result<Vec<_>>>()?;

            let attendances = r.select::<Attendance>(
                "WHERE meeting_id = ?1 ORDER BY recorded_at, id",
                [id.as_str()],
            )?;
            let i_came = attendances
                .iter()
                .any(|a| &a.person_id == reader && a.present);
            let mut attendance = Vec::new();
            if can_run {
                for a in attendances {
                    let name = r
                        .get::<Person>(a.person_id.as_str())?
                        .map(|p| p.name)
                        .unwrap_or_default();
                    attendance.push(AttendanceView {
                        person_id: a.person_id,
                        name,
                        present: a.present,
                        how: a.how,
                    });
                }
            }

            let code_shown = can_run
                && !m.is_cancelled()
                && now < m.ends_at
                && (is_organiser || now >= m.check_in_opens());
            let check_in_code = if code_shown {
                Some(m.check_in_code()?)
            } else {
                None
            };

            let access_concerns = if is_organiser {
                organisers_concerns(r, &m, &answers, &prefs)?
            } else {
                Vec::new()
            };

            let organiser_name = r
                .get::<Person>(m.organiser_id.as_str())?
                .map(|p| p.name)
                .unwrap_or_default();
            Ok(MeetingView {
                id: m.id.clone(),
                project_id: m.project_id.clone(),
                organiser_id: m.organiser_id.clone(),
                organiser_name,
                title: m.title.for_reader(&prefs),
                description: m.description.as_ref().map(|t| t.for_reader(&prefs)),
                format: m.format,
                place: m.place.as_ref().map(|t| t.for_reader(&prefs)),
                online_link: m.online_link.clone(),
                access_labels: m
                    .access
                    .iter()
                    .map(|f| l10n::message(&prefs, &f.message_id(), &[]))
                    .collect(),
                access: m.access.clone(),
                access_notes: m.access_notes.as_ref().map(|t| t.for_reader(&prefs)),
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                time_zone: m.time_zone.clone(),
                when: when_text(&prefs, &tz, m.starts_at, m.ends_at),
                state: m.state,
                sequence: m.sequence,
                capacity: m.capacity,
                going: answers.placed.len() as u32,
                maybe: answers.count(Rsvp::Maybe),
                not_going: answers.count(Rsvp::NotGoing),
                waiting: answers.waiting.len() as u32,
                my_answer: answers.of(reader),
                answers_open: m.check_rsvp_open(now).is_ok(),
                change_notice: mine
                    .filter(|x| has_notice(x, &m))
                    .map(|_| notice_text(&m, &prefs, &tz)),
                agenda,
                minutes: m.minutes.as_ref().map(|t| t.for_reader(&prefs)),
                actions,
                can_run,
                check_in_code,
                attendance,
                i_came,
                access_concerns,
            })
        })
    }

    /// My upcoming meetings (and ones under way), soonest first: those of my
    /// projects and of the whole organisation, cancelled ones marked.
    pub fn my_meetings(&self, reader: &PersonId) -> Result<Vec<MeetingSummary>> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let prefs = r.reading_of(&me.id)?;
            let tz = zone_or_utc(&me.time_zone);
            let mut out = Vec::new();
            for m in meetings_for(r, reader, now)? {
                let answers = Answers::read(r.conn(), &m)?;
                let mine = answers.rsvps.iter().find(|x| &x.person_id == reader);
                out.push(MeetingSummary {
                    has_change_notice: mine.is_some_and(|x| has_notice(x, &m)),
                    my_answer: answers.of(reader),
                    title: m.title.for_reader(&prefs),
                    when: when_text(&prefs, &tz, m.starts_at, m.ends_at),
                    id: m.id,
                    project_id: m.project_id,
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                    state: m.state,
                });
            }
            Ok(out)
        })
    }

    /// The reminders `person`'s phone should schedule now: their meetings
    /// (project meetings unless they said not going; organisation-wide ones
    /// they said going or maybe to; none while they wait for a place), the
    /// open actions they took on with a due day, and proposals waiting for
    /// their vote. The shell re-plans after every sync.
    pub fn reminder_plan(&self, person: &PersonId) -> Result<Vec<Reminder>> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(person.as_str())?;
            let answers: HashMap<MeetingId, MeetingRsvp> = r
                .select::<MeetingRsvp>("WHERE person_id = ?1", [person.as_str()])?
                .into_iter()
                .map(|x| (x.meeting_id.clone(), x))
                .collect();
            let mut meetings = Vec::new();
            for m in meetings_for(r, person, now)? {
                if m.is_cancelled() || m.starts_at <= now {
                    continue;
                }
                let mine = answers.get(&m.id);
                let answer = mine.map(|x| x.answer);
                if m.project_id.is_none() && !matches!(answer, Some(Rsvp::Going | Rsvp::Maybe)) {
                    continue;
                }
                if answer == Some(Rsvp::Going)
                    && m.capacity.is_some()
                    && !Answers::places_only(r.conn(), &m)?
                        .placed
                        .contains(person)
                {
                    continue;
                }
                meetings.push(MeetingToAttend::from_meeting(&m.to_meeting(), answer));
            }
            let projects: Vec<String> = r
                .conn()
                .prepare_cached(
                    "SELECT project_id FROM memberships WHERE person_id = ?1 AND status = 'active'",
                )?
                .query_map([person.as_str()], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let actions = r
                .select::<Action>(
                    "WHERE owner_id = ?1 AND status = 'open' AND due_on IS NOT NULL ORDER BY due_on, id",
                    [person.as_str()],
                )?
                .into_iter()
                .filter(|a| projects.iter().any(|p| p == a.project_id.as_str()))
                .filter_map(|a| {
                    Some(ActionDue {
                        due: a.due_on?,
                        id: a.id,
                        what: a.what,
                        done: false,
                    })
                })
                .collect();
            let input = ReminderInput {
                reader: r.reading_of(&me.id)?,
                time_zone: me.time_zone.clone(),
                preferences: r.settings_of(&me.id)?.reminders,
                meetings,
                proposals: proposals_waiting_for_vote(r, person, now)?,
                actions,
            };
            Ok(plan_reminders(&input, now))
        })
    }

    /// One meeting as an iCalendar file, in the reader's language.
    pub fn meeting_calendar(&self, reader: &PersonId, id: &MeetingId) -> Result<String> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let m = visible_meeting(r, reader, id)?;
            ical::meeting_calendar(&m.to_meeting(), &r.reading_of(&me.id)?, now)
        })
    }

    /// "My meetings" as one iCalendar file: the upcoming meetings I said
    /// going or maybe to, or organise. Cancelled ones stay in, marked
    /// cancelled, so a calendar that had them drops them.
    pub fn my_calendar(&self, reader: &PersonId) -> Result<String> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let answers: HashMap<MeetingId, Rsvp> = r
                .select::<MeetingRsvp>("WHERE person_id = ?1", [reader.as_str()])?
                .into_iter()
                .map(|x| (x.meeting_id, x.answer))
                .collect();
            let meetings: Vec<_> = meetings_for(r, reader, now)?
                .into_iter()
                .filter(|m| {
                    &m.organiser_id == reader
                        || matches!(answers.get(&m.id), Some(Rsvp::Going | Rsvp::Maybe))
                })
                .map(|m| m.to_meeting())
                .collect();
            ical::my_meetings_calendar(&meetings, &r.reading_of(&me.id)?, now)
        })
    }
}

/// The organiser's view of who the meeting would leave out: for a project
/// meeting every active member (someone may not answer because of the very
/// need that is not met); for an organisation-wide one everyone who answered.
fn organisers_concerns(
    r: &Reader<'_>,
    m: &MeetingRecord,
    answers: &Answers,
    prefs: &Reading,
) -> Result<Vec<AccessConcernView>> {
    let people: Vec<PersonId> = match &m.project_id {
        Some(p) => {
            let ids: Vec<String> = r
                .conn()
                .prepare_cached(
                    "SELECT person_id FROM memberships WHERE project_id = ?1 AND status = 'active' ORDER BY since, person_id",
                )?
                .query_map([p.as_str()], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.iter()
                .map(|id| PersonId::parse(id))
                .collect::<equally_rules::Result<_>>()?
        }
        None => answers.rsvps.iter().map(|x| x.person_id.clone()).collect(),
    };
    let mut members = Vec::new();
    for id in people.iter().filter(|id| **id != m.organiser_id) {
        if let Some(p) = r.get::<Person>(id.as_str())? {
            members.push(MemberAccess {
                person: p.id,
                name: p.name,
                time_zone: p.time_zone,
                needs: p.access_needs,
                unavailable: p.unavailable,
            });
        }
    }
    let meeting = m.to_meeting();
    Ok(
        super::access_concerns(&meeting.access, meeting.format, &meeting.times, &members)
            .into_iter()
            .map(|c| AccessConcernView {
                text: c.describe(prefs),
                person_id: c.person,
                name: c.name,
            })
            .collect(),
    )
}
