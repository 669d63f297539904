//! Meetings through the store, as people live them: answering and waiting
//! for a place, moves and cancellations reaching those going, checking in
//! at the door with no signal, and what the organiser alone is shown.

use super::api::{MeetingDetails, NewMeeting};
use super::meeting::{
    AccessFeature, MeetingFormat, MeetingState, MeetingTimes, Rsvp, Unavailability, Weekday,
};
use super::store::AttendanceMethod;
use crate::error::Error;
use crate::home::WaitingKind;
use crate::ids::{MeetingId, PersonId, ProjectId};
use crate::projects::{JoinPolicy, NewProject};
use crate::registry;
use crate::testkit::{World, refused_without_change, world};
use crate::text::Text;
use crate::time::Day;

/// Sam, Priya and Jo's garden project; Alex is not in it.
fn garden(w: &World) -> ProjectId {
    w.app
        .start_project(
            &w.priya.id,
            NewProject {
                title: Text::new("en-GB", "Garden"),
                purpose: Text::new("en-GB", "Grow food"),
                join_policy: JoinPolicy::Open,
                co_founders: vec![w.sam.id.clone(), w.jo.id.clone()],
            },
        )
        .unwrap()
        .id
}

/// Tuesday 10 March 2026, 10:00 to 11:30 in London (GMT), eight days after
/// the test world's clock.
fn tuesday() -> MeetingTimes {
    MeetingTimes::local("2026-03-10T10:00", 90, "Europe/London").unwrap()
}

fn planning(project: Option<&ProjectId>, times: MeetingTimes) -> NewMeeting {
    NewMeeting {
        project: project.cloned(),
        title: Text::new("en-GB", "Garden planning").with_easy_read("We plan the garden together"),
        description: None,
        format: MeetingFormat::InPerson,
        place: Some(Text::new("en-GB", "Elm Street community hall")),
        online_link: None,
        access: vec![AccessFeature::StepFree],
        access_notes: None,
        times,
        capacity: None,
    }
}

fn schedule(w: &World, by: &PersonId, new: NewMeeting) -> MeetingId {
    w.app.schedule_meeting(by, new).unwrap().id
}

fn waiting_kinds(w: &World, person: &PersonId) -> Vec<WaitingKind> {
    w.app
        .home(person)
        .unwrap()
        .waiting
        .into_iter()
        .map(|x| x.kind)
        .collect()
}

fn day(s: &str) -> Day {
    Day::parse("day", s).unwrap()
}

#[test]
fn a_person_who_drops_out_makes_room_for_the_next_on_the_waiting_list() {
    let w = world();
    let p = garden(&w);
    let mut new = planning(Some(&p), tuesday());
    new.capacity = Some(1);
    let m = schedule(&w, &w.priya.id, new);

    let sam = w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    assert_eq!(sam.waiting_position, None, "Sam has the one place");
    w.clock.advance_minutes(1);
    let jo = w.app.rsvp(&w.jo.id, &m, Rsvp::Going).unwrap();
    assert_eq!(jo.waiting_position, Some(1));
    w.clock.advance_minutes(1);
    let priya = w.app.rsvp(&w.priya.id, &m, Rsvp::Going).unwrap();
    assert_eq!(priya.waiting_position, Some(2));
    let view = w.app.meeting(&w.jo.id, &m).unwrap();
    assert_eq!((view.going, view.waiting), (1, 2));
    assert_eq!(view.my_answer.unwrap().waiting_position, Some(1));
    assert!(
        w.app.reminder_plan(&w.jo.id).unwrap().is_empty(),
        "nobody is reminded of a meeting they have no place at yet"
    );

    w.app.rsvp(&w.sam.id, &m, Rsvp::NotGoing).unwrap();

    let view = w.app.meeting(&w.jo.id, &m).unwrap();
    assert_eq!((view.going, view.waiting, view.not_going), (1, 1, 1));
    assert_eq!(
        view.my_answer.unwrap().waiting_position,
        None,
        "Jo moved up"
    );
    let priya_view = w.app.meeting(&w.priya.id, &m).unwrap();
    assert_eq!(priya_view.my_answer.unwrap().waiting_position, Some(1));
    assert!(waiting_kinds(&w, &w.jo.id).contains(&WaitingKind::PlaceCameUp));
    assert!(!waiting_kinds(&w, &w.priya.id).contains(&WaitingKind::PlaceCameUp));
    assert!(!w.app.reminder_plan(&w.jo.id).unwrap().is_empty());
    w.app.dismiss_meeting_notice(&w.jo.id, &m).unwrap();
    assert!(!waiting_kinds(&w, &w.jo.id).contains(&WaitingKind::PlaceCameUp));
}

