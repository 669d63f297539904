//! Votes on the server: the timing rule that needs the server's clock (cast
//! before the close, received within the grace window), the other instants
//! a phone writes on a proposal (withdrawn, outcome recorded, plan changed),
//! held to the server's clock, and anonymous proposals, whose vote records
//! reach only their voter while the project receives a ballot box with no
//! names.

mod common;

use common::*;
use equally_rules::decisions::{
    Anonymity, Ballot, BallotBox, ConsentChoice, GraceWindow, Method, ObjectionState, Proposal,
    ProposalRules, ProposalState, VoteRecord,
};
use equally_rules::entity::{Entity, Scope, decode};
use equally_rules::hlc::Hlc;
use equally_rules::ids::ProposalId;
use equally_rules::people::PersonKind;
use equally_rules::projects::{JoinPolicy, MembershipStatus, Role};
use equally_rules::text::Text;
use equally_rules::time::Timestamp;
use equally_rules::wire::{Change, ChangeAction};

const MINUTE: i64 = 60_000;

/// A record as a device holds it after applying these changes in order.
fn folded(
    changes: &[equally_rules::wire::Change],
    kind: &str,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut out: Option<serde_json::Map<String, serde_json::Value>> = None;
    for c in changes.iter().filter(|c| c.entity == kind) {
        out.get_or_insert_with(Default::default)
            .extend(c.fields.clone());
    }
    out
}

/// A project whose members (the staff member who started it, and the
/// people given) joined two hours ago, so they can vote on a proposal that
/// opened an hour ago.
async fn project_with(w: &World, people: &[&Member]) -> equally_rules::ids::ProjectId {
    let two_hours_ago = Timestamp(now_ms() - 120 * MINUTE);
    let mut p = project(&w.staff, &w.org, JoinPolicy::Open);
    p.created_at = two_hours_ago;
    let mut founder = membership(
        &p.id,
        &w.staff.person,
        &w.staff.person,
        Role::CoFounder,
        MembershipStatus::Active,
    );
    founder.since = two_hours_ago;
    for r in w
        .push(&w.staff, vec![w.staff.create(&p), w.staff.create(&founder)])
        .await
        .results
    {
        applied_seq(&r);
    }
    for m in people {
        let mut joined = membership(
            &p.id,
            &m.person,
            &m.person,
            Role::Member,
            MembershipStatus::Active,
        );
        joined.since = two_hours_ago;
        applied_seq(&w.push(m, vec![m.create(&joined)]).await.results[0]);
    }
    p.id
}

/// A consent proposal by the staff member on `project`, as its phone would
/// make it, with the electorate given (sorted here).
fn consent_proposal(
    w: &World,
    project: &equally_rules::ids::ProjectId,
    mut electorate: Vec<equally_rules::ids::PersonId>,
    opens_at: i64,
    closes_at: i64,
) -> Proposal {
    electorate.sort();
    Proposal {
        id: ProposalId::new(),
        project_id: project.clone(),
        author_id: w.staff.person.clone(),
        title: Text::new("en-GB", "Buy a polytunnel"),
        body: Text::new("en-GB", "So we can grow all year"),
        rules: ProposalRules::new(Method::Consent, Vec::new(), 50),
        opens_at: Timestamp(opens_at),
        closes_at: Timestamp(closes_at),
        electorate,
        state: ProposalState::Open,
        withdrawn_at: None,
        plan_change: None,
        plan_applied_at: None,
        plan_applied_by: None,
        outcome: None,
    }
}

/// A consent proposal by the staff member, open since an hour ago and
/// closing at `closes_at`, with the given grace window for offline votes.
async fn propose(
    w: &World,
    project: &equally_rules::ids::ProjectId,
    voters: &[&Member],
    closes_at: i64,
    grace: GraceWindow,
    anonymity: Anonymity,
) -> Proposal {
    let mut electorate: Vec<_> = voters.iter().map(|m| m.person.clone()).collect();
    electorate.push(w.staff.person.clone());
    let mut proposal = consent_proposal(w, project, electorate, now_ms() - 60 * MINUTE, closes_at);
    proposal.rules.grace = grace;
    proposal.rules.anonymity = anonymity;
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&proposal)])
            .await
            .results[0],
    );
    proposal
}

