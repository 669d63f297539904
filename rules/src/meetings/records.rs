//! Meetings as the store keeps them and sync carries them: the meeting, its
//! agenda, one RSVP and one attendance per (meeting, person), and the rules
//! each change must pass on the device and the server alike.

use super::meeting::{
    AccessFeature, Meeting, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, Rsvp,
};
use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{AgendaItemId, MeetingId, PersonId, ProjectId};
use crate::text::Text;
use crate::time::Timestamp;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The check-in code works from this long before the start until the end,
/// so people arriving early can check in as they come through the door.
pub const CHECK_IN_OPENS_MINUTES_BEFORE: i64 = 30;
/// The most people a meeting can hold; more is almost always a typing slip.
pub const MAX_CAPACITY: u32 = 10_000;
pub const MAX_MINUTES_CHARS: usize = 20_000;
pub const MAX_AGENDA_ITEM_CHARS: usize = 500;

/// A meeting as the store keeps it: the plain [`Meeting`] spelt out as
/// columns (so screens can query by start time), plus what lives beside it:
/// its capacity, minutes, the secret its check-in code is made from, and the
/// sequence of the last change its people must be told of.
///
/// Every field is always written (no skipped `None`s), because the store
/// merges a change onto what it has: a field left out could never be cleared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub id: MeetingId,
    /// None for a meeting of the whole organisation.
    pub project_id: Option<ProjectId>,
    pub organiser_id: PersonId,
    pub title: Text,
    pub description: Option<Text>,
    pub format: MeetingFormat,
    pub place: Option<Text>,
    pub online_link: Option<String>,
    pub access: Vec<AccessFeature>,
    pub access_notes: Option<Text>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub time_zone: String,
    pub state: MeetingState,
    /// Raised by every change a calendar shows (RFC 5545's SEQUENCE).
    pub sequence: u32,
    /// The sequence of the latest move, cancellation or new place: people
    /// who said going or maybe and saw an older sequence are told of it.
    pub notice_sequence: u32,
    /// How many can come; None for no limit. Those who say "going" beyond it
    /// wait in order (see [`places`]).
    pub capacity: Option<u32>,
    /// 128 random bits, as hex, that the check-in code is made from. Never
    /// shown; see `check_in_code`.
    pub check_in_secret: String,
    /// What was said and agreed; its easy-read variant is the easy-read
    /// summary.
    pub minutes: Option<Text>,
    pub created_at: Timestamp,
}

impl MeetingRecord {
    pub fn times(&self) -> MeetingTimes {
        MeetingTimes {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.clone(),
        }
    }

    pub fn status(&self) -> MeetingStatus {
        MeetingStatus {
            state: self.state,
            sequence: self.sequence,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.state == MeetingState::Cancelled
    }

    /// Answers can be given or changed until the start, never once cancelled.
    pub fn check_rsvp_open(&self, at: Timestamp) -> Result<()> {
        self.to_meeting().check_rsvp_open(at)
    }

    /// The plain meeting, for the calendar, reminders and access checks.
    pub fn to_meeting(&self) -> Meeting {
        Meeting {
            id: self.id.clone(),
            project: self.project_id.clone(),
            organiser: self.organiser_id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            format: self.format,
            place: self.place.clone(),
            online_link: self.online_link.clone(),
            access: self.access.clone(),
            access_notes: self.access_notes.clone(),
            times: self.times(),
            status: self.status(),
        }
    }

    /// Whether anything a calendar or a reminder shows differs.
    fn shown_differs(&self, other: &Self) -> bool {
        self.title != other.title
            || self.description != other.description
            || self.format != other.format
            || self.place != other.place
            || self.online_link != other.online_link
            || self.access != other.access
            || self.access_notes != other.access_notes
            || self.times() != other.times()
            || self.state != other.state
    }

    /// When the check-in code starts to work.
    pub fn check_in_opens(&self) -> Timestamp {
        self.starts_at.plus_minutes(-CHECK_IN_OPENS_MINUTES_BEFORE)
    }

    /// The six-digit code shown at the meeting. It is made from the secret,
    /// the meeting and its start, so a moved meeting gets a new code and a
    /// code from another meeting never works here.
    pub fn check_in_code(&self) -> Result<String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.check_in_secret.as_bytes())
            .map_err(|_| Error::invalid("check_in_secret", "cannot key a code"))?;
        mac.update(b"equally meeting check-in\0");
        mac.update(self.id.as_str().as_bytes());
        mac.update(&self.starts_at.millis().to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 1_000_000;
        Ok(format!("{n:06}"))
    }

