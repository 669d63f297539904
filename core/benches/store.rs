//! The store's figures: opening a fresh database, one domain write with its
//! outbox entry, the home screen and the reminder plan in a large
//! organisation (with 500 of the reader's meetings, some moved), writing a
//! check-in, and a bulk insert of contributions against raw rusqlite inserts
//! of the same rows.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use equally_core::contributions::NewContribution;
use equally_core::ids::{PersonId, ProjectId};
use equally_core::meetings::{
    AccessFeature, MeetingFormat, MeetingTimes, NewCheckIn, NewMeeting, Rsvp,
};
use equally_core::people::{NewPerson, PersonKind, Preferences};
use equally_core::projects::{JoinPolicy, NewProject};
use equally_core::text::Text;
use equally_core::time::{Day, FixedTime, Timestamp};
use equally_core::{Config, Equally};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn open(dir: &std::path::Path, name: &str) -> Equally {
    Equally::open_with_time(
        Config {
            database_path: dir.join(name),
        },
        Arc::new(FixedTime::new(Timestamp(1_772_445_600_000))),
    )
    .unwrap()
}

fn person(app: &Equally, by: Option<&PersonId>, name: &str, kind: PersonKind) -> PersonId {
    app.add_person(
        by,
        NewPerson {
            name: name.into(),
            pronouns: None,
            kind,
            preferences: Preferences::default(),
        },
    )
    .unwrap()
    .id
}

fn project(app: &Equally, by: &PersonId, title: &str, co: Vec<PersonId>) -> ProjectId {
    app.start_project(
        by,
        NewProject {
            title: Text::new("en-GB", title),
            purpose: Text::new("en-GB", "Working together"),
            join_policy: JoinPolicy::Open,
            co_founders: co,
        },
    )
    .unwrap()
    .id
}

fn contribution(person: &PersonId, project: &ProjectId, i: u32) -> NewContribution {
    NewContribution {
        person_id: person.clone(),
        project_id: project.clone(),
        what: format!("Session {i}"),
        minutes: 30 + i % 90,
        expenses_pence: i % 500,
        done_on: Day::parse("done_on", "2026-02-01").unwrap(),
        recognition: None,
    }
}

fn open_and_migrate(c: &mut Criterion) {
    c.bench_function("open + migrate a fresh database", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| black_box(open(dir.path(), "fresh.db")),
            BatchSize::PerIteration,
        )
    });
}

fn one_write(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), "write.db");
    app.create_organisation("Org").unwrap();
    let staff = person(&app, None, "Priya", PersonKind::Staff);
    let sam = person(&app, Some(&staff), "Sam", PersonKind::SupportedPerson);
    let p = project(&app, &staff, "Garden", vec![sam.clone()]);
    let mut i = 0u32;
    c.bench_function(
        "one domain write with its outbox entry (log a contribution)",
        |b| {
            b.iter(|| {
                i += 1;
                black_box(
                    app.log_contribution(&sam, contribution(&sam, &p, i))
                        .unwrap(),
                );
            })
        },
    );
}

fn home_in_a_large_organisation(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), "home.db");
    app.create_organisation("Org").unwrap();
    let started = Instant::now();
    let staff = person(&app, None, "Priya", PersonKind::Staff);
    let people: Vec<PersonId> = (0..5_000)
        .map(|i| {
            person(
                &app,
                Some(&staff),
                &format!("Person {i}"),
                PersonKind::SupportedPerson,
            )
        })
        .collect();
    let me = people[0].clone();
    let mut projects = Vec::new();
    for i in 0..1_000usize {
        // Each project: a staff co-founder and two people; the reader is in 20.
        let mut co = vec![
            people[1 + (i * 2) % 4_999].clone(),
            people[1 + (i * 2 + 1) % 4_999].clone(),
        ];
        if i < 20 {
            co.push(me.clone());
        }
        projects.push((
            project(&app, &staff, &format!("Project {i}"), co.clone()),
            co,
        ));
    }
    let mut logged = 0;
    for (i, (p, members)) in projects.iter().enumerate().cycle() {
        if logged >= 100_000 {
            break;
        }
        let who = &members[i % members.len()];
        let batch: Vec<_> = (0..100).map(|k| contribution(who, p, k)).collect();
        app.log_contributions(who, batch).unwrap();
        logged += 100;
    }
    for (p, _) in projects.iter().take(20) {
        app.post_update(&staff, p, Text::new("en-GB", "News"))
            .unwrap();
        app.add_action(&me, p, Text::new("en-GB", "Bring cake"), None, true)
            .unwrap();
    }
    // 25 meetings in each of the reader's 20 projects, over the next six
    // months; they said going to all, and every tenth has moved.
    let now = app.now();
    for i in 0..500i64 {
        let (p, _) = &projects[(i % 20) as usize];
        let starts_at = now.plus_minutes(60 + i * 523);
        let m = app
            .schedule_meeting(
                &staff,
                NewMeeting {
                    project: Some(p.clone()),
                    title: Text::new("en-GB", &format!("Planning meeting {i}")),
                    description: None,
                    format: MeetingFormat::InPerson,
                    place: Some(Text::new("en-GB", "Elm Street community hall")),
                    online_link: None,
                    access: vec![AccessFeature::StepFree],
                    access_notes: None,
                    times: MeetingTimes::new(
                        starts_at,
                        starts_at.plus_minutes(90),
                        "Europe/London",
                    )
                    .unwrap(),
                    capacity: (i % 4 == 0).then_some(12),
                },
            )
            .unwrap()
            .id;
        app.rsvp(&me, &m, Rsvp::Going).unwrap();
        if i % 10 == 0 {
            let later = starts_at.plus_minutes(24 * 60);
            app.move_meeting(
                &staff,
                &m,
                MeetingTimes::new(later, later.plus_minutes(90), "Europe/London").unwrap(),
            )
            .unwrap();
        }
    }
    eprintln!(
        "seeded 1,000 projects, 5,000 people, 100,000 contributions, 500 meetings in {:.1?}",
        started.elapsed()
    );
    let home = app.home(&me).unwrap();
    assert_eq!(home.projects.len(), 20);
    assert_eq!(app.reminder_plan(&me).unwrap().len(), 60);
    c.bench_function(
        "reminder_plan() through the store for a person in 20 projects with 500 meetings",
        |b| b.iter(|| black_box(app.reminder_plan(&me).unwrap())),
    );
    let mut i = 0u32;
    c.bench_function(
        "write one check-in (one call, with its outbox entry)",
        |b| {
            b.iter(|| {
                i += 1;
                black_box(
                    app.write_check_in(
                        &me,
                        NewCheckIn {
                            person: Some(me.clone()),
                            mood: Some((i % 5 + 1) as u8),
                            note: Some(format!("Visit {i}")),
                            ..NewCheckIn::default()
                        },
                    )
                    .unwrap(),
                )
            })
        },
    );
    c.bench_function(
        "home() for a person in 20 projects (1k projects, 5k people, 100k contributions, 500 meetings)",
        |b| b.iter(|| black_box(app.home(&me).unwrap())),
    );
}

