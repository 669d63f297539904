//! Proposals and votes as the device keeps them and sync carries them, with
//! the rules every change to them must pass: on the phone before it is
//! stored, and on the sync server (through `registry::check_op`) before it is applied.
//!
//! # Who may do what
//!
//! - **Proposing.** Any active member may put a proposal to their project.
//!   It opens when it is made. Its *electorate* is the project's active
//!   members at that moment, recorded on the proposal and never changed, so
//!   someone who joins later has no vote on it. Its rules and options, its
//!   electorate and its closing time are fixed from then on.
//! - **Rewording.** Its author may reword the title and body until the
//!   first vote is cast; after that the wording people voted on stays.
//!   Anyone in the project may add an easy-read version or a translation at
//!   any time: the original wording is what they must leave alone.
//! - **Withdrawing.** Only its author, only while it is open, and only
//!   before anyone has voted.
//! - **Closing.** At its closing time, or earlier only by the rule the
//!   proposal itself states ("closes when everyone has voted"), worked out
//!   from the votes by [`effective_close`]. Nobody, staff included, closes,
//!   extends or reopens a proposal by hand.
//! - **Voting.** One register per (proposal, member), id
//!   `"{proposal}:{voter}"`. A vote is always the voter's own: cast by them
//!   (optionally *assisted*, naming the supporter who helped), or *entered
//!   on their behalf* by another member of the project, with the voter's
//!   consent recorded. Nobody else can cast or change it. The voter must be
//!   in the electorate and still a member; the vote must be cast (by its
//!   clock stamp) after the proposal opened and before its effective close.
//!   A vote can be changed until the close; the latest stamp counts.
//! - **Objections and blocks.** They stand until the objector withdraws
//!   them or the group resolves them, and stay on the record either way.
//!   Only the objector may withdraw, answer "what would make this OK for
//!   you?" or say "I felt heard". *Resolving* is the group's: any member may
//!   mark an objection resolved, saying how, with the objector's agreement
//!   recorded (as with a vote entered on someone's behalf). The objector
//!   keeps the last word: they may say "this is not resolved for me" and the
//!   objection stands again. On an anonymous proposal nobody else may know
//!   whose objection it is, so only the objector marks it resolved.
//!   Objections may be settled after the close: a proposal blocked at the
//!   close passes once its last objection is withdrawn or resolved.
//! - **Outcome.** Once voting has closed, any member may record what was
//!   decided (the outcome statement) and when the group will look at it
//!   again (the review date), and reword it later.
//! - **Changing the plan.** A proposal may carry a change to the project's
//!   plan (title, purpose, stage). Once it has passed and its result is
//!   final (the grace window for offline votes has ended), any member may
//!   make that change, once. This is the way a group that agreed "the plan
//!   changes by proposal" changes its plan; the project's own rule checks
//!   the change is exactly what the proposal said.
//!
//! # Clocks
//!
//! The shared rules never read a clock. They judge a change by the instants
//! it carries: a vote's `cast_at` (the stamp of its own change), a
//! withdrawal's `withdrawn_at`, an outcome's `recorded_at`, a plan change's
//! `plan_applied_at`. The device fills these from its clock. The sync server
//! must hold them to its own clock, as its `ServerDuties` for `VoteRecord`
//! and `Proposal` (`crate::duties`): clamp a vote's stamp, hold the other
//! instants to its clock and refuse them in its future, and refuse a vote
//! that reaches it after the close plus the grace window.
//!
//! # What the sync server does
//!
//! Its duties are `crate::duties::ServerDuties`, implemented for these
//! kinds in `server/src/duties.rs`; the registry's `check_pushed_op` runs
//! them around the shared rules on every pushed op.
//!
//! 1. Before the rules, for a change that casts a vote, it clamps `cast_at`
//!    to its own clock and, for an author who is a member of the project,
//!    refuses with the code `too_late` a vote cast after the close or
//!    received after the grace window ([`hold_vote_to_server_clock`]).
//! 2. Before the rules, it holds a proposal's `withdrawn_at`, its outcome's
//!    `recorded_at` and its `plan_applied_at` to its own clock, refusing
//!    any more than `hlc::MAX_DRIFT_MS` in its future
//!    ([`hold_proposal_to_server_clock`]): a phone whose clock runs ahead
//!    cannot record an outcome, or change the plan, before the close or the
//!    grace window has really passed.
//! 3. After the rules, it sets a vote's `received_at` in a change of its
//!    own, and gives each voter on an anonymous proposal a `seat`, a random
//!    token per (proposal, voter), kept on their vote record.
//! 4. After each vote it accepts on an anonymous proposal (and after an
//!    erasure blanks one), it rebuilds the box with [`ballot_box`] and logs
//!    it in the project's scope as kind `ballot_box`, id the proposal's,
//!    keeping only the latest in the log.
//! 5. It routes a vote record by [`vote_audience`]: on an anonymous
//!    proposal the record stays in the project's log but is sent only to
//!    its voter, with no `author` on the pulled change.
//! 6. Its `Facts::memberships` lists a project's members, so the rule that
//!    a proposal's electorate leaves nobody out runs there too.

