//! Applies what the server sends to the device database: a pulled page with
//! its cursor, the answers to a push (reverting rejected changes), and the
//! purge of scopes the device may no longer read. No rules and no outbox.

use crate::error::Result;
use crate::hlc::{Hlc, HlcClock};
use crate::registry;
use crate::rules::Scope;
use crate::store::outbox;
use crate::store::record::{self, TableInfo};
use crate::store::{Changed, Op, OpAction};
use crate::sync::state::{self, RejectedOp};
use crate::sync::wire::{Change, ChangeAction, EntityState, OpResult, PullResponse};
use crate::time::Timestamp;
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// What applying a page or a push answer did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// Entities whose local rows changed, for the change listeners.
    pub changed: Vec<Changed>,
    /// Pulled changes refused as unreadable (an unknown kind, a malformed
    /// entity); their ids and codes are logged.
    pub refused: usize,
    pub ops_applied: usize,
    pub ops_rejected: usize,
}

/// A stored row with its clock columns.
struct Row {
    fields: Map<String, Value>,
    created: Hlc,
    clocks: Map<String, Value>,
}

impl Row {
    fn stamp(&self, field: &str) -> Hlc {
        field_stamp(&self.clocks, self.created, field)
    }
}

/// When `field` was last set here: its own stamp, or the row's creation.
fn field_stamp(clocks: &Map<String, Value>, created: Hlc, field: &str) -> Hlc {
    clocks.get(field).and_then(parse_stamp).unwrap_or(created)
}

fn load_row(conn: &Connection, info: &TableInfo, id: &str) -> Result<Option<Row>> {
    let Some(fields) = record::load_fields(conn, info, id)? else {
        return Ok(None);
    };
    let (created, clocks) = record::load_clocks(conn, info, id)?.unwrap_or_default();
    Ok(Some(Row {
        fields,
        created: created.parse().unwrap_or(Hlc::ZERO),
        clocks,
    }))
}

/// Decodes `fields` as `kind` and writes the row, or refuses it. With
/// `reads`, an entity in a scope this device does not read is removed
/// instead of written.
#[allow(clippy::too_many_arguments)]
fn store_row(
    conn: &Connection,
    info: &TableInfo,
    kind: &'static str,
    id: &str,
    mut fields: Map<String, Value>,
    created: Hlc,
    clocks: &Map<String, Value>,
    reads: Option<&HashSet<Scope>>,
) -> Result<Option<Changed>> {
    fields.insert("id".into(), Value::String(id.to_string()));
    let (fields, scope) = match registry::decode_fields(kind, fields) {
        Ok(decoded) => decoded,
        Err(e) => {
            tracing::warn!(
                entity = kind,
                id,
                code = e.code(),
                "sync: refused an unreadable entity"
            );
            return Ok(None);
        }
    };
    if reads.is_some_and(|r| !r.contains(&scope)) {
        return remove_row(conn, info, kind, id);
    }
    record::upsert(conn, info, &fields, &created.to_string(), clocks)?;
    Ok(Some(notice(kind, id, Some(&scope), &fields)))
}

fn notice(
    kind: &'static str,
    id: &str,
    scope: Option<&Scope>,
    fields: &Map<String, Value>,
) -> Changed {
    let project_id = match scope {
        Some(Scope::Project(p)) => Some(p.to_string()),
        _ => fields
            .get("project_id")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    Changed {
        entity: kind,
        id: id.to_string(),
        project_id,
    }
}

/// Which fields of an entity have local edits still waiting to be pushed.
enum Pending {
    Nothing,
    Fields(HashSet<String>),
    /// A pending create or delete: the whole entity is this device's.
    All,
}

impl Pending {
    fn covers(&self, field: &str) -> bool {
        match self {
            Pending::Nothing => false,
            Pending::Fields(f) => f.contains(field),
            Pending::All => true,
        }
    }
}

fn pending(conn: &Connection, kind: &str, id: &str) -> Result<Pending> {
    let ops = outbox::pending_for(conn, kind, id)?;
    if ops.iter().any(|o| o.action != OpAction::Update) {
        return Ok(Pending::All);
    }
    if ops.is_empty() {
        return Ok(Pending::Nothing);
    }
    Ok(Pending::Fields(
        ops.into_iter()
            .flat_map(|o| o.fields.into_iter().map(|(k, _)| k))
            .collect(),
    ))
}

fn tombstoned(conn: &Connection, kind: &str, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tombstones WHERE entity = ?1 AND entity_id = ?2")?
        .exists([kind, id])?)
}

fn write_tombstone(conn: &Connection, kind: &str, id: &str, hlc: Hlc) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO tombstones (entity, entity_id, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, entity_id) DO UPDATE SET hlc = excluded.hlc
         WHERE excluded.hlc > tombstones.hlc",
    )?
    .execute([kind, id, &hlc.to_string()])?;
    Ok(())
}

