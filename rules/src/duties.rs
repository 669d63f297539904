//! What the sync server owes each kind of entity beyond running its rules.
//! The shared rules never read a clock and never see the whole store, so
//! some of what a change needs can only be done by the server: holding the
//! instants a phone wrote to the server's own clock, setting what only the
//! server may set, and choosing who receives the change. Those duties are a
//! trait here, one implementation per kind on the server, and the
//! registry's `check_pushed_op` asks for every kind's: a kind added to the
//! registry without its server duties does not compile.

use crate::entity::{Entity, Facts};
use crate::error::Error;
use crate::hlc::{Hlc, MAX_DRIFT_MS};
use crate::ids::PersonId;
use crate::time::Timestamp;

/// What the sync server must do for entities of kind `E`, around the shared
/// rules it runs on every pushed change.
///
/// Every method is required, so the server says for each kind what it does,
/// even when that is nothing: most kinds need none of this (the server
/// implements them together, naming each), while a vote, a proposal and
/// the ballot box each have duties of their own. When you add a kind to
/// `registry.rs`, the server stops compiling until it says what it owes the
/// new kind; read the kind's rules for instants a phone writes that a rule
/// compares with a close, a deadline or another person's change: those must
/// be held to the server's clock.
///
/// The order on the server, for one pushed create or update:
/// [`hold_to_server_clock`](Self::hold_to_server_clock), then the shared
/// `validate` and `authorise`, then the write, then
/// [`stamp_after_applying`](Self::stamp_after_applying); the change goes to
/// the [`receivers`](Self::receivers) of the entity as it now is.
pub trait ServerDuties<E: Entity> {
    /// Before the shared rules run: hold the instants the phone wrote on
    /// `after` to the server's clock (a phone whose clock runs ahead must not
    /// record something "after the close" before the close really
    /// happened), and refuse what only the server's clock can refuse (a
    /// vote that arrives after the grace window). `before` is the entity
    /// as stored, `author` who made the change. Hold only what this change
    /// sets: an instant recorded earlier was held when it arrived.
    fn hold_to_server_clock(
        &self,
        before: Option<&E>,
        after: &mut E,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<(), Refusal>;

    /// After the change is written: set what only the server may set (when
    /// a vote arrived, a voter's seat in the ballot box) and rebuild what the
    /// server keeps for others (the ballot box), as changes of the server's
    /// own, stamped after `stamp`, the stamp of the change just applied.
    fn stamp_after_applying(
        &self,
        before: Option<&E>,
        applied: &E,
        stamp: Hlc,
    ) -> crate::Result<()>;

    /// Who receives a change to `entity`, as it is after the change.
    fn receivers(&self, entity: &E) -> Receivers;
}

/// Who receives a change the server applied. Every change is kept in the
/// log of its entity's own scope; some reach more people, some fewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receivers {
    /// Whoever may read the entity's scope.
    ItsScope,
    /// Whoever may read its scope, and this person too, through their
    /// personal scope: someone the entity lets into (or out of) a scope
    /// they cannot read yet, as a membership does its member and a support
    /// link its member of staff.
    ItsScopeAndThem(PersonId),
    /// This person alone, though the change is kept in its scope's log: a
    /// vote on an anonymous proposal reaches only its voter (see
    /// `decisions::vote_audience`), and the rest of the project receives
    /// the ballot box instead.
    OnlyThem(PersonId),
    /// Readers of its scope whom the entity's own rule lets see it, judged
    /// reader by reader when they pull: a statement shared with "my
    /// projects" reaches only those who share a project with its author
    /// (`statements::may_see`).
    ThoseItsRuleLetsSee,
}

/// Why the server refused a change: a shared rule (or a store failure,
/// `Error::Storage`, which is not a refusal and stops the whole push), or a
/// vote that came too late by the server's clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Rule(Error),
    /// Cast after the close, or received after the close plus the
    /// proposal's grace window. The code a device is told: `too_late`.
    TooLate(String),
}

impl Refusal {
    /// The code the device is told, as in `wire::OpResult::Rejected`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Rule(e) => e.code(),
            Refusal::TooLate(_) => "too_late",
        }
    }
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Refusal::Rule(e)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Rule(e) => e.fmt(f),
            Refusal::TooLate(message) => f.write_str(message),
        }
    }
}

/// An instant a phone wrote, held to the server's clock, the way a vote's
/// stamp is: a phone clock a little ahead (up to `MAX_DRIFT_MS`) is taken
/// to mean "now", and an instant further ahead than that is refused, since
/// nothing can have happened in the server's future.
pub fn held_to_server_clock(
    field: &str,
    at: Timestamp,
    server_now: Timestamp,
) -> crate::Result<Timestamp> {
    let drift = i64::try_from(MAX_DRIFT_MS).unwrap_or(i64::MAX);
    if at.millis() > server_now.millis().saturating_add(drift) {
        return Err(Error::invalid(
            field,
            "is later than the server's clock: the phone's clock may be wrong",
        ));
    }
    Ok(if at > server_now { server_now } else { at })
}

/// Holds `at` to the server's clock when this change sets it to something
/// new; an instant already stored stays as it was held.
pub fn hold_if_changed(
    field: &str,
    at: &mut Option<Timestamp>,
    before: Option<Timestamp>,
    server_now: Timestamp,
) -> crate::Result<()> {
    if let Some(new) = *at
        && Some(new) != before
    {
        *at = Some(held_to_server_clock(field, new, server_now)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    #[test]
    fn an_instant_a_little_ahead_of_the_server_is_taken_as_now() {
        let ahead = Timestamp(NOW.millis() + 60_000);
        assert_eq!(held_to_server_clock("at", ahead, NOW), Ok(NOW));
    }

    #[test]
    fn an_instant_in_the_past_is_kept() {
        let earlier = Timestamp(NOW.millis() - 60_000);
        assert_eq!(held_to_server_clock("at", earlier, NOW), Ok(earlier));
    }

    #[test]
    fn an_instant_far_ahead_of_the_server_is_refused() {
        let tomorrow = Timestamp(NOW.millis() + 24 * 3_600_000);
        let refused = held_to_server_clock("outcome.recorded_at", tomorrow, NOW).unwrap_err();
        assert_eq!(refused.code(), "invalid");
        assert!(refused.to_string().starts_with("outcome.recorded_at"));
    }

    #[test]
    fn an_instant_already_stored_is_not_held_again() {
        let long_ago = Timestamp(NOW.millis() - 3_600_000);
        let mut at = Some(long_ago);
        hold_if_changed("at", &mut at, Some(long_ago), Timestamp(0)).unwrap();
        assert_eq!(at, Some(long_ago));
    }
}