#[test]
fn saying_going_again_later_goes_to_the_back_of_the_queue() {
    let w = world();
    let p = garden(&w);
    let mut new = planning(Some(&p), tuesday());
    new.capacity = Some(1);
    let m = schedule(&w, &w.priya.id, new);
    w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    w.clock.advance_minutes(1);
    w.app.rsvp(&w.jo.id, &m, Rsvp::Going).unwrap();
    w.clock.advance_minutes(1);
    w.app.rsvp(&w.sam.id, &m, Rsvp::Maybe).unwrap();
    w.clock.advance_minutes(1);
    let sam = w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    assert_eq!(sam.waiting_position, Some(1));
    let again = w.app.rsvp(&w.jo.id, &m, Rsvp::Going).unwrap();
    assert_eq!(
        again.waiting_position, None,
        "answering the same keeps a place"
    );
}

#[test]
fn the_capacity_cannot_go_below_those_who_have_a_place() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    w.clock.advance_minutes(1);
    w.app.rsvp(&w.jo.id, &m, Rsvp::Going).unwrap();
    let err = refused_without_change(&w.app, || {
        w.app.set_meeting_capacity(&w.priya.id, &m, Some(1))
    });
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(err.to_string().contains("2 people"), "{err}");
    let err = refused_without_change(&w.app, || {
        w.app.set_meeting_capacity(&w.priya.id, &m, Some(0))
    });
    assert!(matches!(err, Error::Invalid { .. }), "{err}");
    w.app
        .set_meeting_capacity(&w.priya.id, &m, Some(2))
        .unwrap();
    let view = w.app.meeting(&w.sam.id, &m).unwrap();
    assert_eq!((view.capacity, view.going, view.waiting), (Some(2), 2, 0));
}

#[test]
fn a_moved_meeting_tells_those_who_said_going() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    w.app.rsvp(&w.jo.id, &m, Rsvp::NotGoing).unwrap();
    let before = w.app.reminder_plan(&w.sam.id).unwrap();

    // Jo is a member too: the meeting is the group's, not only Priya's.
    let thursday = MeetingTimes::local("2026-03-12T14:00", 60, "Europe/London").unwrap();
    w.app.move_meeting(&w.jo.id, &m, thursday.clone()).unwrap();

    let home = w.app.home(&w.sam.id).unwrap();
    let notice = home
        .waiting
        .iter()
        .find(|x| x.kind == WaitingKind::MeetingChanged)
        .expect("Sam said going, so Sam is told");
    assert_eq!(notice.meeting_id.as_ref(), Some(&m));
    assert_eq!(
        notice.text,
        "Garden planning has moved to Thursday 12 March, 14:00–15:00."
    );
    assert!(!waiting_kinds(&w, &w.jo.id).contains(&WaitingKind::MeetingChanged));
    let view = w.app.meeting(&w.sam.id, &m).unwrap();
    assert_eq!(view.state, MeetingState::Moved);
    assert_eq!(view.sequence, 1);
    assert_eq!(view.when, "Thursday 12 March, 14:00–15:00");
    assert!(view.change_notice.is_some());

    let after = w.app.reminder_plan(&w.sam.id).unwrap();
    assert_ne!(before, after);
    assert!(after.iter().all(|r| r.event_at == thursday.starts_at));
    assert_eq!(after[0].title, "New time for meeting: Garden planning");
    assert!(
        w.app
            .meeting_calendar(&w.sam.id, &m)
            .unwrap()
            .contains("SEQUENCE:1")
    );

    w.app.dismiss_meeting_notice(&w.sam.id, &m).unwrap();
    assert!(!waiting_kinds(&w, &w.sam.id).contains(&WaitingKind::MeetingChanged));
}

