//! Meetings on the phone: what a person does (schedule, edit, move,
//! cancel, answer, add to the agenda, check in, mark attendance, take an
//! action). The screens that show them are in `screen.rs`.

use super::meeting::{
    AccessFeature, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, Rsvp,
};
use super::screen::{Answers, MeetingView, MyAnswer};
use super::store::{
    AgendaItem, Attendance, AttendanceMethod, MeetingRecord, MeetingRsvp, new_check_in_secret,
    normalise_code, places,
};
use crate::Equally;
use crate::actions::{Action, ActionStatus};
use crate::error::{Error, Result};
use crate::ids::{ActionId, AgendaItemId, MeetingId, PersonId, ProjectId};
use crate::text::Text;
use crate::time::{Day, Timestamp};

/// What the person scheduling a meeting gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMeeting {
    /// None for a meeting of the whole organisation.
    pub project: Option<ProjectId>,
    pub title: Text,
    pub description: Option<Text>,
    pub format: MeetingFormat,
    pub place: Option<Text>,
    pub online_link: Option<String>,
    pub access: Vec<AccessFeature>,
    pub access_notes: Option<Text>,
    pub times: MeetingTimes,
    pub capacity: Option<u32>,
}

/// The details of a meeting that can be edited, all at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingDetails {
    pub title: Text,
    pub description: Option<Text>,
    pub format: MeetingFormat,
    pub place: Option<Text>,
    pub online_link: Option<String>,
    pub access: Vec<AccessFeature>,
    pub access_notes: Option<Text>,
}

