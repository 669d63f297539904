//! Where the server keeps everything: one trait, [`Storage`], with an
//! embedded SQLite implementation (the default) and a PostgreSQL one (several
//! server instances on one database). Push, pull and the admin commands are
//! written once against [`Tx`]; only SQL lives in the implementations.

mod pool;
pub mod postgres;
pub mod sqlite;

use equally_rules::entity::Scope;
use equally_rules::error::{Error, Result};
use equally_rules::hlc::Hlc;
use equally_rules::ids::{OpId, PersonId};
use equally_rules::wire::ChangeAction;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// An entity as the server holds it. A deleted one keeps its scope (so its
/// tombstone can be routed) but not its fields.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEntity {
    pub kind: String,
    pub id: String,
    pub scope: Scope,
    pub fields: Map<String, Value>,
    /// The stamp of the last change to each field, as clock text.
    pub clocks: Map<String, Value>,
    pub deleted: bool,
    /// The sequence number of the last change to it.
    pub last_seq: i64,
}

/// Where compaction has dropped deletes from one scope's log: the highest
/// sequence number dropped, and how many compactions have moved it. A
/// device whose cursor is below `seq` and from an earlier epoch may have
/// missed a delete, and must start the scope again. Both 0 when none has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Horizon {
    pub seq: i64,
    pub epoch: i64,
}

/// One row of the change log: an applied change as one scope sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedChange {
    pub seq: i64,
    pub scope: Scope,
    pub kind: String,
    pub entity_id: String,
    pub action: ChangeAction,
    pub fields: Map<String, Value>,
    pub hlc: Hlc,
    /// `None` once its author has been erased.
    pub author: Option<PersonId>,
    /// `None` for changes the server made itself (an erasure).
    pub op_id: Option<OpId>,
}

/// A phone (or other client) allowed to sync as one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: String,
    pub person_id: PersonId,
    pub revoked: bool,
    pub created_at_ms: i64,
}

/// A single-use code that lets one person set up one device. Only the hash
/// of the code is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invite {
    pub code_hash: String,
    pub person_id: PersonId,
    pub created_by: PersonId,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PushToken {
    pub device_id: String,
    pub platform: String,
    pub token: String,
    pub updated_at_ms: i64,
}

/// One transaction. Reads see the transaction's own earlier writes, so the
/// rules checking an op see every op before it in the same batch.
pub trait Tx {
    fn load(&mut self, kind: &str, id: &str) -> Result<Option<StoredEntity>>;
    /// Several entities by (kind, id), in one query where the database
    /// allows; those not stored are simply absent.
    fn load_many(&mut self, keys: &[(&str, &str)]) -> Result<Vec<StoredEntity>> {
        let mut found = Vec::new();
        for (kind, id) in keys {
            found.extend(self.load(kind, id)?);
        }
        Ok(found)
    }
    fn entities_of_kind(&mut self, kind: &str) -> Result<Vec<StoredEntity>>;
    /// The entities of `kind` whose id starts with `prefix`, tombstones
    /// included, by id: every membership of a project is
    /// `("membership", "<project>:")`. Reads the primary key's order.
    fn entities_with_id_prefix(&mut self, kind: &str, prefix: &str) -> Result<Vec<StoredEntity>>;
    /// The changes in `scope` with a sequence number above `after`, oldest
    /// first, at most `limit`.
    fn changes_after(&mut self, scope: &Scope, after: i64, limit: u32)
    -> Result<Vec<LoggedChange>>;
    fn count_after(&mut self, scope: &Scope, after: i64) -> Result<i64>;
    fn changes_of_entity(&mut self, kind: &str, id: &str) -> Result<Vec<LoggedChange>>;
    fn changes_by_author(&mut self, person: &PersonId) -> Result<Vec<LoggedChange>>;
    /// The sequence number an already applied op was answered with.
    fn applied_seq(&mut self, op: &OpId) -> Result<Option<i64>>;
    /// The same for a whole batch, in one query where the database allows.
    fn applied_seqs(&mut self, ops: &[&OpId]) -> Result<HashMap<OpId, i64>> {
        let mut found = HashMap::new();
        for op in ops {
            if let Some(seq) = self.applied_seq(op)? {
                found.insert((*op).clone(), seq);
            }
        }
        Ok(found)
    }
    /// The highest sequence number ever given out.
    fn last_seq(&mut self) -> Result<i64>;
    fn device_by_token_hash(&mut self, hash: &str) -> Result<Option<Device>>;
    fn device(&mut self, id: &str) -> Result<Option<Device>>;
    fn devices_of(&mut self, person: &PersonId) -> Result<Vec<Device>>;
    fn invites_of(&mut self, person: &PersonId) -> Result<Vec<Invite>>;
    fn push_tokens_of(&mut self, person: &PersonId) -> Result<Vec<PushToken>>;

