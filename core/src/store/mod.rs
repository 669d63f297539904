//! The offline store: one SQLite file in WAL mode, with a writer connection
//! whose every write is one transaction (the change and its outbox entry
//! together, or neither) and a reader connection for screens.

pub mod outbox;
pub mod record;
pub mod schema;

use crate::error::{Error, Result};
use crate::hlc::{Hlc, HlcClock};
use crate::ids::{PersonId, ProjectId};
use crate::projects::Membership;
use crate::rules::{self, Entity, Facts, Scope};
use crate::time::Timestamp;
use parking_lot::Mutex;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub use outbox::{Op, OpAction};

/// A change a screen may care about: which entity, and the project it is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Changed {
    pub entity: &'static str,
    pub id: String,
    pub project_id: Option<String>,
}

pub struct Store {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    clock: Mutex<HlcClock>,
    interrupt: rusqlite::InterruptHandle,
    path: PathBuf,
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "foreign_keys", false)?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            return Err(Error::invalid(
                "database_path",
                "is in a folder that does not exist",
            ));
        }
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        // In WAL mode NORMAL still survives an app crash; only a power cut can
        // lose the very last commits, which sync would then resend.
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        schema::upgrade(&mut writer)?;
        let node = Self::node_id(&writer)?;
        let last: Option<String> = writer
            .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
            .optional()?;
        let last = last
            .and_then(|s| s.parse::<Hlc>().ok())
            .unwrap_or(Hlc::ZERO);
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        configure(&reader)?;
        let interrupt = writer.get_interrupt_handle();
        Ok(Store {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            clock: Mutex::new(HlcClock::resume(node, last)),
            interrupt,
            path: path.to_path_buf(),
        })
    }

    fn node_id(conn: &Connection) -> Result<u32> {
        let found: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'node'", [], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(n) = found.and_then(|s| s.parse().ok()) {
            return Ok(n);
        }
        let node = (uuid::Uuid::now_v7().as_u128() & 0xffff_ffff) as u32;
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('node', ?1)",
            [node.to_string()],
        )?;
        Ok(node)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops a long query on another thread (used at shutdown).
    pub fn interrupt(&self) {
        self.interrupt.interrupt();
    }

    /// Runs `f` in one write transaction: everything it writes, and every
    /// outbox entry, commits together or not at all.
    pub fn write<T>(
        &self,
        author: &PersonId,
        now: Timestamp,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(T, Vec<Changed>)> {
        let mut conn = self.writer.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut clock = self.clock.lock().clone();
        let mut writer = Writer {
            tx: &tx,
            author: author.clone(),
            now,
            clock: &mut clock,
            changed: Vec::new(),
        };
        let value = f(&mut writer)?;
        let changed = std::mem::take(&mut writer.changed);
        if !changed.is_empty() {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?1)",
                [clock.last().to_string()],
            )?;
        }
        tx.commit()?;
        // Only a committed write moves the clock on.
        *self.clock.lock() = clock;
        Ok((value, changed))
    }

    /// Runs `f` in one write transaction for the sync engine, which applies
    /// what the server already checked: no author, no rules, no outbox. The
    /// clock is handed over so every pulled stamp moves it on, and it is
    /// kept only if the transaction commits.
    pub(crate) fn sync_write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &mut HlcClock) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.writer.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut clock = self.clock.lock().clone();
        let before = clock.last();
        let value = f(&tx, &mut clock)?;
        if clock.last() != before {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?1)",
                [clock.last().to_string()],
            )?;
        }
        tx.commit()?;
        *self.clock.lock() = clock;
        Ok(value)
    }

    /// Runs `f` on the reader connection inside one read transaction, so a
    /// screen sees a single consistent moment.
    pub fn read<T>(&self, f: impl FnOnce(&Reader<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.reader.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&Reader { conn: &tx })?;
        tx.finish()?;
        Ok(out)
    }

    /// Row counts of every table: used by tests proving a refused change
    /// left everything as it was.
    pub fn fingerprint(&self) -> Result<Vec<(String, i64, String)>> {
        self.read(|r| {
            let tables: Vec<String> = r
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::new();
            for t in tables {
                let columns: Vec<String> = r
                    .conn
                    .prepare(&format!("PRAGMA table_info({t})"))?
                    .query_map([], |row| row.get(1))?
                    .collect::<rusqlite::Result<_>>()?;
                let (count, digest): (i64, Option<String>) = r.conn.query_row(
                    &format!(
                        "SELECT count(*), group_concat(json_array({}), '|') FROM (SELECT * FROM {t} ORDER BY rowid)",
                        columns.join(", ")
                    ),
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                out.push((t, count, digest.unwrap_or_default()));
            }
            Ok(out)
        })
    }
}

