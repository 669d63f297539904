//! PostgreSQL, for a deployment that outgrows one machine: several
//! stateless server instances on one database. Every write transaction
//! first locks the one-row sequence counter, so writers on all instances
//! commit one after another, in sequence-number order: a change can never
//! become visible after a later-numbered one.

use super::pool::Pool;
use super::{
    Device, Horizon, Invite, LoggedChange, PushToken, Storage, StoredEntity, Tx, action_from_text,
    action_text, parse_hlc, scope_columns, scope_from_columns, storage_error,
};
use equally_rules::entity::Scope;
use equally_rules::error::{Error, Result};
use equally_rules::ids::{OpId, PersonId};
use postgres::types::ToSql;
use postgres::{Client, IsolationLevel, NoTls, Row, Statement, Transaction};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::str::FromStr;

const VERSION: i32 = 2;

/// Any number will do, as long as it is the same on every instance.
const MIGRATION_LOCK: i64 = 0x0045_7175_616c_6c79;

const SCHEMA_V1: &str = "
CREATE TABLE entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    fields JSONB NOT NULL,
    clocks JSONB NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE changes (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    fields JSONB NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT,
    op_id TEXT,
    PRIMARY KEY (scope_tier, scope_id, seq)
);
CREATE INDEX changes_by_entity ON changes (kind, entity_id);
CREATE INDEX changes_by_author ON changes (author);
CREATE TABLE seq_counter (id INT PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
INSERT INTO seq_counter (id, value) VALUES (1, 0);
CREATE TABLE applied_ops (op_id TEXT PRIMARY KEY, seq BIGINT NOT NULL);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX devices_by_person ON devices (person_id);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invites_by_person ON invites (person_id);
CREATE TABLE push_tokens (
    device_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
";

fn pg_error(e: postgres::Error) -> Error {
    // A database error's code and message name tables and constraints, not
    // the values involved, so they are safe to log.
    match e.as_db_error() {
        Some(db) => {
            tracing::error!(
                code = db.code().code(),
                message = db.message(),
                "postgres error"
            );
            storage_error(format!("postgres {}", db.code().code()))
        }
        None => {
            tracing::error!(error = %e, "postgres connection error");
            storage_error("the database could not be reached")
        }
    }
}

struct PgConn {
    /// Always `Some` until dropped.
    client: Option<Client>,
    statements: HashMap<&'static str, Statement>,
}

impl Drop for PgConn {
    fn drop(&mut self) {
        // The sync client owns a small tokio runtime, which must not be
        // dropped on a thread that is driving async tasks (a server shutting
        // down, a test ending): it is dropped on a thread of its own.
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(client));
            } else {
                drop(client);
            }
        }
    }
}

/// Writers and readers have pools of their own: writers queue for the
/// write lock, and must not hold every connection while pulls wait.
pub struct PgStorage {
    writers: Pool<PgConn>,
    readers: Pool<PgConn>,
}

/// 1 -> 2: where compaction has dropped tombstones, per scope.
const SCHEMA_V2: &str = "
CREATE TABLE horizons (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    epoch BIGINT NOT NULL,
    PRIMARY KEY (scope_tier, scope_id)
);
";

fn upgrade(client: &mut Client) -> Result<()> {
    // Instances starting together take turns, so only one creates tables.
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(pg_error)?;
    let result = (|| {
        let mut tx = client.transaction().map_err(pg_error)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)")
            .map_err(pg_error)?;
        let version: i32 = tx
            .query_opt("SELECT version FROM schema_version", &[])
            .map_err(pg_error)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        if version > VERSION {
            return Err(storage_error(format!(
                "the database is from a newer server (schema {version}, this server knows {VERSION})"
            )));
        }
        if version < 1 {
            tx.batch_execute(SCHEMA_V1).map_err(pg_error)?;
        }
        if version < 2 {
            tx.batch_execute(SCHEMA_V2).map_err(pg_error)?;
        }
        tx.execute("DELETE FROM schema_version", &[])
            .map_err(pg_error)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&VERSION],
        )
        .map_err(pg_error)?;
        tx.commit().map_err(pg_error)
    })();
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .map_err(pg_error)?;
    result
}

