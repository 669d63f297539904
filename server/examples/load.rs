//! The server's load figures, server and load generator in one process on
//! loopback: 200 devices in 20 projects push batches of 50 ops while one
//! reader per project pulls; then one device pulls a 20,000-change project
//! from nothing. Bounded in count and time. Run:
//!
//! ```text
//! cargo run -p equally-server --profile bench --example load            # SQLite
//! cargo run -p equally-server --profile bench --example load -- postgres://equally:equally@127.0.0.1:5432/equally_test
//! EQUALLY_LOAD_PULLS=off cargo run …   # pushing alone, no pulls
//! ```

use equally_rules::entity::{Entity, Scope, encode};
use equally_rules::hlc::Hlc;
use equally_rules::ids::{NeedId, OpId, OrganisationId, PersonId, ProjectId};
use equally_rules::offers::{Need, OfferKind};
use equally_rules::people::PersonKind;
use equally_rules::projects::{
    GroupAgreement, JoinPolicy, Membership, MembershipStatus, Project, Role, Stage,
};
use equally_rules::text::Text;
use equally_rules::time::Timestamp;
use equally_rules::wire::{Op, OpAction};
use equally_rules::wire::{OpResult, PullRequest, PullResponse, PushRequest, PushResponse};
use equally_server::admin::{self, Invitee};
use equally_server::identity::Rate;
use equally_server::storage::{self, Storage};
use equally_server::{AppState, ServerConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const DEVICES: usize = 200;
const PROJECTS: usize = 20;
const BATCH: usize = 50;
const BATCHES_PER_DEVICE: usize = 5;
const TIME_LIMIT: Duration = Duration::from_secs(60);
const BIG_PROJECT: usize = 20_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

struct Device {
    person: PersonId,
    token: String,
    project: ProjectId,
    node: u32,
    counter: AtomicU32,
}

impl Device {
    fn op<E: Entity>(&self, e: &E, action: OpAction) -> Op {
        Op {
            op_id: OpId::new(),
            entity: E::KIND.into(),
            entity_id: e.id().into(),
            action,
            fields: encode(e).expect("encodes"),
            hlc: Hlc {
                wall_ms: now_ms() as u64,
                counter: self.counter.fetch_add(1, Ordering::Relaxed),
                node: self.node,
            },
            author: self.person.clone(),
        }
    }

    fn need(&self, i: usize) -> Op {
        self.op(
            &Need {
                id: NeedId::new(),
                project_id: self.project.clone(),
                kind: OfferKind::Time,
                description: Text::new("en-GB", &format!("Someone to help on a Saturday ({i})")),
                tags: vec!["gardening".into()],
                met: false,
                added_by: self.person.clone(),
                created_at: Timestamp(now_ms()),
            },
            OpAction::Create,
        )
    }
}

// The server's tests' own small client over hyper: the server's tree holds
// no reqwest.
// It also serves tests that use more of it than this example does.
#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod http;

struct Client {
    http: http::Client,
    base: String,
}

impl Client {
    async fn push(&self, d: &Device, ops: Vec<Op>) -> PushResponse {
        self.http
            .post(format!("{}/v1/push", self.base))
            .bearer_auth(&d.token)
            .json(&PushRequest { ops })
            .send()
            .await
            .expect("push answered")
            .error_for_status()
            .expect("push accepted")
            .json()
            .await
            .expect("a push response")
    }

    async fn pull(&self, d: &Device, scope: Scope, after: i64) -> PullResponse {
        self.http
            .post(format!("{}/v1/pull", self.base))
            .bearer_auth(&d.token)
            .json(&PullRequest {
                scope,
                after,
                limit: 1000,
            })
            .send()
            .await
            .expect("pull answered")
            .error_for_status()
            .expect("pull accepted")
            .json()
            .await
            .expect("a pull response")
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Sets up the organisation, the projects and the devices directly in
/// storage, and returns the devices (the first of each project is its
/// starter).
fn setup(storage: &dyn Storage) -> (Vec<Device>, OrganisationId) {
    let now = now_ms();
    let org = admin::init(storage, "Load test", "Sam", now).expect("init");
    let staff: PersonId = org.staff.person_id.clone();
    let mut devices = Vec::new();
    for i in 0..DEVICES {
        let invite = admin::invite(
            storage,
            &staff,
            Invitee::New {
                name: format!("Device {i}"),
                kind: PersonKind::Volunteer,
            },
            now,
            7,
        )
        .expect("invite");
        let redeemed = admin::redeem(storage, &invite.code, now)
            .expect("redeem")
            .expect("a fresh code works");
        devices.push(Device {
            person: redeemed.person_id,
            token: redeemed.token,
            project: ProjectId::new(),
            node: i as u32 + 1,
            counter: AtomicU32::new(0),
        });
    }
    (devices, org.organisation_id)
}

async fn join_projects(client: &Client, org: &OrganisationId, devices: &mut [Device]) {
    for p in 0..PROJECTS {
        let starter = p;
        let project = Project {
            id: ProjectId::new(),
            organisation_id: org.clone(),
            title: Text::new("en-GB", &format!("Project {p}")),
            purpose: Text::new("en-GB", "Load"),
            stage: Stage::Idea,
            join_policy: JoinPolicy::Open,
            agreement: GroupAgreement::default(),
            started_by: devices[starter].person.clone(),
            times_reopened: 0,
            plan_from_proposal: None,
            created_at: Timestamp(now_ms()),
        };
        for d in devices.iter_mut().skip(p).step_by(PROJECTS) {
            d.project = project.id.clone();
        }
        let d = &devices[starter];
        let founder = Membership {
            id: Membership::id_for(&project.id, &d.person),
            project_id: project.id.clone(),
            person_id: d.person.clone(),
            role: Role::CoFounder,
            status: MembershipStatus::Active,
            changed_by: d.person.clone(),
            reason: None,
            since: Timestamp(now_ms()),
        };
        let res = client
            .push(
                d,
                vec![
                    d.op(&project, OpAction::Create),
                    d.op(&founder, OpAction::Create),
                ],
            )
            .await;
        assert!(
            res.results
                .iter()
                .all(|r| matches!(r, OpResult::Applied { .. })),
            "{res:?}"
        );
    }
    for d in devices.iter().skip(PROJECTS) {
        let m = Membership {
            id: Membership::id_for(&d.project, &d.person),
            project_id: d.project.clone(),
            person_id: d.person.clone(),
            role: Role::Member,
            status: MembershipStatus::Active,
            changed_by: d.person.clone(),
            reason: None,
            since: Timestamp(now_ms()),
        };
        let res = client.push(d, vec![d.op(&m, OpAction::Create)]).await;
        assert!(
            res.results
                .iter()
                .all(|r| matches!(r, OpResult::Applied { .. })),
            "{res:?}"
        );
    }
}

fn run(label: &str, url: &str) {
    let storage = storage::open(url).expect("storage opens");
    let (devices, org) = setup(&*storage);
    let plenty = Rate {
        capacity: 100_000.0,
        per_minute: 100_000.0,
    };
    let config = ServerConfig {
        redeem_per_address: plenty,
        redeem_overall: plenty,
        ..ServerConfig::default()
    };
    // The server gets a runtime of its own, as it would in its own process.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let listener = server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let addr = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(storage.clone(), config);
    server_rt.spawn(equally_server::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    client_rt.block_on(async move {
        let client = Arc::new(Client {
            http: http::Client::with_idle_connections(512),
            base: format!("http://{addr}"),
        });
        let mut devices = devices;
        join_projects(&client, &org, &mut devices).await;
        let devices: Vec<Arc<Device>> = devices.into_iter().map(Arc::new).collect();
        let deadline = Instant::now() + TIME_LIMIT;
        let pushing = Arc::new(std::sync::atomic::AtomicBool::new(true));

        // One reader per project, pulling as a phone on the screen would
        // (EQUALLY_LOAD_PULLS=off measures pushing alone).
        let readers_on = std::env::var("EQUALLY_LOAD_PULLS").as_deref() != Ok("off");
        let mut readers = Vec::new();
        for d in devices.iter().take(if readers_on { PROJECTS } else { 0 }).cloned() {
            let client = client.clone();
            let pushing = pushing.clone();
            readers.push(tokio::spawn(async move {
                let mut after = 0;
                let mut took = Vec::new();
                while pushing.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let start = Instant::now();
                    let page = client.pull(&d, Scope::Project(d.project.clone()), after).await;
                    took.push(start.elapsed());
                    after = page.cursor;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                took
            }));
        }

        let started = Instant::now();
        let mut pushers = Vec::new();
        for d in devices.clone() {
            let client = client.clone();
            pushers.push(tokio::spawn(async move {
                let mut applied = 0usize;
                for b in 0..BATCHES_PER_DEVICE {
                    if Instant::now() > deadline {
                        break;
                    }
                    let ops = (0..BATCH).map(|i| d.need(b * BATCH + i)).collect();
                    let res = client.push(&d, ops).await;
                    applied += res
                        .results
                        .iter()
                        .filter(|r| matches!(r, OpResult::Applied { .. }))
                        .count();
                }
                applied
            }));
        }
        let mut applied = 0;
        for p in pushers {
            applied += p.await.expect("a pusher finishes");
        }
        let elapsed = started.elapsed();
        pushing.store(false, Ordering::Relaxed);
        let mut pulls = Vec::new();
        for r in readers {
            pulls.extend(r.await.expect("a reader finishes"));
        }
        pulls.sort();
        println!(
            "{label}: {applied} ops from {DEVICES} devices in batches of {BATCH}: {:.2} s, {:.0} ops/s",
            elapsed.as_secs_f64(),
            applied as f64 / elapsed.as_secs_f64()
        );
        println!(
            "{label}: {} pulls during the load: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            pulls.len(),
            percentile(&pulls, 0.5).as_secs_f64() * 1e3,
            percentile(&pulls, 0.99).as_secs_f64() * 1e3,
            pulls.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );

        // A project with 20,000 changes, pulled from nothing.
        let big = devices[0].clone();
        let have = applied / PROJECTS;
        let mut batch = 0;
        while have + batch * 200 < BIG_PROJECT && Instant::now() < deadline + TIME_LIMIT {
            let ops = (0..200).map(|i| big.need(100_000 + batch * 200 + i)).collect();
            client.push(&big, ops).await;
            batch += 1;
        }
        let start = Instant::now();
        let (mut after, mut changes, mut pages) = (0, 0, 0);
        loop {
            let page = client.pull(&big, Scope::Project(big.project.clone()), after).await;
            changes += page.changes.len();
            pages += 1;
            after = page.cursor;
            if !page.has_more {
                break;
            }
        }
        println!(
            "{label}: first pull of a project with {changes} changes: {pages} pages in {:.2} s (server side of a first sync)",
            start.elapsed().as_secs_f64()
        );
    });
    let _ = stop.send(());
    drop(client_rt);
    drop(server_rt);
}

fn main() {
    let arg = std::env::args().nth(1);
    match arg.as_deref() {
        Some(url) if url.starts_with("postgres") => {
            // A schema of its own, dropped afterwards even if the run fails.
            struct Schema(String, String);
            impl Drop for Schema {
                fn drop(&mut self) {
                    if let Ok(mut c) = postgres::Client::connect(&self.0, postgres::NoTls) {
                        let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.1));
                    }
                }
            }
            let schema = Schema(
                url.to_string(),
                format!("load_{}", uuid::Uuid::now_v7().simple()),
            );
            postgres::Client::connect(url, postgres::NoTls)
                .expect("PostgreSQL")
                .batch_execute(&format!("CREATE SCHEMA {}", schema.1))
                .expect("a schema");
            let sep = if url.contains('?') { '&' } else { '?' };
            run(
                "postgres",
                &format!("{url}{sep}options=-csearch_path%3D{}", schema.1),
            );
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite:{}", dir.path().join("load.db").display());
            run("sqlite", &url);
        }
    }
}
