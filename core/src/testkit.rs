//! A small world for tests: a real database file in a temporary folder, a
//! pinned clock, an organisation and four people — Sam (supported), Priya
//! and Alex (staff) and Jo (a carer).

use crate::people::{NewPerson, Person, PersonKind, Preferences};
use crate::time::{FixedTime, Timestamp};
use crate::{Config, Equally};
use std::sync::Arc;

/// 2026-03-02 10:00 UTC, a Monday.
pub const START: Timestamp = Timestamp(1_772_445_600_000);

pub struct World {
    pub app: Equally,
    pub clock: Arc<FixedTime>,
    pub sam: Person,
    pub priya: Person,
    pub alex: Person,
    pub jo: Person,
    _dir: tempfile::TempDir,
}

pub fn person(app: &Equally, by: Option<&Person>, name: &str, kind: PersonKind) -> Person {
    app.add_person(
        by.map(|p| &p.id),
        NewPerson {
            name: name.into(),
            pronouns: None,
            kind,
            preferences: Preferences::default(),
        },
    )
    .unwrap()
}

pub fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedTime::new(START));
    let app = Equally::open_with_time(
        Config {
            database_path: dir.path().join("equally.db"),
        },
        clock.clone(),
    )
    .unwrap();
    app.create_organisation("Riverside Mind").unwrap();
    let priya = person(&app, None, "Priya", PersonKind::Staff);
    let sam = person(&app, Some(&priya), "Sam", PersonKind::SupportedPerson);
    let alex = person(&app, Some(&priya), "Alex", PersonKind::Staff);
    let jo = person(&app, Some(&priya), "Jo", PersonKind::Carer);
    World {
        app,
        clock,
        sam,
        priya,
        alex,
        jo,
        _dir: dir,
    }
}

impl World {
    /// Priya (staff) and Sam (supported) start an open community garden.
    pub fn garden(&self) -> crate::ids::ProjectId {
        self.app
            .start_project(
                &self.priya.id,
                crate::projects::NewProject {
                    title: crate::text::Text::new("en-GB", "Garden"),
                    purpose: crate::text::Text::new("en-GB", "Grow food"),
                    join_policy: crate::projects::JoinPolicy::Open,
                    co_founders: vec![self.sam.id.clone()],
                },
            )
            .unwrap()
            .id
    }
}

/// Runs `f`, which must fail, and proves the database is exactly as before.
pub fn refused_without_change<T: std::fmt::Debug>(
    app: &Equally,
    f: impl FnOnce() -> crate::Result<T>,
) -> crate::Error {
    let before = app.store().fingerprint().unwrap();
    let err = f().expect_err("this change should have been refused");
    assert_eq!(
        before,
        app.store().fingerprint().unwrap(),
        "a refused change altered the database"
    );
    err
}