impl PgStorage {
    /// Writes are serialised anyway, so a few writer connections suffice:
    /// one committing, the next ready behind it.
    pub fn open(url: &str) -> Result<Self> {
        Self::open_with_pools(url, 3, 8)
    }

    pub fn open_with_pools(url: &str, writers: usize, readers: usize) -> Result<Self> {
        let config = postgres::Config::from_str(url)
            .map_err(|_| Error::invalid("database_url", "is not a PostgreSQL connection URL"))?;
        let mut first = PgConn {
            client: Some(config.connect(NoTls).map_err(pg_error)?),
            statements: HashMap::new(),
        };
        if let Some(client) = first.client.as_mut() {
            upgrade(client)?;
        }
        let connect = move || {
            Ok(PgConn {
                client: Some(config.connect(NoTls).map_err(pg_error)?),
                statements: HashMap::new(),
            })
        };
        let again = connect.clone();
        Ok(PgStorage {
            writers: Pool::new(writers, connect),
            readers: Pool::new(readers, again),
        })
    }

    fn run(&self, writable: bool, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let pool = if writable {
            &self.writers
        } else {
            &self.readers
        };
        let mut conn = pool.get()?;
        let result = (|| {
            let PgConn { client, statements } = &mut *conn;
            let client = client
                .as_mut()
                .ok_or_else(|| storage_error("a pooled connection was closed"))?;
            let tx = if writable {
                client.transaction().map_err(pg_error)?
            } else {
                client
                    .build_transaction()
                    .read_only(true)
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .start()
                    .map_err(pg_error)?
            };
            let mut ptx = PgTx {
                tx,
                statements,
                seq: None,
                pending: Pending::default(),
            };
            if writable {
                // The write lock: every writer, on every instance, waits here
                // for the one before it to commit.
                let value: i64 = ptx
                    .query_one("SELECT value FROM seq_counter WHERE id = 1 FOR UPDATE", &[])?
                    .get(0);
                ptx.seq = Some((value, value));
            }
            work(&mut ptx)?;
            ptx.flush()?;
            if let Some((start, last)) = ptx.seq
                && last != start
            {
                ptx.execute("UPDATE seq_counter SET value = $1 WHERE id = 1", &[&last])?;
            }
            ptx.tx.commit().map_err(pg_error)
        })();
        if conn.client.as_ref().is_none_or(Client::is_closed) {
            conn.mark_broken();
        }
        result
    }
}

impl Storage for PgStorage {
    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        self.run(true, work)
    }
    fn read(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        self.run(false, work)
    }
    fn backend(&self) -> &'static str {
        "postgres"
    }
}

struct PgTx<'a> {
    tx: Transaction<'a>,
    statements: &'a mut HashMap<&'static str, Statement>,
    seq: Option<(i64, i64)>,
    /// Writes wait here and go to the database in three multi-row
    /// statements (before commit, or before a read that needs them): a
    /// batch of 50 ops costs a few round trips instead of hundreds.
    pending: Pending,
}

#[derive(Default)]
struct Pending {
    entities: HashMap<(String, String), StoredEntity>,
    changes: Vec<LoggedChange>,
    applied: HashMap<String, i64>,
}

