//! Data-protection duties: export everything held about a person, and
//! erase them while everyone else's records stay whole.

mod common;

use common::*;
use equally_rules::contributions::Contribution;
use equally_rules::entity::Scope;
use equally_rules::ids::ContributionId;
use equally_rules::people::{PersonKind, Recognition};
use equally_rules::projects::{MembershipStatus, Role};
use equally_rules::statements::Visibility;
use equally_rules::time::{Day, Timestamp};
use equally_rules::wire::ChangeAction;
use equally_server::admin;

fn contribution(m: &Member, project: &equally_rules::ids::ProjectId, what: &str) -> Contribution {
    Contribution {
        id: ContributionId::new(),
        person_id: m.person.clone(),
        project_id: project.clone(),
        logged_by: m.person.clone(),
        what: what.into(),
        minutes: 90,
        expenses_pence: 450,
        done_on: Day::parse("done_on", "2025-05-01").unwrap(),
        recognition: Recognition::Thanks,
        created_at: Timestamp(now_ms()),
    }
}

async fn export_and_erase_keep_everyone_elses_records_whole(backend: Backend) {
    let w = World::new(backend).await;
    let aisha = w.join("Aisha Khan", PersonKind::SupportedPerson).await;
    let (p, ops) = start_project(&w.staff, &w.org, equally_rules::projects::JoinPolicy::Open);
    w.push(&w.staff, ops).await;
    let join = aisha.create(&membership(
        &p.id,
        &aisha.person,
        &aisha.person,
        Role::Member,
        MembershipStatus::Active,
    ));
    let private = statement(&aisha, "I hear voices at night", Visibility::JustMe);
    let public = statement(&aisha, "I love my allotment", Visibility::Everyone);
    let hers = contribution(&aisha, &p.id, "Dug the beds with Sam");
    let sams = contribution(&w.staff, &p.id, "Bought seeds");
    for r in w
        .push(
            &aisha,
            vec![
                join,
                aisha.create(&private),
                aisha.create(&public),
                aisha.create(&hers),
            ],
        )
        .await
        .results
    {
        applied_seq(&r);
    }
    applied_seq(&w.push(&w.staff, vec![w.staff.create(&sams)]).await.results[0]);

    let storage = w.server.storage.clone();
    let who = aisha.person.clone();
    let doc = blocking(|| admin::export(&*storage, &who, now_ms())).unwrap();
    let text = doc.to_string();
    for expected in [
        "Aisha Khan",
        "I hear voices at night",
        "I love my allotment",
        "Dug the beds with Sam",
    ] {
        assert!(text.contains(expected), "the export holds {expected}");
    }
    assert!(
        !text.contains("Bought seeds"),
        "someone else's record is not theirs"
    );
    assert_eq!(doc["devices"].as_array().unwrap().len(), 1);
    assert!(
        !text.contains(&aisha.token),
        "tokens are never exported (or kept)"
    );

    let report = blocking(|| admin::erase(&*storage, &who, now_ms())).unwrap();
    assert!(
        report
            .deleted
            .contains(&format!("statement:{}", private.id))
    );
    assert!(
        report
            .blanked
            .contains(&format!("contribution:{}", hers.id))
    );

    // Her phone is signed out.
    let gone = w
        .pull(&aisha, Scope::Organisation, 0, 10)
        .await
        .unwrap_err();
    assert_eq!(gone.status, 401);

    // Nothing she wrote, nor her name, is left anywhere a device can pull.
    let org = w.pull_all(&w.staff, Scope::Organisation).await;
    let project = w.pull_all(&w.staff, Scope::Project(p.id.clone())).await;
    let everything = serde_json::to_string(&(org.clone(), project.clone())).unwrap();
    for erased in [
        "Aisha Khan",
        "I hear voices at night",
        "I love my allotment",
        "Dug the beds with Sam",
    ] {
        assert!(!everything.contains(erased), "{erased} was erased");
    }
    let fingerprint = w.fingerprint();
    for erased in [
        "Aisha Khan",
        "I hear voices at night",
        "Dug the beds with Sam",
    ] {
        assert!(
            !fingerprint.contains(erased),
            "{erased} is not kept on the server"
        );
    }
    // The project's history is whole: both contributions still count, with
    // their time and expenses; Sam's is untouched.
    let contributions: Vec<_> = project
        .iter()
        .filter(|c| c.entity == "contribution")
        .collect();
    assert_eq!(contributions.len(), 2);
    let her_now = contributions
        .iter()
        .find(|c| c.entity_id == hers.id.as_str())
        .unwrap();
    assert_eq!(her_now.fields["what"], admin::ERASED);
    assert_eq!(her_now.fields["minutes"], 90);
    assert!(her_now.author.is_none());
    let sams_now = contributions
        .iter()
        .find(|c| c.entity_id == sams.id.as_str())
        .unwrap();
    assert_eq!(sams_now.fields["what"], "Bought seeds");
    // She is still a member, under a name that names no one, and every
    // erased record still reads as its kind on a phone.
    let person = org
        .iter()
        .rfind(|c| c.entity_id == aisha.person.as_str())
        .unwrap();
    assert_eq!(person.fields["name"], admin::ERASED);
    let _: equally_rules::people::Person =
        equally_rules::entity::decode(person.fields.clone()).expect("still a person");
    let _: Contribution =
        equally_rules::entity::decode(her_now.fields.clone()).expect("still a contribution");
    assert!(
        project
            .iter()
            .any(|c| c.entity == "membership" && c.entity_id.ends_with(aisha.person.as_str()))
    );
    assert!(
        org.iter()
            .any(|c| c.entity_id == public.id.as_str() && c.action == ChangeAction::Delete)
    );
}
on_both_storages!(export_and_erase_keep_everyone_elses_records_whole);

