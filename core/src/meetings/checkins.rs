//! Check-ins on the go: a short note with a person, a project or a meeting,
//! an optional mood on a five-face scale and a follow-up date. Written in
//! one call that needs no signal; seen only in the tier it was written for.

pub use equally_rules::meetings::checkins::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{CheckInId, MeetingId, PersonId, ProjectId};
use crate::l10n::{self, FluentValue};
use crate::people::Person;
use crate::store::Reader;
use crate::text::Reading;
use crate::time::{Day, Timestamp};

use super::store::MeetingRecord;

/// What a check-in says, as the one call that writes it takes it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NewCheckIn {
    pub person: Option<PersonId>,
    /// Filled from the meeting when only a meeting is given.
    pub project: Option<ProjectId>,
    pub meeting: Option<MeetingId>,
    /// None: personal when it is with a person, else the project's.
    pub tier: Option<CheckInTier>,
    /// 1 to 5 on the picture scale.
    pub mood: Option<u8>,
    pub note: Option<String>,
    pub follow_up_on: Option<Day>,
    pub follows_up: Option<CheckInId>,
}

/// A check-in as a screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckInView {
    pub id: CheckInId,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub project_id: Option<ProjectId>,
    pub meeting_id: Option<MeetingId>,
    pub tier: CheckInTier,
    pub mood: Option<u8>,
    pub mood_label: Option<String>,
    pub note: Option<String>,
    pub follow_up_on: Option<Day>,
    /// A later check-in has followed this one up.
    pub followed_up: bool,
    pub written_by: PersonId,
    pub written_by_name: String,
    pub written_at: Timestamp,
}

/// The words for a follow-up in the home screen's waiting list.
pub(crate) fn follow_up_text(r: &Reader<'_>, c: &CheckIn, prefs: &Reading) -> Result<String> {
    let when = match c.follow_up_on {
        Some(day) => super::words::day_text(prefs, day.0),
        None => String::new(),
    };
    if let Some(person) = &c.person_id {
        let name = name_of(r, person)?.unwrap_or_default();
        return Ok(l10n::message(
            prefs,
            "home-waiting-follow-up",
            &[("name", FluentValue::from(name)), ("when", when.into())],
        ));
    }
    let title = match (&c.meeting_id, &c.project_id) {
        (Some(m), _) => r
            .get::<MeetingRecord>(m.as_str())?
            .map(|m| m.title.for_reader(prefs).text),
        (None, Some(p)) => r
            .get::<crate::projects::Project>(p.as_str())?
            .map(|p| p.title.for_reader(prefs).text),
        (None, None) => None,
    };
    Ok(l10n::message(
        prefs,
        "home-waiting-follow-up-group",
        &[
            ("title", FluentValue::from(title.unwrap_or_default())),
            ("when", when.into()),
        ],
    ))
}

/// The face's name ("Good") in the reader's words.
fn mood_label(mood: Mood, reader: &Reading) -> String {
    l10n::message(reader, &format!("mood-{}", mood.0), &[])
}

fn name_of(r: &Reader<'_>, id: &PersonId) -> Result<Option<String>> {
    Ok(r.get::<Person>(id.as_str())?.map(|p| p.name))
}

fn view(r: &Reader<'_>, c: CheckIn, prefs: &Reading) -> Result<CheckInView> {
    let followed_up = r
        .conn()
        .prepare_cached("SELECT 1 FROM check_ins WHERE follows_up = ?1")?
        .exists([c.id.as_str()])?;
    let person_name = match &c.person_id {
        Some(p) => name_of(r, p)?,
        None => None,
    };
    Ok(CheckInView {
        person_name,
        written_by_name: name_of(r, &c.written_by)?.unwrap_or_default(),
        mood: c.mood.map(|m| m.0),
        mood_label: c.mood.map(|m| mood_label(m, prefs)),
        followed_up,
        id: c.id,
        person_id: c.person_id,
        project_id: c.project_id,
        meeting_id: c.meeting_id,
        tier: c.tier,
        note: c.note,
        follow_up_on: c.follow_up_on,
        written_by: c.written_by,
        written_at: c.written_at,
    })
}

