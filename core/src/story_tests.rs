//! Whole-journey tests of the store: updates, actions, reviews, risks, the
//! home screen, the outbox and change notices, on a real database file.

use crate::actions::ActionStatus;
use crate::error::Error;
use crate::home::WaitingKind;
use crate::ids::PersonId;
use crate::projects::{JoinPolicy, NewProject};
use crate::reviews::ReviewKind;
use crate::risks::{NewRisk, RiskVisibility};
use crate::store::OpAction;
use crate::testkit::{refused_without_change, world};
use crate::text::Text;
use crate::time::Day;
use crate::{ChangeListener, Changed};
use parking_lot::Mutex;
use std::sync::Arc;

fn day(s: &str) -> Day {
    Day::parse("day", s).unwrap()
}

#[test]
fn every_write_queues_its_change_in_the_outbox() {
    let w = world();
    let before = w.app.pending_count().unwrap();
    let p = w.garden();
    let ops = w.app.pending_ops(1000).unwrap();
    assert_eq!(
        w.app.pending_count().unwrap(),
        before + 3,
        "project and two memberships"
    );
    let project_op = ops.iter().find(|o| o.entity == "project").unwrap();
    assert_eq!(project_op.entity_id, p.as_str());
    assert_eq!(project_op.action, OpAction::Create);
    assert_eq!(project_op.author, w.priya.id);
    w.app
        .set_stage(&w.sam.id, &p, crate::projects::Stage::Shaping)
        .unwrap();
    let last = w.app.pending_ops(1000).unwrap().pop().unwrap();
    assert_eq!(last.action, OpAction::Update);
    assert_eq!(
        last.fields.keys().collect::<Vec<_>>(),
        ["stage"],
        "only the changed field travels"
    );
    assert!(last.hlc > project_op.hlc);
}

#[test]
fn a_refused_change_queues_nothing() {
    let w = world();
    let p = w.garden();
    let before = w.app.pending_count().unwrap();
    refused_without_change(&w.app, || {
        w.app.post_update(&w.jo.id, &p, Text::new("en-GB", "hi"))
    });
    assert_eq!(w.app.pending_count().unwrap(), before);
}

#[test]
fn the_clock_keeps_moving_forward_after_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.db");
    let clock = Arc::new(crate::time::FixedTime::new(crate::testkit::START));
    let last = {
        let app = crate::Equally::open_with_time(
            crate::Config {
                database_path: path.clone(),
            },
            clock.clone(),
        )
        .unwrap();
        app.create_organisation("Org").unwrap();
        app.pending_ops(10).unwrap().pop().unwrap().hlc
    };
    // Even with the wall clock turned back, the next stamp is later.
    clock.advance_minutes(-60);
    let app = crate::Equally::open_with_time(
        crate::Config {
            database_path: path,
        },
        clock,
    )
    .unwrap();
    app.create_organisation("Org 2").unwrap();
    let next = app.pending_ops(10).unwrap().pop().unwrap().hlc;
    assert!(next > last);
}

#[test]
fn a_database_in_a_missing_folder_is_a_clear_error() {
    let err = crate::Equally::open(crate::Config {
        database_path: "/no/such/folder/e.db".into(),
    })
    .err()
    .unwrap();
    assert!(matches!(err, Error::Invalid { ref field, .. } if field == "database_path"));
}

#[derive(Default)]
struct Recorder(Mutex<Vec<Changed>>);
impl ChangeListener for Recorder {
    fn on_change(&self, changes: &[Changed]) {
        self.0.lock().extend_from_slice(changes);
    }
}

