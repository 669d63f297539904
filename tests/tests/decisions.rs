//! Deciding together across phones and the real sync server: votes cast
//! offline, objections, and anonymous proposals, on SQLite and (when
//! configured) PostgreSQL. A supported person (Sam), a member of staff
//! (Priya) and a carer (Jo), each on a phone of their own.

use equally_core::decisions::{
    Anonymity, Ballot, ConsentChoice, GraceWindow, Method, NewProposal, ProposalRules, Status,
};
use equally_core::ids::{PersonId, ProjectId, ProposalId};
use equally_core::projects::JoinPolicy;
use equally_core::time::{FixedTime, SystemTime, TimeSource, Timestamp};
use equally_e2e::{Backend, Device, Server, people, project, rows_of_project, text};
use std::sync::Arc;
use std::time::Duration;

/// The group's project: by invitation, started on `d`.
fn garden(d: &Device, co_founders: &[&PersonId]) -> ProjectId {
    project(d, JoinPolicy::Invite, co_founders)
}

fn polytunnel(
    d: &Device,
    project: &ProjectId,
    closes_at: Timestamp,
    anonymity: Anonymity,
) -> ProposalId {
    proposal_with_grace(d, project, closes_at, anonymity, GraceWindow::hours(1))
}

fn proposal_with_grace(
    d: &Device,
    project: &ProjectId,
    closes_at: Timestamp,
    anonymity: Anonymity,
    grace: GraceWindow,
) -> ProposalId {
    let mut rules = ProposalRules::new(Method::Consent, Vec::new(), 50);
    rules.anonymity = anonymity;
    rules.grace = grace;
    d.app
        .propose(
            &d.me,
            project,
            NewProposal {
                title: text("Buy a polytunnel"),
                body: text("So we can grow all year"),
                rules,
                closes_at,
                plan_change: None,
            },
        )
        .expect("the proposal is made")
        .id
}

fn a_clock_at_now() -> Arc<FixedTime> {
    Arc::new(FixedTime::new(SystemTime.now()))
}