/// Read access for screens and rules.
pub struct Reader<'a> {
    pub(crate) conn: &'a Connection,
}

impl Reader<'_> {
    pub fn get<E: Entity>(&self, id: &str) -> Result<Option<E>> {
        get(self.conn, id)
    }
    pub fn require<E: Entity>(&self, id: &str) -> Result<E> {
        self.get(id)?.ok_or_else(|| Error::not_found(E::KIND, id))
    }
    /// Entities of one kind matching a clause written in this crate.
    pub fn select<E: Entity>(&self, clause: &str, params: impl rusqlite::Params) -> Result<Vec<E>> {
        let info = record::table_info(self.conn, E::TABLE)?;
        record::select(self.conn, &info, clause, params, rules::decode)
    }
    pub fn facts(&self) -> &dyn Facts {
        self
    }
    pub fn conn(&self) -> &Connection {
        self.conn
    }
}

fn get<E: Entity>(conn: &Connection, id: &str) -> Result<Option<E>> {
    let info = record::table_info(conn, E::TABLE)?;
    match record::load_fields(conn, &info, id)? {
        Some(fields) => Ok(Some(rules::decode(fields)?)),
        None => Ok(None),
    }
}

fn table_for_kind(kind: &str) -> Option<&'static str> {
    crate::registry::table_for_kind(kind)
}

fn facts_load(conn: &Connection, kind: &str, id: &str) -> Result<Option<Map<String, Value>>> {
    let table = table_for_kind(kind)
        .ok_or_else(|| Error::invalid("entity", format!("“{kind}” is not a kind of record")))?;
    let info = record::table_info(conn, table)?;
    record::load_fields(conn, &info, id)
}

fn facts_membership(
    conn: &Connection,
    project: &ProjectId,
    person: &PersonId,
) -> Result<Option<Membership>> {
    get(conn, &Membership::id_for(project, person))
}

fn facts_supports(conn: &Connection, staff: &PersonId, person: &PersonId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM support_links WHERE staff_id = ?1 AND person_id = ?2 AND active = 1",
        )?
        .exists([staff.as_str(), person.as_str()])?)
}

impl Facts for Reader<'_> {
    fn load(&self, kind: &str, id: &str) -> Result<Option<Map<String, Value>>> {
        facts_load(self.conn, kind, id)
    }
    fn membership(&self, project: &ProjectId, person: &PersonId) -> Result<Option<Membership>> {
        facts_membership(self.conn, project, person)
    }
    fn supports(&self, staff: &PersonId, person: &PersonId) -> Result<bool> {
        facts_supports(self.conn, staff, person)
    }
}

/// Write access inside one transaction, acting for one author.
pub struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    author: PersonId,
    now: Timestamp,
    clock: &'a mut HlcClock,
    changed: Vec<Changed>,
}

impl Facts for Writer<'_> {
    fn load(&self, kind: &str, id: &str) -> Result<Option<Map<String, Value>>> {
        facts_load(self.tx, kind, id)
    }
    fn membership(&self, project: &ProjectId, person: &PersonId) -> Result<Option<Membership>> {
        facts_membership(self.tx, project, person)
    }
    fn supports(&self, staff: &PersonId, person: &PersonId) -> Result<bool> {
        facts_supports(self.tx, staff, person)
    }
}

