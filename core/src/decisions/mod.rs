//! Decisions on the phone: opening a proposal, voting, objections and
//! outcomes (`api`), and the proposal screen (`screen`, with its plain-words
//! `summary`). The rules and tallies themselves are shared with the sync
//! server and live in `equally_rules::decisions`, re-exported here.

mod api;
mod screen;
mod summary;

#[cfg(test)]
mod stories;
#[cfg(test)]
mod worked_examples;

pub use equally_rules::decisions::*;

pub use api::NewProposal;
pub(crate) use screen::waiting_for_vote;
pub use screen::{
    OptionView, OutcomeView, Phase, PlanChangeView, ProposalListItem, ProposalView, VoterView,
    proposals_closing_for,
};
pub use summary::summary;
