//! Ranked choice: instant run-off, round by round, with the one-to-one
//! (Condorcet) result reported beside it so the group can see when the two
//! ways of reading the same ballots disagree.
//!
//! # The run-off
//!
//! Each round, every ballot counts once, for the option it ranks highest
//! among those still in. A ballot that ranks none of them is *exhausted*.
//! An option with more than half of the ballots not exhausted wins. Otherwise
//! the option with the fewest votes is eliminated and the next round begins.
//!
//! When several options share the fewest votes nothing is drawn by lot:
//!
//! 1. if together they have fewer votes than every other option still in,
//!    they would go one after another in any order, so they all go together
//!    (this is how options nobody ranked first leave in round one);
//! 2. otherwise every way of breaking the tie is followed to its end (by
//!    "parallel universes": each choice of who goes first, and every tie after
//!    that). If every way leads to the same winner, that option wins; if not,
//!    the result is a tie between every option that could have won. The
//!    rounds shown stop at the tie, which names the tied options.
//!
//! Following every way is exact but could, with many options and
//! many ties, be slow; after [`MAX_TIE_STATES`] different sets of remaining
//! options it stops and reports a tie between every option still in at the
//! first unbroken tie. That is never wrong about who *could* win, only less
//! sharp.
//!
//! # One to one
//!
//! For each pair of options we count how many ballots rank one above the
//! other (a ranked option is above every option left off). The *Condorcet
//! winner* beats every other option one to one. There may be none, when
//! preferences go round in a circle (A beats B, B beats C, C beats A); then
//! we report the *Smith set*: the smallest group of options that each beat
//! every option outside it.

use super::tally::OptionTotal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// How many different sets of remaining options the tie search may visit.
pub const MAX_TIE_STATES: usize = 4096;

/// The ranked-choice count: every round of the run-off, and the one-to-one
/// result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCount {
    pub rounds: Vec<Round>,
    /// The option that beats every other one to one, if there is one.
    pub condorcet_winner: Option<String>,
    /// The smallest group of options that each beat every option outside it,
    /// in the proposal's order. Just the Condorcet winner when there is one.
    pub smith_set: Vec<String>,
}

/// One round of the run-off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// 1 for the first round.
    pub number: u32,
    /// Votes for each option still in, in the proposal's order.
    pub counts: Vec<OptionTotal>,
    /// Ballots that rank none of the options still in.
    pub exhausted: u64,
    pub result: RoundResult,
}

/// How a round ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoundResult {
    /// This option had more than half the ballots still in play.
    Elected { option: String },
    /// These options had the fewest votes and leave. Several leave together
    /// only when together they still had fewer than any other option.
    Eliminated { options: Vec<String> },
    /// These options tied for the fewest votes and nothing fair separates
    /// them: counting stops here, and the winners are every option that wins
    /// in some way of breaking the tie (see the module documentation).
    TiedForFewest { options: Vec<String> },
    /// No ballot ranks any option still in.
    NoBallots,
}

/// What the run-off and one-to-one counts found. `winners` has one option,
/// several (a tie) or none (no ballots).
pub struct RankedOutcome {
    pub count: RankedCount,
    pub winners: Vec<String>,
}

/// Counts ranked ballots. Each ballot is the options' indices in `0..ids.len()`,
/// most preferred first, each at most once (the ballot validation
/// guarantees it; an index out of range is skipped rather than trusted).
pub fn count_ranked<B>(ids: &[&str], ballots: impl IntoIterator<Item = B>) -> RankedOutcome
where
    B: IntoIterator<Item = u32>,
{
    let election = Election::new(ids.len(), ballots);
    let (rounds, winners) = election.run_off(ids);
    let (condorcet, smith) = election.one_to_one();
    let name = |i: usize| ids.get(i).map(|s| s.to_string()).unwrap_or_default();
    RankedOutcome {
        count: RankedCount {
            rounds,
            condorcet_winner: condorcet.map(name),
            smith_set: smith.into_iter().map(name).collect(),
        },
        winners: winners.into_iter().map(name).collect(),
    }
}

