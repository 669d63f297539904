//! The home screen in one call: my projects with what is new in each, the
//! actions I have taken on, and what is waiting for me (including meetings
//! that moved or were cancelled, and check-ins due a follow-up).

use crate::Equally;
use crate::actions::{Action, ActionView, action_view};
use crate::error::Result;
use crate::ids::{CheckInId, MeetingId, PersonId, ProjectId, ProposalId};
use crate::l10n::{self, FluentValue};
use crate::people::Person;
use crate::projects::{Membership, Project, Stage};
use crate::text::ShownText;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomeProject {
    pub id: ProjectId,
    pub title: ShownText,
    pub stage: Stage,
    pub stage_label: String,
    pub members: u32,
    pub open_actions: u32,
    pub unread_updates: u32,
    pub set_up_by_staff_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitingKind {
    /// Someone invited me to a project.
    Invitation,
    /// Someone asked to join a project I am in.
    JoinRequest,
    /// Updates I have not read.
    UnreadUpdates,
    /// A meeting I said going or maybe to moved, was cancelled or changed
    /// place.
    MeetingChanged,
    /// I was on a meeting's waiting list and now have a place.
    PlaceCameUp,
    /// A check-in about someone I support (or one I wrote) is due a
    /// follow-up.
    FollowUpDue,
    /// An open proposal I have a vote on and have not voted on yet.
    ProposalToVoteOn,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kind: WaitingKind,
    /// None for an organisation-wide meeting, or a check-in with no project.
    pub project_id: Option<ProjectId>,
    /// The person concerned, for join requests and follow-ups.
    pub person_id: Option<PersonId>,
    pub meeting_id: Option<MeetingId>,
    pub check_in_id: Option<CheckInId>,
    /// The proposal, for a vote waiting.
    pub proposal_id: Option<ProposalId>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    pub person_id: PersonId,
    pub name: String,
    pub projects: Vec<HomeProject>,
    pub my_actions: Vec<ActionView>,
    pub waiting: Vec<Waiting>,
    pub minutes_given: u64,
    pub time_given_label: String,
}

impl Equally {
    /// Everything the home screen shows for `person`, read at one moment.
    pub fn home(&self, person: &PersonId) -> Result<Home> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(person.as_str())?;
            let prefs = r.reading_of(&me.id)?;
            let conn = r.conn();
            let memberships = r.select::<Membership>(
                "WHERE person_id = ?1 AND status IN ('active', 'invited') ORDER BY since, project_id",
                [person.as_str()],
            )?;
            let mut projects = Vec::new();
            let mut waiting = Vec::new();
            let mut count_stmt = conn.prepare_cached(
                "SELECT
                   (SELECT count(*) FROM memberships WHERE project_id = ?1 AND status = 'active'),
                   (SELECT count(*) FROM actions WHERE project_id = ?1 AND status = 'open'),
                   (SELECT count(*) FROM updates u WHERE u.project_id = ?1
                      AND NOT EXISTS (SELECT 1 FROM update_reads r WHERE r.id = u.id || ':' || ?2)),
                   (SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id
                      WHERE m.project_id = ?1 AND m.status = 'active' AND m.role = 'co_founder'),
                   (SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id
                      WHERE m.project_id = ?1 AND m.status = 'active' AND m.role = 'co_founder' AND p.kind = 'staff')",
            )?;
            let mut requests_stmt = conn.prepare_cached(
                "SELECT person_id FROM memberships WHERE project_id = ?1 AND status = 'requested' ORDER BY since, person_id",
            )?;
            for m in memberships {
                let Some(project) = r.get::<Project>(m.project_id.as_str())? else { continue };
                let title = project.title.for_reader(&prefs);
                if !m.is_active() {
                    waiting.push(Waiting {
                        kind: WaitingKind::Invitation,
                        project_id: Some(project.id.clone()),
                        person_id: None,
                        meeting_id: None,
                        check_in_id: None,
                        proposal_id: None,
                        text: title.text.clone(),
                    });
                    continue;
                }
                let (members, actions, unread, founders, staff_founders): (i64, i64, i64, i64, i64) = count_stmt
                    .query_row([project.id.as_str(), person.as_str()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
                    })?;
                if unread > 0 {
                    waiting.push(Waiting {
                        kind: WaitingKind::UnreadUpdates,
                        project_id: Some(project.id.clone()),
                        person_id: None,
                        meeting_id: None,
                        check_in_id: None,
                        proposal_id: None,
                        text: l10n::message(&prefs, "home-waiting-updates", &[("count", FluentValue::from(unread))]),
                    });
                }
                for proposal in crate::decisions::waiting_for_vote(r, &m, now)? {
                    waiting.push(Waiting {
                        kind: WaitingKind::ProposalToVoteOn,
                        project_id: Some(project.id.clone()),
                        person_id: None,
                        meeting_id: None,
                        check_in_id: None,
                        proposal_id: Some(proposal.id),
                        text: proposal.title.for_reader(&prefs).text,
                    });
                }
                let requesters: Vec<String> = requests_stmt
                    .query_map([project.id.as_str()], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for requester in requesters {
                    waiting.push(Waiting {
                        kind: WaitingKind::JoinRequest,
                        project_id: Some(project.id.clone()),
                        person_id: Some(PersonId::parse(&requester)?),
                        meeting_id: None,
                        check_in_id: None,
                        proposal_id: None,
                        text: title.text.clone(),
                    });
                }
                projects.push(HomeProject {
                    id: project.id,
                    title,
                    stage: project.stage,
                    stage_label: l10n::message(&prefs, project.stage.message_id(), &[]),
                    members: members as u32,
                    open_actions: actions as u32,
                    unread_updates: unread as u32,
                    set_up_by_staff_only: founders > 0 && founders == staff_founders,
                });
            }
            let my_actions = r
                .select::<Action>(
                    "WHERE owner_id = ?1 AND status = 'open' ORDER BY due_on IS NULL, due_on, created_at, id",
                    [person.as_str()],
                )?
                .into_iter()
                .filter(|a| projects.iter().any(|p| p.id == a.project_id))
                .map(|a| action_view(r, a, person, &prefs))
                .collect::<Result<Vec<_>>>()?;
            let now = self.now();
            let tz = crate::meetings::words::zone_or_utc(&me.time_zone);
            let project_ids: Vec<ProjectId> = projects.iter().map(|p| p.id.clone()).collect();
            waiting.extend(crate::meetings::screen::meeting_notices(
                r,
                person,
                &project_ids,
                now,
                &prefs,
                &tz,
            )?);
            for c in crate::meetings::checkins::follow_ups_due_by(r, person, now.day_in(&tz))? {
                waiting.push(Waiting {
                    kind: WaitingKind::FollowUpDue,
                    text: crate::meetings::checkins::follow_up_text(r, &c, &prefs)?,
                    project_id: c.project_id,
                    person_id: c.person_id,
                    meeting_id: c.meeting_id,
                    check_in_id: Some(c.id),
                    proposal_id: None,
                });
            }
            let minutes: i64 = conn
                .prepare_cached("SELECT coalesce(sum(minutes), 0) FROM contributions WHERE person_id = ?1")?
                .query_row([person.as_str()], |row| row.get(0))?;
            Ok(Home {
                person_id: me.id,
                name: me.name,
                projects,
                my_actions,
                waiting,
                minutes_given: minutes.max(0) as u64,
                time_given_label: crate::contributions::hours_label(&prefs, minutes.max(0) as u64),
            })
        })
    }
}
