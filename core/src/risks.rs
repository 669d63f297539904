//! Positive risk taking: a risk note keeps the risk in the person's own
//! words, the safeguards agreed, who keeps an eye on it and when it is
//! looked at again. A note about one person can be kept to that person and
//! their support staff.

pub use equally_rules::risks::*;

use crate::Equally;
use crate::error::Result;
use crate::ids::{PersonId, ProjectId, RiskId};
use crate::people::Person;
use crate::text::{ShownText, Text};
use crate::time::Day;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRisk {
    pub project_id: ProjectId,
    pub about_person: Option<PersonId>,
    pub in_their_words: Text,
    pub safeguards: Vec<String>,
    pub owner_id: PersonId,
    pub review_on: Day,
    pub visibility: RiskVisibility,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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

impl Equally {
    pub fn add_risk(&self, actor: &PersonId, new: NewRisk) -> Result<Risk> {
        let risk = Risk {
            id: RiskId::new(),
            project_id: new.project_id,
            about_person: new.about_person,
            in_their_words: new.in_their_words,
            safeguards: new
                .safeguards
                .into_iter()
                .map(|s| s.trim().to_string())
                .collect(),
            owner_id: new.owner_id,
            review_on: new.review_on,
            visibility: new.visibility,
            recorded_by: actor.clone(),
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&risk))?;
        Ok(risk)
    }

    /// Records a review of a risk note: the safeguards as now agreed and
    /// the next review date.
    pub fn review_risk(
        &self,
        actor: &PersonId,
        id: &RiskId,
        safeguards: Vec<String>,
        next_review_on: Day,
    ) -> Result<()> {
        self.write(actor, |w| {
            let mut risk: Risk = w.require(id.as_str())?;
            risk.safeguards = safeguards
                .into_iter()
                .map(|s| s.trim().to_string())
                .collect();
            risk.review_on = next_review_on;
            w.put(&risk)
        })
    }

    /// The project's risk notes that `reader` may see.
    pub fn risks(&self, reader: &PersonId, project: &ProjectId) -> Result<Vec<RiskView>> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let tz = crate::time::parse_time_zone("time_zone", &me.time_zone)?;
            let today = now.day_in(&tz);
            let prefs = r.reading_of(&me.id)?;
            let mut out = Vec::new();
            for risk in r.select::<Risk>(
                "WHERE project_id = ?1 ORDER BY review_on, id",
                [project.as_str()],
            )? {
                if !visible_to(&risk, reader, r.facts())? {
                    continue;
                }
                out.push(RiskView {
                    review_due: risk.review_on <= today,
                    id: risk.id,
                    about_person: risk.about_person,
                    in_their_words: risk.in_their_words.for_reader(&prefs),
                    safeguards: risk.safeguards,
                    owner_id: risk.owner_id,
                    review_on: risk.review_on,
                    visibility: risk.visibility,
                })
            }
            Ok(out)
        })
    }
}
