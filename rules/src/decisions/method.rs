//! A proposal's rules: how people vote on it, what they choose between, how
//! many must take part, what others may see, and how long offline votes may
//! take to arrive. The rules are fixed when the proposal opens; the store keeps
//! them as one JSON value ([`ProposalRules`]).

use crate::error::{Error, Result};
use crate::text::{Text, check_length};
use serde::{Deserialize, Serialize};

/// The most options one proposal may carry. A time poll over two weeks of
/// slots fits; a ballot nobody could read on a small phone does not.
pub const MAX_OPTIONS: usize = 50;
/// The longest option id; ids are made by the app, not typed by people.
pub const MAX_OPTION_ID_CHARS: usize = 64;
/// The longest option label, in characters (easy-read may be twice as long).
pub const MAX_OPTION_LABEL_CHARS: usize = 200;
/// The most dots a dot vote may hand each person.
pub const MAX_DOTS: u32 = 100;
/// The highest mark in a score vote; the lowest is 0.
pub const MAX_SCORE: u8 = 5;
/// The longest grace window a proposal may set: a week.
pub const MAX_GRACE_MINUTES: u32 = 7 * 24 * 60;
/// The longest extension a proposal may state: two weeks.
pub const MAX_EXTENSION_HOURS: u32 = 14 * 24;

/// How people vote on a proposal. What "passes" means for each is written
/// in the module documentation of [`crate::decisions`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    /// Consent / stand aside / object.
    Consent,
    /// Agree / abstain / disagree / block.
    Agreement,
    /// Choose one option.
    SingleChoice,
    /// Choose any number of options, optionally at least `min` and at most
    /// `max`.
    Approval {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// Put options in order of preference; counted by instant run-off, with
    /// the one-to-one (Condorcet) result reported beside it.
    RankedChoice,
    /// Give each option 0 to 5.
    Score,
    /// Spread up to `dots` dots over the options.
    DotVote { dots: u32 },
    /// Say yes / maybe / no to each meeting-time slot.
    TimePoll,
}

impl Method {
    /// The fewest options the method can work with.
    fn min_options(&self) -> usize {
        match self {
            // A consent or agreement proposal is about its own text; it may
            // name one option (the thing proposed) but never chooses between.
            Method::Consent | Method::Agreement => 0,
            // "Can you make Tuesday at 2?" is a fair poll with one slot.
            Method::TimePoll => 1,
            Method::SingleChoice
            | Method::Approval { .. }
            | Method::RankedChoice
            | Method::Score
            | Method::DotVote { .. } => 2,
        }
    }

    fn max_options(&self) -> usize {
        match self {
            Method::Consent | Method::Agreement => 1,
            _ => MAX_OPTIONS,
        }
    }
}

/// One of the ways forward a proposal offers ("more than one way to achieve
/// something"). The id is made by the app when the option is written and never
/// changes, so a ballot keeps pointing at the same option even if its label is
/// reworded or translated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalOption {
    pub id: String,
    pub label: Text,
}

impl ProposalOption {
    pub fn new(id: &str, label: Text) -> Self {
        ProposalOption {
            id: id.to_string(),
            label,
        }
    }
}

/// Whether other members may link a ballot to the person who cast it. See
/// [`crate::decisions::visibility`] for what "anonymous" does and does not
/// hide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anonymity {
    /// Members see who voted how, and their reasons.
    #[default]
    Named,
    /// Members see the ballots and reasons, never whose they are.
    Anonymous,
}

/// When members may see the result so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultVisibility {
    #[default]
    Always,
    /// Only once I have voted myself, so the first votes do not sway the rest.
    AfterIVote,
    AfterClose,
}

/// When a vote must carry a reason. An objection or a block always needs one,
/// whatever this says: the group cannot answer an objection it cannot read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonRequired {
    #[default]
    Never,
    /// For disagree, block and object.
    ForDissent,
    Always,
}

/// Whether the proposal may close before its closing time. The proposal has
/// to say so when it opens; nobody, staff included, can close it early by
/// hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseEarly {
    #[default]
    Never,
    /// Closes at the moment the last eligible member casts their first vote.
    WhenEveryoneHasVoted,
}

/// Whether voting stays open longer when too few have taken part. Like an
/// early close, the proposal states it when it opens; nobody, staff
/// included, extends a proposal by hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "when")]
pub enum Extension {
    #[default]
    Never,
    /// Once, by `hours`, when fewer than the quorum had voted by the closing
    /// time. The votes that decide it are those cast before the closing
    /// time that reach the server within the grace window after it, so
    /// every device decides alike; until that window ends the extension,
    /// like the result, is provisional.
    WithoutQuorum { hours: u32 },
}

