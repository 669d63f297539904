//! What a person marks on a proposal (a [`Ballot`]) and the [`Vote`] record
//! that carries it: who, when, with whose help, and for objections whether
//! they still stand. Validation here is the one place that decides whether a
//! ballot is acceptable; the device, the server and the tally all call it.

use super::method::{MAX_SCORE, Method, ProposalOption, ReasonRequired};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::PersonId;
use crate::text::check_length;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The longest reason a vote may carry, in characters.
pub const MAX_REASON_CHARS: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChoice {
    Consent,
    /// "I won't take part in this, but I won't stop it."
    StandAside,
    /// "This is not safe enough to try": needs a reason, and stops the
    /// proposal passing while it stands.
    Object,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementChoice {
    Agree,
    Abstain,
    Disagree,
    /// Needs a reason, and stops the proposal passing while it stands.
    Block,
}

/// An answer for one meeting-time slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Yes,
    Maybe,
    No,
}

/// A score of 0 to 5 for one option.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OptionScore {
    pub option: String,
    pub score: u8,
}

/// Dots placed on one option.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OptionDots {
    pub option: String,
    pub dots: u32,
}

/// An answer for one slot of a time poll.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SlotAnswer {
    pub option: String,
    pub answer: Availability,
}

/// What one person marked, one variant per [`Method`]. Options are named by
/// their stable ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "marks", rename_all = "snake_case")]
pub enum Ballot {
    Consent(ConsentChoice),
    Agreement(AgreementChoice),
    Single(String),
    /// Every option approved of, in any order.
    Approval(Vec<String>),
    /// Options from most to least preferred; options left out are ranked
    /// below all the ones named.
    Ranked(Vec<String>),
    /// Options not scored count as 0.
    Score(Vec<OptionScore>),
    /// Up to the method's number of dots; options without dots get none.
    Dots(Vec<OptionDots>),
    /// Slots not answered are unknown: neither yes, maybe nor no.
    TimePoll(Vec<SlotAnswer>),
}

impl Ballot {
    /// An objection or a block: the ballots that stop a proposal passing
    /// while they stand.
    pub fn is_objection(&self) -> bool {
        matches!(
            self,
            Ballot::Consent(ConsentChoice::Object) | Ballot::Agreement(AgreementChoice::Block)
        )
    }

    /// The ballots a "reason for dissent" rule asks a reason for.
    pub fn is_dissent(&self) -> bool {
        self.is_objection() || matches!(self, Ballot::Agreement(AgreementChoice::Disagree))
    }

    fn kind(&self) -> &'static str {
        match self {
            Ballot::Consent(_) => "consent",
            Ballot::Agreement(_) => "agreement",
            Ballot::Single(_) => "single choice",
            Ballot::Approval(_) => "approval",
            Ballot::Ranked(_) => "ranked choice",
            Ballot::Score(_) => "score",
            Ballot::Dots(_) => "dot vote",
            Ballot::TimePoll(_) => "time poll",
        }
    }
}

/// Where an objection or a block stands. It stays until the person who made
/// it withdraws it or the group resolves it; either way it is kept, not
/// deleted, so the disagreement stays on the record.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectionState {
    /// Withdrawn by the person who objected.
    #[serde(default)]
    pub withdrawn: bool,
    /// Resolved by the group (for example by amending the proposal).
    #[serde(default)]
    pub resolved: bool,
    /// The objector's answer to "what would make this OK for you?".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_would_make_it_ok: Option<String>,
    /// The objector said "I felt heard".
    #[serde(default)]
    pub felt_heard: bool,
}

impl ObjectionState {
    pub fn still_stands(&self) -> bool {
        !self.withdrawn && !self.resolved
    }
}

