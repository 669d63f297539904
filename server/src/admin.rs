//! What the charity's digital team does on the server: set up the
//! organisation, invite people, revoke a lost phone, and answer
//! data-protection requests (export everything held about a person; erase
//! them while keeping everyone else's records whole).

use crate::facts::TxFacts;
use crate::identity;
use crate::storage::{Device, Invite, LoggedChange, Storage, StoredEntity, Tx};
use crate::sync::{self, Origin};
use equally_rules::entity::{Facts, Scope, encode};
use equally_rules::error::{Error, Result};
use equally_rules::hlc::Hlc;
use equally_rules::ids::{OpId, OrganisationId, PersonId};
use equally_rules::people::{Organisation, Person, PersonKind, SharedPreferences};
use equally_rules::registry::KINDS;
use equally_rules::text::Text;
use equally_rules::time::Timestamp;
use equally_rules::wire::{ChangeAction, OpResult};
use equally_rules::wire::{Op, OpAction};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A stamp for a change the server makes itself. Node 0 is the server's.
fn server_stamp(now_ms: i64, counter: u32) -> Hlc {
    Hlc {
        wall_ms: now_ms.max(0) as u64,
        counter,
        node: 0,
    }
}

/// An invite as handed to the person: the code itself is shown once and
/// never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuedInvite {
    pub code: String,
    pub person_id: PersonId,
    pub expires_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub organisation_id: OrganisationId,
    pub staff: IssuedInvite,
}

fn apply_server_op(tx: &mut dyn Tx, op: Op, now_ms: i64) -> Result<()> {
    match sync::push(tx, &Origin::Server, std::slice::from_ref(&op), now_ms)?.pop() {
        Some(OpResult::Applied { .. }) => Ok(()),
        Some(OpResult::Rejected { code, message, .. }) => Err(match code.as_str() {
            "not_allowed" => Error::not_allowed(message),
            "conflict" => Error::conflict(message),
            _ => Error::invalid("record", message),
        }),
        None => Err(Error::Storage {
            detail: "an op went unanswered".into(),
        }),
    }
}

fn organisation(tx: &mut dyn Tx) -> Result<Option<StoredEntity>> {
    Ok(tx
        .entities_of_kind("organisation")?
        .into_iter()
        .find(|o| !o.deleted))
}

fn issue_invite(
    tx: &mut dyn Tx,
    person: &PersonId,
    by: &PersonId,
    now_ms: i64,
    days: i64,
) -> Result<IssuedInvite> {
    let code = identity::new_invite_code()?;
    let normalised = identity::normalise_code(&code).ok_or_else(|| Error::Storage {
        detail: "a new code did not read back".into(),
    })?;
    let expires_at_ms = now_ms + days.clamp(1, 90) * DAY_MS;
    tx.insert_invite(&Invite {
        code_hash: identity::hash_code(&normalised),
        person_id: person.clone(),
        created_by: by.clone(),
        created_at_ms: now_ms,
        expires_at_ms,
        used_at_ms: None,
    })?;
    Ok(IssuedInvite {
        code,
        person_id: person.clone(),
        expires_at_ms,
    })
}

fn person_op(person: &Person, author: &PersonId, now_ms: i64) -> Result<Op> {
    Ok(Op {
        op_id: OpId::new(),
        entity: "person".into(),
        entity_id: person.id.to_string(),
        action: OpAction::Create,
        fields: encode(person)?,
        hlc: server_stamp(now_ms, 1),
        author: author.clone(),
    })
}

/// Sets up the organisation and its first member of staff, once.
pub fn init(storage: &dyn Storage, org_name: &str, staff_name: &str, now_ms: i64) -> Result<Setup> {
    storage.write_with(|tx| {
        if organisation(tx)?.is_some() {
            return Err(Error::conflict("this server is already set up"));
        }
        let org = Organisation {
            id: OrganisationId::new(),
            name: org_name.trim().to_string(),
            created_at: Timestamp(now_ms),
        };
        let staff = Person::new(
            org.id.clone(),
            staff_name,
            None,
            PersonKind::Staff,
            SharedPreferences::default(),
            Timestamp(now_ms),
        );
        let org_op = Op {
            op_id: OpId::new(),
            entity: "organisation".into(),
            entity_id: org.id.to_string(),
            action: OpAction::Create,
            fields: encode(&org)?,
            hlc: server_stamp(now_ms, 0),
            author: staff.id.clone(),
        };
        apply_server_op(tx, org_op, now_ms)?;
        apply_server_op(tx, person_op(&staff, &staff.id, now_ms)?, now_ms)?;
        let invite = issue_invite(
            tx,
            &staff.id,
            &staff.id,
            now_ms,
            identity::DEFAULT_INVITE_DAYS,
        )?;
        Ok(Setup {
            organisation_id: org.id,
            staff: invite,
        })
    })
}