/// How long after the close a vote cast offline before the close may still
/// reach the server and count. Until it has passed, a result is provisional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GraceWindow {
    pub minutes: u32,
}

impl GraceWindow {
    /// Two days: long enough for someone whose phone only gets a signal at
    /// the day centre to come in the next day.
    pub const DEFAULT: GraceWindow = GraceWindow { minutes: 48 * 60 };

    pub fn hours(hours: u32) -> Self {
        GraceWindow {
            minutes: hours.saturating_mul(60),
        }
    }
}

impl Default for GraceWindow {
    fn default() -> Self {
        GraceWindow::DEFAULT
    }
}

/// Everything the tally needs to know about a proposal besides its votes.
/// Stored as one JSON value with the proposal; fixed once it opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRules {
    pub method: Method,
    #[serde(default)]
    pub options: Vec<ProposalOption>,
    /// The share of eligible members, 0 to 100, who must vote for the result
    /// to stand. Rounded up: 50% of 9 people is 5.
    pub quorum_percent: u8,
    #[serde(default)]
    pub anonymity: Anonymity,
    #[serde(default)]
    pub result_visibility: ResultVisibility,
    #[serde(default)]
    pub reason_required: ReasonRequired,
    #[serde(default)]
    pub close_early: CloseEarly,
    #[serde(default)]
    pub extension: Extension,
    #[serde(default)]
    pub grace: GraceWindow,
}

impl ProposalRules {
    /// Rules with the defaults: named, result always visible, reasons only
    /// for objections and blocks, no early close, a 48-hour grace window.
    pub fn new(method: Method, options: Vec<ProposalOption>, quorum_percent: u8) -> Self {
        ProposalRules {
            method,
            options,
            quorum_percent,
            anonymity: Anonymity::default(),
            result_visibility: ResultVisibility::default(),
            reason_required: ReasonRequired::default(),
            close_early: CloseEarly::default(),
            extension: Extension::default(),
            grace: GraceWindow::default(),
        }
    }
}

