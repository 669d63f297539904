//! Reviews: what is working, what could be better, what to try next, with
//! +1s from anyone who agrees, and a way to turn an item into an action.

pub use equally_rules::reviews::*;

use crate::Equally;
use crate::actions::Action;
use crate::error::Result;
use crate::ids::{ActionId, PersonId, ProjectId, ReviewItemId};
use crate::people::Person;
use crate::text::{ShownText, Text};
use crate::time::Day;

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