#[test]
fn a_screen_hears_which_things_changed_until_it_stops_listening() {
    let w = world();
    let p = w.garden();
    let recorder = Arc::new(Recorder::default());
    let sub = w.app.subscribe(recorder.clone());
    let update = w
        .app
        .post_update(&w.sam.id, &p, Text::new("en-GB", "Seeds arrived"))
        .unwrap();
    {
        let heard = recorder.0.lock();
        assert_eq!(heard.len(), 1);
        assert_eq!(heard[0].entity, "update");
        assert_eq!(heard[0].id, update.id.as_str());
        assert_eq!(heard[0].project_id.as_deref(), Some(p.as_str()));
    }
    drop(sub);
    w.app
        .post_update(&w.sam.id, &p, Text::new("en-GB", "Planted"))
        .unwrap();
    assert_eq!(recorder.0.lock().len(), 1);
}

#[test]
fn updates_show_who_has_read_them() {
    let w = world();
    let p = w.garden();
    let u = w
        .app
        .post_update(&w.sam.id, &p, Text::new("en-GB", "Seeds arrived"))
        .unwrap();
    w.app.mark_update_read(&w.priya.id, &u.id).unwrap();
    w.app.mark_update_read(&w.priya.id, &u.id).unwrap();
    let views = w.app.updates(&w.priya.id, &p).unwrap();
    assert_eq!(views[0].read_count, 1);
    assert!(views[0].read_by_me);
    assert_eq!(views[0].member_count, 2);
    assert_eq!(views[0].author_name, "Sam");
}

#[test]
fn anyone_can_volunteer_for_an_action_or_step_back_without_a_reason() {
    let w = world();
    let p = w.garden();
    let a = w
        .app
        .add_action(
            &w.priya.id,
            &p,
            Text::new("en-GB", "Buy compost"),
            Some(day("2026-03-10")),
            false,
        )
        .unwrap();
    w.app.take_action(&w.sam.id, &a.id).unwrap();
    let err = refused_without_change(&w.app, || w.app.take_action(&w.priya.id, &a.id));
    assert!(matches!(err, Error::Conflict { .. }));
    w.app.step_back(&w.sam.id, &a.id).unwrap();
    w.app.take_action(&w.priya.id, &a.id).unwrap();
    w.app
        .set_action_status(&w.sam.id, &a.id, ActionStatus::Done)
        .unwrap();
    let actions = w.app.actions(&w.sam.id, &p).unwrap();
    assert_eq!(actions[0].status, ActionStatus::Done);
    assert_eq!(actions[0].owner_name.as_deref(), Some("Priya"));
}

#[test]
fn nobody_is_signed_up_for_an_action_by_someone_else() {
    let w = world();
    let p = w.garden();
    let a = w
        .app
        .add_action(
            &w.priya.id,
            &p,
            Text::new("en-GB", "Buy compost"),
            None,
            false,
        )
        .unwrap();
    let err = refused_without_change(&w.app, || {
        w.app.write(&w.priya.id, |wr| {
            let mut action: crate::actions::Action = wr.require(a.id.as_str())?;
            action.owner_id = Some(w.sam.id.clone());
            wr.put(&action)
        })
    });
    assert!(matches!(err, Error::NotAllowed { .. }));
}

#[test]
fn a_review_gathers_plus_ones_and_turns_into_actions() {
    let w = world();
    let p = w.garden();
    let works = w
        .app
        .add_review_item(
            &w.sam.id,
            &p,
            ReviewKind::Working,
            Text::new("en-GB", "Saturday sessions"),
        )
        .unwrap();
    let next = w
        .app
        .add_review_item(
            &w.priya.id,
            &p,
            ReviewKind::TryNext,
            Text::new("en-GB", "A seed swap"),
        )
        .unwrap();
    w.app.plus_one(&w.priya.id, &works.id, true).unwrap();
    w.app.plus_one(&w.sam.id, &works.id, true).unwrap();
    w.app.plus_one(&w.sam.id, &works.id, false).unwrap();
    let action = w
        .app
        .action_from_review_item(&w.sam.id, &next.id, Some(day("2026-04-01")), true)
        .unwrap();
    let board = w.app.review_board(&w.sam.id, &p).unwrap();
    assert_eq!(board.working[0].plus_ones, 1);
    assert!(!board.working[0].i_plus_oned);
    assert_eq!(board.try_next[0].actions, vec![action.id]);
    assert!(board.could_be_better.is_empty());
}

