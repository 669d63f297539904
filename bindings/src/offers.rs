//! What people can give and what projects need, and the suggested matches
//! between them. Offers can be withdrawn at any time and stay in history.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{NeedId, OfferId, PersonId, ProjectId};
use equally_core::offers::{MatchView, Need, NewOffer, Offer, OfferKind, OfferView};
use equally_core::text::{ShownText, Text};
use equally_core::time::Timestamp;

#[uniffi::remote(Enum)]
pub enum OfferKind {
    Skill,
    Knowledge,
    Resource,
    Time,
}

#[uniffi::remote(Record)]
pub struct Offer {
    pub id: OfferId,
    pub person_id: PersonId,
    pub project_id: Option<ProjectId>,
    pub kind: OfferKind,
    pub description: Text,
    pub how_much: Option<String>,
    pub availability: Option<String>,
    pub tags: Vec<String>,
    pub withdrawn_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// Something a project says it needs.
#[uniffi::remote(Record)]
pub struct Need {
    pub id: NeedId,
    pub project_id: ProjectId,
    pub kind: OfferKind,
    pub description: Text,
    pub tags: Vec<String>,
    pub met: bool,
    pub added_by: PersonId,
    pub created_at: Timestamp,
}

/// An offer to make. A null project offers it to the whole organisation;
/// how much and when are in the person's own words.
#[uniffi::remote(Record)]
pub struct NewOffer {
    #[uniffi(default)]
    pub project_id: Option<ProjectId>,
    pub kind: OfferKind,
    pub description: Text,
    #[uniffi(default)]
    pub how_much: Option<String>,
    #[uniffi(default)]
    pub availability: Option<String>,
    #[uniffi(default)]
    pub tags: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct OfferView {
    pub id: OfferId,
    pub person_id: PersonId,
    pub person_name: String,
    pub project_id: Option<ProjectId>,
    pub kind: OfferKind,
    pub description: ShownText,
    pub how_much: Option<String>,
    pub availability: Option<String>,
    pub withdrawn: bool,
}

/// A suggested pairing of a need with an offer, and what they share.
#[uniffi::remote(Record)]
pub struct MatchView {
    pub need_id: NeedId,
    pub need: ShownText,
    pub offer: OfferView,
    pub score: u32,
    pub shared: Vec<String>,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn make_offer(&self, offer: NewOffer) -> Result<Offer, EquallyError> {
        self.run_as_me(move |core, actor| core.make_offer(&actor, offer))
            .await
    }

    /// Withdraws an offer; no reason is asked. It stays in the history.
    pub async fn withdraw_offer(&self, offer: OfferId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.withdraw_offer(&actor, &offer))
            .await
    }

    pub async fn add_need(
        &self,
        project: ProjectId,
        kind: OfferKind,
        description: Text,
        tags: Vec<String>,
    ) -> Result<Need, EquallyError> {
        self.run_as_me(move |core, actor| core.add_need(&actor, &project, kind, description, tags))
            .await
    }

    pub async fn mark_need_met(&self, need: NeedId, met: bool) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.mark_need_met(&actor, &need, met))
            .await
    }

    /// A person's offers, withdrawn ones included, as `reader` may see them.
    pub async fn offers_of(&self, person: PersonId) -> Result<Vec<OfferView>, EquallyError> {
        self.run_as_me(move |core, reader| core.offers_of(&reader, &person))
            .await
    }

    /// Suggested pairings of the project's open needs with live offers.
    pub async fn match_offers(&self, project: ProjectId) -> Result<Vec<MatchView>, EquallyError> {
        self.run_as_me(move |core, reader| core.match_offers(&reader, &project))
            .await
    }
}