impl Writer<'_> {
    pub fn now(&self) -> Timestamp {
        self.now
    }
    pub fn author(&self) -> &PersonId {
        &self.author
    }
    pub fn facts(&self) -> &dyn Facts {
        self
    }
    pub fn get<E: Entity>(&self, id: &str) -> Result<Option<E>> {
        get(self.tx, id)
    }
    pub fn require<E: Entity>(&self, id: &str) -> Result<E> {
        self.get(id)?.ok_or_else(|| Error::not_found(E::KIND, id))
    }
    pub fn select<E: Entity>(&self, clause: &str, params: impl rusqlite::Params) -> Result<Vec<E>> {
        let info = record::table_info(self.tx, E::TABLE)?;
        record::select(self.tx, &info, clause, params, rules::decode)
    }
    pub fn conn(&self) -> &Connection {
        self.tx
    }

    /// Saves `entity` as this writer's author, after the shared rules pass,
    /// and records the changed fields in the outbox. Saving an unchanged
    /// entity writes nothing.
    pub fn put<E: Entity>(&mut self, entity: &E) -> Result<()> {
        let fields = rules::encode(entity)?;
        let checked = rules::check_change::<E>(entity.id(), &fields, &self.author, self.facts())?;
        if checked.changed.is_empty() {
            return Ok(());
        }
        let info = record::table_info(self.tx, E::TABLE)?;
        let stored = record::load_clocks(self.tx, &info, entity.id())?;
        let newest_stored = stored.iter().flat_map(|(created, clocks)| {
            std::iter::once(created.as_str())
                .chain(clocks.values().filter_map(Value::as_str))
                .filter_map(|s| s.parse::<Hlc>().ok())
        });
        let floor = newest_stored.max().unwrap_or(Hlc::ZERO);
        let hlc = self
            .clock
            .tick_after(self.now.millis().max(0) as u64, floor);
        let stamp = hlc.to_string();
        let (created, mut clocks) = match stored {
            Some((created, clocks)) => (created, clocks),
            None => (stamp.clone(), Map::new()),
        };
        let action = if checked.before.is_some() {
            for name in checked.changed.keys() {
                clocks.insert(name.clone(), Value::String(stamp.clone()));
            }
            OpAction::Update
        } else {
            OpAction::Create
        };
        record::upsert(self.tx, &info, &fields, &created, &clocks)?;
        outbox::append(
            self.tx,
            &Op {
                op_id: crate::ids::OpId::new(),
                entity: E::KIND.to_string(),
                entity_id: entity.id().to_string(),
                action,
                fields: checked.changed,
                hlc,
                author: self.author.clone(),
            },
        )?;
        self.note_change::<E>(entity.id(), &entity.scope());
        Ok(())
    }

    /// Deletes an entity, leaving a tombstone so the delete wins over any
    /// edit still travelling from another device.
    pub fn delete<E: Entity>(&mut self, id: &str) -> Result<()> {
        let entity: E = rules::check_delete(id, &self.author, self.facts())?;
        let info = record::table_info(self.tx, E::TABLE)?;
        let hlc = self.clock.tick(self.now.millis().max(0) as u64);
        record::delete(self.tx, &info, id)?;
        self.tx.execute(
            "INSERT OR REPLACE INTO tombstones (entity, entity_id, hlc) VALUES (?1, ?2, ?3)",
            [E::KIND, id, &hlc.to_string()],
        )?;
        outbox::append(
            self.tx,
            &Op {
                op_id: crate::ids::OpId::new(),
                entity: E::KIND.to_string(),
                entity_id: id.to_string(),
                action: OpAction::Delete,
                fields: Map::new(),
                hlc,
                author: self.author.clone(),
            },
        )?;
        self.note_change::<E>(id, &entity.scope());
        Ok(())
    }

    fn note_change<E: Entity>(&mut self, id: &str, scope: &Scope) {
        let project_id = match scope {
            Scope::Project(p) => Some(p.to_string()),
            _ => None,
        };
        self.changed.push(Changed {
            entity: E::KIND,
            id: id.to_string(),
            project_id,
        });
    }
}
