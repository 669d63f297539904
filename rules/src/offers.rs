//! What people can give (offers) and what a project says it needs, and the
//! matching of one to the other. Offers are volunteered and can be
//! withdrawn at any time; a withdrawn offer stays in the history.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{NeedId, OfferId, PersonId, ProjectId};
use crate::text::{Text, check_length};
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
