//! The ballot box of an anonymous proposal: the counted ballots with no
//! voter, helper or stamp, which the sync server sends a project instead of
//! its members' vote records.
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

use super::ballot::{Ballot, ObjectionState};
use super::proposal::*;
use super::visibility::seen_by;
use super::votes::*;
use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

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