    /// Checks a typed code as of `at`: the right code, in its window.
    pub fn verify_check_in_code(&self, code: &str, at: Timestamp) -> Result<()> {
        if self.is_cancelled() {
            return Err(Error::conflict("the meeting was cancelled"));
        }
        if normalise_code(code)? != self.check_in_code()? {
            return Err(Error::invalid(
                "code",
                "is not the check-in code for this meeting",
            ));
        }
        if at < self.check_in_opens() || at >= self.ends_at {
            return Err(Error::conflict(
                "the check-in code works from 30 minutes before the meeting until it ends",
            ));
        }
        Ok(())
    }
}

/// The code as typed, without the spaces or dashes people add: six digits.
pub fn normalise_code(typed: &str) -> Result<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("code", "is six digits, like 482 913"));
    }
    Ok(digits)
}

/// A fresh check-in secret: 122 random bits from the system's generator.
pub fn new_check_in_secret() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn scope_of(project: &Option<ProjectId>) -> Scope {
    match project {
        Some(p) => Scope::Project(p.clone()),
        None => Scope::Organisation,
    }
}

/// Whether `person` may take part in a meeting of `project`: its members, or
/// for an organisation-wide meeting anyone in the organisation.
pub fn require_may_take_part(
    project: &Option<ProjectId>,
    person: &PersonId,
    facts: &dyn Facts,
) -> Result<()> {
    match project {
        Some(p) => facts.require_member(p, person),
        None => facts.person(person).map(|_| ()),
    }
}

/// Who may change a meeting, run its register and write its minutes: for a
/// project, any member, as the meeting is the group's (if the organiser is
/// ill the group can still move it); for the whole organisation, the
/// organiser, as there is no group to share it with.
pub fn require_may_run(
    meeting: &MeetingRecord,
    person: &PersonId,
    facts: &dyn Facts,
) -> Result<()> {
    match &meeting.project_id {
        Some(p) => facts.require_member(p, person),
        None if &meeting.organiser_id == person => Ok(()),
        None => Err(Error::not_allowed(
            "an organisation-wide meeting is changed by its organiser",
        )),
    }
}

pub fn may_run(meeting: &MeetingRecord, person: &PersonId, facts: &dyn Facts) -> Result<bool> {
    Ok(match &meeting.project_id {
        Some(p) => facts.is_member(p, person)?,
        None => &meeting.organiser_id == person,
    })
}

/// The meeting a child record names, which must exist and belong where the
/// child says it does.
fn meeting_of(
    meeting: &MeetingId,
    project: &Option<ProjectId>,
    facts: &dyn Facts,
) -> Result<MeetingRecord> {
    let m: MeetingRecord = facts
        .get(meeting.as_str())?
        .ok_or_else(|| Error::not_found("meeting", meeting))?;
    if &m.project_id != project {
        return Err(Error::invalid(
            "project_id",
            "is not the project of this meeting",
        ));
    }
    Ok(m)
}

impl Entity for MeetingRecord {
    const KIND: &'static str = "meeting";
    const TABLE: &'static str = "meetings";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        scope_of(&self.project_id)
    }
    fn validate(&self) -> Result<()> {
        self.to_meeting().validate()?;
        if let Some(minutes) = &self.minutes {
            minutes.validate("minutes", MAX_MINUTES_CHARS)?;
        }
        match self.capacity {
            Some(0) => return Err(Error::invalid("capacity", "must be at least 1")),
            Some(n) if n > MAX_CAPACITY => {
                return Err(Error::invalid(
                    "capacity",
                    format!("is more than {MAX_CAPACITY}"),
                ));
            }
            _ => {}
        }
        if self.check_in_secret.len() != 32
            || !self
                .check_in_secret
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        {
            return Err(Error::invalid(
                "check_in_secret",
                "must be 32 lower-case hex digits",
            ));
        }
        if self.notice_sequence > self.sequence {
            return Err(Error::invalid(
                "notice_sequence",
                "cannot be ahead of the sequence",
            ));
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        let Some(before) = before else {
            if &self.organiser_id != author {
                return Err(Error::invalid(
                    "organiser_id",
                    "must be the person scheduling the meeting",
                ));
            }
            require_may_take_part(&self.project_id, author, facts)?;
            if self.status() != MeetingStatus::scheduled() || self.notice_sequence != 0 {
                return Err(Error::invalid("state", "a meeting starts as scheduled"));
            }
            return Ok(());
        };
        require_may_run(before, author, facts)?;
        if self.organiser_id != before.organiser_id
            || self.project_id != before.project_id
            || self.created_at != before.created_at
            || self.check_in_secret != before.check_in_secret
        {
            return Err(Error::not_allowed(
                "who organised a meeting, whose it is and its check-in secret stay as they were",
            ));
        }
        if before.is_cancelled() {
            return Err(Error::conflict("the meeting was cancelled"));
        }
        use MeetingState::*;
        if !matches!(
            (before.state, self.state),
            (Scheduled, _) | (Moved, Moved | Cancelled)
        ) {
            return Err(Error::invalid(
                "state",
                "a moved meeting cannot go back to how it was",
            ));
        }
        if self.sequence < before.sequence || self.notice_sequence < before.notice_sequence {
            return Err(Error::invalid("sequence", "cannot go down"));
        }
        // Two phones changing the same meeting offline both raise the
        // sequence to the same number; the second to arrive is refused here
        // (on the server), reverted and shown to its author, so nobody's
        // calendar keeps a change that was silently overwritten.
        if self.shown_differs(before) && self.sequence == before.sequence {
            return Err(Error::conflict(
                "the meeting was changed by someone else at the same time; look at it again",
            ));
        }
        Ok(())
    }
}