/// One vote as the tally sees it. A person may have several (they changed
/// their mind); the latest by `cast_at` counts. Stored as JSON, one register
/// per (proposal, member) in the store, every version on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// Whose vote it is: always the voter, even when someone else helped or
    /// typed it in.
    pub voter: PersonId,
    pub ballot: Ballot,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The voter's device clock when the vote was cast (clamped by the
    /// server to its own clock when it arrives).
    pub cast_at: Hlc,
    /// When the server accepted it; `None` while it exists only on this
    /// device. A vote known to have arrived after the grace window never
    /// counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<Timestamp>,
    /// The supporter the voter cast it with, recorded as assisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assisted_by: Option<PersonId>,
    /// The member who entered a paper or spoken vote on the voter's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<PersonId>,
    /// The voter agreed to their vote being entered for them. Required when
    /// `entered_by` is set.
    #[serde(default)]
    pub consent_recorded: bool,
    /// For objections and blocks; ignored for other ballots.
    #[serde(default)]
    pub objection: ObjectionState,
}

impl Vote {
    /// A vote cast by the voter themselves, with no reason.
    pub fn new(voter: PersonId, ballot: Ballot, cast_at: Hlc) -> Self {
        Vote {
            voter,
            ballot,
            reason: None,
            cast_at,
            received_at: None,
            assisted_by: None,
            entered_by: None,
            consent_recorded: false,
            objection: ObjectionState::default(),
        }
    }

    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_string());
        self
    }

    /// An objection or block that has not been withdrawn or resolved.
    pub fn is_standing_objection(&self) -> bool {
        self.ballot.is_objection() && self.objection.still_stands()
    }
}

/// Checks one ballot against a proposal's rules. Each refusal is an
/// [`Error::Invalid`] naming the field and, where it helps, the option id.
pub fn validate_ballot(
    method: &Method,
    options: &[ProposalOption],
    ballot: &Ballot,
    reason: Option<&str>,
    reason_required: ReasonRequired,
) -> Result<()> {
    check_marks(method, options, ballot)?;
    check_reason(ballot, reason, reason_required)
}

/// Checks a whole vote: its ballot and reason, and that help given is
/// recorded honestly (nobody assists or enters their own vote, and a vote
/// entered on someone's behalf has their consent recorded).
pub fn validate_vote(
    method: &Method,
    options: &[ProposalOption],
    reason_required: ReasonRequired,
    vote: &Vote,
) -> Result<()> {
    validate_ballot(
        method,
        options,
        &vote.ballot,
        vote.reason.as_deref(),
        reason_required,
    )?;
    if vote.assisted_by.as_ref() == Some(&vote.voter) {
        return Err(Error::invalid(
            "assisted_by",
            "names the voter; a supporter is someone else",
        ));
    }
    if let Some(entered_by) = &vote.entered_by {
        if entered_by == &vote.voter {
            return Err(Error::invalid(
                "entered_by",
                "names the voter; leave it empty for a vote they cast themselves",
            ));
        }
        if !vote.consent_recorded {
            return Err(Error::invalid(
                "consent_recorded",
                "is missing: a vote entered for someone needs their consent recorded",
            ));
        }
    }
    Ok(())
}

/// Checks an objector's answer to "what would make this OK for you?" before
/// the store saves it. Kept apart from [`validate_vote`] so that a bad
/// answer is refused on its own and can never make the tally set aside the
/// objection itself.
pub fn validate_objection(state: &ObjectionState) -> Result<()> {
    match state
        .what_would_make_it_ok
        .as_deref()
        .filter(|text| !text.trim().is_empty())
    {
        Some(text) => check_length("what_would_make_it_ok", text, MAX_REASON_CHARS),
        None => Ok(()),
    }
}