/// `voter`'s vote, stamped by their phone's clock at `cast_at_ms`.
fn vote(
    voter: &Member,
    proposal: &Proposal,
    choice: ConsentChoice,
    cast_at_ms: i64,
) -> equally_rules::wire::Op {
    let cast_at = Hlc {
        wall_ms: cast_at_ms as u64,
        counter: 0,
        node: 7,
    };
    let record = VoteRecord {
        id: VoteRecord::id_for(&proposal.id, &voter.person),
        proposal_id: proposal.id.clone(),
        project_id: proposal.project_id.clone(),
        voter: voter.person.clone(),
        anonymous: proposal.is_anonymous(),
        reason: (choice == ConsentChoice::Object).then(|| "Not safe on the slope".to_string()),
        ballot: Ballot::Consent(choice),
        cast_at,
        received_at: None,
        assisted_by: None,
        entered_by: None,
        consent_recorded: false,
        objection: ObjectionState::default(),
        resolution: None,
        seat: None,
    };
    let mut op = voter.create(&record);
    op.hlc = cast_at;
    op
}

async fn a_vote_cast_before_the_close_and_received_in_the_grace_window_counts(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    // It closed ten minutes ago; Aisha voted offline a minute before that.
    let closed = now_ms() - 10 * MINUTE;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        closed,
        GraceWindow::hours(1),
        Anonymity::Named,
    )
    .await;
    let before = now_ms();
    let op = vote(&aisha, &proposal, ConsentChoice::Consent, closed - MINUTE);
    applied_seq(&w.push(&aisha, vec![op]).await.results[0]);

    let changes = w.pull_all(&w.staff, Scope::Project(project)).await;
    let stored = folded(&changes, "vote").expect("the project sees the vote");
    let record: VoteRecord = decode(stored).expect("a vote record");
    let received = record.received_at.expect("the server says when it arrived");
    assert!(received.millis() >= before && received.millis() <= now_ms());
}
on_both_storages!(a_vote_cast_before_the_close_and_received_in_the_grace_window_counts);

async fn a_proposal_that_leaves_a_member_out_of_its_electorate_is_refused(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let project = project_with(&w, &[&aisha, &chris]).await;
    // The proposer's phone had not heard that Chris joined.
    let mut proposal = consent_proposal(
        &w,
        &project,
        vec![w.staff.person.clone(), aisha.person.clone()],
        now_ms() - MINUTE,
        now_ms() + 60 * MINUTE,
    );
    let before = w.fingerprint();
    let res = w.push(&w.staff, vec![w.staff.create(&proposal)]).await;
    let (code, message) = rejection(&res.results[0]);
    assert_eq!(code, "not_allowed");
    assert!(message.contains("leaves someone out"), "{message}");
    assert_eq!(w.fingerprint(), before);
    // With Chris in it, it opens.
    proposal.electorate.push(chris.person.clone());
    proposal.electorate.sort();
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&proposal)])
            .await
            .results[0],
    );
}
on_both_storages!(a_proposal_that_leaves_a_member_out_of_its_electorate_is_refused);

async fn a_vote_cast_after_the_close_is_refused_too_late(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    let closed = now_ms() - 10 * MINUTE;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        closed,
        GraceWindow::hours(1),
        Anonymity::Named,
    )
    .await;
    let fingerprint = w.fingerprint();
    let late = vote(&aisha, &proposal, ConsentChoice::Consent, closed + MINUTE);
    let res = w.push(&aisha, vec![late]).await;
    let (code, message) = rejection(&res.results[0]);
    assert_eq!(code, "too_late");
    assert!(
        message.contains("after voting on this proposal closed"),
        "{message}"
    );
    // A phone whose clock runs fast cannot vote from the future either.
    let fast = vote(
        &aisha,
        &proposal,
        ConsentChoice::Consent,
        now_ms() + 60 * MINUTE,
    );
    assert_eq!(
        rejection(&w.push(&aisha, vec![fast]).await.results[0]).0,
        "too_late"
    );
    assert_eq!(w.fingerprint(), fingerprint);
}
on_both_storages!(a_vote_cast_after_the_close_is_refused_too_late);

