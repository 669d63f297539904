//! Worked examples, one small group at a time, written the way the charity's
//! guide talks about decisions. Each test is a story a member could check by
//! hand.

use super::*;
use crate::hlc::Hlc;
use crate::ids::PersonId;
use crate::text::{Reading, Text};
use crate::time::Timestamp;

const OPENS: i64 = 1_750_000_000_000;
const WEEK_MINUTES: i64 = 7 * 24 * 60;

fn closes() -> Timestamp {
    Timestamp(OPENS).plus_minutes(WEEK_MINUTES)
}

/// During voting, half-way through the week.
fn midweek() -> Timestamp {
    Timestamp(OPENS).plus_minutes(WEEK_MINUTES / 2)
}

/// After the close and the 48-hour grace window.
fn after_grace() -> Timestamp {
    closes().plus_minutes(48 * 60 + 1)
}

fn person(n: u64) -> PersonId {
    PersonId::parse(&format!("01900000-0000-7000-8000-{n:012x}")).unwrap()
}

fn group(size: u64) -> Vec<PersonId> {
    (1..=size).map(person).collect()
}

/// A clock stamp `minutes` after the proposal opened.
fn at(minutes: i64) -> Hlc {
    Hlc {
        wall_ms: u64::try_from(Timestamp(OPENS).plus_minutes(minutes).0).unwrap(),
        counter: 0,
        node: 1,
    }
}

fn vote(n: u64, ballot: Ballot) -> Vote {
    Vote::new(person(n), ballot, at(60 + i64::try_from(n).unwrap()))
}

fn options(labels: &[&str]) -> Vec<ProposalOption> {
    labels
        .iter()
        .map(|label| ProposalOption::new(&label.to_lowercase(), Text::new("en-GB", label)))
        .collect()
}

fn rules(method: Method, labels: &[&str]) -> ProposalRules {
    ProposalRules::new(method, options(labels), 50)
}

fn english() -> Reading {
    Reading {
        languages: vec!["en-GB".into()],
        easy_read: false,
    }
}

fn consent(n: u64) -> Vote {
    vote(n, Ballot::Consent(ConsentChoice::Consent))
}

fn stand_aside(n: u64) -> Vote {
    vote(n, Ballot::Consent(ConsentChoice::StandAside))
}

fn object(n: u64) -> Vote {
    vote(n, Ballot::Consent(ConsentChoice::Object))
        .with_reason("Nobody has said who will lock up the hall afterwards")
}

fn agreement(n: u64, choice: AgreementChoice) -> Vote {
    let v = vote(n, Ballot::Agreement(choice));
    if choice == AgreementChoice::Block {
        v.with_reason("It would take the budget for the summer trip")
    } else {
        v
    }
}

fn single(n: u64, option: &str) -> Vote {
    vote(n, Ballot::Single(option.into()))
}

fn ranked(n: u64, order: &[&str]) -> Vote {
    vote(
        n,
        Ballot::Ranked(order.iter().map(|s| s.to_string()).collect()),
    )
}

fn totals(tally: &Tally) -> Vec<(String, u64)> {
    match &tally.counts {
        Counts::Options { totals } => totals
            .iter()
            .map(|t| (t.option_id.clone(), t.total))
            .collect(),
        other => panic!("expected option totals, got {other:?}"),
    }
}

fn consent_count(tally: &Tally) -> &ConsentCount {
    match &tally.counts {
        Counts::Consent(c) => c,
        other => panic!("expected consent counts, got {other:?}"),
    }
}

fn ranked_count(tally: &Tally) -> &RankedCount {
    match &tally.counts {
        Counts::Ranked(r) => r,
        other => panic!("expected ranked counts, got {other:?}"),
    }
}

// Consent

#[test]
fn a_consent_proposal_passes_when_nobody_objects() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=6).map(consent).chain([stand_aside(7)]).collect();
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Passed);
    assert!(!t.provisional);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 7 of 9 people voted. Nobody objected."
    );
}

#[test]
fn an_objection_keeps_the_proposal_from_passing() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=6).map(consent).chain([object(7)]).collect();
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Blocked);
    assert_eq!(consent_count(&t).objections_standing, 1);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Blocked: 7 of 9 people voted. One objection still stands."
    );
}