/// Removes a row (if any) and whatever was held back for it.
fn remove_row(
    conn: &Connection,
    info: &TableInfo,
    kind: &'static str,
    id: &str,
) -> Result<Option<Changed>> {
    state::drop_held(conn, kind, id)?;
    let Some(fields) = record::load_fields(conn, info, id)? else {
        return Ok(None);
    };
    record::delete(conn, info, id)?;
    Ok(Some(notice(kind, id, None, &fields)))
}

/// Applies one pulled page and moves the scope's cursor, in the caller's
/// transaction: the page and its cursor commit together or not at all.
pub fn apply_page(
    conn: &Connection,
    clock: &mut HlcClock,
    wall_ms: u64,
    scope: &Scope,
    reads: &HashSet<Scope>,
    page: &PullResponse,
) -> Result<Applied> {
    let mut out = Applied::default();
    // Most pulls happen with nothing unsent: skip the per-change outbox look-up.
    let outbox_empty = outbox::count(conn)? == 0;
    for change in &page.changes {
        clock.observe(change.hlc, wall_ms);
        match apply_change(conn, scope, reads, outbox_empty, change)? {
            Outcome::Changed(c) => out.changed.push(c),
            Outcome::Unchanged => {}
            Outcome::Refused => out.refused += 1,
        }
    }
    state::set_cursor(conn, scope, page.cursor)?;
    Ok(out)
}

enum Outcome {
    Changed(Changed),
    Unchanged,
    Refused,
}

impl From<Option<Changed>> for Outcome {
    fn from(c: Option<Changed>) -> Self {
        c.map_or(Outcome::Unchanged, Outcome::Changed)
    }
}

fn apply_change(
    conn: &Connection,
    scope: &Scope,
    reads: &HashSet<Scope>,
    outbox_empty: bool,
    c: &Change,
) -> Result<Outcome> {
    let (Some(kind), Some(table)) = (
        registry::kind_name(&c.entity),
        registry::table_for_kind(&c.entity),
    ) else {
        // A kind from a newer server: this version cannot show it anyway.
        tracing::warn!(seq = c.seq, "sync: skipped a change of an unknown kind");
        return Ok(Outcome::Refused);
    };
    if c.fields
        .get("id")
        .is_some_and(|v| v.as_str() != Some(&c.entity_id))
    {
        tracing::warn!(
            seq = c.seq,
            "sync: refused a change whose id does not match"
        );
        return Ok(Outcome::Refused);
    }
    let info = record::table_info(conn, table)?;
    let id = c.entity_id.as_str();
    match c.action {
        ChangeAction::Delete => {
            write_tombstone(conn, kind, id, c.hlc)?;
            Ok(remove_row(conn, &info, kind, id)?.into())
        }
        ChangeAction::Evict => {
            // The entity may have moved into another scope this device also
            // reads, and that scope's copy may already be here: keep it.
            if let Some(fields) = record::load_fields(conn, &info, id)?
                && let Ok((_, now_in)) = registry::decode_fields(kind, fields)
                && &now_in != scope
                && reads.contains(&now_in)
            {
                return Ok(Outcome::Unchanged);
            }
            Ok(remove_row(conn, &info, kind, id)?.into())
        }
        ChangeAction::Create | ChangeAction::Update => {
            if tombstoned(conn, kind, id)? {
                // Delete wins over any edit, however late it arrives.
                return Ok(Outcome::Unchanged);
            }
            let local = load_row(conn, &info, id)?;
            if local.is_some() && registry::is_append_only(kind) {
                return Ok(Outcome::Unchanged);
            }
            let pending = if outbox_empty {
                Pending::Nothing
            } else {
                pending(conn, kind, id)?
            };
            let Some(row) = local else {
                if matches!(pending, Pending::All) {
                    // Created here and not yet pushed, then dropped (a purge):
                    // the push will settle it.
                    return Ok(Outcome::Unchanged);
                }
                let stored = store_row(
                    conn,
                    &info,
                    kind,
                    id,
                    c.fields.clone(),
                    c.hlc,
                    &Map::new(),
                    None,
                )?;
                return Ok(stored.map_or(Outcome::Refused, Outcome::Changed));
            };
            let Row {
                mut fields,
                created,
                mut clocks,
            } = row;
            let mut took = false;
            for (name, value) in &c.fields {
                if name == "id" || name.starts_with('_') {
                    continue;
                }
                if c.hlc <= field_stamp(&clocks, created, name) {
                    continue;
                }
                if pending.covers(name) {
                    // A pulled value never overwrites an unsent local edit;
                    // it waits, and wins later only if it is newer.
                    state::hold(conn, kind, id, name, value, c.hlc)?;
                    continue;
                }
                fields.insert(name.clone(), value.clone());
                clocks.insert(name.clone(), Value::String(c.hlc.to_string()));
                took = true;
            }
            if !took {
                return Ok(Outcome::Unchanged);
            }
            let stored = store_row(conn, &info, kind, id, fields, created, &clocks, None)?;
            Ok(stored.map_or(Outcome::Refused, Outcome::Changed))
        }
    }
}

