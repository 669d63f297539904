//! The embedded database: one SQLite file in WAL mode. One writer
//! connection (SQLite has one writer anyway, which also gives the change log
//! its order) and a few read-only connections for pulls.

use super::pool::Pool;
use super::{
    Device, Horizon, Invite, LoggedChange, PushToken, Storage, StoredEntity, Tx, action_from_text,
    action_text, json_map, parse_hlc, scope_columns, scope_from_columns, storage_error,
};
use equally_rules::entity::Scope;
use equally_rules::error::{Error, Result};
use equally_rules::ids::{OpId, PersonId};
use parking_lot::Mutex;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::Path;

/// The current schema. Add a step to `upgrade` for every change; never edit
/// a step that has shipped.
const VERSION: i64 = 2;

const SCHEMA_V1: &str = "
CREATE TABLE entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    clocks TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE changes (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT,
    op_id TEXT,
    PRIMARY KEY (scope_tier, scope_id, seq)
);
CREATE INDEX changes_by_entity ON changes (kind, entity_id);
CREATE INDEX changes_by_author ON changes (author);
CREATE TABLE seq_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO seq_counter (id, value) VALUES (1, 0);
CREATE TABLE applied_ops (op_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX devices_by_person ON devices (person_id);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX invites_by_person ON invites (person_id);
CREATE TABLE push_tokens (
    device_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
";

/// 1 -> 2: where compaction has dropped tombstones, per scope.
const SCHEMA_V2: &str = "
CREATE TABLE horizons (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    PRIMARY KEY (scope_tier, scope_id)
) WITHOUT ROWID;
";

/// SQLite's failures as the rules' storage error. Its messages name tables
/// and constraints, not values, so they are safe to log.
fn db(e: rusqlite::Error) -> Error {
    tracing::error!(error = %e, "sqlite error");
    Error::storage(match &e {
        rusqlite::Error::SqliteFailure(f, _) => format!("{:?}", f.code),
        _ => "database error".into(),
    })
}

fn upgrade(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)?;
    if version > VERSION {
        return Err(storage_error(format!(
            "the database is from a newer server (schema {version}, this server knows {VERSION})"
        )));
    }
    if version < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(db)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2).map_err(db)?;
    }
    tx.pragma_update(None, "user_version", VERSION)
        .map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(())
}

pub struct SqliteStorage {
    writer: Mutex<Connection>,
    readers: Pool<Connection>,
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "busy_timeout", 10_000)
        .map_err(db)?;
    Ok(())
}

impl SqliteStorage {
    pub fn open(path: &Path) -> Result<Self> {
        let mut writer = Connection::open(path).map_err(db)?;
        configure(&writer)?;
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        // FULL: a push is answered only after its commit is on disk, so an
        // acknowledged op survives a power cut too.
        writer
            .pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        upgrade(&mut writer)?;
        let path = path.to_path_buf();
        let readers = Pool::new(4, move || {
            let conn = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(db)?;
            configure(&conn)?;
            Ok(conn)
        });
        Ok(SqliteStorage {
            writer: Mutex::new(writer),
            readers,
        })
    }
}

impl Storage for SqliteStorage {
    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut conn = self.writer.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut stx = SqliteTx {
            conn: &tx,
            seq: None,
        };
        work(&mut stx)?;
        if let Some((_, next)) = stx.seq {
            tx.execute("UPDATE seq_counter SET value = ?1 WHERE id = 1", [next])
                .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(())
    }

    fn read(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut conn = self.readers.get()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db)?;
        let mut stx = SqliteTx {
            conn: &tx,
            seq: None,
        };
        work(&mut stx)?;
        tx.finish().map_err(db)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

struct SqliteTx<'a> {
    conn: &'a Connection,
    /// The counter as read at the first `next_seq`, and the last number
    /// given out since.
    seq: Option<(i64, i64)>,
}

const ENTITY_COLUMNS: &str = "kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq";
const CHANGE_COLUMNS: &str =
    "seq, scope_tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id";

fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntity> {
    Ok(RawEntity {
        kind: row.get(0)?,
        id: row.get(1)?,
        tier: row.get(2)?,
        scope_id: row.get(3)?,
        fields: row.get(4)?,
        clocks: row.get(5)?,
        deleted: row.get(6)?,
        last_seq: row.get(7)?,
    })
}

struct RawEntity {
    kind: String,
    id: String,
    tier: String,
    scope_id: String,
    fields: String,
    clocks: String,
    deleted: bool,
    last_seq: i64,
}