/// A point someone wants to talk about. Any member adds one; anyone in the
/// organisation for an organisation-wide meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub text: Text,
    pub added_by: PersonId,
    pub created_at: Timestamp,
}

impl Entity for AgendaItem {
    const KIND: &'static str = "agenda_item";
    const TABLE: &'static str = "agenda_items";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        scope_of(&self.project_id)
    }
    fn validate(&self) -> Result<()> {
        self.text.validate("text", MAX_AGENDA_ITEM_CHARS)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        let meeting = meeting_of(&self.meeting_id, &self.project_id, facts)?;
        if meeting.is_cancelled() {
            return Err(Error::conflict("the meeting was cancelled"));
        }
        require_may_take_part(&self.project_id, author, facts)?;
        if &self.added_by != author
            || before.is_some_and(|b| {
                b.added_by != self.added_by
                    || b.meeting_id != self.meeting_id
                    || b.created_at != self.created_at
            })
        {
            return Err(Error::not_allowed(
                "an agenda item is written and corrected by the person who added it",
            ));
        }
        Ok(())
    }
    fn may_delete(&self, author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        if &self.added_by == author {
            Ok(())
        } else {
            Err(Error::not_allowed(
                "only the person who added an agenda item can take it off",
            ))
        }
    }
}

/// A person's answer for one meeting: one register per (meeting, person),
/// changeable until the start.
///
/// The waiting list is not stored. Who has a place is worked out when
/// reading, from the "going" answers in the order people said going
/// (`going_since`, then person id). Two phones offline can therefore never
/// both promote someone: once their changes meet, every device and the
/// server work out the same list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRsvp {
    pub id: String,
    pub meeting_id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub person_id: PersonId,
    pub answer: Rsvp,
    pub answered_at: Timestamp,
    /// When they last said "going": their place in the queue. Set exactly
    /// when the answer is "going".
    pub going_since: Option<Timestamp>,
    /// They joined the waiting list when they said going; cleared once they
    /// have been told a place came up.
    pub was_waiting: bool,
    /// The meeting's sequence when they last answered or read a notice.
    pub seen_sequence: u32,
}

impl MeetingRsvp {
    pub fn id_for(meeting: &MeetingId, person: &PersonId) -> String {
        format!("{meeting}:{person}")
    }
}

impl Entity for MeetingRsvp {
    const KIND: &'static str = "meeting_rsvp";
    const TABLE: &'static str = "meeting_rsvps";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        scope_of(&self.project_id)
    }
    fn validate(&self) -> Result<()> {
        if self.id != Self::id_for(&self.meeting_id, &self.person_id) {
            return Err(Error::invalid(
                "id",
                "does not name this meeting and person",
            ));
        }
        if self.going_since.is_some() != (self.answer == Rsvp::Going) {
            return Err(Error::invalid(
                "going_since",
                "is set when, and only when, the answer is going",
            ));
        }
        if self.was_waiting && self.answer != Rsvp::Going {
            return Err(Error::invalid(
                "was_waiting",
                "only someone going can be waiting for a place",
            ));
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        if &self.person_id != author {
            return Err(Error::not_allowed("people give their own answer"));
        }
        let meeting = meeting_of(&self.meeting_id, &self.project_id, facts)?;
        require_may_take_part(&self.project_id, author, facts)?;
        let answer_changed = before.is_none_or(|b| {
            b.answer != self.answer
                || b.going_since != self.going_since
                || b.answered_at != self.answered_at
        });
        if answer_changed {
            meeting.check_rsvp_open(self.answered_at)?;
            if self.answered_at < meeting.created_at {
                return Err(Error::invalid(
                    "answered_at",
                    "is before the meeting was set up",
                ));
            }
            // The queue is by the time of saying going; it cannot be picked.
            if self.going_since.is_some_and(|t| {
                t != self.answered_at && before.is_none_or(|b| b.going_since != Some(t))
            }) {
                return Err(Error::invalid(
                    "going_since",
                    "is when the person said going",
                ));
            }
        }
        if self.seen_sequence > meeting.sequence {
            return Err(Error::invalid("seen_sequence", "is ahead of the meeting"));
        }
        Ok(())
    }
}