use super::ballot::Vote;
use super::counting::effective_close;
use super::method::{Anonymity, ProposalRules, validate_proposal_rules};
use super::tally::{Status, tally};
use super::votes::*;
use crate::duties::hold_if_changed;
use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::projects::{MembershipStatus, Project, Stage};
use crate::text::Text;
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 200;

pub const MAX_BODY: usize = 5000;

pub const MAX_OUTCOME: usize = 2000;

/// How long a proposal may stay open: a year is already a long time to
/// wait for a decision.
pub const MAX_OPEN_MINUTES: i64 = 366 * 24 * 60;

/// Whether a proposal is still in play. Closed is not a state: it follows
/// from the time and the votes, and every device works it out the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    Open,
    /// Taken back by its author before anyone voted.
    Withdrawn,
}

/// What the group decided, recorded after the close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub statement: Text,
    /// When the group will look at it again.
    pub review_on: Day,
    pub recorded_by: PersonId,
    pub recorded_at: Timestamp,
}

/// A change to the project's plan that a proposal puts to the group.
/// Parts left `None` stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    pub title: Option<Text>,
    pub purpose: Option<Text>,
    pub stage: Option<Stage>,
}

impl PlanChange {
    fn is_empty(&self) -> bool {
        self.title.is_none() && self.purpose.is_none() && self.stage.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub project_id: ProjectId,
    pub author_id: PersonId,
    pub title: Text,
    pub body: Text,
    pub rules: ProposalRules,
    pub opens_at: Timestamp,
    /// The closing time it was opened with; see [`effective_close`] for an
    /// early close.
    pub closes_at: Timestamp,
    /// The active members when it opened, sorted: each has one vote.
    pub electorate: Vec<PersonId>,
    pub state: ProposalState,
    pub withdrawn_at: Option<Timestamp>,
    pub plan_change: Option<PlanChange>,
    pub plan_applied_at: Option<Timestamp>,
    pub plan_applied_by: Option<PersonId>,
    pub outcome: Option<Outcome>,
}

impl Proposal {
    pub fn is_withdrawn(&self) -> bool {
        self.state == ProposalState::Withdrawn
    }

    pub fn is_anonymous(&self) -> bool {
        self.rules.anonymity == Anonymity::Anonymous
    }

    /// When voting closes (or closed) given these votes.
    pub fn closes_with(&self, votes: &[Vote]) -> Timestamp {
        effective_close(&self.rules, &self.electorate, votes, self.closes_at)
    }
}

/// The wording people voted on is the original text in its original
/// language; easy-read versions and translations may be added around it.
fn same_wording(a: &Text, b: &Text) -> bool {
    a.original.lang == b.original.lang && a.original.text == b.original.text
}

impl Entity for Proposal {
    const KIND: &'static str = "proposal";
    const TABLE: &'static str = "proposals";

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }

    fn validate(&self) -> Result<()> {
        self.title.validate("title", MAX_TITLE)?;
        self.body.validate("body", MAX_BODY)?;
        validate_proposal_rules(&self.rules)?;
        if self.closes_at <= self.opens_at {
            return Err(Error::invalid(
                "closes_at",
                "must be after the proposal opens",
            ));
        }
        if self
            .closes_at
            .millis()
            .saturating_sub(self.opens_at.millis())
            > MAX_OPEN_MINUTES * 60_000
        {
            return Err(Error::invalid(
                "closes_at",
                "is more than a year after it opens",
            ));
        }
        if self.electorate.is_empty() {
            return Err(Error::invalid("electorate", "is empty"));
        }
        if self.electorate.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid(
                "electorate",
                "must list each member once, in order",
            ));
        }
        if self.is_withdrawn() != self.withdrawn_at.is_some() {
            return Err(Error::invalid(
                "withdrawn_at",
                "is set exactly when the proposal is withdrawn",
            ));
        }
        if let Some(change) = &self.plan_change {
            if change.is_empty() {
                return Err(Error::invalid("plan_change", "changes nothing"));
            }
            if let Some(title) = &change.title {
                title.validate("plan_change.title", crate::projects::MAX_TITLE)?;
            }
            if let Some(purpose) = &change.purpose {
                purpose.validate("plan_change.purpose", crate::projects::MAX_PURPOSE)?;
            }
        }
        if self.plan_applied_at.is_some() != self.plan_applied_by.is_some()
            || (self.plan_applied_at.is_some() && self.plan_change.is_none())
        {
            return Err(Error::invalid(
                "plan_applied_at",
                "is set, with who made the change, only once a plan change is made",
            ));
        }
        if let Some(outcome) = &self.outcome {
            outcome
                .statement
                .validate("outcome.statement", MAX_OUTCOME)?;
        }
        Ok(())
    }

    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        let Some(before) = before else {
            return self.authorise_new(author, facts);
        };
        if self.project_id != before.project_id
            || self.author_id != before.author_id
            || self.rules != before.rules
            || self.opens_at != before.opens_at
            || self.closes_at != before.closes_at
            || self.electorate != before.electorate
            || self.plan_change != before.plan_change
        {
            return Err(Error::not_allowed(
                "what a proposal asks, who may vote on it and when it closes stay as they were when it opened",
            ));
        }
        let votes = stored_votes(facts, self)?;
        if self.title != before.title || self.body != before.body {
            if before.is_withdrawn() {
                return Err(Error::conflict("this proposal was withdrawn"));
            }
            let reworded = !same_wording(&self.title, &before.title)
                || !same_wording(&self.body, &before.body);
            if reworded && author != &self.author_id {
                return Err(Error::not_allowed(
                    "only the person who proposed it can reword it; anyone can add an easy-read version or a translation",
                ));
            }
            if reworded && !votes.is_empty() {
                return Err(Error::conflict(
                    "people have voted on this wording, so it stays; an easy-read version or a translation can still be added",
                ));
            }
        }
        if self.state != before.state || self.withdrawn_at != before.withdrawn_at {
            self.authorise_withdrawal(before, author, &votes)?;
        }
        if self.outcome != before.outcome {
            self.authorise_outcome(author, &votes)?;
        }
        if self.plan_applied_at != before.plan_applied_at
            || self.plan_applied_by != before.plan_applied_by
        {
            self.authorise_plan_applied(before, author, &votes)?;
        }
        Ok(())
    }
}

impl Proposal {
    fn authorise_new(&self, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        if &self.author_id != author {
            return Err(Error::invalid(
                "author_id",
                "must be the person making the proposal",
            ));
        }
        if self.is_withdrawn() || self.outcome.is_some() || self.plan_applied_at.is_some() {
            return Err(Error::invalid(
                "state",
                "a proposal starts open, with no outcome yet",
            ));
        }
        facts.project(&self.project_id)?;
        self.check_electorate(facts)
    }