#[test]
fn an_objection_stays_open_after_the_close_until_it_is_withdrawn() {
    let r = rules(Method::Consent, &[]);
    let mut votes: Vec<Vote> = (1..=6).map(consent).chain([object(7)]).collect();
    // A week after the close the objection still stands: nothing passes
    // just because time went by.
    let later = after_grace().plus_minutes(WEEK_MINUTES);
    assert_eq!(
        tally(&r, &group(9), &votes, closes(), later).status,
        Status::Blocked
    );
    // The objector is asked what would make it OK, feels heard, withdraws.
    let objection = &mut votes[6].objection;
    objection.what_would_make_it_ok = Some("Ravi and I will lock up together".into());
    objection.felt_heard = true;
    objection.withdrawn = true;
    let t = tally(&r, &group(9), &votes, closes(), later);
    assert_eq!(t.status, Status::Passed);
    assert_eq!(consent_count(&t).objections_withdrawn, 1);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 7 of 9 people voted. Nobody objected. One objection was withdrawn or resolved."
    );
}

#[test]
fn the_group_can_resolve_an_objection() {
    let r = rules(Method::Consent, &[]);
    let mut votes: Vec<Vote> = (1..=5).map(consent).chain([object(6)]).collect();
    votes[5].objection.resolved = true;
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Passed);
    assert_eq!(consent_count(&t).objections_resolved, 1);
}

#[test]
fn an_objection_without_a_reason_is_refused_and_not_counted() {
    let r = rules(Method::Consent, &[]);
    let mut silent = object(7);
    silent.reason = None;
    assert!(validate_vote(&r.method, &r.options, r.reason_required, &silent).is_err());
    let votes: Vec<Vote> = (1..=6).map(consent).chain([silent]).collect();
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Passed);
    assert_eq!(t.not_counted.invalid, 1);
    assert_eq!(t.turnout.voted, 6);
}

#[test]
fn if_everyone_stands_aside_nothing_passes() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=5).map(stand_aside).collect();
    let t = tally(&r, &group(6), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::NotPassed);
}

#[test]
fn a_consent_proposal_naming_its_plan_reports_it_as_the_winner() {
    let r = rules(Method::Consent, &["Paint the hall"]);
    let votes: Vec<Vote> = (1..=4).map(consent).collect();
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert_eq!(t.winners, ["paint the hall"]);
}

// Agreement

#[test]
fn agreement_passes_when_more_agree_than_disagree() {
    use AgreementChoice::*;
    let r = rules(Method::Agreement, &[]);
    let votes = vec![
        agreement(1, Agree),
        agreement(2, Agree),
        agreement(3, Agree),
        agreement(4, Disagree),
        agreement(5, Abstain),
    ];
    let t = tally(&r, &group(8), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Passed);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 5 of 8 people voted. 3 agreed, 1 disagreed and 1 abstained. Nobody blocked."
    );
}

#[test]
fn a_block_stops_an_agreement_proposal_however_many_agree() {
    use AgreementChoice::*;
    let r = rules(Method::Agreement, &[]);
    let votes: Vec<Vote> = (1..=7)
        .map(|n| agreement(n, Agree))
        .chain([agreement(8, Block)])
        .collect();
    let t = tally(&r, &group(8), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Blocked);
}

#[test]
fn a_withdrawn_block_still_counts_as_a_disagree() {
    use AgreementChoice::*;
    let r = rules(Method::Agreement, &[]);
    let mut votes = vec![
        agreement(1, Agree),
        agreement(2, Agree),
        agreement(3, Disagree),
        agreement(4, Block),
    ];
    votes[3].objection.withdrawn = true;
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    // 2 agree against 1 disagree and 1 withdrawn block: a tie, not a pass.
    assert_eq!(t.status, Status::Tie);
}

#[test]
fn as_many_agreeing_as_disagreeing_is_a_tie() {
    use AgreementChoice::*;
    let r = rules(Method::Agreement, &[]);
    let votes = vec![agreement(1, Agree), agreement(2, Disagree)];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Tie);
}

