//! The rules every change must pass, written once and used by the device
//! (before a local write) and the sync server (before applying a pushed op).
//! A change is checked by merging its fields onto what is stored, decoding
//! the result as the entity, validating it, then asking the entity whether
//! its author may make it, given the facts the checker can look up.

use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Who may see an entity, and so which devices receive it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(tag = "tier", content = "id", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    /// Everyone in the organisation.
    Organisation,
    /// Members of one project.
    Project(ProjectId),
    /// One person, and the staff who support them.
    Personal(PersonId),
}

/// Something kept in the store and carried by sync.
pub trait Entity: Serialize + DeserializeOwned + Clone + Send + 'static {
    /// The name used in ops and change notices, e.g. `"project"`.
    const KIND: &'static str;
    /// The table it lives in.
    const TABLE: &'static str;
    /// Append-only entities (contributions, thanks, reads) are created once
    /// and never edited.
    const APPEND_ONLY: bool = false;

    fn id(&self) -> &str;
    fn scope(&self) -> Scope;
    /// Checks the values alone (lengths, ranges, formats).
    fn validate(&self) -> Result<()>;
    /// Checks that `author` may turn `before` into `self`, given `facts`.
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()>;
    /// Whether a tombstone may be written for it by `author`. Most things
    /// are not deleted but ended (withdrawn, left, done), so: no.
    fn may_delete(&self, _author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        Err(Error::not_allowed(format!(
            "a {} is not deleted",
            Self::KIND
        )))
    }
}

/// What a rule may look up about the world. The device answers from its
/// SQLite file, the server from its own store.
pub trait Facts {
    /// The stored fields of an entity, by kind and id.
    fn load(&self, kind: &str, id: &str) -> Result<Option<Map<String, Value>>>;
    /// The membership of a person in a project, if any (whatever its status).
    fn membership(
        &self,
        project: &ProjectId,
        person: &PersonId,
    ) -> Result<Option<crate::projects::Membership>>;
    /// Whether `staff` is one of the staff who support `person`.
    fn supports(&self, staff: &PersonId, person: &PersonId) -> Result<bool>;
    /// Every membership of a project, whatever its status, or `None` when
    /// this checker cannot list them. A rule that needs the whole list (a
    /// proposal's electorate leaves nobody out) is skipped where it is
    /// `None`, so every checker that can list members must.
    fn memberships(
        &self,
        _project: &ProjectId,
    ) -> Result<Option<Vec<crate::projects::Membership>>> {
        Ok(None)
    }
}

impl dyn Facts + '_ {
    pub fn get<E: Entity>(&self, id: &str) -> Result<Option<E>> {
        match self.load(E::KIND, id)? {
            Some(fields) => Ok(Some(decode(fields)?)),
            None => Ok(None),
        }
    }

    pub fn person(&self, id: &PersonId) -> Result<crate::people::Person> {
        self.get(id.as_str())?
            .ok_or_else(|| Error::not_found("person", id))
    }

    pub fn project(&self, id: &ProjectId) -> Result<crate::projects::Project> {
        self.get(id.as_str())?
            .ok_or_else(|| Error::not_found("project", id))
    }

    /// Fails unless `person` is an active member of `project`: the one test
    /// behind "anyone who is a member may…".
    pub fn require_member(&self, project: &ProjectId, person: &PersonId) -> Result<()> {
        match self.membership(project, person)? {
            Some(m) if m.is_active() => Ok(()),
            _ => Err(Error::not_allowed(
                "only members of this project can do that",
            )),
        }
    }

    pub fn is_member(&self, project: &ProjectId, person: &PersonId) -> Result<bool> {
        Ok(self
            .membership(project, person)?
            .is_some_and(|m| m.is_active()))
    }

    pub fn is_staff(&self, person: &PersonId) -> Result<bool> {
        Ok(self
            .get::<crate::people::Person>(person.as_str())?
            .is_some_and(|p| p.kind == crate::people::PersonKind::Staff))
    }
}

pub fn decode<E: DeserializeOwned>(fields: Map<String, Value>) -> Result<E> {
    serde_json::from_value(Value::Object(fields)).map_err(|e| {
        // The message names the field that failed, never its value.
        Error::invalid(
            "record",
            e.to_string()
                .split(" at line")
                .next()
                .unwrap_or("is malformed")
                .to_string(),
        )
    })
}

pub fn encode<E: Serialize>(entity: &E) -> Result<Map<String, Value>> {
    match serde_json::to_value(entity)? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::Storage {
            detail: "an entity must encode as an object".into(),
        }),
    }
}

