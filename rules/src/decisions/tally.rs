//! The tally: what the votes that count add up to, for every method. A pure
//! function of the rules, the electorate, the votes and `now`, run the same
//! way on every phone and on the server. The rules for each method are in
//! the documentation of [`crate::decisions`].

use super::ballot::{AgreementChoice, Availability, Ballot, ConsentChoice, Vote};
use super::counting::{NotCounted, counted_votes, grace_ends, quorum_needed};
use super::method::{Anonymity, Method, ProposalRules};
use super::ranked::{RankedCount, count_ranked};
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Voting has not closed yet.
    Open,
    Passed,
    NotPassed,
    /// Several options share the top; nothing is drawn by lot, the group
    /// decides what to do next.
    Tie,
    /// Too few people voted for the result to stand.
    NoQuorum,
    /// An objection or block still stands.
    Blocked,
}

/// How many voted, out of how many could.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    /// Eligible members whose vote counts: each once, however many times
    /// they changed their mind.
    pub voted: u32,
    /// Members when the proposal opened.
    pub eligible: u32,
    /// Votes needed for a quorum.
    pub needed: u32,
}

/// An option and what it got: votes (single choice, and each run-off
/// round), approvals, points (score), or dots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionTotal {
    pub option_id: String,
    pub total: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCount {
    pub consent: u32,
    pub stand_aside: u32,
    /// Objections neither withdrawn nor resolved.
    pub objections_standing: u32,
    pub objections_withdrawn: u32,
    /// Resolved by the group (and not withdrawn by their author).
    pub objections_resolved: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementCount {
    pub agree: u32,
    pub abstain: u32,
    pub disagree: u32,
    /// Blocks neither withdrawn nor resolved.
    pub blocks_standing: u32,
    pub blocks_withdrawn: u32,
    /// Resolved by the group (and not withdrawn by their author).
    pub blocks_resolved: u32,
}

/// One meeting-time slot's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotCount {
    pub option_id: String,
    pub yes: u32,
    pub maybe: u32,
    pub no: u32,
    /// Who said no, so the group can think about them when choosing. Always
    /// empty on anonymous proposals.
    pub cannot_make_it: Vec<PersonId>,
}

/// The counts, shaped by the method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Counts {
    Consent(ConsentCount),
    Agreement(AgreementCount),
    /// Single choice, approval, score and dot vote: one total per option, in
    /// the proposal's order.
    Options {
        totals: Vec<OptionTotal>,
    },
    Ranked(RankedCount),
    TimePoll {
        slots: Vec<SlotCount>,
    },
}

/// The result of a proposal, now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// `Open` until the close; then the outcome.
    pub status: Status,
    /// The outcome if voting ended now (never `Open`); the same as `status`
    /// once closed. Shown as "the result so far" where the proposal lets
    /// people see it.
    pub as_it_stands: Status,
    /// True until the grace window after the close has ended: a vote cast
    /// offline before the close may still arrive and change the result.
    pub provisional: bool,
    /// When voting closed or closes, after any early close.
    pub closes_at: Timestamp,
    pub closed_early: bool,
    /// Voting was extended by the proposal's own rule, too few having voted
    /// by the closing time.
    pub extended: bool,
    /// When the result stops being provisional.
    pub final_at: Timestamp,
    pub turnout: Turnout,
    pub quorum_reached: bool,
    pub counts: Counts,
    /// The option(s) `as_it_stands` names: one when it passed, all the tied
    /// options on a tie, none otherwise. For consent and agreement, the one
    /// option the proposal names (if any) when it passed.
    pub winners: Vec<String>,
    pub not_counted: NotCounted,
}

