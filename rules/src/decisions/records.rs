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
//! # Anonymous proposals: what the device and the server can see
//!
//! A vote record names its voter, because one member, one vote needs it.
//! On an anonymous proposal that name must reach no other member:
//!
//! - **The screen** never shows another member's ballot with a name: it is
//!   cut by [`super::visibility::seen_by`].
//! - **The device's database** holds the member's own vote records, and
//!   those they entered for someone or helped cast (they were there). It
//!   would also hold other members' records, voter ids and all, if sync
//!   brought them, and anyone with the unlocked phone could read them. So
//!   the sync server must not send them: [`vote_audience`] says who may
//!   receive each vote record, and for an anonymous proposal that is the
//!   voter alone (not their project, and not the staff who support them,
//!   who read their personal scope). The server sends the project a
//!   [`BallotBox`] instead: the counted ballots with no voter, helper or
//!   stamp, which [`ballot_box`] makes. A device shows the result from the
//!   box plus its own vote; until it has a box, from the records it holds.
//! - **The server** stores who cast which ballot, and so does anyone who
//!   can read its database or backups: it needs the names to keep one vote
//!   per member. It sends them to nobody but the voter. The visibility
//!   module lists what else gives people away.
//! - **Other members' devices** hold the proposal, their own vote records
//!   and the box: ballots, reasons, objection states and seats, no names.
//!   They can see when the box changed (someone voted then).
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

use super::ballot::{
    Ballot, MAX_REASON_CHARS, ObjectionState, Vote, validate_objection, validate_vote,
};
use super::counting::{cast_before, effective_close, grace_ends};
use super::method::{Anonymity, ProposalRules, validate_proposal_rules};
use super::tally::{Status, tally};
use super::visibility::seen_by;
use crate::duties::{Refusal, hold_if_changed};
use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::projects::{MembershipStatus, Project, Stage};
use crate::text::{Text, check_length};
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

/// How an objection was resolved by the group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub resolved_by: PersonId,
    /// What the group did about it, in a sentence the objector agreed to.
    pub how: String,
    /// The objector agreed it is resolved. Required: nobody resolves an
    /// objection over its author's head.
    pub objector_agreed: bool,
    pub resolved_at: Timestamp,
}

/// One member's vote on one proposal: the [`Vote`] the tally reads, as a
/// row. `anonymous` copies the proposal's rule so the sync server can route
/// the record without loading the proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub id: String,
    pub proposal_id: ProposalId,
    pub project_id: ProjectId,
    pub voter: PersonId,
    pub anonymous: bool,
    pub ballot: Ballot,
    pub reason: Option<String>,
    pub cast_at: Hlc,
    /// Set by the server when it accepts the vote; never by a device.
    pub received_at: Option<Timestamp>,
    pub assisted_by: Option<PersonId>,
    pub entered_by: Option<PersonId>,
    pub consent_recorded: bool,
    pub objection: ObjectionState,
    pub resolution: Option<Resolution>,
    /// The server's token for this voter's place in the proposal's
    /// [`BallotBox`], sent to the voter alone; never set by a device.
    pub seat: Option<String>,
}

impl VoteRecord {
    pub fn id_for(proposal: &ProposalId, voter: &PersonId) -> String {
        format!("{proposal}:{voter}")
    }

    /// The vote as the tally reads it.
    pub fn vote(&self) -> Vote {
        Vote {
            voter: self.voter.clone(),
            ballot: self.ballot.clone(),
            reason: self.reason.clone(),
            cast_at: self.cast_at,
            received_at: self.received_at,
            assisted_by: self.assisted_by.clone(),
            entered_by: self.entered_by.clone(),
            consent_recorded: self.consent_recorded,
            objection: self.objection.clone(),
        }
    }

    /// Whether this change casts a vote (a new ballot, reason, stamp or way
    /// of casting) rather than only moving an objection along.
    pub fn casts(&self, before: Option<&VoteRecord>) -> bool {
        before.is_none_or(|b| {
            b.ballot != self.ballot
                || b.reason != self.reason
                || b.cast_at != self.cast_at
                || b.assisted_by != self.assisted_by
                || b.entered_by != self.entered_by
                || b.consent_recorded != self.consent_recorded
        })
    }
}

/// Every vote record stored for `proposal`, found by the register ids of its
/// electorate: the one query every checker (device or server) can answer.
pub fn stored_votes(facts: &dyn Facts, proposal: &Proposal) -> Result<Vec<VoteRecord>> {
    let mut out = Vec::new();
    for voter in &proposal.electorate {
        if let Some(v) = facts.get::<VoteRecord>(&VoteRecord::id_for(&proposal.id, voter))? {
            out.push(v);
        }
    }
    Ok(out)
}