impl Equally {
    /// Schedules a meeting. For a project, any member may; for the whole
    /// organisation, anyone in it.
    pub fn schedule_meeting(&self, actor: &PersonId, new: NewMeeting) -> Result<MeetingView> {
        let meeting = MeetingRecord {
            id: MeetingId::new(),
            project_id: new.project,
            organiser_id: actor.clone(),
            title: new.title,
            description: new.description,
            format: new.format,
            place: new.place,
            online_link: new.online_link,
            access: new.access,
            access_notes: new.access_notes,
            starts_at: new.times.starts_at,
            ends_at: new.times.ends_at,
            time_zone: new.times.time_zone,
            state: MeetingState::Scheduled,
            sequence: 0,
            notice_sequence: 0,
            capacity: new.capacity,
            check_in_secret: new_check_in_secret(),
            minutes: None,
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&meeting))?;
        self.meeting(actor, &meeting.id)
    }

    fn change_meeting(
        &self,
        actor: &PersonId,
        id: &MeetingId,
        change: impl FnOnce(&mut MeetingRecord, &MeetingRecord, &crate::store::Writer<'_>) -> Result<()>,
    ) -> Result<()> {
        self.write(actor, |w| {
            let before: MeetingRecord = w.require(id.as_str())?;
            let mut m = before.clone();
            change(&mut m, &before, w)?;
            w.put(&m)
        })
    }

    /// Changes what a meeting is, where and how people join. Calendars
    /// update; a new place (or format, or link) is told to those going.
    pub fn edit_meeting(
        &self,
        actor: &PersonId,
        id: &MeetingId,
        details: MeetingDetails,
    ) -> Result<()> {
        self.change_meeting(actor, id, |m, before, _| {
            m.title = details.title;
            m.description = details.description;
            m.format = details.format;
            m.place = details.place;
            m.online_link = details.online_link;
            m.access = details.access;
            m.access_notes = details.access_notes;
            if m == before {
                return Ok(());
            }
            let status = before.status().edited()?;
            m.sequence = status.sequence;
            if m.place != before.place
                || m.format != before.format
                || m.online_link != before.online_link
            {
                m.notice_sequence = m.sequence;
            }
            Ok(())
        })
    }

    /// Moves a meeting to new times. Those who said going or maybe are told;
    /// reminders and calendars follow the new time.
    pub fn move_meeting(
        &self,
        actor: &PersonId,
        id: &MeetingId,
        times: MeetingTimes,
    ) -> Result<()> {
        let now = self.now();
        self.change_meeting(actor, id, |m, before, _| {
            let moved = before.to_meeting().moved_to(times, now)?;
            if moved.times.starts_at <= now {
                return Err(Error::invalid("starts_at", "is in the past"));
            }
            m.starts_at = moved.times.starts_at;
            m.ends_at = moved.times.ends_at;
            m.time_zone = moved.times.time_zone;
            m.state = moved.status.state;
            m.sequence = moved.status.sequence;
            m.notice_sequence = m.sequence;
            Ok(())
        })
    }

    /// Cancels a meeting. Those who said going or maybe are told, its
    /// reminders go, and calendars mark it cancelled.
    pub fn cancel_meeting(&self, actor: &PersonId, id: &MeetingId) -> Result<()> {
        let now = self.now();
        self.change_meeting(actor, id, |m, before, _| {
            if now >= before.ends_at {
                return Err(Error::conflict("the meeting is already over"));
            }
            let MeetingStatus { state, sequence } = before.status().cancelled()?;
            m.state = state;
            m.sequence = sequence;
            m.notice_sequence = sequence;
            Ok(())
        })
    }

    /// Sets how many can come (None: no limit). It cannot go below the
    /// number who already have a place; raising it gives places to the
    /// first on the waiting list.
    pub fn set_meeting_capacity(
        &self,
        actor: &PersonId,
        id: &MeetingId,
        capacity: Option<u32>,
    ) -> Result<()> {
        self.change_meeting(actor, id, |m, before, w| {
            // Zero is refused by the meeting's own check, with its own words.
            if let Some(c) = capacity.filter(|c| *c > 0) {
                let placed = Answers::places_only(w.conn(), before)?.placed.len();
                if (c as usize) < placed {
                    return Err(Error::conflict(format!(
                        "{placed} people already have a place; the meeting cannot hold fewer"
                    )));
                }
            }
            m.capacity = capacity;
            Ok(())
        })
    }

    /// Writes (or corrects) the minutes; their easy-read variant is the
    /// easy-read summary.
    pub fn record_minutes(&self, actor: &PersonId, id: &MeetingId, minutes: Text) -> Result<()> {
        self.change_meeting(actor, id, |m, _, _| {
            m.minutes = Some(minutes);
            Ok(())
        })
    }

    /// Adds a point to the agenda.
    pub fn add_agenda_item(
        &self,
        actor: &PersonId,
        meeting: &MeetingId,
        text: Text,
    ) -> Result<AgendaItem> {
        let now = self.now();
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            let item = AgendaItem {
                id: AgendaItemId::new(),
                meeting_id: m.id,
                project_id: m.project_id,
                text,
                added_by: actor.clone(),
                created_at: now,
            };
            w.put(&item)?;
            Ok(item)
        })
    }

    /// Takes one's own point off the agenda.
    pub fn withdraw_agenda_item(&self, actor: &PersonId, id: &AgendaItemId) -> Result<()> {
        self.write(actor, |w| w.delete::<AgendaItem>(id.as_str()))
    }

    /// Going, maybe or not going, until the start. Going beyond the
    /// capacity joins the waiting list; dropping out gives the next person
    /// in line a place, in the same write (the list is worked out from the
    /// answers, so nothing else needs changing).
    pub fn rsvp(&self, actor: &PersonId, meeting: &MeetingId, answer: Rsvp) -> Result<MyAnswer> {
        let now = self.now();
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            m.check_rsvp_open(now)?;
            let id = MeetingRsvp::id_for(meeting, actor);
            let before: Option<MeetingRsvp> = w.get(&id)?;
            let unchanged = before.as_ref().filter(|b| b.answer == answer);
            let going_since = match unchanged {
                Some(b) => b.going_since,
                None => (answer == Rsvp::Going).then_some(now),
            };
            // Where this answer puts me, worked out as every reader will.
            let mut going: Vec<(Timestamp, PersonId)> = Answers::read(w.conn(), &m)?
                .rsvps
                .into_iter()
                .filter(|x| &x.person_id != actor)
                .filter_map(|x| x.going_since.map(|t| (t, x.person_id)))
                .collect();
            if let Some(t) = going_since {
                going.push((t, actor.clone()));
            }
            let (_, waiting) = places(m.capacity, going);
            let waiting_position = waiting
                .iter()
                .position(|p| p == actor)
                .map(|i| i as u32 + 1);
            w.put(&MeetingRsvp {
                id,
                meeting_id: m.id.clone(),
                project_id: m.project_id.clone(),
                person_id: actor.clone(),
                answer,
                answered_at: unchanged.map_or(now, |b| b.answered_at),
                going_since,
                was_waiting: waiting_position.is_some() || unchanged.is_some_and(|b| b.was_waiting),
                seen_sequence: m.sequence,
            })?;
            Ok(MyAnswer {
                answer,
                waiting_position,
            })
        })
    }

    /// Marks a meeting's change notice (or "a place came up") as read.
    pub fn dismiss_meeting_notice(&self, actor: &PersonId, meeting: &MeetingId) -> Result<()> {
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            let Some(mut rsvp) = w.get::<MeetingRsvp>(&MeetingRsvp::id_for(meeting, actor))? else {
                return Ok(());
            };
            rsvp.seen_sequence = m.sequence;
            if rsvp.was_waiting && Answers::places_only(w.conn(), &m)?.placed.contains(actor) {
                rsvp.was_waiting = false;
            }
            w.put(&rsvp)
        })
    }

    /// Checks oneself in with the code shown at the meeting. Works with no
    /// signal: the phone checks the code against the meeting it holds.
    pub fn check_in_at_meeting(
        &self,
        actor: &PersonId,
        meeting: &MeetingId,
        code: &str,
    ) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            m.verify_check_in_code(code, now)?;
            w.put(&Attendance {
                id: Attendance::id_for(meeting, actor),
                meeting_id: m.id,
                project_id: m.project_id,
                person_id: actor.clone(),
                present: true,
                how: AttendanceMethod::Code,
                code: Some(normalise_code(code)?),
                recorded_by: actor.clone(),
                recorded_at: now,
            })
        })
    }

    /// Marks whether someone came (or takes back a mark made by mistake).
    pub fn mark_attendance(
        &self,
        actor: &PersonId,
        meeting: &MeetingId,
        person: &PersonId,
        present: bool,
    ) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            w.put(&Attendance {
                id: Attendance::id_for(meeting, person),
                meeting_id: m.id,
                project_id: m.project_id,
                person_id: person.clone(),
                present,
                how: AttendanceMethod::Marked,
                code: None,
                recorded_by: actor.clone(),
                recorded_at: now,
            })
        })
    }

    /// Adds an action that came out of a project meeting; `take_it` puts the
    /// actor's own name to it.
    pub fn add_meeting_action(
        &self,
        actor: &PersonId,
        meeting: &MeetingId,
        what: Text,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action> {
        let now = self.now();
        self.write(actor, |w| {
            let m: MeetingRecord = w.require(meeting.as_str())?;
            let project = m.project_id.ok_or_else(|| {
                Error::invalid(
                    "meeting",
                    "is for the whole organisation; actions belong to a project",
                )
            })?;
            let action = Action {
                id: ActionId::new(),
                project_id: project,
                what,
                owner_id: take_it.then(|| actor.clone()),
                due_on,
                status: ActionStatus::Open,
                created_by: actor.clone(),
                from_review_item: None,
                from_meeting: Some(m.id),
                created_at: now,
            };
            w.put(&action)?;
            Ok(action)
        })
    }
}
