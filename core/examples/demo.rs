//! The demo: a co-produced project from idea to first review, on a real
//! database file, printing what each person would see on their phone.
//!
//! `cargo run -p equally-core --example demo [-- PATH]` (default
//! `equally-demo.db`; an existing file at that path is replaced).

use equally_core::contributions::NewContribution;
use equally_core::decisions::{Ballot, ConsentChoice, Method, NewProposal, ProposalRules};
use equally_core::meetings::{
    AccessFeature, MeetingFormat, MeetingTimes, NewCheckIn, NewMeeting, QuietHours,
    ReminderPreferences, Rsvp,
};
use equally_core::offers::{NewOffer, OfferKind};
use equally_core::people::{NewPerson, PersonKind, Preferences, Recognition};
use equally_core::projects::{JoinPolicy, NewProject, Stage};
use equally_core::reviews::ReviewKind;
use equally_core::risks::{NewRisk, RiskVisibility};
use equally_core::statements::Visibility;
use equally_core::text::Text;
use equally_core::time::Day;
use equally_core::{Config, Equally, Result};

fn main() {
    if let Err(e) = run() {
        eprintln!("demo failed: {e}");
        std::process::exit(1);
    }
}

fn say(heading: &str) {
    println!("\n== {heading}");
}

fn run() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "equally-demo.db".into());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let app = Equally::open(Config {
        database_path: path.clone().into(),
    })?;
    println!("Equally demo — database file: {path}");

    let org = app.create_organisation("Riverside Mind")?;
    let priya = app.add_person(
        None,
        NewPerson {
            name: "Priya".into(),
            pronouns: Some("she/her".into()),
            kind: PersonKind::Staff,
            preferences: Preferences::default(),
        },
    )?;
    let sam_prefs = Preferences {
        easy_read: true,
        read_aloud: true,
        reminders: ReminderPreferences {
            quiet_hours: Some(QuietHours::new("21:00", "09:00")?),
            ..ReminderPreferences::default()
        },
        recognition: Recognition::Voucher,
        ..Preferences::default()
    };
    let sam = app.add_person(
        Some(&priya.id),
        NewPerson {
            name: "Sam".into(),
            pronouns: Some("they/them".into()),
            kind: PersonKind::SupportedPerson,
            preferences: sam_prefs,
        },
    )?;
    let marta = app.add_person(
        Some(&priya.id),
        NewPerson {
            name: "Marta".into(),
            pronouns: None,
            kind: PersonKind::Carer,
            preferences: Preferences {
                languages: vec!["pl".into(), "en-GB".into()],
                ..Preferences::default()
            },
        },
    )?;
    app.add_supporter(&priya.id, &sam.id, &priya.id)?;
    println!(
        "{} has Priya (staff), Sam (supported, asked for easy-read) and Marta (a carer who reads Polish).",
        org.name
    );

    say("Sam and Priya start an idea together");
    let title = Text::new("en-GB", "Community garden on Elm Street")
        .with_easy_read("A garden we make together")
        .with_translation("pl", "Ogród społeczny przy Elm Street", None);
    let purpose = Text::new("en-GB", "Turn the empty plot behind the centre into a garden where anyone can grow food and meet people.")
        .with_easy_read("We grow food. We meet people. Everyone is welcome.")
        .with_translation("pl", "Zamienić pustą działkę za ośrodkiem w ogród, gdzie każdy może uprawiać warzywa i poznawać ludzi.", None);
    let project = app.start_project(
        &sam.id,
        NewProject {
            title,
            purpose,
            join_policy: JoinPolicy::Open,
            co_founders: vec![priya.id.clone()],
        },
    )?;
    println!(
        "Sam sees:   “{}” — {} ({})",
        project.title.text, project.purpose.text, project.stage_label
    );
    println!(
        "Set up by employees only? {}",
        if project.set_up_by_staff_only {
            "yes"
        } else {
            "no — co-produced from the start"
        }
    );
    app.join_project(&marta.id, &project.id)?;
    let marta_view = app.project(&marta.id, &project.id)?;
    println!(
        "Marta sees: “{}” ({})",
        marta_view.title.text, marta_view.stage_label
    );

    say("What matters, and what people can give");
    app.add_statement(
        &sam.id,
        Text::new("en-GB", "Being outside helps me feel calm"),
        Visibility::MyProjects,
    )?;
    app.add_statement(
        &sam.id,
        Text::new("en-GB", "Mornings are hard for me"),
        Visibility::MySupportStaff,
    )?;
    for s in app.statements_of(&marta.id, &sam.id)? {
        println!("Marta can read what matters to Sam: “{}”", s.text.text);
    }
    app.add_need(
        &priya.id,
        &project.id,
        OfferKind::Skill,
        Text::new("en-GB", "Someone who knows about growing vegetables"),
        vec!["gardening".into()],
    )?;
    app.add_need(
        &sam.id,
        &project.id,
        OfferKind::Resource,
        Text::new("en-GB", "Tools and seeds"),
        vec!["tools".into()],
    )?;
    app.make_offer(
        &marta.id,
        NewOffer {
            project_id: Some(project.id.clone()),
            kind: OfferKind::Skill,
            description: Text::new("en-GB", "I grew vegetables on my allotment for ten years"),
            how_much: Some("Saturday mornings".into()),
            availability: Some("weekends".into()),
            tags: vec!["gardening".into()],
        },
    )?;
    let spade = app.make_offer(
        &priya.id,
        NewOffer {
            project_id: Some(project.id.clone()),
            kind: OfferKind::Resource,
            description: Text::new("en-GB", "Spare tools from the centre's shed"),
            how_much: None,
            availability: None,
            tags: vec!["tools".into()],
        },
    )?;
    for m in app.match_offers(&sam.id, &project.id)? {
        println!(
            "Match: “{}” ← {} offers “{}” (shares: {})",
            m.need.text,
            m.offer.person_name,
            m.offer.description.text,
            m.shared.join(", ")
        );
    }
    app.withdraw_offer(&priya.id, &spade.id)?;
    println!(
        "Priya withdrew her tools offer (the shed was emptied); it stays in her history, marked withdrawn."
    );

    say("Doing it: actions, time given, thanks, news");
    app.set_stage(&priya.id, &project.id, Stage::Doing)?;
    let dig = app.add_action(
        &marta.id,
        &project.id,
        Text::new("en-GB", "Dig the first bed").with_easy_read("Dig the ground"),
        Some(Day::parse("due", "2026-04-11")?),
        true,
    )?;
    let compost = app.add_action(
        &priya.id,
        &project.id,
        Text::new("en-GB", "Order compost"),
        None,
        false,
    )?;
    app.take_action(&sam.id, &compost.id)?;
    app.step_back(&sam.id, &compost.id)?;
    println!("Sam volunteered for “Order compost”, then stepped back — no reason asked.");
    let c = app.log_contribution(
        &sam.id,
        NewContribution {
            person_id: sam.id.clone(),
            project_id: project.id.clone(),
            what: "Weeded the plot and planted beans".into(),
            minutes: 150,
            expenses_pence: 420,
            done_on: Day::parse("done_on", "2026-04-12")?,
            recognition: None,
        },
    )?;
    app.thank(&marta.id, &c.id, Some("The beans look great".into()))?;
    app.set_action_status(
        &marta.id,
        &dig.id,
        equally_core::actions::ActionStatus::Done,
    )?;
    app.post_update(
        &priya.id,
        &project.id,
        Text::new("en-GB", "The council said yes to a water butt!")
            .with_easy_read("We can have a water butt!"),
    )?;
    let given = app.time_given(&sam.id, &sam.id)?;
    println!(
        "Sam's summary: {} (£{:.2} expenses, {} thanks, reward: {:?})",
        given.label,
        given.expenses_pence as f64 / 100.0,
        given.thanks_received,
        given.recognition
    );

    say("Deciding together, with an equal say");
    // Consent: anyone may object, and an objection keeps the proposal from
    // passing until its author is happy to withdraw it.
    let sundays = app.propose(
        &sam.id,
        &project.id,
        NewProposal {
            title: Text::new("en-GB", "Open the garden on Sunday afternoons")
                .with_easy_read("Open on Sundays after lunch?"),
            body: Text::new("en-GB", "Families have asked; two of us can hold the keys."),
            rules: ProposalRules::new(Method::Consent, vec![], 50),
            closes_at: app.now().plus_minutes(3 * 24 * 60),
            plan_change: None,
        },
    )?;
    app.vote(
        &priya.id,
        &sundays.id,
        Ballot::Consent(ConsentChoice::Consent),
        None,
    )?;
    app.vote(
        &sam.id,
        &sundays.id,
        Ballot::Consent(ConsentChoice::Consent),
        None,
    )?;
    let objected = app.vote(
        &marta.id,
        &sundays.id,
        Ballot::Consent(ConsentChoice::Object),
        Some("Nobody has said who locks up".into()),
    )?;
    println!("Marta objects (Priya is staff; her vote weighs the same as Sam's and Marta's).");
    println!(
        "Marta sees (in Polish): {}",
        objected.summary.unwrap_or_default()
    );
    app.answer_what_would_make_it_ok(&marta.id, &sundays.id, "A rota for locking up")?;
    app.record_felt_heard(&marta.id, &sundays.id)?;
    let settled = app.withdraw_objection(&marta.id, &sundays.id)?;
    println!("With a rota agreed, Marta withdraws her objection and says she felt heard.");
    println!(
        "Sam reads: {}",
        app.proposal(&sam.id, &settled.id)?
            .summary
            .unwrap_or_default()
    );

    say("Positive risk taking");
    app.add_risk(
        &sam.id,
        NewRisk {
            project_id: project.id.clone(),
            about_person: Some(sam.id.clone()),
            in_their_words: Text::new(
                "en-GB",
                "Busy days make me anxious and I might need to leave suddenly",
            ),
            safeguards: vec![
                "A quiet bench is kept free".into(),
                "Leaving early is always fine".into(),
            ],
            owner_id: sam.id.clone(),
            review_on: Day::parse("review_on", "2026-05-01")?,
            visibility: RiskVisibility::Personal,
        },
    )?;
    println!(
        "Sam's risk note is seen by Sam and Priya ({} note), not by Marta ({} notes).",
        app.risks(&priya.id, &project.id)?.len(),
        app.risks(&marta.id, &project.id)?.len()
    );

    say("The first review");
    app.set_stage(&sam.id, &project.id, Stage::Reviewing)?;
    let works = app.add_review_item(
        &marta.id,
        &project.id,
        ReviewKind::Working,
        Text::new("en-GB", "Saturday sessions"),
    )?;
    app.add_review_item(
        &sam.id,
        &project.id,
        ReviewKind::CouldBeBetter,
        Text::new("en-GB", "Starting at 9 is too early for me"),
    )?;
    let next = app.add_review_item(
        &priya.id,
        &project.id,
        ReviewKind::TryNext,
        Text::new("en-GB", "A seed swap with the library"),
    )?;
    app.plus_one(&sam.id, &works.id, true)?;
    app.plus_one(&priya.id, &works.id, true)?;
    app.action_from_review_item(
        &sam.id,
        &next.id,
        Some(Day::parse("due", "2026-06-01")?),
        true,
    )?;
    let board = app.review_board(&sam.id, &project.id)?;
    for (column, items) in [
        ("Working", &board.working),
        ("Could be better", &board.could_be_better),
        ("Try next", &board.try_next),
    ] {
        for i in items {
            println!(
                "{column}: “{}” (+{}){}",
                i.text.text,
                i.plus_ones,
                if i.actions.is_empty() {
                    ""
                } else {
                    " → now an action"
                }
            );
        }
    }

    say("A meeting, moved, and a check-in on the go");
    // A week from now, on the hour, for an hour and a half.
    let hour = 60 * 60_000;
    let starts =
        equally_core::time::Timestamp::from_millis((app.now().millis() / hour + 7 * 24) * hour);
    let meeting = app.schedule_meeting(
        &priya.id,
        NewMeeting {
            project: Some(project.id.clone()),
            title: Text::new("en-GB", "Planting day planning")
                .with_easy_read("Planning the planting day"),
            description: None,
            format: MeetingFormat::InPerson,
            place: Some(Text::new("en-GB", "Elm Street community hall")),
            online_link: None,
            access: vec![AccessFeature::StepFree, AccessFeature::QuietRoom],
            access_notes: None,
            times: MeetingTimes::new(starts, starts.plus_minutes(90), "Europe/London")?,
            capacity: Some(12),
        },
    )?;
    app.rsvp(&sam.id, &meeting.id, Rsvp::Going)?;
    app.add_agenda_item(
        &sam.id,
        &meeting.id,
        Text::new("en-GB", "Where the raised beds go"),
    )?;
    let later = starts.plus_minutes(24 * 60);
    app.move_meeting(
        &priya.id,
        &meeting.id,
        MeetingTimes::new(later, later.plus_minutes(90), "Europe/London")?,
    )?;
    let seen = app.meeting(&sam.id, &meeting.id)?;
    println!(
        "{}: {} ({} going, agenda: {})",
        seen.title.text,
        seen.when,
        seen.going,
        seen.agenda.len()
    );
    for r in app.reminder_plan(&sam.id)? {
        println!("Sam's phone will ring: {} — {}", r.title, r.body);
    }
    app.write_check_in(
        &priya.id,
        NewCheckIn {
            person: Some(sam.id.clone()),
            mood: Some(4),
            note: Some("Sam is keen to lead the planting day".into()),
            follow_up_on: Some(Day::parse("follow_up_on", "2026-06-01")?),
            ..NewCheckIn::default()
        },
    )?;
    for c in app.check_ins_for(&priya.id, &sam.id)? {
        println!(
            "Check-in by {}: {} ({})",
            c.written_by_name,
            c.note.unwrap_or_default(),
            c.mood_label.unwrap_or_default()
        );
    }

    say("Sam's home screen");
    let home = app.home(&sam.id)?;
    for p in &home.projects {
        println!(
            "[{}] {} — {} members, {} open actions, {} unread",
            p.stage_label, p.title.text, p.members, p.open_actions, p.unread_updates
        );
    }
    for a in &home.my_actions {
        println!(
            "My action: {} {}",
            a.what.text,
            a.due_on.map(|d| format!("(by {d})")).unwrap_or_default()
        );
    }
    for w in &home.waiting {
        println!("Waiting: {}", w.text);
    }
    println!("{}", home.time_given_label);
    println!(
        "\n{} changes are waiting in the outbox for the next sync.",
        app.pending_count()?
    );
    Ok(())
}