fn check_marks(method: &Method, options: &[ProposalOption], ballot: &Ballot) -> Result<()> {
    let position = |field: &str, id: &str| -> Result<usize> {
        options.iter().position(|o| o.id == id).ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "names {}, which is not an option on this proposal",
                    shorten(id)
                ),
            )
        })
    };
    let known = |field: &str, id: &str| position(field, id).map(|_| ());
    // Each option may appear once: a second mark would be a second vote.
    let once = |field: &str, ids: &mut dyn Iterator<Item = &str>, twice: &str| -> Result<()> {
        let mut seen = vec![false; options.len()];
        for id in ids {
            let at = position(field, id)?;
            if std::mem::replace(&mut seen[at], true) {
                return Err(Error::invalid(
                    field,
                    format!("{twice} {} twice", shorten(id)),
                ));
            }
        }
        Ok(())
    };
    match (method, ballot) {
        (Method::Consent, Ballot::Consent(_)) | (Method::Agreement, Ballot::Agreement(_)) => Ok(()),
        (Method::SingleChoice, Ballot::Single(id)) => known("ballot", id),
        (Method::Approval { min, max }, Ballot::Approval(ids)) => {
            once("ballot", &mut ids.iter().map(String::as_str), "chooses")?;
            let chosen = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            if let Some(min) = *min
                && chosen < min
            {
                return Err(Error::invalid(
                    "ballot",
                    format!("chooses {chosen}; choose at least {min}"),
                ));
            }
            if let Some(max) = *max
                && chosen > max
            {
                return Err(Error::invalid(
                    "ballot",
                    format!("chooses {chosen}; choose at most {max}"),
                ));
            }
            Ok(())
        }
        (Method::RankedChoice, Ballot::Ranked(ids)) => {
            if ids.is_empty() {
                return Err(Error::invalid(
                    "ballot",
                    "ranks no options; rank at least one",
                ));
            }
            once("ballot", &mut ids.iter().map(String::as_str), "ranks")
        }
        (Method::Score, Ballot::Score(marks)) => {
            once(
                "ballot",
                &mut marks.iter().map(|m| m.option.as_str()),
                "scores",
            )?;
            match marks.iter().find(|m| m.score > MAX_SCORE) {
                Some(m) => Err(Error::invalid(
                    "ballot",
                    format!(
                        "gives {} a score of {}; scores go from 0 to {MAX_SCORE}",
                        shorten(&m.option),
                        m.score
                    ),
                )),
                None => Ok(()),
            }
        }
        (Method::DotVote { dots }, Ballot::Dots(marks)) => {
            once(
                "ballot",
                &mut marks.iter().map(|m| m.option.as_str()),
                "puts dots on",
            )?;
            let spent = marks.iter().map(|m| u64::from(m.dots)).sum::<u64>();
            if spent > u64::from(*dots) {
                return Err(Error::invalid(
                    "ballot",
                    format!("spends {spent} dots; each person has {dots}"),
                ));
            }
            Ok(())
        }
        (Method::TimePoll, Ballot::TimePoll(answers)) => {
            if answers.is_empty() {
                return Err(Error::invalid("ballot", "answers no time slots"));
            }
            once(
                "ballot",
                &mut answers.iter().map(|a| a.option.as_str()),
                "answers",
            )
        }
        (method, ballot) => Err(Error::invalid(
            "ballot",
            format!(
                "is a {} ballot, but this proposal is decided by {}",
                ballot.kind(),
                method_name(method)
            ),
        )),
    }
}

fn check_reason(ballot: &Ballot, reason: Option<&str>, required: ReasonRequired) -> Result<()> {
    let given = reason.filter(|r| !r.trim().is_empty());
    match given {
        Some(text) => check_length("reason", text, MAX_REASON_CHARS),
        None if ballot.is_objection() => Err(Error::invalid(
            "reason",
            match ballot {
                Ballot::Agreement(_) => "is needed for a block, so the group can respond to it",
                _ => "is needed for an objection, so the group can respond to it",
            },
        )),
        None if required == ReasonRequired::Always => Err(Error::invalid(
            "reason",
            "is needed for every vote on this proposal",
        )),
        None if required == ReasonRequired::ForDissent && ballot.is_dissent() => Err(
            Error::invalid("reason", "is needed when you disagree with this proposal"),
        ),
        None => Ok(()),
    }
}