async fn a_vote_received_after_the_grace_window_is_refused(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    // Closed twenty minutes ago with ten minutes' grace.
    let closed = now_ms() - 20 * MINUTE;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        closed,
        GraceWindow { minutes: 10 },
        Anonymity::Named,
    )
    .await;
    let fingerprint = w.fingerprint();
    let offline = vote(
        &aisha,
        &proposal,
        ConsentChoice::Consent,
        closed - 5 * MINUTE,
    );
    let res = w.push(&aisha, vec![offline]).await;
    let (code, message) = rejection(&res.results[0]);
    assert_eq!(code, "too_late");
    assert!(
        message.contains("time allowed for votes made offline"),
        "{message}"
    );
    assert_eq!(w.fingerprint(), fingerprint);
}
on_both_storages!(a_vote_received_after_the_grace_window_is_refused);

async fn another_member_never_receives_an_anonymous_vote_only_the_ballot_box(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let project = project_with(&w, &[&aisha, &chris]).await;
    let proposal = propose(
        &w,
        &project,
        &[&aisha, &chris],
        now_ms() + 60 * MINUTE,
        GraceWindow::DEFAULT,
        Anonymity::Anonymous,
    )
    .await;
    let op = vote(&aisha, &proposal, ConsentChoice::Object, now_ms());
    applied_seq(&w.push(&aisha, vec![op]).await.results[0]);

    let scope = Scope::Project(project);
    let seen_by_chris = w.pull_all(&chris, scope.clone()).await;
    assert!(
        seen_by_chris.iter().all(|c| c.entity != "vote"),
        "Chris received Aisha's anonymous vote record"
    );
    let whole = serde_json::to_string(&seen_by_chris).expect("JSON");
    let boxes: Vec<_> = seen_by_chris
        .iter()
        .filter(|c| c.entity == "ballot_box")
        .collect();
    assert_eq!(boxes.len(), 1);
    assert_eq!(boxes[0].action, ChangeAction::Create);
    assert_eq!(boxes[0].author, None);
    let counted: BallotBox = decode(boxes[0].fields.clone()).expect("a ballot box");
    assert_eq!(counted.ballots.len(), 1);
    assert_eq!(
        counted.ballots[0].ballot,
        Ballot::Consent(ConsentChoice::Object)
    );
    assert_eq!(counted.who_voted, None);
    // Aisha's id appears only where she is named as a member, never beside
    // her ballot: not in the box, and in no vote.
    assert!(
        !serde_json::to_string(&counted)
            .expect("JSON")
            .contains(aisha.person.as_str())
    );
    assert!(whole.contains("ballot_box"));

    // Aisha herself gets her record back, with her seat in the box and
    // without an author on the change.
    let seen_by_aisha = w.pull_all(&aisha, scope.clone()).await;
    assert!(
        seen_by_aisha
            .iter()
            .filter(|c| c.entity == "vote")
            .all(|c| c.author.is_none())
    );
    let mine = folded(&seen_by_aisha, "vote").expect("Aisha receives her own vote");
    let mine: VoteRecord = decode(mine).expect("a vote record");
    assert!(mine.received_at.is_some());
    assert_eq!(mine.seat.as_deref(), Some(counted.ballots[0].seat.as_str()));

    // She changes her mind: still nothing for Chris but a fresh box.
    let cast_at = Hlc {
        wall_ms: now_ms() as u64 + 1,
        counter: 0,
        node: 7,
    };
    let mut again = aisha.update(
        "vote",
        &VoteRecord::id_for(&proposal.id, &aisha.person),
        serde_json::json!({
            "ballot": Ballot::Consent(ConsentChoice::Consent),
            "reason": null,
            "cast_at": cast_at,
        }),
    );
    again.hlc = cast_at;
    applied_seq(&w.push(&aisha, vec![again]).await.results[0]);
    let seen_by_chris = w.pull_all(&chris, scope).await;
    assert!(seen_by_chris.iter().all(|c| c.entity != "vote"));
    let boxes: Vec<_> = seen_by_chris
        .iter()
        .filter(|c| c.entity == "ballot_box")
        .collect();
    assert_eq!(boxes.len(), 1, "only the latest count stays in the log");
    let counted: BallotBox = decode(boxes[0].fields.clone()).expect("a ballot box");
    assert_eq!(counted.ballots.len(), 1);
    assert_eq!(
        counted.ballots[0].ballot,
        Ballot::Consent(ConsentChoice::Consent)
    );
}
on_both_storages!(another_member_never_receives_an_anonymous_vote_only_the_ballot_box);

