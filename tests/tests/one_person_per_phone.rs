//! Whose phone it is, end to end with the real server: a phone joined with
//! an invite acts as that person and nobody else; a phone started offline
//! keeps its own group, and joining a server is refused before anything is
//! touched (nothing made on it is lost, and the invite still works);
//! staff invite someone new from their own phone.

use equally_core::error::Error;
use equally_core::people::{NewPerson, PersonKind, Preferences};
use equally_core::phone::PhoneStart;
use equally_core::projects::{JoinPolicy, NewProject};
use equally_core::{Config, Equally};
use equally_e2e::{Backend, Device, Invite, Server, people, project, quick_retry, text};

fn fresh_phone(dir: &tempfile::TempDir) -> Equally {
    let app = Equally::open(Config {
        database_path: dir.path().join("phone.db"),
    })
    .expect("the phone's database opens");
    app.set_sync_retry(quick_retry());
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joined_phone_acts_as_its_person_and_nobody_else() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let sam = Device::connect(&server, &who.sam).await;
        sam.sync().await;

        let phone = sam.app.this_phone().unwrap().expect("the phone is Sam's");
        assert_eq!(phone.person_id, who.sam.person_id, "{name}");
        assert_eq!(phone.started, PhoneStart::Joined, "{name}");
        assert_eq!(sam.app.me().unwrap(), who.sam.person_id, "{name}");

        // A change in Priya's name is refused on Sam's phone, before it is
        // stored or queued, so the server never has to refuse it later.
        let before = equally_e2e::snapshot(&sam.app);
        let pending = sam.app.pending_count().unwrap();
        let err = sam
            .app
            .start_project(
                &who.priya.person_id,
                NewProject {
                    title: text("Not Sam's"),
                    purpose: text("Started in someone else's name"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![],
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotAllowed { .. }), "{name}: {err}");
        assert_eq!(equally_e2e::snapshot(&sam.app), before, "{name}");
        assert_eq!(sam.app.pending_count().unwrap(), pending, "{name}");

        // What the server always refuses from a phone is refused here too,
        // with words a person can act on.
        let err = sam
            .app
            .add_person(
                Some(&who.sam.person_id),
                NewPerson {
                    name: "Jo".into(),
                    pronouns: None,
                    kind: PersonKind::Carer,
                    preferences: Preferences::default(),
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains("invite"), "{name}: {err}");
        assert!(sam.app.create_organisation("Another").is_err(), "{name}");

        // Sam's own work goes through and reaches the server.
        project(&sam, JoinPolicy::Open, &[]);
        let report = sam.sync().await;
        assert_eq!(report.rejected, 0, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_started_offline_keeps_its_group_when_joining_is_refused() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);

        let dir = tempfile::tempdir().unwrap();
        let phone = fresh_phone(&dir);
        let sam = phone
            .start_offline(
                "Sam's allotment group",
                NewPerson {
                    name: "Sam".into(),
                    pronouns: None,
                    kind: PersonKind::SupportedPerson,
                    preferences: Preferences::default(),
                },
            )
            .unwrap();
        let garden = phone
            .start_project(
                &sam.id,
                NewProject {
                    title: text("Allotment"),
                    purpose: text("Grow beans"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![],
                },
            )
            .unwrap();
        let before = equally_e2e::snapshot(&phone);

        let err = phone
            .connect(&server.url(), &who.sam.code)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{name}: {err}");
        assert!(
            err.to_string().contains("without a server"),
            "{name}: {err}"
        );

        // Nothing made on the phone is lost or changed, and it is still Sam's.
        assert_eq!(equally_e2e::snapshot(&phone), before, "{name}");
        assert_eq!(phone.me().unwrap(), sam.id, "{name}");
        assert_eq!(
            phone.project(&sam.id, &garden.id).unwrap().title.text,
            "Allotment",
            "{name}"
        );
        // The invite was not used up: Sam can still join on a new profile.
        let joined = Device::connect(&server, &who.sam).await;
        assert_eq!(joined.me, who.sam.person_id, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_invite_someone_new_from_their_phone_and_they_join_with_it() {
    for backend in Backend::all() {
        let name = backend.name();
        let server = Server::start(backend);
        let who = people(&server);
        let priya = Device::connect(&server, &who.priya).await;
        priya.sync().await;

        let invitation = priya
            .app
            .invite_person("Marta", PersonKind::SupportedPerson)
            .await
            .expect("staff may invite");
        assert!(!invitation.code.is_empty(), "{name}");
        let side = invitation.qr.width as usize;
        assert!(
            side >= 21,
            "{name}: a QR code is at least 21 squares a side"
        );
        assert_eq!(invitation.qr.dark.len(), side * side, "{name}");

        let marta = Device::connect(
            &server,
            &Invite {
                person_id: invitation.person_id.clone(),
                code: invitation.code.clone(),
            },
        )
        .await;
        marta.sync().await;
        assert_eq!(marta.app.me().unwrap(), invitation.person_id, "{name}");

        // Someone who is not staff cannot invite; the server says no.
        let sam = Device::connect(&server, &who.sam).await;
        let err = sam
            .app
            .invite_person("Someone", PersonKind::Volunteer)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotAllowed { .. }), "{name}: {err}");
    }
}
