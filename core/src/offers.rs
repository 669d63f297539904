//! What people can give (offers) and what a project says it needs, and the
//! matching of one to the other. Offers are volunteered and can be
//! withdrawn at any time; a withdrawn offer stays in the history.

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{NeedId, OfferId, PersonId, ProjectId};
use crate::people::Person;
use crate::rules::{Entity, Facts, Scope};
use crate::text::{Reader, ShownText, Text, check_length};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub const MAX_DESCRIPTION: usize = 1000;
pub const MAX_TAGS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    Skill,
    Knowledge,
    Resource,
    Time,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub person_id: PersonId,
    /// `None`: offered to the whole organisation.
    pub project_id: Option<ProjectId>,
    pub kind: OfferKind,
    pub description: Text,
    /// How much, in the person's words: "two hours a week", "a van".
    pub how_much: Option<String>,
    /// When, in the person's words: "weekday mornings".
    pub availability: Option<String>,
    pub tags: Vec<String>,
    pub withdrawn_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

fn validate_tags(tags: &[String]) -> Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(Error::invalid(
            "tags",
            format!("has more than {MAX_TAGS} tags"),
        ));
    }
    for t in tags {
        check_length("tags", t, 40)?;
    }
    Ok(())
}

impl Entity for Offer {
    const KIND: &'static str = "offer";
    const TABLE: &'static str = "offers";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        match &self.project_id {
            Some(p) => Scope::Project(p.clone()),
            None => Scope::Organisation,
        }
    }
    fn validate(&self) -> Result<()> {
        self.description.validate("description", MAX_DESCRIPTION)?;
        if let Some(h) = &self.how_much {
            check_length("how_much", h, 200)?;
        }
        if let Some(a) = &self.availability {
            check_length("availability", a, 200)?;
        }
        validate_tags(&self.tags)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        if &self.person_id != author {
            return Err(Error::not_allowed(
                "only the person who made an offer can change or withdraw it",
            ));
        }
        if let Some(p) = &self.project_id {
            facts.require_member(p, author)?;
        }
        if let Some(before) = before {
            if before.person_id != self.person_id || before.created_at != self.created_at {
                return Err(Error::not_allowed(
                    "an offer stays with the person who made it",
                ));
            }
            if before.withdrawn_at.is_some() && self.withdrawn_at != before.withdrawn_at {
                return Err(Error::conflict(
                    "this offer was withdrawn; make a new one instead",
                ));
            }
        }
        Ok(())
    }
}

/// Something a project says it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

impl Entity for Need {
    const KIND: &'static str = "need";
    const TABLE: &'static str = "needs";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        self.description.validate("description", MAX_DESCRIPTION)?;
        validate_tags(&self.tags)
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        facts.require_member(&self.project_id, author)
    }
}

/// One suggested pairing of a need with an offer, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferMatch {
    pub need_id: NeedId,
    pub offer_id: OfferId,
    pub person_id: PersonId,
    pub score: u32,
    /// Tags and words the need and the offer share.
    pub shared: Vec<String>,
}

fn words(text: &Text, tags: &[String]) -> (BTreeSet<String>, BTreeSet<String>) {
    let tags: BTreeSet<String> = tags.iter().map(|t| t.trim().to_lowercase()).collect();
    let mut all = String::new();
    all.push_str(&text.original.text);
    for t in &text.translations {
        all.push(' ');
        all.push_str(&t.text);
    }
    let words = all
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(str::to_lowercase)
        .collect();
    (tags, words)
}