fn consent(d: &Device, proposal: &ProposalId) {
    d.app
        .vote(
            &d.me,
            proposal,
            Ballot::Consent(ConsentChoice::Consent),
            None,
        )
        .expect("the vote is cast on the phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_cast_offline_before_the_close_counts_and_one_after_does_not() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        // Sam's and Jo's phones keep the time the test gives them.
        let sam_clock = a_clock_at_now();
        let jo_clock = a_clock_at_now();
        let sam = Device::connect_with_clock(&server, &who.sam, sam_clock.clone()).await;
        let jo = Device::connect_with_clock(&server, &who.jo, jo_clock.clone()).await;
        priya.sync().await;
        let project = garden(&priya, &[&sam.me, &jo.me]);
        // Voting closes in three seconds, by the server's clock.
        let closes_at = Timestamp(SystemTime.now().millis() + 3_000);
        let proposal = polytunnel(&priya, &project, closes_at, Anonymity::Named);
        // A second question allows no time at all for votes made offline.
        let no_grace = proposal_with_grace(
            &priya,
            &project,
            closes_at,
            Anonymity::Named,
            GraceWindow { minutes: 0 },
        );
        priya.sync().await;
        sam.sync().await;
        jo.sync().await;

        // Offline, Sam votes before the close by his phone's clock.
        consent(&sam, &proposal);
        consent(&sam, &no_grace);
        // Jo's phone is past the close when she tries: it is closed for her.
        jo_clock.set(Timestamp(closes_at.millis() + 60_000));
        let view = jo.app.proposal(&jo.me, &proposal).unwrap();
        assert!(
            !view.can_vote,
            "{name}: Jo's phone offers no vote after the close"
        );
        assert!(
            jo.app
                .vote(
                    &jo.me,
                    &proposal,
                    Ballot::Consent(ConsentChoice::Consent),
                    None
                )
                .is_err(),
            "{name}: a vote after the close is refused"
        );

        // Sam gets a signal only after the close, within the grace window.
        while SystemTime.now() <= closes_at {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        sam_clock.set(SystemTime.now());
        sam.sync().await;
        // The vote without a grace window arrived too late: undone on
        // Sam's phone, and he is told why.
        let status = sam.app.sync_status().unwrap();
        assert_eq!(status.rejected.len(), 1, "{name}: {:?}", status.rejected);
        assert_eq!(status.rejected[0].code, "too_late", "{name}");
        assert_eq!(
            status.rejected[0].entity_id,
            format!("{no_grace}:{}", sam.me),
            "{name}"
        );
        assert_eq!(
            sam.app.proposal(&sam.me, &no_grace).unwrap().my_vote,
            None,
            "{name}: the late vote is gone from Sam's phone"
        );
        jo.sync().await;
        priya.sync().await;

        for d in [&priya, &jo] {
            let view = d.app.proposal(&d.me, &proposal).unwrap();
            let result = view.result.expect("the result is shown");
            assert_eq!(result.turnout.voted, 1, "{name}: Sam's vote counts");
            assert!(
                view.provisional,
                "{name}: more offline votes may still come"
            );
            assert_eq!(
                view.my_vote, None,
                "{name}: nobody else's vote was recorded"
            );
        }
        assert_eq!(
            rows_of_project(&priya.app, "votes", project.as_str()),
            1,
            "{name}: only Sam's vote in time reached Priya"
        );
        let late = priya.app.proposal(&priya.me, &no_grace).unwrap();
        assert_eq!(late.result.expect("shown").turnout.voted, 0, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_objection_made_offline_blocks_the_proposal_once_synced() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        let sam = Device::connect(&server, &who.sam).await;
        priya.sync().await;
        let project = garden(&priya, &[&sam.me]);
        let in_an_hour = Timestamp(SystemTime.now().millis() + 3_600_000);
        let proposal = polytunnel(&priya, &project, in_an_hour, Anonymity::Named);
        consent(&priya, &proposal);
        priya.sync().await;
        sam.sync().await;
        let before = priya.app.proposal(&priya.me, &proposal).unwrap();
        assert_eq!(
            before.result.expect("shown").as_it_stands,
            Status::Passed,
            "{name}: with Priya's consent alone it would pass"
        );

        // Sam, offline, objects with a reason.
        sam.app
            .vote(
                &sam.me,
                &proposal,
                Ballot::Consent(ConsentChoice::Object),
                Some("The slope is not safe for a polytunnel".into()),
            )
            .expect("Sam's objection is recorded on his phone");
        priya.sync().await;
        assert_eq!(
            priya
                .app
                .proposal(&priya.me, &proposal)
                .unwrap()
                .result
                .expect("shown")
                .as_it_stands,
            Status::Passed,
            "{name}: Priya has not heard yet"
        );

        sam.sync().await;
        priya.sync().await;
        let after = priya.app.proposal(&priya.me, &proposal).unwrap();
        let result = after.result.expect("shown");
        assert_eq!(result.as_it_stands, Status::Blocked, "{name}");
        assert_eq!(result.turnout.voted, 2, "{name}");
        assert!(
            after
                .ballots
                .iter()
                .any(|b| b.voter.as_ref() == Some(&sam.me)
                    && b.reason.as_deref() == Some("The slope is not safe for a polytunnel")),
            "{name}: Priya sees Sam's objection and why"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_vote_reaches_other_phones_only_as_a_ballot_box() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        let sam = Device::connect(&server, &who.sam).await;
        let jo = Device::connect(&server, &who.jo).await;
        priya.sync().await;
        let project = garden(&priya, &[&sam.me, &jo.me]);
        let in_an_hour = Timestamp(SystemTime.now().millis() + 3_600_000);
        let proposal = polytunnel(&priya, &project, in_an_hour, Anonymity::Anonymous);
        priya.sync().await;
        sam.sync().await;
        sam.app
            .vote(
                &sam.me,
                &proposal,
                Ballot::Consent(ConsentChoice::Object),
                Some("The slope is not safe".into()),
            )
            .unwrap();
        sam.sync().await;
        priya.sync().await;
        jo.sync().await;
        sam.sync().await;

        for d in [&priya, &jo] {
            assert_eq!(
                rows_of_project(&d.app, "votes", project.as_str()),
                0,
                "{name}: Sam's vote record reached another phone"
            );
            assert_eq!(
                rows_of_project(&d.app, "ballot_boxes", project.as_str()),
                1,
                "{name}: the count arrives as a ballot box"
            );
            let view = d.app.proposal(&d.me, &proposal).unwrap();
            let result = view.result.expect("the result is shown");
            assert_eq!(result.turnout.voted, 1, "{name}");
            assert_eq!(result.as_it_stands, Status::Blocked, "{name}");
            assert_eq!(view.ballots.len(), 1, "{name}");
            assert_eq!(view.ballots[0].voter, None, "{name}: no name on the ballot");
            assert_eq!(
                view.who_voted, None,
                "{name}: too few votes to say who voted"
            );
        }
        // Sam's own phone still has his vote, and counts it once.
        let mine = sam.app.proposal(&sam.me, &proposal).unwrap();
        assert!(mine.my_vote.is_some(), "{name}");
        assert_eq!(mine.result.expect("shown").turnout.voted, 1, "{name}");
    }
}