fn method_name(method: &Method) -> &'static str {
    match method {
        Method::Consent => "consent",
        Method::Agreement => "agreement",
        Method::SingleChoice => "single choice",
        Method::Approval { .. } => "approval",
        Method::RankedChoice => "ranked choice",
        Method::Score => "score",
        Method::DotVote { .. } => "dot vote",
        Method::TimePoll => "time poll",
    }
}

/// Option ids come from the app, but a refused ballot may carry anything:
/// keep error messages short.
fn shorten(id: &str) -> String {
    const MAX: usize = 40;
    if id.chars().count() <= MAX {
        id.to_string()
    } else {
        let mut short: String = id.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn options(ids: &[&str]) -> Vec<ProposalOption> {
        ids.iter()
            .map(|id| ProposalOption::new(id, Text::new("en-GB", id)))
            .collect()
    }

    fn refusal(result: Result<()>) -> (String, String) {
        match result {
            Err(Error::Invalid { field, reason }) => (field, reason),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn check(method: Method, ballot: Ballot) -> Result<()> {
        validate_ballot(
            &method,
            &options(&["park", "cafe", "library"]),
            &ballot,
            None,
            ReasonRequired::Never,
        )
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_ballot_of_the_wrong_kind_is_refused() {
        let (field, reason) = refusal(check(Method::RankedChoice, Ballot::Single("park".into())));
        assert_eq!(field, "ballot");
        assert_eq!(
            reason,
            "is a single choice ballot, but this proposal is decided by ranked choice"
        );
    }

    #[test]
    fn an_option_not_on_the_proposal_is_refused() {
        let (_, reason) = refusal(check(Method::SingleChoice, Ballot::Single("pub".into())));
        assert_eq!(reason, "names pub, which is not an option on this proposal");
    }

    #[test]
    fn ranking_an_option_twice_is_refused() {
        let (_, reason) = refusal(check(
            Method::RankedChoice,
            Ballot::Ranked(ids(&["park", "cafe", "park"])),
        ));
        assert_eq!(reason, "ranks park twice");
        assert!(check(Method::RankedChoice, Ballot::Ranked(ids(&["cafe"]))).is_ok());
        assert!(check(Method::RankedChoice, Ballot::Ranked(vec![])).is_err());
    }

    #[test]
    fn approval_must_keep_within_its_limits() {
        let method = Method::Approval {
            min: Some(1),
            max: Some(2),
        };
        assert!(check(method.clone(), Ballot::Approval(ids(&["park"]))).is_ok());
        let (_, reason) = refusal(check(method.clone(), Ballot::Approval(vec![])));
        assert_eq!(reason, "chooses 0; choose at least 1");
        let (_, reason) = refusal(check(
            method,
            Ballot::Approval(ids(&["park", "cafe", "library"])),
        ));
        assert_eq!(reason, "chooses 3; choose at most 2");
    }

    #[test]
    fn a_score_above_five_is_refused() {
        let marks = |score| {
            Ballot::Score(vec![OptionScore {
                option: "cafe".into(),
                score,
            }])
        };
        assert!(check(Method::Score, marks(5)).is_ok());
        let (_, reason) = refusal(check(Method::Score, marks(6)));
        assert_eq!(reason, "gives cafe a score of 6; scores go from 0 to 5");
    }

    #[test]
    fn spending_more_dots_than_allowed_is_refused() {
        let dots = |a, b| {
            Ballot::Dots(vec![
                OptionDots {
                    option: "park".into(),
                    dots: a,
                },
                OptionDots {
                    option: "cafe".into(),
                    dots: b,
                },
            ])
        };
        assert!(check(Method::DotVote { dots: 5 }, dots(2, 3)).is_ok());
        let (_, reason) = refusal(check(Method::DotVote { dots: 5 }, dots(4, 3)));
        assert_eq!(reason, "spends 7 dots; each person has 5");
        // No overflow on absurd input: still a plain refusal.
        assert!(check(Method::DotVote { dots: 5 }, dots(u32::MAX, u32::MAX)).is_err());
    }

    #[test]
    fn an_objection_needs_a_reason_whatever_the_rules_say() {
        let ballot = Ballot::Consent(ConsentChoice::Object);
        let (field, reason) = refusal(validate_ballot(
            &Method::Consent,
            &[],
            &ballot,
            Some("   "),
            ReasonRequired::Never,
        ));
        assert_eq!(field, "reason");
        assert_eq!(
            reason,
            "is needed for an objection, so the group can respond to it"
        );
        assert!(
            validate_ballot(
                &Method::Consent,
                &[],
                &ballot,
                Some("Not enough people to run it safely"),
                ReasonRequired::Never
            )
            .is_ok()
        );
    }

    #[test]
    fn a_block_needs_a_reason() {
        let (_, reason) = refusal(validate_ballot(
            &Method::Agreement,
            &[],
            &Ballot::Agreement(AgreementChoice::Block),
            None,
            ReasonRequired::Never,
        ));
        assert_eq!(
            reason,
            "is needed for a block, so the group can respond to it"
        );
    }

    #[test]
    fn a_reason_for_dissent_is_asked_only_of_dissent() {
        let agree = Ballot::Agreement(AgreementChoice::Agree);
        let disagree = Ballot::Agreement(AgreementChoice::Disagree);
        let rule = ReasonRequired::ForDissent;
        assert!(validate_ballot(&Method::Agreement, &[], &agree, None, rule).is_ok());
        let (_, reason) = refusal(validate_ballot(
            &Method::Agreement,
            &[],
            &disagree,
            None,
            rule,
        ));
        assert_eq!(reason, "is needed when you disagree with this proposal");
    }

    #[test]
    fn a_reason_can_be_required_of_everyone() {
        let (_, reason) = refusal(validate_ballot(
            &Method::Consent,
            &[],
            &Ballot::Consent(ConsentChoice::Consent),
            None,
            ReasonRequired::Always,
        ));
        assert_eq!(reason, "is needed for every vote on this proposal");
    }

    #[test]
    fn a_vote_entered_for_someone_needs_their_consent_recorded() {
        let voter = PersonId::new();
        let mut vote = Vote::new(
            voter.clone(),
            Ballot::Consent(ConsentChoice::Consent),
            Hlc::ZERO,
        );
        vote.entered_by = Some(PersonId::new());
        let result = validate_vote(&Method::Consent, &[], ReasonRequired::Never, &vote);
        assert_eq!(refusal(result).0, "consent_recorded");
        vote.consent_recorded = true;
        assert!(validate_vote(&Method::Consent, &[], ReasonRequired::Never, &vote).is_ok());
        vote.assisted_by = Some(voter);
        let result = validate_vote(&Method::Consent, &[], ReasonRequired::Never, &vote);
        assert_eq!(refusal(result).0, "assisted_by");
    }

    #[test]
    fn an_overlong_answer_to_what_would_make_it_ok_is_refused() {
        let mut state = ObjectionState {
            what_would_make_it_ok: Some("a".repeat(MAX_REASON_CHARS + 1)),
            ..ObjectionState::default()
        };
        assert_eq!(
            refusal(validate_objection(&state)).0,
            "what_would_make_it_ok"
        );
        state.what_would_make_it_ok = Some("If someone walks me to the bus stop".into());
        assert!(validate_objection(&state).is_ok());
    }

    #[test]
    fn a_vote_round_trips_through_json() {
        let mut vote = Vote::new(
            PersonId::new(),
            Ballot::Score(vec![OptionScore {
                option: "park".into(),
                score: 4,
            }]),
            Hlc {
                wall_ms: 1_700_000_000_000,
                counter: 2,
                node: 5,
            },
        );
        vote.assisted_by = Some(PersonId::new());
        let json = serde_json::to_string(&vote).unwrap();
        assert!(
            json.contains(r#""ballot":{"kind":"score","marks":[{"option":"park","score":4}]}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Vote>(&json).unwrap(), vote);
    }
}
