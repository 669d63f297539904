//! A member's one vote on a proposal: cast, changed until the close,
//! assisted or entered on behalf, with its objection's life; and what the
//! sync server owes a vote (its clock, its audience). The rules of who may
//! vote and when are in `proposal.rs`'s module notes.

use super::ballot::{
    Ballot, MAX_REASON_CHARS, ObjectionState, Vote, validate_objection, validate_vote,
};
use super::counting::{cast_before, grace_ends};
use super::proposal::*;
use crate::duties::Refusal;
use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::text::check_length;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

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

pub(crate) fn votes_of(records: &[VoteRecord]) -> Vec<Vote> {
    records.iter().map(VoteRecord::vote).collect()
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