/// Ballots flattened into one array: the run-off recounts every ballot each
/// round, and one contiguous array is much quicker to walk than many.
struct Election {
    options: usize,
    preferences: Vec<u32>,
    /// Where each ballot's preferences end in `preferences`.
    ends: Vec<usize>,
}

enum Step {
    Elected(usize),
    Eliminate(Vec<usize>),
    Tied(Vec<usize>),
    NoBallots,
}

impl Election {
    fn new<B: IntoIterator<Item = u32>>(
        options: usize,
        ballots: impl IntoIterator<Item = B>,
    ) -> Self {
        let ballots = ballots.into_iter();
        let mut preferences = Vec::with_capacity(ballots.size_hint().0 * options.min(8));
        let mut ends = Vec::with_capacity(ballots.size_hint().0);
        for ballot in ballots {
            preferences.extend(
                ballot
                    .into_iter()
                    .filter(|&p| usize::try_from(p).is_ok_and(|p| p < options)),
            );
            ends.push(preferences.len());
        }
        Election {
            options,
            preferences,
            ends,
        }
    }

    fn ballots(&self) -> impl Iterator<Item = &[u32]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let ballot = self.preferences.get(start..end).unwrap_or(&[]);
            start = end;
            ballot
        })
    }

    /// Each continuing option's votes this round, and the exhausted ballots.
    fn count(&self, continuing: &[bool]) -> (Vec<u64>, u64) {
        let mut votes = vec![0u64; self.options];
        let mut exhausted = 0u64;
        for ballot in self.ballots() {
            match ballot
                .iter()
                .map(|&p| p as usize)
                .find(|&p| continuing.get(p).copied().unwrap_or(false))
            {
                Some(p) => votes[p] += 1,
                None => exhausted += 1,
            }
        }
        (votes, exhausted)
    }

    fn step(continuing: &[bool], votes: &[u64]) -> Step {
        let still_in: Vec<usize> = (0..continuing.len()).filter(|&i| continuing[i]).collect();
        let active: u64 = still_in.iter().map(|&i| votes[i]).sum();
        if active == 0 {
            return Step::NoBallots;
        }
        if let Some(&winner) = still_in.iter().find(|&&i| votes[i] * 2 > active) {
            return Step::Elected(winner);
        }
        let fewest = still_in.iter().map(|&i| votes[i]).min().unwrap_or(0);
        let (lowest, rest): (Vec<usize>, Vec<usize>) =
            still_in.iter().partition(|&&i| votes[i] == fewest);
        if lowest.len() == 1 {
            return Step::Eliminate(lowest);
        }
        let together: u64 = lowest.iter().map(|&i| votes[i]).sum();
        match rest.iter().map(|&i| votes[i]).min() {
            Some(next) if together < next => Step::Eliminate(lowest),
            _ => Step::Tied(lowest),
        }
    }

    /// The run-off as people will read it, round by round, and its winners.
    fn run_off(&self, ids: &[&str]) -> (Vec<Round>, Vec<usize>) {
        let mut continuing = vec![true; self.options];
        let mut rounds = Vec::new();
        let name = |i: usize| ids.get(i).map(|s| s.to_string()).unwrap_or_default();
        let names = |set: &[usize]| set.iter().map(|&i| name(i)).collect::<Vec<_>>();
        loop {
            let (votes, exhausted) = self.count(&continuing);
            let counts = (0..self.options)
                .filter(|&i| continuing[i])
                .map(|i| OptionTotal {
                    option_id: name(i),
                    total: votes[i],
                })
                .collect();
            let number = u32::try_from(rounds.len() + 1).unwrap_or(u32::MAX);
            let round = |result| {
                rounds.push(Round {
                    number,
                    counts,
                    exhausted,
                    result,
                })
            };
            match Self::step(&continuing, &votes) {
                Step::NoBallots => {
                    round(RoundResult::NoBallots);
                    return (rounds, Vec::new());
                }
                Step::Elected(winner) => {
                    round(RoundResult::Elected {
                        option: name(winner),
                    });
                    return (rounds, vec![winner]);
                }
                Step::Eliminate(out) => {
                    round(RoundResult::Eliminated {
                        options: names(&out),
                    });
                    for i in out {
                        continuing[i] = false;
                    }
                }
                Step::Tied(tied) => {
                    round(RoundResult::TiedForFewest {
                        options: names(&tied),
                    });
                    let winners = self
                        .every_way(&continuing, &tied)
                        .unwrap_or_else(|| (0..self.options).filter(|&i| continuing[i]).collect());
                    return (rounds, winners.into_iter().collect());
                }
            }
        }
    }

    /// Everyone who wins in some way of breaking this tie, or `None` when
    /// the search grew past [`MAX_TIE_STATES`].
    fn every_way(&self, continuing: &[bool], tied: &[usize]) -> Option<BTreeSet<usize>> {
        let mut search = TieSearch {
            election: self,
            seen: HashMap::new(),
        };
        let mut winners = BTreeSet::new();
        for &out in tied {
            let mut next = continuing.to_vec();
            next[out] = false;
            winners.extend(search.winners(next)?);
        }
        Some(winners)
    }

    /// The Condorcet winner, if any, and the Smith set.
    fn one_to_one(&self) -> (Option<usize>, Vec<usize>) {
        let n = self.options;
        // prefer[a * n + b]: ballots ranking a above b.
        let mut prefer = vec![0u64; n * n];
        let mut ranked = vec![false; n];
        let mut any_ballot = false;
        for ballot in self.ballots() {
            any_ballot = true;
            ranked.iter_mut().for_each(|r| *r = false);
            for &p in ballot {
                ranked[p as usize] = true;
            }
            for (k, &a) in ballot.iter().enumerate() {
                let a = a as usize;
                for &b in &ballot[k + 1..] {
                    prefer[a * n + b as usize] += 1;
                }
                for (b, _) in ranked.iter().enumerate().filter(|(_, r)| !**r) {
                    prefer[a * n + b] += 1;
                }
            }
        }
        let beats = |a: usize, b: usize| prefer[a * n + b] > prefer[b * n + a];
        let condorcet = (0..n)
            .find(|&a| (0..n).all(|b| a == b || beats(a, b)))
            .filter(|_| any_ballot);
        // a reaches b when a chain of "beats or ties" leads from a to b; the
        // Smith set is every option that reaches all the others.
        let mut reaches: Vec<bool> = (0..n * n)
            .map(|k| {
                let (a, b) = (k / n, k % n);
                a == b || !beats(b, a)
            })
            .collect();
        for via in 0..n {
            for a in 0..n {
                if reaches[a * n + via] {
                    for b in 0..n {
                        if reaches[via * n + b] {
                            reaches[a * n + b] = true;
                        }
                    }
                }
            }
        }
        let smith = (0..n)
            .filter(|&a| (0..n).all(|b| reaches[a * n + b]))
            .collect();
        (condorcet, smith)
    }
}

