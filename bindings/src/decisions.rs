//! Decisions with an equal say: proposing, voting (also with a supporter or
//! entered on someone's behalf), objections and how they are resolved, the
//! outcome, and the proposal screen with its tally.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::decisions::ranked::{RankedCount, Round, RoundResult};
use equally_core::decisions::{
    AgreementChoice, AgreementCount, Anonymity, Availability, Ballot, CloseEarly, ConsentChoice,
    ConsentCount, Counts, Extension, GraceWindow, Method, NewProposal, NotCounted, ObjectionState,
    OptionDots, OptionScore, OptionTotal, OptionView, OutcomeView, Phase, PlanChange,
    PlanChangeView, ProposalListItem, ProposalOption, ProposalRules, ProposalView, ReasonRequired,
    Resolution, ResultVisibility, SeenBallot, SlotAnswer, SlotCount, Status, Tally, Turnout, Vote,
    VoterView,
};
use equally_core::hlc::Hlc;
use equally_core::ids::{PersonId, ProjectId, ProposalId};
use equally_core::meetings::ProposalClosing;
use equally_core::projects::Stage;
use equally_core::text::{ShownText, Text};
use equally_core::time::{Day, Timestamp};

/// How a proposal is decided. Named for the apps so it is never mistaken
/// for a reflection `Method`.
#[uniffi::remote(Enum)]
#[uniffi(name = "VotingMethod")]
pub enum Method {
    Consent,
    Agreement,
    SingleChoice,
    Approval { min: Option<u32>, max: Option<u32> },
    RankedChoice,
    Score,
    DotVote { dots: u32 },
    TimePoll,
}

/// One choice on a proposal; `id` is what ballots name.
#[uniffi::remote(Record)]
pub struct ProposalOption {
    pub id: String,
    pub label: Text,
}

#[uniffi::remote(Enum)]
pub enum Anonymity {
    Named,
    Anonymous,
}

#[uniffi::remote(Enum)]
pub enum ResultVisibility {
    Always,
    AfterIVote,
    AfterClose,
}

#[uniffi::remote(Enum)]
pub enum ReasonRequired {
    Never,
    ForDissent,
    Always,
}

#[uniffi::remote(Enum)]
pub enum CloseEarly {
    Never,
    WhenEveryoneHasVoted,
}

/// Whether voting stays open longer (once, by `hours`) when fewer than the
/// quorum had voted by the closing time. Stated when the proposal opens.
#[uniffi::remote(Enum)]
pub enum Extension {
    Never,
    WithoutQuorum { hours: u32 },
}

/// How long after the close a vote cast offline before it still counts.
#[uniffi::remote(Record)]
pub struct GraceWindow {
    pub minutes: u32,
}

/// Start from `proposalRules(method, options, quorumPercent)` and change
/// what the group chose.
#[uniffi::remote(Record)]
pub struct ProposalRules {
    pub method: Method,
    pub options: Vec<ProposalOption>,
    pub quorum_percent: u8,
    pub anonymity: Anonymity,
    pub result_visibility: ResultVisibility,
    pub reason_required: ReasonRequired,
    pub close_early: CloseEarly,
    pub extension: Extension,
    pub grace: GraceWindow,
}

/// The plan a proposal would make: null fields stay as they are.
#[uniffi::remote(Record)]
pub struct PlanChange {
    #[uniffi(default)]
    pub title: Option<Text>,
    #[uniffi(default)]
    pub purpose: Option<Text>,
    #[uniffi(default)]
    pub stage: Option<Stage>,
}

#[uniffi::remote(Record)]
pub struct NewProposal {
    pub title: Text,
    pub body: Text,
    pub rules: ProposalRules,
    pub closes_at: Timestamp,
    #[uniffi(default)]
    pub plan_change: Option<PlanChange>,
}

#[uniffi::remote(Enum)]
pub enum ConsentChoice {
    Consent,
    StandAside,
    Object,
}

