//! Positive risk taking: risk notes in the person's own words, with agreed
//! safeguards, an owner and a review date.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{PersonId, ProjectId, RiskId};
use equally_core::risks::{NewRisk, Risk, RiskView, RiskVisibility};
use equally_core::text::{ShownText, Text};
use equally_core::time::{Day, Timestamp};

/// Everyone in the project, or the person, their support staff and whoever
/// recorded the note.
#[uniffi::remote(Enum)]
pub enum RiskVisibility {
    Project,
    Personal,
}

#[uniffi::remote(Record)]
pub struct Risk {
    pub id: RiskId,
    pub project_id: ProjectId,
    pub about_person: Option<PersonId>,
    pub in_their_words: Text,
    pub safeguards: Vec<String>,
    pub owner_id: PersonId,
    pub review_on: Day,
    pub visibility: RiskVisibility,
    pub recorded_by: PersonId,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct NewRisk {
    pub project_id: ProjectId,
    #[uniffi(default)]
    pub about_person: Option<PersonId>,
    pub in_their_words: Text,
    #[uniffi(default)]
    pub safeguards: Vec<String>,
    pub owner_id: PersonId,
    pub review_on: Day,
    pub visibility: RiskVisibility,
}

#[uniffi::remote(Record)]
pub struct RiskView {
    pub id: RiskId,
    pub about_person: Option<PersonId>,
    pub in_their_words: ShownText,
    pub safeguards: Vec<String>,
    pub owner_id: PersonId,
    pub review_on: Day,
    pub review_due: bool,
    pub visibility: RiskVisibility,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn add_risk(&self, risk: NewRisk) -> Result<Risk, EquallyError> {
        self.run_as_me(move |core, actor| core.add_risk(&actor, risk))
            .await
    }

    /// Records a review: the safeguards as now agreed and the next date.
    pub async fn review_risk(
        &self,
        id: RiskId,
        safeguards: Vec<String>,
        next_review_on: Day,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.review_risk(&actor, &id, safeguards, next_review_on))
            .await
    }

    /// The project's risk notes that `reader` may see.
    pub async fn risks(&self, project: ProjectId) -> Result<Vec<RiskView>, EquallyError> {
        self.run_as_me(move |core, reader| core.risks(&reader, &project))
            .await
    }
}