/// Checks a proposal's rules before it opens: enough options for the method
/// and not too many, option ids unique and well formed, labels readable, a
/// quorum that is a share, approval limits and dots that can be met.
pub fn validate_proposal_rules(rules: &ProposalRules) -> Result<()> {
    let count = rules.options.len();
    let min = rules.method.min_options();
    let max = rules.method.max_options();
    if count < min {
        return Err(Error::invalid(
            "options",
            match min {
                1 => "needs at least one option for this way of voting".to_string(),
                n => format!("needs at least {n} options for this way of voting, and has {count}"),
            },
        ));
    }
    if count > max {
        return Err(Error::invalid(
            "options",
            match max {
                1 => "can name at most one option for consent or agreement".to_string(),
                n => format!("has {count} options; at most {n} fit"),
            },
        ));
    }
    for (i, option) in rules.options.iter().enumerate() {
        check_length("options.id", &option.id, MAX_OPTION_ID_CHARS)?;
        if option.id.trim() != option.id {
            return Err(Error::invalid("options.id", "starts or ends with spaces"));
        }
        if rules.options[..i].iter().any(|o| o.id == option.id) {
            return Err(Error::invalid(
                "options.id",
                format!("{} is used by two options", option.id),
            ));
        }
        option
            .label
            .validate("options.label", MAX_OPTION_LABEL_CHARS)?;
    }
    if rules.quorum_percent > 100 {
        return Err(Error::invalid(
            "quorum_percent",
            format!(
                "is {}%; a quorum is a share of members, 0 to 100%",
                rules.quorum_percent
            ),
        ));
    }
    match rules.method {
        Method::Approval { min, max } => {
            let options = u32::try_from(count).unwrap_or(u32::MAX);
            if let Some(min) = min
                && min > options
            {
                return Err(Error::invalid(
                    "method.min",
                    format!("asks for at least {min} choices from only {options} options"),
                ));
            }
            if max == Some(0) {
                return Err(Error::invalid(
                    "method.max",
                    "is 0, so nobody could choose anything",
                ));
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(Error::invalid(
                    "method.min",
                    format!("is {min}, more than the most choices allowed ({max})"),
                ));
            }
        }
        Method::DotVote { dots } if dots == 0 || dots > MAX_DOTS => {
            return Err(Error::invalid(
                "method.dots",
                format!("is {dots}; each person needs 1 to {MAX_DOTS} dots"),
            ));
        }
        _ => {}
    }
    if let Extension::WithoutQuorum { hours } = rules.extension
        && !(1..=MAX_EXTENSION_HOURS).contains(&hours)
    {
        return Err(Error::invalid(
            "extension.hours",
            format!("is {hours}; an extension is 1 to {MAX_EXTENSION_HOURS} hours"),
        ));
    }
    if rules.grace.minutes > MAX_GRACE_MINUTES {
        return Err(Error::invalid(
            "grace",
            "is longer than a week; results would stay provisional too long",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(id: &str) -> ProposalOption {
        ProposalOption::new(id, Text::new("en-GB", id))
    }

    fn rules(method: Method, ids: &[&str]) -> ProposalRules {
        ProposalRules::new(method, ids.iter().map(|id| option(id)).collect(), 50)
    }

    fn field_of(result: Result<()>) -> String {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_choice_needs_at_least_two_options() {
        assert_eq!(
            field_of(validate_proposal_rules(&rules(Method::SingleChoice, &[]))),
            "options"
        );
        assert_eq!(
            field_of(validate_proposal_rules(&rules(
                Method::RankedChoice,
                &["park"]
            ))),
            "options"
        );
        assert!(validate_proposal_rules(&rules(Method::RankedChoice, &["park", "cafe"])).is_ok());
    }

    #[test]
    fn consent_names_no_option_or_one() {
        assert!(validate_proposal_rules(&rules(Method::Consent, &[])).is_ok());
        assert!(validate_proposal_rules(&rules(Method::Agreement, &["plan"])).is_ok());
        assert_eq!(
            field_of(validate_proposal_rules(&rules(
                Method::Consent,
                &["a", "b"]
            ))),
            "options"
        );
    }

    #[test]
    fn a_time_poll_needs_a_slot() {
        assert_eq!(
            field_of(validate_proposal_rules(&rules(Method::TimePoll, &[]))),
            "options"
        );
        assert!(validate_proposal_rules(&rules(Method::TimePoll, &["tue-2pm"])).is_ok());
    }

    #[test]
    fn two_options_with_one_id_are_refused() {
        let err = validate_proposal_rules(&rules(Method::SingleChoice, &["park", "park"]));
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("park is used by two options")
        );
    }

    #[test]
    fn a_quorum_over_a_hundred_percent_is_refused() {
        let mut r = rules(Method::Consent, &[]);
        r.quorum_percent = 101;
        assert_eq!(field_of(validate_proposal_rules(&r)), "quorum_percent");
        r.quorum_percent = 100;
        assert!(validate_proposal_rules(&r).is_ok());
    }

    #[test]
    fn approval_limits_must_be_possible() {
        let limits = |min, max| rules(Method::Approval { min, max }, &["a", "b", "c"]);
        assert!(validate_proposal_rules(&limits(Some(1), Some(2))).is_ok());
        assert_eq!(
            field_of(validate_proposal_rules(&limits(Some(4), None))),
            "method.min"
        );
        assert_eq!(
            field_of(validate_proposal_rules(&limits(Some(3), Some(2)))),
            "method.min"
        );
        assert_eq!(
            field_of(validate_proposal_rules(&limits(None, Some(0)))),
            "method.max"
        );
    }

    #[test]
    fn a_dot_vote_hands_out_at_least_one_dot() {
        assert_eq!(
            field_of(validate_proposal_rules(&rules(
                Method::DotVote { dots: 0 },
                &["a", "b"]
            ))),
            "method.dots"
        );
    }

    #[test]
    fn a_blank_option_id_or_label_is_refused() {
        assert_eq!(
            field_of(validate_proposal_rules(&rules(
                Method::SingleChoice,
                &["a", " "]
            ))),
            "options.id"
        );
        let mut r = rules(Method::SingleChoice, &["a", "b"]);
        r.options[1].label = Text::new("en-GB", "");
        assert_eq!(field_of(validate_proposal_rules(&r)), "options.label");
    }

    #[test]
    fn rules_round_trip_through_json_with_defaults_filled_in() {
        let r = rules(
            Method::Approval {
                min: None,
                max: Some(2),
            },
            &["a", "b"],
        );
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            json.contains(r#""method":{"kind":"approval","max":2}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<ProposalRules>(&json).unwrap(), r);
        let minimal: ProposalRules =
            serde_json::from_str(r#"{"method":{"kind":"consent"},"quorum_percent":50}"#).unwrap();
        assert_eq!(minimal.grace, GraceWindow::hours(48));
        assert_eq!(minimal.anonymity, Anonymity::Named);
    }
}
