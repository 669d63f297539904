//! "What matters to me": a person's own statements, each shared as widely
//! as they choose and no wider.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, StatementId};
use crate::text::Text;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    JustMe,
    /// Me and the staff who support me.
    MySupportStaff,
    /// Me, my supporters, and the members of projects I am in.
    MyProjects,
    Everyone,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub id: StatementId,
    pub person_id: PersonId,
    pub text: Text,
    pub visibility: Visibility,
    pub created_at: Timestamp,
}

impl Entity for Statement {
    const KIND: &'static str = "statement";
    const TABLE: &'static str = "statements";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        match self.visibility {
            Visibility::JustMe | Visibility::MySupportStaff => {
                Scope::Personal(self.person_id.clone())
            }
            // The server narrows "my projects" to people who share a project.
            Visibility::MyProjects | Visibility::Everyone => Scope::Organisation,
        }
    }
    fn validate(&self) -> Result<()> {
        self.text.validate("text", 1000)
    }
    fn authorise(
        &self,
        before: Option<&Self>,
        author: &PersonId,
        _facts: &dyn Facts,
    ) -> Result<()> {
        if &self.person_id != author || before.is_some_and(|b| b.person_id != self.person_id) {
            return Err(Error::not_allowed(
                "only the person can write what matters to them",
            ));
        }
        Ok(())
    }
    fn may_delete(&self, author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        if &self.person_id == author {
            Ok(())
        } else {
            Err(Error::not_allowed(
                "only the person can remove what matters to them",
            ))
        }
    }
}

/// Whether `reader` may see a statement of `owner`'s with this visibility.
pub fn may_see(
    visibility: Visibility,
    reader: &PersonId,
    owner: &PersonId,
    facts: &dyn Facts,
    share_a_project: bool,
) -> Result<bool> {
    if reader == owner {
        return Ok(true);
    }
    Ok(match visibility {
        Visibility::JustMe => false,
        Visibility::MySupportStaff => facts.supports(reader, owner)?,
        Visibility::MyProjects => share_a_project || facts.supports(reader, owner)?,
        Visibility::Everyone => true,
    })
}
