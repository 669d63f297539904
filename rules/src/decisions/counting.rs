//! Which votes count: one per eligible member, the latest they cast before
//! the close, and only if it is a valid ballot that reached the server in
//! time. Every tally and every view of the votes starts here, so "one member,
//! one vote" is decided in one place.

use super::ballot::{Vote, validate_vote};
use super::method::{CloseEarly, Extension, GraceWindow, ProposalRules};
use crate::hlc::Hlc;
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Votes that were set aside, by why. Every vote record is in exactly one
/// place: counted, superseded by the same person's later vote, or here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCounted {
    /// From people who were not members when the proposal opened.
    pub not_eligible: u32,
    /// Ballots the rules refuse (these never reach the server; a device may
    /// hold one until its push is rejected).
    pub invalid: u32,
    /// Cast at or after the close.
    pub cast_after_close: u32,
    /// Cast before the close but received after the grace window.
    pub arrived_too_late: u32,
}

/// The votes that count, one per voter, in no particular order: anything
/// shown in order sorts by voter id (never arrival order, which would hint
/// at who voted when).
#[derive(Debug)]
pub struct Counted<'a> {
    pub votes: Vec<&'a Vote>,
    pub not_counted: NotCounted,
    pub eligible: u32,
    pub closes_at: Timestamp,
    pub closed_early: bool,
    pub extended: bool,
}

/// How many votes make a quorum: the share of eligible members, rounded
/// up, and never fewer than one, because a decision nobody took part in is
/// not the group's decision.
pub fn quorum_needed(quorum_percent: u8, eligible: usize) -> u32 {
    let percent = u64::from(quorum_percent.min(100));
    let eligible = u64::try_from(eligible).unwrap_or(u64::MAX);
    let needed = eligible.saturating_mul(percent).div_ceil(100).max(1);
    u32::try_from(needed).unwrap_or(u32::MAX)
}

/// When the grace window after `closes_at` ends.
pub fn grace_ends(closes_at: Timestamp, grace: GraceWindow) -> Timestamp {
    Timestamp(
        closes_at
            .0
            .saturating_add(i64::from(grace.minutes) * 60_000),
    )
}

/// When the proposal actually closes: its closing time, earlier if its
/// rules close it once everyone has voted and everyone has, or later if its
/// rules extend it when too few had voted by then ([`Extension`]). The early close
/// is the moment just after the last member's first vote was cast, so it is
/// the same on every device whatever order the votes arrived in. Later
/// changes of mind, cast after that moment, come too late.
pub fn effective_close(
    rules: &ProposalRules,
    electorate: &[PersonId],
    votes: &[Vote],
    closes_at: Timestamp,
) -> Timestamp {
    counted_votes(rules, electorate, votes, closes_at).closes_at
}

/// A vote cast strictly before the close counts: a proposal closing at
/// 17:00 takes a vote stamped 16:59:59.999, not one stamped 17:00.
pub fn cast_before(cast_at: Hlc, closes_at: Timestamp) -> bool {
    i128::from(cast_at.wall_ms) < i128::from(closes_at.0)
}

