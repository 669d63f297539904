//! Reviews: what is working, what could be better, what to try next, with
//! +1s from anyone who agrees, and a way to turn an item into an action.

use crate::Equally;
use crate::actions::Action;
use crate::error::{Error, Result};
use crate::ids::{ActionId, PersonId, ProjectId, ReviewItemId};
use crate::people::Person;
use crate::rules::{Entity, Facts, Scope};
use crate::text::{ShownText, Text};
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    Working,
    CouldBeBetter,
    TryNext,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: ReviewItemId,
    pub project_id: ProjectId,
    pub kind: ReviewKind,
    pub text: Text,
    pub author_id: PersonId,
    pub created_at: Timestamp,
}

impl Entity for ReviewItem {
    const KIND: &'static str = "review_item";
    const TABLE: &'static str = "review_items";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        self.text.validate("text", 1000)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        if &self.author_id != author || before.is_some_and(|b| b.author_id != self.author_id) {
            return Err(Error::not_allowed(
                "a review item is written and edited by its author",
            ));
        }
        Ok(())
    }
}

/// A +1: one per person per item; taking it back deletes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSupport {
    pub id: String,
    pub review_item_id: ReviewItemId,
    pub project_id: ProjectId,
    pub person_id: PersonId,
    pub created_at: Timestamp,
}

impl Entity for ReviewSupport {
    const KIND: &'static str = "review_support";
    const TABLE: &'static str = "review_supports";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.id != format!("{}:{}", self.review_item_id, self.person_id) {
            return Err(Error::invalid("id", "does not name this item and person"));
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.person_id != author {
            return Err(Error::not_allowed("people add their own +1"));
        }
        facts.require_member(&self.project_id, author)
    }
    fn may_delete(&self, author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        if &self.person_id == author {
            Ok(())
        } else {
            Err(Error::not_allowed("people take back their own +1"))
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewItemView {
    pub id: ReviewItemId,
    pub kind: ReviewKind,
    pub text: ShownText,
    pub author_name: String,
    pub plus_ones: u32,
    pub i_plus_oned: bool,
    pub actions: Vec<ActionId>,
}

/// The review board: three columns, each ordered by +1s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewBoard {
    pub working: Vec<ReviewItemView>,
    pub could_be_better: Vec<ReviewItemView>,
    pub try_next: Vec<ReviewItemView>,
}

impl Equally {
    pub fn add_review_item(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        kind: ReviewKind,
        text: Text,
    ) -> Result<ReviewItem> {
        let item = ReviewItem {
            id: ReviewItemId::new(),
            project_id: project.clone(),
            kind,
            text,
            author_id: actor.clone(),
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&item))?;
        Ok(item)
    }

    /// Adds or takes back the actor's +1 on a review item.
    pub fn plus_one(&self, actor: &PersonId, item: &ReviewItemId, agree: bool) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let it: ReviewItem = w.require(item.as_str())?;
            let id = format!("{item}:{actor}");
            let existing = w.get::<ReviewSupport>(&id)?;
            match (existing, agree) {
                (None, true) => w.put(&ReviewSupport {
                    id,
                    review_item_id: item.clone(),
                    project_id: it.project_id,
                    person_id: actor.clone(),
                    created_at: now,
                }),
                (Some(_), false) => w.delete::<ReviewSupport>(&id),
                _ => Ok(()),
            }
        })
    }

    /// Turns a review item into an action the actor may take on.
    pub fn action_from_review_item(
        &self,
        actor: &PersonId,
        item: &ReviewItemId,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action> {
        let it: ReviewItem = self.read(|r| r.require(item.as_str()))?;
        self.add_action_from(actor, &it.project_id, it.text, due_on, take_it, Some(it.id))
    }

    pub fn review_board(&self, reader: &PersonId, project: &ProjectId) -> Result<ReviewBoard> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let prefs = r.reading_of(&me.id)?;
            let conn = r.conn();
            let mut board = ReviewBoard {
                working: Vec::new(),
                could_be_better: Vec::new(),
                try_next: Vec::new(),
            };
            for item in r.select::<ReviewItem>(
                "WHERE project_id = ?1 ORDER BY created_at, id",
                [project.as_str()],
            )? {
                let plus_ones: i64 = conn
                    .prepare_cached(
                        "SELECT count(*) FROM review_supports WHERE review_item_id = ?1",
                    )?
                    .query_row([item.id.as_str()], |row| row.get(0))?;
                let mine = conn
                    .prepare_cached("SELECT 1 FROM review_supports WHERE id = ?1")?
                    .exists([format!("{}:{reader}", item.id)])?;
                let actions: Vec<ActionId> = r
                    .select::<Action>(
                        "WHERE from_review_item = ?1 ORDER BY created_at, id",
                        [item.id.as_str()],
                    )?
                    .into_iter()
                    .map(|a| a.id)
                    .collect();
                let author: Option<Person> = r.get(item.author_id.as_str())?;
                let view = ReviewItemView {
                    id: item.id,
                    kind: item.kind,
                    text: item.text.for_reader(&prefs),
                    author_name: author.map(|a| a.name).unwrap_or_default(),
                    plus_ones: plus_ones as u32,
                    i_plus_oned: mine,
                    actions,
                };
                match item.kind {
                    ReviewKind::Working => board.working.push(view),
                    ReviewKind::CouldBeBetter => board.could_be_better.push(view),
                    ReviewKind::TryNext => board.try_next.push(view),
                }
            }
            for column in [
                &mut board.working,
                &mut board.could_be_better,
                &mut board.try_next,
            ] {
                // Stable sort: equal +1s keep the order they were added in.
                column.sort_by_key(|item| std::cmp::Reverse(item.plus_ones));
            }
            Ok(board)
        })
    }
}