/// A change to one entity, before it is checked: the fields it sets.
#[derive(Clone, Debug)]
pub struct Proposed<E> {
    pub before: Option<E>,
    pub after: E,
    /// The fields that differ from `before` (all of them for a new entity).
    pub changed: Map<String, Value>,
}

/// Merges `fields` onto the stored entity (if any), then decodes, validates
/// and authorises the result. The server's path for a pushed op; the device
/// takes `check_entity`, which differs only in already holding the entity.
pub fn check_change<E: Entity>(
    id: &str,
    fields: &Map<String, Value>,
    author: &PersonId,
    facts: &dyn Facts,
) -> Result<Proposed<E>> {
    check_held_change(id, fields, author, facts, |_, _| Ok(()))
}

/// `check_change` with a step between decoding and the rules: `hold` may
/// adjust the proposed entity (the sync server holds a phone's instants to
/// its own clock there, see `duties::ServerDuties`) or refuse it. What it
/// adjusts is what is stored and passed on.
pub fn check_held_change<E: Entity, R: From<Error>>(
    id: &str,
    fields: &Map<String, Value>,
    author: &PersonId,
    facts: &dyn Facts,
    hold: impl FnOnce(Option<&E>, &mut E) -> std::result::Result<(), R>,
) -> std::result::Result<Proposed<E>, R> {
    let (before, stored) = load_before::<E>(id, facts)?;
    let stored = stored.unwrap_or_default();
    let mut merged = stored.clone();
    for (name, value) in fields {
        merged.insert(name.clone(), value.clone());
    }
    if let Some(found) = merged.get("id")
        && found.as_str() != Some(id)
    {
        return Err(Error::invalid("id", "does not match the entity changed").into());
    }
    let mut after: E = decode(merged)?;
    // A field the entity does not have would be stored and passed on to
    // every reader of its scope without any rule having seen it (an old
    // app's `preferences` on a person, say): refused by name.
    let known = encode(&after)?;
    if let Some(name) = fields.keys().find(|name| !known.contains_key(*name)) {
        return Err(
            Error::invalid(name.clone(), format!("is not a field of a {}", E::KIND)).into(),
        );
    }
    hold(before.as_ref(), &mut after)?;
    let mut set = fields.clone();
    let held = encode(&after)?;
    for (name, value) in held {
        if known.get(&name) != Some(&value) {
            set.insert(name, value);
        }
    }
    let changed = changed_fields(&stored, &set);
    Ok(finish_check(before, after, changed, author, facts)?)
}

/// The device's path: the whole entity, typed, with its encoded `fields`.
/// The same rules as `check_change`, without decoding what we already hold.
pub fn check_entity<E: Entity>(
    entity: &E,
    fields: &Map<String, Value>,
    author: &PersonId,
    facts: &dyn Facts,
) -> Result<Proposed<E>> {
    let (before, stored) = load_before::<E>(entity.id(), facts)?;
    let changed = match &stored {
        Some(stored) => changed_fields(stored, fields),
        None => fields.clone(),
    };
    finish_check(before, entity.clone(), changed, author, facts)
}

/// An entity as stored, typed and as its fields (both `None` when new).
type Stored<E> = (Option<E>, Option<Map<String, Value>>);

fn load_before<E: Entity>(id: &str, facts: &dyn Facts) -> Result<Stored<E>> {
    let stored = facts.load(E::KIND, id)?;
    let before: Option<E> = match &stored {
        Some(f) => Some(decode(f.clone())?),
        None => None,
    };
    if before.is_some() && E::APPEND_ONLY {
        return Err(Error::conflict(format!(
            "a {} cannot be changed once recorded",
            E::KIND
        )));
    }
    Ok((before, stored))
}

fn changed_fields(stored: &Map<String, Value>, fields: &Map<String, Value>) -> Map<String, Value> {
    fields
        .iter()
        .filter(|(name, value)| stored.get(*name) != Some(*value))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn finish_check<E: Entity>(
    before: Option<E>,
    after: E,
    changed: Map<String, Value>,
    author: &PersonId,
    facts: &dyn Facts,
) -> Result<Proposed<E>> {
    after.validate()?;
    after.authorise(before.as_ref(), author, facts)?;
    Ok(Proposed {
        before,
        after,
        changed,
    })
}

/// The same check for a delete: the entity must exist and allow it.
pub fn check_delete<E: Entity>(id: &str, author: &PersonId, facts: &dyn Facts) -> Result<E> {
    let entity: E = facts
        .get(id)?
        .ok_or_else(|| Error::not_found(E::KIND, id))?;
    entity.may_delete(author, facts)?;
    Ok(entity)
}
