//! What this server does for each kind of entity beyond the shared rules:
//! the rules crate's `ServerDuties`, implemented once per kind. The
//! registry's `check_pushed_op` will not compile while a kind is missing
//! here, so a new kind comes with a decision about what it is owed.

use crate::facts::TxFacts;
use crate::sync;
use equally_rules::decisions::{self, BallotBox, Proposal, VoteAudience, VoteRecord};
use equally_rules::duties::{Receivers, Refusal, ServerDuties};
use equally_rules::entity::{Entity, Facts};
use equally_rules::error::Result;
use equally_rules::hlc::Hlc;
use equally_rules::ids::PersonId;
use equally_rules::people::SupportLink;
use equally_rules::projects::Membership;
use equally_rules::statements::Statement;
use equally_rules::time::Timestamp;

/// This server's duties inside one storage transaction, by its clock.
pub struct Duties<'f, 't> {
    facts: &'f TxFacts<'t>,
    now_ms: i64,
}

impl<'f, 't> Duties<'f, 't> {
    pub fn new(facts: &'f TxFacts<'t>, now_ms: i64) -> Self {
        Duties { facts, now_ms }
    }

    fn now(&self) -> Timestamp {
        Timestamp(self.now_ms)
    }
}

/// Kinds the server owes nothing beyond their rules: no instant a rule
/// compares with someone else's deadline, nothing only the server sets, and
/// their own scope receives them. Each is named, so adding a kind to the
/// registry means deciding whether it belongs here.
macro_rules! owed_only_the_rules {
    ($($kind:ty),* $(,)?) => {$(
        impl ServerDuties<$kind> for Duties<'_, '_> {
            fn hold_to_server_clock(
                &self,
                _before: Option<&$kind>,
                _after: &mut $kind,
                _author: &PersonId,
                _facts: &dyn Facts,
            ) -> std::result::Result<(), Refusal> {
                Ok(())
            }

            fn stamp_after_applying(
                &self,
                _before: Option<&$kind>,
                _applied: &$kind,
                _stamp: Hlc,
            ) -> Result<()> {
                Ok(())
            }

            fn receivers(&self, _entity: &$kind) -> Receivers {
                Receivers::ItsScope
            }
        }
    )*};
}

owed_only_the_rules!(
    equally_rules::people::Organisation,
    equally_rules::people::Person,
    equally_rules::people::PersonalSettings,
    equally_rules::projects::Project,
    equally_rules::offers::Need,
    equally_rules::offers::Offer,
    equally_rules::contributions::Contribution,
    equally_rules::contributions::Thanks,
    equally_rules::updates::Update,
    equally_rules::updates::UpdateRead,
    equally_rules::actions::Action,
    equally_rules::reviews::ReviewItem,
    equally_rules::reviews::ReviewSupport,
    equally_rules::risks::Risk,
    equally_rules::meetings::MeetingRecord,
    equally_rules::meetings::AgendaItem,
    equally_rules::meetings::MeetingRsvp,
    equally_rules::meetings::Attendance,
    equally_rules::meetings::CheckIn,
);

/// A membership also reaches its member's personal log: someone invited to
/// a project, or removed from it, cannot read the project's scope.
impl ServerDuties<Membership> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        _before: Option<&Membership>,
        _after: &mut Membership,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        Ok(())
    }

    fn stamp_after_applying(
        &self,
        _before: Option<&Membership>,
        _applied: &Membership,
        _stamp: Hlc,
    ) -> Result<()> {
        Ok(())
    }

    fn receivers(&self, entity: &Membership) -> Receivers {
        Receivers::ItsScopeAndThem(entity.person_id.clone())
    }
}

/// A support link also reaches its member of staff, who then reads (or
/// stops reading) the supported person's personal scope.
impl ServerDuties<SupportLink> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        _before: Option<&SupportLink>,
        _after: &mut SupportLink,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        Ok(())
    }

    fn stamp_after_applying(
        &self,
        _before: Option<&SupportLink>,
        _applied: &SupportLink,
        _stamp: Hlc,
    ) -> Result<()> {
        Ok(())
    }

    fn receivers(&self, entity: &SupportLink) -> Receivers {
        Receivers::ItsScopeAndThem(entity.staff_id.clone())
    }
}

/// A statement shared with "my projects" sits in the organisation's log and
/// is narrowed reader by reader when they pull (`sync::pull`).
impl ServerDuties<Statement> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        _before: Option<&Statement>,
        _after: &mut Statement,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        Ok(())
    }

    fn stamp_after_applying(
        &self,
        _before: Option<&Statement>,
        _applied: &Statement,
        _stamp: Hlc,
    ) -> Result<()> {
        Ok(())
    }

    fn receivers(&self, _entity: &Statement) -> Receivers {
        Receivers::ThoseItsRuleLetsSee
    }
}

/// A vote: its stamp held to this server's clock and refused `too_late`
/// after the close and grace window; when it arrived and the voter's seat
/// set by the server; the ballot box counted again on an anonymous
/// proposal, whose votes reach only their voter.
impl ServerDuties<VoteRecord> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        before: Option<&VoteRecord>,
        after: &mut VoteRecord,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        decisions::hold_vote_to_server_clock(before, after, author, facts, self.now())
    }

    fn stamp_after_applying(
        &self,
        before: Option<&VoteRecord>,
        applied: &VoteRecord,
        stamp: Hlc,
    ) -> Result<()> {
        if applied.casts(before) {
            sync::stamp_arrival(self, applied.id(), stamp)?;
        }
        sync::count_anonymous_ballots(self.facts, applied.id(), self.now_ms)
    }

    fn receivers(&self, entity: &VoteRecord) -> Receivers {
        match decisions::vote_audience(entity) {
            VoteAudience::Project(_) => Receivers::ItsScope,
            VoteAudience::VoterOnly(voter) => Receivers::OnlyThem(voter),
        }
    }
}

/// A proposal: the instants a phone writes when it is withdrawn, its
/// outcome recorded or its plan change made are held to this server's
/// clock, so the rules judge them against the real close.
impl ServerDuties<Proposal> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        before: Option<&Proposal>,
        after: &mut Proposal,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        Ok(decisions::hold_proposal_to_server_clock(
            before,
            after,
            self.now(),
        )?)
    }

    fn stamp_after_applying(
        &self,
        _before: Option<&Proposal>,
        _applied: &Proposal,
        _stamp: Hlc,
    ) -> Result<()> {
        Ok(())
    }

    fn receivers(&self, _entity: &Proposal) -> Receivers {
        Receivers::ItsScope
    }
}

/// The ballot box is written by this server alone (after each vote on an
/// anonymous proposal) and refused from any phone by its rules, so a push
/// never gets as far as these; the project receives it.
impl ServerDuties<BallotBox> for Duties<'_, '_> {
    fn hold_to_server_clock(
        &self,
        _before: Option<&BallotBox>,
        _after: &mut BallotBox,
        _author: &PersonId,
        _facts: &dyn Facts,
    ) -> std::result::Result<(), Refusal> {
        Ok(())
    }

    fn stamp_after_applying(
        &self,
        _before: Option<&BallotBox>,
        _applied: &BallotBox,
        _stamp: Hlc,
    ) -> Result<()> {
        Ok(())
    }

    fn receivers(&self, _entity: &BallotBox) -> Receivers {
        Receivers::ItsScope
    }
}

impl<'t> Duties<'_, 't> {
    pub(crate) fn facts(&self) -> &TxFacts<'t> {
        self.facts
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.now_ms
    }
}