pub fn counted_votes<'a>(
    rules: &ProposalRules,
    electorate: &[PersonId],
    votes: &'a [Vote],
    closes_at: Timestamp,
) -> Counted<'a> {
    // Each member gets a seat number; a duplicate in the electorate list
    // keeps the seat it had, so nobody is counted twice.
    let mut members: HashMap<&PersonId, usize> = HashMap::with_capacity(electorate.len());
    for person in electorate {
        let seat = members.len();
        members.entry(person).or_insert(seat);
    }
    let mut not_counted = NotCounted::default();
    // Ineligible and invalid votes are set aside whatever the close.
    let mut candidates: Vec<(usize, &Vote)> = Vec::with_capacity(votes.len());
    for vote in votes {
        let Some(&seat) = members.get(&vote.voter) else {
            not_counted.not_eligible += 1;
            continue;
        };
        if validate_vote(&rules.method, &rules.options, rules.reason_required, vote).is_err() {
            not_counted.invalid += 1;
        } else {
            candidates.push((seat, vote));
        }
    }

    let mut close = closes_at;
    let mut closed_early = false;
    if rules.close_early == CloseEarly::WhenEveryoneHasVoted && !members.is_empty() {
        let mut first_votes: Vec<Option<u64>> = vec![None; members.len()];
        for (seat, vote) in candidates
            .iter()
            .filter(|(_, v)| in_time(v, closes_at, rules.grace))
        {
            let first = &mut first_votes[*seat];
            *first = Some(first.map_or(vote.cast_at.wall_ms, |f| f.min(vote.cast_at.wall_ms)));
        }
        let everyone: Option<Vec<u64>> = first_votes.into_iter().collect();
        if let Some(last) = everyone.and_then(|firsts| firsts.into_iter().max()) {
            let early = Timestamp(i64::try_from(last).unwrap_or(i64::MAX).saturating_add(1));
            if early < closes_at {
                close = early;
                closed_early = true;
            }
        }
    }

    let mut extended = false;
    if let Extension::WithoutQuorum { hours } = rules.extension
        && !closed_early
    {
        let mut voted = vec![false; members.len()];
        for (seat, vote) in &candidates {
            if in_time(vote, closes_at, rules.grace) {
                voted[*seat] = true;
            }
        }
        let turnout = voted.iter().filter(|v| **v).count();
        if (turnout as u64) < u64::from(quorum_needed(rules.quorum_percent, members.len())) {
            close = Timestamp(
                closes_at
                    .0
                    .saturating_add(i64::from(hours).saturating_mul(3_600_000)),
            );
            extended = true;
        }
    }

    let mut latest: Vec<Option<&Vote>> = vec![None; members.len()];
    for (seat, vote) in candidates {
        if !cast_before(vote.cast_at, close) {
            not_counted.cast_after_close += 1;
        } else if !in_time(vote, close, rules.grace) {
            not_counted.arrived_too_late += 1;
        } else {
            let held = &mut latest[seat];
            if held.is_none_or(|held| later(vote, held) == Ordering::Greater) {
                *held = Some(vote);
            }
        }
    }
    Counted {
        votes: latest.into_iter().flatten().collect(),
        not_counted,
        eligible: u32::try_from(members.len()).unwrap_or(u32::MAX),
        closes_at: close,
        closed_early,
        extended,
    }
}

fn in_time(vote: &Vote, closes_at: Timestamp, grace: GraceWindow) -> bool {
    cast_before(vote.cast_at, closes_at)
        && vote
            .received_at
            .is_none_or(|received| received <= grace_ends(closes_at, grace))
}

/// Which of two votes by one person is the later. Stamps from one person's
/// devices differ by node, so a tie means the same stamp was sent twice; the
/// content then decides, so the result never depends on arrival order.
fn later(a: &Vote, b: &Vote) -> Ordering {
    let key = |v: &Vote| {
        (
            v.cast_at,
            v.ballot.clone(),
            v.reason.clone(),
            v.objection.clone(),
            v.received_at,
            v.assisted_by.clone(),
            v.entered_by.clone(),
            v.consent_recorded,
        )
    };
    a.cast_at.cmp(&b.cast_at).then_with(|| key(a).cmp(&key(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quorum_is_rounded_up_and_never_zero() {
        assert_eq!(quorum_needed(50, 9), 5);
        assert_eq!(quorum_needed(50, 10), 5);
        assert_eq!(quorum_needed(100, 7), 7);
        assert_eq!(quorum_needed(0, 12), 1);
        assert_eq!(quorum_needed(30, 0), 1);
        assert_eq!(quorum_needed(255, 4), 4);
    }

    #[test]
    fn a_vote_at_the_closing_moment_is_too_late() {
        let close = Timestamp(10_000);
        let at = |wall_ms| Hlc {
            wall_ms,
            counter: 0,
            node: 1,
        };
        assert!(cast_before(at(9_999), close));
        assert!(!cast_before(at(10_000), close));
        assert!(!cast_before(at(0), Timestamp(-5)));
    }

    #[test]
    fn the_grace_window_never_overflows() {
        assert_eq!(
            grace_ends(Timestamp(i64::MAX - 1), GraceWindow::DEFAULT),
            Timestamp(i64::MAX)
        );
    }
}
