//! Every kind of entity the store keeps and sync carries, in one list, and
//! the entry point the sync server uses to check a pushed op with the same
//! rules the device ran, together with what it owes each kind
//! ([`ServerDuties`], required for every kind in the list).

use crate::duties::{Receivers, Refusal, ServerDuties};
use crate::entity::{self, Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::wire::{Op, OpAction};
use serde_json::{Map, Value};

/// The outcome of checking one op: where it lands and what it sets.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedOp {
    /// Who may see the entity before this op (`None` if it is new).
    pub scope_before: Option<Scope>,
    /// Who may see it after (`None` once deleted).
    pub scope_after: Option<Scope>,
    /// The entity's full fields after the op (empty for a delete).
    pub fields_after: Map<String, Value>,
    /// The fields the op actually changes.
    pub changed: Map<String, Value>,
    pub append_only: bool,
}

fn check_typed<E: Entity>(op: &Op, facts: &dyn Facts) -> Result<CheckedOp> {
    match op.action {
        OpAction::Create | OpAction::Update => {
            let checked = entity::check_change::<E>(&op.entity_id, &op.fields, &op.author, facts)?;
            Ok(CheckedOp {
                scope_before: checked.before.as_ref().map(Entity::scope),
                scope_after: Some(checked.after.scope()),
                fields_after: entity::encode(&checked.after)?,
                changed: checked.changed,
                append_only: E::APPEND_ONLY,
            })
        }
        OpAction::Delete => {
            let gone: E = entity::check_delete(&op.entity_id, &op.author, facts)?;
            Ok(CheckedOp {
                scope_before: Some(gone.scope()),
                scope_after: None,
                fields_after: Map::new(),
                changed: Map::new(),
                append_only: E::APPEND_ONLY,
            })
        }
    }
}

/// The server's path for one op of kind `E`: its duties around the rules.
fn serve_typed<E: Entity, D: ServerDuties<E>>(
    op: &Op,
    facts: &dyn Facts,
    duties: &D,
) -> std::result::Result<CheckedOp, Refusal> {
    match op.action {
        OpAction::Create | OpAction::Update => {
            let checked = entity::check_held_change::<E, Refusal>(
                &op.entity_id,
                &op.fields,
                &op.author,
                facts,
                |before, after| duties.hold_to_server_clock(before, after, &op.author, facts),
            )?;
            Ok(CheckedOp {
                scope_before: checked.before.as_ref().map(Entity::scope),
                scope_after: Some(checked.after.scope()),
                fields_after: entity::encode(&checked.after)?,
                changed: checked.changed,
                append_only: E::APPEND_ONLY,
            })
        }
        OpAction::Delete => Ok(check_typed::<E>(op, facts)?),
    }
}

fn after_applying_typed<E: Entity, D: ServerDuties<E>>(
    before: Option<&Map<String, Value>>,
    after: &Map<String, Value>,
    stamp: Hlc,
    duties: &D,
) -> Result<()> {
    let before: Option<E> = before.map(|b| entity::decode(b.clone())).transpose()?;
    let after: E = entity::decode(after.clone())?;
    duties.stamp_after_applying(before.as_ref(), &after, stamp)
}

fn receivers_typed<E: Entity, D: ServerDuties<E>>(
    fields: &Map<String, Value>,
    duties: &D,
) -> Result<(Scope, Receivers)> {
    let entity: E = entity::decode(fields.clone())?;
    Ok((entity.scope(), duties.receivers(&entity)))
}

fn not_a_kind(kind: &str) -> Error {
    Error::invalid("entity", format!("“{kind}” is not a kind of record"))
}

/// Decodes fields that came from the server as an `E`, refusing garbage, and
/// gives back the fields as this version stores them (unknown ones from a
/// newer server dropped) with the entity's scope. The server already ran the
/// rules, so only the shape is checked here.
fn decode_typed<E: Entity>(fields: Map<String, Value>) -> Result<(Map<String, Value>, Scope)> {
    let entity: E = entity::decode(fields)?;
    Ok((entity::encode(&entity)?, entity.scope()))
}

/// The registry's own name for `kind`, if it is one.
pub fn kind_name(kind: &str) -> Option<&'static str> {
    KINDS.iter().copied().find(|k| *k == kind)
}

