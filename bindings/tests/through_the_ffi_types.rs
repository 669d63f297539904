//! The FFI layer from Rust: the same calls the apps make, through the
//! exported types, so a wiring mistake shows up in `cargo test` before the
//! Kotlin and Swift suites run.

use equally_core::ids::PersonId;
use equally_core::offers::{NewOffer, OfferKind};
use equally_core::people::{NewPerson, PersonKind, Preferences};
use equally_core::text::Text;
use equally_ffi::{Change, ChangeListener, EquallyCore, EquallyError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn open() -> (tempfile::TempDir, Arc<EquallyCore>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("equally.db");
    let core = EquallyCore::open(path.to_string_lossy().into_owned())
        .await
        .unwrap();
    (dir, core)
}

fn new_person(name: &str, kind: PersonKind) -> NewPerson {
    NewPerson {
        name: name.into(),
        pronouns: None,
        kind,
        preferences: Preferences::default(),
    }
}

/// Sam starts Equally on his own phone, with no server.
async fn sams_phone(core: &EquallyCore) -> PersonId {
    core.start_offline(
        "Riverside".into(),
        new_person("Sam", PersonKind::SupportedPerson),
    )
    .await
    .unwrap()
    .id
}

fn skill(text: &str) -> NewOffer {
    NewOffer {
        project_id: None,
        kind: OfferKind::Skill,
        description: Text::new("en-GB", text),
        how_much: None,
        availability: None,
        tags: vec!["gardening".into()],
    }
}

#[derive(Default)]
struct Heard(Mutex<Vec<Change>>);

impl ChangeListener for Heard {
    fn on_change(&self, changes: Vec<Change>) {
        self.0.lock().unwrap().extend(changes);
    }
}

async fn wait_for(heard: &Heard, what: impl Fn(&[Change]) -> bool) -> bool {
    for _ in 0..200 {
        if what(&heard.0.lock().unwrap()) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test]
async fn an_offer_made_through_the_handle_is_heard_until_the_listener_is_cancelled() {
    let (_dir, core) = open().await;
    let sam = sams_phone(&core).await;
    assert_eq!(core.me().await.unwrap(), sam);
    let heard = Arc::new(Heard::default());
    let handle = core.subscribe(heard.clone()).unwrap();

    let offer = core.make_offer(skill("I grow tomatoes")).await.unwrap();
    let offer_id = offer.id.to_string();
    assert!(wait_for(&heard, |c| c.iter().any(|c| c.id == offer_id)).await);

    handle.cancel();
    heard.0.lock().unwrap().clear();
    core.make_offer(skill("And beans")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(heard.0.lock().unwrap().is_empty());
    assert_eq!(core.offers_of(sam).await.unwrap().len(), 2);
}

#[tokio::test]
async fn dropping_the_task_handle_also_stops_the_listener() {
    let (_dir, core) = open().await;
    let heard = Arc::new(Heard::default());
    drop(core.subscribe(heard.clone()).unwrap());
    sams_phone(&core).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(heard.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn bad_input_is_a_typed_error_carrying_the_cores_sentence() {
    let (_dir, core) = open().await;
    let err = core.home().await.unwrap_err();
    assert!(matches!(err, EquallyError::Conflict(_)), "{err}");
    let before = core.this_phone().await.unwrap();
    let err = core
        .start_offline("Riverside".into(), new_person("   ", PersonKind::Staff))
        .await
        .unwrap_err();
    assert_eq!(err, EquallyError::Invalid("The name is empty".into()));
    assert_eq!(core.this_phone().await.unwrap(), before);
    assert!(before.is_none());
}

#[tokio::test]
async fn a_database_in_a_missing_folder_is_refused_with_the_reason() {
    let err = EquallyCore::open("/nonexistent/folder/equally.db".into())
        .await
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "The place for Equally's data is in a folder that does not exist"
    );
}

#[cfg(not(any(feature = "encryption", feature = "encryption-vendored")))]
#[tokio::test]
async fn a_build_without_encryption_says_so_when_asked_for_an_encrypted_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.db").to_string_lossy().into_owned();
    let err = EquallyCore::open_encrypted(path, "ab".repeat(32))
        .await
        .err()
        .unwrap();
    assert_eq!(
        err,
        EquallyError::Invalid(
            "The key for this phone's data cannot be used: this build has no encryption".into()
        )
    );
}