// One member, one vote

#[test]
fn staff_votes_weigh_the_same_as_everyone_elses() {
    // Person 1 is the project's support worker; 2 and 3 are people the
    // charity supports. Roles are not even an input to the tally.
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let votes = vec![single(1, "park"), single(2, "cafe"), single(3, "cafe")];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Passed);
    assert_eq!(t.winners, ["cafe"]);
    assert_eq!(totals(&t), [("park".into(), 1), ("cafe".into(), 2)]);
}

#[test]
fn someone_who_joined_after_opening_has_no_vote_on_it() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let electorate = group(3);
    let newcomer = 4;
    let votes = vec![
        single(1, "park"),
        single(2, "park"),
        single(3, "cafe"),
        single(newcomer, "cafe"),
    ];
    let t = tally(&r, &electorate, &votes, closes(), after_grace());
    assert_eq!(t.winners, ["park"]);
    assert_eq!(t.turnout.voted, 3);
    assert_eq!(t.not_counted.not_eligible, 1);
}

#[test]
fn the_latest_vote_counts_when_someone_changes_their_mind() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut second_thoughts = single(1, "cafe");
    second_thoughts.cast_at = at(3 * 24 * 60);
    // Arrival order does not matter: the later stamp wins.
    let votes = vec![second_thoughts, single(1, "park"), single(2, "park")];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    assert_eq!(totals(&t), [("park".into(), 1), ("cafe".into(), 1)]);
    assert_eq!(t.turnout.voted, 2);
}

#[test]
fn an_assisted_vote_is_still_the_voters_one_vote() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut helped = single(1, "cafe");
    helped.assisted_by = Some(person(2));
    let votes = vec![helped, single(2, "park")];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    // The supporter still has their own vote, and the voter theirs.
    assert_eq!(totals(&t), [("park".into(), 1), ("cafe".into(), 1)]);
    assert_eq!(t.status, Status::Tie);
}

#[test]
fn a_vote_entered_on_someones_behalf_counts_only_with_their_consent_recorded() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut paper = single(1, "cafe");
    paper.entered_by = Some(person(3));
    let without = tally(&r, &group(3), &[paper.clone()], closes(), after_grace());
    assert_eq!(without.turnout.voted, 0);
    assert_eq!(without.not_counted.invalid, 1);
    paper.consent_recorded = true;
    let with = tally(&r, &group(3), &[paper], closes(), after_grace());
    assert_eq!(with.turnout.voted, 1);
}

// Quorum

#[test]
fn without_a_quorum_nothing_passes() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=4).map(consent).collect();
    let t = tally(&r, &group(10), &votes, closes(), after_grace());
    assert!(!t.quorum_reached);
    assert_eq!(t.turnout.needed, 5);
    assert_eq!(t.status, Status::NoQuorum);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "No quorum: 4 of 10 people voted, and 5 were needed. Nobody objected."
    );
}

#[test]
fn a_decision_nobody_took_part_in_does_not_pass_even_without_a_quorum_rule() {
    let mut r = rules(Method::Consent, &[]);
    r.quorum_percent = 0;
    let t = tally(&r, &group(5), &[], closes(), after_grace());
    assert_eq!(t.status, Status::NoQuorum);
}

// Offline votes and time

#[test]
fn voting_is_open_until_the_close() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=5).map(consent).collect();
    let t = tally(&r, &group(6), &votes, closes(), midweek());
    assert_eq!(t.status, Status::Open);
    assert_eq!(t.as_it_stands, Status::Passed);
    assert!(t.provisional);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Voting is open: 5 of 6 people have voted so far. Nobody objected."
    );
}

#[test]
fn an_offline_vote_cast_before_close_counts() {
    // Cast in a basement an hour before the close; the phone found a signal
    // the next morning, inside the 48-hour grace window.
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut offline = single(3, "cafe");
    offline.cast_at = at(WEEK_MINUTES - 60);
    offline.received_at = Some(closes().plus_minutes(14 * 60));
    let votes = vec![single(1, "park"), single(2, "cafe"), offline];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(t.winners, ["cafe"]);
    assert_eq!(t.turnout.voted, 3);
}