#[test]
fn a_personal_risk_note_is_kept_to_the_person_and_their_supporters() {
    let w = world();
    let p = w.garden();
    w.app.join_project(&w.jo.id, &p).unwrap();
    w.app
        .add_supporter(&w.priya.id, &w.sam.id, &w.priya.id)
        .unwrap();
    let new = NewRisk {
        project_id: p.clone(),
        about_person: Some(w.sam.id.clone()),
        in_their_words: Text::new("en-GB", "Crowds make me anxious; I might leave early"),
        safeguards: vec![
            "A quiet corner is kept free".into(),
            "Leaving early is fine".into(),
        ],
        owner_id: w.sam.id.clone(),
        review_on: day("2026-03-09"),
        visibility: RiskVisibility::Personal,
    };
    w.app.add_risk(&w.sam.id, new.clone()).unwrap();
    assert!(!w.app.risks(&w.sam.id, &p).unwrap()[0].review_due);
    w.clock.advance_minutes(7 * 24 * 60);
    let seen_by_worker = w.app.risks(&w.priya.id, &p).unwrap();
    assert!(seen_by_worker[0].review_due, "the review date has come");
    assert!(w.app.risks(&w.jo.id, &p).unwrap().is_empty());
    let mut outsider = new;
    outsider.owner_id = w.alex.id.clone();
    let err = refused_without_change(&w.app, || w.app.add_risk(&w.sam.id, outsider));
    assert!(matches!(err, Error::Invalid { ref field, .. } if field == "owner_id"));
}

#[test]
fn home_shows_my_projects_my_actions_and_what_is_waiting() {
    let w = world();
    let p = w.garden();
    let mut asking = NewProject {
        title: Text::new("en-GB", "Choir"),
        purpose: Text::new("en-GB", "Sing"),
        join_policy: JoinPolicy::Ask,
        co_founders: vec![],
    };
    let choir = w.app.start_project(&w.sam.id, asking.clone()).unwrap().id;
    w.app.join_project(&w.jo.id, &choir).unwrap();
    asking.join_policy = JoinPolicy::Invite;
    asking.title = Text::new("en-GB", "Art club");
    let art = w.app.start_project(&w.priya.id, asking).unwrap().id;
    w.app
        .invite_to_project(&w.priya.id, &art, &w.sam.id)
        .unwrap();
    w.app
        .post_update(&w.priya.id, &p, Text::new("en-GB", "Seeds arrived"))
        .unwrap();
    let a = w
        .app
        .add_action(
            &w.sam.id,
            &p,
            Text::new("en-GB", "Water the beds"),
            Some(day("2026-03-05")),
            true,
        )
        .unwrap();

    let home = w.app.home(&w.sam.id).unwrap();
    assert_eq!(home.projects.len(), 2);
    let g = home.projects.iter().find(|h| h.id == p).unwrap();
    assert_eq!((g.members, g.open_actions, g.unread_updates), (2, 1, 1));
    assert!(!g.set_up_by_staff_only);
    assert_eq!(home.my_actions[0].id, a.id);
    let kinds: Vec<&WaitingKind> = home.waiting.iter().map(|x| &x.kind).collect();
    assert!(kinds.contains(&&WaitingKind::Invitation));
    assert!(kinds.contains(&&WaitingKind::JoinRequest));
    assert!(kinds.contains(&&WaitingKind::UnreadUpdates));
    assert_eq!(
        home.waiting
            .iter()
            .find(|x| x.kind == WaitingKind::UnreadUpdates)
            .unwrap()
            .text,
        "One new update to read"
    );
}