/// Applies the server's answers to one pushed batch: an applied op leaves
/// the outbox; a rejected one leaves it too, is recorded for the person,
/// and its entity is rebuilt from the server's state plus the ops still
/// pending. Ops with no answer stay queued and are sent again. `reads` are
/// the scopes this device reads.
pub fn apply_push_results(
    conn: &Connection,
    clock: &mut HlcClock,
    wall_ms: u64,
    now: Timestamp,
    reads: &HashSet<Scope>,
    results: &[OpResult],
) -> Result<Applied> {
    let mut out = Applied::default();
    let mut touched: Vec<(String, String)> = Vec::new();
    for result in results {
        let Some((entity, entity_id)) = take_op(conn, result.op_id())? else {
            // Already settled by an earlier answer to the same op.
            continue;
        };
        match result {
            OpResult::Applied { .. } => out.ops_applied += 1,
            OpResult::Rejected {
                op_id,
                code,
                message,
                server_state,
            } => {
                out.ops_rejected += 1;
                tracing::info!(op = %op_id, entity = %entity, code = %code, "sync: change rejected");
                state::record_rejection(
                    conn,
                    &RejectedOp {
                        op_id: op_id.clone(),
                        entity: entity.clone(),
                        entity_id: entity_id.clone(),
                        code: code.clone(),
                        message: message.clone(),
                        rejected_at: now,
                    },
                )?;
                let server_state = server_state
                    .as_ref()
                    .filter(|s| s.entity == entity && s.entity_id == entity_id);
                if let Some(s) = server_state {
                    for stamp in s.clocks.values().filter_map(parse_stamp) {
                        clock.observe(stamp, wall_ms);
                    }
                }
                if let Some(c) = rebuild(conn, &entity, &entity_id, server_state, reads)? {
                    out.changed.push(c);
                }
            }
        }
        if !touched.contains(&(entity.clone(), entity_id.clone())) {
            touched.push((entity, entity_id));
        }
    }
    for (entity, entity_id) in touched {
        if let Some(c) = settle_held(conn, &entity, &entity_id)? {
            out.changed.push(c);
        }
    }
    Ok(out)
}