/// Tallies a proposal. `electorate` is the members when it opened; `votes`
/// is every vote record known, in any order, including people's earlier
/// votes and votes from people who have no vote here (they are set aside).
/// `closes_at` is the proposal's closing time; an early close is worked out
/// here from its rules. Never fails and never panics: votes the rules refuse
/// are set aside and counted in [`Tally::not_counted`].
pub fn tally(
    rules: &ProposalRules,
    electorate: &[PersonId],
    votes: &[Vote],
    closes_at: Timestamp,
    now: Timestamp,
) -> Tally {
    let counted = counted_votes(rules, electorate, votes, closes_at);
    let voted = u32::try_from(counted.votes.len()).unwrap_or(u32::MAX);
    let needed = quorum_needed(rules.quorum_percent, counted.eligible as usize);
    let quorum_reached = voted >= needed;
    let option_ids: Vec<&str> = rules.options.iter().map(|o| o.id.as_str()).collect();

    let (counts, as_it_stands, winners) = match &rules.method {
        Method::Consent => consent(&counted.votes, quorum_reached, &option_ids),
        Method::Agreement => agreement(&counted.votes, quorum_reached, &option_ids),
        Method::RankedChoice => ranked(&counted.votes, quorum_reached, &option_ids),
        Method::TimePoll => time_poll(&counted.votes, quorum_reached, &option_ids, rules.anonymity),
        Method::SingleChoice | Method::Approval { .. } | Method::Score | Method::DotVote { .. } => {
            option_totals(&counted.votes, quorum_reached, &option_ids)
        }
    };

    let final_at = grace_ends(counted.closes_at, rules.grace);
    Tally {
        status: if now < counted.closes_at {
            Status::Open
        } else {
            as_it_stands
        },
        as_it_stands,
        provisional: now < final_at,
        closes_at: counted.closes_at,
        closed_early: counted.closed_early,
        extended: counted.extended,
        final_at,
        turnout: Turnout {
            voted,
            eligible: counted.eligible,
            needed,
        },
        quorum_reached,
        counts,
        winners,
        not_counted: counted.not_counted,
    }
}

type Outcome = (Counts, Status, Vec<String>);

/// The one option a consent or agreement proposal names, as its winner when
/// it passes.
fn named_option(status: Status, ids: &[&str]) -> Vec<String> {
    match (status, ids) {
        (Status::Passed, [only]) => vec![only.to_string()],
        _ => Vec::new(),
    }
}

fn consent(votes: &[&Vote], quorum_reached: bool, ids: &[&str]) -> Outcome {
    let mut c = ConsentCount::default();
    for vote in votes {
        match &vote.ballot {
            Ballot::Consent(ConsentChoice::Consent) => c.consent += 1,
            Ballot::Consent(ConsentChoice::StandAside) => c.stand_aside += 1,
            Ballot::Consent(ConsentChoice::Object) if vote.objection.withdrawn => {
                c.objections_withdrawn += 1
            }
            Ballot::Consent(ConsentChoice::Object) if vote.objection.resolved => {
                c.objections_resolved += 1
            }
            Ballot::Consent(ConsentChoice::Object) => c.objections_standing += 1,
            _ => {}
        }
    }
    let status = if c.objections_standing > 0 {
        Status::Blocked
    } else if !quorum_reached {
        Status::NoQuorum
    } else if c.consent == 0 {
        // Everyone stood aside: nobody objects, but nobody is for it either.
        Status::NotPassed
    } else {
        Status::Passed
    };
    (Counts::Consent(c), status, named_option(status, ids))
}

fn agreement(votes: &[&Vote], quorum_reached: bool, ids: &[&str]) -> Outcome {
    let mut c = AgreementCount::default();
    for vote in votes {
        match &vote.ballot {
            Ballot::Agreement(AgreementChoice::Agree) => c.agree += 1,
            Ballot::Agreement(AgreementChoice::Abstain) => c.abstain += 1,
            Ballot::Agreement(AgreementChoice::Disagree) => c.disagree += 1,
            Ballot::Agreement(AgreementChoice::Block) if vote.objection.withdrawn => {
                c.blocks_withdrawn += 1
            }
            Ballot::Agreement(AgreementChoice::Block) if vote.objection.resolved => {
                c.blocks_resolved += 1
            }
            Ballot::Agreement(AgreementChoice::Block) => c.blocks_standing += 1,
            _ => {}
        }
    }
    // Someone who withdraws a block no longer stops the proposal, but they
    // still did not agree: they weigh as a disagree.
    let against = c.disagree + c.blocks_withdrawn + c.blocks_resolved;
    let status = if c.blocks_standing > 0 {
        Status::Blocked
    } else if !quorum_reached {
        Status::NoQuorum
    } else if c.agree > against {
        Status::Passed
    } else if c.agree == against && c.agree > 0 {
        Status::Tie
    } else {
        Status::NotPassed
    };
    (Counts::Agreement(c), status, named_option(status, ids))
}