fn votes_of(records: &[VoteRecord]) -> Vec<Vote> {
    records.iter().map(VoteRecord::vote).collect()
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

impl Entity for VoteRecord {
    const KIND: &'static str = "vote";
    const TABLE: &'static str = "votes";

    fn id(&self) -> &str {
        &self.id
    }

    /// Every vote belongs to its project, but on an anonymous proposal only
    /// its voter may receive it: see [`vote_audience`].
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }

    fn validate(&self) -> Result<()> {
        if self.id != Self::id_for(&self.proposal_id, &self.voter) {
            return Err(Error::invalid(
                "id",
                "does not name this proposal and voter",
            ));
        }
        if let Some(reason) = self.reason.as_deref() {
            check_length("reason", reason, MAX_REASON_CHARS)?;
        }
        validate_objection(&self.objection)?;
        if let Some(r) = &self.resolution {
            check_length("resolution.how", &r.how, MAX_REASON_CHARS)?;
        }
        if self.objection.resolved != self.resolution.is_some() {
            return Err(Error::invalid(
                "resolution",
                "says how an objection was resolved, exactly when it is",
            ));
        }
        Ok(())
    }

    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        let proposal: Proposal = facts
            .get(self.proposal_id.as_str())?
            .ok_or_else(|| Error::not_found("proposal", &self.proposal_id))?;
        if proposal.project_id != self.project_id {
            return Err(Error::invalid(
                "project_id",
                "is not the proposal's project",
            ));
        }
        if self.anonymous != proposal.is_anonymous() {
            return Err(Error::invalid(
                "anonymous",
                "must say what the proposal says",
            ));
        }
        if proposal.is_withdrawn() {
            return Err(Error::conflict(
                "this proposal was withdrawn, so it takes no votes",
            ));
        }
        if proposal.electorate.binary_search(&self.voter).is_err() {
            return Err(Error::not_allowed(
                "only the members when the proposal opened have a vote on it; joining later adds no vote",
            ));
        }
        // The server sets `received_at` and `seat` itself, after these
        // rules, when it accepts the vote (`ServerDuties::stamp_after_applying`).
        let before_received = before.and_then(|b| b.received_at);
        let before_seat = before.and_then(|b| b.seat.as_ref());
        if self.received_at != before_received || self.seat.as_ref() != before_seat {
            return Err(Error::invalid(
                "received_at",
                "is set by the sync server, not by a device",
            ));
        }
        if self.casts(before) {
            self.authorise_casting(before, author, &proposal, facts)
        } else {
            self.authorise_objection(before, author, &proposal)
        }
    }
}

impl VoteRecord {
    fn authorise_casting(
        &self,
        before: Option<&Self>,
        author: &PersonId,
        proposal: &Proposal,
        facts: &dyn Facts,
    ) -> Result<()> {
        let vote = self.vote();
        validate_vote(
            &proposal.rules.method,
            &proposal.rules.options,
            proposal.rules.reason_required,
            &vote,
        )?;
        let own = author == &self.voter && self.entered_by.is_none();
        let entered = self.entered_by.as_ref() == Some(author) && author != &self.voter;
        if !own && !entered {
            return Err(Error::not_allowed(
                "a vote is cast by the voter, or entered for them by a member with their consent recorded",
            ));
        }
        if entered && !self.consent_recorded {
            return Err(Error::invalid(
                "consent_recorded",
                "is missing: a vote entered for someone needs their consent recorded",
            ));
        }
        if let Some(supporter) = &self.assisted_by {
            facts.person(supporter)?;
        }
        if !facts.is_member(&self.project_id, &self.voter)? {
            return Err(Error::not_allowed(
                "only members of this project can vote on its proposals",
            ));
        }
        if self.objection != ObjectionState::default() || self.resolution.is_some() {
            return Err(Error::invalid(
                "objection",
                "starts afresh with each new vote",
            ));
        }
        if let Some(b) = before
            && self.cast_at <= b.cast_at
        {
            return Err(Error::conflict(
                "a newer vote from this person is already recorded",
            ));
        }
        if i128::from(self.cast_at.wall_ms) < i128::from(proposal.opens_at.millis()) {
            return Err(Error::conflict(
                "voting on this proposal has not opened yet",
            ));
        }
        // The close counts everyone else's vote as stored and this one in
        // place of the voter's earlier vote. On the server `cast_at` is
        // already held to its clock, and a vote received after the close
        // plus the grace window refused as `too_late`
        // ([`hold_vote_to_server_clock`]).
        let mut votes: Vec<Vote> = stored_votes(facts, proposal)?
            .iter()
            .filter(|v| v.voter != self.voter)
            .map(VoteRecord::vote)
            .collect();
        votes.push(vote);
        if !cast_before(self.cast_at, proposal.closes_with(&votes)) {
            return Err(Error::conflict("voting on this proposal has closed"));
        }
        Ok(())
    }