    /// The electorate is the active members when the proposal opened: nobody
    /// from outside, and nobody left out.
    fn check_electorate(&self, facts: &dyn Facts) -> Result<()> {
        if self.electorate.binary_search(&self.author_id).is_err() {
            return Err(Error::invalid(
                "electorate",
                "must include the person proposing",
            ));
        }
        for person in &self.electorate {
            let was_member = match facts.membership(&self.project_id, person)? {
                Some(m) if m.is_active() => m.since <= self.opens_at,
                // Someone who left or was removed since it opened was a
                // member when it did.
                Some(m) => {
                    matches!(m.status, MembershipStatus::Left | MembershipStatus::Removed)
                        && m.since >= self.opens_at
                }
                None => false,
            };
            if !was_member {
                return Err(Error::not_allowed(
                    "the electorate names someone who was not a member when the proposal opened",
                ));
            }
        }
        // Both the phone's store and the server (server/src/facts.rs) list
        // memberships, so this check runs in both places.
        if let Some(members) = facts.memberships(&self.project_id)? {
            let left_out = members.iter().any(|m| {
                m.is_active()
                    && m.since <= self.opens_at
                    && self.electorate.binary_search(&m.person_id).is_err()
            });
            if left_out {
                return Err(Error::not_allowed(
                    "every member when the proposal opens has a vote on it; the electorate leaves someone out",
                ));
            }
        }
        Ok(())
    }

    fn authorise_withdrawal(
        &self,
        before: &Proposal,
        author: &PersonId,
        votes: &[VoteRecord],
    ) -> Result<()> {
        if before.is_withdrawn() {
            return Err(Error::conflict("a withdrawn proposal stays withdrawn"));
        }
        if author != &self.author_id {
            return Err(Error::not_allowed(
                "only the person who proposed it can withdraw it",
            ));
        }
        if !votes.is_empty() {
            return Err(Error::conflict(
                "people have voted, so it can no longer be withdrawn; it stays open until it closes",
            ));
        }
        // `withdrawn_at` comes from the device; the server has held it to
        // its own clock ([`hold_proposal_to_server_clock`]).
        match self.withdrawn_at {
            Some(at) if at < self.closes_at => Ok(()),
            _ => Err(Error::conflict(
                "voting has closed, so there is nothing to withdraw",
            )),
        }
    }

    fn authorise_outcome(&self, author: &PersonId, votes: &[VoteRecord]) -> Result<()> {
        if self.is_withdrawn() {
            return Err(Error::conflict("a withdrawn proposal has no outcome"));
        }
        let Some(outcome) = &self.outcome else {
            return Err(Error::not_allowed(
                "an outcome, once recorded, can be reworded but not removed",
            ));
        };
        if &outcome.recorded_by != author {
            return Err(Error::invalid(
                "outcome.recorded_by",
                "must be the person recording it",
            ));
        }
        // `recorded_at` comes from the device; the server has held it to
        // its own clock ([`hold_proposal_to_server_clock`]).
        if outcome.recorded_at < self.closes_with(&votes_of(votes)) {
            return Err(Error::conflict(
                "the outcome is recorded once voting has closed",
            ));
        }
        Ok(())
    }

