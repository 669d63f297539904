//! Push and pull: how a pushed op becomes a change in the log, and how a
//! device reads the log of a scope. Every op is checked with the core's
//! `registry::check_op`; what is decided here is only what the server alone
//! can decide: de-duplication, last-writer-wins by clock, tombstones, the
//! order of the log, and which scopes a change is written to.

use crate::facts::{TxFacts, may_read};
use crate::storage::{LoggedChange, StoredEntity, Tx};
use equally_core::error::{Error, Result};
use equally_core::hlc::{Hlc, MAX_DRIFT_MS};
use equally_core::ids::PersonId;
use equally_core::registry::{self, CheckedOp};
use equally_core::rules::{Facts, Scope};
use equally_core::statements::{self, Statement};
use equally_core::store::{Op, OpAction};
use equally_core::sync::wire::{
    Change, ChangeAction, EntityState, MAX_PULL_PAGE, OpResult, PullRequest, PullResponse,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Who sent the ops: a device, acting for its person, or the server itself
/// (`init`, invites, erasure), which may create people and the organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Device(PersonId),
    Server,
}

/// Why an op was refused, as the device will be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

impl Rejection {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Rejection {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// What the server decided for one op, before writing anything.
enum Plan {
    /// Already reflected in the log at this sequence number.
    Settled(i64),
    Write {
        checked: Box<CheckedOp>,
        before: Option<StoredEntity>,
        hlc: Hlc,
    },
}

/// Applies `ops` in order inside `tx` and answers each. A rejected op changes
/// nothing and does not stop the ones after it; a storage failure aborts the
/// whole transaction, so nothing is acknowledged that is not committed.
pub fn push(tx: &mut dyn Tx, origin: &Origin, ops: &[Op], now_ms: i64) -> Result<Vec<OpResult>> {
    let facts = TxFacts::new(tx);
    let mut results = Vec::with_capacity(ops.len());
    for op in ops {
        if let Some(seq) = facts.with_tx(|tx| tx.applied_seq(&op.op_id))? {
            results.push(OpResult::Applied {
                op_id: op.op_id.clone(),
                seq,
            });
            continue;
        }
        let result = match plan(&facts, origin, op, now_ms) {
            Ok(Plan::Settled(seq)) => {
                facts.with_tx(|tx| tx.record_applied(&op.op_id, seq))?;
                OpResult::Applied {
                    op_id: op.op_id.clone(),
                    seq,
                }
            }
            Ok(Plan::Write {
                checked,
                before,
                hlc,
            }) => OpResult::Applied {
                op_id: op.op_id.clone(),
                seq: write(&facts, op, *checked, before, hlc)?,
            },
            Err(PlanError::Storage(e)) => return Err(e),
            Err(PlanError::Rejected(r)) => OpResult::Rejected {
                op_id: op.op_id.clone(),
                code: r.code,
                message: r.message,
                server_state: facts.stored(&op.entity, &op.entity_id)?.map(entity_state),
            },
        };
        results.push(result);
    }
    Ok(results)
}

enum PlanError {
    Rejected(Rejection),
    Storage(Error),
}

impl From<Error> for PlanError {
    fn from(e: Error) -> Self {
        match e {
            Error::Storage { .. } => PlanError::Storage(e),
            other => PlanError::Rejected(Rejection::new(other.code(), other.to_string())),
        }
    }
}

impl From<Rejection> for PlanError {
    fn from(r: Rejection) -> Self {
        PlanError::Rejected(r)
    }
}

/// People and the organisation come from `init` and invites; a phone may
/// edit them (the rules say who may), never create or delete them.
const SERVER_MADE: &[&str] = &["organisation", "person"];

fn plan(
    facts: &TxFacts<'_>,
    origin: &Origin,
    op: &Op,
    now_ms: i64,
) -> std::result::Result<Plan, PlanError> {
    if let Origin::Device(person) = origin {
        if &op.author != person {
            return Err(Rejection::new(
                "not_allowed",
                "not allowed: a device can only make changes as its own person",
            )
            .into());
        }
        if SERVER_MADE.contains(&op.entity.as_str()) && op.action != OpAction::Update {
            return Err(Rejection::new(
                "not_allowed",
                format!(
                    "not allowed: a {} is added by staff on the server, not from a phone",
                    op.entity
                ),
            )
            .into());
        }
    }
    let stored = facts.stored(&op.entity, &op.entity_id)?;
    if let Some(s) = &stored
        && s.deleted
    {
        // Delete wins: a later edit of a deleted entity is refused (and the
        // device, given the tombstone, drops its copy); a second delete is
        // already done.
        return match op.action {
            OpAction::Delete => Ok(Plan::Settled(s.last_seq)),
            _ => Err(Rejection::new("conflict", format!("this {} was deleted", op.entity)).into()),
        };
    }
    let live = stored.filter(|s| !s.deleted);
    if op.action == OpAction::Update && live.is_none() {
        return Err(Error::not_found(op.entity.clone(), &op.entity_id).into());
    }
    // A phone clock set in the future cannot win every edit.
    let hlc = op
        .hlc
        .clamped_to((now_ms.max(0) as u64).saturating_add(MAX_DRIFT_MS));
    let mut effective = Op { hlc, ..op.clone() };
    if let Some(s) = &live
        && op.action != OpAction::Delete
        && !registry::is_append_only(&op.entity)
    {
        // Last writer wins, field by field: fields already set by a later
        // stamp are left as they are.
        effective
            .fields
            .retain(|name, _| newer(hlc, s.clocks.get(name)));
        if effective.fields.is_empty() {
            return Ok(Plan::Settled(s.last_seq));
        }
    }
    let checked = registry::check_op(&effective, facts)?;
    check_timing(&effective, &checked, now_ms)?;
    if let Some(s) = &live
        && op.action != OpAction::Delete
        && checked.changed.is_empty()
    {
        return Ok(Plan::Settled(s.last_seq));
    }
    Ok(Plan::Write {
        checked: Box::new(checked),
        before: live,
        hlc,
    })
}

fn newer(hlc: Hlc, stored: Option<&Value>) -> bool {
    match stored
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Hlc>().ok())
    {
        Some(was) => hlc > was,
        None => true,
    }
}

/// The place for rules that need the server's clock, which the shared rules
/// never read. Votes will be checked here once proposals exist: cast before
/// the proposal's close (by the op's clamped stamp) and received before the
/// close plus its grace window (by `server_now_ms`), else rejected with the
/// code `too_late`.
fn check_timing(
    _op: &Op,
    _checked: &CheckedOp,
    _server_now_ms: i64,
) -> std::result::Result<(), Rejection> {
    Ok(())
}

/// Who sees an entity: its own scope, plus, for a membership, the member's
/// personal scope, so a person learns they were invited to (or removed from)
/// a project whose scope they cannot read.
pub fn audiences(kind: &str, scope: &Scope, fields: &Map<String, Value>) -> Vec<Scope> {
    let mut out = vec![scope.clone()];
    if kind == "membership"
        && let Some(person) = fields.get("person_id").and_then(Value::as_str)
        && let Ok(person) = PersonId::parse(person)
    {
        out.push(Scope::Personal(person));
    }
    out
}

fn write(
    facts: &TxFacts<'_>,
    op: &Op,
    checked: CheckedOp,
    before: Option<StoredEntity>,
    hlc: Hlc,
) -> Result<i64> {
    let seq = facts.with_tx(|tx| tx.next_seq())?;
    let change = |scope: &Scope, action: ChangeAction, fields: Map<String, Value>| LoggedChange {
        seq,
        scope: scope.clone(),
        kind: op.entity.clone(),
        entity_id: op.entity_id.clone(),
        action,
        fields,
        hlc,
        author: Some(op.author.clone()),
        op_id: Some(op.op_id.clone()),
    };
    let old = before
        .as_ref()
        .map(|b| audiences(&b.kind, &b.scope, &b.fields))
        .unwrap_or_default();
    let saved = match checked.scope_after {
        None => {
            // A tombstone: the entity's history leaves every log it was in,
            // and what remains is the fact that it is gone.
            let before =
                before.ok_or_else(|| Error::not_found(op.entity.clone(), &op.entity_id))?;
            facts.with_tx(|tx| {
                tx.forget_changes(&op.entity, &op.entity_id, None)?;
                for scope in &old {
                    tx.log_change(&change(scope, ChangeAction::Delete, Map::new()))?;
                }
                Ok(())
            })?;
            StoredEntity {
                fields: Map::new(),
                clocks: Map::new(),
                deleted: true,
                last_seq: seq,
                ..before
            }
        }
        Some(scope) => {
            let new = audiences(&op.entity, &scope, &checked.fields_after);
            let stamp = Value::String(hlc.to_string());
            let mut clocks = before
                .as_ref()
                .map(|b| b.clocks.clone())
                .unwrap_or_default();
            let set = if before.is_some() {
                &checked.changed
            } else {
                &checked.fields_after
            };
            for name in set.keys() {
                clocks.insert(name.clone(), stamp.clone());
            }
            facts.with_tx(|tx| {
                for gone in old.iter().filter(|s| !new.contains(s)) {
                    // Out of this scope now: its devices drop their copy,
                    // and its log keeps nothing of it.
                    tx.forget_changes(&op.entity, &op.entity_id, Some(gone))?;
                    tx.log_change(&change(gone, ChangeAction::Evict, Map::new()))?;
                }
                for audience in &new {
                    tx.log_change(&if old.contains(audience) {
                        change(audience, ChangeAction::Update, checked.changed.clone())
                    } else {
                        change(audience, ChangeAction::Create, checked.fields_after.clone())
                    })?;
                }
                Ok(())
            })?;
            StoredEntity {
                kind: op.entity.clone(),
                id: op.entity_id.clone(),
                scope,
                fields: checked.fields_after,
                clocks,
                deleted: false,
                last_seq: seq,
            }
        }
    };
    facts.save(saved)?;
    facts.with_tx(|tx| tx.record_applied(&op.op_id, seq))?;
    Ok(seq)
}

pub fn entity_state(e: StoredEntity) -> EntityState {
    EntityState {
        entity: e.kind,
        entity_id: e.id,
        fields: e.fields,
        clocks: e.clocks,
        deleted: e.deleted,
    }
}

/// One page of a scope's log for `reader`, who must be allowed to read it.
pub fn pull(tx: &mut dyn Tx, reader: &PersonId, req: &PullRequest) -> Result<PullResponse> {
    let facts = TxFacts::new(tx);
    may_read(&facts, reader, &req.scope)?;
    if req.after < 0 {
        return Err(Error::invalid("after", "cannot be negative"));
    }
    let limit = req.limit.clamp(1, MAX_PULL_PAGE as u32);
    let (rows, last_seq) = facts.with_tx(|tx| {
        Ok((
            tx.changes_after(&req.scope, req.after, limit + 1)?,
            tx.last_seq()?,
        ))
    })?;
    if req.after > last_seq {
        // The device knows of changes this server never made (a restored
        // backup, another server): it must start this scope again.
        return Ok(PullResponse {
            changes: Vec::new(),
            cursor: 0,
            has_more: false,
            remaining_estimate: 0,
            resync: true,
        });
    }
    let has_more = rows.len() > limit as usize;
    let mut rows = rows;
    rows.truncate(limit as usize);
    let cursor = rows.last().map_or(req.after, |c| c.seq);
    let mut narrowing = Narrowing::default();
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        if narrowing.hides(&facts, reader, &row)? {
            continue;
        }
        changes.push(Change {
            seq: row.seq,
            entity: row.kind,
            entity_id: row.entity_id,
            action: row.action,
            fields: row.fields,
            hlc: row.hlc,
            author: row.author,
        });
    }
    let remaining_estimate = if has_more {
        facts.with_tx(|tx| tx.count_after(&req.scope, cursor))?
    } else {
        0
    };
    Ok(PullResponse {
        changes,
        cursor,
        has_more,
        remaining_estimate,
        resync: false,
    })
}

