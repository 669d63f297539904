//! News to a project's members, and who has read it. A read receipt is one
//! record per (update, person), written once.

pub use equally_rules::updates::*;

use crate::Equally;
use crate::error::Result;
use crate::ids::{PersonId, ProjectId, UpdateId};
use crate::people::Person;
use crate::text::{ShownText, Text};
use crate::time::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateView {
    pub id: UpdateId,
    pub author_id: PersonId,
    pub author_name: String,
    pub body: ShownText,
    pub posted_at: Timestamp,
    pub read_by_me: bool,
    pub read_count: u32,
    pub member_count: u32,
}

impl Equally {
    pub fn post_update(&self, actor: &PersonId, project: &ProjectId, body: Text) -> Result<Update> {
        let u = Update {
            id: UpdateId::new(),
            project_id: project.clone(),
            author_id: actor.clone(),
            body,
            posted_at: self.now(),
        };
        self.write(actor, |w| w.put(&u))?;
        Ok(u)
    }

    pub fn mark_update_read(&self, actor: &PersonId, update: &UpdateId) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let u: Update = w.require(update.as_str())?;
            let id = format!("{update}:{actor}");
            if w.get::<UpdateRead>(&id)?.is_some() {
                return Ok(());
            }
            w.put(&UpdateRead {
                id,
                update_id: update.clone(),
                project_id: u.project_id,
                person_id: actor.clone(),
                read_at: now,
            })
        })
    }

    /// A project's updates, newest first, with who has read them.
    pub fn updates(&self, reader: &PersonId, project: &ProjectId) -> Result<Vec<UpdateView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let conn = r.conn();
            let members: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM memberships WHERE project_id = ?1 AND status = 'active'",
                )?
                .query_row([project.as_str()], |row| row.get(0))?;
            let prefs = r.reading_of(&me.id)?;
            let mut out = Vec::new();
            for u in r.select::<Update>(
                "WHERE project_id = ?1 ORDER BY posted_at DESC, id",
                [project.as_str()],
            )? {
                let reads: i64 = conn
                    .prepare_cached("SELECT count(*) FROM update_reads WHERE update_id = ?1")?
                    .query_row([u.id.as_str()], |row| row.get(0))?;
                let mine = conn
                    .prepare_cached("SELECT 1 FROM update_reads WHERE id = ?1")?
                    .exists([format!("{}:{reader}", u.id)])?;
                let author: Option<Person> = r.get(u.author_id.as_str())?;
                out.push(UpdateView {
                    id: u.id,
                    author_name: author.map(|a| a.name).unwrap_or_default(),
                    author_id: u.author_id,
                    body: u.body.for_reader(&prefs),
                    posted_at: u.posted_at,
                    read_by_me: mine,
                    read_count: reads as u32,
                    member_count: members as u32,
                });
            }
            Ok(out)
        })
    }
}
