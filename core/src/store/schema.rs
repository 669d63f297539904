//! The device database's schema and its history. `MIGRATIONS[n]` takes a
//! database from version `n` to `n + 1`; a fresh database runs them all. A
//! migration that has shipped is never edited: add a new one instead.
//!
//! Conventions the record layer relies on: every entity table has an `id`
//! primary key; a column declared `JSON` holds serde JSON, one declared
//! `BOOLEAN` holds 0/1; `_hlc` is the stamp of the change that created the
//! row and `_clocks` the stamps of fields changed since (for last-writer-wins
//! sync). There are no foreign keys: sync may deliver a child before its
//! parent, and rules check references instead.

use crate::error::Result;
use rusqlite::Connection;

pub const VERSION: usize = MIGRATIONS.len();

pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the co-production domain, the outbox and tombstones.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE organisations (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );

    CREATE TABLE people (
        id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, name TEXT NOT NULL,
        pronouns TEXT, kind TEXT NOT NULL, preferences JSON NOT NULL,
        created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );

    CREATE TABLE support_links (
        id TEXT PRIMARY KEY, person_id TEXT NOT NULL, staff_id TEXT NOT NULL,
        active BOOLEAN NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX support_links_by_staff ON support_links (staff_id);
    CREATE INDEX support_links_by_person ON support_links (person_id);

    CREATE TABLE projects (
        id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, title JSON NOT NULL,
        purpose JSON NOT NULL, stage TEXT NOT NULL, join_policy TEXT NOT NULL,
        agreement JSON NOT NULL, started_by TEXT NOT NULL, times_reopened INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );

    CREATE TABLE memberships (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, person_id TEXT NOT NULL,
        role TEXT NOT NULL, status TEXT NOT NULL, changed_by TEXT NOT NULL,
        reason TEXT, since INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX memberships_by_person ON memberships (person_id, status);
    CREATE INDEX memberships_by_project ON memberships (project_id, status);

    CREATE TABLE needs (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,
        description JSON NOT NULL, tags JSON NOT NULL, met BOOLEAN NOT NULL,
        added_by TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX needs_by_project ON needs (project_id);

    CREATE TABLE offers (
        id TEXT PRIMARY KEY, person_id TEXT NOT NULL, project_id TEXT,
        kind TEXT NOT NULL, description JSON NOT NULL, how_much TEXT, availability TEXT,
        tags JSON NOT NULL, withdrawn_at INTEGER, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX offers_by_person ON offers (person_id);
    CREATE INDEX offers_by_project ON offers (project_id);

    CREATE TABLE contributions (
        id TEXT PRIMARY KEY, person_id TEXT NOT NULL, project_id TEXT NOT NULL,
        logged_by TEXT NOT NULL, what TEXT NOT NULL, minutes INTEGER NOT NULL,
        expenses_pence INTEGER NOT NULL, done_on TEXT NOT NULL, recognition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX contributions_by_person ON contributions (person_id, done_on);
    CREATE INDEX contributions_by_project ON contributions (project_id);

    CREATE TABLE thanks (
        id TEXT PRIMARY KEY, contribution_id TEXT NOT NULL, project_id TEXT NOT NULL,
        from_person TEXT NOT NULL, note TEXT, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX thanks_by_contribution ON thanks (contribution_id);

    CREATE TABLE statements (
        id TEXT PRIMARY KEY, person_id TEXT NOT NULL, text JSON NOT NULL,
        visibility TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX statements_by_person ON statements (person_id);

    CREATE TABLE updates (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, author_id TEXT NOT NULL,
        body JSON NOT NULL, posted_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX updates_by_project ON updates (project_id, posted_at);

    CREATE TABLE update_reads (
        id TEXT PRIMARY KEY, update_id TEXT NOT NULL, project_id TEXT NOT NULL,
        person_id TEXT NOT NULL, read_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX update_reads_by_person ON update_reads (person_id, project_id);
    CREATE INDEX update_reads_by_update ON update_reads (update_id);

    CREATE TABLE actions (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, what JSON NOT NULL,
        owner_id TEXT, due_on TEXT, status TEXT NOT NULL, created_by TEXT NOT NULL,
        from_review_item TEXT, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX actions_by_project ON actions (project_id, status);
    CREATE INDEX actions_by_owner ON actions (owner_id, status);

    CREATE TABLE review_items (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,
        text JSON NOT NULL, author_id TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX review_items_by_project ON review_items (project_id);

    CREATE TABLE review_supports (
        id TEXT PRIMARY KEY, review_item_id TEXT NOT NULL, project_id TEXT NOT NULL,
        person_id TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX review_supports_by_item ON review_supports (review_item_id);

    CREATE TABLE risks (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, about_person TEXT,
        in_their_words JSON NOT NULL, safeguards JSON NOT NULL, owner_id TEXT NOT NULL,
        review_on TEXT NOT NULL, visibility TEXT NOT NULL, recorded_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX risks_by_project ON risks (project_id);

    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,
        entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,
        fields JSON NOT NULL, hlc TEXT NOT NULL, author TEXT NOT NULL
    );
    CREATE INDEX outbox_by_entity ON outbox (entity, entity_id);

    CREATE TABLE tombstones (
        entity TEXT NOT NULL, entity_id TEXT NOT NULL, hlc TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id)
    );
    "#,
    // 1 -> 2: meetings in the store: the meeting itself (with its capacity, minutes
    // and check-in secret), agenda items, one RSVP and one attendance per
    // (meeting, person), check-ins on the go, and actions that came out of a
    // meeting. Self-contained, so it can be renumbered when branches merge.
    r#"
    CREATE TABLE meetings (
        id TEXT PRIMARY KEY, project_id TEXT, organiser_id TEXT NOT NULL,
        title JSON NOT NULL, description JSON, format TEXT NOT NULL, place JSON,
        online_link TEXT, access JSON NOT NULL, access_notes JSON,
        starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, time_zone TEXT NOT NULL,
        state TEXT NOT NULL, sequence INTEGER NOT NULL, notice_sequence INTEGER NOT NULL,
        capacity INTEGER, check_in_secret TEXT NOT NULL, minutes JSON,
        created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX meetings_by_project ON meetings (project_id, starts_at);

    CREATE TABLE agenda_items (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
        text JSON NOT NULL, added_by TEXT NOT NULL, created_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, created_at);

    CREATE TABLE meeting_rsvps (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
        person_id TEXT NOT NULL, answer TEXT NOT NULL, answered_at INTEGER NOT NULL,
        going_since INTEGER, was_waiting BOOLEAN NOT NULL, seen_sequence INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX meeting_rsvps_by_meeting ON meeting_rsvps (meeting_id, answer);
    CREATE INDEX meeting_rsvps_by_person ON meeting_rsvps (person_id, answer);

    CREATE TABLE attendances (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
        person_id TEXT NOT NULL, present BOOLEAN NOT NULL, how TEXT NOT NULL, code TEXT,
        recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX attendances_by_meeting ON attendances (meeting_id);

    CREATE TABLE check_ins (
        id TEXT PRIMARY KEY, person_id TEXT, project_id TEXT, meeting_id TEXT,
        tier TEXT NOT NULL, mood INTEGER, note TEXT, follow_up_on TEXT, follows_up TEXT,
        written_by TEXT NOT NULL, written_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX check_ins_by_person ON check_ins (person_id, written_at);
    CREATE INDEX check_ins_by_project ON check_ins (project_id, written_at);
    CREATE INDEX check_ins_by_author ON check_ins (written_by);
    CREATE INDEX check_ins_follow_ups ON check_ins (follow_up_on) WHERE follow_up_on IS NOT NULL;
    CREATE INDEX check_ins_by_earlier ON check_ins (follows_up) WHERE follows_up IS NOT NULL;

    ALTER TABLE actions ADD COLUMN from_meeting TEXT;
    CREATE INDEX actions_by_meeting ON actions (from_meeting) WHERE from_meeting IS NOT NULL;
    "#,
    // 2 -> 3: proposals and votes. A vote is one register per (proposal,
    // member); an anonymous proposal's ballots reach other members only as
    // the server's ballot box. A project remembers which proposal last
    // changed its plan.
    r#"
    CREATE TABLE proposals (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, author_id TEXT NOT NULL,
        title JSON NOT NULL, body JSON NOT NULL, rules JSON NOT NULL,
        opens_at INTEGER NOT NULL, closes_at INTEGER NOT NULL, electorate JSON NOT NULL,
        state TEXT NOT NULL, withdrawn_at INTEGER,
        plan_change JSON, plan_applied_at INTEGER, plan_applied_by TEXT, outcome JSON,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX proposals_by_project ON proposals (project_id, closes_at);

    CREATE TABLE votes (
        id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, project_id TEXT NOT NULL,
        voter TEXT NOT NULL, anonymous BOOLEAN NOT NULL, ballot JSON NOT NULL, reason TEXT,
        cast_at TEXT NOT NULL, received_at INTEGER, assisted_by TEXT, entered_by TEXT,
        consent_recorded BOOLEAN NOT NULL, objection JSON NOT NULL, resolution JSON,
        seat TEXT,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    CREATE INDEX votes_by_proposal ON votes (proposal_id);
    CREATE INDEX votes_by_voter ON votes (voter, proposal_id);

    CREATE TABLE ballot_boxes (
        id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, project_id TEXT NOT NULL,
        ballots JSON NOT NULL, closes_at INTEGER NOT NULL, who_voted JSON,
        counted_at INTEGER NOT NULL,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );

    ALTER TABLE projects ADD COLUMN plan_from_proposal TEXT;
    "#,
    // 3 -> 4: the sync engine's own state. The device token sits here so the
    // core can sign its requests; on a phone the shell keeps the real copy in
    // Keystore/Keychain and passes it in, and the whole file may be SQLCipher.
    // `sync_held` keeps pulled values that arrived while an unsent local edit
    // of the same field was queued; they are settled by LWW once it is sent.
    r#"
    CREATE TABLE sync_account (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT NOT NULL, device_token TEXT NOT NULL, device_id TEXT NOT NULL,
        person_id TEXT NOT NULL, connected_at INTEGER NOT NULL, last_synced INTEGER
    );

    CREATE TABLE sync_cursors (scope TEXT PRIMARY KEY, cursor INTEGER NOT NULL);

    CREATE TABLE sync_rejections (
        op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
        code TEXT NOT NULL, message TEXT NOT NULL, rejected_at INTEGER NOT NULL
    );

    CREATE TABLE sync_held (
        entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL,
        value JSON NOT NULL, hlc TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
    );
    "#,
    // 4 -> 5: a person's preferences in two tiers. What organisers need
    // (time zone, access needs, times they can't do, preferred recognition)
    // stays on `people`, one column each; the rest moves to
    // `personal_settings`, which syncs in the person's own scope only. Queued
    // changes to a person lose the old `preferences` field, which the server
    // now refuses and which must never travel organisation-wide.
    r#"
    CREATE TABLE personal_settings (
        id TEXT PRIMARY KEY, languages JSON NOT NULL, easy_read BOOLEAN NOT NULL,
        read_aloud BOOLEAN NOT NULL, text_size TEXT NOT NULL, reminders JSON NOT NULL,
        access_notes TEXT,
        _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    );
    INSERT INTO personal_settings
        (id, languages, easy_read, read_aloud, text_size, reminders, access_notes, _hlc)
    SELECT id, json_extract(preferences, '$.languages'),
        json_extract(preferences, '$.easy_read'), json_extract(preferences, '$.read_aloud'),
        json_extract(preferences, '$.text_size'), json_extract(preferences, '$.reminders'),
        json_extract(preferences, '$.access_notes'), _hlc
    FROM people;

    ALTER TABLE people ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/London';
    ALTER TABLE people ADD COLUMN access_needs JSON NOT NULL DEFAULT '[]';
    ALTER TABLE people ADD COLUMN unavailable JSON NOT NULL DEFAULT '[]';
    ALTER TABLE people ADD COLUMN recognition TEXT NOT NULL DEFAULT 'thanks';
    UPDATE people SET
        time_zone = json_extract(preferences, '$.time_zone'),
        access_needs = json_extract(preferences, '$.access_needs'),
        unavailable = json_extract(preferences, '$.unavailable'),
        recognition = json_extract(preferences, '$.recognition'),
        _clocks = json_remove(_clocks, '$.preferences');
    ALTER TABLE people DROP COLUMN preferences;

    UPDATE outbox SET fields = json_remove(fields, '$.preferences') WHERE entity = 'person';
    "#,
    // 5 -> 6: the outbox orders by a plain rowid. AUTOINCREMENT cost every
    // write a page of `sqlite_sequence` in the WAL; nothing needs a number
    // never to come back (ops are sent in `seq` order among those queued,
    // and a new row always numbers above every queued one).
    r#"
    CREATE TABLE outbox_new (
        seq INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,
        entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,
        fields JSON NOT NULL, hlc TEXT NOT NULL, author TEXT NOT NULL
    );
    INSERT INTO outbox_new (seq, op_id, entity, entity_id, action, fields, hlc, author)
        SELECT seq, op_id, entity, entity_id, action, fields, hlc, author FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_new RENAME TO outbox;
    CREATE INDEX outbox_by_entity ON outbox (entity, entity_id);
    DELETE FROM sqlite_sequence WHERE name = 'outbox';
    "#,
    // 6 -> 7: whose phone this is. A phone that joined a server before this
    // version belongs to the person it joined as; one that was set up
    // offline has nobody yet (there is no way to tell who was holding it).
    r#"
    CREATE TABLE this_phone (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        person_id TEXT NOT NULL,
        started TEXT NOT NULL CHECK (started IN ('offline', 'joined')),
        since INTEGER NOT NULL
    );
    INSERT INTO this_phone (id, person_id, started, since)
        SELECT 1, person_id, 'joined', connected_at FROM sync_account;
    "#,
];

/// Brings a database at any earlier version up to `VERSION`, each step in
/// its own transaction so a failure leaves it at the last good version.
pub fn upgrade(conn: &mut Connection) -> Result<()> {
    let current: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if current > VERSION {
        return Err(crate::Error::Storage {
            detail: format!(
                "this database was written by a newer version of the app (schema {current}, we know {VERSION})"
            ),
        });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (from + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Builds a database at exactly `version`, for upgrade tests.
#[cfg(test)]
pub fn create_at_version(conn: &mut Connection, version: usize) -> Result<()> {
    for (from, sql) in MIGRATIONS.iter().enumerate().take(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (from + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema as written down in `schema.sql`: the user version, then
    /// every `sqlite_master` entry by name, each line trimmed so the file
    /// does not depend on how a migration was indented.
    fn schema_of(conn: &Connection) -> String {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let entries: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = format!("{SCHEMA_FILE_HEADER}PRAGMA user_version = {version};\n");
        for (name, sql) in entries {
            out.push_str(&format!("\n-- {name}\n"));
            let lines = sql.lines().map(str::trim).filter(|l| !l.is_empty());
            for (i, line) in lines.enumerate() {
                out.push_str(if i == 0 || line.starts_with(')') {
                    ""
                } else {
                    "    "
                });
                out.push_str(line);
                out.push('\n');
            }
            // Runnable as it stands: `sqlite3 new.db < schema.sql`.
            out.insert(out.len() - 1, ';');
        }
        out
    }

    const SCHEMA_FILE_HEADER: &str = "\
-- The device database's schema after every migration, written down so a
-- change to it is a deliberate, reviewed change. Checked by
-- test_all_upgrades in core/src/store/schema.rs; regenerate with
-- EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-core test_all_upgrades
";

    const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema.sql");

    /// The lines only one side has, for a failure message a person can read.
    fn lines_that_differ(expected: &str, actual: &str) -> String {
        let only = |a: &str, b: &str, sign: char| {
            let b: std::collections::HashSet<&str> = b.lines().collect();
            a.lines()
                .filter(|l| !b.contains(l))
                .map(|l| format!("{sign} {l}\n"))
                .collect::<String>()
        };
        format!(
            "{}{}",
            only(expected, actual, '-'),
            only(actual, expected, '+')
        )
    }

    /// A fresh database, and one of every older version brought up to date,
    /// must both end at the schema written down in `schema.sql`. Comparing
    /// them only with each other could never fail: both run the same
    /// migrations.
    #[test]
    fn test_all_upgrades() {
        let mut fresh = Connection::open_in_memory().unwrap();
        upgrade(&mut fresh).unwrap();
        let fresh = schema_of(&fresh);
        if std::env::var("EQUALLY_BLESS_SCHEMA").as_deref() == Ok("1") {
            std::fs::write(SCHEMA_FILE, &fresh).unwrap();
        }
        let written = std::fs::read_to_string(SCHEMA_FILE).unwrap_or_default();
        assert!(
            fresh == written,
            "A fresh database's schema is not the one written down in {SCHEMA_FILE}.\n\
             If you changed the schema on purpose (in a new migration), write it down:\n\
             \x20   EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-core test_all_upgrades\n\
             and commit schema.sql with the migration. What differs (- written, + fresh):\n{}",
            lines_that_differ(&written, &fresh)
        );
        for version in 0..VERSION {
            let mut old = Connection::open_in_memory().unwrap();
            create_at_version(&mut old, version).unwrap();
            upgrade(&mut old).unwrap();
            let upgraded = schema_of(&old);
            assert!(
                upgraded == written,
                "A database at version {version}, upgraded, does not end at the schema in \
                 {SCHEMA_FILE}: a migration leaves old databases different from fresh ones \
                 (blessing the file will not fix that). What differs (- written, + upgraded):\n{}",
                lines_that_differ(&written, &upgraded)
            );
        }
    }

    #[test]
    fn preferences_saved_before_the_split_are_kept_in_their_two_tiers() {
        let mut conn = Connection::open_in_memory().unwrap();
        create_at_version(&mut conn, 4).unwrap();
        let prefs = r#"{"languages":["pl","en-GB"],"easy_read":true,"read_aloud":false,
            "text_size":"large","time_zone":"Europe/Warsaw",
            "reminders":{"offsets_minutes":[60]},"access_needs":["step_free"],
            "unavailable":[],"access_notes":"no stairs please","recognition":"voucher"}"#;
        conn.execute(
            "INSERT INTO people (id, organisation_id, name, kind, preferences, created_at, _hlc, _clocks)
             VALUES ('p1', 'o1', 'Sam', 'supported_person', ?1, 0, 'h', '{\"preferences\":\"h2\"}')",
            [prefs],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, action, fields, hlc, author)
             VALUES ('op1', 'person', 'p1', 'update', ?1, 'h', 'p1')",
            [format!(r#"{{"name":"Sam","preferences":{prefs}}}"#)],
        )
        .unwrap();
        upgrade(&mut conn).unwrap();

        let person: (String, String, String, String, String) = conn
            .query_row(
                "SELECT time_zone, access_needs, recognition, _clocks, name FROM people",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            person,
            (
                "Europe/Warsaw".into(),
                r#"["step_free"]"#.into(),
                "voucher".into(),
                "{}".into(),
                "Sam".into()
            )
        );
        let settings: (String, String, bool, String, Option<String>) = conn
            .query_row(
                "SELECT id, languages, easy_read, text_size, access_notes FROM personal_settings",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            settings,
            (
                "p1".into(),
                r#"["pl","en-GB"]"#.into(),
                true,
                "large".into(),
                Some("no stairs please".into())
            )
        );
        let queued: String = conn
            .query_row("SELECT fields FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(queued, r#"{"name":"Sam"}"#);
    }

    #[test]
    fn queued_ops_keep_their_order_when_the_outbox_drops_autoincrement() {
        let mut conn = Connection::open_in_memory().unwrap();
        create_at_version(&mut conn, 5).unwrap();
        for (op, seq) in [("b", 7), ("a", 9)] {
            conn.execute(
                "INSERT INTO outbox (seq, op_id, entity, entity_id, action, fields, hlc, author)
                 VALUES (?1, ?2, 'statement', 's', 'update', '{}', 'h', 'p')",
                rusqlite::params![seq, op],
            )
            .unwrap();
        }
        upgrade(&mut conn).unwrap();
        let order: Vec<String> = conn
            .prepare("SELECT op_id FROM outbox ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(order, ["b", "a"]);
        // A new op numbers after every queued one.
        conn.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, action, fields, hlc, author)
             VALUES ('c', 'statement', 's', 'update', '{}', 'h', 'p')",
            [],
        )
        .unwrap();
        let last: String = conn
            .query_row(
                "SELECT op_id FROM outbox ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "c");
    }

    #[test]
    fn a_database_from_a_newer_app_is_not_touched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", (VERSION + 1) as i64)
            .unwrap();
        assert!(upgrade(&mut conn).is_err());
    }
}