    // Writes: only inside `Storage::write`.
    fn save_entity(&mut self, entity: &StoredEntity) -> Result<()>;
    /// The next sequence number. Numbers are given out under the write lock
    /// and committed with the changes that use them, so none is skipped.
    fn next_seq(&mut self) -> Result<i64>;
    fn log_change(&mut self, change: &LoggedChange) -> Result<()>;
    /// Removes an entity's earlier changes from the log of `scope` (every
    /// scope when `None`): used when it leaves a scope, is deleted or is
    /// erased, so that what a scope can no longer see is not kept there.
    fn forget_changes(&mut self, kind: &str, id: &str, scope: Option<&Scope>) -> Result<()>;
    /// Tombstones whose entity was deleted before `before_ms` (by the
    /// server's clock; a tombstone from before that was recorded counts as
    /// older than any window).
    fn tombstones_deleted_before(&mut self, before_ms: i64) -> Result<Vec<StoredEntity>>;
    /// Removes an entity row outright (a tombstone past its window).
    fn remove_entity(&mut self, kind: &str, id: &str) -> Result<()>;
    /// Where compaction has dropped deletes from `scope`'s log.
    fn horizon(&mut self, scope: &Scope) -> Result<Horizon>;
    /// Raises `scope`'s horizon to `seq` (never lowers it) and starts a new
    /// epoch: once per compaction run that drops something from the scope.
    fn raise_horizon(&mut self, scope: &Scope, seq: i64) -> Result<()>;
    /// Replaces a person's id as author in the change log with nothing.
    fn anonymise_author(&mut self, person: &PersonId) -> Result<u64>;
    fn record_applied(&mut self, op: &OpId, seq: i64) -> Result<()>;
    fn insert_invite(&mut self, invite: &Invite) -> Result<()>;
    /// Marks an unused, unexpired invite used and returns it.
    fn use_invite(&mut self, code_hash: &str, now_ms: i64) -> Result<Option<Invite>>;
    fn insert_device(&mut self, device: &Device, token_hash: &str) -> Result<()>;
    fn revoke_device(&mut self, id: &str) -> Result<bool>;
    fn save_push_token(&mut self, token: &PushToken) -> Result<()>;
    /// Removes a person's devices, invites and push tokens.
    fn forget_person_access(&mut self, person: &PersonId) -> Result<()>;
}

/// A database the server can run on.
pub trait Storage: Send + Sync {
    /// Runs `work` in one write transaction, serialised with every other
    /// writer (on every server instance), and commits when it returns `Ok`.
    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>;
    /// Runs `work` in one read transaction: one consistent moment.
    fn read(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>;
    /// `"sqlite"` or `"postgres"`, for logs and metrics.
    fn backend(&self) -> &'static str;
}

impl dyn Storage + '_ {
    pub fn write_with<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.write(&mut |tx| {
            let f = f.take().ok_or_else(|| storage_error("a write ran twice"))?;
            out = Some(f(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| storage_error("a write returned nothing"))
    }

    pub fn read_with<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.read(&mut |tx| {
            let f = f.take().ok_or_else(|| storage_error("a read ran twice"))?;
            out = Some(f(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| storage_error("a read returned nothing"))
    }
}

/// Opens the database named by `url`: `sqlite:PATH` (or a bare path) or
/// `postgres://…`, creating or upgrading its schema.
pub fn open(url: &str) -> Result<Arc<dyn Storage>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStorage::open(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        let path = path.strip_prefix("sqlite:").unwrap_or(path);
        Ok(Arc::new(sqlite::SqliteStorage::open(
            std::path::Path::new(path),
        )?))
    }
}

pub(crate) fn storage_error(detail: impl Into<String>) -> Error {
    Error::Storage {
        detail: detail.into(),
    }
}

/// A scope as two columns: its tier and the id it names ("" for the
/// organisation), so the change log can be indexed by scope.
pub fn scope_columns(scope: &Scope) -> (&'static str, &str) {
    match scope {
        Scope::Organisation => ("organisation", ""),
        Scope::Project(p) => ("project", p.as_str()),
        Scope::Personal(p) => ("personal", p.as_str()),
    }
}

pub fn scope_from_columns(tier: &str, id: &str) -> Result<Scope> {
    Ok(match tier {
        "organisation" => Scope::Organisation,
        "project" => Scope::Project(equally_rules::ids::ProjectId::parse(id)?),
        "personal" => Scope::Personal(PersonId::parse(id)?),
        _ => return Err(storage_error("a stored scope is unreadable")),
    })
}

pub fn action_text(action: ChangeAction) -> &'static str {
    match action {
        ChangeAction::Create => "create",
        ChangeAction::Update => "update",
        ChangeAction::Delete => "delete",
        ChangeAction::Evict => "evict",
    }
}

pub fn action_from_text(text: &str) -> Result<ChangeAction> {
    Ok(match text {
        "create" => ChangeAction::Create,
        "update" => ChangeAction::Update,
        "delete" => ChangeAction::Delete,
        "evict" => ChangeAction::Evict,
        _ => return Err(storage_error("a stored change is unreadable")),
    })
}

pub fn parse_hlc(text: &str) -> Result<Hlc> {
    text.parse()
        .map_err(|_| storage_error("a stored clock stamp is unreadable"))
}

pub fn json_map(text: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(storage_error("a stored record is unreadable")),
    }
}
