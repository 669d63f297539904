//! The offline store: one SQLite file in WAL mode, with a writer connection
//! whose every write is one transaction (the change and its outbox entry
//! together, or neither) and a reader connection for screens.

pub mod outbox;
pub mod owner;
pub mod record;
pub mod schema;

use crate::error::{Error, Result};
use crate::hlc::{Hlc, HlcClock};
use crate::ids::{PersonId, ProjectId};
use crate::projects::Membership;
use crate::rules::{self, Entity, Facts, Scope};
use crate::time::Timestamp;
use equally_rules::Result as RuleResult;
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

/// Unlocks an encrypted database. The key is 32 random bytes as 64 hex
/// digits, made and kept by the shell; a raw key skips SQLCipher's slow
/// passphrase derivation on every open.
fn unlock(conn: &Connection, key_hex: Option<&str>) -> Result<()> {
    let Some(key) = key_hex else { return Ok(()) };
    if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "encryption_key",
            "must be 64 hexadecimal digits",
        ));
    }
    if !cfg!(any(feature = "encryption", feature = "encryption-vendored")) {
        return Err(Error::invalid(
            "encryption_key",
            "cannot be used: this build has no encryption",
        ));
    }
    // Safe to format: the key is checked to be hex digits only.
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|_| Error::invalid("encryption_key", "does not open this database"))
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "foreign_keys", false)?;
    // An 8 MiB page cache per connection: a screen touches pages spread
    // through the file as every table grows side by side, and SQLite's
    // 2 MiB default makes `home()` slow down as the outbox and logs grow.
    conn.pragma_update(None, "cache_size", -8192)?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path, key_hex: Option<&str>) -> Result<Store> {
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
        unlock(&writer, key_hex)?;
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
        unlock(&reader, key_hex)?;
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

    /// This handle's clock, moved past the newest stamp any other handle on
    /// the same file has committed (a background sync's, say). Read inside
    /// the write transaction, which holds the file's write lock, so no
    /// other handle can commit a newer stamp before this one does: two
    /// handles never stamp backwards or alike.
    fn clock_after_others(&self, tx: &rusqlite::Transaction<'_>) -> Result<HlcClock> {
        let mut clock = self.clock.lock().clone();
        let stored: Option<String> = tx
            .prepare_cached("SELECT value FROM meta WHERE key = 'hlc'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        if let Some(stored) = stored.and_then(|s| s.parse::<Hlc>().ok())
            && stored > clock.last()
        {
            clock = HlcClock::resume(clock.last().node, stored);
        }
        Ok(clock)
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
        owner::check_author(&tx, author)?;
        let mut clock = self.clock_after_others(&tx)?;
        let mut writer = Writer {
            tx: &tx,
            author: author.clone(),
            now,
            clock: &mut clock,
            next_stamp: None,
            changed: Vec::new(),
            memberships_seen: Default::default(),
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
        let mut clock = self.clock_after_others(&tx)?;
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
        record::select(self.conn, &info, clause, params, decode)
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

fn facts_memberships(conn: &Connection, project: &ProjectId) -> Result<Option<Vec<Membership>>> {
    let info = record::table_info(conn, Membership::TABLE)?;
    record::select(
        conn,
        &info,
        "WHERE project_id = ?1 ORDER BY person_id",
        [project.as_str()],
        decode,
    )
    .map(Some)
}

fn facts_supports(conn: &Connection, staff: &PersonId, person: &PersonId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM support_links WHERE staff_id = ?1 AND person_id = ?2 AND active = 1",
        )?
        .exists([staff.as_str(), person.as_str()])?)
}

impl Facts for Reader<'_> {
    fn load(&self, kind: &str, id: &str) -> RuleResult<Option<Map<String, Value>>> {
        Ok(facts_load(self.conn, kind, id)?)
    }
    fn membership(&self, project: &ProjectId, person: &PersonId) -> RuleResult<Option<Membership>> {
        Ok(facts_membership(self.conn, project, person)?)
    }
    fn supports(&self, staff: &PersonId, person: &PersonId) -> RuleResult<bool> {
        Ok(facts_supports(self.conn, staff, person)?)
    }
    fn memberships(&self, project: &ProjectId) -> RuleResult<Option<Vec<Membership>>> {
        Ok(facts_memberships(self.conn, project)?)
    }
}

/// The newest stamp a stored row carries (its creation or any field's).
fn newest_stamp(stored: &Option<(String, Map<String, Value>)>) -> Hlc {
    stored
        .iter()
        .flat_map(|(created, clocks)| {
            std::iter::once(created.as_str())
                .chain(clocks.values().filter_map(Value::as_str))
                .filter_map(|s| s.parse::<Hlc>().ok())
        })
        .max()
        .unwrap_or(Hlc::ZERO)
}

/// Write access inside one transaction, acting for one author.
pub struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    author: PersonId,
    now: Timestamp,
    clock: &'a mut HlcClock,
    /// A stamp handed out by `stamp_next_change`, waiting for its change.
    next_stamp: Option<Hlc>,
    changed: Vec<Changed>,
    /// Memberships looked up in this transaction: a batch of changes to one
    /// project asks the same question for every row. Emptied whenever a
    /// membership is written.
    memberships_seen: std::cell::RefCell<std::collections::HashMap<String, Option<Membership>>>,
}