/// Who an invite is for: someone new, or a person who is already here and
/// is setting up another device.
#[derive(Clone, Debug)]
pub enum Invitee {
    New { name: String, kind: PersonKind },
    Existing(PersonId),
}

/// A member of staff invites a person: a new person is added to the
/// organisation at once, and the code lets them set up one device.
pub fn invite(
    storage: &dyn Storage,
    by: &PersonId,
    invitee: Invitee,
    now_ms: i64,
    days: i64,
) -> Result<IssuedInvite> {
    storage.write_with(|tx| {
        let (id, new_person) = {
            let facts = TxFacts::new(&mut *tx);
            let f: &dyn Facts = &facts;
            if !f.is_staff(by)? {
                return Err(Error::not_allowed("only staff can invite people"));
            }
            match &invitee {
                Invitee::Existing(id) => {
                    f.person(id)?;
                    (id.clone(), None)
                }
                Invitee::New { name, kind } => {
                    let me = f.person(by)?;
                    let p = Person::new(
                        me.organisation_id,
                        name,
                        None,
                        *kind,
                        SharedPreferences::default(),
                        Timestamp(now_ms),
                    );
                    (p.id.clone(), Some(p))
                }
            }
        };
        if let Some(p) = new_person {
            apply_server_op(tx, person_op(&p, by, now_ms)?, now_ms)?;
        }
        issue_invite(tx, &id, by, now_ms, days)
    })
}

/// What redeeming an invite gives a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redeemed {
    pub device_id: String,
    pub token: String,
    pub person_id: PersonId,
    pub organisation_id: OrganisationId,
}

/// Turns a valid code into a device and its token. A wrong, used or expired
/// code gets the same answer, so trying codes reveals nothing.
pub fn redeem(storage: &dyn Storage, typed: &str, now_ms: i64) -> Result<Option<Redeemed>> {
    let Some(code) = identity::normalise_code(typed) else {
        return Ok(None);
    };
    let hash = identity::hash_code(&code);
    storage.write_with(|tx| {
        let Some(invite) = tx.use_invite(&hash, now_ms)? else {
            return Ok(None);
        };
        let Some(org) = organisation(tx)? else {
            return Ok(None);
        };
        let token = identity::new_token()?;
        let device = Device {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: invite.person_id.clone(),
            revoked: false,
            created_at_ms: now_ms,
        };
        tx.insert_device(&device, &identity::hash_token(&token))?;
        Ok(Some(Redeemed {
            device_id: device.id,
            token,
            person_id: invite.person_id,
            organisation_id: OrganisationId::parse(&org.id)?,
        }))
    })
}

pub fn revoke_device(storage: &dyn Storage, device: &str) -> Result<bool> {
    storage.write_with(|tx| tx.revoke_device(device))
}

/// Whether `value` mentions `id` anywhere inside it.
fn mentions(value: &Value, id: &str) -> bool {
    match value {
        Value::String(s) => s == id,
        Value::Array(items) => items.iter().any(|v| mentions(v, id)),
        Value::Object(map) => map.values().any(|v| mentions(v, id)),
        _ => false,
    }
}

fn scope_json(scope: &Scope) -> Value {
    serde_json::to_value(scope).unwrap_or(Value::Null)
}

fn change_json(c: &LoggedChange) -> Value {
    json!({
        "seq": c.seq,
        "scope": scope_json(&c.scope),
        "entity": c.kind,
        "entity_id": c.entity_id,
        "action": crate::storage::action_text(c.action),
        "fields": c.fields,
        "hlc": c.hlc.to_string(),
    })
}