/// Who has a place and who waits, from the "going" answers as
/// (going_since, person): the first `capacity` in that order have places,
/// the rest wait in that order.
pub fn places(
    capacity: Option<u32>,
    mut going: Vec<(Timestamp, PersonId)>,
) -> (Vec<PersonId>, Vec<PersonId>) {
    going.sort();
    let cut = capacity.map_or(going.len(), |c| (c as usize).min(going.len()));
    let waiting = going.split_off(cut);
    (
        going.into_iter().map(|(_, p)| p).collect(),
        waiting.into_iter().map(|(_, p)| p).collect(),
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceMethod {
    /// The person typed the code shown at the meeting.
    Code,
    /// Someone running the meeting marked them.
    Marked,
}

/// Whether a person came: one register per (meeting, person), so a mark
/// made by mistake can be taken back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: String,
    pub meeting_id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub person_id: PersonId,
    pub present: bool,
    pub how: AttendanceMethod,
    /// The code typed, kept so the server checks it with the same rule.
    pub code: Option<String>,
    pub recorded_by: PersonId,
    pub recorded_at: Timestamp,
}

impl Attendance {
    pub fn id_for(meeting: &MeetingId, person: &PersonId) -> String {
        format!("{meeting}:{person}")
    }
}

impl Entity for Attendance {
    const KIND: &'static str = "attendance";
    const TABLE: &'static str = "attendances";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        scope_of(&self.project_id)
    }
    fn validate(&self) -> Result<()> {
        if self.id != Self::id_for(&self.meeting_id, &self.person_id) {
            return Err(Error::invalid(
                "id",
                "does not name this meeting and person",
            ));
        }
        match (&self.how, &self.code) {
            (AttendanceMethod::Code, Some(code)) => {
                normalise_code(code)?;
            }
            (AttendanceMethod::Marked, None) => {}
            _ => {
                return Err(Error::invalid(
                    "code",
                    "is given when, and only when, someone checked in with it",
                ));
            }
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.recorded_by != author {
            return Err(Error::invalid(
                "recorded_by",
                "must be the person recording it",
            ));
        }
        let meeting = meeting_of(&self.meeting_id, &self.project_id, facts)?;
        facts.person(&self.person_id)?;
        match self.how {
            AttendanceMethod::Code => {
                if &self.person_id != author || !self.present {
                    return Err(Error::not_allowed(
                        "people check themselves in with the code",
                    ));
                }
                require_may_take_part(&self.project_id, author, facts)?;
                meeting.verify_check_in_code(
                    self.code.as_deref().unwrap_or_default(),
                    self.recorded_at,
                )
            }
            AttendanceMethod::Marked => {
                require_may_run(&meeting, author, facts)?;
                if meeting.is_cancelled() {
                    return Err(Error::conflict("the meeting was cancelled"));
                }
                if self.recorded_at < meeting.check_in_opens() {
                    return Err(Error::conflict(
                        "who came can be marked from 30 minutes before the meeting",
                    ));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> (Timestamp, PersonId) {
        (Timestamp::from_millis(minutes * 60_000), PersonId::new())
    }

    #[test]
    fn the_first_to_say_going_have_the_places_and_the_rest_wait_in_order() {
        let (a, b, c) = (at(1), at(2), at(3));
        let (placed, waiting) = places(Some(2), vec![c.clone(), a.clone(), b.clone()]);
        assert_eq!(placed, [a.1.clone(), b.1.clone()]);
        assert_eq!(waiting, std::slice::from_ref(&c.1));
        let (placed, waiting) = places(None, vec![c, a, b]);
        assert_eq!(placed.len(), 3);
        assert!(waiting.is_empty());
    }

    #[test]
    fn a_code_is_six_digits_and_spaces_are_forgiven() {
        assert_eq!(normalise_code(" 482 913 ").unwrap(), "482913");
        assert_eq!(normalise_code("482-913").unwrap(), "482913");
        for bad in ["48291", "4829134", "48291a", "", "٤٨٢٩١٣"] {
            assert!(normalise_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_new_secret_is_32_hex_digits_and_never_repeats() {
        let a = new_check_in_secret();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, new_check_in_secret());
    }
}