/// Aisha votes on an anonymous proposal with a reason, then is erased; what
/// Chris's phone receives afterwards is the proposal's ballot box.
async fn box_after_erasing_a_voter(
    backend: Backend,
    choice: ConsentChoice,
    reason: &str,
) -> (Vec<Change>, BallotBox) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let project = project_with(&w, &[&aisha, &chris]).await;
    let proposal = propose(
        &w,
        &project,
        &[&aisha, &chris],
        now_ms() + 60 * MINUTE,
        GraceWindow::DEFAULT,
        Anonymity::Anonymous,
    )
    .await;
    let mut op = vote(&aisha, &proposal, choice, now_ms());
    op.fields
        .insert("reason".into(), serde_json::Value::String(reason.into()));
    applied_seq(&w.push(&aisha, vec![op]).await.results[0]);
    let storage = w.server.storage.clone();
    let person = aisha.person.clone();
    blocking(move || equally_server::admin::erase(&*storage, &person, now_ms())).expect("erased");
    let seen_by_chris = w.pull_all(&chris, Scope::Project(project)).await;
    let counted: BallotBox =
        decode(folded(&seen_by_chris, "ballot_box").expect("a box")).expect("a ballot box");
    (seen_by_chris, counted)
}

async fn an_erased_members_reason_leaves_the_ballot_box_too(backend: Backend) {
    // Standing aside, she says why.
    let (seen, counted) = box_after_erasing_a_voter(
        backend,
        ConsentChoice::StandAside,
        "My brother sells polytunnels",
    )
    .await;
    assert!(seen.iter().all(|c| c.entity != "vote"));
    assert_eq!(counted.ballots.len(), 1, "her vote still counts");
    assert_eq!(
        counted.ballots[0].reason.as_deref(),
        Some("(erased)"),
        "but her words are gone"
    );
}
on_both_storages!(an_erased_members_reason_leaves_the_ballot_box_too);

async fn an_erased_members_objection_still_stands(backend: Backend) {
    let (_, counted) = box_after_erasing_a_voter(
        backend,
        ConsentChoice::Object,
        "Not safe on the canal path at night",
    )
    .await;
    assert_eq!(counted.ballots.len(), 1, "her objection is still counted");
    assert_eq!(
        counted.ballots[0].ballot,
        equally_rules::decisions::Ballot::Consent(ConsentChoice::Object)
    );
    assert_eq!(counted.ballots[0].reason.as_deref(), Some("(erased)"));
}
on_both_storages!(an_erased_members_objection_still_stands);