#[test]
fn a_vote_cast_after_the_close_does_not_count() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut late = single(3, "cafe");
    late.cast_at = at(WEEK_MINUTES);
    let votes = vec![single(1, "park"), single(2, "cafe"), late];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Tie);
    assert_eq!(t.not_counted.cast_after_close, 1);
}

#[test]
fn a_vote_reaching_the_server_after_the_grace_window_does_not_count() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let mut stale = single(3, "cafe");
    stale.cast_at = at(WEEK_MINUTES - 60);
    stale.received_at = Some(closes().plus_minutes(49 * 60));
    let votes = vec![single(1, "park"), single(2, "park"), stale];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(t.not_counted.arrived_too_late, 1);
    assert_eq!(t.turnout.voted, 2);
}

#[test]
fn the_result_is_provisional_until_the_grace_window_ends() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let votes = vec![single(1, "park"), single(2, "park"), single(3, "cafe")];
    let just_closed = closes();
    let t = tally(&r, &group(3), &votes, closes(), just_closed);
    assert_eq!(t.status, Status::Passed);
    assert!(t.provisional);
    assert_eq!(t.final_at, closes().plus_minutes(48 * 60));
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 3 of 3 people voted. Chosen: Park. This result may still change: \
         votes cast offline before the close can still arrive."
    );
    let almost = tally(&r, &group(3), &votes, closes(), t.final_at.plus_minutes(-1));
    assert!(almost.provisional);
    let settled = tally(&r, &group(3), &votes, closes(), t.final_at);
    assert!(!settled.provisional);
}

#[test]
fn a_proposal_can_close_early_when_everyone_has_voted() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.close_early = CloseEarly::WhenEveryoneHasVoted;
    let mut too_late = single(1, "cafe");
    too_late.cast_at = at(24 * 60);
    // Everyone had voted within the first two hours; a change of mind the
    // next day comes after the early close.
    let votes = vec![
        single(1, "park"),
        single(2, "park"),
        single(3, "cafe"),
        too_late,
    ];
    let next_day = Timestamp(OPENS).plus_minutes(25 * 60);
    let t = tally(&r, &group(3), &votes, closes(), next_day);
    assert!(t.closed_early);
    assert_eq!(
        t.closes_at,
        Timestamp(i64::try_from(at(63).wall_ms).unwrap() + 1)
    );
    assert_eq!(t.status, Status::Passed);
    assert!(
        t.provisional,
        "offline changes cast before the early close may still come"
    );
    assert_eq!(t.winners, ["park"]);
    assert_eq!(t.not_counted.cast_after_close, 1);
    assert_eq!(
        effective_close(&r, &group(3), &votes, closes()),
        t.closes_at
    );
}

#[test]
fn a_proposal_does_not_close_early_while_someone_has_not_voted() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.close_early = CloseEarly::WhenEveryoneHasVoted;
    let votes = vec![single(1, "park"), single(2, "park")];
    let t = tally(&r, &group(3), &votes, closes(), midweek());
    assert!(!t.closed_early);
    assert_eq!(t.status, Status::Open);
}

#[test]
fn too_few_voting_by_the_close_keeps_voting_open_as_the_proposal_said() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.extension = Extension::WithoutQuorum { hours: 72 };
    // One of four voted in the week: the quorum (half) was not reached, so
    // voting runs three days more, once; two more vote in that time.
    let mut late = single(2, "park");
    late.cast_at = at(WEEK_MINUTES + 24 * 60);
    let mut later = single(3, "cafe");
    later.cast_at = at(WEEK_MINUTES + 48 * 60);
    let votes = vec![single(1, "park"), late, later];
    let extended_to = closes().plus_minutes(72 * 60);

    let during = tally(&r, &group(4), &votes, closes(), closes().plus_minutes(60));
    assert!(during.extended);
    assert_eq!(during.status, Status::Open);
    assert_eq!(during.closes_at, extended_to);
    let t = tally(
        &r,
        &group(4),
        &votes,
        closes(),
        extended_to.plus_minutes(49 * 60),
    );
    assert_eq!(t.status, Status::Passed);
    assert_eq!(t.turnout.voted, 3);
    assert_eq!(t.winners, ["park"]);
    assert_eq!(
        effective_close(&r, &group(4), &votes, closes()),
        extended_to
    );

    // Without the rule the same votes leave it closed without a quorum,
    // the two later votes too late.
    r.extension = Extension::Never;
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::NoQuorum);
    assert_eq!(t.not_counted.cast_after_close, 2);
}

