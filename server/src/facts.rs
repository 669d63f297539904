//! The core's `Facts`, answered from inside one storage transaction, so
//! the shared rules check an op against the server's state including the
//! earlier ops of the same batch. Also who may read which scope.

use crate::storage::{StoredEntity, Tx};
use equally_rules::entity::{Entity, Facts, Scope, decode};
use equally_rules::error::{Error, Result};
use equally_rules::ids::{PersonId, ProjectId};
use equally_rules::people::{PersonKind, SupportLink};
use equally_rules::projects::Membership;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// A transaction with a write-through cache: a batch of ops from one device
/// asks about the same person, project and membership again and again.
pub struct TxFacts<'t> {
    tx: RefCell<&'t mut dyn Tx>,
    cache: RefCell<HashMap<(String, String), Option<StoredEntity>>>,
}

impl<'t> TxFacts<'t> {
    pub fn new(tx: &'t mut dyn Tx) -> Self {
        TxFacts {
            tx: RefCell::new(tx),
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The entity as stored, tombstones included.
    pub fn stored(&self, kind: &str, id: &str) -> Result<Option<StoredEntity>> {
        let key = (kind.to_string(), id.to_string());
        if let Some(found) = self.cache.borrow().get(&key) {
            return Ok(found.clone());
        }
        let found = self.tx.borrow_mut().load(kind, id)?;
        self.cache.borrow_mut().insert(key, found.clone());
        Ok(found)
    }

    /// Loads the entities a batch of ops is about in one go.
    pub fn prefetch(&self, keys: &[(&str, &str)]) -> Result<()> {
        let missing: Vec<(&str, &str)> = {
            let cache = self.cache.borrow();
            keys.iter()
                .filter(|(k, i)| !cache.contains_key(&(k.to_string(), i.to_string())))
                .copied()
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let found = self.tx.borrow_mut().load_many(&missing)?;
        let mut cache = self.cache.borrow_mut();
        for (kind, id) in missing {
            cache.insert((kind.to_string(), id.to_string()), None);
        }
        for e in found {
            cache.insert((e.kind.clone(), e.id.clone()), Some(e));
        }
        Ok(())
    }

    pub fn save(&self, entity: StoredEntity) -> Result<()> {
        self.tx.borrow_mut().save_entity(&entity)?;
        self.cache
            .borrow_mut()
            .insert((entity.kind.clone(), entity.id.clone()), Some(entity));
        Ok(())
    }

    /// The transaction underneath, for everything that is not an entity.
    pub fn with_tx<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut tx = self.tx.borrow_mut();
        f(&mut **tx)
    }

    fn live<E: Entity>(&self, id: &str) -> Result<Option<E>> {
        match self.stored(E::KIND, id)? {
            Some(e) if !e.deleted => Ok(Some(decode(e.fields)?)),
            _ => Ok(None),
        }
    }
}

impl Facts for TxFacts<'_> {
    fn load(&self, kind: &str, id: &str) -> Result<Option<Map<String, Value>>> {
        // A tombstone is invisible to the rules: the entity is gone.
        Ok(self
            .stored(kind, id)?
            .filter(|e| !e.deleted)
            .map(|e| e.fields))
    }

    fn membership(&self, project: &ProjectId, person: &PersonId) -> Result<Option<Membership>> {
        self.live(&Membership::id_for(project, person))
    }

    fn supports(&self, staff: &PersonId, person: &PersonId) -> Result<bool> {
        Ok(self
            .live::<SupportLink>(&SupportLink::id_for(person, staff))?
            .is_some_and(|l| l.active))
    }

    /// Every membership of the project, so the rules that need the whole
    /// list (a proposal's electorate leaves nobody out) run here as on the
    /// phone. Earlier ops of the same batch are already in the transaction.
    fn memberships(&self, project: &ProjectId) -> Result<Option<Vec<Membership>>> {
        let prefix = format!("{project}:");
        let stored = self.with_tx(|tx| tx.entities_with_id_prefix(Membership::KIND, &prefix))?;
        let mut out = Vec::with_capacity(stored.len());
        for e in stored.into_iter().filter(|e| !e.deleted) {
            out.push(decode(e.fields)?);
        }
        Ok(Some(out))
    }
}

/// Whether `reader` may pull `scope`: anyone in the organisation reads its
/// scope; active members read a project; a person reads their own personal
/// scope, and so do the staff who support them.
pub fn may_read(facts: &TxFacts<'_>, reader: &PersonId, scope: &Scope) -> Result<()> {
    let facts: &dyn Facts = facts;
    let me = facts
        .get::<equally_rules::people::Person>(reader.as_str())?
        .ok_or_else(|| Error::not_allowed("this device's person is no longer here"))?;
    let allowed = match scope {
        Scope::Organisation => true,
        Scope::Project(p) => facts.is_member(p, reader)?,
        Scope::Personal(x) => {
            x == reader || (me.kind == PersonKind::Staff && facts.supports(reader, x)?)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::not_allowed(match scope {
            Scope::Organisation => "only people in the organisation can see this",
            Scope::Project(_) => "only members of this project can see it",
            Scope::Personal(_) => "only the person and the staff who support them can see this",
        }))
    }
}