#[uniffi::remote(Enum)]
pub enum AgreementChoice {
    Agree,
    Abstain,
    Disagree,
    Block,
}

/// A time-poll answer for one slot.
#[uniffi::remote(Enum)]
pub enum Availability {
    Yes,
    Maybe,
    No,
}

#[uniffi::remote(Record)]
pub struct OptionScore {
    pub option: String,
    pub score: u8,
}

#[uniffi::remote(Record)]
pub struct OptionDots {
    pub option: String,
    pub dots: u32,
}

#[uniffi::remote(Record)]
pub struct SlotAnswer {
    pub option: String,
    pub answer: Availability,
}

/// What a person marks, shaped by the proposal's method; options are named
/// by their ids. A ballot the method refuses is an `Invalid` error.
#[uniffi::remote(Enum)]
pub enum Ballot {
    Consent(ConsentChoice),
    Agreement(AgreementChoice),
    Single(String),
    Approval(Vec<String>),
    Ranked(Vec<String>),
    Score(Vec<OptionScore>),
    Dots(Vec<OptionDots>),
    TimePoll(Vec<SlotAnswer>),
}

/// Where an objection or block stands; it is kept, never deleted.
#[uniffi::remote(Record)]
pub struct ObjectionState {
    pub withdrawn: bool,
    pub resolved: bool,
    pub what_would_make_it_ok: Option<String>,
    pub felt_heard: bool,
}

/// A device's hybrid clock stamp: wall time, counter and device.
#[uniffi::remote(Record)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub node: u32,
}

#[uniffi::remote(Record)]
pub struct Vote {
    pub voter: PersonId,
    pub ballot: Ballot,
    pub reason: Option<String>,
    pub cast_at: Hlc,
    pub received_at: Option<Timestamp>,
    pub assisted_by: Option<PersonId>,
    pub entered_by: Option<PersonId>,
    pub consent_recorded: bool,
    pub objection: ObjectionState,
}

/// How the group resolved an objection, in words its author agreed to.
#[uniffi::remote(Record)]
pub struct Resolution {
    pub resolved_by: PersonId,
    pub how: String,
    pub objector_agreed: bool,
    pub resolved_at: Timestamp,
}

/// The result, or where it stands. Named for the apps, which have other
/// statuses.
#[uniffi::remote(Enum)]
#[uniffi(name = "ProposalStatus")]
pub enum Status {
    Open,
    Passed,
    NotPassed,
    Tie,
    NoQuorum,
    Blocked,
}

#[uniffi::remote(Record)]
pub struct Turnout {
    pub voted: u32,
    pub eligible: u32,
    pub needed: u32,
}

#[uniffi::remote(Record)]
pub struct OptionTotal {
    pub option_id: String,
    pub total: u64,
}

#[uniffi::remote(Record)]
pub struct ConsentCount {
    pub consent: u32,
    pub stand_aside: u32,
    pub objections_standing: u32,
    pub objections_withdrawn: u32,
    pub objections_resolved: u32,
}

#[uniffi::remote(Record)]
pub struct AgreementCount {
    pub agree: u32,
    pub abstain: u32,
    pub disagree: u32,
    pub blocks_standing: u32,
    pub blocks_withdrawn: u32,
    pub blocks_resolved: u32,
}

#[uniffi::remote(Record)]
pub struct SlotCount {
    pub option_id: String,
    pub yes: u32,
    pub maybe: u32,
    pub no: u32,
    pub cannot_make_it: Vec<PersonId>,
}

/// What happened in one round of an instant run-off.
#[uniffi::remote(Enum)]
pub enum RoundResult {
    Elected { option: String },
    Eliminated { options: Vec<String> },
    TiedForFewest { options: Vec<String> },
    NoBallots,
}

#[uniffi::remote(Record)]
pub struct Round {
    pub number: u32,
    pub counts: Vec<OptionTotal>,
    pub exhausted: u64,
    pub result: RoundResult,
}

