//! The contribution log: what each person did, the time and expenses it
//! took, the thanks it earned, and the reward they would like. Entries are
//! append-only: a correction is a new entry, never an edit of the old one.

pub use equally_rules::contributions::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{ContributionId, PersonId, ProjectId};
use crate::l10n::{self, FluentValue};
use crate::people::{Person, Recognition};
use crate::projects::Project;
use crate::rules::{Entity, Scope};
use crate::time::Day;

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

/// Whole hours, rounded down, for the summary sentence.
pub fn hours_label(reader: &crate::text::Reading, minutes: u64) -> String {
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