#[test]
fn a_proposal_that_reached_its_quorum_closes_on_time_and_an_extension_is_only_once() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.extension = Extension::WithoutQuorum { hours: 24 };
    let votes = vec![single(1, "park"), single(2, "cafe")];
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert!(!t.extended);
    assert_eq!(t.closes_at, closes());
    assert_eq!(t.status, Status::Tie);

    // Extended once, and still short of a quorum at its end: no quorum.
    let t = tally(
        &r,
        &group(4),
        &votes[..1],
        closes(),
        after_grace().plus_minutes(24 * 60),
    );
    assert!(t.extended);
    assert_eq!(t.status, Status::NoQuorum);
}

#[test]
fn an_extension_longer_than_two_weeks_or_of_no_time_is_refused() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    for hours in [0, MAX_EXTENSION_HOURS + 1] {
        r.extension = Extension::WithoutQuorum { hours };
        let err = validate_proposal_rules(&r).unwrap_err();
        assert!(err.to_string().contains("extension.hours"), "{err}");
    }
    r.extension = Extension::WithoutQuorum { hours: 48 };
    validate_proposal_rules(&r).unwrap();
}

// Choosing between options

#[test]
fn a_tie_is_reported_as_a_tie_never_drawn_by_lot() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe", "Library"]);
    let votes = vec![
        single(1, "park"),
        single(2, "cafe"),
        single(3, "park"),
        single(4, "cafe"),
        single(5, "library"),
    ];
    let t = tally(&r, &group(5), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Tie);
    assert_eq!(t.winners, ["park", "cafe"]);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Tied: 5 of 5 people voted. Tied between: Park, Cafe."
    );
}

#[test]
fn approval_counts_every_option_someone_can_live_with() {
    let r = rules(
        Method::Approval {
            min: None,
            max: None,
        },
        &["Park", "Cafe", "Library"],
    );
    let approve = |n, ids: &[&str]| {
        vote(
            n,
            Ballot::Approval(ids.iter().map(|s| s.to_string()).collect()),
        )
    };
    let votes = vec![
        approve(1, &["park", "cafe"]),
        approve(2, &["cafe"]),
        approve(3, &["library", "cafe"]),
        approve(4, &[]),
    ];
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert_eq!(
        totals(&t),
        [
            ("park".into(), 1),
            ("cafe".into(), 3),
            ("library".into(), 1)
        ]
    );
    assert_eq!(t.winners, ["cafe"]);
    assert_eq!(t.turnout.voted, 4, "approving nothing is still a vote");
}

#[test]
fn score_adds_up_the_points_and_an_option_left_out_gets_none() {
    let r = rules(Method::Score, &["Park", "Cafe"]);
    let score = |n, marks: &[(&str, u8)]| {
        vote(
            n,
            Ballot::Score(
                marks
                    .iter()
                    .map(|(option, score)| OptionScore {
                        option: option.to_string(),
                        score: *score,
                    })
                    .collect(),
            ),
        )
    };
    let votes = vec![
        score(1, &[("park", 5), ("cafe", 3)]),
        score(2, &[("park", 1), ("cafe", 4)]),
        score(3, &[("cafe", 2)]),
    ];
    let t = tally(&r, &group(3), &votes, closes(), after_grace());
    assert_eq!(totals(&t), [("park".into(), 6), ("cafe".into(), 9)]);
    assert_eq!(t.winners, ["cafe"]);
}

