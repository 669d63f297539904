//! Push and pull: how a pushed op becomes a change in the log, and how a
//! device reads the log of a scope. Every op is checked with the shared
//! rules and this server's duties for its kind (`registry::check_pushed_op`,
//! `crate::duties`); what is decided here is only what the server alone
//! can decide: de-duplication, last-writer-wins by clock, tombstones, the
//! order of the log, which scopes a change is written to, and, on an
//! anonymous proposal, that a vote reaches only its voter while the project
//! receives the ballot box.

use crate::duties::Duties;
use crate::facts::{TxFacts, may_read};
use crate::storage::{LoggedChange, StoredEntity, Tx};
use equally_rules::decisions::{self, BallotBox, Proposal, VoteAudience, VoteRecord};
use equally_rules::duties::{Receivers, Refusal};
use equally_rules::entity::{Entity, Facts, Scope};
use equally_rules::error::{Error, Result};
use equally_rules::hlc::{Hlc, MAX_DRIFT_MS};
use equally_rules::ids::PersonId;
use equally_rules::projects::Membership;
use equally_rules::registry::{self, CheckedOp};
use equally_rules::statements::{self, Statement};
use equally_rules::time::Timestamp;
use equally_rules::wire::{
    Change, ChangeAction, EntityState, MAX_PULL_PAGE, OpResult, PullRequest, PullResponse,
};
use equally_rules::wire::{Op, OpAction};
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
    let duties = Duties::new(&facts, now_ms);
    let mut results = Vec::with_capacity(ops.len());
    let ids: Vec<_> = ops.iter().map(|o| &o.op_id).collect();
    let mut done = facts.with_tx(|tx| tx.applied_seqs(&ids))?;
    let targets: Vec<(&str, &str)> = ops
        .iter()
        .map(|o| (o.entity.as_str(), o.entity_id.as_str()))
        .collect();
    facts.prefetch(&targets)?;
    for op in ops {
        if let Some(&seq) = done.get(&op.op_id) {
            results.push(OpResult::Applied {
                op_id: op.op_id.clone(),
                seq,
            });
            continue;
        }
        let result = match plan(&duties, origin, op) {
            Ok(Plan::Settled(seq)) => {
                facts.with_tx(|tx| tx.record_applied(&op.op_id, seq))?;
                done.insert(op.op_id.clone(), seq);
                OpResult::Applied {
                    op_id: op.op_id.clone(),
                    seq,
                }
            }
            Ok(Plan::Write {
                checked,
                before,
                hlc,
            }) => {
                // What the server owes the kind once the change is in
                // (a vote's arrival and seat, the ballot box) needs the
                // entity before and after; a delete is owed nothing.
                let applied = checked.scope_after.is_some().then(|| {
                    (
                        before.as_ref().map(|b| b.fields.clone()),
                        checked.fields_after.clone(),
                    )
                });
                let seq = write(&duties, op, *checked, before, hlc)?;
                if let Some((before, after)) = &applied {
                    registry::after_applying(&op.entity, before.as_ref(), after, hlc, &duties)?;
                }
                done.insert(op.op_id.clone(), seq);
                OpResult::Applied {
                    op_id: op.op_id.clone(),
                    seq,
                }
            }
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

impl From<Refusal> for PlanError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Rule(e) => e.into(),
            too_late => PlanError::Rejected(Rejection::new(too_late.code(), too_late.to_string())),
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

fn plan(duties: &Duties<'_, '_>, origin: &Origin, op: &Op) -> std::result::Result<Plan, PlanError> {
    let facts = duties.facts();
    let now_ms = duties.now_ms();
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
    let checked = registry::check_pushed_op(&effective, facts, duties)?;
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

/// The server's own fields on a vote it accepts, once its op is written:
/// when it arrived (`received_at`, by the server's clock), and on an
/// anonymous proposal the voter's `seat` in the ballot box, a random token
/// kept for good. They go in a change of their own, stamped by the server
/// later than the vote's own stamp, so the voter's phone (which holds the
/// vote at that stamp) takes them when it pulls.
pub(crate) fn stamp_arrival(duties: &Duties<'_, '_>, vote_id: &str, vote_stamp: Hlc) -> Result<()> {
    let (facts, now_ms) = (duties.facts(), duties.now_ms());
    let Some(mut stored) = facts.stored(VoteRecord::KIND, vote_id)? else {
        return Ok(());
    };
    if stored.deleted {
        return Ok(());
    }
    let mut own = Map::new();
    own.insert("received_at".into(), Value::from(now_ms));
    let anonymous = stored.fields.get("anonymous") == Some(&Value::Bool(true));
    let seated = stored.fields.get("seat").is_some_and(|s| !s.is_null());
    if anonymous && !seated {
        let bytes = crate::identity::random_bytes::<16>()?;
        let seat: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        own.insert("seat".into(), Value::String(seat));
    }
    let now = now_ms.max(0) as u64;
    let hlc = if now > vote_stamp.wall_ms {
        Hlc {
            wall_ms: now,
            counter: 0,
            node: 0,
        }
    } else {
        Hlc {
            wall_ms: vote_stamp.wall_ms,
            counter: vote_stamp.counter.saturating_add(1),
            node: 0,
        }
    };
    let seq = facts.with_tx(|tx| tx.next_seq())?;
    let audiences = audiences(duties, &stored.kind, &stored.fields)?;
    facts.with_tx(|tx| {
        for scope in &audiences {
            tx.log_change(&LoggedChange {
                seq,
                scope: scope.clone(),
                kind: VoteRecord::KIND.into(),
                entity_id: vote_id.into(),
                action: ChangeAction::Update,
                fields: own.clone(),
                hlc,
                author: None,
                op_id: None,
            })?;
        }
        Ok(())
    })?;
    let stamp = Value::String(hlc.to_string());
    for (name, value) in own {
        stored.clocks.insert(name.clone(), stamp.clone());
        stored.fields.insert(name, value);
    }
    stored.last_seq = seq;
    facts.save(stored)
}

/// After a vote on an anonymous proposal is accepted, the server counts the
/// proposal's ballots again and logs the box (no voter ids) in the project's
/// scope, replacing the box before it: members count from it, since they
/// never receive each other's vote records.
pub(crate) fn count_anonymous_ballots(
    facts: &TxFacts<'_>,
    vote_id: &str,
    now_ms: i64,
) -> Result<()> {
    let rules: &dyn Facts = facts;
    let Some(record) = rules.get::<VoteRecord>(vote_id)? else {
        return Ok(());
    };
    if decisions::vote_audience(&record) == VoteAudience::Project(record.project_id.clone()) {
        return Ok(());
    }
    let Some(proposal) = rules.get::<Proposal>(record.proposal_id.as_str())? else {
        return Ok(());
    };
    let mut records = Vec::new();
    for voter in &proposal.electorate {
        if let Some(v) = rules.get::<VoteRecord>(&VoteRecord::id_for(&proposal.id, voter))? {
            records.push(v);
        }
    }
    let counted = decisions::ballot_box(&proposal, &records, Timestamp(now_ms));
    let fields = equally_rules::entity::encode(&counted)?;
    let scope = counted.scope();
    let hlc = Hlc {
        wall_ms: now_ms.max(0) as u64,
        counter: 0,
        node: 0,
    };
    let seq = facts.with_tx(|tx| tx.next_seq())?;
    facts.with_tx(|tx| {
        // Only the latest count matters: earlier boxes leave the log.
        tx.forget_changes(BallotBox::KIND, counted.id(), None)?;
        tx.log_change(&LoggedChange {
            seq,
            scope: scope.clone(),
            kind: BallotBox::KIND.into(),
            entity_id: counted.id().into(),
            action: ChangeAction::Create,
            fields: fields.clone(),
            hlc,
            author: None,
            op_id: None,
        })
    })?;
    let stamp = Value::String(hlc.to_string());
    facts.save(StoredEntity {
        kind: BallotBox::KIND.into(),
        id: counted.id().into(),
        scope,
        clocks: fields.keys().map(|k| (k.clone(), stamp.clone())).collect(),
        fields,
        deleted: false,
        last_seq: seq,
    })
}

/// What a tombstone keeps: when it was made, by the server's clock, so
/// `admin compact` can drop it once it is past the tombstone window.
pub fn tombstone_fields(now_ms: i64) -> Map<String, Value> {
    Map::from_iter([("deleted_at".to_string(), Value::from(now_ms))])
}

/// The logs a change to an entity is written to, from who receives it
/// (`ServerDuties::receivers`): its own scope's, plus the personal log of
/// someone it opens a scope to, who cannot read the scope it lives in yet.
/// Narrower audiences (an anonymous vote's voter, a statement's readers)
/// are kept in the scope's log and narrowed per reader by `pull`.
pub fn audiences(
    duties: &Duties<'_, '_>,
    kind: &str,
    fields: &Map<String, Value>,
) -> Result<Vec<Scope>> {
    let (scope, receivers) = registry::receivers(kind, fields, duties)?;
    Ok(match receivers {
        Receivers::ItsScopeAndThem(person) => vec![scope, Scope::Personal(person)],
        Receivers::ItsScope | Receivers::OnlyThem(_) | Receivers::ThoseItsRuleLetsSee => {
            vec![scope]
        }
    })
}

fn write(
    duties: &Duties<'_, '_>,
    op: &Op,
    checked: CheckedOp,
    before: Option<StoredEntity>,
    hlc: Hlc,
) -> Result<i64> {
    let (facts, now_ms) = (duties.facts(), duties.now_ms());
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
    let old = match &before {
        Some(b) => audiences(duties, &b.kind, &b.fields)?,
        None => Vec::new(),
    };
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
                fields: tombstone_fields(now_ms),
                clocks: Map::new(),
                deleted: true,
                last_seq: seq,
                ..before
            }
        }
        Some(scope) => {
            let new = audiences(duties, &op.entity, &checked.fields_after)?;
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
        // A tombstone's only field is the server's own note of when.
        fields: if e.deleted { Map::new() } else { e.fields },
        clocks: e.clocks,
        deleted: e.deleted,
    }
}

/// A cursor is opaque to devices. Its low bits are the sequence number of
/// the last change delivered; its high bits, the scope's compaction epoch
/// when it was handed out. That tells a phone that was away while
/// compaction dropped deletes (it must start again) from one that is paging
/// through the log as it is now (it may carry on), though both stand below
/// the horizon.
const CURSOR_SEQ_BITS: u32 = 40;

pub fn cursor_of(epoch: i64, seq: i64) -> i64 {
    (epoch << CURSOR_SEQ_BITS) | seq
}

fn split_cursor(cursor: i64) -> (i64, i64) {
    (
        cursor >> CURSOR_SEQ_BITS,
        cursor & ((1 << CURSOR_SEQ_BITS) - 1),
    )
}

/// One page of a scope's log for `reader`, who must be allowed to read it.
pub fn pull(tx: &mut dyn Tx, reader: &PersonId, req: &PullRequest) -> Result<PullResponse> {
    let facts = TxFacts::new(tx);
    may_read(&facts, reader, &req.scope)?;
    if req.after < 0 {
        return Err(Error::invalid("after", "cannot be negative"));
    }
    let (epoch, after) = split_cursor(req.after);
    let limit = req.limit.clamp(1, MAX_PULL_PAGE as u32);
    let (rows, last_seq, horizon) = facts.with_tx(|tx| {
        Ok((
            tx.changes_after(&req.scope, after, limit + 1)?,
            tx.last_seq()?,
            tx.horizon(&req.scope)?,
        ))
    })?;
    let missed_deletes = after > 0 && epoch < horizon.epoch && after < horizon.seq;
    if after > last_seq || missed_deletes {
        // The device knows of changes this server never made (a restored
        // backup, another server), or its cursor is older than deletes that
        // compaction has since dropped from the log: it must start this
        // scope again.
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
    let last = rows.last().map_or(after, |c| c.seq);
    let cursor = cursor_of(horizon.epoch, last);
    let mut narrowing = Narrowing::default();
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        if narrowing.hides(&facts, reader, &row)? {
            continue;
        }
        let mut row = row;
        if row.kind == VoteRecord::KIND {
            match narrowing.vote_reaches(&facts, reader, &row.entity_id)? {
                VoteDelivery::Withheld => continue,
                VoteDelivery::VoterOnly => row.author = None,
                VoteDelivery::Project => {}
            }
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
        facts.with_tx(|tx| tx.count_after(&req.scope, last))?
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

/// How a vote record's change reaches one reader.
enum VoteDelivery {
    /// A named proposal: every member of the project.
    Project,
    /// An anonymous proposal, and the reader is the voter: sent without the
    /// change's author (who may be a member who entered it for them).
    VoterOnly,
    /// An anonymous proposal, and the reader is someone else: never sent,
    /// not even its id (which names the voter) in an evict or a delete.
    Withheld,
}

/// Statements shared with "my projects" sit in the organisation's log, and
/// are narrowed here, per reader, with the core's own `may_see`. It judges by
/// the statement as it is now, so narrowing it later hides its history too.
#[derive(Default)]
struct Narrowing {
    /// Projects the reader is an active member of, looked up once per pull.
    my_projects: Option<Vec<equally_rules::ids::ProjectId>>,
    shares: HashMap<PersonId, bool>,
    /// Whether each proposal seen in this pull is anonymous.
    anonymous: HashMap<String, bool>,
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
        let statement: Statement = equally_rules::entity::decode(now.fields)?;
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

    /// Votes sit in their project's log; those on an anonymous proposal are
    /// narrowed here to their voter, by the core's `vote_audience`. A vote
    /// record no longer held (erased, deleted) is judged by its proposal,
    /// and withheld from everyone but the voter when in doubt.
    fn vote_reaches(
        &mut self,
        facts: &TxFacts<'_>,
        reader: &PersonId,
        vote_id: &str,
    ) -> Result<VoteDelivery> {
        let rules: &dyn Facts = facts;
        let audience = match rules.get::<VoteRecord>(vote_id) {
            Ok(Some(record)) => Some(decisions::vote_audience(&record)),
            Err(e @ Error::Storage { .. }) => return Err(e),
            Ok(None) | Err(_) => None,
        };
        let (proposal, voter) = vote_id.split_once(':').unwrap_or((vote_id, ""));
        let voter_only = match audience {
            Some(VoteAudience::Project(_)) => return Ok(VoteDelivery::Project),
            Some(VoteAudience::VoterOnly(voter)) => &voter == reader,
            None => {
                let anonymous = match self.anonymous.get(proposal) {
                    Some(known) => *known,
                    None => {
                        let known = match rules.get::<Proposal>(proposal) {
                            Ok(Some(p)) => p.is_anonymous(),
                            Err(e @ Error::Storage { .. }) => return Err(e),
                            Ok(None) | Err(_) => true,
                        };
                        self.anonymous.insert(proposal.to_string(), known);
                        known
                    }
                };
                if !anonymous {
                    return Ok(VoteDelivery::Project);
                }
                voter == reader.as_str()
            }
        };
        Ok(if voter_only {
            VoteDelivery::VoterOnly
        } else {
            VoteDelivery::Withheld
        })
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
            let mut mine = Vec::new();
            for m in facts.with_tx(|tx| tx.entities_of_kind("membership"))? {
                if m.deleted || !m.id.ends_with(&suffix) {
                    continue;
                }
                let m: Membership = equally_rules::entity::decode(m.fields)?;
                if &m.person_id == reader && m.is_active() {
                    mine.push(m.project_id);
                }
            }
            self.my_projects = Some(mine);
        }
        let mut share = false;
        for project in self.my_projects.iter().flatten() {
            let facts: &dyn Facts = facts;
            if facts.is_member(project, owner)? {
                share = true;
                break;
            }
        }
        self.shares.insert(owner.clone(), share);
        Ok(share)
    }
}