impl RawEntity {
    fn decode(self) -> Result<StoredEntity> {
        Ok(StoredEntity {
            scope: scope_from_columns(&self.tier, &self.scope_id)?,
            fields: json_map(&self.fields)?,
            clocks: json_map(&self.clocks)?,
            kind: self.kind,
            id: self.id,
            deleted: self.deleted,
            last_seq: self.last_seq,
        })
    }
}

type RawChange = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn change_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawChange> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    ))
}

fn decode_change(raw: RawChange) -> Result<LoggedChange> {
    let (seq, tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id) = raw;
    Ok(LoggedChange {
        seq,
        scope: scope_from_columns(&tier, &scope_id)?,
        kind,
        entity_id,
        action: action_from_text(&action)?,
        fields: json_map(&fields)?,
        hlc: parse_hlc(&hlc)?,
        author: author.map(|a| PersonId::parse(&a)).transpose()?,
        op_id: op_id.map(|o| OpId::parse(&o)).transpose()?,
    })
}

fn device_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, bool, i64)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn decode_device(raw: (String, String, bool, i64)) -> Result<Device> {
    Ok(Device {
        id: raw.0,
        person_id: PersonId::parse(&raw.1)?,
        revoked: raw.2,
        created_at_ms: raw.3,
    })
}

type RawInvite = (String, String, String, i64, i64, Option<i64>);

fn invite_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawInvite> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn decode_invite(raw: RawInvite) -> Result<Invite> {
    Ok(Invite {
        code_hash: raw.0,
        person_id: PersonId::parse(&raw.1)?,
        created_by: PersonId::parse(&raw.2)?,
        created_at_ms: raw.3,
        expires_at_ms: raw.4,
        used_at_ms: raw.5,
    })
}

impl SqliteTx<'_> {
    fn changes_where(
        &self,
        clause: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<LoggedChange>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {CHANGE_COLUMNS} FROM changes {clause}"))
            .map_err(db)?;
        let rows = stmt.query_map(params, change_from_row).map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode_change(row.map_err(db)?)?);
        }
        Ok(out)
    }
}