#[test]
fn dot_votes_add_up_and_overspending_is_set_aside() {
    let r = rules(Method::DotVote { dots: 3 }, &["Park", "Cafe"]);
    let dots = |n, marks: &[(&str, u32)]| {
        vote(
            n,
            Ballot::Dots(
                marks
                    .iter()
                    .map(|(option, dots)| OptionDots {
                        option: option.to_string(),
                        dots: *dots,
                    })
                    .collect(),
            ),
        )
    };
    let votes = vec![
        dots(1, &[("park", 3)]),
        dots(2, &[("park", 1), ("cafe", 2)]),
        dots(3, &[("cafe", 2)]),
        dots(4, &[("cafe", 4)]),
    ];
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert_eq!(totals(&t), [("park".into(), 4), ("cafe".into(), 4)]);
    assert_eq!(t.status, Status::Tie);
    assert_eq!(t.not_counted.invalid, 1);
}

// Ranked choice

#[test]
fn the_plurality_winner_can_lose_the_run_off() {
    let r = rules(Method::RankedChoice, &["Park", "Cafe", "Library"]);
    let mut votes = Vec::new();
    for n in 1..=4 {
        votes.push(ranked(n, &["park", "library", "cafe"]));
    }
    for n in 5..=7 {
        votes.push(ranked(n, &["cafe", "library", "park"]));
    }
    for n in 8..=9 {
        votes.push(ranked(n, &["library", "cafe", "park"]));
    }
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    let count = ranked_count(&t);
    // Round 1: Park leads 4-3-2 but has no majority. Library goes; its two
    // ballots move to Cafe, which wins 5-4.
    let first: Vec<u64> = count.rounds[0].counts.iter().map(|c| c.total).collect();
    assert_eq!(first, [4, 3, 2]);
    assert_eq!(
        count.rounds[0].result,
        RoundResult::Eliminated {
            options: vec!["library".into()]
        }
    );
    let second: Vec<(String, u64)> = count.rounds[1]
        .counts
        .iter()
        .map(|c| (c.option_id.clone(), c.total))
        .collect();
    assert_eq!(second, [("park".into(), 4), ("cafe".into(), 5)]);
    assert_eq!(t.status, Status::Passed);
    assert_eq!(t.winners, ["cafe"]);
    // One to one, Library beats both (6-3 over Cafe, 5-4 over Park): the
    // summary says so, because the group may want to talk about it.
    assert_eq!(count.condorcet_winner.as_deref(), Some("library"));
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 9 of 9 people voted. Chosen: Cafe. Compared one to one, Library beats every \
         other option."
    );
}

#[test]
fn a_condorcet_cycle_is_reported_with_its_smith_set() {
    let r = rules(Method::RankedChoice, &["A", "B", "C", "D"]);
    let mut votes = Vec::new();
    // A beats B 6-3, B beats C 7-2, C beats A 5-4: a circle. Nobody ranks D,
    // so D loses to everyone and is outside the Smith set.
    for n in 1..=4 {
        votes.push(ranked(n, &["a", "b", "c"]));
    }
    for n in 5..=7 {
        votes.push(ranked(n, &["b", "c", "a"]));
    }
    for n in 8..=9 {
        votes.push(ranked(n, &["c", "a", "b"]));
    }
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    let count = ranked_count(&t);
    assert_eq!(count.condorcet_winner, None);
    assert_eq!(count.smith_set, ["a", "b", "c"]);
    assert_eq!(t.winners, ["a"]);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 9 of 9 people voted. Chosen: A. No option beats every other one to one; these \
         beat all the rest: A, B, C."
    );
}

#[test]
fn a_ranked_tie_that_nothing_fair_separates_is_a_tie() {
    let r = rules(Method::RankedChoice, &["Park", "Cafe"]);
    let votes = vec![ranked(1, &["park", "cafe"]), ranked(2, &["cafe", "park"])];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    assert_eq!(t.status, Status::Tie);
    assert_eq!(t.winners, ["park", "cafe"]);
    assert!(matches!(
        ranked_count(&t).rounds.last().map(|r| &r.result),
        Some(RoundResult::TiedForFewest { .. })
    ));
}

// Meeting-time polls

