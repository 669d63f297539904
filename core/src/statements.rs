//! "What matters to me": a person's own statements, each shared as widely
//! as they choose and no wider.

pub use equally_rules::statements::*;

use crate::Equally;
use crate::error::Result;
use crate::ids::{PersonId, StatementId};
use crate::people::Person;
use crate::text::{ShownText, Text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementView {
    pub id: StatementId,
    pub text: ShownText,
    pub visibility: Visibility,
}

impl Equally {
    pub fn add_statement(
        &self,
        actor: &PersonId,
        text: Text,
        visibility: Visibility,
    ) -> Result<Statement> {
        let s = Statement {
            id: StatementId::new(),
            person_id: actor.clone(),
            text,
            visibility,
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&s))?;
        Ok(s)
    }

    pub fn set_statement_visibility(
        &self,
        actor: &PersonId,
        id: &StatementId,
        visibility: Visibility,
    ) -> Result<()> {
        self.write(actor, |w| {
            let mut s: Statement = w.require(id.as_str())?;
            s.visibility = visibility;
            w.put(&s)
        })
    }

    pub fn remove_statement(&self, actor: &PersonId, id: &StatementId) -> Result<()> {
        self.write(actor, |w| w.delete::<Statement>(id.as_str()))
    }

    /// The statements of `owner` that `reader` may see.
    pub fn statements_of(&self, reader: &PersonId, owner: &PersonId) -> Result<Vec<StatementView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.require::<Person>(owner.as_str())?;
            let share_a_project: bool = r
                .conn()
                .prepare_cached(
                    "SELECT 1 FROM memberships a JOIN memberships b ON a.project_id = b.project_id
                     WHERE a.person_id = ?1 AND b.person_id = ?2 AND a.status = 'active' AND b.status = 'active'",
                )?
                .exists([reader.as_str(), owner.as_str()])?;
            let prefs = r.reading_of(&me.id)?;
            let mut out = Vec::new();
            for s in r.select::<Statement>("WHERE person_id = ?1 ORDER BY created_at, id", [owner.as_str()])? {
                if may_see(s.visibility, reader, owner, r.facts(), share_a_project)? {
                    out.push(StatementView {
                        id: s.id,
                        text: s.text.for_reader(&prefs),
                        visibility: s.visibility,
                    });
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::projects::{JoinPolicy, NewProject};
    use crate::testkit::{refused_without_change, world};

    #[test]
    fn each_statement_is_seen_only_as_widely_as_its_author_chose() {
        let w = world();
        w.app
            .add_supporter(&w.priya.id, &w.sam.id, &w.priya.id)
            .unwrap();
        for (text, vis) in [
            ("private", Visibility::JustMe),
            ("for my worker", Visibility::MySupportStaff),
            ("for my groups", Visibility::MyProjects),
            ("for all", Visibility::Everyone),
        ] {
            w.app
                .add_statement(&w.sam.id, Text::new("en-GB", text), vis)
                .unwrap();
        }
        let seen = |reader: &PersonId| -> Vec<String> {
            w.app
                .statements_of(reader, &w.sam.id)
                .unwrap()
                .into_iter()
                .map(|s| s.text.text)
                .collect()
        };
        assert_eq!(seen(&w.sam.id).len(), 4);
        assert_eq!(
            seen(&w.priya.id),
            ["for my worker", "for my groups", "for all"]
        );
        assert_eq!(seen(&w.jo.id), ["for all"]);
        w.app
            .start_project(
                &w.sam.id,
                NewProject {
                    title: Text::new("en-GB", "Choir"),
                    purpose: Text::new("en-GB", "Sing"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![w.jo.id.clone()],
                },
            )
            .unwrap();
        assert_eq!(seen(&w.jo.id), ["for my groups", "for all"]);
        assert_eq!(seen(&w.alex.id), ["for all"]);
    }

    #[test]
    fn nobody_writes_what_matters_to_someone_else() {
        let w = world();
        let s = w
            .app
            .add_statement(
                &w.sam.id,
                Text::new("en-GB", "My cat"),
                Visibility::Everyone,
            )
            .unwrap();
        let err = refused_without_change(&w.app, || {
            w.app
                .set_statement_visibility(&w.priya.id, &s.id, Visibility::JustMe)
        });
        assert!(matches!(err, Error::NotAllowed { .. }));
        let err = refused_without_change(&w.app, || w.app.remove_statement(&w.priya.id, &s.id));
        assert!(matches!(err, Error::NotAllowed { .. }));
        w.app.remove_statement(&w.sam.id, &s.id).unwrap();
        assert!(
            w.app
                .statements_of(&w.sam.id, &w.sam.id)
                .unwrap()
                .is_empty()
        );
    }
}