impl PgTx<'_> {
    /// Prepared once per connection: a round trip saved on every use.
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(pg_error)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }
    fn query(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        self.tx.query(&s, params).map_err(pg_error)
    }
    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        self.tx.query_opt(&s, params).map_err(pg_error)
    }
    fn query_one(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let s = self.statement(sql)?;
        self.tx.query_one(&s, params).map_err(pg_error)
    }
    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let s = self.statement(sql)?;
        self.tx.execute(&s, params).map_err(pg_error)
    }
    fn changes(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<LoggedChange>> {
        self.flush()?;
        self.query(sql, params)?.iter().map(decode_change).collect()
    }

    fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.entities.is_empty() {
            let mut cols: (Vec<String>, Vec<String>, Vec<&str>, Vec<String>) = Default::default();
            let mut json: (Vec<Value>, Vec<Value>) = Default::default();
            let mut flags: (Vec<bool>, Vec<i64>) = Default::default();
            for e in pending.entities.into_values() {
                let (tier, scope_id) = scope_columns(&e.scope);
                cols.0.push(e.kind);
                cols.1.push(e.id);
                cols.2.push(tier);
                cols.3.push(scope_id.to_string());
                json.0.push(Value::Object(e.fields));
                json.1.push(Value::Object(e.clocks));
                flags.0.push(e.deleted);
                flags.1.push(e.last_seq);
            }
            self.execute(
                "INSERT INTO entities (kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[],
                                      $5::jsonb[], $6::jsonb[], $7::bool[], $8::bigint[])
                 ON CONFLICT (kind, id) DO UPDATE SET scope_tier = excluded.scope_tier,
                 scope_id = excluded.scope_id, fields = excluded.fields, clocks = excluded.clocks,
                 deleted = excluded.deleted, last_seq = excluded.last_seq",
                &[
                    &cols.0, &cols.1, &cols.2, &cols.3, &json.0, &json.1, &flags.0, &flags.1,
                ],
            )?;
        }
        if !pending.changes.is_empty() {
            let n = pending.changes.len();
            let mut seq = Vec::with_capacity(n);
            let mut tier = Vec::with_capacity(n);
            let mut scope_id = Vec::with_capacity(n);
            let mut kind = Vec::with_capacity(n);
            let mut entity_id = Vec::with_capacity(n);
            let mut action = Vec::with_capacity(n);
            let mut fields = Vec::with_capacity(n);
            let mut hlc = Vec::with_capacity(n);
            let mut author = Vec::with_capacity(n);
            let mut op_id = Vec::with_capacity(n);
            for c in pending.changes {
                let (t, s) = scope_columns(&c.scope);
                seq.push(c.seq);
                tier.push(t);
                scope_id.push(s.to_string());
                kind.push(c.kind);
                entity_id.push(c.entity_id);
                action.push(action_text(c.action));
                fields.push(Value::Object(c.fields));
                hlc.push(c.hlc.to_string());
                author.push(c.author.map(|a| a.to_string()));
                op_id.push(c.op_id.map(|o| o.to_string()));
            }
            self.execute(
                "INSERT INTO changes (seq, scope_tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                                      $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::text[])",
                &[
                    &seq, &tier, &scope_id, &kind, &entity_id, &action, &fields, &hlc, &author,
                    &op_id,
                ],
            )?;
        }
        if !pending.applied.is_empty() {
            let (ids, seqs): (Vec<String>, Vec<i64>) = pending.applied.into_iter().unzip();
            self.execute(
                "INSERT INTO applied_ops (op_id, seq) SELECT * FROM UNNEST($1::text[], $2::bigint[])",
                &[&ids, &seqs],
            )?;
        }
        Ok(())
    }
}

fn object(value: Value) -> Result<Map<String, Value>> {
    match value {
        Value::Object(m) => Ok(m),
        _ => Err(storage_error("a stored record is unreadable")),
    }
}

fn decode_entity(row: &Row) -> Result<StoredEntity> {
    Ok(StoredEntity {
        kind: row.get(0),
        id: row.get(1),
        scope: scope_from_columns(row.get(2), row.get(3))?,
        fields: object(row.get(4))?,
        clocks: object(row.get(5))?,
        deleted: row.get(6),
        last_seq: row.get(7),
    })
}

fn decode_change(row: &Row) -> Result<LoggedChange> {
    let author: Option<String> = row.get(8);
    let op_id: Option<String> = row.get(9);
    Ok(LoggedChange {
        seq: row.get(0),
        scope: scope_from_columns(row.get(1), row.get(2))?,
        kind: row.get(3),
        entity_id: row.get(4),
        action: action_from_text(row.get(5))?,
        fields: object(row.get(6))?,
        hlc: parse_hlc(row.get(7))?,
        author: author.map(|a| PersonId::parse(&a)).transpose()?,
        op_id: op_id.map(|o| OpId::parse(&o)).transpose()?,
    })
}

fn decode_device(row: &Row) -> Result<Device> {
    Ok(Device {
        id: row.get(0),
        person_id: PersonId::parse(row.get(1))?,
        revoked: row.get(2),
        created_at_ms: row.get(3),
    })
}