#[test]
fn a_new_place_is_told_but_a_new_description_is_not() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::Maybe).unwrap();
    let details = |place: &str, description: &str| MeetingDetails {
        title: Text::new("en-GB", "Garden planning"),
        description: Some(Text::new("en-GB", description)),
        format: MeetingFormat::InPerson,
        place: Some(Text::new("en-GB", place)),
        online_link: None,
        access: vec![AccessFeature::StepFree],
        access_notes: None,
    };
    w.app
        .edit_meeting(
            &w.priya.id,
            &m,
            details("Elm Street community hall", "Bring seeds"),
        )
        .unwrap();
    assert!(!waiting_kinds(&w, &w.sam.id).contains(&WaitingKind::MeetingChanged));
    assert_eq!(w.app.meeting(&w.sam.id, &m).unwrap().sequence, 1);
    w.app
        .edit_meeting(
            &w.priya.id,
            &m,
            details("The library, room 2", "Bring seeds"),
        )
        .unwrap();
    assert!(waiting_kinds(&w, &w.sam.id).contains(&WaitingKind::MeetingChanged));
    assert_eq!(w.app.meeting(&w.sam.id, &m).unwrap().sequence, 2);
}

#[test]
fn a_cancelled_meeting_takes_its_reminders_away() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    let plan = w.app.reminder_plan(&w.sam.id).unwrap();
    assert_eq!(plan.len(), 2, "a day and an hour before");
    assert!(plan.iter().all(|r| r.link.id == m.as_str()));

    w.app.cancel_meeting(&w.priya.id, &m).unwrap();

    assert!(w.app.reminder_plan(&w.sam.id).unwrap().is_empty());
    let home = w.app.home(&w.sam.id).unwrap();
    let notice = home
        .waiting
        .iter()
        .find(|x| x.kind == WaitingKind::MeetingChanged)
        .unwrap();
    assert_eq!(notice.text, "Garden planning is cancelled.");
    let calendar = w.app.meeting_calendar(&w.sam.id, &m).unwrap();
    assert!(calendar.contains("STATUS:CANCELLED"), "{calendar}");
    assert!(calendar.contains("METHOD:CANCEL"), "{calendar}");
    let err = refused_without_change(&w.app, || w.app.rsvp(&w.jo.id, &m, Rsvp::Going));
    assert!(matches!(err, Error::Conflict { .. }));
    let err = refused_without_change(&w.app, || w.app.move_meeting(&w.priya.id, &m, tuesday()));
    assert!(matches!(err, Error::Conflict { .. }));
}

#[test]
fn not_going_removes_the_reminders_and_an_unanswered_project_meeting_keeps_them() {
    let w = world();
    let p = garden(&w);
    schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    assert_eq!(
        w.app.reminder_plan(&w.jo.id).unwrap().len(),
        2,
        "no answer yet is reminded like a maybe"
    );
    let m = w.app.my_meetings(&w.jo.id).unwrap()[0].id.clone();
    w.app.rsvp(&w.jo.id, &m, Rsvp::NotGoing).unwrap();
    assert!(w.app.reminder_plan(&w.jo.id).unwrap().is_empty());
}

#[test]
fn an_organisation_wide_meeting_reminds_only_those_who_answered() {
    let w = world();
    let m = schedule(&w, &w.alex.id, planning(None, tuesday()));
    assert!(w.app.reminder_plan(&w.sam.id).unwrap().is_empty());
    w.app.rsvp(&w.sam.id, &m, Rsvp::Maybe).unwrap();
    assert_eq!(w.app.reminder_plan(&w.sam.id).unwrap().len(), 2);
}