/// Follows every way of breaking ties. Who wins from a given set of
/// remaining options depends only on that set, so each set is counted once.
struct TieSearch<'a> {
    election: &'a Election,
    seen: HashMap<Vec<bool>, BTreeSet<usize>>,
}

impl TieSearch<'_> {
    fn winners(&mut self, continuing: Vec<bool>) -> Option<BTreeSet<usize>> {
        if let Some(known) = self.seen.get(&continuing) {
            return Some(known.clone());
        }
        if self.seen.len() >= MAX_TIE_STATES {
            return None;
        }
        let (votes, _) = self.election.count(&continuing);
        let winners = match Election::step(&continuing, &votes) {
            Step::NoBallots => BTreeSet::new(),
            Step::Elected(winner) => BTreeSet::from([winner]),
            Step::Eliminate(out) => {
                let mut next = continuing.clone();
                for i in out {
                    next[i] = false;
                }
                self.winners(next)?
            }
            Step::Tied(tied) => {
                let mut all = BTreeSet::new();
                for out in tied {
                    let mut next = continuing.clone();
                    next[out] = false;
                    all.extend(self.winners(next)?);
                }
                all
            }
        };
        self.seen.insert(continuing, winners.clone());
        Some(winners)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 5] = ["a", "b", "c", "d", "e"];

    /// `n` ballots of one ranking, written as a string of option letters.
    fn ballots(groups: &[(usize, &str)]) -> Vec<Vec<u32>> {
        groups
            .iter()
            .flat_map(|&(n, ranking)| {
                let ballot: Vec<u32> = ranking.chars().map(|c| (c as u32) - ('a' as u32)).collect();
                std::iter::repeat_n(ballot, n)
            })
            .collect()
    }

    fn winners_of(ids: &[&str], groups: &[(usize, &str)]) -> Vec<String> {
        count_ranked(ids, ballots(groups)).winners
    }

    #[test]
    fn a_clear_majority_wins_in_the_first_round() {
        let outcome = count_ranked(&IDS[..3], ballots(&[(6, "abc"), (4, "bca")]));
        assert_eq!(outcome.winners, ["a"]);
        assert_eq!(outcome.count.rounds.len(), 1);
        assert_eq!(outcome.count.condorcet_winner.as_deref(), Some("a"));
        assert_eq!(outcome.count.smith_set, ["a"]);
    }

    #[test]
    fn options_nobody_put_first_leave_together() {
        // Round 1: a 3, b 3, c 1, d 0, e 0. d and e together have fewer
        // than c, so they leave together; then c; then a wins 4 to 3.
        let outcome = count_ranked(&IDS, ballots(&[(3, "a"), (3, "b"), (1, "ca")]));
        let results: Vec<&RoundResult> = outcome.count.rounds.iter().map(|r| &r.result).collect();
        assert_eq!(
            results,
            [
                &RoundResult::Eliminated {
                    options: vec!["d".into(), "e".into()]
                },
                &RoundResult::Eliminated {
                    options: vec!["c".into()]
                },
                &RoundResult::Elected { option: "a".into() },
            ]
        );
        assert_eq!(outcome.winners, ["a"]);
    }

    #[test]
    fn a_tie_for_fewest_that_could_go_either_way_is_a_tie() {
        // a 3, b 2, c 2. Drop b: its ballots rank nothing else, a wins 3 of
        // 5. Drop c: its ballots go to b, b wins 4 of 7. Either could win.
        let outcome = count_ranked(&IDS[..3], ballots(&[(3, "a"), (2, "b"), (2, "cb")]));
        assert_eq!(outcome.winners, ["a", "b"]);
        assert_eq!(
            outcome.count.rounds.last().map(|r| &r.result),
            Some(&RoundResult::TiedForFewest {
                options: vec!["b".into(), "c".into()]
            })
        );
    }

    #[test]
    fn a_tie_that_every_way_resolves_the_same_has_one_winner() {
        // b and c tie for fewest; whichever goes, its ballots go to a.
        assert_eq!(
            winners_of(&IDS[..3], &[(4, "a"), (3, "ba"), (3, "ca")]),
            ["a"]
        );
    }

    #[test]
    fn two_options_with_equal_votes_tie() {
        assert_eq!(winners_of(&IDS[..2], &[(5, "ab"), (5, "ba")]), ["a", "b"]);
    }

    #[test]
    fn no_ballots_means_no_winner() {
        let outcome = count_ranked(&IDS[..3], Vec::<Vec<u32>>::new());
        assert!(outcome.winners.is_empty());
        assert_eq!(outcome.count.rounds[0].result, RoundResult::NoBallots);
        assert_eq!(outcome.count.condorcet_winner, None);
        assert_eq!(outcome.count.smith_set, ["a", "b", "c"]);
    }

    #[test]
    fn a_mangled_preference_is_skipped_not_trusted() {
        let outcome = count_ranked(&IDS[..2], [vec![7, 0], vec![1]]);
        assert_eq!(outcome.winners, ["a", "b"]);
    }

    #[test]
    fn the_tie_search_gives_up_gracefully() {
        // Thirteen options, each first on one ballot: every set of options
        // left is a tie of all of them, 8,000 sets in all, more than the
        // search may visit. It stops and names everyone still in.
        let ids: Vec<String> = (0..13).map(|i| format!("o{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let ballots: Vec<Vec<u32>> = (0..13).map(|i| vec![i]).collect();
        let outcome = count_ranked(&ids, ballots);
        assert_eq!(outcome.winners.len(), 13);
    }
}