/// Single choice, approval, score and dots: add up, highest total wins.
fn option_totals(votes: &[&Vote], quorum_reached: bool, ids: &[&str]) -> Outcome {
    let mut totals = vec![0u64; ids.len()];
    let index = |id: &str| ids.iter().position(|o| *o == id);
    let mut add = |id: &str, amount: u64| {
        if let Some(i) = index(id) {
            totals[i] = totals[i].saturating_add(amount);
        }
    };
    for vote in votes {
        match &vote.ballot {
            Ballot::Single(id) => add(id, 1),
            Ballot::Approval(chosen) => chosen.iter().for_each(|id| add(id, 1)),
            Ballot::Score(marks) => marks
                .iter()
                .for_each(|m| add(&m.option, u64::from(m.score))),
            Ballot::Dots(marks) => marks.iter().for_each(|m| add(&m.option, u64::from(m.dots))),
            _ => {}
        }
    }
    let (status, winners) = top(quorum_reached, ids, &totals);
    let totals = ids
        .iter()
        .zip(totals)
        .map(|(id, total)| OptionTotal {
            option_id: id.to_string(),
            total,
        })
        .collect();
    (Counts::Options { totals }, status, winners)
}

/// The options on top by `score`: one passes, several tie, and when nobody
/// gave anything to anything nothing passed.
fn top<K: Ord + Copy + Default>(
    quorum_reached: bool,
    ids: &[&str],
    score: &[K],
) -> (Status, Vec<String>) {
    let best = score.iter().copied().max().unwrap_or_default();
    if !quorum_reached {
        return (Status::NoQuorum, Vec::new());
    }
    if best == K::default() {
        return (Status::NotPassed, Vec::new());
    }
    let leaders: Vec<String> = ids
        .iter()
        .zip(score)
        .filter(|(_, s)| **s == best)
        .map(|(id, _)| id.to_string())
        .collect();
    let status = if leaders.len() == 1 {
        Status::Passed
    } else {
        Status::Tie
    };
    (status, leaders)
}

fn ranked(votes: &[&Vote], quorum_reached: bool, ids: &[&str]) -> Outcome {
    // Options are found by position: with the handful of options a ballot
    // fits on a phone screen, a scan is quicker than hashing.
    let index = |id: &String| {
        ids.iter()
            .position(|o| o == id)
            .and_then(|i| u32::try_from(i).ok())
    };
    let ballots = votes.iter().filter_map(|vote| match &vote.ballot {
        Ballot::Ranked(order) => Some(order.iter().filter_map(index)),
        _ => None,
    });
    let outcome = count_ranked(ids, ballots);
    let (status, winners) = match outcome.winners.len() {
        _ if !quorum_reached => (Status::NoQuorum, Vec::new()),
        0 => (Status::NotPassed, Vec::new()),
        1 => (Status::Passed, outcome.winners),
        _ => (Status::Tie, outcome.winners),
    };
    (Counts::Ranked(outcome.count), status, winners)
}

fn time_poll(votes: &[&Vote], quorum_reached: bool, ids: &[&str], anonymity: Anonymity) -> Outcome {
    let mut slots: Vec<SlotCount> = ids
        .iter()
        .map(|id| SlotCount {
            option_id: id.to_string(),
            yes: 0,
            maybe: 0,
            no: 0,
            cannot_make_it: Vec::new(),
        })
        .collect();
    for vote in votes {
        let Ballot::TimePoll(answers) = &vote.ballot else {
            continue;
        };
        for answer in answers {
            let Some(slot) = slots.iter_mut().find(|s| s.option_id == answer.option) else {
                continue;
            };
            match answer.answer {
                Availability::Yes => slot.yes += 1,
                Availability::Maybe => slot.maybe += 1,
                Availability::No => {
                    slot.no += 1;
                    if anonymity == Anonymity::Named {
                        slot.cannot_make_it.push(vote.voter.clone());
                    }
                }
            }
        }
    }
    for slot in &mut slots {
        slot.cannot_make_it.sort();
    }
    // Most yes first; between slots with as many yes, the one more people
    // might make.
    let score: Vec<(u32, u32)> = slots.iter().map(|s| (s.yes, s.maybe)).collect();
    let (status, winners) = top(quorum_reached, ids, &score);
    (Counts::TimePoll { slots }, status, winners)
}
