//! The sync protocol's messages, version 1, shared by the device's sync
//! engine and the server so the two can never disagree on a field. JSON over
//! HTTPS; every path starts with `/v1/`.
//!
//! - `POST /v1/push`  [`PushRequest`] → [`PushResponse`]: one result per op,
//!   in order. The server de-duplicates by op id, checks each op with
//!   `registry::check_op` (the same rules the device ran) and answers
//!   applied (with its sequence number) or rejected (with a reason code, a
//!   message and the entity as the server holds it, so the device can
//!   revert). A rejected op never stops the ones after it.
//! - `POST /v1/pull`  [`PullRequest`] → [`PullResponse`]: the changes in one
//!   scope after a cursor, oldest first, in pages.

use crate::entity::Scope;
use crate::hlc::Hlc;
use crate::ids::{OpId, OrganisationId, PersonId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const PROTOCOL_VERSION: u32 = 1;
/// The most ops a device sends in one push.
pub const MAX_PUSH_BATCH: usize = 200;
/// The most changes the server returns in one page.
pub const MAX_PULL_PAGE: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpResult {
    Applied {
        op_id: OpId,
        /// The sequence number of the change in the server's log (the
        /// earlier one, for a duplicate push of an applied op).
        seq: i64,
    },
    Rejected {
        op_id: OpId,
        /// A stable code: `not_found`, `invalid`, `not_allowed`,
        /// `conflict`, `too_late` (a vote after the close and grace).
        code: String,
        /// Why, in words a person can be shown.
        message: String,
        /// The entity as the server holds it (absent if it has none), so the
        /// device can re-derive its row: server state plus its other
        /// pending ops.
        server_state: Option<EntityState>,
    },
}

impl OpResult {
    pub fn op_id(&self) -> &OpId {
        match self {
            OpResult::Applied { op_id, .. } | OpResult::Rejected { op_id, .. } => op_id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<OpResult>,
    /// The server's clock, so the device can clamp its own.
    pub server_time_ms: i64,
}

/// An entity as the server holds it: its fields and the clock of each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityState {
    pub entity: String,
    pub entity_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// The stamp of the last change to each field.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub clocks: Map<String, Value>,
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    pub scope: Scope,
    /// The last sequence number this device has applied in this scope (0 at
    /// first).
    pub after: i64,
    pub limit: u32,
}

/// One applied change, as a puller receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub action: ChangeAction,
    /// The fields set (for `evict` and `delete`, empty).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    pub hlc: Hlc,
    /// Absent where the reader may not know who made it (anonymous votes).
    pub author: Option<PersonId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeAction {
    Create,
    Update,
    /// Deleted: a tombstone; delete wins over any later edit.
    Delete,
    /// No longer visible in this scope (it moved to a narrower one): the
    /// device drops its copy, but it is not deleted.
    Evict,
}

impl From<OpAction> for ChangeAction {
    fn from(a: OpAction) -> Self {
        match a {
            OpAction::Create => ChangeAction::Create,
            OpAction::Update => ChangeAction::Update,
            OpAction::Delete => ChangeAction::Delete,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// The cursor to ask from next time: opaque, to be sent back as is
    /// (not a sequence number to compare with `Change::seq`).
    pub cursor: i64,
    pub has_more: bool,
    /// Roughly how many changes remain, for progress on a first sync.
    pub remaining_estimate: i64,
    /// Set when `after` is older than the tombstone window: drop this
    /// scope's data and pull it again from 0.
    pub resync: bool,
}

/// The error body of every 4xx/5xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// A device redeeming an invite code.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemRequest {
    /// The invite code as typed; case, spaces and dashes do not matter.
    pub code: String,
}

/// What a redeemed invite gives the device.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemResponse {
    pub device_id: String,
    /// The device's token, shown only now: send it as `Authorization:
    /// Bearer <token>`.
    pub token: String,
    pub person_id: PersonId,
    pub organisation_id: OrganisationId,
}

impl std::fmt::Debug for RedeemResponse {
    // The token never reaches a log, even through a stray `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedeemResponse")
            .field("device_id", &self.device_id)
            .field("person_id", &self.person_id)
            .finish_non_exhaustive()
    }
}

/// A member of staff asking for an invite code.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    /// For someone new: their name and how they are connected to the charity
    /// (`supported_person`, `staff`, `carer`, `volunteer`, `partner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub kind: Option<crate::people::PersonKind>,
    /// For someone already here who is setting up another device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    /// Days until the code expires (default 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
}

/// An invite code, for staff to hand over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteResponse {
    pub code: String,
    pub person_id: PersonId,
    pub expires_at_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpAction {
    Create,
    Update,
    Delete,
}

impl OpAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OpAction::Create => "create",
            OpAction::Update => "update",
            OpAction::Delete => "delete",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "create" => Some(OpAction::Create),
            "update" => Some(OpAction::Update),
            "delete" => Some(OpAction::Delete),
            _ => None,
        }
    }
}

/// One change to one entity: the unit of sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Op {
    pub op_id: OpId,
    /// The kind of entity, e.g. `"project"`.
    pub entity: String,
    pub entity_id: String,
    pub action: OpAction,
    /// The fields this change sets (all of them when creating).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    pub hlc: Hlc,
    pub author: PersonId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_reads_clearly_on_the_wire() {
        let r = OpResult::Rejected {
            op_id: OpId::parse("0190f5c4-0000-7000-8000-000000000001").unwrap(),
            code: "not_allowed".into(),
            message: "only members of this project can do that".into(),
            server_state: None,
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["status"], "rejected");
        assert_eq!(json["code"], "not_allowed");
        assert_eq!(serde_json::from_value::<OpResult>(json).unwrap(), r);
    }

    #[test]
    fn scopes_name_their_tier() {
        let s = Scope::Project(
            crate::ids::ProjectId::parse("0190f5c4-0000-7000-8000-000000000002").unwrap(),
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"tier": "project", "id": "0190f5c4-0000-7000-8000-000000000002"})
        );
        assert_eq!(
            serde_json::to_value(Scope::Organisation).unwrap(),
            serde_json::json!({"tier": "organisation"})
        );
    }
}
