//! Push and pull over real HTTP: who may write and read what, and how the
//! server merges ops (idempotency, last-writer-wins, tombstones, evictions).

mod common;

use common::*;
use equally_rules::entity::Scope;
use equally_rules::people::{PersonKind, Preferences};
use equally_rules::projects::{JoinPolicy, MembershipStatus, Role};
use equally_rules::statements::Visibility;
use equally_rules::wire::{ChangeAction, OpResult};
use serde_json::{Value, json};

async fn a_device_cannot_act_as_another_person(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let before = w.fingerprint();
    let mut forged = aisha.create(&statement(&aisha, "I love gardening", Visibility::Everyone));
    forged.author = w.staff.person.clone();
    let res = w.push(&aisha, vec![forged]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    // Someone else's statement, even signed as themselves.
    let theirs = w
        .staff
        .create(&statement(&w.staff, "mine", Visibility::Everyone));
    let mut relabelled = theirs.clone();
    relabelled.author = aisha.person.clone();
    let res = w.push(&aisha, vec![relabelled]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    assert_eq!(w.fingerprint(), before);
}
on_both_storages!(a_device_cannot_act_as_another_person);

async fn a_phone_cannot_add_people_but_can_edit_its_own_preferences(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let fake = equally_rules::people::Person {
        id: equally_rules::ids::PersonId::new(),
        organisation_id: w.org.clone(),
        name: "Nobody".into(),
        pronouns: None,
        kind: PersonKind::Staff,
        time_zone: "Europe/London".into(),
        access_needs: Vec::new(),
        unavailable: Vec::new(),
        recognition: Default::default(),
        created_at: equally_rules::time::Timestamp(now_ms()),
    };
    let mut op = aisha.create(&fake);
    op.author = aisha.person.clone();
    let res = w.push(&aisha, vec![op]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    let mine = aisha.update(
        "person",
        aisha.person.as_str(),
        json!({ "time_zone": "Europe/Warsaw", "access_needs": ["step_free"] }),
    );
    applied_seq(&w.push(&aisha, vec![mine]).await.results[0]);
    let settings = Preferences {
        languages: vec!["pl".into()],
        easy_read: true,
        ..Default::default()
    }
    .split(&aisha.person)
    .1;
    applied_seq(&w.push(&aisha, vec![aisha.create(&settings)]).await.results[0]);
    // But not promote themselves to staff.
    let promote = aisha.update("person", aisha.person.as_str(), json!({"kind": "staff"}));
    assert_eq!(
        rejection(&w.push(&aisha, vec![promote]).await.results[0]).0,
        "not_allowed"
    );
}
on_both_storages!(a_phone_cannot_add_people_but_can_edit_its_own_preferences);

async fn private_settings_reach_only_the_person_and_the_staff_who_support_them(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let prefs = Preferences {
        easy_read: true,
        access_notes: Some("Loud rooms make me anxious".into()),
        access_needs: vec![equally_rules::meetings::AccessFeature::QuietRoom],
        ..Default::default()
    };
    let (shared, own) = prefs.split(&aisha.person);
    let fields = equally_rules::entity::encode(&shared).unwrap();
    let ops = vec![
        aisha.update("person", aisha.person.as_str(), Value::Object(fields)),
        aisha.create(&own),
    ];
    for r in &w.push(&aisha, ops).await.results {
        applied_seq(r);
    }
    // Everyone in the organisation learns what an organiser needs, and
    // nothing else she set.
    let org = serde_json::to_string(&w.pull_all(&chris, Scope::Organisation).await).unwrap();
    assert!(org.contains("quiet_room"));
    assert!(
        !org.contains("Loud rooms") && !org.contains("easy_read"),
        "{org}"
    );
    // An old app that still sends the whole preferences on the person is
    // refused by field name, and nothing is stored.
    let before = w.fingerprint();
    let old = aisha.update(
        "person",
        aisha.person.as_str(),
        json!({ "preferences": prefs }),
    );
    let res = w.push(&aisha, vec![old]).await;
    assert_eq!(
        rejection(&res.results[0]),
        ("invalid", "preferences is not a field of a person")
    );
    assert_eq!(w.fingerprint(), before);
    // Her own scope holds the rest; a member of staff who starts supporting
    // her later receives it from the start of that scope.
    let theirs = Scope::Personal(aisha.person.clone());
    assert_eq!(
        w.pull(&chris, theirs.clone(), 0, 100)
            .await
            .unwrap_err()
            .status,
        403
    );
    let link = support_link(&aisha, &w.staff);
    applied_seq(&w.push(&aisha, vec![aisha.create(&link)]).await.results[0]);
    let seen = serde_json::to_string(&w.pull_all(&w.staff, theirs).await).unwrap();
    assert!(seen.contains("Loud rooms make me anxious"), "{seen}");
}
on_both_storages!(private_settings_reach_only_the_person_and_the_staff_who_support_them);

async fn only_members_write_to_or_read_a_project(backend: Backend) {
    let w = World::new(backend).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let (p, ops) = start_project(&w.staff, &w.org, JoinPolicy::Invite);
    for r in w.push(&w.staff, ops).await.results {
        applied_seq(&r);
    }
    let refused = w
        .pull(&chris, Scope::Project(p.id.clone()), 0, 100)
        .await
        .unwrap_err();
    assert_eq!(
        (refused.status, refused.body.code.as_str()),
        (403, "not_allowed")
    );
    let before = w.fingerprint();
    let sneaky = chris.update(
        "project",
        p.id.as_str(),
        json!({"title": {"original": {"lang": "en-GB", "text": "Mine now"}}}),
    );
    assert_eq!(
        rejection(&w.push(&chris, vec![sneaky]).await.results[0]).0,
        "not_allowed"
    );
    assert_eq!(w.fingerprint(), before);

    // Invited, Chris learns of it in their personal scope, accepts, and can
    // then read the project's whole history.
    let invite = w.staff.create(&membership(
        &p.id,
        &chris.person,
        &w.staff.person,
        Role::Member,
        MembershipStatus::Invited,
    ));
    applied_seq(&w.push(&w.staff, vec![invite]).await.results[0]);
    let mine = w
        .pull_all(&chris, Scope::Personal(chris.person.clone()))
        .await;
    assert!(
        mine.iter()
            .any(|c| c.entity == "membership" && c.fields["status"] == "invited")
    );
    let accept = chris.update(
        "membership",
        &equally_rules::projects::Membership::id_for(&p.id, &chris.person),
        json!({"status": "active", "changed_by": chris.person}),
    );
    applied_seq(&w.push(&chris, vec![accept]).await.results[0]);
    let history = w.pull_all(&chris, Scope::Project(p.id.clone())).await;
    assert!(
        history
            .iter()
            .any(|c| c.entity == "project" && c.action == ChangeAction::Create)
    );
}
on_both_storages!(only_members_write_to_or_read_a_project);

async fn a_personal_scope_is_for_the_person_and_their_supporters(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let private = statement(
        &aisha,
        "I get anxious in crowds",
        Visibility::MySupportStaff,
    );
    applied_seq(&w.push(&aisha, vec![aisha.create(&private)]).await.results[0]);
    let theirs = Scope::Personal(aisha.person.clone());
    assert_eq!(
        w.pull(&chris, theirs.clone(), 0, 100)
            .await
            .unwrap_err()
            .status,
        403
    );
    assert_eq!(
        w.pull(&w.staff, theirs.clone(), 0, 100)
            .await
            .unwrap_err()
            .status,
        403
    );
    assert_eq!(w.pull_all(&aisha, theirs.clone()).await.len(), 1);
    // Aisha asks Sam to support her: now Sam reads her personal scope.
    let link = support_link(&aisha, &w.staff);
    applied_seq(&w.push(&aisha, vec![aisha.create(&link)]).await.results[0]);
    let seen = w.pull_all(&w.staff, theirs.clone()).await;
    assert!(seen.iter().any(|c| c.entity_id == private.id.as_str()));
    // Nor does the organisation scope leak it.
    let org = w.pull_all(&chris, Scope::Organisation).await;
    assert!(org.iter().all(|c| c.entity_id != private.id.as_str()));
}
on_both_storages!(a_personal_scope_is_for_the_person_and_their_supporters);

async fn the_same_op_pushed_twice_is_applied_once(backend: Backend) {
    let w = World::new(backend).await;
    let s = statement(&w.staff, "Walks by the river", Visibility::Everyone);
    let op = w.staff.create(&s);
    let first = applied_seq(&w.push(&w.staff, vec![op.clone()]).await.results[0]);
    let second = w.push(&w.staff, vec![op.clone(), op.clone()]).await;
    assert_eq!(applied_seq(&second.results[0]), first);
    assert_eq!(applied_seq(&second.results[1]), first);
    let log = w.pull_all(&w.staff, Scope::Organisation).await;
    assert_eq!(
        log.iter().filter(|c| c.entity_id == s.id.as_str()).count(),
        1
    );
}
on_both_storages!(the_same_op_pushed_twice_is_applied_once);

async fn the_later_edit_wins_field_by_field_whatever_order_they_arrive(backend: Backend) {
    let w = World::new(backend).await;
    let (p, ops) = start_project(&w.staff, &w.org, JoinPolicy::Open);
    w.push(&w.staff, ops).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let join = chris.create(&membership(
        &p.id,
        &chris.person,
        &chris.person,
        Role::Member,
        MembershipStatus::Active,
    ));
    applied_seq(&w.push(&chris, vec![join]).await.results[0]);

    let title = |t: &str| json!({"title": {"original": {"lang": "en-GB", "text": t}}});
    // Chris edits the title first (offline), then Sam edits title and purpose later.
    let early = chris.update("project", p.id.as_str(), title("Chris's title"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut late = w
        .staff
        .update("project", p.id.as_str(), title("Sam's title"));
    late.fields.insert(
        "purpose".into(),
        json!({"original": {"lang": "en-GB", "text": "Sam's purpose"}}),
    );
    let late_seq = applied_seq(&w.push(&w.staff, vec![late]).await.results[0]);
    // Chris's older edit arrives afterwards: acknowledged, but it loses.
    let res = w.push(&chris, vec![early]).await;
    assert_eq!(
        applied_seq(&res.results[0]),
        late_seq,
        "nothing new was written"
    );
    let storage = w.server.storage.clone();
    let id = p.id.to_string();
    let stored = blocking(|| storage.read_with(|tx| tx.load("project", &id)))
        .unwrap()
        .unwrap();
    assert_eq!(stored.fields["title"]["original"]["text"], "Sam's title");

    // A phone whose clock is far ahead is clamped to the server's clock plus
    // the drift allowance, so it cannot win every edit for years.
    let mut future = chris.update("project", p.id.as_str(), title("From the future"));
    future.hlc.wall_ms += 10 * 365 * 24 * 3600 * 1000;
    applied_seq(&w.push(&chris, vec![future]).await.results[0]);
    let stored = blocking(|| storage.read_with(|tx| tx.load("project", &id)))
        .unwrap()
        .unwrap();
    let clock: equally_rules::hlc::Hlc = stored.clocks["title"].as_str().unwrap().parse().unwrap();
    assert!(clock.wall_ms <= (now_ms() as u64) + equally_rules::hlc::MAX_DRIFT_MS);
    assert_eq!(
        stored.fields["purpose"]["original"]["text"],
        "Sam's purpose"
    );
}
on_both_storages!(the_later_edit_wins_field_by_field_whatever_order_they_arrive);

async fn a_delete_wins_and_leaves_only_a_tombstone(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let s = statement(&aisha, "My dog matters to me", Visibility::Everyone);
    let edit_later = aisha.update(
        "statement",
        s.id.as_str(),
        json!({"text": {"original": {"lang": "en-GB", "text": "My dog Rex"}}}),
    );
    w.push(&aisha, vec![aisha.create(&s)]).await;
    let gone = applied_seq(
        &w.push(&aisha, vec![aisha.delete("statement", s.id.as_str())])
            .await
            .results[0],
    );
    // An edit made on another phone arrives after the delete: refused, with
    // the tombstone so that phone drops its copy.
    let res = w.push(&aisha, vec![edit_later]).await;
    match &res.results[0] {
        OpResult::Rejected {
            code, server_state, ..
        } => {
            assert_eq!(code, "conflict");
            let state = server_state.as_ref().expect("the server's state");
            assert!(state.deleted);
            assert!(
                state.fields.is_empty(),
                "a deleted statement keeps no words"
            );
        }
        other => panic!("{other:?}"),
    }
    // A second delete is already done.
    assert_eq!(
        applied_seq(
            &w.push(&aisha, vec![aisha.delete("statement", s.id.as_str())])
                .await
                .results[0]
        ),
        gone
    );
    // A device syncing now sees only that it is gone, never the words.
    let log = w.pull_all(&w.staff, Scope::Organisation).await;
    let mine: Vec<_> = log
        .iter()
        .filter(|c| c.entity_id == s.id.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].action, ChangeAction::Delete);
}
on_both_storages!(a_delete_wins_and_leaves_only_a_tombstone);

async fn narrowing_a_statement_evicts_it_from_the_wider_scope(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let s = statement(
        &aisha,
        "I am rebuilding my confidence",
        Visibility::Everyone,
    );
    w.push(&aisha, vec![aisha.create(&s)]).await;
    let seen = w
        .pull(&w.staff, Scope::Organisation, 0, 1000)
        .await
        .unwrap();
    let narrowed = aisha.update("statement", s.id.as_str(), json!({"visibility": "just_me"}));
    let seq = applied_seq(&w.push(&aisha, vec![narrowed]).await.results[0]);
    // A device that had it is told to drop it…
    let next = w
        .pull(&w.staff, Scope::Organisation, seen.cursor, 1000)
        .await
        .unwrap();
    let evict = next
        .changes
        .iter()
        .find(|c| c.entity_id == s.id.as_str())
        .unwrap();
    assert_eq!((evict.action, evict.seq), (ChangeAction::Evict, seq));
    assert!(evict.fields.is_empty());
    // …a device syncing from scratch never sees the words…
    let fresh = w.pull_all(&w.staff, Scope::Organisation).await;
    assert!(
        fresh
            .iter()
            .filter(|c| c.entity_id == s.id.as_str())
            .all(|c| c.action == ChangeAction::Evict)
    );
    // …and Aisha's personal scope now holds all of it.
    let mine = w
        .pull_all(&aisha, Scope::Personal(aisha.person.clone()))
        .await;
    let whole = mine.iter().find(|c| c.entity_id == s.id.as_str()).unwrap();
    assert_eq!(whole.action, ChangeAction::Create);
    assert_eq!(whole.fields["visibility"], "just_me");
    assert_eq!(
        whole.fields["text"]["original"]["text"],
        "I am rebuilding my confidence"
    );
}
on_both_storages!(narrowing_a_statement_evicts_it_from_the_wider_scope);

async fn my_projects_statements_reach_only_people_who_share_a_project(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let (p, ops) = start_project(&aisha, &w.org, JoinPolicy::Open);
    w.push(&aisha, ops).await;
    let s = statement(&aisha, "I like working outdoors", Visibility::MyProjects);
    w.push(&aisha, vec![aisha.create(&s)]).await;
    let sees =
        |log: &[equally_rules::wire::Change]| log.iter().any(|c| c.entity_id == s.id.as_str());
    assert!(!sees(&w.pull_all(&chris, Scope::Organisation).await));
    let join = chris.create(&membership(
        &p.id,
        &chris.person,
        &chris.person,
        Role::Member,
        MembershipStatus::Active,
    ));
    applied_seq(&w.push(&chris, vec![join]).await.results[0]);
    assert!(sees(&w.pull_all(&chris, Scope::Organisation).await));
    assert!(sees(&w.pull_all(&aisha, Scope::Organisation).await));
}
on_both_storages!(my_projects_statements_reach_only_people_who_share_a_project);

async fn a_pull_pages_with_has_more_and_a_cursor(backend: Backend) {
    let w = World::new(backend).await;
    let ops: Vec<_> = (0..25)
        .map(|i| {
            w.staff.create(&statement(
                &w.staff,
                &format!("thing {i}"),
                Visibility::Everyone,
            ))
        })
        .collect();
    w.push(&w.staff, ops).await;
    let first = w.pull(&w.staff, Scope::Organisation, 0, 10).await.unwrap();
    assert_eq!(first.changes.len(), 10);
    assert!(first.has_more);
    assert!(
        first.remaining_estimate >= 17,
        "{}",
        first.remaining_estimate
    );
    let all = w.pull_all(&w.staff, Scope::Organisation).await;
    assert!(all.windows(2).all(|p| p[0].seq < p[1].seq));
    // A cursor from a server that has never got that far: start again.
    let lost = w
        .pull(&w.staff, Scope::Organisation, 1_000_000, 10)
        .await
        .unwrap();
    assert!(lost.resync);
}
on_both_storages!(a_pull_pages_with_has_more_and_a_cursor);

async fn an_append_only_record_is_created_once(backend: Backend) {
    let w = World::new(backend).await;
    let (p, ops) = start_project(&w.staff, &w.org, JoinPolicy::Open);
    w.push(&w.staff, ops).await;
    let c = equally_rules::contributions::Contribution {
        id: equally_rules::ids::ContributionId::new(),
        person_id: w.staff.person.clone(),
        project_id: p.id.clone(),
        logged_by: w.staff.person.clone(),
        what: "Made tea".into(),
        minutes: 20,
        expenses_pence: 0,
        done_on: equally_rules::time::Day::parse("done_on", "2025-06-01").unwrap(),
        recognition: equally_rules::people::Recognition::Thanks,
        created_at: equally_rules::time::Timestamp(now_ms()),
    };
    applied_seq(&w.push(&w.staff, vec![w.staff.create(&c)]).await.results[0]);
    let before = w.fingerprint();
    let again = w.push(&w.staff, vec![w.staff.create(&c)]).await;
    assert_eq!(rejection(&again.results[0]).0, "conflict");
    let edit = w
        .staff
        .update("contribution", c.id.as_str(), json!({"minutes": 200}));
    let res = w.push(&w.staff, vec![edit]).await;
    match &res.results[0] {
        OpResult::Rejected {
            code, server_state, ..
        } => {
            assert_eq!(code, "conflict");
            assert_eq!(server_state.as_ref().unwrap().fields["minutes"], 20);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.fingerprint(), before);
}
on_both_storages!(an_append_only_record_is_created_once);

async fn a_personal_check_in_reaches_only_the_person_and_their_supporters(backend: Backend) {
    use equally_rules::ids::CheckInId;
    use equally_rules::meetings::{CheckIn, CheckInTier, Mood};
    let w = World::new(backend).await;
    let aisha = w.join("Aisha", PersonKind::SupportedPerson).await;
    let chris = w.join("Chris", PersonKind::Staff).await;
    applied_seq(
        &w.push(&aisha, vec![aisha.create(&support_link(&aisha, &w.staff))])
            .await
            .results[0],
    );
    let check_in = CheckIn {
        id: CheckInId::new(),
        person_id: Some(aisha.person.clone()),
        project_id: None,
        meeting_id: None,
        tier: CheckInTier::Personal,
        mood: Some(Mood(2)),
        note: Some("Worried about the move".into()),
        follow_up_on: None,
        follows_up: None,
        written_by: w.staff.person.clone(),
        written_at: equally_rules::time::Timestamp(now_ms()),
    };
    applied_seq(
        &w.push(&w.staff, vec![w.staff.create(&check_in)])
            .await
            .results[0],
    );

    // Chris is staff too, but does not support Aisha: he cannot read her
    // scope, nor write in it, and the organisation's log has nothing of it.
    let hers = Scope::Personal(aisha.person.clone());
    assert_eq!(
        w.pull(&chris, hers.clone(), 0, 100)
            .await
            .unwrap_err()
            .status,
        403
    );
    let org = serde_json::to_string(&w.pull_all(&chris, Scope::Organisation).await).unwrap();
    assert!(!org.contains("Worried"), "{org}");
    let before = w.fingerprint();
    let mut his = check_in.clone();
    his.id = CheckInId::new();
    his.written_by = chris.person.clone();
    let res = w.push(&chris, vec![chris.create(&his)]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_allowed");
    assert_eq!(w.fingerprint(), before);

    // Aisha and the staff member who supports her read it.
    for reader in [&aisha, &w.staff] {
        let seen = serde_json::to_string(&w.pull_all(reader, hers.clone()).await).unwrap();
        assert!(seen.contains("Worried about the move"));
    }
}
on_both_storages!(a_personal_check_in_reaches_only_the_person_and_their_supporters);