/// Check-ins flagged for follow-up by `today` and not yet followed up,
/// about people `reader` supports or written by them, that they may see.
pub(crate) fn follow_ups_due_by(
    r: &Reader<'_>,
    reader: &PersonId,
    today: Day,
) -> Result<Vec<CheckIn>> {
    let due = r.select::<CheckIn>(
        // Few check-ins ask for a follow-up; without statistics SQLite would
        // rather walk every check-in the reader wrote, which grows for ever.
        "c INDEXED BY check_ins_follow_ups WHERE c.follow_up_on IS NOT NULL AND c.follow_up_on <= ?2
           AND NOT EXISTS (SELECT 1 FROM check_ins f WHERE f.follows_up = c.id)
           AND (c.written_by = ?1 OR c.person_id IN
                (SELECT person_id FROM support_links WHERE staff_id = ?1 AND active = 1))
         ORDER BY c.follow_up_on, c.written_at, c.id",
        rusqlite::params![reader.as_str(), today.to_string()],
    )?;
    let mut out = Vec::with_capacity(due.len());
    for c in due {
        if may_see(&c, reader, r.facts())? {
            out.push(c);
        }
    }
    Ok(out)
}

impl Equally {
    /// Writes a check-in: one call, one local transaction, no signal
    /// needed. Sync carries it later.
    pub fn write_check_in(&self, actor: &PersonId, new: NewCheckIn) -> Result<CheckIn> {
        let now = self.now();
        self.write(actor, |w| {
            let project = match (&new.project, &new.meeting) {
                (Some(p), _) => Some(p.clone()),
                (None, Some(m)) => {
                    w.get::<MeetingRecord>(m.as_str())?
                        .ok_or_else(|| Error::not_found("meeting", m))?
                        .project_id
                }
                (None, None) => None,
            };
            let tier = new.tier.unwrap_or(if new.person.is_some() {
                CheckInTier::Personal
            } else {
                CheckInTier::Project
            });
            let check_in = CheckIn {
                id: CheckInId::new(),
                person_id: new.person,
                project_id: project,
                meeting_id: new.meeting,
                tier,
                mood: new.mood.map(Mood),
                note: new
                    .note
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty()),
                follow_up_on: new.follow_up_on,
                follows_up: new.follows_up,
                written_by: actor.clone(),
                written_at: now,
            };
            w.put(&check_in)?;
            Ok(check_in)
        })
    }

    /// The check-ins with `person` that `reader` may see, newest first:
    /// personal ones for the person and their support staff, and project
    /// ones for members of that project.
    pub fn check_ins_for(&self, reader: &PersonId, person: &PersonId) -> Result<Vec<CheckInView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.require::<Person>(person.as_str())?;
            let prefs = r.reading_of(&me.id)?;
            let mut out = Vec::new();
            for c in r.select::<CheckIn>(
                "WHERE person_id = ?1 ORDER BY written_at DESC, id DESC",
                [person.as_str()],
            )? {
                if may_see(&c, reader, r.facts())? {
                    out.push(view(r, c, &prefs)?);
                }
            }
            Ok(out)
        })
    }

    /// A project's check-ins (its own and its meetings'), newest first,
    /// for its members.
    pub fn check_ins_for_project(
        &self,
        reader: &PersonId,
        project: &ProjectId,
    ) -> Result<Vec<CheckInView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let prefs = r.reading_of(&me.id)?;
            r.select::<CheckIn>(
                "WHERE project_id = ?1 AND tier = 'project' ORDER BY written_at DESC, id DESC",
                [project.as_str()],
            )?
            .into_iter()
            .map(|c| view(r, c, &prefs))
            .collect()
        })
    }

    /// Who needs a nudge: check-ins flagged for follow-up that are due
    /// (today or earlier, by the reader's clock) and not yet followed up,
    /// about people the reader supports or written by the reader.
    pub fn follow_ups_due(&self, reader: &PersonId) -> Result<Vec<CheckInView>> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let prefs = r.reading_of(&me.id)?;
            let today = now.day_in(&super::words::zone_or_utc(&me.time_zone));
            follow_ups_due_by(r, reader, today)?
                .into_iter()
                .map(|c| view(r, c, &prefs))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::home::WaitingKind;
    use crate::projects::{JoinPolicy, NewProject};
    use crate::testkit::{World, refused_without_change, world};
    use crate::text::Text;

    fn day(s: &str) -> Day {
        Day::parse("day", s).unwrap()
    }

    /// Priya supports Sam; Sam and Jo are in Priya's garden project.
    fn supported(w: &World) -> ProjectId {
        w.app
            .add_supporter(&w.priya.id, &w.sam.id, &w.priya.id)
            .unwrap();
        w.app
            .start_project(
                &w.priya.id,
                NewProject {
                    title: Text::new("en-GB", "Garden"),
                    purpose: Text::new("en-GB", "Grow food"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![w.sam.id.clone(), w.jo.id.clone()],
                },
            )
            .unwrap()
            .id
    }

    fn with_sam(w: &World, mood: Option<u8>, note: &str) -> NewCheckIn {
        NewCheckIn {
            person: Some(w.sam.id.clone()),
            mood,
            note: Some(note.into()),
            ..NewCheckIn::default()
        }
    }

    fn notes(views: Vec<CheckInView>) -> Vec<String> {
        views.into_iter().filter_map(|v| v.note).collect()
    }

    #[test]
    fn writing_a_check_in_takes_one_call() {
        let w = world();
        supported(&w);
        let before = w.app.pending_count().unwrap();
        let written = w
            .app
            .write_check_in(
                &w.priya.id,
                with_sam(&w, Some(4), "Good visit; new allotment keys"),
            )
            .unwrap();
        assert_eq!(written.tier, CheckInTier::Personal);
        assert_eq!(
            w.app.pending_count().unwrap(),
            before + 1,
            "one record, queued for sync in the same transaction"
        );
        let op = w.app.pending_ops(1000).unwrap().pop().unwrap();
        assert_eq!(op.entity, "check_in");
        assert_eq!(op.entity_id, written.id.as_str());
        let seen = w.app.check_ins_for(&w.priya.id, &w.sam.id).unwrap();
        assert_eq!(seen[0].mood_label.as_deref(), Some("Good"));
        assert_eq!(seen[0].written_by_name, "Priya");
    }

    #[test]
    fn a_personal_check_in_is_seen_only_by_the_person_and_their_support_staff() {
        let w = world();
        supported(&w);
        w.app
            .write_check_in(&w.priya.id, with_sam(&w, Some(2), "Worried about rent"))
            .unwrap();
        w.app
            .write_check_in(&w.sam.id, with_sam(&w, Some(3), "Feeling a bit better"))
            .unwrap();
        assert_eq!(
            notes(w.app.check_ins_for(&w.sam.id, &w.sam.id).unwrap()).len(),
            2
        );
        assert_eq!(
            notes(w.app.check_ins_for(&w.priya.id, &w.sam.id).unwrap()).len(),
            2
        );
        assert!(
            w.app
                .check_ins_for(&w.alex.id, &w.sam.id)
                .unwrap()
                .is_empty()
        );
        assert!(
            w.app.check_ins_for(&w.jo.id, &w.sam.id).unwrap().is_empty(),
            "sharing a project does not open someone's personal check-ins"
        );
        w.app
            .end_support(&w.sam.id, &w.sam.id, &w.priya.id)
            .unwrap();
        assert!(
            w.app
                .check_ins_for(&w.priya.id, &w.sam.id)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_project_check_in_is_seen_by_its_members() {
        let w = world();
        let p = supported(&w);
        w.app
            .write_check_in(
                &w.jo.id,
                NewCheckIn {
                    project: Some(p.clone()),
                    mood: Some(5),
                    note: Some("Beans are up!".into()),
                    ..NewCheckIn::default()
                },
            )
            .unwrap();
        w.app
            .write_check_in(
                &w.priya.id,
                NewCheckIn {
                    person: Some(w.sam.id.clone()),
                    project: Some(p.clone()),
                    tier: Some(CheckInTier::Project),
                    note: Some("Sam led the tour".into()),
                    ..NewCheckIn::default()
                },
            )
            .unwrap();
        assert_eq!(
            notes(w.app.check_ins_for_project(&w.sam.id, &p).unwrap()),
            ["Sam led the tour", "Beans are up!"]
        );
        assert_eq!(
            notes(w.app.check_ins_for(&w.jo.id, &w.sam.id).unwrap()),
            ["Sam led the tour"]
        );
        assert!(matches!(
            w.app.check_ins_for_project(&w.alex.id, &p),
            Err(Error::NotAllowed { .. })
        ));
    }

    #[test]
    fn a_check_in_about_someone_by_a_stranger_is_refused() {
        let w = world();
        let p = supported(&w);
        let err = refused_without_change(&w.app, || {
            w.app
                .write_check_in(&w.alex.id, with_sam(&w, None, "Saw Sam in town"))
        });
        assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
        let err = refused_without_change(&w.app, || {
            w.app
                .write_check_in(&w.jo.id, with_sam(&w, None, "Sam seemed tired"))
        });
        assert!(
            matches!(err, Error::NotAllowed { .. }),
            "a fellow member is not support staff: {err}"
        );
        let err = refused_without_change(&w.app, || {
            w.app.write_check_in(
                &w.alex.id,
                NewCheckIn {
                    project: Some(p.clone()),
                    note: Some("Looks busy".into()),
                    ..NewCheckIn::default()
                },
            )
        });
        assert!(
            matches!(err, Error::NotAllowed { .. }),
            "Alex is not a member: {err}"
        );
        let err = refused_without_change(&w.app, || {
            w.app.write_check_in(
                &w.priya.id,
                NewCheckIn {
                    person: Some(w.alex.id.clone()),
                    project: Some(p.clone()),
                    tier: Some(CheckInTier::Project),
                    note: Some("About someone outside the group".into()),
                    ..NewCheckIn::default()
                },
            )
        });
        assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    }

    #[test]
    fn a_mood_outside_the_scale_is_refused() {
        let w = world();
        supported(&w);
        for mood in [0, 6, 255] {
            let err = refused_without_change(&w.app, || {
                w.app
                    .write_check_in(&w.priya.id, with_sam(&w, Some(mood), "Visit"))
            });
            assert!(
                matches!(&err, Error::Invalid { field, .. } if field == "mood"),
                "{mood}: {err}"
            );
        }
        let err = refused_without_change(&w.app, || {
            w.app.write_check_in(
                &w.priya.id,
                NewCheckIn {
                    person: Some(w.sam.id.clone()),
                    ..NewCheckIn::default()
                },
            )
        });
        assert!(
            matches!(err, Error::Invalid { .. }),
            "nothing to say: {err}"
        );
    }

    #[test]
    fn staff_see_who_needs_a_nudge() {
        let w = world();
        supported(&w);
        let flagged = w
            .app
            .write_check_in(
                &w.sam.id,
                NewCheckIn {
                    follow_up_on: Some(day("2026-03-04")),
                    ..with_sam(&w, Some(2), "Can someone call about my benefits form?")
                },
            )
            .unwrap();
        w.app
            .write_check_in(
                &w.priya.id,
                NewCheckIn {
                    follow_up_on: Some(day("2026-03-20")),
                    ..with_sam(&w, None, "Check the allotment keys came")
                },
            )
            .unwrap();
        assert!(
            w.app.follow_ups_due(&w.priya.id).unwrap().is_empty(),
            "not due yet"
        );

        w.clock.advance_minutes(3 * 24 * 60);
        let due = w.app.follow_ups_due(&w.priya.id).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, flagged.id);
        assert!(w.app.follow_ups_due(&w.alex.id).unwrap().is_empty());
        let home = w.app.home(&w.priya.id).unwrap();
        let nudge = home
            .waiting
            .iter()
            .find(|x| x.kind == WaitingKind::FollowUpDue)
            .expect("on Priya's home screen");
        assert_eq!(nudge.text, "Follow up with Sam, due Wednesday 4 March.");
        assert_eq!(nudge.person_id.as_ref(), Some(&w.sam.id));

        w.app
            .write_check_in(
                &w.priya.id,
                NewCheckIn {
                    follows_up: Some(flagged.id.clone()),
                    ..with_sam(&w, Some(3), "Called; form sent")
                },
            )
            .unwrap();
        assert!(w.app.follow_ups_due(&w.priya.id).unwrap().is_empty());
        let all = w.app.check_ins_for(&w.sam.id, &w.sam.id).unwrap();
        assert!(all.iter().find(|c| c.id == flagged.id).unwrap().followed_up);
    }

    #[test]
    fn a_check_in_cannot_be_edited_once_written() {
        let w = world();
        supported(&w);
        let mut c = w
            .app
            .write_check_in(&w.priya.id, with_sam(&w, Some(4), "Fine"))
            .unwrap();
        c.note = Some("Changed my mind".into());
        let err = refused_without_change(&w.app, || w.app.write(&w.priya.id, |wr| wr.put(&c)));
        assert!(matches!(err, Error::Conflict { .. }));
    }
}
