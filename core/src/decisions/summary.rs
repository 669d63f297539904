//! A tally in a few sentences, in the reader's language and, when they asked
//! for it, in easy-read: "Passed: 7 of 9 people voted. Nobody objected."
//! The words live in `core/locales/*/decisions.ftl`; this file only decides
//! which sentences a result needs.

use super::ProposalOption;
use super::{Counts, Status, Tally};
use crate::l10n::{self, FluentValue};
use crate::text::Reading;

/// The result as a short paragraph: where it stands and how many voted,
/// then what matters most for the method (objections, the chosen option, a
/// tie), then whether it may still change.
pub fn summary(tally: &Tally, options: &[ProposalOption], reader: &Reading) -> String {
    let say = |id: &str, args: &[(&str, FluentValue<'_>)]| l10n::message(reader, id, args);
    let label = |id: &str| -> String {
        options
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.label.for_reader(reader).text)
            .unwrap_or_else(|| id.to_string())
    };
    let separator = if l10n::localiser().locale_for(&reader.languages) == "ur" {
        "، "
    } else {
        ", "
    };
    let labels = |ids: &[String]| {
        ids.iter()
            .map(|id| label(id))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let count = |n: u32| FluentValue::from(n);

    let mut sentences = Vec::new();
    let status_message = match tally.status {
        Status::Open => "decision-open",
        Status::Passed => "decision-passed",
        Status::NotPassed => "decision-not-passed",
        Status::Tie => "decision-tie",
        Status::NoQuorum => "decision-no-quorum",
        Status::Blocked => "decision-blocked",
    };
    sentences.push(say(
        status_message,
        &[
            ("voted", count(tally.turnout.voted)),
            ("eligible", count(tally.turnout.eligible)),
            ("needed", count(tally.turnout.needed)),
        ],
    ));

    let open = tally.status == Status::Open;
    let winner = |chosen: &str| {
        let id = match (open, chosen) {
            (true, _) => "decision-leading",
            (false, chosen) => chosen,
        };
        match tally.winners.as_slice() {
            [one] => Some(say(id, &[("option", label(one).into())])),
            [] => None,
            several => Some(say(
                "decision-tied-between",
                &[("options", labels(several).into())],
            )),
        }
    };

    match &tally.counts {
        Counts::Consent(c) => {
            sentences.push(match c.objections_standing {
                0 => say("decision-nobody-objected", &[]),
                n => say("decision-objections-standing", &[("count", count(n))]),
            });
            let settled = c.objections_withdrawn + c.objections_resolved;
            if settled > 0 {
                sentences.push(say(
                    "decision-objections-settled",
                    &[("count", count(settled))],
                ));
            }
        }
        Counts::Agreement(c) => {
            sentences.push(say(
                "decision-agreement-counts",
                &[
                    ("agree", count(c.agree)),
                    ("disagree", count(c.disagree)),
                    ("abstain", count(c.abstain)),
                ],
            ));
            sentences.push(match c.blocks_standing {
                0 => say("decision-nobody-blocked", &[]),
                n => say("decision-blocks-standing", &[("count", count(n))]),
            });
            let settled = c.blocks_withdrawn + c.blocks_resolved;
            if settled > 0 {
                sentences.push(say("decision-blocks-settled", &[("count", count(settled))]));
            }
        }
        Counts::Options { .. } => sentences.extend(winner("decision-chosen")),
        Counts::TimePoll { .. } => sentences.extend(winner("decision-best-time")),
        Counts::Ranked(ranked) => {
            sentences.extend(winner("decision-chosen"));
            // Say so when the one-to-one reading disagrees with the run-off,
            // or finds no single winner: the group may want to talk first.
            if tally.turnout.voted > 0 {
                match &ranked.condorcet_winner {
                    Some(best) if tally.winners.as_slice() != [best.clone()] => {
                        sentences.push(say(
                            "decision-one-to-one-winner",
                            &[("option", label(best).into())],
                        ))
                    }
                    Some(_) => {}
                    None => sentences.push(say(
                        "decision-no-one-to-one-winner",
                        &[("options", labels(&ranked.smith_set).into())],
                    )),
                }
            }
        }
    }

    if !open && tally.provisional {
        sentences.push(say("decision-provisional", &[]));
    }
    sentences.join(" ")
}
