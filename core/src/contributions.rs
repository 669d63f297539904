//! The contribution log: what each person did, the time and expenses it
//! took, the thanks it earned, and the reward they would like. Entries are
//! append-only: a correction is a new entry, never an edit of the old one.

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{ContributionId, PersonId, ProjectId};
use crate::l10n::{self, FluentValue};
use crate::people::{Person, Recognition};
use crate::projects::Project;
use crate::rules::{Entity, Facts, Scope};
use crate::text::{ShownText, check_length};
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

pub const MAX_MINUTES: u32 = 24 * 60;
/// £10,000 in pence: a larger claim goes through the finance team.
pub const MAX_EXPENSES_PENCE: u32 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: ContributionId,
    pub person_id: PersonId,
    pub project_id: ProjectId,
    /// Who wrote it down: the person, or a member who did it with them.
    pub logged_by: PersonId,
    pub what: String,
    pub minutes: u32,
    pub expenses_pence: u32,
    pub done_on: Day,
    pub recognition: Recognition,
    pub created_at: Timestamp,
}

impl Entity for Contribution {
    const KIND: &'static str = "contribution";
    const TABLE: &'static str = "contributions";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        check_length("what", &self.what, 500)?;
        if self.minutes > MAX_MINUTES {
            return Err(Error::invalid("minutes", "is more than a day"));
        }
        if self.expenses_pence > MAX_EXPENSES_PENCE {
            return Err(Error::invalid("expenses_pence", "is more than £10,000"));
        }
        if self.minutes == 0 && self.expenses_pence == 0 {
            return Err(Error::invalid("minutes", "and expenses are both zero"));
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.logged_by != author {
            return Err(Error::invalid(
                "logged_by",
                "must be the person writing it down",
            ));
        }
        facts.require_member(&self.project_id, author)?;
        if &self.person_id != author && !facts.is_member(&self.project_id, &self.person_id)? {
            return Err(Error::not_allowed(
                "contributions are logged for members of the project",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thanks {
    pub id: String,
    pub contribution_id: ContributionId,
    pub project_id: ProjectId,
    pub from_person: PersonId,
    pub note: Option<String>,
    pub created_at: Timestamp,
}

impl Entity for Thanks {
    const KIND: &'static str = "thanks";
    const TABLE: &'static str = "thanks";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if let Some(n) = &self.note {
            check_length("note", n, 500)?;
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.from_person != author {
            return Err(Error::invalid(
                "from_person",
                "must be the person saying thanks",
            ));
        }
        facts.require_member(&self.project_id, author)?;
        let c: Contribution = facts
            .get(self.contribution_id.as_str())?
            .ok_or_else(|| Error::not_found("contribution", &self.contribution_id))?;
        if c.project_id != self.project_id {
            return Err(Error::invalid(
                "project_id",
                "is not the contribution's project",
            ));
        }
        if &c.person_id == author {
            return Err(Error::not_allowed("thanks come from someone else"));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContribution {
    /// Whose contribution it is (the actor, unless logging for someone).
    pub person_id: PersonId,
    pub project_id: ProjectId,
    pub what: String,
    pub minutes: u32,
    pub expenses_pence: u32,
    pub done_on: Day,
    /// `None`: the person's usual preference.
    pub recognition: Option<Recognition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectTime {
    pub project_id: ProjectId,
    pub title: ShownText,
    pub minutes: u64,
}

/// A person's giving, summed up for them (or their support staff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeGiven {
    pub person_id: PersonId,
    pub minutes: u64,
    pub expenses_pence: u64,
    pub contributions: u64,
    pub thanks_received: u64,
    pub by_project: Vec<ProjectTime>,
    pub recognition: Recognition,
    /// "12 hours given", in the reader's language and reading level.
    pub label: String,
}

/// Whole hours, rounded down, for the summary sentence.
pub fn hours_label(reader: &crate::text::Reader, minutes: u64) -> String {
    l10n::message(
        reader,
        "time-given",
        &[("hours", FluentValue::from(minutes / 60))],
    )
}

impl Equally {
    pub fn log_contribution(&self, actor: &PersonId, new: NewContribution) -> Result<Contribution> {
        let mut all = self.log_contributions(actor, vec![new])?;
        all.pop().ok_or_else(|| Error::Storage {
            detail: "nothing logged".into(),
        })
    }

    /// Logs several contributions in one transaction: all or none.
    pub fn log_contributions(
        &self,
        actor: &PersonId,
        new: Vec<NewContribution>,
    ) -> Result<Vec<Contribution>> {
        let now = self.now();
        self.write(actor, |w| {
            let mut out = Vec::with_capacity(new.len());
            let mut preferred: Option<(PersonId, Recognition)> = None;
            for n in new {
                let recognition = match n.recognition {
                    Some(r) => r,
                    None => match &preferred {
                        Some((p, r)) if *p == n.person_id => *r,
                        _ => {
                            let person: Person = w.facts().person(&n.person_id)?;
                            let r = person.recognition;
                            preferred = Some((n.person_id.clone(), r));
                            r
                        }
                    },
                };
                let c = Contribution {
                    id: ContributionId::new(),
                    person_id: n.person_id,
                    project_id: n.project_id,
                    logged_by: actor.clone(),
                    what: n.what.trim().to_string(),
                    minutes: n.minutes,
                    expenses_pence: n.expenses_pence,
                    done_on: n.done_on,
                    recognition,
                    created_at: now,
                };
                w.put(&c)?;
                out.push(c);
            }
            Ok(out)
        })
    }

    pub fn thank(
        &self,
        actor: &PersonId,
        contribution: &ContributionId,
        note: Option<String>,
    ) -> Result<()> {
        let now = self.now();
        self.write(actor, |w| {
            let c: Contribution = w.require(contribution.as_str())?;
            w.put(&Thanks {
                id: format!("{contribution}:{actor}"),
                contribution_id: contribution.clone(),
                project_id: c.project_id,
                from_person: actor.clone(),
                note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                created_at: now,
            })
        })
    }

    /// What `person` has given, for themselves or the staff who support them.
    pub fn time_given(&self, reader: &PersonId, person: &PersonId) -> Result<TimeGiven> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let who: Person = r.require(person.as_str())?;
            if reader != person && !r.facts().supports(reader, person)? {
                return Err(Error::not_allowed(
                    "a person's own summary is for them and their support staff",
                ));
            }
            let conn = r.conn();
            let (minutes, expenses, count): (i64, i64, i64) = conn
                .prepare_cached(
                    "SELECT coalesce(sum(minutes), 0), coalesce(sum(expenses_pence), 0), count(*)
                     FROM contributions WHERE person_id = ?1",
                )?
                .query_row([person.as_str()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            let thanks: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM thanks t JOIN contributions c ON c.id = t.contribution_id
                     WHERE c.person_id = ?1",
                )?
                .query_row([person.as_str()], |row| row.get(0))?;
            let mut stmt = conn.prepare_cached(
                "SELECT project_id, sum(minutes) FROM contributions WHERE person_id = ?1
                 GROUP BY project_id ORDER BY sum(minutes) DESC, project_id",
            )?;
            let rows: Vec<(String, i64)> = stmt
                .query_map([person.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let reader_prefs = r.reading_of(&me.id)?;
            let mut by_project = Vec::new();
            for (project_id, minutes) in rows {
                // Only projects the reader may see are named.
                let Some(project) = r.get::<Project>(&project_id)? else {
                    continue;
                };
                if project.scope() != Scope::Organisation
                    && !r.facts().is_member(&project.id, reader)?
                    && reader != person
                {
                    continue;
                }
                by_project.push(ProjectTime {
                    project_id: project.id,
                    title: project.title.for_reader(&reader_prefs),
                    minutes: minutes.max(0) as u64,
                });
            }
            Ok(TimeGiven {
                person_id: person.clone(),
                minutes: minutes.max(0) as u64,
                expenses_pence: expenses.max(0) as u64,
                contributions: count.max(0) as u64,
                thanks_received: thanks.max(0) as u64,
                by_project,
                recognition: who.recognition,
                label: hours_label(&reader_prefs, minutes.max(0) as u64),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{refused_without_change, world};

    fn did(person: &PersonId, project: &ProjectId, minutes: u32) -> NewContribution {
        NewContribution {
            person_id: person.clone(),
            project_id: project.clone(),
            what: "Weeded the beds".into(),
            minutes,
            expenses_pence: 0,
            done_on: Day::parse("done_on", "2026-03-01").unwrap(),
            recognition: None,
        }
    }

    #[test]
    fn time_given_adds_up_and_thanks_are_counted() {
        let w = world();
        let p = w.garden();
        let c = w
            .app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 90))
            .unwrap();
        w.app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 150))
            .unwrap();
        w.app
            .thank(&w.priya.id, &c.id, Some("Lovely work".into()))
            .unwrap();
        let summary = w.app.time_given(&w.sam.id, &w.sam.id).unwrap();
        assert_eq!(summary.minutes, 240);
        assert_eq!(summary.thanks_received, 1);
        assert_eq!(summary.label, "4 hours given");
        assert_eq!(summary.by_project[0].minutes, 240);
    }

    #[test]
    fn the_reward_a_person_prefers_is_kept_with_what_they_gave() {
        let w = world();
        let p = w.garden();
        let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
        prefs.recognition = Recognition::Voucher;
        w.app
            .update_preferences(&w.sam.id, &w.sam.id, prefs)
            .unwrap();
        let c = w
            .app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 60))
            .unwrap();
        assert_eq!(c.recognition, Recognition::Voucher);
    }

    #[test]
    fn a_person_cannot_thank_themselves() {
        let w = world();
        let p = w.garden();
        let c = w
            .app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 60))
            .unwrap();
        let err = refused_without_change(&w.app, || w.app.thank(&w.sam.id, &c.id, None));
        assert!(matches!(err, Error::NotAllowed { .. }));
    }

    #[test]
    fn someone_outside_the_project_cannot_log_time_to_it() {
        let w = world();
        let p = w.garden();
        let err = refused_without_change(&w.app, || {
            w.app.log_contribution(&w.jo.id, did(&w.jo.id, &p, 60))
        });
        assert!(matches!(err, Error::NotAllowed { .. }));
    }

    #[test]
    fn one_bad_entry_in_a_batch_stores_none_of_it() {
        let w = world();
        let p = w.garden();
        let batch = vec![did(&w.sam.id, &p, 60), did(&w.sam.id, &p, MAX_MINUTES + 1)];
        let err = refused_without_change(&w.app, || w.app.log_contributions(&w.sam.id, batch));
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "minutes"));
    }

    #[test]
    fn a_persons_summary_is_for_them_and_their_support_staff_only() {
        let w = world();
        let p = w.garden();
        w.app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 60))
            .unwrap();
        assert!(matches!(
            w.app.time_given(&w.jo.id, &w.sam.id),
            Err(Error::NotAllowed { .. })
        ));
        w.app
            .add_supporter(&w.priya.id, &w.sam.id, &w.priya.id)
            .unwrap();
        assert_eq!(
            w.app.time_given(&w.priya.id, &w.sam.id).unwrap().minutes,
            60
        );
    }

    #[test]
    fn the_summary_speaks_easy_read_to_those_who_asked() {
        let w = world();
        let p = w.garden();
        let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
        prefs.easy_read = true;
        w.app
            .update_preferences(&w.sam.id, &w.sam.id, prefs)
            .unwrap();
        w.app
            .log_contribution(&w.sam.id, did(&w.sam.id, &p, 120))
            .unwrap();
        assert_eq!(
            w.app.time_given(&w.sam.id, &w.sam.id).unwrap().label,
            "You gave 2 hours. Thank you!"
        );
    }
}
