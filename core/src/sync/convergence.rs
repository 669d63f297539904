//! The convergence property: random offline edits on several devices,
//! exchanged in random orders through a log that only numbers changes (as a
//! server's does, without its rules), leave every device in the same state.

use crate::Equally;
use crate::actions::ActionStatus;
use crate::contributions::NewContribution;
use crate::ids::{ActionId, OpId, PersonId, ProjectId, StatementId};
use crate::people::{NewPerson, PersonKind, Preferences};
use crate::projects::{JoinPolicy, NewProject, Stage};
use crate::registry;
use crate::rules::Scope;
use crate::statements::Visibility;
use crate::store::Op;
use crate::store::record;
use crate::sync::engine::{apply_pulled_page, apply_push_answer};
use crate::sync::state;
use crate::sync::wire::{Change, OpResult, PullResponse};
use crate::testkit::START;
use crate::text::Text;
use crate::time::{Day, FixedTime, TimeSource, Timestamp};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

const DEVICES: usize = 3;

/// Every entity's fields by kind, and the deleted `kind:id`s.
type Snapshot = (
    Vec<(&'static str, Vec<Map<String, Value>>)>,
    BTreeSet<String>,
);

/// Numbers pushed ops in arrival order and de-duplicates them by op id;
/// nothing else.
#[derive(Default)]
struct Log {
    changes: Vec<Change>,
    seq_of: HashMap<OpId, i64>,
}

impl Log {
    fn push(&mut self, ops: &[Op]) -> Vec<OpResult> {
        ops.iter()
            .map(|op| {
                let seq = match self.seq_of.get(&op.op_id) {
                    Some(seq) => *seq,
                    None => {
                        let seq = self.changes.len() as i64 + 1;
                        self.changes.push(Change {
                            seq,
                            entity: op.entity.clone(),
                            entity_id: op.entity_id.clone(),
                            action: op.action.into(),
                            fields: op.fields.clone(),
                            hlc: op.hlc,
                            author: Some(op.author.clone()),
                        });
                        self.seq_of.insert(op.op_id.clone(), seq);
                        seq
                    }
                };
                OpResult::Applied {
                    op_id: op.op_id.clone(),
                    seq,
                }
            })
            .collect()
    }

    fn page(&self, after: i64, limit: usize) -> PullResponse {
        let from = after.max(0) as usize;
        let changes: Vec<Change> = self
            .changes
            .iter()
            .skip(from)
            .take(limit)
            .cloned()
            .collect();
        let cursor = changes.last().map_or(after, |c| c.seq);
        PullResponse {
            has_more: (cursor as usize) < self.changes.len(),
            remaining_estimate: self.changes.len() as i64 - cursor,
            changes,
            cursor,
            resync: false,
        }
    }
}

struct Device {
    app: Equally,
    clock: Arc<FixedTime>,
}

impl Device {
    fn open(dir: &std::path::Path, n: usize, skew_ms: i64) -> Device {
        let clock = Arc::new(FixedTime::new(Timestamp(START.0 + skew_ms)));
        let app = Equally::open_with_time(
            crate::Config {
                database_path: dir.join(format!("device-{n}.db")),
            },
            clock.clone(),
        )
        .unwrap();
        Device { app, clock }
    }

    fn push(&self, log: &mut Log, max: usize, lose_answer: bool) {
        let ops = self.app.pending_ops(max).unwrap();
        let results = log.push(&ops);
        if !lose_answer {
            let reads = HashSet::from([Scope::Organisation]);
            apply_push_answer(self.app.store(), self.app.now(), None, &reads, &results).unwrap();
        }
    }

    fn cursor(&self) -> i64 {
        self.app
            .read(|r| state::cursor(r.conn(), &Scope::Organisation))
            .unwrap()
    }

    fn pull(&self, log: &Log, limit: usize) -> bool {
        let page = log.page(self.cursor(), limit);
        let reads = HashSet::from([Scope::Organisation]);
        apply_pulled_page(
            self.app.store(),
            self.app.now(),
            &Scope::Organisation,
            &reads,
            &page,
        )
        .unwrap();
        page.has_more
    }

    fn sync_fully(&self, log: &mut Log) {
        while self.app.pending_count().unwrap() > 0 {
            self.push(log, 7, false);
        }
        while self.pull(log, 5) {}
    }

    fn ids(&self, table: &'static str) -> Vec<String> {
        self.app
            .read(|r| {
                let mut stmt = r
                    .conn()
                    .prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
                let ids = stmt
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(ids)
            })
            .unwrap()
    }

    /// Every entity's fields (not its clocks), and what was deleted.
    fn snapshot(&self) -> Snapshot {
        self.app
            .read(|r| {
                let mut all = Vec::new();
                for kind in registry::KINDS {
                    let table = registry::table_for_kind(kind).unwrap();
                    let info = record::table_info(r.conn(), table)?;
                    all.push((
                        *kind,
                        record::select(r.conn(), &info, "ORDER BY id", [], Ok)?,
                    ));
                }
                let mut stmt = r
                    .conn()
                    .prepare("SELECT entity || ':' || entity_id FROM tombstones")?;
                let gone = stmt
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok((all, gone))
            })
            .unwrap()
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Title(u8),
    Stage(u8),
    NewAction(u8),
    ActionStatus(u8, u8),
    TakeAction(u8),
    StepBack(u8),
    Contribution(u8),
    NewStatement(u8),
    StatementVisibility(u8, u8),
    RemoveStatement(u8),
}

#[derive(Clone, Debug)]
enum Step {
    Edit {
        device: usize,
        actor: usize,
        edit: Edit,
    },
    Push {
        device: usize,
        max: usize,
        lose_answer: bool,
    },
    Pull {
        device: usize,
        limit: usize,
    },
    Tick {
        device: usize,
        ms: i64,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = any::<u8>;
    prop_oneof![
        n().prop_map(Edit::Title),
        n().prop_map(Edit::Stage),
        n().prop_map(Edit::NewAction),
        (n(), n()).prop_map(|(a, b)| Edit::ActionStatus(a, b)),
        n().prop_map(Edit::TakeAction),
        n().prop_map(Edit::StepBack),
        n().prop_map(Edit::Contribution),
        n().prop_map(Edit::NewStatement),
        (n(), n()).prop_map(|(a, b)| Edit::StatementVisibility(a, b)),
        n().prop_map(Edit::RemoveStatement),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let device = 0..DEVICES;
    prop_oneof![
        4 => (device.clone(), 0..DEVICES, edit()).prop_map(|(device, actor, edit)| Step::Edit { device, actor, edit }),
        2 => (device.clone(), 1usize..6, proptest::bool::weighted(0.2)).prop_map(|(device, max, lose_answer)| Step::Push { device, max, lose_answer }),
        2 => (device.clone(), 1usize..6).prop_map(|(device, limit)| Step::Pull { device, limit }),
        1 => (device, 0i64..90_000).prop_map(|(device, ms)| Step::Tick { device, ms }),
    ]
}

fn pick(ids: &[String], n: u8) -> Option<&String> {
    (!ids.is_empty()).then(|| &ids[n as usize % ids.len()])
}

/// Makes one edit; refused ones (the rules said no) are simply not made.
fn make(d: &Device, actor: &PersonId, project: &ProjectId, edit: &Edit) {
    let app = &d.app;
    let _ = match edit {
        Edit::Title(n) => app
            .edit_project_plan(
                actor,
                project,
                Some(Text::new("en-GB", &format!("Garden {n}"))),
                None,
            )
            .map(drop),
        Edit::Stage(n) => {
            let stages = [
                Stage::Idea,
                Stage::Shaping,
                Stage::Doing,
                Stage::Reviewing,
                Stage::Resting,
            ];
            app.set_stage(actor, project, stages[*n as usize % stages.len()])
                .map(drop)
        }
        Edit::NewAction(n) => app
            .add_action(
                actor,
                project,
                Text::new("en-GB", &format!("Task {n}")),
                None,
                n % 2 == 0,
            )
            .map(drop),
        Edit::ActionStatus(i, n) => match pick(&d.ids("actions"), *i) {
            Some(id) => {
                let statuses = [
                    ActionStatus::Open,
                    ActionStatus::Done,
                    ActionStatus::Dropped,
                ];
                app.set_action_status(
                    actor,
                    &ActionId::parse(id).unwrap(),
                    statuses[*n as usize % 3],
                )
            }
            None => Ok(()),
        },
        Edit::TakeAction(i) => match pick(&d.ids("actions"), *i) {
            Some(id) => app.take_action(actor, &ActionId::parse(id).unwrap()),
            None => Ok(()),
        },
        Edit::StepBack(i) => match pick(&d.ids("actions"), *i) {
            Some(id) => app.step_back(actor, &ActionId::parse(id).unwrap()),
            None => Ok(()),
        },
        Edit::Contribution(n) => app
            .log_contribution(
                actor,
                NewContribution {
                    person_id: actor.clone(),
                    project_id: project.clone(),
                    what: format!("Watering {n}"),
                    minutes: u32::from(*n) + 1,
                    expenses_pence: 0,
                    done_on: Day::parse("d", "2026-03-01").unwrap(),
                    recognition: None,
                },
            )
            .map(drop),
        Edit::NewStatement(n) => app
            .add_statement(
                actor,
                Text::new("en-GB", &format!("I like {n}")),
                Visibility::Everyone,
            )
            .map(drop),
        Edit::StatementVisibility(i, n) => match pick(&d.ids("statements"), *i) {
            Some(id) => {
                let v = [
                    Visibility::JustMe,
                    Visibility::MySupportStaff,
                    Visibility::MyProjects,
                    Visibility::Everyone,
                ];
                app.set_statement_visibility(
                    actor,
                    &StatementId::parse(id).unwrap(),
                    v[*n as usize % 4],
                )
            }
            None => Ok(()),
        },
        Edit::RemoveStatement(i) => match pick(&d.ids("statements"), *i) {
            Some(id) => app.remove_statement(actor, &StatementId::parse(id).unwrap()),
            None => Ok(()),
        },
    };
}

fn run(skews: [i64; DEVICES], steps: Vec<Step>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let devices: Vec<Device> = (0..DEVICES)
        .map(|n| Device::open(dir.path(), n, skews[n]))
        .collect();
    let mut log = Log::default();

    // The organisation, three people and their project, made on the first
    // device and shared with the others before anyone goes offline.
    let first = &devices[0].app;
    first.create_organisation("Riverside Mind").unwrap();
    let add = |by: Option<&PersonId>, name: &str, kind| {
        first
            .add_person(
                by,
                NewPerson {
                    name: name.into(),
                    pronouns: None,
                    kind,
                    preferences: Preferences::default(),
                },
            )
            .unwrap()
            .id
    };
    let priya = add(None, "Priya", PersonKind::Staff);
    let sam = add(Some(&priya), "Sam", PersonKind::SupportedPerson);
    let jo = add(Some(&priya), "Jo", PersonKind::Carer);
    let people = [priya.clone(), sam.clone(), jo.clone()];
    let project = first
        .start_project(
            &priya,
            NewProject {
                title: Text::new("en-GB", "Garden"),
                purpose: Text::new("en-GB", "Grow food"),
                join_policy: JoinPolicy::Open,
                co_founders: vec![sam, jo],
            },
        )
        .unwrap()
        .id;
    for d in &devices {
        d.sync_fully(&mut log);
    }

    for s in &steps {
        match s {
            Step::Edit {
                device,
                actor,
                edit,
            } => make(&devices[*device], &people[*actor], &project, edit),
            Step::Push {
                device,
                max,
                lose_answer,
            } => devices[*device].push(&mut log, *max, *lose_answer),
            Step::Pull { device, limit } => {
                devices[*device].pull(&log, *limit);
            }
            Step::Tick { device, ms } => devices[*device]
                .clock
                .set(Timestamp(devices[*device].clock.now().0 + ms)),
        }
    }

    // Everyone comes back online: everything is sent, then everything read.
    for d in &devices {
        d.sync_fully(&mut log);
    }
    for d in &devices {
        d.sync_fully(&mut log);
    }
    let server = Device::open(dir.path(), 99, 0);
    server.sync_fully(&mut log);
    let expected = server.snapshot();
    for (n, d) in devices.iter().enumerate() {
        prop_assert_eq!(d.app.pending_count().unwrap(), 0);
        let held: i64 = d
            .app
            .read(|r| {
                Ok(r.conn()
                    .query_row("SELECT count(*) FROM sync_held", [], |r| r.get(0))?)
            })
            .unwrap();
        prop_assert_eq!(held, 0, "device {} still holds values back", n);
        let got = d.snapshot();
        prop_assert_eq!(&got.1, &expected.1, "device {} deleted other things", n);
        for ((kind, rows), (_, want)) in got.0.iter().zip(&expected.0) {
            prop_assert_eq!(rows, want, "device {}: the {}s differ", n, kind);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn devices_that_exchange_every_change_end_identical(
        skews in proptest::array::uniform3(-600_000i64..600_000),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        run(skews, steps)?;
    }
}