#[uniffi::remote(Record)]
pub struct RankedCount {
    pub rounds: Vec<Round>,
    pub condorcet_winner: Option<String>,
    pub smith_set: Vec<String>,
}

#[uniffi::remote(Enum)]
pub enum Counts {
    Consent(ConsentCount),
    Agreement(AgreementCount),
    Options { totals: Vec<OptionTotal> },
    Ranked(RankedCount),
    TimePoll { slots: Vec<SlotCount> },
}

/// Votes that did not count, and why.
#[uniffi::remote(Record)]
pub struct NotCounted {
    pub not_eligible: u32,
    pub invalid: u32,
    pub cast_after_close: u32,
    pub arrived_too_late: u32,
}

#[uniffi::remote(Record)]
pub struct Tally {
    pub status: Status,
    pub as_it_stands: Status,
    pub provisional: bool,
    pub closes_at: Timestamp,
    pub closed_early: bool,
    pub extended: bool,
    pub final_at: Timestamp,
    pub turnout: Turnout,
    pub quorum_reached: bool,
    pub counts: Counts,
    pub winners: Vec<String>,
    pub not_counted: NotCounted,
}

/// A counted ballot as the reader may see it: no voter on anonymous
/// proposals.
#[uniffi::remote(Record)]
pub struct SeenBallot {
    pub voter: Option<PersonId>,
    pub ballot: Ballot,
    pub reason: Option<String>,
    pub assisted_by: Option<PersonId>,
    pub entered_by: Option<PersonId>,
    pub objection: ObjectionState,
}

#[uniffi::remote(Enum)]
pub enum Phase {
    Open,
    Closed,
    Withdrawn,
}

#[uniffi::remote(Record)]
pub struct OptionView {
    pub id: String,
    pub label: ShownText,
}

#[uniffi::remote(Record)]
pub struct VoterView {
    pub person_id: PersonId,
    pub name: String,
}

#[uniffi::remote(Record)]
pub struct OutcomeView {
    pub statement: ShownText,
    pub review_on: Day,
    pub recorded_by: VoterView,
}

#[uniffi::remote(Record)]
pub struct PlanChangeView {
    pub title: Option<ShownText>,
    pub purpose: Option<ShownText>,
    pub stage: Option<Stage>,
    pub stage_label: Option<String>,
    pub made: bool,
}

/// The proposal screen for one reader: only what its anonymity and
/// result-visibility rules let them see.
#[uniffi::remote(Record)]
pub struct ProposalView {
    pub id: ProposalId,
    pub project_id: ProjectId,
    pub title: ShownText,
    pub body: ShownText,
    pub author: VoterView,
    pub rules: ProposalRules,
    pub options: Vec<OptionView>,
    pub phase: Phase,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    pub closed_early: bool,
    pub extended: bool,
    pub minutes_left: Option<i64>,
    pub eligible: bool,
    pub can_vote: bool,
    pub my_vote: Option<Vote>,
    pub my_resolution: Option<Resolution>,
    pub result: Option<Tally>,
    pub ballots: Vec<SeenBallot>,
    pub who_voted: Option<Vec<VoterView>>,
    pub not_voted_yet: Option<Vec<VoterView>>,
    pub provisional: bool,
    pub summary: Option<String>,
    pub outcome: Option<OutcomeView>,
    pub plan_change: Option<PlanChangeView>,
    pub can_withdraw: bool,
}

/// One line of a project's list of proposals.
#[uniffi::remote(Record)]
pub struct ProposalListItem {
    pub id: ProposalId,
    pub title: ShownText,
    pub phase: Phase,
    pub closes_at: Timestamp,
    pub minutes_left: Option<i64>,
    pub eligible: bool,
    pub has_voted: bool,
    pub as_it_stands: Option<Status>,
}

/// An open proposal the person has not voted on yet, for reminders.
#[uniffi::remote(Record)]
pub struct ProposalClosing {
    pub id: String,
    pub title: Text,
    pub closes_at: Timestamp,
    pub has_voted: bool,
}