#[test]
fn actions_with_a_due_day_are_in_the_reminder_plan() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::NotGoing).unwrap();
    let action = w
        .app
        .add_meeting_action(
            &w.sam.id,
            &m,
            Text::new("en-GB", "Buy compost"),
            Some(day("2026-03-05")),
            true,
        )
        .unwrap();
    let plan = w.app.reminder_plan(&w.sam.id).unwrap();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].link.id, action.id.as_str());
    assert_eq!(plan[0].title, "Action due: Buy compost");
}

#[test]
fn a_member_may_move_a_project_meeting_but_only_the_organiser_an_organisation_wide_one() {
    let w = world();
    let p = garden(&w);
    let project_meeting = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let later = MeetingTimes::local("2026-03-11T10:00", 90, "Europe/London").unwrap();
    let err = refused_without_change(&w.app, || {
        w.app
            .move_meeting(&w.alex.id, &project_meeting, later.clone())
    });
    assert!(
        matches!(err, Error::NotAllowed { .. }),
        "Alex is not a member"
    );
    w.app
        .move_meeting(&w.sam.id, &project_meeting, later.clone())
        .unwrap();

    let open_day = schedule(&w, &w.alex.id, planning(None, tuesday()));
    let err = refused_without_change(&w.app, || w.app.cancel_meeting(&w.sam.id, &open_day));
    assert!(matches!(err, Error::NotAllowed { .. }));
    w.app.cancel_meeting(&w.alex.id, &open_day).unwrap();
}

#[test]
fn a_meeting_of_a_project_i_am_not_in_is_not_found() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    assert!(matches!(
        w.app.meeting(&w.alex.id, &m),
        Err(Error::NotFound { .. })
    ));
    assert!(w.app.my_meetings(&w.alex.id).unwrap().is_empty());
    let err = refused_without_change(&w.app, || w.app.rsvp(&w.alex.id, &m, Rsvp::Going));
    assert!(matches!(err, Error::NotAllowed { .. }));
}

#[test]
fn bad_times_are_refused_and_nothing_changes() {
    let w = world();
    let p = garden(&w);
    let start = tuesday().starts_at;
    let backwards = MeetingTimes {
        starts_at: start,
        ends_at: start.plus_minutes(-30),
        time_zone: "Europe/London".into(),
    };
    let err = refused_without_change(&w.app, || {
        w.app
            .schedule_meeting(&w.priya.id, planning(Some(&p), backwards.clone()))
    });
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "ends_at"),
        "{err}"
    );
    let atlantis = MeetingTimes {
        time_zone: "Europe/Atlantis".into(),
        ..tuesday()
    };
    let err = refused_without_change(&w.app, || {
        w.app
            .schedule_meeting(&w.priya.id, planning(Some(&p), atlantis.clone()))
    });
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "time_zone"),
        "{err}"
    );

    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let err = refused_without_change(&w.app, || w.app.move_meeting(&w.priya.id, &m, backwards));
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "ends_at"),
        "{err}"
    );
    let err = refused_without_change(&w.app, || w.app.move_meeting(&w.priya.id, &m, atlantis));
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "time_zone"),
        "{err}"
    );
    let yesterday = MeetingTimes::local("2026-03-01T10:00", 60, "Europe/London").unwrap();
    let err = refused_without_change(&w.app, || w.app.move_meeting(&w.priya.id, &m, yesterday));
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "starts_at"),
        "{err}"
    );
}

#[test]
fn an_rsvp_after_the_meeting_started_is_refused() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    w.app.rsvp(&w.sam.id, &m, Rsvp::Going).unwrap();
    w.clock.set(tuesday().starts_at);
    let err = refused_without_change(&w.app, || w.app.rsvp(&w.sam.id, &m, Rsvp::NotGoing));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(err.to_string().contains("started"), "{err}");
    assert!(!w.app.meeting(&w.sam.id, &m).unwrap().answers_open);
}

/// The clock set to a moment of Tuesday's meeting, `minutes` after it starts.
fn at_meeting(w: &World, minutes: i64) {
    w.clock.set(tuesday().starts_at.plus_minutes(minutes));
}