fn answers(n: u64, marks: &[(&str, Availability)]) -> Vote {
    vote(
        n,
        Ballot::TimePoll(
            marks
                .iter()
                .map(|(option, answer)| SlotAnswer {
                    option: option.to_string(),
                    answer: *answer,
                })
                .collect(),
        ),
    )
}

#[test]
fn the_best_time_is_the_one_most_people_can_make() {
    use Availability::*;
    let r = rules(Method::TimePoll, &["Tue 2pm", "Thu 6pm"]);
    let votes = vec![
        answers(1, &[("tue 2pm", Yes), ("thu 6pm", No)]),
        answers(2, &[("tue 2pm", Yes), ("thu 6pm", Yes)]),
        answers(3, &[("tue 2pm", No), ("thu 6pm", Yes)]),
        answers(4, &[("tue 2pm", Maybe), ("thu 6pm", Yes)]),
    ];
    let t = tally(&r, &group(4), &votes, closes(), after_grace());
    assert_eq!(t.winners, ["thu 6pm"]);
    let Counts::TimePoll { slots } = &t.counts else {
        panic!("time poll counts")
    };
    assert_eq!(slots[0].cannot_make_it, [person(3)]);
    assert_eq!(slots[1].cannot_make_it, [person(1)]);
    assert_eq!(
        summary(&t, &r.options, &english()),
        "Passed: 4 of 4 people voted. Best time: Thu 6pm."
    );
}

#[test]
fn between_slots_with_as_many_yes_the_one_more_might_make_wins() {
    use Availability::*;
    let r = rules(Method::TimePoll, &["Tue 2pm", "Thu 6pm"]);
    let votes = vec![
        answers(1, &[("tue 2pm", Yes), ("thu 6pm", Yes)]),
        answers(2, &[("tue 2pm", Maybe), ("thu 6pm", No)]),
    ];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    assert_eq!(t.winners, ["tue 2pm"]);
}

#[test]
fn an_anonymous_time_poll_names_nobody_who_cannot_come() {
    use Availability::*;
    let mut r = rules(Method::TimePoll, &["Tue 2pm"]);
    r.anonymity = Anonymity::Anonymous;
    let votes = vec![
        answers(1, &[("tue 2pm", No)]),
        answers(2, &[("tue 2pm", Yes)]),
    ];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    let Counts::TimePoll { slots } = &t.counts else {
        panic!("time poll counts")
    };
    assert_eq!(slots[0].no, 1);
    assert!(slots[0].cannot_make_it.is_empty());
}

// What people see

#[test]
fn an_anonymous_ballot_is_never_linked_to_its_voter() {
    let mut r = rules(Method::Consent, &[]);
    r.anonymity = Anonymity::Anonymous;
    let mut helped = consent(2);
    helped.assisted_by = Some(person(5));
    let votes = vec![consent(1), helped, object(3), stand_aside(4)];
    let viewer = person(1);
    let seen = visibility::seen_by(&viewer, &r, &group(5), &votes, closes(), midweek());
    assert_eq!(seen.my_vote.as_ref().map(|v| &v.voter), Some(&viewer));
    assert_eq!(seen.ballots.len(), 4);
    let ballots = serde_json::to_string(&seen.ballots).unwrap();
    for n in 1..=5 {
        assert!(
            !ballots.contains(person(n).as_str()),
            "person {n} can be linked to a ballot: {ballots}"
        );
    }
    assert_eq!(seen.not_voted_yet, None);
}

#[test]
fn who_voted_on_an_anonymous_proposal_waits_for_quorum_and_three_votes() {
    let mut r = rules(Method::Consent, &[]);
    r.anonymity = Anonymity::Anonymous;
    let seen = |votes: &[Vote], size| {
        visibility::seen_by(&person(1), &r, &group(size), votes, closes(), midweek()).who_voted
    };
    // Two of three voted: quorum, but too few to hide among.
    assert_eq!(seen(&[consent(1), consent(2)], 3), None);
    // Three of eight: enough people, but no quorum yet.
    assert_eq!(seen(&[consent(1), consent(2), consent(3)], 8), None);
    // Three of five: both.
    assert_eq!(
        seen(&[consent(1), consent(2), consent(3)], 5),
        Some(vec![person(1), person(2), person(3)])
    );
}

