//! What people do with proposals: propose, vote (alone, with a supporter,
//! or on paper entered by another member), settle objections, record the
//! outcome. Each is one write through the store; the rules are in `store`.

use super::ProposalRules;
use super::screen::ProposalView;
use super::{Ballot, ObjectionState};
use super::{Outcome, PlanChange, Proposal, ProposalState, Resolution, VoteRecord, stored_votes};
use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::projects::{Membership, Project, Stage};
use crate::store::Writer;
use crate::text::{Text, check_length};
use crate::time::{Day, Timestamp};

/// What someone puts to the group. It opens as soon as it is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProposal {
    pub title: Text,
    pub body: Text,
    pub rules: ProposalRules,
    pub closes_at: Timestamp,
    /// A change to the project's plan, made once the proposal passes.
    pub plan_change: Option<PlanChange>,
}

/// How a vote comes to be cast, beyond the voter's own hand.
struct Casting {
    voter: PersonId,
    assisted_by: Option<PersonId>,
    entered_by: Option<PersonId>,
    consent_recorded: bool,
}

fn load_proposal(w: &Writer<'_>, id: &ProposalId) -> Result<Proposal> {
    w.get(id.as_str())?
        .ok_or_else(|| Error::not_found("proposal", id))
}

/// A reason as given: trimmed, and none when blank.
fn tidy(reason: Option<String>) -> Option<String> {
    reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
}

impl Equally {
    /// Puts a proposal to `project`'s members. Its electorate is the
    /// project's active members now.
    pub fn propose(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        new: NewProposal,
    ) -> Result<ProposalView> {
        let now = self.now();
        let id = self.write(actor, |w| {
            let mut electorate: Vec<PersonId> = w
                .select::<Membership>(
                    "WHERE project_id = ?1 AND status = 'active'",
                    [project.as_str()],
                )?
                .into_iter()
                .map(|m| m.person_id)
                .collect();
            electorate.sort();
            let proposal = Proposal {
                id: ProposalId::new(),
                project_id: project.clone(),
                author_id: actor.clone(),
                title: new.title,
                body: new.body,
                rules: new.rules,
                opens_at: now,
                closes_at: new.closes_at,
                electorate,
                state: ProposalState::Open,
                withdrawn_at: None,
                plan_change: new.plan_change,
                plan_applied_at: None,
                plan_applied_by: None,
                outcome: None,
            };
            w.put(&proposal)?;
            Ok(proposal.id)
        })?;
        self.proposal(actor, &id)
    }

    /// Rewords a proposal (its author, before anyone votes) or adds an
    /// easy-read version or translation (anyone in the project).
    pub fn reword_proposal(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        title: Option<Text>,
        body: Option<Text>,
    ) -> Result<ProposalView> {
        self.change_proposal(actor, id, |p| {
            if let Some(t) = title {
                p.title = t;
            }
            if let Some(b) = body {
                p.body = b;
            }
            Ok(())
        })
    }

    /// Withdraws a proposal: its author only, before anyone has voted.
    pub fn withdraw_proposal(&self, actor: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        let now = self.now();
        self.change_proposal(actor, id, |p| {
            p.state = ProposalState::Withdrawn;
            p.withdrawn_at = Some(now);
            Ok(())
        })
    }

    /// Records what was decided and when to look at it again; any member,
    /// once voting has closed.
    pub fn record_outcome(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        statement: Text,
        review_on: Day,
    ) -> Result<ProposalView> {
        let now = self.now();
        self.change_proposal(actor, id, |p| {
            p.outcome = Some(Outcome {
                statement,
                review_on,
                recorded_by: actor.clone(),
                recorded_at: now,
            });
            Ok(())
        })
    }

    /// Makes the change to the project's plan that a passed proposal
    /// carries, once its result is final. Any member may.
    pub fn apply_plan_change(&self, actor: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        let now = self.now();
        self.write(actor, |w| {
            let mut proposal = load_proposal(w, id)?;
            let Some(change) = proposal.plan_change.clone() else {
                return Err(Error::conflict("this proposal does not change the plan"));
            };
            proposal.plan_applied_at = Some(now);
            proposal.plan_applied_by = Some(actor.clone());
            // The proposal first: the project's rule looks for it applied.
            w.put(&proposal)?;
            let mut project: Project = w.require(proposal.project_id.as_str())?;
            if let Some(title) = change.title {
                project.title = title;
            }
            if let Some(purpose) = change.purpose {
                project.purpose = purpose;
            }
            if let Some(stage) = change.stage {
                if project.stage == Stage::Done && stage != Stage::Done {
                    project.times_reopened += 1;
                }
                project.stage = stage;
            }
            project.plan_from_proposal = Some(proposal.id.clone());
            w.put(&project)
        })?;
        self.proposal(actor, id)
    }

    /// Casts or changes `actor`'s own vote. The latest vote before the close
    /// is the one that counts.
    pub fn vote(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        ballot: Ballot,
        reason: Option<String>,
    ) -> Result<ProposalView> {
        self.cast(
            actor,
            id,
            ballot,
            reason,
            Casting {
                voter: actor.clone(),
                assisted_by: None,
                entered_by: None,
                consent_recorded: false,
            },
        )
    }

    /// Casts `actor`'s own vote with a named supporter's help; it is
    /// recorded as assisted and is still the voter's one vote.
    pub fn vote_assisted(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        supporter: &PersonId,
        ballot: Ballot,
        reason: Option<String>,
    ) -> Result<ProposalView> {
        self.cast(
            actor,
            id,
            ballot,
            reason,
            Casting {
                voter: actor.clone(),
                assisted_by: Some(supporter.clone()),
                entered_by: None,
                consent_recorded: false,
            },
        )
    }