impl Tx for SqliteTx<'_> {
    fn load(&mut self, kind: &str, id: &str) -> Result<Option<StoredEntity>> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE kind = ?1 AND id = ?2"
            ))
            .map_err(db)?
            .query_row([kind, id], entity_from_row)
            .optional()
            .map_err(db)?;
        raw.map(RawEntity::decode).transpose()
    }

    fn entities_of_kind(&mut self, kind: &str) -> Result<Vec<StoredEntity>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE kind = ?1 ORDER BY id"
            ))
            .map_err(db)?;
        let rows = stmt.query_map([kind], entity_from_row).map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(db)?.decode()?);
        }
        Ok(out)
    }

    fn entities_with_id_prefix(&mut self, kind: &str, prefix: &str) -> Result<Vec<StoredEntity>> {
        // Ids compare byte by byte (BINARY): the range [prefix, prefix with
        // its last character's successor) is exactly the ids it starts.
        let mut upper = prefix.to_string();
        let last = upper
            .pop()
            .ok_or_else(|| Error::invalid("prefix", "cannot be empty"))?;
        upper.push(char::from_u32(u32::from(last) + 1).unwrap_or(char::MAX));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE kind = ?1 AND id >= ?2 AND id < ?3 ORDER BY id"
        )).map_err(db)?;
        let rows = stmt
            .query_map(params![kind, prefix, upper], entity_from_row)
            .map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(db)?.decode()?);
        }
        Ok(out)
    }

    fn changes_after(
        &mut self,
        scope: &Scope,
        after: i64,
        limit: u32,
    ) -> Result<Vec<LoggedChange>> {
        let (tier, id) = scope_columns(scope);
        self.changes_where(
            "WHERE scope_tier = ?1 AND scope_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
            params![tier, id, after, limit],
        )
    }

    fn count_after(&mut self, scope: &Scope, after: i64) -> Result<i64> {
        let (tier, id) = scope_columns(scope);
        self.conn
            .prepare_cached(
                "SELECT count(*) FROM changes WHERE scope_tier = ?1 AND scope_id = ?2 AND seq > ?3",
            )
            .map_err(db)?
            .query_row(params![tier, id, after], |r| r.get(0))
            .map_err(db)
    }

    fn changes_of_entity(&mut self, kind: &str, id: &str) -> Result<Vec<LoggedChange>> {
        self.changes_where(
            "WHERE kind = ?1 AND entity_id = ?2 ORDER BY seq",
            params![kind, id],
        )
    }

    fn changes_by_author(&mut self, person: &PersonId) -> Result<Vec<LoggedChange>> {
        self.changes_where("WHERE author = ?1 ORDER BY seq", [person.as_str()])
    }

    fn applied_seq(&mut self, op: &OpId) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT seq FROM applied_ops WHERE op_id = ?1")
            .map_err(db)?
            .query_row([op.as_str()], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn last_seq(&mut self) -> Result<i64> {
        if let Some((_, next)) = self.seq {
            return Ok(next);
        }
        self.conn
            .query_row("SELECT value FROM seq_counter WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(db)
    }

    fn device_by_token_hash(&mut self, hash: &str) -> Result<Option<Device>> {
        let raw = self
            .conn
            .prepare_cached(
                "SELECT id, person_id, revoked, created_at FROM devices WHERE token_hash = ?1",
            )
            .map_err(db)?
            .query_row([hash], device_from_row)
            .optional()
            .map_err(db)?;
        raw.map(decode_device).transpose()
    }

    fn device(&mut self, id: &str) -> Result<Option<Device>> {
        let raw = self
            .conn
            .prepare_cached("SELECT id, person_id, revoked, created_at FROM devices WHERE id = ?1")
            .map_err(db)?
            .query_row([id], device_from_row)
            .optional()
            .map_err(db)?;
        raw.map(decode_device).transpose()
    }

    fn devices_of(&mut self, person: &PersonId) -> Result<Vec<Device>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, person_id, revoked, created_at FROM devices WHERE person_id = ?1 ORDER BY created_at, id",
        ).map_err(db)?;
        let rows = stmt
            .query_map([person.as_str()], device_from_row)
            .map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode_device(row.map_err(db)?)?);
        }
        Ok(out)
    }

    fn invites_of(&mut self, person: &PersonId) -> Result<Vec<Invite>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT code_hash, person_id, created_by, created_at, expires_at, used_at
             FROM invites WHERE person_id = ?1 ORDER BY created_at",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([person.as_str()], invite_from_row)
            .map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode_invite(row.map_err(db)?)?);
        }
        Ok(out)
    }

    fn push_tokens_of(&mut self, person: &PersonId) -> Result<Vec<PushToken>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT t.device_id, t.platform, t.token, t.updated_at FROM push_tokens t
             JOIN devices d ON d.id = t.device_id WHERE d.person_id = ?1 ORDER BY t.device_id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([person.as_str()], |r| {
                Ok(PushToken {
                    device_id: r.get(0)?,
                    platform: r.get(1)?,
                    token: r.get(2)?,
                    updated_at_ms: r.get(3)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db)
    }

    fn save_entity(&mut self, e: &StoredEntity) -> Result<()> {
        let (tier, scope_id) = scope_columns(&e.scope);
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO entities ({ENTITY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (kind, id) DO UPDATE SET scope_tier = excluded.scope_tier,
                 scope_id = excluded.scope_id, fields = excluded.fields, clocks = excluded.clocks,
                 deleted = excluded.deleted, last_seq = excluded.last_seq"
            ))
            .map_err(db)?
            .execute(params![
                e.kind,
                e.id,
                tier,
                scope_id,
                serde_json::to_string(&e.fields)?,
                serde_json::to_string(&e.clocks)?,
                e.deleted,
                e.last_seq
            ])
            .map_err(db)?;
        Ok(())
    }

    fn next_seq(&mut self) -> Result<i64> {
        let (start, last) = match self.seq {
            Some(s) => s,
            None => {
                let v: i64 = self
                    .conn
                    .query_row("SELECT value FROM seq_counter WHERE id = 1", [], |r| {
                        r.get(0)
                    })
                    .map_err(db)?;
                (v, v)
            }
        };
        self.seq = Some((start, last + 1));
        Ok(last + 1)
    }

    fn log_change(&mut self, c: &LoggedChange) -> Result<()> {
        let (tier, scope_id) = scope_columns(&c.scope);
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO changes ({CHANGE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            )).map_err(db)?
            .execute(params![
                c.seq,
                tier,
                scope_id,
                c.kind,
                c.entity_id,
                action_text(c.action),
                serde_json::to_string(&c.fields)?,
                c.hlc.to_string(),
                c.author.as_ref().map(|a| a.as_str()),
                c.op_id.as_ref().map(|o| o.as_str()),
            ]).map_err(db)?;
        Ok(())
    }

    fn forget_changes(&mut self, kind: &str, id: &str, scope: Option<&Scope>) -> Result<()> {
        match scope {
            Some(scope) => {
                let (tier, scope_id) = scope_columns(scope);
                self.conn
                    .prepare_cached(
                        "DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2
                         AND scope_tier = ?3 AND scope_id = ?4",
                    )
                    .map_err(db)?
                    .execute(params![kind, id, tier, scope_id])
                    .map_err(db)?;
            }
            None => {
                self.conn
                    .prepare_cached("DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2")
                    .map_err(db)?
                    .execute(params![kind, id])
                    .map_err(db)?;
            }
        }
        Ok(())
    }

    fn tombstones_deleted_before(&mut self, before_ms: i64) -> Result<Vec<StoredEntity>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities
             WHERE deleted = 1 AND coalesce(json_extract(fields, '$.deleted_at'), 0) < ?1
             ORDER BY kind, id"
            ))
            .map_err(db)?;
        let rows = stmt.query_map([before_ms], entity_from_row).map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(db)?.decode()?);
        }
        Ok(out)
    }

    fn remove_entity(&mut self, kind: &str, id: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM entities WHERE kind = ?1 AND id = ?2")
            .map_err(db)?
            .execute(params![kind, id])
            .map_err(db)?;
        Ok(())
    }

    fn horizon(&mut self, scope: &Scope) -> Result<Horizon> {
        let (tier, id) = scope_columns(scope);
        Ok(self
            .conn
            .prepare_cached(
                "SELECT seq, epoch FROM horizons WHERE scope_tier = ?1 AND scope_id = ?2",
            )
            .map_err(db)?
            .query_row(params![tier, id], |r| {
                Ok(Horizon {
                    seq: r.get(0)?,
                    epoch: r.get(1)?,
                })
            })
            .optional()
            .map_err(db)?
            .unwrap_or_default())
    }

    fn raise_horizon(&mut self, scope: &Scope, seq: i64) -> Result<()> {
        let (tier, id) = scope_columns(scope);
        self.conn
            .prepare_cached(
                "INSERT INTO horizons (scope_tier, scope_id, seq, epoch) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (scope_tier, scope_id)
                 DO UPDATE SET seq = max(seq, excluded.seq), epoch = epoch + 1",
            )
            .map_err(db)?
            .execute(params![tier, id, seq])
            .map_err(db)?;
        Ok(())
    }

    fn anonymise_author(&mut self, person: &PersonId) -> Result<u64> {
        self.conn
            .execute(
                "UPDATE changes SET author = NULL WHERE author = ?1",
                [person.as_str()],
            )
            .map(|n| n as u64)
            .map_err(db)
    }

    fn record_applied(&mut self, op: &OpId, seq: i64) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO applied_ops (op_id, seq) VALUES (?1, ?2)")
            .map_err(db)?
            .execute(params![op.as_str(), seq])
            .map_err(db)?;
        Ok(())
    }

    fn insert_invite(&mut self, i: &Invite) -> Result<()> {
        self.conn.execute(
            "INSERT INTO invites (code_hash, person_id, created_by, created_at, expires_at, used_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                i.code_hash,
                i.person_id.as_str(),
                i.created_by.as_str(),
                i.created_at_ms,
                i.expires_at_ms,
                i.used_at_ms
            ],
        ).map_err(db)?;
        Ok(())
    }

    fn use_invite(&mut self, code_hash: &str, now_ms: i64) -> Result<Option<Invite>> {
        let raw = self
            .conn
            .query_row(
                "UPDATE invites SET used_at = ?2
                 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                 RETURNING code_hash, person_id, created_by, created_at, expires_at, used_at",
                params![code_hash, now_ms],
                invite_from_row,
            )
            .optional()
            .map_err(db)?;
        raw.map(decode_invite).transpose()
    }

    fn insert_device(&mut self, d: &Device, token_hash: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO devices (id, person_id, token_hash, revoked, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![d.id, d.person_id.as_str(), token_hash, d.revoked, d.created_at_ms],
        ).map_err(db)?;
        Ok(())
    }

    fn revoke_device(&mut self, id: &str) -> Result<bool> {
        let n = self
            .conn
            .execute("UPDATE devices SET revoked = 1 WHERE id = ?1", [id])
            .map_err(db)?;
        self.conn
            .execute("DELETE FROM push_tokens WHERE device_id = ?1", [id])
            .map_err(db)?;
        Ok(n > 0)
    }

    fn save_push_token(&mut self, t: &PushToken) -> Result<()> {
        self.conn.execute(
            "INSERT INTO push_tokens (device_id, platform, token, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (device_id) DO UPDATE SET platform = excluded.platform,
             token = excluded.token, updated_at = excluded.updated_at",
            params![t.device_id, t.platform, t.token, t.updated_at_ms],
        ).map_err(db)?;
        Ok(())
    }

    fn forget_person_access(&mut self, person: &PersonId) -> Result<()> {
        self.conn.execute(
            "DELETE FROM push_tokens WHERE device_id IN (SELECT id FROM devices WHERE person_id = ?1)",
            [person.as_str()],
        ).map_err(db)?;
        self.conn
            .execute(
                "DELETE FROM devices WHERE person_id = ?1",
                [person.as_str()],
            )
            .map_err(db)?;
        self.conn
            .execute(
                "DELETE FROM invites WHERE person_id = ?1",
                [person.as_str()],
            )
            .map_err(db)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_from_the_first_release_is_upgraded_and_keeps_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.execute(
                "INSERT INTO changes (scope_tier, scope_id, seq, kind, entity_id, action, fields, hlc)
                 VALUES ('organisation', '', 1, 'statement', 's1', 'create', '{}', '000000000001-00000000-00000000')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let storage = SqliteStorage::open(&path).unwrap();
        let storage: &dyn Storage = &storage;
        let (log, horizon) = storage
            .read_with(|tx| {
                Ok((
                    tx.changes_after(&Scope::Organisation, 0, 10)?,
                    tx.horizon(&Scope::Organisation)?,
                ))
            })
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(horizon, Horizon::default());
        let version: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION);
    }

    /// The schema as written down in `sqlite-schema.sql`: the user version,
    /// then every `sqlite_master` entry by name, lines trimmed.
    fn schema_of(path: &Path) -> String {
        let conn = Connection::open(path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let entries: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
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
-- The sync server's SQLite schema after every upgrade step, written down so
-- a change to it is a deliberate, reviewed change. Checked by
-- every_old_database_ends_at_the_schema_written_down in
-- server/src/storage/sqlite.rs; regenerate with
-- EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-server every_old_database_ends
";

    const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/storage/sqlite-schema.sql");

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

    /// A new database and one from each older release must end at the
    /// schema in `sqlite-schema.sql`; comparing them only with each other
    /// could not catch a change nobody meant to make.
    #[test]
    fn every_old_database_ends_at_the_schema_written_down() {
        let dir = tempfile::tempdir().unwrap();
        let fresh_path = dir.path().join("fresh.db");
        drop(SqliteStorage::open(&fresh_path).unwrap());
        let fresh = schema_of(&fresh_path);
        if std::env::var("EQUALLY_BLESS_SCHEMA").as_deref() == Ok("1") {
            std::fs::write(SCHEMA_FILE, &fresh).unwrap();
        }
        let written = std::fs::read_to_string(SCHEMA_FILE).unwrap_or_default();
        assert!(
            fresh == written,
            "A new server database's schema is not the one written down in {SCHEMA_FILE}.\n\
             If you changed the schema on purpose (in a new upgrade step), write it down:\n\
             \x20   EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-server every_old_database_ends\n\
             and commit the file with the step. What differs (- written, + fresh):\n{}",
            lines_that_differ(&written, &fresh)
        );
        // Each shipped schema, as a server of that release left it.
        let releases: &[(i64, &[&str])] = &[(1, &[SCHEMA_V1])];
        for (version, steps) in releases {
            let path = dir.path().join(format!("v{version}.db"));
            let conn = Connection::open(&path).unwrap();
            for step in *steps {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "user_version", version).unwrap();
            drop(conn);
            drop(SqliteStorage::open(&path).unwrap());
            let upgraded = schema_of(&path);
            assert!(
                upgraded == written,
                "A database from schema {version}, upgraded, does not end at the schema in \
                 {SCHEMA_FILE}: an upgrade step leaves old databases different from new ones \
                 (blessing the file will not fix that). What differs (- written, + upgraded):\n{}",
                lines_that_differ(&written, &upgraded)
            );
        }
    }

    #[test]
    fn a_database_from_a_newer_server_is_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        let err = SqliteStorage::open(&path).err().expect("refused");
        assert!(err.to_string().contains("newer server"), "{err}");
    }
}
