//! Phones and the real sync server, end to end: a supported person (Sam),
//! two members of staff (Priya, Alex) and a carer (Jo), each on a device of
//! their own, on SQLite and (when configured) PostgreSQL.

use equally_core::actions::ActionStatus;
use equally_core::contributions::NewContribution;
use equally_core::ids::ProjectId;
use equally_core::meetings::AccessFeature;
use equally_core::people::Person;
use equally_core::projects::{JoinPolicy, Stage};
use equally_core::rules::Scope;
use equally_core::statements::Visibility;
use equally_core::sync::transport::{RetryPolicy, Transport};
use equally_core::sync::wire::{ChangeAction, MAX_PULL_PAGE, PullRequest};
use equally_core::time::Day;
use equally_e2e::{
    Backend, Device, Server, clock_days_ago, people, project, quick_retry, rows_of_project,
    rows_where, snapshot, text,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn contribution(d: &Device, project: &ProjectId, what: &str, minutes: u32) -> NewContribution {
    NewContribution {
        person_id: d.me.clone(),
        project_id: project.clone(),
        what: what.into(),
        minutes,
        expenses_pence: 0,
        done_on: Day::parse("done_on", "2026-03-01").unwrap(),
        recognition: None,
    }
}

/// The data two members of a project share, compared kind by kind.
fn assert_same_project_data(a: &Device, b: &Device) {
    let (left, right) = (snapshot(&a.app), snapshot(&b.app));
    for ((kind, l), (_, r)) in left.iter().zip(&right) {
        // Support links live in each person's own scope.
        if *kind != "support_link" {
            assert_eq!(l, r, "the {kind}s differ");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_edit_the_same_project_offline_and_converge() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        let sam = Device::connect(&server, &who.sam).await;
        priya.sync().await;
        let garden = project(&priya, JoinPolicy::Open, &[&sam.me]);
        let seeds = priya
            .app
            .add_action(&priya.me, &garden, text("Buy seeds"), None, false)
            .unwrap();
        priya.sync().await;
        sam.sync().await;
        assert_eq!(
            sam.app.project(&sam.me, &garden).unwrap().title.text,
            "Community garden",
            "{name}: Sam sees the project"
        );

        // Both offline: the same title edited twice, other fields once each.
        priya
            .app
            .edit_project_plan(&priya.me, &garden, Some(text("Riverside garden")), None)
            .unwrap();
        priya
            .app
            .set_action_status(&priya.me, &seeds.id, ActionStatus::Done)
            .unwrap();
        sam.app
            .edit_project_plan(&sam.me, &garden, Some(text("Sam's garden")), None)
            .unwrap();
        sam.app.set_stage(&sam.me, &garden, Stage::Shaping).unwrap();
        sam.app
            .log_contribution(&sam.me, contribution(&sam, &garden, "Dug the beds", 90))
            .unwrap();

        sam.sync().await;
        priya.sync().await;
        sam.sync().await;

        assert_same_project_data(&priya, &sam);
        let seen = sam.app.project(&sam.me, &garden).unwrap();
        assert!(
            ["Riverside garden", "Sam's garden"].contains(&seen.title.text.as_str()),
            "{name}: one of the two titles wins"
        );
        assert_eq!(seen.stage, Stage::Shaping, "{name}");
        let actions = sam.app.actions(&sam.me, &garden).unwrap();
        assert_eq!(actions[0].status, ActionStatus::Done, "{name}");
        assert_eq!(
            rows_of_project(&priya.app, "contributions", garden.as_str()),
            1,
            "{name}: Sam's contribution reached Priya"
        );
        for d in [&priya, &sam] {
            let status = d.app.sync_status().unwrap();
            assert_eq!(status.pending, 0, "{name}");
            assert!(status.rejected.is_empty(), "{name}: {:?}", status.rejected);
            assert!(status.last_synced.is_some());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_removed_from_a_project_loses_its_data_on_their_phone() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        let jo = Device::connect(&server, &who.jo).await;
        priya.sync().await;
        let circle = project(&priya, JoinPolicy::Invite, &[&jo.me]);
        let open = project(&priya, JoinPolicy::Open, &[&jo.me]);
        priya.sync().await;
        jo.sync().await;
        for p in [&circle, &open] {
            jo.app.post_update(&jo.me, p, text("Hello all")).unwrap();
            jo.app
                .add_action(&jo.me, p, text("Bring cake"), None, true)
                .unwrap();
        }
        jo.sync().await;
        priya.sync().await;
        assert_eq!(rows_of_project(&priya.app, "updates", circle.as_str()), 1);

        priya
            .app
            .remove_member(&priya.me, &circle, &jo.me, "asked to step away")
            .unwrap();
        priya.sync().await;
        let report = jo.sync().await;

        assert!(report.purged_scopes >= 1, "{name}: {report:?}");
        for table in [
            "updates",
            "actions",
            "memberships",
            "contributions",
            "needs",
        ] {
            assert_eq!(
                rows_of_project(&jo.app, table, circle.as_str()),
                0,
                "{name}: Jo's phone still holds {table} of the project"
            );
        }
        assert!(
            jo.app.project(&jo.me, &circle).is_err(),
            "{name}: the invitation-only project is gone from Jo's phone"
        );
        assert_eq!(
            rows_of_project(&jo.app, "updates", open.as_str()),
            1,
            "{name}: the other project is untouched"
        );
        assert_eq!(rows_of_project(&priya.app, "updates", circle.as_str()), 1);
        // And it stays gone on the next sync.
        jo.sync().await;
        assert_eq!(rows_of_project(&jo.app, "actions", circle.as_str()), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_offline_for_a_week_catches_up() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let clocks: Vec<_> = (0..3).map(|_| clock_days_ago(8)).collect();
        let priya = Device::connect_with_clock(&server, &who.priya, clocks[0].clone()).await;
        let sam = Device::connect_with_clock(&server, &who.sam, clocks[1].clone()).await;
        let alex = Device::connect_with_clock(&server, &who.alex, clocks[2].clone()).await;
        priya.sync().await;
        let garden = project(&priya, JoinPolicy::Open, &[&sam.me, &alex.me]);
        let watering = priya
            .app
            .add_action(&priya.me, &garden, text("Water the beds"), None, false)
            .unwrap();
        priya.sync().await;
        sam.sync().await;
        alex.sync().await;

        // Alex edits on the way out of signal, then is gone for a week.
        alex.app
            .edit_project_plan(&alex.me, &garden, Some(text("Alex's old title")), None)
            .unwrap();
        alex.app.take_action(&alex.me, &watering.id).unwrap();

        for day in 1..=7 {
            for c in &clocks[..2] {
                c.advance_minutes(24 * 60);
            }
            priya
                .app
                .post_update(
                    &priya.me,
                    &garden,
                    text(&format!("Day {day} at the garden")),
                )
                .unwrap();
            sam.app
                .log_contribution(&sam.me, contribution(&sam, &garden, "Weeding", 30))
                .unwrap();
            if day == 7 {
                priya
                    .app
                    .edit_project_plan(&priya.me, &garden, Some(text("Riverside garden")), None)
                    .unwrap();
            }
            priya.sync().await;
            sam.sync().await;
        }

        clocks[2].advance_minutes(7 * 24 * 60);
        alex.sync().await;
        priya.sync().await;
        sam.sync().await;

        assert_eq!(
            rows_of_project(&alex.app, "updates", garden.as_str()),
            7,
            "{name}: a week of news arrived"
        );
        assert_eq!(
            rows_of_project(&alex.app, "contributions", garden.as_str()),
            7
        );
        let seen = alex.app.project(&alex.me, &garden).unwrap();
        assert_eq!(
            seen.title.text, "Riverside garden",
            "{name}: last week's edit loses to this week's"
        );
        let actions = priya.app.actions(&priya.me, &garden).unwrap();
        assert_eq!(
            actions[0].owner_id.as_ref(),
            Some(&alex.me),
            "{name}: what Alex did offline reached everyone"
        );
        assert_same_project_data(&alex, &priya);
        assert_same_project_data(&alex, &sam);
        assert_eq!(alex.app.pending_count().unwrap(), 0);
    }
}

/// Every change the server logged in a scope, read raw with `token`:
/// how many times each entity was created.
async fn creations(server: &Server, token: &str, scope: Scope) -> HashMap<String, usize> {
    let t = Transport::new(&server.url(), Some(token.into()), RetryPolicy::default()).unwrap();
    let mut after = 0;
    let mut seen = HashMap::new();
    loop {
        let page = t
            .pull(&PullRequest {
                scope: scope.clone(),
                after,
                limit: MAX_PULL_PAGE as u32,
            })
            .await
            .unwrap();
        for c in page.changes {
            if c.action == ChangeAction::Create && c.entity == "contribution" {
                *seen.entry(c.entity_id).or_default() += 1;
            }
        }
        after = page.cursor;
        if !page.has_more {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_killed_in_the_middle_of_a_push_loses_and_doubles_nothing() {
    const LOGGED: usize = 3000;
    for backend in Backend::all() {
        let name = backend.name();
        let mut server = Server::start(backend);
        let who = people(&server);
        let sam = Device::connect(&server, &who.sam).await;
        sam.sync().await;
        let garden = project(&sam, JoinPolicy::Open, &[]);
        sam.sync().await;
        for chunk in 0..LOGGED / 100 {
            let batch = (0..100)
                .map(|i| contribution(&sam, &garden, &format!("Shift {chunk}-{i}"), 30))
                .collect();
            sam.app.log_contributions(&sam.me, batch).unwrap();
        }
        let queued = sam.app.pending_count().unwrap();
        assert_eq!(queued as usize, LOGGED);
        sam.app.set_sync_retry(quick_retry());

        let sam = Arc::new(sam);
        let pushing = {
            let sam = sam.clone();
            tokio::spawn(async move { sam.app.sync_now().await })
        };
        // Kill it once the first batch is answered, while the next is sent.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while sam.app.pending_count().unwrap() == queued && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server.kill();
        let cut_off = pushing.await.unwrap();
        let left = sam.app.pending_count().unwrap();
        assert!(
            cut_off.is_err(),
            "{name}: the sync noticed the server going"
        );
        assert!(
            left > 0 && left < queued,
            "{name}: killed mid-push ({left} left)"
        );
        assert_eq!(
            sam.app.sync_status().unwrap().last_error.as_deref(),
            Some("offline")
        );

        server.restart();
        sam.app.sync_now().await.expect("the sync resumes");
        assert_eq!(sam.app.pending_count().unwrap(), 0, "{name}");

        let logged = creations(&server, &sam.token, Scope::Project(garden.clone())).await;
        assert_eq!(logged.len(), LOGGED, "{name}: no contribution lost");
        assert!(
            logged.values().all(|n| *n == 1),
            "{name}: no contribution applied twice"
        );
        assert_eq!(
            rows_of_project(&sam.app, "contributions", garden.as_str()),
            LOGGED as i64
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_server_refuses_is_undone_and_shown_to_the_person() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        let jo = Device::connect(&server, &who.jo).await;
        priya.sync().await;
        let circle = project(&priya, JoinPolicy::Open, &[&jo.me]);
        priya.sync().await;
        jo.sync().await;
        // Priya removes Jo; Jo, not yet told, edits the plan offline.
        priya
            .app
            .remove_member(&priya.me, &circle, &jo.me, "moved away")
            .unwrap();
        priya.sync().await;
        jo.app
            .edit_project_plan(&jo.me, &circle, None, Some(text("Jo's purpose")))
            .unwrap();
        let report = jo.sync().await;
        assert_eq!(report.rejected, 1, "{name}: {report:?}");
        let status = jo.app.sync_status().unwrap();
        assert_eq!(status.pending, 0);
        assert_eq!(status.rejected.len(), 1);
        assert_eq!(status.rejected[0].code, "not_allowed", "{name}");
        assert_eq!(
            jo.app.project(&jo.me, &circle).unwrap().purpose.text,
            "Grow food together",
            "{name}: the refused edit is undone"
        );
        jo.app.dismiss_rejected(&status.rejected[0].op_id).unwrap();
        assert!(jo.app.sync_status().unwrap().rejected.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_sam_set_for_himself_reaches_his_supporter_and_nobody_else() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let sam = Device::connect(&server, &who.sam).await;
        let priya = Device::connect(&server, &who.priya).await;
        let jo = Device::connect(&server, &who.jo).await;
        sam.sync().await;
        let mut prefs = sam.app.preferences(&sam.me, &sam.me).unwrap();
        prefs.easy_read = true;
        prefs.access_notes = Some("Loud rooms make me anxious".into());
        prefs.access_needs = vec![AccessFeature::QuietRoom];
        sam.app
            .update_preferences(&sam.me, &sam.me, prefs.clone())
            .unwrap();
        sam.sync().await;
        jo.sync().await;
        priya.sync().await;

        // Jo's phone knows what an organiser needs, and holds nothing else.
        let seen_by_jo = jo.app.person(&jo.me, &sam.me).unwrap();
        assert!(seen_by_jo.preferences.is_none(), "{name}");
        assert_eq!(
            rows_where(&jo.app, "personal_settings", "id", sam.me.as_str()),
            0,
            "{name}"
        );
        let organisers_view = jo
            .app
            .store()
            .read(|r| r.require::<Person>(sam.me.as_str()))
            .unwrap();
        assert_eq!(
            organisers_view.access_needs,
            vec![AccessFeature::QuietRoom],
            "{name}"
        );

        // Priya starts supporting Sam: her phone receives his settings.
        assert_eq!(
            rows_where(&priya.app, "personal_settings", "id", sam.me.as_str()),
            0,
            "{name}"
        );
        sam.app.add_supporter(&sam.me, &sam.me, &priya.me).unwrap();
        sam.sync().await;
        priya.sync().await;
        priya.sync().await;
        assert_eq!(
            priya.app.preferences(&priya.me, &sam.me).unwrap(),
            prefs,
            "{name}"
        );

        // Sam ends it: they go from her phone again.
        sam.app.end_support(&sam.me, &sam.me, &priya.me).unwrap();
        sam.sync().await;
        priya.sync().await;
        assert_eq!(
            rows_where(&priya.app, "personal_settings", "id", sam.me.as_str()),
            0,
            "{name}"
        );
        assert!(priya.app.preferences(&priya.me, &sam.me).is_err(), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_away_longer_than_the_tombstone_window_starts_again_and_keeps_its_own_work() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let sam = Device::connect(&server, &who.sam).await;
        let jo = Device::connect(&server, &who.jo).await;
        sam.sync().await;
        let old = sam
            .app
            .add_statement(&sam.me, text("Dogs on the allotment"), Visibility::Everyone)
            .unwrap();
        sam.sync().await;
        jo.sync().await;
        assert_eq!(
            jo.app.statements_of(&jo.me, &sam.me).unwrap().len(),
            1,
            "{name}"
        );

        // Jo's phone is away; Sam takes the statement back, and the server's
        // window for remembering deletes passes.
        sam.app.remove_statement(&sam.me, &old.id).unwrap();
        sam.sync().await;
        let report = server.compact(0);
        assert_eq!(report["tombstones_removed"], 1, "{name}: {report}");
        // Meanwhile Jo wrote something of her own, not yet sent.
        let hers = jo
            .app
            .add_statement(&jo.me, text("Sunday lunches"), Visibility::Everyone)
            .unwrap();

        jo.sync().await;
        assert!(
            jo.app.statements_of(&jo.me, &sam.me).unwrap().is_empty(),
            "{name}: Jo's phone still shows what Sam took back"
        );
        let mine = jo.app.statements_of(&jo.me, &jo.me).unwrap();
        assert_eq!(mine.len(), 1, "{name}");
        assert_eq!(mine[0].id, hers.id, "{name}");
        sam.sync().await;
        assert_eq!(
            sam.app.statements_of(&sam.me, &jo.me).unwrap().len(),
            1,
            "{name}"
        );
        // And the next sync is an ordinary one.
        let again = jo.sync().await;
        assert_eq!(again.pulled, 0, "{name}: {again:?}");
    }
}
