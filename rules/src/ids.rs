//! Identifiers. Every id is a UUIDv7 made on the device, kept as its string
//! form so it crosses SQLite, JSON and the FFI unchanged. Each kind of thing
//! has its own newtype so a person's id can never be passed as a project's.

use crate::error::{Error, Result};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id made on this device.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            /// Accepts an id given from outside (a screen, a link, the
            /// network) only when it is a well-formed UUID.
            pub fn parse(text: &str) -> Result<Self> {
                uuid::Uuid::parse_str(text)
                    .map(|u| Self(u.hyphenated().to_string()))
                    .map_err(|_| Error::invalid($field, "is not a valid id"))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// The organisation (the charity) a device belongs to.
    OrganisationId,
    "organisation_id"
);
id_type!(PersonId, "person_id");
id_type!(ProjectId, "project_id");
id_type!(OfferId, "offer_id");
id_type!(NeedId, "need_id");
id_type!(ContributionId, "contribution_id");
id_type!(StatementId, "statement_id");
id_type!(UpdateId, "update_id");
id_type!(ActionId, "action_id");
id_type!(ReviewItemId, "review_item_id");
id_type!(RiskId, "risk_id");
id_type!(MeetingId, "meeting_id");
id_type!(AgendaItemId, "agenda_item_id");
id_type!(CheckInId, "check_in_id");
id_type!(ProposalId, "proposal_id");
id_type!(
    /// One change in the outbox. Not an entity id: an op id names a change.
    OpId,
    "op_id"
);

/// A device's id. Devices are named by the server when an invite is redeemed;
/// locally it only seeds the hybrid clock's node number.
pub type DeviceId = String;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_id_is_a_uuid_v7() {
        let id = ProjectId::new();
        let parsed = uuid::Uuid::parse_str(id.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
    }

    #[test]
    fn a_mangled_id_is_refused_with_the_field_named() {
        let err = PersonId::parse("not-an-id").unwrap_err();
        assert!(err.to_string().contains("person_id"), "{err}");
    }

    #[test]
    fn parsing_normalises_case() {
        let id = PersonId::parse("0190F5C4-0000-7000-8000-000000000001").unwrap();
        assert_eq!(id.as_str(), "0190f5c4-0000-7000-8000-000000000001");
    }
}