/// Raw rusqlite: the same contribution rows and the same outbox rows,
/// inserted with prepared statements in one transaction, with no checks.
fn raw_insert(conn: &mut rusqlite::Connection, rows: &[(String, String, String)]) {
    let tx = conn.transaction().unwrap();
    {
        let mut c = tx
            .prepare(
                "INSERT INTO contributions (id, person_id, project_id, logged_by, what, minutes, expenses_pence,
                 done_on, recognition, created_at, _hlc, _clocks) VALUES (?1, ?2, ?3, ?2, ?4, ?5, ?6, ?7, 'thanks', ?8, ?9, '{}')",
            )
            .unwrap();
        let mut o = tx
            .prepare("INSERT INTO outbox (op_id, entity, entity_id, action, fields, hlc, author) VALUES (?1, 'contribution', ?2, 'create', ?3, ?4, ?5)")
            .unwrap();
        for (i, (id, person, project)) in rows.iter().enumerate() {
            let hlc = format!("{:012x}-{:08x}-{:08x}", 1_772_445_600_000u64, i, 1);
            c.execute(rusqlite::params![
                id,
                person,
                project,
                format!("Session {i}"),
                30 + i as i64 % 90,
                i as i64 % 500,
                "2026-02-01",
                1_772_445_600_000i64,
                hlc
            ])
            .unwrap();
            let fields = format!(
                r#"{{"id":"{id}","person_id":"{person}","project_id":"{project}","logged_by":"{person}","what":"Session {i}","minutes":{},"expenses_pence":{},"done_on":"2026-02-01","recognition":"thanks","created_at":1772445600000}}"#,
                30 + i % 90,
                i % 500
            );
            o.execute(rusqlite::params![
                uuid::Uuid::now_v7().to_string(),
                id,
                fields,
                hlc,
                person
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn bulk_insert(c: &mut Criterion) {
    const N: u32 = 10_000;
    let mut group = c.benchmark_group("bulk insert of 10,000 contributions in one transaction");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("through the core (rules + outbox)", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let app = open(dir.path(), "bulk.db");
                app.create_organisation("Org").unwrap();
                let staff = person(&app, None, "Priya", PersonKind::Staff);
                let p = project(&app, &staff, "Garden", vec![]);
                let batch: Vec<_> = (0..N).map(|i| contribution(&staff, &p, i)).collect();
                (dir, app, staff, batch)
            },
            |(dir, app, staff, batch)| {
                black_box(app.log_contributions(&staff, batch).unwrap());
                (dir, app)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("raw rusqlite prepared inserts of the same rows", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                drop(open(dir.path(), "raw.db"));
                let conn = rusqlite::Connection::open(dir.path().join("raw.db")).unwrap();
                conn.pragma_update(None, "journal_mode", "WAL").unwrap();
                conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
                let person = PersonId::new().to_string();
                let project = ProjectId::new().to_string();
                let rows: Vec<_> = (0..N)
                    .map(|_| {
                        (
                            uuid::Uuid::now_v7().to_string(),
                            person.clone(),
                            project.clone(),
                        )
                    })
                    .collect();
                (dir, conn, rows)
            },
            |(dir, mut conn, rows)| {
                raw_insert(&mut conn, &rows);
                (dir, conn)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = open_and_migrate, one_write, home_in_a_large_organisation, bulk_insert
}
criterion_main!(benches);