/// Statements shared with "my projects" sit in the organisation's log, and
/// are narrowed here, per reader, with the core's own `may_see`. It judges by
/// the statement as it is now, so narrowing it later hides its history too.
#[derive(Default)]
struct Narrowing {
    /// Projects the reader is an active member of, looked up once per pull.
    my_projects: Option<Vec<String>>,
    shares: HashMap<PersonId, bool>,
}

impl Narrowing {
    fn hides(
        &mut self,
        facts: &TxFacts<'_>,
        reader: &PersonId,
        row: &LoggedChange,
    ) -> Result<bool> {
        if row.kind != "statement"
            || matches!(row.action, ChangeAction::Evict | ChangeAction::Delete)
        {
            return Ok(false);
        }
        let Some(now) = facts.stored("statement", &row.entity_id)? else {
            return Ok(true);
        };
        if now.deleted {
            return Ok(true);
        }
        let statement: Statement = equally_core::rules::decode(now.fields)?;
        let owner = statement.person_id.clone();
        let share = if statement.visibility == statements::Visibility::MyProjects {
            self.share_a_project(facts, reader, &owner)?
        } else {
            false
        };
        Ok(!statements::may_see(
            statement.visibility,
            reader,
            &owner,
            facts,
            share,
        )?)
    }

    fn share_a_project(
        &mut self,
        facts: &TxFacts<'_>,
        reader: &PersonId,
        owner: &PersonId,
    ) -> Result<bool> {
        if let Some(known) = self.shares.get(owner) {
            return Ok(*known);
        }
        if self.my_projects.is_none() {
            let suffix = format!(":{reader}");
            let mine = facts.with_tx(|tx| tx.entities_of_kind("membership"))?;
            self.my_projects = Some(
                mine.into_iter()
                    .filter(|m| !m.deleted && m.id.ends_with(&suffix))
                    .filter(|m| m.fields.get("status").and_then(Value::as_str) == Some("active"))
                    .filter_map(|m| {
                        m.fields
                            .get("project_id")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .collect(),
            );
        }
        let mut share = false;
        for project in self.my_projects.iter().flatten() {
            let project = equally_core::ids::ProjectId::parse(project)?;
            let facts: &dyn Facts = facts;
            if facts.is_member(&project, owner)? {
                share = true;
                break;
            }
        }
        self.shares.insert(owner.clone(), share);
        Ok(share)
    }
}