fn parse_stamp(v: &Value) -> Option<Hlc> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// Removes an op from the outbox, giving back what it changed.
fn take_op(conn: &Connection, op_id: &crate::ids::OpId) -> Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("DELETE FROM outbox WHERE op_id = ?1 RETURNING entity, entity_id")?
        .query_row([op_id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Re-derives an entity after one of its ops was rejected: the server's copy
/// (if it has one), with this device's remaining pending ops on top.
fn rebuild(
    conn: &Connection,
    entity: &str,
    id: &str,
    server: Option<&EntityState>,
    reads: &HashSet<Scope>,
) -> Result<Option<Changed>> {
    let (Some(kind), Some(table)) = (
        registry::kind_name(entity),
        registry::table_for_kind(entity),
    ) else {
        return Ok(None);
    };
    let info = record::table_info(conn, table)?;
    let ops = outbox::pending_for(conn, kind, id)?;
    if ops.iter().any(|o| o.action == OpAction::Delete) {
        // The person still means to delete it; the row is already gone.
        return Ok(None);
    }
    let local = load_row(conn, &info, id)?;
    let (mut fields, created, mut clocks, replay): (_, _, _, &[Op]) = match server {
        Some(s) if s.deleted => {
            let stamp = s.clocks.values().filter_map(parse_stamp).max();
            write_tombstone(conn, kind, id, stamp.unwrap_or(Hlc::ZERO))?;
            return remove_row(conn, &info, kind, id);
        }
        Some(s) => {
            let clocks: Map<String, Value> = s
                .clocks
                .iter()
                .filter(|(_, v)| parse_stamp(v).is_some())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let created = local
                .as_ref()
                .map(|r| r.created)
                .or_else(|| clocks.values().filter_map(parse_stamp).min())
                .unwrap_or(Hlc::ZERO);
            (s.fields.clone(), created, clocks, &ops[..])
        }
        None => match ops.iter().position(|o| o.action == OpAction::Create) {
            Some(at) => (
                ops[at].fields.clone(),
                ops[at].hlc,
                Map::new(),
                &ops[at + 1..],
            ),
            None => {
                // The server never had it, and nothing here creates it.
                conn.execute(
                    "DELETE FROM tombstones WHERE entity = ?1 AND entity_id = ?2",
                    [kind, id],
                )?;
                return remove_row(conn, &info, kind, id);
            }
        },
    };
    for op in replay {
        for (name, value) in &op.fields {
            fields.insert(name.clone(), value.clone());
            clocks.insert(name.clone(), Value::String(op.hlc.to_string()));
        }
    }
    // A refused delete brings the entity back.
    conn.execute(
        "DELETE FROM tombstones WHERE entity = ?1 AND entity_id = ?2",
        [kind, id],
    )?;
    // The server's copy may be of something this device no longer reads (a
    // project it was just removed from): a revert must not bring it back.
    store_row(conn, &info, kind, id, fields, created, &clocks, Some(reads))
}

/// Applies values held back while a local edit was unsent, for the fields
/// that now have none; each wins only if it is newer than what is here.
fn settle_held(conn: &Connection, entity: &str, id: &str) -> Result<Option<Changed>> {
    let held = state::held(conn, entity, id)?;
    if held.is_empty() {
        return Ok(None);
    }
    let (Some(kind), Some(table)) = (
        registry::kind_name(entity),
        registry::table_for_kind(entity),
    ) else {
        return Ok(None);
    };
    let info = record::table_info(conn, table)?;
    let Some(mut row) = load_row(conn, &info, id)? else {
        state::drop_held(conn, entity, id)?;
        return Ok(None);
    };
    let pending = pending(conn, kind, id)?;
    let mut took = false;
    for (name, value, stamp) in held {
        if pending.covers(&name) {
            continue;
        }
        state::release_held(conn, kind, id, &name)?;
        if stamp > row.stamp(&name) {
            row.fields.insert(name.clone(), value);
            row.clocks.insert(name, Value::String(stamp.to_string()));
            took = true;
        }
    }
    if !took {
        return Ok(None);
    }
    store_row(
        conn,
        &info,
        kind,
        id,
        row.fields,
        row.created,
        &row.clocks,
        None,
    )
}

/// Removes what this device may no longer hold once `revoked` scopes are
/// gone (a project left, a person no longer supported, a re-sync): rows in
/// those scopes, and rows naming a revoked project that no scope it still
/// reads would deliver. With `keep_pending`, rows with unsent edits stay
/// (a re-sync refetches the rest around them). Forgets the scopes' cursors.
pub fn purge(
    conn: &Connection,
    revoked: &[Scope],
    reads: &HashSet<Scope>,
    keep_pending: bool,
) -> Result<Vec<Changed>> {
    let projects: HashSet<String> = revoked
        .iter()
        .filter_map(|s| match s {
            Scope::Project(p) => Some(p.to_string()),
            _ => None,
        })
        .collect();
    let pending_ids: HashSet<(String, String)> = if keep_pending {
        outbox::pending(conn, usize::MAX >> 1)?
            .into_iter()
            .map(|o| (o.entity, o.entity_id))
            .collect()
    } else {
        HashSet::new()
    };
    let mut changed = Vec::new();
    for kind in registry::KINDS {
        let Some(table) = registry::table_for_kind(kind) else {
            continue;
        };
        let info = record::table_info(conn, table)?;
        let rows = record::select(conn, &info, "", [], Ok)?;
        for fields in rows {
            let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let of_project = fields
                .get("project_id")
                .and_then(Value::as_str)
                .or(if *kind == "project" {
                    Some(id.as_str())
                } else {
                    None
                })
                .is_some_and(|p| projects.contains(p));
            let scope = registry::decode_fields(kind, fields.clone())
                .ok()
                .map(|d| d.1);
            let gone = match &scope {
                Some(s) => revoked.contains(s) || (of_project && !reads.contains(s)),
                None => of_project,
            };
            if !gone || pending_ids.contains(&(kind.to_string(), id.clone())) {
                continue;
            }
            if let Some(c) = remove_row(conn, &info, kind, &id)? {
                changed.push(c);
            }
        }
    }
    for s in revoked {
        state::forget_cursor(conn, s)?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{Action, ActionStatus};
    use crate::contributions::Contribution;
    use crate::ids::{ActionId, ContributionId, OpId, ProjectId};
    use crate::people::Recognition;
    use crate::projects::{JoinPolicy, NewProject, Project, Stage};
    use crate::rules;
    use crate::testkit::{START, World, world};
    use crate::text::Text;
    use crate::time::Day;
    use serde_json::json;

    fn at(offset_ms: i64) -> Hlc {
        Hlc {
            wall_ms: (START.millis() + offset_ms) as u64,
            counter: 0,
            node: 0xfeed,
        }
    }

    fn project(w: &World, policy: JoinPolicy) -> ProjectId {
        w.app
            .start_project(
                &w.priya.id,
                NewProject {
                    title: Text::new("en-GB", "Garden"),
                    purpose: Text::new("en-GB", "Grow food"),
                    join_policy: policy,
                    co_founders: vec![w.sam.id.clone()],
                },
            )
            .unwrap()
            .id
    }

    /// As if everything made so far had been pushed and applied.
    fn pushed(w: &World) {
        w.app
            .store()
            .sync_write(|tx, _| Ok(tx.execute("DELETE FROM outbox", [])?))
            .unwrap();
    }

    fn change(entity: &str, id: &str, action: ChangeAction, fields: Value, hlc: Hlc) -> Change {
        Change {
            seq: 0,
            entity: entity.into(),
            entity_id: id.into(),
            action,
            fields: fields.as_object().cloned().unwrap_or_default(),
            hlc,
            author: None,
        }
    }

    fn reads(w: &World, projects: &[&ProjectId]) -> HashSet<Scope> {
        let mut s = HashSet::from([Scope::Organisation, Scope::Personal(w.priya.id.clone())]);
        s.extend(projects.iter().map(|p| Scope::Project((*p).clone())));
        s
    }

    fn pull_in(w: &World, scope: &Scope, mut changes: Vec<Change>) -> Result<Applied> {
        let from = state_cursor(w, scope);
        for (i, c) in changes.iter_mut().enumerate() {
            c.seq = from + 1 + i as i64;
        }
        let page = PullResponse {
            cursor: from + changes.len() as i64,
            changes,
            has_more: false,
            remaining_estimate: 0,
            resync: false,
        };
        let reads = reads(w, &[]);
        w.app.store().sync_write(|tx, clock| {
            apply_page(tx, clock, START.millis() as u64, scope, &reads, &page)
        })
    }

    fn pull(w: &World, changes: Vec<Change>) -> Applied {
        pull_in(w, &Scope::Organisation, changes).unwrap()
    }

    fn state_cursor(w: &World, scope: &Scope) -> i64 {
        w.app.read(|r| state::cursor(r.conn(), scope)).unwrap()
    }

    fn garden(w: &World, id: &ProjectId) -> Option<Project> {
        w.app.read(|r| r.get::<Project>(id.as_str())).unwrap()
    }

    fn title(w: &World, id: &ProjectId) -> String {
        garden(w, id).unwrap().title.original.text
    }

    fn text(s: &str) -> Value {
        serde_json::to_value(Text::new("en-GB", s)).unwrap()
    }

    fn answer(w: &World, results: Vec<OpResult>) -> Applied {
        let projects: Vec<ProjectId> = w
            .app
            .read(|r| r.select::<Project>("", []))
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        let reads = reads(w, &projects.iter().collect::<Vec<_>>());
        w.app
            .store()
            .sync_write(|tx, clock| {
                apply_push_results(tx, clock, START.millis() as u64, START, &reads, &results)
            })
            .unwrap()
    }

    fn applied(op: &Op) -> OpResult {
        OpResult::Applied {
            op_id: op.op_id.clone(),
            seq: 1,
        }
    }

    #[test]
    fn a_newer_pulled_value_wins_and_an_older_one_loses() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let out = pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"title": text("Allotment")}),
                at(60_000),
            )],
        );
        assert_eq!(out.changed.len(), 1);
        assert_eq!(out.changed[0].entity, "project");
        assert_eq!(title(&w, &p), "Allotment");

        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"title": text("Older")}),
                at(30_000),
            )],
        );
        assert_eq!(title(&w, &p), "Allotment", "an older stamp loses");

        // A local edit made after seeing the pull is newer than it, so an
        // edit from a device whose stamp is older loses to it too.
        w.app
            .edit_project_plan(
                &w.sam.id,
                &p,
                Some(Text::new("en-GB", "Sam's garden")),
                None,
            )
            .unwrap();
        pushed(&w);
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"title": text("Stale")}),
                at(59_000),
            )],
        );
        assert_eq!(title(&w, &p), "Sam's garden");
        assert_eq!(
            w.app.pending_count().unwrap(),
            0,
            "pulled changes queue nothing"
        );
    }

    #[test]
    fn a_pulled_value_never_overwrites_an_unsent_edit() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        w.app
            .edit_project_plan(&w.sam.id, &p, Some(Text::new("en-GB", "Mine")), None)
            .unwrap();
        let mine = w.app.pending_ops(10).unwrap();
        // Someone else's newer title, and a stage change nobody here made.
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"title": text("Theirs"), "stage": "shaping"}),
                at(120_000),
            )],
        );
        let now = garden(&w, &p).unwrap();
        assert_eq!(
            now.title.original.text, "Mine",
            "the unsent edit stays on screen"
        );
        assert_eq!(now.stage, Stage::Shaping, "other fields still arrive");

        // Once the edit is sent, the newer value it was held against wins,
        // as it does on the server.
        let out = answer(&w, vec![applied(&mine[0])]);
        assert_eq!(out.ops_applied, 1);
        assert_eq!(title(&w, &p), "Theirs");
        assert_eq!(w.app.pending_count().unwrap(), 0);
    }

    #[test]
    fn a_held_back_value_older_than_the_unsent_edit_loses_to_it() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        w.clock.advance_minutes(10);
        w.app
            .edit_project_plan(&w.sam.id, &p, Some(Text::new("en-GB", "Mine")), None)
            .unwrap();
        let mine = w.app.pending_ops(10).unwrap();
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"title": text("Theirs")}),
                at(60_000),
            )],
        );
        answer(&w, vec![applied(&mine[0])]);
        assert_eq!(title(&w, &p), "Mine");
        let held: i64 = w
            .app
            .read(|r| {
                Ok(r.conn()
                    .query_row("SELECT count(*) FROM sync_held", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(held, 0);
    }

    #[test]
    fn delete_wins_over_a_later_update() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        let u = w
            .app
            .post_update(&w.priya.id, &p, Text::new("en-GB", "Seeds are in"))
            .unwrap();
        pushed(&w);
        let scope = Scope::Project(p.clone());
        pull_in(
            &w,
            &scope,
            vec![change(
                "update",
                u.id.as_str(),
                ChangeAction::Delete,
                json!({}),
                at(1_000),
            )],
        )
        .unwrap();
        let gone = |w: &World| {
            w.app
                .read(|r| r.get::<crate::updates::Update>(u.id.as_str()))
                .unwrap()
                .is_none()
        };
        assert!(gone(&w));
        let mut late = rules::encode(&u).unwrap();
        late.insert("body".into(), text("Seeds are in!"));
        pull_in(
            &w,
            &scope,
            vec![
                change(
                    "update",
                    u.id.as_str(),
                    ChangeAction::Update,
                    Value::Object(late.clone()),
                    at(5_000),
                ),
                change(
                    "update",
                    u.id.as_str(),
                    ChangeAction::Create,
                    Value::Object(late),
                    at(6_000),
                ),
            ],
        )
        .unwrap();
        assert!(
            gone(&w),
            "an edit arriving after the delete does not bring it back"
        );
    }

    #[test]
    fn an_evicted_entity_is_dropped_without_a_tombstone() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let fields = rules::encode(&garden(&w, &p).unwrap()).unwrap();
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Evict,
                json!({}),
                at(1_000),
            )],
        );
        assert!(garden(&w, &p).is_none());
        let tombstones: i64 = w
            .app
            .read(|r| {
                Ok(r.conn()
                    .query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(tombstones, 0);
        // Visible again later (it came back into a scope we read): it returns.
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Create,
                Value::Object(fields),
                at(2_000),
            )],
        );
        assert_eq!(title(&w, &p), "Garden");
    }

    #[test]
    fn an_eviction_keeps_a_copy_that_already_moved_to_another_scope_we_read() {
        let w = world();
        let p = project(&w, JoinPolicy::Invite);
        pushed(&w);
        // The project opened up: its full state arrived in the organisation
        // scope before the eviction from its project scope was pulled.
        pull(
            &w,
            vec![change(
                "project",
                p.as_str(),
                ChangeAction::Update,
                json!({"join_policy": "open"}),
                at(1_000),
            )],
        );
        let reads = reads(&w, &[&p]);
        let page = PullResponse {
            changes: vec![change(
                "project",
                p.as_str(),
                ChangeAction::Evict,
                json!({}),
                at(1_000),
            )],
            cursor: 9,
            has_more: false,
            remaining_estimate: 0,
            resync: false,
        };
        w.app
            .store()
            .sync_write(|tx, clock| {
                apply_page(tx, clock, 0, &Scope::Project(p.clone()), &reads, &page)
            })
            .unwrap();
        assert!(garden(&w, &p).is_some());
    }

    #[test]
    fn append_only_records_are_inserted_once() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let c = Contribution {
            id: ContributionId::new(),
            person_id: w.sam.id.clone(),
            project_id: p.clone(),
            logged_by: w.sam.id.clone(),
            what: "Dug the beds".into(),
            minutes: 90,
            expenses_pence: 0,
            done_on: Day::parse("d", "2026-03-01").unwrap(),
            recognition: Recognition::Thanks,
            created_at: START,
        };
        let mut fields = rules::encode(&c).unwrap();
        let scope = Scope::Project(p.clone());
        pull_in(
            &w,
            &scope,
            vec![change(
                "contribution",
                c.id.as_str(),
                ChangeAction::Create,
                Value::Object(fields.clone()),
                at(1),
            )],
        )
        .unwrap();
        fields.insert("minutes".into(), json!(600));
        pull_in(
            &w,
            &scope,
            vec![change(
                "contribution",
                c.id.as_str(),
                ChangeAction::Create,
                Value::Object(fields),
                at(2),
            )],
        )
        .unwrap();
        let stored: Contribution = w.app.read(|r| r.require(c.id.as_str())).unwrap();
        assert_eq!(stored, c);
    }

    #[test]
    fn garbage_is_refused_and_the_rest_of_the_page_applies() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let before = w.app.store().fingerprint().unwrap();
        let out = pull(
            &w,
            vec![
                change(
                    "action",
                    ActionId::new().as_str(),
                    ChangeAction::Create,
                    json!({"what": 7}),
                    at(1),
                ),
                change("spaceship", "x", ChangeAction::Create, json!({}), at(2)),
                change(
                    "project",
                    p.as_str(),
                    ChangeAction::Update,
                    json!({"stage": "nonsense"}),
                    at(3),
                ),
                change(
                    "project",
                    "another",
                    ChangeAction::Update,
                    json!({"id": p.as_str()}),
                    at(4),
                ),
            ],
        );
        assert_eq!(out.refused, 4);
        let after = w.app.store().fingerprint().unwrap();
        let data = |f: &[(String, i64, String)]| {
            f.iter()
                .filter(|(t, ..)| t != "sync_cursors" && t != "meta")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(data(&before), data(&after));
        assert_eq!(state_cursor(&w, &Scope::Organisation), 4);
    }

    #[test]
    fn a_page_and_its_cursor_commit_together() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let doomed = ActionId::new();
        // A failure half-way through the page, as a full disk would cause.
        rusqlite::Connection::open(w.app.store().path())
            .unwrap()
            .execute_batch(&format!(
                "CREATE TRIGGER fail_mid_page BEFORE INSERT ON actions WHEN NEW.id = '{doomed}'
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
            ))
            .unwrap();
        let action = Action {
            id: doomed.clone(),
            project_id: p.clone(),
            what: Text::new("en-GB", "Buy seeds"),
            owner_id: None,
            due_on: None,
            status: ActionStatus::Open,
            created_by: w.sam.id.clone(),
            from_review_item: None,
            from_meeting: None,
            created_at: START,
        };
        let before = w.app.store().fingerprint().unwrap();
        let result = pull_in(
            &w,
            &Scope::Project(p.clone()),
            vec![
                change(
                    "project",
                    p.as_str(),
                    ChangeAction::Update,
                    json!({"title": text("Allotment")}),
                    at(1),
                ),
                change(
                    "action",
                    doomed.as_str(),
                    ChangeAction::Create,
                    Value::Object(rules::encode(&action).unwrap()),
                    at(2),
                ),
            ],
        );
        assert!(result.is_err());
        assert_eq!(
            before,
            w.app.store().fingerprint().unwrap(),
            "nothing of the page was kept"
        );
        assert_eq!(state_cursor(&w, &Scope::Project(p.clone())), 0);
        assert_eq!(title(&w, &p), "Garden");
    }

    #[test]
    fn a_rejected_change_is_rebuilt_from_the_server_state_and_the_edits_still_pending() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let server_fields = rules::encode(&garden(&w, &p).unwrap()).unwrap();
        w.app
            .edit_project_plan(
                &w.sam.id,
                &p,
                Some(Text::new("en-GB", "Rejected title")),
                None,
            )
            .unwrap();
        w.app
            .edit_project_plan(
                &w.sam.id,
                &p,
                None,
                Some(Text::new("en-GB", "Still pending")),
            )
            .unwrap();
        let ops = w.app.pending_ops(10).unwrap();
        assert_eq!(ops.len(), 2);
        let mut server = server_fields.clone();
        server.insert("stage".into(), json!("doing"));
        let out = answer(
            &w,
            vec![OpResult::Rejected {
                op_id: ops[0].op_id.clone(),
                code: "not_allowed".into(),
                message: "this group agreed that its plan changes through a proposal".into(),
                server_state: Some(EntityState {
                    entity: "project".into(),
                    entity_id: p.to_string(),
                    fields: server,
                    clocks: json!({"stage": at(5_000).to_string()})
                        .as_object()
                        .cloned()
                        .unwrap(),
                    deleted: false,
                }),
            }],
        );
        assert_eq!(out.ops_rejected, 1);
        assert_eq!(out.changed.len(), 1);
        let now = garden(&w, &p).unwrap();
        assert_eq!(
            now.title.original.text, "Garden",
            "the rejected edit is undone"
        );
        assert_eq!(now.stage, Stage::Doing, "the server's state is taken");
        assert_eq!(
            now.purpose.original.text, "Still pending",
            "the later edit stays"
        );
        let left = w.app.pending_ops(10).unwrap();
        assert_eq!(left, ops[1..].to_vec(), "the op behind it is still queued");
        let rejected = w.app.read(|r| state::rejections(r.conn())).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].op_id, ops[0].op_id);
        assert_eq!(rejected[0].code, "not_allowed");
        assert_eq!(rejected[0].entity_id, p.as_str());
    }

    #[test]
    fn a_rejected_creation_the_server_never_had_is_removed() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        pushed(&w);
        let a = w
            .app
            .add_action(&w.sam.id, &p, Text::new("en-GB", "Buy seeds"), None, true)
            .unwrap();
        w.app.take_action(&w.sam.id, &a.id).ok();
        w.app
            .set_action_status(&w.sam.id, &a.id, ActionStatus::Done)
            .unwrap();
        let ops = w.app.pending_ops(10).unwrap();
        let results: Vec<OpResult> = ops
            .iter()
            .map(|o| OpResult::Rejected {
                op_id: o.op_id.clone(),
                code: "not_allowed".into(),
                message: "only members of this project can do that".into(),
                server_state: None,
            })
            .collect();
        // With the create refused and no copy on the server, the later edit
        // has nothing to stand on: the action goes at once.
        answer(&w, results);
        assert!(
            w.app
                .read(|r| r.get::<Action>(a.id.as_str()))
                .unwrap()
                .is_none()
        );
        assert_eq!(w.app.pending_count().unwrap(), 0);
    }

    #[test]
    fn a_revert_does_not_bring_back_a_project_the_device_was_removed_from() {
        let w = world();
        let circle = project(&w, JoinPolicy::Invite);
        let a = w
            .app
            .add_action(&w.sam.id, &circle, Text::new("en-GB", "Bake"), None, false)
            .unwrap();
        pushed(&w);
        w.app.take_action(&w.sam.id, &a.id).unwrap();
        let edit = w.app.pending_ops(10).unwrap().remove(0);
        let server_copy = rules::encode(&a).unwrap();
        w.app
            .store()
            .sync_write(|tx, _| {
                purge(
                    tx,
                    &[Scope::Project(circle.clone())],
                    &reads(&w, &[]),
                    false,
                )
            })
            .unwrap();
        answer(
            &w,
            vec![OpResult::Rejected {
                op_id: edit.op_id,
                code: "not_allowed".into(),
                message: "only members of this project can do that".into(),
                server_state: Some(EntityState {
                    entity: "action".into(),
                    entity_id: a.id.to_string(),
                    fields: server_copy,
                    clocks: Map::new(),
                    deleted: false,
                }),
            }],
        );
        assert!(
            w.app
                .read(|r| r.get::<Action>(a.id.as_str()))
                .unwrap()
                .is_none()
        );
        assert_eq!(rows(&w, "actions", &circle), 0);
    }

    fn rows(w: &World, table: &str, p: &ProjectId) -> i64 {
        w.app
            .read(|r| {
                Ok(r.conn().query_row(
                    &format!("SELECT count(*) FROM {table} WHERE project_id = ?1"),
                    [p.as_str()],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }

    #[test]
    fn an_answer_for_an_op_already_settled_changes_nothing() {
        let w = world();
        let p = project(&w, JoinPolicy::Open);
        let ops = w.app.pending_ops(10).unwrap();
        answer(&w, ops.iter().map(applied).collect());
        let before = w.app.store().fingerprint().unwrap();
        let out = answer(
            &w,
            vec![
                applied(&ops[0]),
                OpResult::Rejected {
                    op_id: OpId::new(),
                    code: "invalid".into(),
                    message: "x".into(),
                    server_state: None,
                },
            ],
        );
        assert_eq!(out, Applied::default());
        assert_eq!(before, w.app.store().fingerprint().unwrap());
        assert!(garden(&w, &p).is_some());
    }

    #[test]
    fn leaving_a_project_purges_its_data_but_not_what_others_scopes_deliver() {
        let w = world();
        let open = project(&w, JoinPolicy::Open);
        let private = project(&w, JoinPolicy::Invite);
        for p in [&open, &private] {
            w.app
                .post_update(&w.priya.id, p, Text::new("en-GB", "News"))
                .unwrap();
            w.app
                .add_action(&w.priya.id, p, Text::new("en-GB", "Do"), None, false)
                .unwrap();
        }
        pushed(&w);
        w.app
            .store()
            .sync_write(|tx, _| {
                state::set_cursor(tx, &Scope::Project(open.clone()), 10)?;
                state::set_cursor(tx, &Scope::Project(private.clone()), 10)
            })
            .unwrap();
        let still = reads(&w, &[&private]);
        let changed = w
            .app
            .store()
            .sync_write(|tx, _| purge(tx, &[Scope::Project(open.clone())], &still, false))
            .unwrap();
        let count = |table: &str, p: &ProjectId| rows(&w, table, p);
        for table in ["updates", "actions", "memberships"] {
            assert_eq!(count(table, &open), 0, "{table} of the project left");
            assert!(count(table, &private) > 0, "{table} of the project kept");
        }
        assert!(
            garden(&w, &open).is_some(),
            "an open project stays findable"
        );
        assert!(
            changed
                .iter()
                .all(|c| c.project_id.as_deref() == Some(open.as_str()))
        );
        assert_eq!(state_cursor(&w, &Scope::Project(open.clone())), 0);
        assert_eq!(state_cursor(&w, &Scope::Project(private.clone())), 10);

        w.app
            .store()
            .sync_write(|tx, _| {
                purge(
                    tx,
                    &[Scope::Project(private.clone())],
                    &reads(&w, &[]),
                    false,
                )
            })
            .unwrap();
        assert!(
            garden(&w, &private).is_none(),
            "an invitation-only project goes"
        );
    }
}