/// Everything the server holds about a person, as one JSON document: their
/// person record, every record that mentions them or sits in their personal
/// scope, the changes they made, their devices, invites and push tokens.
pub fn export(storage: &dyn Storage, person: &PersonId, now_ms: i64) -> Result<Value> {
    storage.read_with(|tx| {
        let me = tx
            .load("person", person.as_str())?
            .filter(|p| !p.deleted)
            .ok_or_else(|| Error::not_found("person", person))?;
        let mut records = Vec::new();
        for kind in KINDS {
            for e in tx.entities_of_kind(kind)? {
                let theirs = e.scope == Scope::Personal(person.clone());
                if e.deleted || (e.kind == "person" && e.id == person.as_str()) {
                    continue;
                }
                if theirs || mentions(&Value::Object(e.fields.clone()), person.as_str()) {
                    records.push(json!({
                        "entity": e.kind,
                        "entity_id": e.id,
                        "scope": scope_json(&e.scope),
                        "fields": e.fields,
                    }));
                }
            }
        }
        let changes: Vec<Value> = tx
            .changes_by_author(person)?
            .iter()
            .map(change_json)
            .collect();
        let invites: Vec<Value> = tx
            .invites_of(person)?
            .into_iter()
            .map(|i| {
                json!({
                    "created_by": i.created_by,
                    "created_at_ms": i.created_at_ms,
                    "expires_at_ms": i.expires_at_ms,
                    "used_at_ms": i.used_at_ms,
                })
            })
            .collect();
        Ok(json!({
            "person_id": person,
            "exported_at_ms": now_ms,
            "person": me.fields,
            "records": records,
            "changes_made": changes,
            "devices": tx.devices_of(person)?,
            "invites": invites,
            "push_tokens": tx.push_tokens_of(person)?,
        }))
    })
}

/// What erasure does to one record that concerns the erased person.
#[derive(Clone, Debug, PartialEq)]
enum Fate {
    Keep,
    /// Deleted, with a tombstone: it was theirs alone.
    Delete,
    /// Kept for everyone else, with these fields replaced.
    Blank(Map<String, Value>),
}

/// The words left where an erased person's words were.
pub const ERASED: &str = "(erased)";

fn erased_text() -> Value {
    serde_json::to_value(Text::new("en-GB", ERASED)).unwrap_or(Value::Null)
}

fn is(fields: &Map<String, Value>, name: &str, person: &PersonId) -> bool {
    fields.get(name).and_then(Value::as_str) == Some(person.as_str())
}

/// A vote keeps counting through erasure: its reason becomes "(erased)"
/// rather than nothing, because an objection or block must carry a reason
/// to count, and their answer to "what would make it OK" goes.
fn erased_vote(f: &Map<String, Value>) -> Fate {
    let mut pairs = Vec::new();
    if f.get("reason").is_some_and(|r| !r.is_null()) {
        pairs.push(("reason", Value::String(ERASED.into())));
    }
    if let Some(Value::Object(objection)) = f.get("objection") {
        let mut objection = objection.clone();
        if objection
            .get("what_would_make_it_ok")
            .is_some_and(|a| !a.is_null())
        {
            objection.insert("what_would_make_it_ok".into(), Value::Null);
            pairs.push(("objection", Value::Object(objection)));
        }
    }
    if pairs.is_empty() {
        Fate::Keep
    } else {
        blank(&pairs)
    }
}

