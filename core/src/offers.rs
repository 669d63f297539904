//! What people can give (offers) and what a project says it needs, and the
//! matching of one to the other. Offers are volunteered and can be
//! withdrawn at any time; a withdrawn offer stays in the history.

pub use equally_rules::offers::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{NeedId, OfferId, PersonId, ProjectId};
use crate::people::Person;
use crate::text::{Reading, ShownText, Text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOffer {
    pub project_id: Option<ProjectId>,
    pub kind: OfferKind,
    pub description: Text,
    pub how_much: Option<String>,
    pub availability: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchView {
    pub need_id: NeedId,
    pub need: ShownText,
    pub offer: OfferView,
    pub score: u32,
    pub shared: Vec<String>,
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Equally {
    pub fn make_offer(&self, actor: &PersonId, new: NewOffer) -> Result<Offer> {
        let offer = Offer {
            id: OfferId::new(),
            person_id: actor.clone(),
            project_id: new.project_id,
            kind: new.kind,
            description: new.description,
            how_much: clean(new.how_much),
            availability: clean(new.availability),
            tags: new.tags.into_iter().map(|t| t.trim().to_string()).collect(),
            withdrawn_at: None,
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&offer))?;
        Ok(offer)
    }

    /// Withdraws an offer. "Not today" is always an answer: no reason asked.
    pub fn withdraw_offer(&self, actor: &PersonId, offer: &OfferId) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let mut o: Offer = w.require(offer.as_str())?;
            if o.withdrawn_at.is_some() {
                return Ok(());
            }
            o.withdrawn_at = Some(now);
            w.put(&o)
        })
    }

    pub fn add_need(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        kind: OfferKind,
        description: Text,
        tags: Vec<String>,
    ) -> Result<Need> {
        let need = Need {
            id: NeedId::new(),
            project_id: project.clone(),
            kind,
            description,
            tags: tags.into_iter().map(|t| t.trim().to_string()).collect(),
            met: false,
            added_by: actor.clone(),
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&need))?;
        Ok(need)
    }

    pub fn mark_need_met(&self, actor: &PersonId, need: &NeedId, met: bool) -> Result<()> {
        self.write(actor, |w| {
            let mut n: Need = w.require(need.as_str())?;
            n.met = met;
            w.put(&n)
        })
    }

    /// A person's offers, withdrawn ones included, as `reader` may see them.
    pub fn offers_of(&self, reader: &PersonId, person: &PersonId) -> Result<Vec<OfferView>> {
        self.read(|r| {
            r.require::<Person>(reader.as_str())?;
            let me = r.reading_of(reader)?;
            let who: Person = r.require(person.as_str())?;
            let offers = r.select::<Offer>(
                "WHERE person_id = ?1 ORDER BY created_at, id",
                [person.as_str()],
            )?;
            let mut out = Vec::new();
            for o in offers {
                let visible = match &o.project_id {
                    None => true,
                    Some(p) => reader == person || r.facts().is_member(p, reader)?,
                };
                if visible {
                    out.push(offer_view(&o, &who, &me));
                }
            }
            Ok(out)
        })
    }

    /// Suggested pairings of the project's open needs with live offers from
    /// its members and offers made to it.
    pub fn match_offers(&self, reader: &PersonId, project: &ProjectId) -> Result<Vec<MatchView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let needs = r.select::<Need>("WHERE project_id = ?1 AND met = 0", [project.as_str()])?;
            let offers = r.select::<Offer>(
                "WHERE withdrawn_at IS NULL AND (project_id = ?1 OR (project_id IS NULL AND person_id IN
                   (SELECT person_id FROM memberships WHERE project_id = ?1 AND status = 'active')))",
                [project.as_str()],
            )?;
            let reader_prefs = r.reading_of(&me.id)?;
            let mut out = Vec::new();
            for m in match_offers(&needs, &offers) {
                let need = needs.iter().find(|n| n.id == m.need_id).ok_or_else(|| Error::not_found("need", &m.need_id))?;
                let offer = offers.iter().find(|o| o.id == m.offer_id).ok_or_else(|| Error::not_found("offer", &m.offer_id))?;
                let who: Person = r.require(offer.person_id.as_str())?;
                out.push(MatchView {
                    need_id: m.need_id,
                    need: need.description.for_reader(&reader_prefs),
                    offer: offer_view(offer, &who, &reader_prefs),
                    score: m.score,
                    shared: m.shared,
                });
            }
            Ok(out)
        })
    }
}

fn offer_view(o: &Offer, who: &Person, reader: &Reading) -> OfferView {
    OfferView {
        id: o.id.clone(),
        person_id: o.person_id.clone(),
        person_name: who.name.clone(),
        project_id: o.project_id.clone(),
        kind: o.kind,
        description: o.description.for_reader(reader),
        how_much: o.how_much.clone(),
        availability: o.availability.clone(),
        withdrawn: o.withdrawn_at.is_some(),
    }
}

#[cfg(test)]
mod store_tests {
    use super::*;
    use crate::testkit::{refused_without_change, world};

    fn skill(text: &str) -> NewOffer {
        NewOffer {
            project_id: None,
            kind: OfferKind::Skill,
            description: Text::new("en-GB", text),
            how_much: Some("a couple of hours a week".into()),
            availability: Some("weekday mornings".into()),
            tags: vec!["gardening".into()],
        }
    }

    #[test]
    fn withdrawing_an_offer_keeps_the_history() {
        let w = world();
        let offer = w
            .app
            .make_offer(&w.sam.id, skill("I can grow tomatoes"))
            .unwrap();
        w.app.withdraw_offer(&w.sam.id, &offer.id).unwrap();
        let offers = w.app.offers_of(&w.sam.id, &w.sam.id).unwrap();
        assert_eq!(offers.len(), 1);
        assert!(offers[0].withdrawn);
        assert_eq!(offers[0].description.text, "I can grow tomatoes");
    }

    #[test]
    fn nobody_can_withdraw_someone_elses_offer() {
        let w = world();
        let offer = w
            .app
            .make_offer(&w.sam.id, skill("I can grow tomatoes"))
            .unwrap();
        let err = refused_without_change(&w.app, || w.app.withdraw_offer(&w.priya.id, &offer.id));
        assert!(matches!(err, Error::NotAllowed { .. }));
    }

    #[test]
    fn a_project_finds_the_offers_of_its_members_that_fit_its_needs() {
        let w = world();
        let p = w.garden();
        w.app
            .add_need(
                &w.priya.id,
                &p,
                OfferKind::Skill,
                Text::new("en-GB", "Someone to plan the vegetable beds"),
                vec!["gardening".into()],
            )
            .unwrap();
        let sams = w
            .app
            .make_offer(&w.sam.id, skill("I know vegetable growing"))
            .unwrap();
        // Jo is not in the project: their offer is not suggested.
        w.app
            .make_offer(&w.jo.id, skill("I know vegetable growing too"))
            .unwrap();
        let matches = w.app.match_offers(&w.priya.id, &p).unwrap();
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].offer.id, sams.id);
        assert_eq!(matches[0].offer.person_name, "Sam");
    }

    #[test]
    fn an_offer_with_too_many_tags_is_refused() {
        let w = world();
        let mut new = skill("Lots");
        new.tags = (0..20).map(|i| format!("tag{i}")).collect();
        let err = refused_without_change(&w.app, || w.app.make_offer(&w.sam.id, new));
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "tags"));
    }
}