    fn authorise_objection(
        &self,
        before: Option<&Self>,
        author: &PersonId,
        proposal: &Proposal,
    ) -> Result<()> {
        let Some(before) = before else {
            return Ok(());
        };
        if self.objection == before.objection && self.resolution == before.resolution {
            return Ok(());
        }
        if !self.ballot.is_objection() {
            return Err(Error::conflict("this vote is not an objection or a block"));
        }
        let (now, was) = (&self.objection, &before.objection);
        let is_objector = author == &self.voter;
        if now.withdrawn != was.withdrawn {
            if was.withdrawn {
                return Err(Error::conflict(
                    "a withdrawn objection stays withdrawn; object again with a new vote",
                ));
            }
            if !is_objector {
                return Err(Error::not_allowed(
                    "only the person who objected can withdraw their objection",
                ));
            }
        }
        if (now.felt_heard != was.felt_heard
            || now.what_would_make_it_ok != was.what_would_make_it_ok)
            && !is_objector
        {
            return Err(Error::not_allowed(
                "only the person who objected can answer for themselves",
            ));
        }
        if now.resolved != was.resolved || self.resolution != before.resolution {
            match (&was.resolved, &now.resolved, &self.resolution) {
                (false, true, Some(r)) => {
                    if &r.resolved_by != author {
                        return Err(Error::invalid(
                            "resolution.resolved_by",
                            "must be the person marking it resolved",
                        ));
                    }
                    if !r.objector_agreed {
                        return Err(Error::invalid(
                            "resolution.objector_agreed",
                            "is missing: an objection is resolved only when the person who made it agrees",
                        ));
                    }
                    if !is_objector && proposal.is_anonymous() {
                        return Err(Error::not_allowed(
                            "on an anonymous proposal only the person who objected can say it is resolved",
                        ));
                    }
                }
                // The objector keeps the last word.
                (true, false, None) if is_objector => {}
                (true, false, None) => {
                    return Err(Error::not_allowed(
                        "only the person who objected can say it is not resolved for them",
                    ));
                }
                _ => {
                    return Err(Error::conflict(
                        "a resolution is recorded once; the objector can reopen it",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The timing rule the server applies to a pushed vote, by its own clock,
/// which the shared rules never read. `cast_at` is the
/// vote's stamp already clamped to the server's clock; `others` are the
/// other members' votes as the server holds them. A vote counts if it was
/// cast before the effective close and reaches the server no later than the
/// close plus the proposal's grace window; otherwise it is refused with the
/// code `too_late`.
pub fn vote_arrives_in_time(
    proposal: &Proposal,
    others: &[Vote],
    cast_at: Hlc,
    server_now: Timestamp,
) -> bool {
    let close = proposal.closes_with(others);
    cast_before(cast_at, close) && server_now <= grace_ends(close, proposal.rules.grace)
}

/// What the server does before the rules for a pushed vote
/// (`ServerDuties<VoteRecord>::hold_to_server_clock`): a vote cannot have
/// been cast after it reached the server, so a phone clock running fast has
/// its `cast_at` held to `server_now`; then a vote cast after the close or
/// received after the grace window is refused as `too_late`
/// ([`vote_arrives_in_time`]).
///
/// Only a change that sets a new stamp casts; one that only moves an
/// objection along (which may happen after the close) is left alone. The
/// timing is judged only for an author who is a member of the vote's
/// project: anyone else learns nothing about the proposal here and gets the
/// shared rules' answer, as does a vote for a proposal that is not there.
pub fn hold_vote_to_server_clock(
    before: Option<&VoteRecord>,
    after: &mut VoteRecord,
    author: &PersonId,
    facts: &dyn Facts,
    server_now: Timestamp,
) -> std::result::Result<(), Refusal> {
    if before.is_some_and(|b| b.cast_at == after.cast_at) {
        return Ok(());
    }
    after.cast_at = after
        .cast_at
        .clamped_to(u64::try_from(server_now.millis()).unwrap_or(0));
    if !facts.is_member(&after.project_id, author)? {
        return Ok(());
    }
    let Some(proposal) = facts.get::<Proposal>(after.proposal_id.as_str())? else {
        return Ok(());
    };
    if proposal.project_id != after.project_id {
        return Ok(());
    }
    let others: Vec<Vote> = stored_votes(facts, &proposal)?
        .iter()
        .filter(|v| v.voter != after.voter)
        .map(VoteRecord::vote)
        .collect();
    if vote_arrives_in_time(&proposal, &others, after.cast_at, server_now) {
        return Ok(());
    }
    let close = proposal.closes_with(&others);
    Err(Refusal::TooLate(
        if server_now > grace_ends(close, proposal.rules.grace) {
            "too late: this vote reached the server after the time allowed for votes made offline, so it does not count"
        } else {
            "too late: this vote was cast after voting on this proposal closed, so it does not count"
        }
        .into(),
    ))
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

/// Who may receive a vote record through sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VoteAudience {
    /// Every member of the project (a named proposal).
    Project(ProjectId),
    /// The voter alone: not their project, and not the staff who support
    /// them (an anonymous proposal).
    VoterOnly(PersonId),
}

/// Who receives a vote record: the server's `ServerDuties::receivers` for
/// votes, and its pull, follow this. For [`VoteAudience::VoterOnly`] it also
/// sends no `author` with the change, and writes the proposal's
/// [`BallotBox`] to the project.
pub fn vote_audience(record: &VoteRecord) -> VoteAudience {
    if record.anonymous {
        VoteAudience::VoterOnly(record.voter.clone())
    } else {
        VoteAudience::Project(record.project_id.clone())
    }
}

/// One counted ballot of an anonymous proposal, as members receive it: no
/// voter, helper or clock stamp.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BoxedBallot {
    pub ballot: Ballot,
    pub reason: Option<String>,
    pub objection: ObjectionState,
    /// The server's token for one voter's place; the voter finds theirs on
    /// their own vote record, so their device counts their latest vote
    /// instead of this one.
    pub seat: String,
}

/// What an anonymous proposal's members receive instead of each other's
/// vote records: one per proposal, rewritten by the server after every
/// vote it accepts. The wire shape is this struct as JSON, under the entity
/// kind `ballot_box`, id the proposal's, in the project's scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotBox {
    pub id: String,
    pub proposal_id: ProposalId,
    pub project_id: ProjectId,
    /// The votes that count, one per voter, sorted by what they say.
    pub ballots: Vec<BoxedBallot>,
    /// When voting closes or closed, after any early close.
    pub closes_at: Timestamp,
    /// Who voted, once that may be shown (quorum and at least three votes).
    pub who_voted: Option<Vec<PersonId>>,
    /// The server's clock when it counted.
    pub counted_at: Timestamp,
}

/// Builds (on the server, after each vote it accepts) the ballot box for an
/// anonymous proposal from the vote
/// records the server holds, each with the `seat` it gave its voter (a
/// record without one is left out). The same counting as every tally: the
/// latest valid vote of each member of the electorate, cast in time.
pub fn ballot_box(proposal: &Proposal, records: &[VoteRecord], server_now: Timestamp) -> BallotBox {
    let votes = votes_of(records);
    let counted = super::counting::counted_votes(
        &proposal.rules,
        &proposal.electorate,
        &votes,
        proposal.closes_at,
    );
    let mut ballots: Vec<BoxedBallot> = counted
        .votes
        .iter()
        .filter_map(|vote| {
            let record = records
                .iter()
                .find(|r| r.voter == vote.voter && r.cast_at == vote.cast_at)?;
            Some(BoxedBallot {
                ballot: vote.ballot.clone(),
                reason: vote.reason.clone(),
                objection: vote.objection.clone(),
                seat: record.seat.clone()?,
            })
        })
        .collect();
    ballots.sort();
    // The box is the same for every member, so it is seen as by nobody in
    // particular: who voted appears only once the screen's rule allows it.
    let nobody = PersonId::new();
    let seen = seen_by(
        &nobody,
        &proposal.rules,
        &proposal.electorate,
        &votes,
        proposal.closes_at,
        server_now,
    );
    BallotBox {
        id: proposal.id.to_string(),
        proposal_id: proposal.id.clone(),
        project_id: proposal.project_id.clone(),
        ballots,
        closes_at: counted.closes_at,
        who_voted: seen.who_voted,
        counted_at: server_now,
    }
}

impl Entity for BallotBox {
    const KIND: &'static str = "ballot_box";
    const TABLE: &'static str = "ballot_boxes";

    fn id(&self) -> &str {
        &self.id
    }

    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }

    fn validate(&self) -> Result<()> {
        if self.id != self.proposal_id.as_str() {
            return Err(Error::invalid("id", "must be the proposal's id"));
        }
        Ok(())
    }

    fn authorise(
        &self,
        _before: Option<&Self>,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> Result<()> {
        Err(Error::not_allowed(
            "the sync server counts an anonymous proposal's ballots; no device writes them",
        ))
    }
}