/// Pairs open needs with live offers of the same kind, scoring shared tags
/// (3 each) above shared words (1 each). Deterministic: best first, then by
/// need and offer id. Offers with nothing in common are not suggested.
pub fn match_offers(needs: &[Need], offers: &[Offer]) -> Vec<OfferMatch> {
    let offer_words: Vec<_> = offers
        .iter()
        .map(|o| words(&o.description, &o.tags))
        .collect();
    let mut out = Vec::new();
    for need in needs.iter().filter(|n| !n.met) {
        let (need_tags, need_words) = words(&need.description, &need.tags);
        for (offer, (tags, ws)) in offers.iter().zip(&offer_words) {
            if offer.withdrawn_at.is_some() || offer.kind != need.kind {
                continue;
            }
            let shared_tags: Vec<String> = need_tags.intersection(tags).cloned().collect();
            let shared_words: Vec<String> = need_words
                .intersection(ws)
                .filter(|w| !shared_tags.contains(w))
                .cloned()
                .collect();
            let score = 3 * shared_tags.len() as u32 + shared_words.len() as u32;
            if score == 0 {
                continue;
            }
            out.push(OfferMatch {
                need_id: need.id.clone(),
                offer_id: offer.id.clone(),
                person_id: offer.person_id.clone(),
                score,
                shared: shared_tags.into_iter().chain(shared_words).collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.need_id.cmp(&b.need_id))
            .then_with(|| a.offer_id.cmp(&b.offer_id))
    });
    out
}

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

fn offer_view(o: &Offer, who: &Person, reader: &Reader) -> OfferView {
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
mod tests {
    use super::*;

    fn need(kind: OfferKind, text: &str, tags: &[&str]) -> Need {
        Need {
            id: NeedId::new(),
            project_id: ProjectId::new(),
            kind,
            description: Text::new("en-GB", text),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            met: false,
            added_by: PersonId::new(),
            created_at: Timestamp(0),
        }
    }

    fn offer(kind: OfferKind, text: &str, tags: &[&str]) -> Offer {
        Offer {
            id: OfferId::new(),
            person_id: PersonId::new(),
            project_id: None,
            kind,
            description: Text::new("en-GB", text),
            how_much: None,
            availability: None,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            withdrawn_at: None,
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn a_gardener_is_matched_to_a_garden_that_needs_one() {
        let needs = [need(
            OfferKind::Skill,
            "Someone who knows about growing vegetables",
            &["gardening"],
        )];
        let offers = [
            offer(
                OfferKind::Skill,
                "I have grown vegetables for years",
                &["Gardening"],
            ),
            offer(OfferKind::Skill, "I can fix bikes", &["bikes"]),
            offer(
                OfferKind::Resource,
                "Garden tools and vegetables seeds",
                &["gardening"],
            ),
        ];
        let matches = match_offers(&needs, &offers);
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].offer_id, offers[0].id);
        assert!(matches[0].shared.contains(&"gardening".to_string()));
        assert!(matches[0].shared.contains(&"vegetables".to_string()));
    }

    #[test]
    fn a_withdrawn_offer_is_not_suggested() {
        let needs = [need(OfferKind::Time, "Help on Saturdays", &["saturdays"])];
        let mut o = offer(OfferKind::Time, "Free on Saturdays", &["saturdays"]);
        o.withdrawn_at = Some(Timestamp(1));
        assert!(match_offers(&needs, &[o]).is_empty());
    }

    #[test]
    fn a_met_need_asks_for_nothing_more() {
        let mut n = need(OfferKind::Time, "Help on Saturdays", &["saturdays"]);
        n.met = true;
        assert!(
            match_offers(&[n], &[offer(OfferKind::Time, "Saturdays", &["saturdays"])]).is_empty()
        );
    }

    #[test]
    fn the_best_match_comes_first_whatever_order_offers_arrive_in() {
        let needs = [need(
            OfferKind::Knowledge,
            "Know about benefits and housing",
            &["benefits", "housing"],
        )];
        let a = offer(OfferKind::Knowledge, "benefits advice", &["benefits"]);
        let b = offer(
            OfferKind::Knowledge,
            "housing and benefits",
            &["benefits", "housing"],
        );
        let one = match_offers(&needs, &[a.clone(), b.clone()]);
        let two = match_offers(&needs, &[b.clone(), a]);
        assert_eq!(one, two);
        assert_eq!(one[0].offer_id, b.id);
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