async fn nobody_can_vote_as_someone_else(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let project = project_with(&w, &[&aisha, &chris]).await;
    let proposal = propose(
        &w,
        &project,
        &[&aisha, &chris],
        now_ms() + 60 * MINUTE,
        GraceWindow::DEFAULT,
        Anonymity::Named,
    )
    .await;
    let before = w.fingerprint();
    // Aisha's phone sends a vote with Chris as the voter, as its own op…
    let mut as_chris = vote(&chris, &proposal, ConsentChoice::Object, now_ms());
    as_chris.author = aisha.person.clone();
    let res = w.push(&aisha, vec![as_chris.clone()]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    // …or pretending the op is Chris's own.
    let res = w
        .push(
            &aisha,
            vec![vote(&chris, &proposal, ConsentChoice::Object, now_ms())],
        )
        .await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    assert_eq!(w.fingerprint(), before);
    // Chris's own vote is his.
    applied_seq(
        &w.push(
            &chris,
            vec![vote(&chris, &proposal, ConsentChoice::Consent, now_ms())],
        )
        .await
        .results[0],
    );
}
on_both_storages!(nobody_can_vote_as_someone_else);

async fn a_vote_in_the_extension_the_proposal_stated_counts(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let project = project_with(&w, &[&aisha, &chris]).await;
    // It closed ten minutes ago with nobody having voted; it said it would
    // stay open a day more if too few had.
    let mut proposal = consent_proposal(
        &w,
        &project,
        vec![
            w.staff.person.clone(),
            aisha.person.clone(),
            chris.person.clone(),
        ],
        now_ms() - 60 * MINUTE,
        now_ms() - 10 * MINUTE,
    );
    proposal.rules.extension = equally_rules::decisions::Extension::WithoutQuorum { hours: 24 };
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&proposal)])
            .await
            .results[0],
    );
    applied_seq(
        &w.push(
            &aisha,
            vec![vote(&aisha, &proposal, ConsentChoice::Consent, now_ms())],
        )
        .await
        .results[0],
    );
    // Without the rule, the same vote is too late.
    let mut strict = consent_proposal(
        &w,
        &project,
        vec![
            w.staff.person.clone(),
            aisha.person.clone(),
            chris.person.clone(),
        ],
        now_ms() - 60 * MINUTE,
        now_ms() - 10 * MINUTE,
    );
    strict.rules.grace = GraceWindow::hours(1);
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&strict)])
            .await
            .results[0],
    );
    let res = w
        .push(
            &aisha,
            vec![vote(&aisha, &strict, ConsentChoice::Consent, now_ms())],
        )
        .await;
    assert_eq!(rejection(&res.results[0]).0, "too_late");
}
on_both_storages!(a_vote_in_the_extension_the_proposal_stated_counts);

// The instants a phone writes on a proposal are held to the server's clock
// (`ServerDuties<Proposal>`): a phone a few minutes fast is taken to mean
// "now", one further ahead is refused.

/// What a phone whose clock reads `phone_ms` sends to record an outcome.
fn record_outcome(by: &Member, proposal: &Proposal, phone_ms: i64) -> equally_rules::wire::Op {
    let mut op = by.update(
        Proposal::KIND,
        proposal.id.as_str(),
        serde_json::json!({ "outcome": {
            "statement": Text::new("en-GB", "We buy the polytunnel in spring"),
            "review_on": "2031-03-01",
            "recorded_by": by.person,
            "recorded_at": phone_ms,
        }}),
    );
    op.hlc.wall_ms = phone_ms as u64;
    op
}

/// The proposal as the project's members now hold it.
async fn as_members_see_it(w: &World, proposal: &Proposal) -> Proposal {
    let changes = w
        .pull_all(&w.staff, Scope::Project(proposal.project_id.clone()))
        .await;
    decode(folded(&changes, Proposal::KIND).expect("the proposal")).expect("a proposal")
}

async fn an_outcome_from_a_phone_whose_clock_runs_ahead_waits_for_the_real_close(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    let closes = now_ms() + 3_000;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        closes,
        GraceWindow::hours(1),
        Anonymity::Named,
    )
    .await;
    // Aisha's phone runs three minutes fast: by its clock voting has closed.
    let fast = 3 * MINUTE;
    let early = w
        .push(
            &aisha,
            vec![record_outcome(&aisha, &proposal, now_ms() + fast)],
        )
        .await;
    let (code, message) = rejection(&early.results[0]);
    assert_eq!(code, "conflict");
    assert!(message.contains("once voting has closed"), "{message}");
    assert!(as_members_see_it(&w, &proposal).await.outcome.is_none());

    // Once it really has closed, the same phone records it, dated by the
    // server's clock rather than three minutes into the future.
    tokio::time::sleep(std::time::Duration::from_millis(
        (closes - now_ms()).max(0) as u64 + 100,
    ))
    .await;
    applied_seq(
        &w.push(
            &aisha,
            vec![record_outcome(&aisha, &proposal, now_ms() + fast)],
        )
        .await
        .results[0],
    );
    let recorded = as_members_see_it(&w, &proposal)
        .await
        .outcome
        .expect("the outcome is recorded")
        .recorded_at;
    assert!(recorded.millis() >= closes && recorded.millis() <= now_ms());
}
on_both_storages!(an_outcome_from_a_phone_whose_clock_runs_ahead_waits_for_the_real_close);