async fn a_phone_older_than_the_tombstone_window_starts_again(backend: Backend) {
    let w = World::new(backend).await;
    let chris = w.join("Chris", PersonKind::Carer).await;
    let kept = statement(&w.staff, "Walks by the river", Visibility::Everyone);
    let gone = statement(
        &w.staff,
        "Wrong number for the office",
        Visibility::Everyone,
    );
    for r in &w
        .push(&w.staff, vec![w.staff.create(&kept), w.staff.create(&gone)])
        .await
        .results
    {
        applied_seq(r);
    }
    // Chris's phone syncs, then stays away while the statement is deleted.
    let offline_at = w
        .pull(&chris, Scope::Organisation, 0, 100)
        .await
        .unwrap()
        .cursor;
    applied_seq(
        &w.push(
            &w.staff,
            vec![w.staff.delete("statement", gone.id.as_str())],
        )
        .await
        .results[0],
    );
    let storage = w.server.storage.clone();

    // Within the window nothing is dropped.
    let report = blocking(|| admin::compact(&*storage, 90, now_ms())).unwrap();
    assert_eq!(report.tombstones_removed, 0);
    assert!(
        !w.pull(&chris, Scope::Organisation, offline_at, 100)
            .await
            .unwrap()
            .resync
    );

    // Ninety-one days on, the tombstone goes, and Chris's phone is told to
    // start the organisation's scope again rather than keep the statement.
    let later = now_ms() + 91 * 24 * 3600 * 1000;
    let report = blocking(|| admin::compact(&*storage, 90, later)).unwrap();
    assert_eq!(report.tombstones_removed, 1);
    assert_eq!(report.scopes_moved, 1);
    let page = w
        .pull(&chris, Scope::Organisation, offline_at, 100)
        .await
        .unwrap();
    assert!(page.resync && page.changes.is_empty(), "{page:?}");

    // Starting again, a page at a time, it is never told to start over
    // (its cursors are of the new epoch), no trace of the statement is left,
    // and the rest is all there.
    let (mut after, mut fresh) = (0, Vec::new());
    loop {
        let page = w.pull(&chris, Scope::Organisation, after, 1).await.unwrap();
        assert!(!page.resync, "a fresh start was sent back to the start");
        fresh.extend(page.changes);
        after = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert!(fresh.iter().all(|c| c.entity_id != gone.id.as_str()));
    assert!(fresh.iter().any(|c| c.entity_id == kept.id.as_str()));
    let page = w
        .pull(&chris, Scope::Organisation, after, 100)
        .await
        .unwrap();
    assert!(!page.resync && page.changes.is_empty());

    // A late edit from a phone that never heard does not bring it back.
    let before = w.fingerprint();
    let edit = w.staff.update(
        "statement",
        gone.id.as_str(),
        serde_json::json!({ "visibility": "just_me" }),
    );
    let res = w.push(&w.staff, vec![edit]).await;
    assert_eq!(rejection(&res.results[0]).0, "not_found");
    assert_eq!(w.fingerprint(), before);
    // And a second run finds nothing more to do.
    let again = blocking(|| admin::compact(&*storage, 90, later)).unwrap();
    assert_eq!(again, admin::Compaction::default());
}
on_both_storages!(a_phone_older_than_the_tombstone_window_starts_again);