    fn authorise_plan_applied(
        &self,
        before: &Proposal,
        author: &PersonId,
        votes: &[VoteRecord],
    ) -> Result<()> {
        if before.plan_applied_at.is_some() {
            return Err(Error::conflict(
                "the change this proposal makes to the plan has already been made",
            ));
        }
        let (Some(at), Some(by)) = (self.plan_applied_at, &self.plan_applied_by) else {
            return Err(Error::invalid(
                "plan_applied_at",
                "is set, with who made the change, only once a plan change is made",
            ));
        };
        if by != author {
            return Err(Error::invalid(
                "plan_applied_by",
                "must be the person making the change",
            ));
        }
        if self.is_withdrawn() {
            return Err(Error::conflict("this proposal was withdrawn"));
        }
        // `plan_applied_at` comes from the device; the server has held it
        // to its own clock ([`hold_proposal_to_server_clock`]).
        let result = tally(
            &self.rules,
            &self.electorate,
            &votes_of(votes),
            self.closes_at,
            at,
        );
        if result.status != Status::Passed {
            return Err(Error::conflict(
                "only a proposal that has passed can change the plan",
            ));
        }
        if result.provisional {
            return Err(Error::conflict(
                "the result is provisional until votes cast offline have had time to arrive; the plan can change after that",
            ));
        }
        Ok(())
    }
}

/// Checks that a project's plan changed exactly as the proposal it names
/// said, and that the proposal's change was made just now. The project's
/// own rules call this when `plan_from_proposal` changes.
pub fn check_plan_from_proposal(
    before: &Project,
    after: &Project,
    facts: &dyn Facts,
) -> Result<()> {
    let Some(id) = &after.plan_from_proposal else {
        return Err(Error::not_allowed(
            "which proposal changed the plan stays on the record",
        ));
    };
    let proposal: Proposal = facts
        .get(id.as_str())?
        .ok_or_else(|| Error::not_found("proposal", id))?;
    let (Some(change), Some(applied_at)) = (&proposal.plan_change, proposal.plan_applied_at) else {
        return Err(Error::not_allowed(
            "the plan changes through a proposal that has passed and been put into effect",
        ));
    };
    // Each proposal changes the plan once, in the order they were put into
    // effect: naming an older one again cannot undo a newer decision.
    if let Some(previous) = &before.plan_from_proposal
        && let Some(previous) = facts.get::<Proposal>(previous.as_str())?
        && previous.plan_applied_at > Some(applied_at)
    {
        return Err(Error::not_allowed(
            "a proposal put into effect earlier cannot change the plan again",
        ));
    }
    let expected_stage = change.stage.unwrap_or(before.stage);
    let as_proposed = proposal.project_id == after.id
        && after.title == change.title.clone().unwrap_or_else(|| before.title.clone())
        && after.purpose
            == change
                .purpose
                .clone()
                .unwrap_or_else(|| before.purpose.clone())
        && after.stage == expected_stage
        && after.agreement == before.agreement
        && after.join_policy == before.join_policy;
    if as_proposed {
        Ok(())
    } else {
        Err(Error::not_allowed(
            "the plan can only change the way the proposal that passed said",
        ))
    }
}

/// What the server does before the rules for a pushed proposal
/// (`ServerDuties<Proposal>::hold_to_server_clock`): the instants a phone
/// writes when someone withdraws it, records its outcome or puts its plan
/// change into effect are held to the server's clock, and refused when more
/// than `hlc::MAX_DRIFT_MS` in its future
/// (`duties::held_to_server_clock`). The rules then judge them against the
/// close and the grace window, so a phone whose clock runs ahead cannot
/// record an outcome before the close really came.
pub fn hold_proposal_to_server_clock(
    before: Option<&Proposal>,
    after: &mut Proposal,
    server_now: Timestamp,
) -> Result<()> {
    hold_if_changed(
        "withdrawn_at",
        &mut after.withdrawn_at,
        before.and_then(|b| b.withdrawn_at),
        server_now,
    )?;
    hold_if_changed(
        "plan_applied_at",
        &mut after.plan_applied_at,
        before.and_then(|b| b.plan_applied_at),
        server_now,
    )?;
    if let Some(outcome) = &mut after.outcome {
        let mut recorded_at = Some(outcome.recorded_at);
        hold_if_changed(
            "outcome.recorded_at",
            &mut recorded_at,
            before
                .and_then(|b| b.outcome.as_ref())
                .map(|o| o.recorded_at),
            server_now,
        )?;
        outcome.recorded_at = recorded_at.unwrap_or(outcome.recorded_at);
    }
    Ok(())
}