impl Facts for Writer<'_> {
    fn load(&self, kind: &str, id: &str) -> RuleResult<Option<Map<String, Value>>> {
        Ok(facts_load(self.tx, kind, id)?)
    }
    fn membership(&self, project: &ProjectId, person: &PersonId) -> RuleResult<Option<Membership>> {
        let key = Membership::id_for(project, person);
        if let Some(found) = self.memberships_seen.borrow().get(&key) {
            return Ok(found.clone());
        }
        let found = facts_membership(self.tx, project, person)?;
        self.memberships_seen
            .borrow_mut()
            .insert(key, found.clone());
        Ok(found)
    }
    fn supports(&self, staff: &PersonId, person: &PersonId) -> RuleResult<bool> {
        Ok(facts_supports(self.tx, staff, person)?)
    }
    fn memberships(&self, project: &ProjectId) -> RuleResult<Option<Vec<Membership>>> {
        Ok(facts_memberships(self.tx, project)?)
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
        record::select(self.tx, &info, clause, params, decode)
    }
    pub fn conn(&self) -> &Connection {
        self.tx
    }

    /// The clock stamp the next change in this transaction will carry, for a
    /// record that must hold its own stamp (a vote's `cast_at`): the record,
    /// its row clocks and its outbox op then agree, and a rule checking the
    /// record sees the stamp sync will carry. Asking twice before the change
    /// gives the same stamp.
    pub fn stamp_next_change(&mut self) -> Hlc {
        let now = self.now.millis().max(0) as u64;
        *self.next_stamp.get_or_insert_with(|| self.clock.tick(now))
    }

    /// The stamp for the change being written: the one handed out by
    /// `stamp_next_change`, or a fresh one later than `floor` (the newest
    /// stamp already on the row), so a local edit always follows what it
    /// replaces even when this device's clock runs behind.
    fn take_stamp(&mut self, floor: Hlc) -> Hlc {
        match self.next_stamp.take() {
            Some(stamp) => stamp,
            None => self
                .clock
                .tick_after(self.now.millis().max(0) as u64, floor),
        }
    }

    /// Saves `entity` as this writer's author, after the shared rules pass,
    /// and records the changed fields in the outbox. Saving an unchanged
    /// entity writes nothing.
    pub fn put<E: Entity>(&mut self, entity: &E) -> Result<()> {
        let fields = rules::encode(entity)?;
        let checked = rules::check_entity(entity, &fields, &self.author, self.facts())?;
        if checked.changed.is_empty() {
            return Ok(());
        }
        let info = record::table_info(self.tx, E::TABLE)?;
        // A new entity has no row, so no clocks to read.
        let stored = match checked.before {
            Some(_) => record::load_clocks(self.tx, &info, entity.id())?,
            None => None,
        };
        let hlc = self.take_stamp(newest_stamp(&stored));
        if E::KIND == Membership::KIND {
            self.memberships_seen.borrow_mut().clear();
        }
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
        let stored = record::load_clocks(self.tx, &info, id)?;
        let hlc = self.take_stamp(newest_stamp(&stored));
        if E::KIND == Membership::KIND {
            self.memberships_seen.borrow_mut().clear();
        }
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

/// A stored record as an entity, with the rules' decoding.
fn decode<E: Entity>(fields: Map<String, Value>) -> Result<E> {
    Ok(rules::decode(fields)?)
}

#[cfg(test)]
mod tests {
    use crate::ids::ProjectId;
    use crate::projects::{JoinPolicy, NewProject};
    use crate::testkit::world;
    use crate::text::Text;
    use crate::updates::Update;

    #[test]
    fn a_stamp_asked_for_ahead_is_the_one_the_change_carries() {
        let w = world();
        let project: ProjectId = w
            .app
            .start_project(
                &w.sam.id,
                NewProject {
                    title: Text::new("en-GB", "Garden"),
                    purpose: Text::new("en-GB", "Grow food"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![],
                },
            )
            .unwrap()
            .id;
        let stamp = w
            .app
            .write(&w.sam.id, |wr| {
                let stamp = wr.stamp_next_change();
                assert_eq!(
                    wr.stamp_next_change(),
                    stamp,
                    "asking twice gives one stamp"
                );
                wr.put(&Update {
                    id: crate::ids::UpdateId::new(),
                    project_id: project.clone(),
                    author_id: w.sam.id.clone(),
                    body: Text::new("en-GB", "Seeds arrived"),
                    posted_at: wr.now(),
                })?;
                Ok(stamp)
            })
            .unwrap();
        let ops = w.app.pending_ops(100).unwrap();
        let last = ops.last().unwrap();
        assert_eq!(last.entity, "update");
        assert_eq!(last.hlc, stamp);
        assert!(ops[..ops.len() - 1].iter().all(|op| op.hlc < stamp));
    }

    #[test]
    fn two_handles_on_one_file_never_stamp_backwards() {
        // The screen's handle and a background sync's handle on one phone,
        // with a fixed wall clock so only the stamps' counters can order
        // their changes.
        let w = world();
        let second = crate::Equally::open_with_time(
            crate::Config {
                database_path: w.app.store().path().to_path_buf(),
            },
            w.clock.clone(),
        )
        .unwrap();
        let offer = |app: &crate::Equally, what: &str| {
            app.make_offer(
                &w.sam.id,
                crate::offers::NewOffer {
                    project_id: None,
                    kind: crate::offers::OfferKind::Skill,
                    description: Text::new("en-GB", what),
                    how_much: None,
                    availability: None,
                    tags: vec![],
                },
            )
            .unwrap()
        };
        for i in 0..5 {
            offer(&w.app, &format!("screen {i}"));
            offer(&second, &format!("worker {i}"));
        }
        let ops = w.app.pending_ops(1000).unwrap();
        for pair in ops.windows(2) {
            assert!(
                pair[0].hlc < pair[1].hlc,
                "{:?} then {:?}",
                pair[0].hlc,
                pair[1].hlc
            );
        }
    }
}