/// Rules with the usual defaults (named votes, results always shown, no
/// reason required, no early close, a 48-hour grace window).
#[uniffi::export]
pub fn proposal_rules(
    method: Method,
    options: Vec<ProposalOption>,
    quorum_percent: u8,
) -> ProposalRules {
    ProposalRules::new(method, options, quorum_percent)
}

#[uniffi::export]
impl EquallyCore {
    /// Any member may propose; the electorate is the members now.
    pub async fn propose(
        &self,
        project: ProjectId,
        proposal: NewProposal,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.propose(&actor, &project, proposal))
            .await
    }

    /// Changes the title and/or body (null leaves one as it is).
    pub async fn reword_proposal(
        &self,
        id: ProposalId,
        title: Option<Text>,
        body: Option<Text>,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.reword_proposal(&actor, &id, title, body))
            .await
    }

    pub async fn withdraw_proposal(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.withdraw_proposal(&actor, &id))
            .await
    }

    /// What the group decided to do, and when to look at it again.
    pub async fn record_outcome(
        &self,
        id: ProposalId,
        statement: Text,
        review_on: Day,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.record_outcome(&actor, &id, statement, review_on))
            .await
    }

    /// Makes the plan change a passed proposal carries.
    pub async fn apply_plan_change(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.apply_plan_change(&actor, &id))
            .await
    }

    /// Casts or changes the actor's one vote.
    pub async fn vote(
        &self,
        id: ProposalId,
        ballot: Ballot,
        reason: Option<String>,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.vote(&actor, &id, ballot, reason))
            .await
    }

    /// The actor's own vote, cast with a named supporter beside them.
    pub async fn vote_assisted(
        &self,
        id: ProposalId,
        supporter: PersonId,
        ballot: Ballot,
        reason: Option<String>,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| {
            core.vote_assisted(&actor, &id, &supporter, ballot, reason)
        })
        .await
    }

    /// A paper or spoken vote the actor enters for `voter`, with whether
    /// the voter's consent to that was recorded.
    pub async fn enter_vote_on_behalf(
        &self,
        id: ProposalId,
        voter: PersonId,
        ballot: Ballot,
        reason: Option<String>,
        consent_recorded: bool,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| {
            core.enter_vote_on_behalf(&actor, &id, &voter, ballot, reason, consent_recorded)
        })
        .await
    }

    pub async fn withdraw_objection(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.withdraw_objection(&actor, &id))
            .await
    }

    /// The objector says the group has heard them.
    pub async fn record_felt_heard(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.record_felt_heard(&actor, &id))
            .await
    }

    /// The objector's answer to "what would make this OK for you?".
    pub async fn answer_what_would_make_it_ok(
        &self,
        id: ProposalId,
        answer: String,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.answer_what_would_make_it_ok(&actor, &id, &answer))
            .await
    }

    /// Records how the group resolved `objector`'s objection; only with
    /// their agreement.
    pub async fn resolve_objection(
        &self,
        id: ProposalId,
        objector: PersonId,
        how: String,
        objector_agreed: bool,
    ) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| {
            core.resolve_objection(&actor, &id, &objector, &how, objector_agreed)
        })
        .await
    }

    pub async fn reopen_objection(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, actor| core.reopen_objection(&actor, &id))
            .await
    }

    /// The proposal screen for `reader`.
    pub async fn proposal(&self, id: ProposalId) -> Result<ProposalView, EquallyError> {
        self.run_as_me(move |core, reader| core.proposal(&reader, &id))
            .await
    }

    /// A project's proposals, newest first.
    pub async fn proposals(
        &self,
        project: ProjectId,
    ) -> Result<Vec<ProposalListItem>, EquallyError> {
        self.run_as_me(move |core, reader| core.proposals(&reader, &project))
            .await
    }

    /// Open proposals `person` still has a vote to use on.
    pub async fn proposals_closing(&self) -> Result<Vec<ProposalClosing>, EquallyError> {
        self.run_as_me(move |core, me| core.proposals_closing(&me))
            .await
    }
}
