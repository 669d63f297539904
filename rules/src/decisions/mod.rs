//! Decisions with an equal say: a proposal's rules, ballots and votes, and
//! the pure tallies the phones and the sync server share. Nothing here reads
//! a database or a clock; the store persists these types as JSON and calls
//! these functions with `now`.
//!
//! # One member, one vote
//!
//! The *electorate* is the project's members when the proposal opened; the
//! store records it then. Each of them counts once, with weight one, whatever
//! their role: a staff member's vote weighs exactly what a supported
//! person's does, and no role can override the result. Someone who joins
//! later has no vote on a proposal already open. A person may vote again
//! until the close; only their latest vote (by its clock stamp) counts. A
//! vote cast *with* a supporter, or *entered* for someone (a paper or spoken
//! vote, with their consent recorded), is still that person's one vote.
//!
//! # When a vote counts
//!
//! A vote counts when it is from a member of the electorate, its ballot
//! passes [`validate_vote`], it was cast strictly before the close (by the
//! voter's device clock, which the server clamps to its own), and it is not
//! known to have reached the server after the grace window (48 hours by
//! default). Until the grace window has ended the result is *provisional*.
//!
//! # When voting closes
//!
//! At the closing time the proposal states, and only otherwise by a rule it
//! states when it opens; nobody, staff included, closes or extends one by
//! hand. [`CloseEarly::WhenEveryoneHasVoted`] closes it just after the last
//! member's first vote. [`Extension::WithoutQuorum`] keeps it open once, for
//! the hours it says, when fewer than the quorum had voted by the closing
//! time (counting votes cast before it that reach the server within the
//! grace window after it, so every device decides alike). A proposal that
//! closed early is never extended.
//!
//! # Quorum
//!
//! The quorum is a share of the electorate, rounded up, and never less than
//! one vote. Without a quorum nothing passes: the status is `NoQuorum`.
//!
//! # What "passes" means
//!
//! The status is `Open` until the close; [`Tally::as_it_stands`] always says
//! what the result would be if voting ended now.
//!
//! - **Consent** (consent / stand aside / object). An objection needs a
//!   reason, and stands until the person who made it withdraws it or the
//!   group resolves it. Any standing objection makes the proposal `Blocked`,
//!   whatever the turnout, and it stays blocked after the close until the
//!   objection is withdrawn or resolved: then the same tally gives `Passed`.
//!   Otherwise, with a quorum, it is `Passed` if at least one person consented
//!   (`NotPassed` if everyone stood aside).
//! - **Agreement** (agree / abstain / disagree / block). A block works like an
//!   objection: while one stands, `Blocked`. Otherwise, with a quorum, it is
//!   `Passed` when more people agree than disagree, a `Tie` when as many agree
//!   as disagree (at least one each way), else `NotPassed`. A withdrawn or
//!   resolved block no longer stops the proposal but still counts as a
//!   disagree: its author did not agree. Abstentions count towards the quorum
//!   only.
//! - **Single choice, approval, score, dot vote.** Each option's total:
//!   votes, approvals, points (an option not scored gets 0) or dots. With a
//!   quorum, the option with the highest total is `Passed`; several sharing
//!   the highest total are a `Tie`; if every total is 0, `NotPassed`.
//! - **Ranked choice.** Instant run-off, with every round recorded; ties for
//!   the fewest votes are settled without chance, as [`ranked`] explains. With
//!   a quorum, a single run-off winner is `Passed`; several options that
//!   could each have won are a `Tie`. The Condorcet winner (or the Smith set)
//!   is reported beside it but does not change the status.
//! - **Meeting-time poll.** The best slot has the most "yes"; among slots
//!   with as many "yes", the most "maybe". With a quorum, one best slot is
//!   `Passed`, several are a `Tie`; no "yes" or "maybe" at all is
//!   `NotPassed`. Each slot lists who said "no" (not on anonymous proposals).
//!
//! Ties are always reported as ties, never broken at random.

mod ballot;
mod ballot_box;
mod counting;
mod method;
mod proposal;
pub mod ranked;
mod tally;
pub mod visibility;
mod votes;

#[cfg(test)]
mod properties;

pub use ballot::{
    AgreementChoice, Availability, Ballot, ConsentChoice, MAX_REASON_CHARS, ObjectionState,
    OptionDots, OptionScore, SlotAnswer, Vote, validate_ballot, validate_objection, validate_vote,
};
pub use ballot_box::*;
pub use counting::{NotCounted, effective_close, grace_ends, quorum_needed};
pub use method::{
    Anonymity, CloseEarly, Extension, GraceWindow, MAX_DOTS, MAX_EXTENSION_HOURS,
    MAX_GRACE_MINUTES, MAX_OPTION_ID_CHARS, MAX_OPTION_LABEL_CHARS, MAX_OPTIONS, MAX_SCORE, Method,
    ProposalOption, ProposalRules, ReasonRequired, ResultVisibility, validate_proposal_rules,
};
pub use proposal::*;
pub use ranked::{RankedCount, Round, RoundResult};
pub use tally::{
    AgreementCount, ConsentCount, Counts, OptionTotal, SlotCount, Status, Tally, Turnout, tally,
};
pub use visibility::{SeenBallot, SeenVotes, seen_by};
pub use votes::*;