#[test]
fn home_for_an_unknown_person_is_not_found() {
    let w = world();
    assert!(matches!(
        w.app.home(&PersonId::new()),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn invalid_preferences_are_refused_and_nothing_changes() {
    let w = world();
    for (field, change) in [
        (
            "time_zone",
            Box::new(|p: &mut crate::people::Preferences| p.time_zone = "Mars/Olympus".into())
                as Box<dyn Fn(&mut _)>,
        ),
        (
            "languages",
            Box::new(|p: &mut crate::people::Preferences| p.languages = vec!["!!".into()]),
        ),
        (
            "languages",
            Box::new(|p: &mut crate::people::Preferences| p.languages.clear()),
        ),
        (
            "offsets_minutes",
            Box::new(|p: &mut crate::people::Preferences| {
                p.reminders.offsets_minutes = vec![60, 60]
            }),
        ),
        (
            "quiet_hours.start",
            Box::new(|p: &mut crate::people::Preferences| {
                p.reminders.quiet_hours = Some(crate::meetings::QuietHours {
                    start: "25:00".into(),
                    end: "07:00".into(),
                })
            }),
        ),
    ] {
        let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
        change(&mut prefs);
        let err = refused_without_change(&w.app, || {
            w.app.update_preferences(&w.sam.id, &w.sam.id, prefs)
        });
        assert!(
            matches!(err, Error::Invalid { field: ref f, .. } if f == field),
            "{field}: {err}"
        );
    }
}

#[test]
fn only_the_person_or_staff_change_a_persons_details() {
    let w = world();
    let prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    let err = refused_without_change(&w.app, || {
        w.app.update_preferences(&w.jo.id, &w.sam.id, prefs.clone())
    });
    assert!(matches!(err, Error::NotAllowed { .. }));
    w.app
        .update_preferences(&w.priya.id, &w.sam.id, prefs)
        .unwrap();
}

#[test]
fn preferences_are_private_to_the_person_and_their_supporters() {
    let w = world();
    assert!(
        w.app
            .person(&w.jo.id, &w.sam.id)
            .unwrap()
            .preferences
            .is_none()
    );
    assert!(
        w.app
            .person(&w.sam.id, &w.sam.id)
            .unwrap()
            .preferences
            .is_some()
    );
    w.app
        .add_supporter(&w.priya.id, &w.sam.id, &w.priya.id)
        .unwrap();
    assert!(
        w.app
            .person(&w.priya.id, &w.sam.id)
            .unwrap()
            .preferences
            .is_some()
    );
}

#[test]
fn staff_who_do_not_support_someone_fix_their_time_zone_but_not_their_private_settings() {
    let w = world();
    // Alex is staff but does not support Sam.
    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.easy_read = true;
    let err = refused_without_change(&w.app, || {
        w.app
            .update_preferences(&w.alex.id, &w.sam.id, prefs.clone())
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    assert!(err.to_string().contains("staff who support them"), "{err}");

    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.time_zone = "Europe/Dublin".into();
    w.app
        .update_preferences(&w.alex.id, &w.sam.id, prefs)
        .unwrap();
    assert_eq!(
        w.app.preferences(&w.sam.id, &w.sam.id).unwrap().time_zone,
        "Europe/Dublin"
    );
    let err = w.app.preferences(&w.alex.id, &w.sam.id).unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn a_persons_private_settings_sit_in_their_own_tier_and_what_organisers_need_in_the_organisations()
{
    use crate::rules::{Entity, Scope};
    let w = world();
    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.easy_read = true;
    prefs.access_notes = Some("I find crowded rooms hard".into());
    prefs.access_needs = vec![crate::meetings::AccessFeature::QuietRoom];
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs.clone())
        .unwrap();
    let (person, settings) = w
        .app
        .read(|r| {
            Ok((
                r.require::<crate::people::Person>(w.sam.id.as_str())?,
                r.require::<crate::people::PersonalSettings>(w.sam.id.as_str())?,
            ))
        })
        .unwrap();
    assert_eq!(person.scope(), Scope::Organisation);
    let shared = serde_json::to_value(&person).unwrap();
    assert!(shared.get("access_notes").is_none() && shared.get("easy_read").is_none());
    assert_eq!(shared["access_needs"], serde_json::json!(["quiet_room"]));
    assert_eq!(settings.scope(), Scope::Personal(w.sam.id.clone()));
    assert_eq!(
        settings.access_notes.as_deref(),
        Some("I find crowded rooms hard")
    );
    assert_eq!(w.app.preferences(&w.sam.id, &w.sam.id).unwrap(), prefs);
}

const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

#[test]
fn a_malformed_encryption_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::Config {
        database_path: dir.path().join("e.db"),
    };
    let err = crate::Equally::open_encrypted(config, "secret")
        .err()
        .unwrap();
    assert!(matches!(err, Error::Invalid { ref field, .. } if field == "encryption_key"));
}

#[cfg(not(any(feature = "encryption", feature = "encryption-vendored")))]
#[test]
fn a_build_without_encryption_says_so_rather_than_storing_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::Config {
        database_path: dir.path().join("e.db"),
    };
    let err = crate::Equally::open_encrypted(config, KEY).err().unwrap();
    assert!(err.to_string().contains("no encryption"), "{err}");
    assert!(
        !dir.path().join("e.db").exists()
            || std::fs::read(dir.path().join("e.db")).unwrap().is_empty()
    );
}

#[cfg(any(feature = "encryption", feature = "encryption-vendored"))]
#[test]
fn an_encrypted_database_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.db");
    let config = || crate::Config {
        database_path: path.clone(),
    };
    {
        let app = crate::Equally::open_encrypted(config(), KEY).unwrap();
        app.create_organisation("Riverside Mind").unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the file must not be plain SQLite"
    );
    let app = crate::Equally::open_encrypted(config(), KEY).unwrap();
    assert_eq!(app.organisation().unwrap().unwrap().name, "Riverside Mind");
    drop(app);
    let wrong = KEY.replace('0', "1");
    let err = crate::Equally::open_encrypted(config(), &wrong)
        .err()
        .unwrap();
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "encryption_key"),
        "{err}"
    );
    assert!(crate::Equally::open(config()).is_err(), "no key, no access");
}