#[test]
fn checking_in_with_the_code_works_offline() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    // Priya writes the code on the flip chart the day before.
    let code = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .check_in_code
        .expect("the organiser sees the code to show it");
    assert_eq!(code.len(), 6);
    assert_eq!(
        w.app.meeting(&w.sam.id, &m).unwrap().check_in_code,
        None,
        "other members see it only once it works"
    );

    // In the church-hall basement, no signal: nothing here talks to a
    // server. Sam's phone checks the code against the meeting it holds.
    at_meeting(&w, -10);
    let typed = format!("{} {}", &code[..3], &code[3..]);
    w.app.check_in_at_meeting(&w.sam.id, &m, &typed).unwrap();

    let sam = w.app.meeting(&w.sam.id, &m).unwrap();
    assert!(sam.i_came);
    assert_eq!(sam.check_in_code.as_deref(), Some(code.as_str()));
    let priya = w.app.meeting(&w.priya.id, &m).unwrap();
    assert_eq!(priya.attendance.len(), 1);
    assert_eq!(priya.attendance[0].person_id, w.sam.id);
    assert_eq!(priya.attendance[0].how, AttendanceMethod::Code);

    // The check-in waits in the outbox, and the server's check (the same
    // rule, through the registry) accepts it.
    let op = w
        .app
        .pending_ops(1000)
        .unwrap()
        .into_iter()
        .rfind(|o| o.entity == "attendance")
        .expect("queued for sync");
    let checked = w
        .app
        .store()
        .read(|r| Ok(registry::check_op(&op, r.facts())?))
        .unwrap();
    assert!(checked.fields_after.contains_key("code"));
}

#[test]
fn an_expired_code_is_refused() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let code = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .check_in_code
        .unwrap();
    at_meeting(&w, 90);
    let err = refused_without_change(&w.app, || w.app.check_in_at_meeting(&w.sam.id, &m, &code));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    at_meeting(&w, -31);
    let err = refused_without_change(&w.app, || w.app.check_in_at_meeting(&w.sam.id, &m, &code));
    assert!(matches!(err, Error::Conflict { .. }), "too early: {err}");
}

#[test]
fn a_wrong_code_is_refused() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let other = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let code = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .check_in_code
        .unwrap();
    let other_code = w
        .app
        .meeting(&w.priya.id, &other)
        .unwrap()
        .check_in_code
        .unwrap();
    assert_ne!(code, other_code);
    at_meeting(&w, 0);
    for wrong in [other_code.as_str(), "12345", "abcdef"] {
        let err =
            refused_without_change(&w.app, || w.app.check_in_at_meeting(&w.sam.id, &m, wrong));
        assert!(
            matches!(&err, Error::Invalid { field, .. } if field == "code"),
            "{err}"
        );
    }
}

#[test]
fn a_moved_meeting_has_a_new_code() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let old = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .check_in_code
        .unwrap();
    let wednesday = MeetingTimes::local("2026-03-11T10:00", 90, "Europe/London").unwrap();
    w.app
        .move_meeting(&w.priya.id, &m, wednesday.clone())
        .unwrap();
    let new = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .check_in_code
        .unwrap();
    assert_ne!(old, new);
    w.clock.set(wednesday.starts_at);
    let err = refused_without_change(&w.app, || w.app.check_in_at_meeting(&w.sam.id, &m, &old));
    assert!(matches!(err, Error::Invalid { .. }));
    w.app.check_in_at_meeting(&w.sam.id, &m, &new).unwrap();
}

#[test]
fn a_member_marks_who_came_and_can_take_a_mistake_back() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let err = refused_without_change(&w.app, || {
        w.app.mark_attendance(&w.jo.id, &m, &w.sam.id, true)
    });
    assert!(
        matches!(err, Error::Conflict { .. }),
        "not before the meeting: {err}"
    );
    at_meeting(&w, 5);
    let err = refused_without_change(&w.app, || {
        w.app.mark_attendance(&w.alex.id, &m, &w.sam.id, true)
    });
    assert!(matches!(err, Error::NotAllowed { .. }));
    w.app
        .mark_attendance(&w.jo.id, &m, &w.sam.id, true)
        .unwrap();
    assert!(w.app.meeting(&w.sam.id, &m).unwrap().i_came);
    w.app
        .mark_attendance(&w.jo.id, &m, &w.sam.id, false)
        .unwrap();
    assert!(!w.app.meeting(&w.sam.id, &m).unwrap().i_came);
    assert!(
        w.app
            .meeting(&w.sam.id, &m)
            .unwrap()
            .check_in_code
            .is_some(),
        "any member may run the meeting, so any member can show the code"
    );
}

