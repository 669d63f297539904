//! How long a phone takes to plan one person's reminders: someone in 20
//! projects with 500 upcoming meetings (target: under 2 ms), planned after
//! every sync, on foreground, after boot and after a time-zone change.

use criterion::{Criterion, criterion_group, criterion_main};
use equally_core::ids::{ActionId, MeetingId};
use equally_core::meetings::{
    ActionDue, MeetingFormat, MeetingStatus, MeetingTimes, MeetingToAttend, ProposalClosing,
    QuietHours, ReminderInput, ReminderPreferences, Rsvp, plan_reminders,
};
use equally_core::text::{Reading, Text};
use equally_core::time::{Day, Timestamp};
use std::hint::black_box;

const PROJECTS: usize = 20;
const MEETINGS: usize = 500;

fn busy_person(now: Timestamp) -> ReminderInput {
    let mut meetings = Vec::with_capacity(MEETINGS);
    for i in 0..MEETINGS {
        let project = i % PROJECTS;
        // Spread over the next six months at varied times of day, so the
        // March and October changes and quiet hours are all crossed.
        let starts_at = now.plus_minutes(90 + (i as i64) * 523);
        let rsvp = match i % 5 {
            0 => None,
            1 => Some(Rsvp::Maybe),
            4 => Some(Rsvp::NotGoing),
            _ => Some(Rsvp::Going),
        };
        let mut status = MeetingStatus::scheduled();
        if i % 17 == 0 {
            status = status.moved().expect("a scheduled meeting can move");
        }
        if i % 29 == 0 {
            status = status
                .cancelled()
                .expect("a moved meeting can be cancelled");
        }
        meetings.push(MeetingToAttend {
            id: MeetingId::new(),
            title: Text::new("en-GB", &format!("Project {project}: planning meeting {i}"))
                .with_easy_read(&format!("We plan project {project} together"))
                .with_translation("pl", &format!("Projekt {project}: spotkanie {i}"), None),
            format: if i % 3 == 0 {
                MeetingFormat::Online
            } else {
                MeetingFormat::InPerson
            },
            place: (i % 3 != 0).then(|| Text::new("en-GB", "Elm Street community hall, Room 2")),
            times: MeetingTimes {
                starts_at,
                ends_at: starts_at.plus_minutes(90),
                time_zone: "Europe/London".into(),
            },
            status,
            rsvp,
        });
    }
    let proposals = (0..PROJECTS)
        .map(|p| ProposalClosing {
            id: format!("0199c1a0-0000-7000-8000-0000000001{p:02}"),
            title: Text::new("en-GB", &format!("Project {p}: choose a day")),
            closes_at: now.plus_minutes(600 + p as i64 * 1440),
            has_voted: p % 2 == 0,
        })
        .collect();
    let actions = (0..PROJECTS)
        .map(|p| ActionDue {
            id: ActionId::new(),
            what: Text::new("en-GB", &format!("Project {p}: book the room")),
            due: Day::parse("due", &format!("2025-11-{:02}", 1 + p)).expect("a real date"),
            done: false,
        })
        .collect();
    ReminderInput {
        reader: Reading {
            languages: vec!["pl".into(), "en-GB".into()],
            easy_read: true,
        },
        time_zone: "Europe/London".into(),
        preferences: ReminderPreferences {
            offsets_minutes: vec![1440, 60],
            quiet_hours: Some(QuietHours::new("22:00", "07:00").expect("valid quiet hours")),
        },
        meetings,
        proposals,
        actions,
    }
}

fn reminders(c: &mut Criterion) {
    // 2025-10-20 09:00 UTC: the October change is six days away.
    let now = Timestamp::from_millis(1_760_950_800_000);
    let input = busy_person(now);
    assert_eq!(plan_reminders(&input, now).len(), 60);
    c.bench_function("plan_reminders/20 projects, 500 meetings", |b| {
        b.iter(|| plan_reminders(black_box(&input), black_box(now)))
    });
}

criterion_group!(benches, reminders);
criterion_main!(benches);