#[test]
fn on_a_named_proposal_members_see_who_voted_how_and_who_has_not_yet() {
    let r = rules(Method::Consent, &[]);
    let votes = vec![consent(1), object(2)];
    let seen = visibility::seen_by(&person(3), &r, &group(4), &votes, closes(), midweek());
    assert_eq!(seen.ballots[1].voter, Some(person(2)));
    assert_eq!(seen.not_voted_yet, Some(vec![person(3), person(4)]));
    assert_eq!(seen.my_vote, None);
}

#[test]
fn the_result_can_wait_until_i_have_voted() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.result_visibility = ResultVisibility::AfterIVote;
    let votes = vec![single(1, "park")];
    let before = visibility::seen_by(&person(2), &r, &group(3), &votes, closes(), midweek());
    assert!(!before.result_visible);
    assert!(before.ballots.is_empty());
    let votes = vec![single(1, "park"), single(2, "cafe")];
    let after = visibility::seen_by(&person(2), &r, &group(3), &votes, closes(), midweek());
    assert!(after.result_visible);
    assert_eq!(after.ballots.len(), 2);
}

#[test]
fn the_result_can_wait_until_the_close() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.result_visibility = ResultVisibility::AfterClose;
    let votes = vec![single(1, "park")];
    assert!(
        !visibility::seen_by(&person(1), &r, &group(2), &votes, closes(), midweek()).result_visible
    );
    assert!(
        visibility::seen_by(&person(1), &r, &group(2), &votes, closes(), closes()).result_visible
    );
}

// Other languages and easy-read

#[test]
fn an_easy_read_summary_uses_short_everyday_sentences() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=6).map(consent).chain([object(7)]).collect();
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    let reader = Reading {
        languages: vec!["en-GB".into()],
        easy_read: true,
    };
    assert_eq!(
        summary(&t, &r.options, &reader),
        "Someone wants to stop this, so we will stop and talk. 7 out of 9 people voted. \
         One person said no. We will talk about it."
    );
}

#[test]
fn a_polish_reader_gets_the_summary_in_polish() {
    let r = rules(Method::Consent, &[]);
    let votes: Vec<Vote> = (1..=7).map(consent).collect();
    let t = tally(&r, &group(9), &votes, closes(), after_grace());
    let reader = Reading {
        languages: vec!["pl".into()],
        easy_read: false,
    };
    assert_eq!(
        summary(&t, &r.options, &reader),
        "Przyjęto: 7 z 9 osób zagłosowało. Nikt nie zgłosił sprzeciwu."
    );
}

#[test]
fn an_urdu_reader_gets_the_summary_in_urdu_with_urdu_commas() {
    let r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    let votes = vec![single(1, "park"), single(2, "cafe")];
    let t = tally(&r, &group(2), &votes, closes(), after_grace());
    let reader = Reading {
        languages: vec!["ur".into()],
        easy_read: false,
    };
    let text = summary(&t, &r.options, &reader);
    assert!(text.contains("برابر"), "{text}");
    assert!(text.contains("Park، Cafe"), "{text}");
}

#[test]
fn option_labels_are_shown_in_the_readers_language() {
    let mut r = rules(Method::SingleChoice, &["Park", "Cafe"]);
    r.options[0].label = Text::new("en-GB", "Park").with_translation("pl", "Park miejski", None);
    let votes = vec![single(1, "park")];
    let t = tally(&r, &group(1), &votes, closes(), after_grace());
    let reader = Reading {
        languages: vec!["pl".into()],
        easy_read: false,
    };
    assert!(summary(&t, &r.options, &reader).contains("Wybrano: Park miejski."));
}

// Storage

#[test]
fn a_tally_survives_json_for_the_store_and_the_server() {
    let r = rules(Method::RankedChoice, &["Park", "Cafe", "Library"]);
    let votes = vec![ranked(1, &["park", "cafe"]), ranked(2, &["library"])];
    let t = tally(&r, &group(3), &votes, closes(), midweek());
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<Tally>(&json).unwrap(), t);
}