#[test]
fn the_organiser_sees_unmet_access_needs_but_members_do_not() {
    let w = world();
    let p = garden(&w);
    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.access_needs = vec![AccessFeature::StepFree, AccessFeature::HearingLoop];
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs)
        .unwrap();
    let mut prefs = w.app.preferences(&w.jo.id, &w.jo.id).unwrap();
    prefs.unavailable = vec![Unavailability::new(Weekday::Tuesday, "09:00", "12:00").unwrap()];
    w.app.update_preferences(&w.jo.id, &w.jo.id, prefs).unwrap();
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));

    let concerns: Vec<String> = w
        .app
        .meeting(&w.priya.id, &m)
        .unwrap()
        .access_concerns
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(
        concerns,
        [
            "Sam needs a hearing loop; this meeting has none.",
            "This meeting falls in times Jo said they can't do."
        ]
    );
    assert!(
        w.app
            .meeting(&w.sam.id, &m)
            .unwrap()
            .access_concerns
            .is_empty()
    );
    assert!(
        w.app
            .meeting(&w.jo.id, &m)
            .unwrap()
            .access_concerns
            .is_empty()
    );
}

#[test]
fn my_calendar_lists_my_meetings() {
    let w = world();
    let p = garden(&w);
    let going = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let maybe = schedule(
        &w,
        &w.priya.id,
        planning(
            Some(&p),
            MeetingTimes::local("2026-03-11T10:00", 60, "Europe/London").unwrap(),
        ),
    );
    let not_going = schedule(
        &w,
        &w.priya.id,
        planning(
            Some(&p),
            MeetingTimes::local("2026-03-12T10:00", 60, "Europe/London").unwrap(),
        ),
    );
    w.app.rsvp(&w.sam.id, &going, Rsvp::Going).unwrap();
    w.app.rsvp(&w.sam.id, &maybe, Rsvp::Maybe).unwrap();
    w.app.rsvp(&w.sam.id, &not_going, Rsvp::NotGoing).unwrap();
    w.app.cancel_meeting(&w.priya.id, &maybe).unwrap();

    let text = w.app.my_calendar(&w.sam.id).unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    let uids: Vec<&str> = events
        .iter()
        .map(|e| e.find_prop("UID").unwrap().val.as_str())
        .collect();
    assert_eq!(
        uids,
        [format!("{going}@equally"), format!("{maybe}@equally")]
    );
    assert_eq!(
        events[1].find_prop("STATUS").unwrap().val.as_str(),
        "CANCELLED",
        "a cancelled meeting stays in, so calendars drop it"
    );
    assert!(text.contains("X-WR-CALNAME:My meetings"));

    let listed: Vec<MeetingId> = w
        .app
        .my_meetings(&w.sam.id)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [going, maybe, not_going]);
}

#[test]
fn anyone_in_the_project_adds_to_the_agenda_and_takes_their_own_off() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let sams = w
        .app
        .add_agenda_item(&w.sam.id, &m, Text::new("en-GB", "Where the shed goes"))
        .unwrap();
    w.app
        .add_agenda_item(&w.jo.id, &m, Text::new("en-GB", "Watering rota"))
        .unwrap();
    let err = refused_without_change(&w.app, || {
        w.app
            .add_agenda_item(&w.alex.id, &m, Text::new("en-GB", "Budget"))
    });
    assert!(matches!(err, Error::NotAllowed { .. }));
    let err = refused_without_change(&w.app, || w.app.withdraw_agenda_item(&w.priya.id, &sams.id));
    assert!(matches!(err, Error::NotAllowed { .. }));
    let agenda = w.app.meeting(&w.priya.id, &m).unwrap().agenda;
    assert_eq!(
        agenda
            .iter()
            .map(|a| a.text.text.as_str())
            .collect::<Vec<_>>(),
        ["Where the shed goes", "Watering rota"]
    );
    w.app.withdraw_agenda_item(&w.sam.id, &sams.id).unwrap();
    assert_eq!(w.app.meeting(&w.priya.id, &m).unwrap().agenda.len(), 1);
}