macro_rules! entity_kinds {
    ($($t:ty),* $(,)?) => {
        /// The names of every kind of entity.
        pub const KINDS: &[&str] = &[$(<$t as Entity>::KIND),*];

        /// The table that keeps entities of `kind`.
        pub fn table_for_kind(kind: &str) -> Option<&'static str> {
            $(if kind == <$t as Entity>::KIND {
                return Some(<$t as Entity>::TABLE);
            })*
            None
        }

        /// Checks a pushed op with the shared rules.
        pub fn check_op(op: &Op, facts: &dyn Facts) -> Result<CheckedOp> {
            $(if op.entity == <$t as Entity>::KIND {
                return check_typed::<$t>(op, facts);
            })*
            Err(Error::invalid("entity", format!("“{}” is not a kind of record", op.entity)))
        }

        /// The server's duties for every kind in the registry, as one
        /// bound: a type is `ServesEveryKind` exactly when it implements
        /// [`ServerDuties`] for each of them, so the server's
        /// `check_pushed_op` does not compile while a kind is missing.
        pub trait ServesEveryKind
        where
            $(Self: ServerDuties<$t>,)*
        {
        }

        impl<D> ServesEveryKind for D where $(D: ServerDuties<$t>,)* {}

        /// The sync server's check of a pushed op: the shared rules, with
        /// the server's duties for the op's kind around them (holding the
        /// phone's instants to the server's clock before the rules).
        pub fn check_pushed_op<D: ServesEveryKind>(
            op: &Op,
            facts: &dyn Facts,
            duties: &D,
        ) -> std::result::Result<CheckedOp, Refusal> {
            $(if op.entity == <$t as Entity>::KIND {
                return serve_typed::<$t, D>(op, facts, duties);
            })*
            Err(not_a_kind(&op.entity).into())
        }

        /// After the server wrote a change to an entity of `kind` (`before`
        /// and `after` its fields as stored), what it owes that kind then:
        /// [`ServerDuties::stamp_after_applying`].
        pub fn after_applying<D: ServesEveryKind>(
            kind: &str,
            before: Option<&Map<String, Value>>,
            after: &Map<String, Value>,
            stamp: Hlc,
            duties: &D,
        ) -> Result<()> {
            $(if kind == <$t as Entity>::KIND {
                return after_applying_typed::<$t, D>(before, after, stamp, duties);
            })*
            Err(not_a_kind(kind))
        }

        /// The scope of a stored entity of `kind` and who receives its
        /// changes: [`ServerDuties::receivers`].
        pub fn receivers<D: ServesEveryKind>(
            kind: &str,
            fields: &Map<String, Value>,
            duties: &D,
        ) -> Result<(Scope, Receivers)> {
            $(if kind == <$t as Entity>::KIND {
                return receivers_typed::<$t, D>(fields, duties);
            })*
            Err(not_a_kind(kind))
        }

        /// Decodes a pulled entity of `kind`, refusing garbage, and gives
        /// back its fields as this version stores them (unknown ones from a
        /// newer server dropped) with the entity's scope.
        pub fn decode_fields(kind: &str, fields: Map<String, Value>) -> Result<(Map<String, Value>, Scope)> {
            $(if kind == <$t as Entity>::KIND {
                return decode_typed::<$t>(fields);
            })*
            Err(Error::invalid("entity", format!("“{kind}” is not a kind of record")))
        }

        /// Whether entities of `kind` are only ever created, never edited.
        pub fn is_append_only(kind: &str) -> bool {
            $(if kind == <$t as Entity>::KIND {
                return <$t as Entity>::APPEND_ONLY;
            })*
            false
        }
    };
}

entity_kinds!(
    crate::people::Organisation,
    crate::people::Person,
    crate::people::SupportLink,
    crate::people::PersonalSettings,
    crate::projects::Project,
    crate::projects::Membership,
    crate::offers::Need,
    crate::offers::Offer,
    crate::contributions::Contribution,
    crate::contributions::Thanks,
    crate::statements::Statement,
    crate::updates::Update,
    crate::updates::UpdateRead,
    crate::actions::Action,
    crate::reviews::ReviewItem,
    crate::reviews::ReviewSupport,
    crate::risks::Risk,
    crate::meetings::MeetingRecord,
    crate::meetings::AgendaItem,
    crate::meetings::MeetingRsvp,
    crate::meetings::Attendance,
    crate::meetings::CheckIn,
    crate::decisions::Proposal,
    crate::decisions::VoteRecord,
    crate::decisions::BallotBox,
);
