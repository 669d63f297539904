//! What one member may see of a proposal's votes: the result (by the
//! proposal's visibility rule), the ballots, who voted and who has not. The
//! screen record and the server's answers to other members are both cut from
//! this, so an anonymous proposal is anonymous everywhere the same way.
//!
//! # What "anonymous" hides, and what it does not
//!
//! On an anonymous proposal other members never receive a link between a
//! ballot and a person: ballots come without voter, helper, clock stamp or
//! arrival order (they are sorted by what they say), and the list of who
//! voted appears only once the quorum is reached *and* at least
//! [`MIN_VOTES_TO_NAME_VOTERS`] people have voted, so nobody can work out a
//! lone voter's choice from it. Who has not voted yet is never shown.
//!
//! It is not secret from everyone. Be honest with the group about this:
//!
//! - **The sync server stores who cast which ballot.** It has to, to keep
//!   one vote per member, to let people change their vote, and to check a
//!   vote came from a member. Whoever runs the server (the charity's digital
//!   team) or can read its database or backups can link ballots to people.
//! - **The voter's own phone** keeps their ballot, and so do the phones of a
//!   supporter who helped them or a member who entered it for them.
//! - **Small groups and lopsided results give people away.** If all five
//!   members agreed, everyone knows how everyone voted. A reason written on
//!   a ballot may identify its author.
//! - **Timing**: a member watching the turnout go from 4 to 5 just after a
//!   friend said "I've voted" learns when they voted (not how).

use super::ballot::{Ballot, ObjectionState, Vote};
use super::counting::{counted_votes, quorum_needed};
use super::method::{Anonymity, ProposalRules, ResultVisibility};
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Loomio's rule: on an anonymous proposal, who voted is not shown until at
/// least this many have voted.
pub const MIN_VOTES_TO_NAME_VOTERS: u32 = 3;

/// A ballot as another member sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenBallot {
    /// Who cast it; `None` on anonymous proposals.
    pub voter: Option<PersonId>,
    pub ballot: Ballot,
    pub reason: Option<String>,
    /// The supporter who helped; `None` on anonymous proposals.
    pub assisted_by: Option<PersonId>,
    /// Who entered it for the voter; `None` on anonymous proposals.
    pub entered_by: Option<PersonId>,
    pub objection: ObjectionState,
}

/// What one member may see of a proposal's votes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenVotes {
    /// Whether the result and others' ballots may be shown yet. When false,
    /// the screen shows neither the tally nor `ballots` (which is empty).
    pub result_visible: bool,
    /// The viewer's own vote that counts, in full.
    pub my_vote: Option<Vote>,
    /// Every counted ballot, the viewer's included. Named proposals list them
    /// in voter-id order; anonymous ones in order of what they say.
    pub ballots: Vec<SeenBallot>,
    /// Who voted, or `None` while it may not be shown.
    pub who_voted: Option<Vec<PersonId>>,
    /// Eligible members who have not voted, for a gentle nudge; `None` on
    /// anonymous proposals.
    pub not_voted_yet: Option<Vec<PersonId>>,
}

/// What `viewer` may see. The same inputs as [`super::tally::tally`].
pub fn seen_by(
    viewer: &PersonId,
    rules: &ProposalRules,
    electorate: &[PersonId],
    votes: &[Vote],
    closes_at: Timestamp,
    now: Timestamp,
) -> SeenVotes {
    let mut counted = counted_votes(rules, electorate, votes, closes_at);
    counted.votes.sort_by(|a, b| a.voter.cmp(&b.voter));
    let my_vote = counted
        .votes
        .iter()
        .find(|v| &v.voter == viewer)
        .map(|v| (*v).clone());
    let closed = now >= counted.closes_at;
    let result_visible = match rules.result_visibility {
        ResultVisibility::Always => true,
        ResultVisibility::AfterIVote => closed || my_vote.is_some(),
        ResultVisibility::AfterClose => closed,
    };
    let voted = u32::try_from(counted.votes.len()).unwrap_or(u32::MAX);
    let quorum_reached = voted >= quorum_needed(rules.quorum_percent, counted.eligible as usize);
    let voters = || -> Vec<PersonId> { counted.votes.iter().map(|v| v.voter.clone()).collect() };

    let anonymous = rules.anonymity == Anonymity::Anonymous;
    let mut ballots: Vec<SeenBallot> = if result_visible {
        counted
            .votes
            .iter()
            .map(|v| SeenBallot {
                voter: (!anonymous).then(|| v.voter.clone()),
                ballot: v.ballot.clone(),
                reason: v.reason.clone(),
                assisted_by: v.assisted_by.clone().filter(|_| !anonymous),
                entered_by: v.entered_by.clone().filter(|_| !anonymous),
                objection: v.objection.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    if anonymous {
        // Voter-id order would hand the voter back to anyone who knows the
        // ids; order by content instead.
        ballots.sort_by(|a, b| {
            (&a.ballot, &a.reason, &a.objection).cmp(&(&b.ballot, &b.reason, &b.objection))
        });
    }

    let (who_voted, not_voted_yet) = if anonymous {
        let may_name = quorum_reached && voted >= MIN_VOTES_TO_NAME_VOTERS;
        (may_name.then(voters), None)
    } else {
        let voted_ids: HashSet<&PersonId> = counted.votes.iter().map(|v| &v.voter).collect();
        let mut missing: Vec<PersonId> = electorate
            .iter()
            .filter(|p| !voted_ids.contains(p))
            .cloned()
            .collect();
        missing.sort();
        missing.dedup();
        (Some(voters()), Some(missing))
    };

    SeenVotes {
        result_visible,
        my_vote,
        ballots,
        who_voted,
        not_voted_yet,
    }
}