async fn an_outcome_dated_hours_ahead_of_the_server_is_refused(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        now_ms() - 10 * MINUTE,
        GraceWindow::hours(1),
        Anonymity::Named,
    )
    .await;
    let fingerprint = w.fingerprint();
    let from_the_future = record_outcome(&aisha, &proposal, now_ms() + 120 * MINUTE);
    let res = w.push(&aisha, vec![from_the_future]).await;
    let (code, message) = rejection(&res.results[0]);
    assert_eq!(code, "invalid");
    assert!(message.starts_with("outcome.recorded_at"), "{message}");
    assert_eq!(w.fingerprint(), fingerprint);
}
on_both_storages!(an_outcome_dated_hours_ahead_of_the_server_is_refused);

async fn a_proposal_withdrawn_from_a_phone_whose_clock_runs_ahead_is_dated_by_the_server(
    backend: Backend,
) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    let proposal = propose(
        &w,
        &project,
        &[&aisha],
        now_ms() + 60 * MINUTE,
        GraceWindow::hours(1),
        Anonymity::Named,
    )
    .await;
    let phone = now_ms() + 4 * MINUTE;
    let mut withdraw = w.staff.update(
        Proposal::KIND,
        proposal.id.as_str(),
        serde_json::json!({ "state": "withdrawn", "withdrawn_at": phone }),
    );
    withdraw.hlc.wall_ms = phone as u64;
    applied_seq(&w.push(&w.staff, vec![withdraw]).await.results[0]);
    let seen = as_members_see_it(&w, &proposal).await;
    assert!(seen.is_withdrawn());
    let withdrawn = seen.withdrawn_at.expect("when it was withdrawn");
    assert!(withdrawn.millis() <= now_ms(), "not in the future");
}
on_both_storages!(a_proposal_withdrawn_from_a_phone_whose_clock_runs_ahead_is_dated_by_the_server);

async fn a_plan_change_from_a_phone_whose_clock_runs_ahead_waits_until_the_result_is_final(
    backend: Backend,
) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let project = project_with(&w, &[&aisha]).await;
    // It closed 58 minutes ago; votes made offline may still arrive for two
    // more minutes, so the result is provisional until then.
    let closed = now_ms() - 58 * MINUTE;
    let mut proposal = consent_proposal(
        &w,
        &project,
        vec![w.staff.person.clone(), aisha.person.clone()],
        now_ms() - 90 * MINUTE,
        closed,
    );
    proposal.rules.grace = GraceWindow::hours(1);
    proposal.plan_change = Some(equally_rules::decisions::PlanChange {
        stage: Some(equally_rules::projects::Stage::Doing),
        ..Default::default()
    });
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&proposal)])
            .await
            .results[0],
    );
    for m in [&w.staff, &aisha] {
        let op = vote(m, &proposal, ConsentChoice::Consent, closed - 5 * MINUTE);
        applied_seq(&w.push(m, vec![op]).await.results[0]);
    }
    // Aisha's phone runs four minutes fast: by its clock the result is final.
    let phone = now_ms() + 4 * MINUTE;
    let mut apply = aisha.update(
        Proposal::KIND,
        proposal.id.as_str(),
        serde_json::json!({ "plan_applied_at": phone, "plan_applied_by": aisha.person }),
    );
    apply.hlc.wall_ms = phone as u64;
    let res = w.push(&aisha, vec![apply]).await;
    let (code, message) = rejection(&res.results[0]);
    assert_eq!(code, "conflict");
    assert!(message.contains("provisional"), "{message}");
    assert!(
        as_members_see_it(&w, &proposal)
            .await
            .plan_applied_at
            .is_none()
    );
}
on_both_storages!(
    a_plan_change_from_a_phone_whose_clock_runs_ahead_waits_until_the_result_is_final
);