#[test]
fn sams_phone_tells_him_what_went_wrong_in_polish_and_easy_read() {
    use crate::sync::state::{self, Account};
    let w = world();
    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.languages = vec!["pl".into()];
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs.clone())
        .unwrap();
    let refused = Error::not_allowed("only the person who made an offer can withdraw it");
    // Before the phone is connected to anyone, British English.
    assert_eq!(
        w.app.describe_error(&refused),
        "You can't do that here: only the person who made an offer can withdraw it"
    );
    w.app
        .store()
        .sync_write(|tx, _| {
            state::save_account(
                tx,
                &Account {
                    server_url: "https://equally.example.org/".into(),
                    device_token: "t".into(),
                    device_id: "d".into(),
                    person_id: w.sam.id.clone(),
                    connected_at: w.app.now(),
                    last_synced: None,
                },
            )
        })
        .unwrap();
    assert!(
        w.app
            .describe_error(&refused)
            .starts_with("Nie możesz tego tutaj zrobić:")
    );
    assert!(
        w.app
            .describe_error(&Error::Offline)
            .starts_with("Teraz nie ma połączenia.")
    );
    prefs.easy_read = true;
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs)
        .unwrap();
    assert_eq!(
        w.app.describe_error(&Error::Offline),
        "Teraz nie ma zasięgu. Twoje zmiany są bezpieczne na tym telefonie."
    );
    // What the phone's database said stays out of the words for people.
    let broken = Error::Storage {
        detail: "disk I/O error on table people".into(),
    };
    assert!(!w.app.describe_error(&broken).contains("people"));
}