fn decode_invite(row: &Row) -> Result<Invite> {
    Ok(Invite {
        code_hash: row.get(0),
        person_id: PersonId::parse(row.get(1))?,
        created_by: PersonId::parse(row.get(2))?,
        created_at_ms: row.get(3),
        expires_at_ms: row.get(4),
        used_at_ms: row.get(5),
    })
}

impl Tx for PgTx<'_> {
    fn load(&mut self, kind: &str, id: &str) -> Result<Option<StoredEntity>> {
        if let Some(e) = self
            .pending
            .entities
            .get(&(kind.to_string(), id.to_string()))
        {
            return Ok(Some(e.clone()));
        }
        self.query_opt(
            "SELECT kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq
             FROM entities WHERE kind = $1 AND id = $2",
            &[&kind, &id],
        )?
        .as_ref()
        .map(decode_entity)
        .transpose()
    }

    fn load_many(&mut self, keys: &[(&str, &str)]) -> Result<Vec<StoredEntity>> {
        self.flush()?;
        let kinds: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let ids: Vec<&str> = keys.iter().map(|k| k.1).collect();
        self.query(
            "SELECT e.kind, e.id, e.scope_tier, e.scope_id, e.fields, e.clocks, e.deleted, e.last_seq
             FROM entities e JOIN UNNEST($1::text[], $2::text[]) AS k(kind, id)
             ON e.kind = k.kind AND e.id = k.id",
            &[&kinds, &ids],
        )?
        .iter()
        .map(decode_entity)
        .collect()
    }

    fn entities_of_kind(&mut self, kind: &str) -> Result<Vec<StoredEntity>> {
        self.flush()?;
        self.query(
            "SELECT kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq
             FROM entities WHERE kind = $1 ORDER BY id",
            &[&kind],
        )?
        .iter()
        .map(decode_entity)
        .collect()
    }

    fn entities_with_id_prefix(&mut self, kind: &str, prefix: &str) -> Result<Vec<StoredEntity>> {
        self.flush()?;
        // starts_with, not a range: the database's collation may not order
        // ids byte by byte.
        self.query(
            "SELECT kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq
             FROM entities WHERE kind = $1 AND starts_with(id, $2) ORDER BY id",
            &[&kind, &prefix],
        )?
        .iter()
        .map(decode_entity)
        .collect()
    }

    fn changes_after(
        &mut self,
        scope: &Scope,
        after: i64,
        limit: u32,
    ) -> Result<Vec<LoggedChange>> {
        let (tier, id) = scope_columns(scope);
        let limit = i64::from(limit);
        self.changes(
            "SELECT seq, scope_tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id
             FROM changes WHERE scope_tier = $1 AND scope_id = $2 AND seq > $3
             ORDER BY seq LIMIT $4",
            &[&tier, &id, &after, &limit],
        )
    }

    fn count_after(&mut self, scope: &Scope, after: i64) -> Result<i64> {
        self.flush()?;
        let (tier, id) = scope_columns(scope);
        Ok(self
            .query_one(
                "SELECT count(*) FROM changes WHERE scope_tier = $1 AND scope_id = $2 AND seq > $3",
                &[&tier, &id, &after],
            )?
            .get(0))
    }

    fn changes_of_entity(&mut self, kind: &str, id: &str) -> Result<Vec<LoggedChange>> {
        self.changes(
            "SELECT seq, scope_tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id
             FROM changes WHERE kind = $1 AND entity_id = $2 ORDER BY seq",
            &[&kind, &id],
        )
    }

    fn changes_by_author(&mut self, person: &PersonId) -> Result<Vec<LoggedChange>> {
        self.changes(
            "SELECT seq, scope_tier, scope_id, kind, entity_id, action, fields, hlc, author, op_id
             FROM changes WHERE author = $1 ORDER BY seq",
            &[&person.as_str()],
        )
    }

    fn applied_seq(&mut self, op: &OpId) -> Result<Option<i64>> {
        if let Some(seq) = self.pending.applied.get(op.as_str()) {
            return Ok(Some(*seq));
        }
        Ok(self
            .query_opt(
                "SELECT seq FROM applied_ops WHERE op_id = $1",
                &[&op.as_str()],
            )?
            .map(|r| r.get(0)))
    }

    fn applied_seqs(&mut self, ops: &[&OpId]) -> Result<HashMap<OpId, i64>> {
        self.flush()?;
        let ids: Vec<&str> = ops.iter().map(|o| o.as_str()).collect();
        let mut found = HashMap::new();
        for row in self.query(
            "SELECT op_id, seq FROM applied_ops WHERE op_id = ANY($1)",
            &[&ids],
        )? {
            found.insert(OpId::parse(row.get(0))?, row.get(1));
        }
        Ok(found)
    }

    fn last_seq(&mut self) -> Result<i64> {
        if let Some((_, last)) = self.seq {
            return Ok(last);
        }
        Ok(self
            .query_one("SELECT value FROM seq_counter WHERE id = 1", &[])?
            .get(0))
    }

    fn device_by_token_hash(&mut self, hash: &str) -> Result<Option<Device>> {
        self.query_opt(
            "SELECT id, person_id, revoked, created_at FROM devices WHERE token_hash = $1",
            &[&hash],
        )?
        .as_ref()
        .map(decode_device)
        .transpose()
    }

    fn device(&mut self, id: &str) -> Result<Option<Device>> {
        self.query_opt(
            "SELECT id, person_id, revoked, created_at FROM devices WHERE id = $1",
            &[&id],
        )?
        .as_ref()
        .map(decode_device)
        .transpose()
    }

    fn devices_of(&mut self, person: &PersonId) -> Result<Vec<Device>> {
        self.query(
            "SELECT id, person_id, revoked, created_at FROM devices WHERE person_id = $1
             ORDER BY created_at, id",
            &[&person.as_str()],
        )?
        .iter()
        .map(decode_device)
        .collect()
    }

    fn invites_of(&mut self, person: &PersonId) -> Result<Vec<Invite>> {
        self.query(
            "SELECT code_hash, person_id, created_by, created_at, expires_at, used_at
             FROM invites WHERE person_id = $1 ORDER BY created_at",
            &[&person.as_str()],
        )?
        .iter()
        .map(decode_invite)
        .collect()
    }

    fn push_tokens_of(&mut self, person: &PersonId) -> Result<Vec<PushToken>> {
        Ok(self
            .query(
                "SELECT t.device_id, t.platform, t.token, t.updated_at FROM push_tokens t
                 JOIN devices d ON d.id = t.device_id WHERE d.person_id = $1 ORDER BY t.device_id",
                &[&person.as_str()],
            )?
            .iter()
            .map(|r| PushToken {
                device_id: r.get(0),
                platform: r.get(1),
                token: r.get(2),
                updated_at_ms: r.get(3),
            })
            .collect())
    }

    fn save_entity(&mut self, e: &StoredEntity) -> Result<()> {
        self.pending
            .entities
            .insert((e.kind.clone(), e.id.clone()), e.clone());
        Ok(())
    }

    fn next_seq(&mut self) -> Result<i64> {
        match &mut self.seq {
            Some((_, last)) => {
                *last += 1;
                Ok(*last)
            }
            None => Err(storage_error(
                "a sequence number was asked for outside a write",
            )),
        }
    }

    fn log_change(&mut self, c: &LoggedChange) -> Result<()> {
        self.pending.changes.push(c.clone());
        Ok(())
    }

    fn forget_changes(&mut self, kind: &str, id: &str, scope: Option<&Scope>) -> Result<()> {
        self.flush()?;
        match scope {
            Some(scope) => {
                let (tier, scope_id) = scope_columns(scope);
                self.execute(
                    "DELETE FROM changes WHERE kind = $1 AND entity_id = $2
                     AND scope_tier = $3 AND scope_id = $4",
                    &[&kind, &id, &tier, &scope_id],
                )?;
            }
            None => {
                self.execute(
                    "DELETE FROM changes WHERE kind = $1 AND entity_id = $2",
                    &[&kind, &id],
                )?;
            }
        }
        Ok(())
    }

    fn tombstones_deleted_before(&mut self, before_ms: i64) -> Result<Vec<StoredEntity>> {
        self.flush()?;
        self.query(
            "SELECT kind, id, scope_tier, scope_id, fields, clocks, deleted, last_seq
             FROM entities
             WHERE deleted AND coalesce((fields->>'deleted_at')::bigint, 0) < $1
             ORDER BY kind, id",
            &[&before_ms],
        )?
        .iter()
        .map(decode_entity)
        .collect()
    }

    fn remove_entity(&mut self, kind: &str, id: &str) -> Result<()> {
        self.flush()?;
        self.execute(
            "DELETE FROM entities WHERE kind = $1 AND id = $2",
            &[&kind, &id],
        )?;
        Ok(())
    }

    fn horizon(&mut self, scope: &Scope) -> Result<Horizon> {
        let (tier, id) = scope_columns(scope);
        Ok(self
            .query(
                "SELECT seq, epoch FROM horizons WHERE scope_tier = $1 AND scope_id = $2",
                &[&tier, &id],
            )?
            .first()
            .map_or_else(Horizon::default, |r| Horizon {
                seq: r.get(0),
                epoch: r.get(1),
            }))
    }

    fn raise_horizon(&mut self, scope: &Scope, seq: i64) -> Result<()> {
        let (tier, id) = scope_columns(scope);
        self.execute(
            "INSERT INTO horizons (scope_tier, scope_id, seq, epoch) VALUES ($1, $2, $3, 1)
             ON CONFLICT (scope_tier, scope_id) DO UPDATE
             SET seq = greatest(horizons.seq, excluded.seq), epoch = horizons.epoch + 1",
            &[&tier, &id, &seq],
        )?;
        Ok(())
    }

    fn anonymise_author(&mut self, person: &PersonId) -> Result<u64> {
        self.flush()?;
        self.execute(
            "UPDATE changes SET author = NULL WHERE author = $1",
            &[&person.as_str()],
        )
    }

    fn record_applied(&mut self, op: &OpId, seq: i64) -> Result<()> {
        self.pending.applied.insert(op.to_string(), seq);
        Ok(())
    }

    fn insert_invite(&mut self, i: &Invite) -> Result<()> {
        self.execute(
            "INSERT INTO invites (code_hash, person_id, created_by, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &i.code_hash,
                &i.person_id.as_str(),
                &i.created_by.as_str(),
                &i.created_at_ms,
                &i.expires_at_ms,
                &i.used_at_ms,
            ],
        )?;
        Ok(())
    }

    fn use_invite(&mut self, code_hash: &str, now_ms: i64) -> Result<Option<Invite>> {
        self.query_opt(
            "UPDATE invites SET used_at = $2
             WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING code_hash, person_id, created_by, created_at, expires_at, used_at",
            &[&code_hash, &now_ms],
        )?
        .as_ref()
        .map(decode_invite)
        .transpose()
    }

    fn insert_device(&mut self, d: &Device, token_hash: &str) -> Result<()> {
        self.execute(
            "INSERT INTO devices (id, person_id, token_hash, revoked, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &d.id,
                &d.person_id.as_str(),
                &token_hash,
                &d.revoked,
                &d.created_at_ms,
            ],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, id: &str) -> Result<bool> {
        let n = self.execute("UPDATE devices SET revoked = TRUE WHERE id = $1", &[&id])?;
        self.execute("DELETE FROM push_tokens WHERE device_id = $1", &[&id])?;
        Ok(n > 0)
    }

    fn save_push_token(&mut self, t: &PushToken) -> Result<()> {
        self.execute(
            "INSERT INTO push_tokens (device_id, platform, token, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device_id) DO UPDATE SET platform = excluded.platform,
             token = excluded.token, updated_at = excluded.updated_at",
            &[&t.device_id, &t.platform, &t.token, &t.updated_at_ms],
        )?;
        Ok(())
    }

    fn forget_person_access(&mut self, person: &PersonId) -> Result<()> {
        let p = person.as_str();
        self.execute(
            "DELETE FROM push_tokens WHERE device_id IN (SELECT id FROM devices WHERE person_id = $1)",
            &[&p],
        )?;
        self.execute("DELETE FROM devices WHERE person_id = $1", &[&p])?;
        self.execute("DELETE FROM invites WHERE person_id = $1", &[&p])?;
        Ok(())
    }
}