#[test]
fn minutes_come_with_an_easy_read_summary_and_actions_link_to_the_meeting() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    at_meeting(&w, 95);
    w.app
        .record_minutes(
            &w.jo.id,
            &m,
            Text::new(
                "en-GB",
                "We agreed the shed goes by the gate; Sam will price compost.",
            )
            .with_easy_read("The shed goes by the gate. Sam finds out what compost costs."),
        )
        .unwrap();
    let action = w
        .app
        .add_meeting_action(
            &w.sam.id,
            &m,
            Text::new("en-GB", "Price compost"),
            None,
            true,
        )
        .unwrap();
    assert_eq!(action.from_meeting.as_ref(), Some(&m));

    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.easy_read = true;
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs)
        .unwrap();
    let view = w.app.meeting(&w.sam.id, &m).unwrap();
    let minutes = view.minutes.unwrap();
    assert!(minutes.is_easy_read);
    assert_eq!(
        minutes.text,
        "The shed goes by the gate. Sam finds out what compost costs."
    );
    assert_eq!(view.title.text, "We plan the garden together");
    assert_eq!(view.actions.len(), 1);
    assert!(view.actions[0].mine);

    let open_day = schedule(&w, &w.alex.id, planning(None, tuesday()));
    let err = refused_without_change(&w.app, || {
        w.app.add_meeting_action(
            &w.alex.id,
            &open_day,
            Text::new("en-GB", "Tidy up"),
            None,
            true,
        )
    });
    assert!(matches!(err, Error::Invalid { .. }));
}

#[test]
fn two_phones_moving_the_same_meeting_offline_the_second_is_refused_by_the_server() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    // Jo's phone moves it and the move reaches the store first.
    let wednesday = MeetingTimes::local("2026-03-11T10:00", 90, "Europe/London").unwrap();
    w.app.move_meeting(&w.jo.id, &m, wednesday).unwrap();
    // Sam's phone, offline, moved the same meeting from sequence 0 to 1: its
    // op carries the new times and sequence 1, which the store already has.
    let thursday = MeetingTimes::local("2026-03-12T10:00", 90, "Europe/London").unwrap();
    let mut fields = serde_json::Map::new();
    fields.insert("starts_at".into(), thursday.starts_at.millis().into());
    fields.insert("ends_at".into(), thursday.ends_at.millis().into());
    fields.insert("sequence".into(), 1.into());
    fields.insert("notice_sequence".into(), 1.into());
    let op = crate::store::Op {
        op_id: crate::ids::OpId::new(),
        entity: "meeting".into(),
        entity_id: m.to_string(),
        action: crate::store::OpAction::Update,
        fields,
        hlc: crate::hlc::Hlc::ZERO,
        author: w.sam.id.clone(),
    };
    let err = w
        .app
        .store()
        .read(|r| Ok(registry::check_op(&op, r.facts())?))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
}

#[test]
fn the_meeting_time_is_shown_on_the_readers_own_clock() {
    let w = world();
    let p = garden(&w);
    let m = schedule(&w, &w.priya.id, planning(Some(&p), tuesday()));
    let mut prefs = w.app.preferences(&w.jo.id, &w.jo.id).unwrap();
    prefs.time_zone = "Europe/Warsaw".into();
    prefs.languages = vec!["pl".into()];
    w.app.update_preferences(&w.jo.id, &w.jo.id, prefs).unwrap();
    let view = w.app.meeting(&w.jo.id, &m).unwrap();
    assert_eq!(view.when, "wtorek, 10 marca, godz. 11:00–12:30");
    assert_eq!(view.starts_at, tuesday().starts_at);
    assert_eq!(view.time_zone, "Europe/London");
}