fn blank(pairs: &[(&str, Value)]) -> Fate {
    Fate::Blank(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The erasure policy, kind by kind. Every kind the registry lists must have
/// one (a test checks it), so a new kind cannot slip past erasure.
///
/// - What was theirs alone goes: their statements, their offers, risks and
///   check-ins about them, their support links.
/// - What the group shares stays, with their words blanked: contributions
///   keep their minutes, expenses and date (the project's record of time
///   given, and the charity's of money paid) but not what they wrote;
///   updates and review items keep their place (others' read receipts and
///   +1s point at them) but not their text, and so do agenda items they
///   added; thanks lose their note; a removal loses its reason.
/// - Their person record stays, so ids in the project's history still lead
///   somewhere, but it names no one: the name becomes "(erased)", pronouns
///   and what organisers saw of their preferences are cleared; their
///   personal settings are deleted.
/// - Records that only point at them by id (memberships, actions they own,
///   read receipts, +1s, RSVPs, attendance, meetings they organised,
///   check-ins they wrote about others) stay as they are: the id is now a
///   pseudonym.
/// - Votes, when they exist, stay counted: the voter id remains as the
///   pseudonym that keeps one member, one vote; reasons are blanked.
fn fate(kind: &str, f: &Map<String, Value>, p: &PersonId) -> Option<Fate> {
    Some(match kind {
        "organisation" | "project" | "need" | "action" | "update_read" | "review_support" => {
            Fate::Keep
        }
        "person" if f.get("id").and_then(Value::as_str) == Some(p.as_str()) => {
            // What organisers saw of their preferences goes back to the
            // defaults (every field of `SharedPreferences`).
            let mut cleared = encode(&SharedPreferences::default()).unwrap_or_default();
            cleared.insert("name".into(), Value::String(ERASED.into()));
            cleared.insert("pronouns".into(), Value::Null);
            Fate::Blank(cleared)
        }
        "person" => Fate::Keep,
        // Their own settings (languages, easy-read, reminders, notes in
        // their own words) were theirs alone.
        "personal_settings" => Fate::Delete,
        "support_link" if is(f, "person_id", p) || is(f, "staff_id", p) => Fate::Delete,
        "support_link" => Fate::Keep,
        "membership" if is(f, "person_id", p) && !f.get("reason").is_none_or(Value::is_null) => {
            blank(&[("reason", Value::Null)])
        }
        "membership" => Fate::Keep,
        "offer" | "statement" if is(f, "person_id", p) => Fate::Delete,
        "offer" | "statement" => Fate::Keep,
        "contribution" if is(f, "person_id", p) => blank(&[("what", Value::String(ERASED.into()))]),
        "contribution" => Fate::Keep,
        "thanks" if is(f, "from_person", p) => blank(&[("note", Value::Null)]),
        "thanks" => Fate::Keep,
        "update" if is(f, "author_id", p) => blank(&[("body", erased_text())]),
        "update" => Fate::Keep,
        "review_item" if is(f, "author_id", p) => blank(&[("text", erased_text())]),
        "review_item" => Fate::Keep,
        "risk" if is(f, "about_person", p) => Fate::Delete,
        "risk" => Fate::Keep,
        // Check-ins about them go; one they wrote about someone else is that
        // person's record and stays.
        "check_in" if is(f, "person_id", p) => Fate::Delete,
        "check_in" => Fate::Keep,
        "agenda_item" if is(f, "added_by", p) => blank(&[("text", erased_text())]),
        "agenda_item" | "meeting" | "meeting_rsvp" | "attendance" => Fate::Keep,
        // A vote stays counted under its pseudonymous voter id (one member,
        // one vote survives erasure); their reason goes. A proposal is the
        // group's decision record and stays; ballot boxes name nobody.
        "vote" if is(f, "voter", p) => erased_vote(f),
        "vote" | "proposal" | "ballot_box" => Fate::Keep,
        _ => return None,
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub deleted: Vec<String>,
    pub blanked: Vec<String>,
    pub changes_anonymised: u64,
    pub devices_removed: usize,
}

/// Erases a person: see [`fate`] for what happens to each kind of record.
/// Their devices, invites and push tokens are removed, and the changes they
/// made lose their author. Blanked or deleted records also lose their
/// history from the change log, so no earlier wording survives there.
pub fn erase(storage: &dyn Storage, person: &PersonId, now_ms: i64) -> Result<Erasure> {
    storage.write_with(|tx| {
        tx.load("person", person.as_str())?
            .filter(|p| !p.deleted)
            .ok_or_else(|| Error::not_found("person", person))?;
        let mut report = Erasure::default();
        let mut counter = 0u32;
        let mut recount = Vec::new();
        for kind in KINDS {
            for e in tx.entities_of_kind(kind)? {
                if e.deleted {
                    continue;
                }
                let fate = fate(kind, &e.fields, person).ok_or_else(|| Error::Storage {
                    detail: format!("no erasure policy for {kind}"),
                })?;
                if fate == Fate::Keep {
                    continue;
                }
                counter += 1;
                let hlc = server_stamp(now_ms, counter);
                let label = format!("{}:{}", e.kind, e.id);
                match fate {
                    Fate::Delete => {
                        rewrite(tx, e, None, hlc)?;
                        report.deleted.push(label);
                    }
                    Fate::Blank(set) => {
                        if kind == &"vote" && e.fields.get("anonymous") == Some(&Value::Bool(true))
                        {
                            recount.push(e.id.clone());
                        }
                        rewrite(tx, e, Some(set), hlc)?;
                        report.blanked.push(label);
                    }
                    Fate::Keep => {}
                }
            }
        }
        // An anonymous proposal's ballot box carries its ballots' reasons:
        // count it again so the blanked reason leaves it too.
        {
            let facts = crate::facts::TxFacts::new(&mut *tx);
            for vote in &recount {
                sync::count_anonymous_ballots(&facts, vote, now_ms)?;
            }
        }
        report.devices_removed = tx.devices_of(person)?.len();
        tx.forget_person_access(person)?;
        report.changes_anonymised = tx.anonymise_author(person)?;
        Ok(report)
    })
}

/// Replaces an entity's fields (or deletes it) outside the rules, for
/// erasure, and replaces its whole history in the log with one change
/// carrying the entity as it now is.
fn rewrite(
    tx: &mut dyn Tx,
    mut e: StoredEntity,
    set: Option<Map<String, Value>>,
    hlc: Hlc,
) -> Result<()> {
    let seq = tx.next_seq()?;
    let audiences = {
        let facts = crate::facts::TxFacts::new(&mut *tx);
        let duties = crate::duties::Duties::new(&facts, hlc.wall_ms as i64);
        sync::audiences(&duties, &e.kind, &e.fields)?
    };
    tx.forget_changes(&e.kind, &e.id, None)?;
    let (action, fields) = match set {
        None => {
            e.deleted = true;
            e.fields = sync::tombstone_fields(hlc.wall_ms as i64);
            e.clocks = Map::new();
            (ChangeAction::Delete, Map::new())
        }
        Some(set) => {
            for (name, value) in set {
                e.clocks
                    .insert(name.clone(), Value::String(hlc.to_string()));
                e.fields.insert(name, value);
            }
            (ChangeAction::Create, e.fields.clone())
        }
    };
    for scope in audiences {
        tx.log_change(&LoggedChange {
            seq,
            scope,
            kind: e.kind.clone(),
            entity_id: e.id.clone(),
            action,
            fields: fields.clone(),
            hlc,
            author: None,
            op_id: None,
        })?;
    }
    e.last_seq = seq;
    tx.save_entity(&e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_record_has_an_erasure_policy() {
        let someone = PersonId::new();
        for kind in KINDS {
            assert!(
                fate(kind, &Map::new(), &someone).is_some(),
                "no erasure policy for {kind}"
            );
        }
    }
}

/// How long a tombstone is kept by default: a phone that has not synced for
/// longer than this starts its scopes again.
pub const DEFAULT_TOMBSTONE_DAYS: u32 = 90;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Compaction {
    /// Tombstones dropped, with the delete changes that announced them.
    pub tombstones_removed: u64,
    /// Scopes whose horizon moved: their devices with an older cursor
    /// re-sync from scratch on their next pull.
    pub scopes_moved: u64,
}

/// Drops tombstones older than `keep_days` (by when the server recorded the
/// delete) and the delete changes that carried them, and raises each
/// affected scope's horizon past them. A device whose cursor in a scope is
/// below its horizon may have missed one of those deletes, so its next pull
/// says `resync` and it starts the scope again (DESIGN.md, Sync 4). Run it
/// from a daily timer; it is safe to run any time, and twice.
pub fn compact(storage: &dyn Storage, keep_days: u32, now_ms: i64) -> Result<Compaction> {
    let before_ms = now_ms.saturating_sub(i64::from(keep_days) * 24 * 3600 * 1000);
    storage.write_with(|tx| {
        let mut report = Compaction::default();
        let mut moved: HashMap<Scope, i64> = HashMap::new();
        for tombstone in tx.tombstones_deleted_before(before_ms)? {
            for change in tx.changes_of_entity(&tombstone.kind, &tombstone.id)? {
                let seq = moved.entry(change.scope).or_default();
                *seq = (*seq).max(change.seq);
            }
            tx.forget_changes(&tombstone.kind, &tombstone.id, None)?;
            tx.remove_entity(&tombstone.kind, &tombstone.id)?;
            report.tombstones_removed += 1;
        }
        for (scope, seq) in &moved {
            tx.raise_horizon(scope, *seq)?;
        }
        report.scopes_moved = moved.len() as u64;
        Ok(report)
    })
}