    /// Enters a paper or spoken vote for `voter`, who agreed to it being
    /// entered (`consent_recorded`). It counts as the voter's own.
    pub fn enter_vote_on_behalf(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        voter: &PersonId,
        ballot: Ballot,
        reason: Option<String>,
        consent_recorded: bool,
    ) -> Result<ProposalView> {
        self.cast(
            actor,
            id,
            ballot,
            reason,
            Casting {
                voter: voter.clone(),
                assisted_by: None,
                entered_by: Some(actor.clone()),
                consent_recorded,
            },
        )
    }

    fn cast(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        ballot: Ballot,
        reason: Option<String>,
        casting: Casting,
    ) -> Result<ProposalView> {
        let now = self.now();
        self.write(actor, |w| {
            let proposal = load_proposal(w, id)?;
            w.facts().require_member(&proposal.project_id, actor)?;
            if proposal.is_withdrawn() {
                return Err(Error::conflict(
                    "this proposal was withdrawn, so it takes no votes",
                ));
            }
            let votes: Vec<_> = stored_votes(w.facts(), &proposal)?
                .iter()
                .map(VoteRecord::vote)
                .collect();
            // The device's own clock says whether voting is still open; the
            // shared rule then checks the vote's stamp the same way.
            if now >= proposal.closes_with(&votes) {
                return Err(Error::conflict("voting on this proposal has closed"));
            }
            let record_id = VoteRecord::id_for(id, &casting.voter);
            let before: Option<VoteRecord> = w.get(&record_id)?;
            let cast_at = w.stamp_next_change();
            w.put(&VoteRecord {
                id: record_id,
                proposal_id: id.clone(),
                project_id: proposal.project_id.clone(),
                voter: casting.voter,
                anonymous: proposal.is_anonymous(),
                ballot,
                reason: tidy(reason),
                cast_at,
                received_at: before.as_ref().and_then(|b| b.received_at),
                assisted_by: casting.assisted_by,
                entered_by: casting.entered_by,
                consent_recorded: casting.consent_recorded,
                objection: ObjectionState::default(),
                resolution: None,
                seat: before.and_then(|b| b.seat),
            })
        })?;
        self.proposal(actor, id)
    }

    /// The objector takes back their objection or block. It stays on the
    /// record as withdrawn.
    pub fn withdraw_objection(&self, actor: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        self.change_objection(actor, id, actor, |v| {
            v.objection.withdrawn = true;
            Ok(())
        })
    }

    /// The objector says they felt heard.
    pub fn record_felt_heard(&self, actor: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        self.change_objection(actor, id, actor, |v| {
            v.objection.felt_heard = true;
            Ok(())
        })
    }

    /// The objector's answer to "what would make this OK for you?".
    pub fn answer_what_would_make_it_ok(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        answer: &str,
    ) -> Result<ProposalView> {
        let answer = answer.trim();
        check_length("what_would_make_it_ok", answer, super::MAX_REASON_CHARS)?;
        self.change_objection(actor, id, actor, |v| {
            v.objection.what_would_make_it_ok = Some(answer.to_string());
            Ok(())
        })
    }

    /// Marks `objector`'s objection resolved by the group, saying how. Any
    /// member may, with the objector's agreement recorded; on an anonymous
    /// proposal only the objector may.
    pub fn resolve_objection(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        objector: &PersonId,
        how: &str,
        objector_agreed: bool,
    ) -> Result<ProposalView> {
        let how = how.trim();
        check_length("resolution.how", how, super::MAX_REASON_CHARS)?;
        let now = self.now();
        self.change_objection(actor, id, objector, |v| {
            if v.objection.withdrawn {
                return Err(Error::conflict("this objection was already withdrawn"));
            }
            v.objection.resolved = true;
            v.resolution = Some(Resolution {
                resolved_by: actor.clone(),
                how: how.to_string(),
                objector_agreed,
                resolved_at: now,
            });
            Ok(())
        })
    }

    /// The objector says their objection is not resolved for them after
    /// all: it stands again.
    pub fn reopen_objection(&self, actor: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        self.change_objection(actor, id, actor, |v| {
            v.objection.resolved = false;
            v.resolution = None;
            Ok(())
        })
    }

    fn change_objection(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        voter: &PersonId,
        change: impl FnOnce(&mut VoteRecord) -> Result<()>,
    ) -> Result<ProposalView> {
        self.write(actor, |w| {
            let proposal = load_proposal(w, id)?;
            w.facts().require_member(&proposal.project_id, actor)?;
            let mut record: VoteRecord = w
                .get::<VoteRecord>(&VoteRecord::id_for(id, voter))?
                .filter(|v| v.ballot.is_objection())
                .ok_or_else(|| Error::not_found("objection", id))?;
            change(&mut record)?;
            w.put(&record)
        })?;
        self.proposal(actor, id)
    }

    fn change_proposal(
        &self,
        actor: &PersonId,
        id: &ProposalId,
        change: impl FnOnce(&mut Proposal) -> Result<()>,
    ) -> Result<ProposalView> {
        self.write(actor, |w| {
            let mut proposal = load_proposal(w, id)?;
            change(&mut proposal)?;
            w.put(&proposal)
        })?;
        self.proposal(actor, id)
    }
}
