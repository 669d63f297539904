//! The harness every server test uses: the real server on loopback, on
//! SQLite and on PostgreSQL at `EQUALLY_TEST_DATABASE_URL` (each test in a
//! schema of its own, so tests run in parallel; see [`postgres_url`]), with
//! devices that redeem real invites and speak the real protocol.
#![allow(dead_code)]

pub mod client;

use equally_rules::entity::{Entity, Scope, encode};
use equally_rules::hlc::Hlc;
use equally_rules::ids::{OpId, OrganisationId, PersonId, ProjectId, StatementId};
use equally_rules::people::PersonKind;
use equally_rules::projects::{
    GroupAgreement, JoinPolicy, Membership, MembershipStatus, Project, Role, Stage,
};
use equally_rules::statements::{Statement, Visibility};
use equally_rules::text::Text;
use equally_rules::time::Timestamp;
use equally_rules::wire::{ErrorBody, PullRequest, PullResponse, PushRequest, PushResponse};
use equally_rules::wire::{Op, OpAction};
use equally_server::storage::{self, Storage};
use equally_server::{AppState, ServerConfig, admin};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Runs blocking storage work from a test (multi-threaded runtime).
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// The PostgreSQL test database. A run must be given one: a run without it
/// would pass having tested only half the storage. `EQUALLY_SKIP_POSTGRES=1`
/// skips PostgreSQL on purpose (a laptop without it) and says so; a given
/// database is always tested.
pub fn postgres_url() -> Option<String> {
    if let Some(url) = std::env::var("EQUALLY_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        return Some(url);
    }
    if std::env::var("EQUALLY_SKIP_POSTGRES").as_deref() == Ok("1") {
        eprintln!("EQUALLY_SKIP_POSTGRES=1: PostgreSQL skipped, only SQLite tested");
        return None;
    }
    panic!(
        "EQUALLY_TEST_DATABASE_URL is not set, so the PostgreSQL half cannot run. \
         Start one with `eval \"$(scripts/install-postgres.sh)\"` (scripts/test.sh does), \
         or set EQUALLY_SKIP_POSTGRES=1 to skip PostgreSQL on purpose."
    )
}

/// Where a test's data lives; dropping it cleans up.
pub enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres { base: String, schema: String },
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite(tempfile::tempdir().expect("a temporary folder"))
    }

    /// A fresh schema in the test database, or `None` when PostgreSQL is
    /// skipped on purpose.
    pub fn postgres() -> Option<Backend> {
        let base = postgres_url()?;
        let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
        let mut client = postgres::Client::connect(&base, postgres::NoTls)
            .expect("EQUALLY_TEST_DATABASE_URL is reachable");
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("can create a schema");
        Some(Backend::Postgres { base, schema })
    }

    pub fn url(&self) -> String {
        match self {
            Backend::Sqlite(dir) => format!("sqlite:{}", dir.path().join("server.db").display()),
            Backend::Postgres { base, schema } => {
                let sep = if base.contains('?') { '&' } else { '?' };
                format!("{base}{sep}options=-csearch_path%3D{schema}")
            }
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Backend::Postgres { base, schema } = self {
            let base = base.clone();
            let schema = schema.clone();
            // A thread of its own: the sync client must not run on a
            // runtime thread.
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = postgres::Client::connect(&base, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
                }
            })
            .join();
        }
    }
}

/// Runs a test body once per storage: `sqlite`, and `postgres`, which fails
/// when no test database is given unless PostgreSQL is skipped on purpose.
#[macro_export]
macro_rules! on_both_storages {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name($crate::common::Backend::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                // `None` only under EQUALLY_SKIP_POSTGRES=1, which says so.
                if let Some(b) = tokio::task::block_in_place($crate::common::Backend::postgres) {
                    super::$name(b).await
                }
            }
        }
    };
}

/// A server that lets many devices be set up at once from one address.
pub fn roomy() -> ServerConfig {
    let plenty = equally_server::identity::Rate {
        capacity: 10_000.0,
        per_minute: 10_000.0,
    };
    ServerConfig {
        redeem_per_address: plenty,
        redeem_overall: plenty,
        ..ServerConfig::default()
    }
}

pub struct TestServer {
    pub base: String,
    pub url: String,
    pub storage: Arc<dyn Storage>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    // Last: the database goes after the server that uses it.
    backend: Option<Backend>,
}

impl TestServer {
    pub async fn start(backend: Backend, config: ServerConfig) -> TestServer {
        let url = backend.url();
        let mut server = Self::start_on(&url, config).await;
        server.backend = Some(backend);
        server
    }

    /// A server on a database the caller keeps.
    pub async fn start_on(url: &str, config: ServerConfig) -> TestServer {
        let url = url.to_string();
        let storage = blocking(|| storage::open(&url)).expect("storage opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("an address");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(storage.clone(), config);
        tokio::spawn(equally_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestServer {
            base: format!("http://{addr}"),
            url: url.clone(),
            storage,
            shutdown: Some(tx),
            backend: None,
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// One device, set up from an invite.
#[derive(Debug)]
pub struct Member {
    pub person: PersonId,
    pub token: String,
    pub device: String,
    node: u32,
    counter: AtomicU32,
}

static NODES: AtomicU32 = AtomicU32::new(1);

impl Member {
    /// A fresh stamp from this device's clock.
    pub fn stamp(&self) -> Hlc {
        Hlc {
            wall_ms: now_ms() as u64,
            counter: self.counter.fetch_add(1, Ordering::Relaxed),
            node: self.node,
        }
    }

    pub fn op(&self, kind: &str, id: &str, action: OpAction, fields: Map<String, Value>) -> Op {
        Op {
            op_id: OpId::new(),
            entity: kind.into(),
            entity_id: id.into(),
            action,
            fields,
            hlc: self.stamp(),
            author: self.person.clone(),
        }
    }

    pub fn create<E: Entity>(&self, e: &E) -> Op {
        self.op(
            E::KIND,
            e.id(),
            OpAction::Create,
            encode(e).expect("encodes"),
        )
    }

    pub fn update(&self, kind: &str, id: &str, fields: Value) -> Op {
        let Value::Object(fields) = fields else {
            panic!("fields must be an object")
        };
        self.op(kind, id, OpAction::Update, fields)
    }

    pub fn delete(&self, kind: &str, id: &str) -> Op {
        self.op(kind, id, OpAction::Delete, Map::new())
    }
}

pub struct World {
    pub server: TestServer,
    pub http: client::Client,
    pub org: OrganisationId,
    pub staff: Member,
}

#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: ErrorBody,
}

impl World {
    pub async fn new(backend: Backend) -> World {
        Self::with_config(backend, ServerConfig::default()).await
    }

    pub async fn with_config(backend: Backend, config: ServerConfig) -> World {
        let server = TestServer::start(backend, config).await;
        let storage = server.storage.clone();
        let setup =
            blocking(|| admin::init(&*storage, "Riverside Mind", "Sam", now_ms())).expect("init");
        let http = client::Client::new();
        let mut world = World {
            server,
            http,
            org: setup.organisation_id.clone(),
            staff: Member {
                person: setup.staff.person_id.clone(),
                token: String::new(),
                device: String::new(),
                node: 0,
                counter: AtomicU32::new(0),
            },
        };
        world.staff = world
            .redeem(&setup.staff.code)
            .await
            .expect("the staff invite works");
        world
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.base, path)
    }

    /// The same push, sent to another server instance on the same database.
    pub async fn push_at(&self, base: &str, m: &Member, ops: Vec<Op>) -> PushResponse {
        let resp = self
            .http
            .post(format!("{base}/v1/push"))
            .bearer_auth(&m.token)
            .json(&PushRequest { ops })
            .send()
            .await
            .expect("the server answers");
        serde_json::from_value(read(resp).await.expect("push is answered"))
            .expect("a push response")
    }

    pub async fn pull_at(
        &self,
        base: &str,
        m: &Member,
        scope: Scope,
        after: i64,
        limit: u32,
    ) -> PullResponse {
        let resp = self
            .http
            .post(format!("{base}/v1/pull"))
            .bearer_auth(&m.token)
            .json(&PullRequest {
                scope,
                after,
                limit,
            })
            .send()
            .await
            .expect("the server answers");
        serde_json::from_value(read(resp).await.expect("may pull")).expect("a pull response")
    }

    pub async fn redeem(&self, code: &str) -> Result<Member, Refused> {
        let body = self
            .call("/v1/invites/redeem", None, &json!({ "code": code }))
            .await?;
        Ok(Member {
            person: PersonId::parse(body["person_id"].as_str().expect("a person id"))
                .expect("a valid id"),
            token: body["token"].as_str().expect("a token").to_string(),
            device: body["device_id"].as_str().expect("a device").to_string(),
            node: NODES.fetch_add(1, Ordering::Relaxed),
            counter: AtomicU32::new(0),
        })
    }

    /// Staff invite someone new over HTTP, and they set up their phone.
    pub async fn join(&self, name: &str, kind: PersonKind) -> Member {
        let issued = self
            .call(
                "/v1/invites",
                Some(&self.staff.token),
                &json!({ "name": name, "kind": kind }),
            )
            .await
            .expect("staff can invite");
        self.redeem(issued["code"].as_str().expect("a code"))
            .await
            .expect("a fresh code works")
    }

    /// POSTs JSON and returns the answer's JSON, or the refusal.
    pub async fn call(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl serde::Serialize,
    ) -> Result<Value, Refused> {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the server answers");
        read(resp).await
    }

    pub async fn push(&self, m: &Member, ops: Vec<Op>) -> PushResponse {
        let body = self
            .call("/v1/push", Some(&m.token), &PushRequest { ops })
            .await
            .expect("push is answered");
        serde_json::from_value(body).expect("a push response")
    }

    pub async fn pull(
        &self,
        m: &Member,
        scope: Scope,
        after: i64,
        limit: u32,
    ) -> Result<PullResponse, Refused> {
        let body = self
            .call(
                "/v1/pull",
                Some(&m.token),
                &PullRequest {
                    scope,
                    after,
                    limit,
                },
            )
            .await?;
        Ok(serde_json::from_value(body).expect("a pull response"))
    }

    /// Every change in a scope, page by page.
    pub async fn pull_all(&self, m: &Member, scope: Scope) -> Vec<equally_rules::wire::Change> {
        let mut after = 0;
        let mut all = Vec::new();
        loop {
            let page = self
                .pull(m, scope.clone(), after, 100)
                .await
                .expect("may pull");
            all.extend(page.changes);
            after = page.cursor;
            if !page.has_more {
                return all;
            }
        }
    }

    /// A digest of everything stored, to prove a refused request changed
    /// nothing.
    pub fn fingerprint(&self) -> String {
        let storage = self.server.storage.clone();
        blocking(move || {
            storage.read_with(|tx| {
                let mut out = format!("seq={}", tx.last_seq()?);
                for kind in equally_rules::registry::KINDS {
                    for e in tx.entities_of_kind(kind)? {
                        out.push_str(&format!(
                            "|{}:{}:{}:{:?}",
                            e.kind, e.id, e.last_seq, e.fields
                        ));
                    }
                }
                Ok(out)
            })
        })
        .expect("storage reads")
    }
}

pub async fn read(resp: client::Response) -> Result<Value, Refused> {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a body");
    if (200..300).contains(&status) {
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON")
        })
    } else {
        Err(Refused {
            status,
            body: serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("a refusal is an ErrorBody: {status} {text}")),
        })
    }
}

// Records the tests make, valid by the core's rules.

pub fn project(by: &Member, org: &OrganisationId, join: JoinPolicy) -> Project {
    Project {
        id: ProjectId::new(),
        organisation_id: org.clone(),
        title: Text::new("en-GB", "Allotment"),
        purpose: Text::new("en-GB", "Grow food together"),
        stage: Stage::Idea,
        join_policy: join,
        agreement: GroupAgreement::default(),
        started_by: by.person.clone(),
        times_reopened: 0,
        plan_from_proposal: None,
        created_at: Timestamp(now_ms()),
    }
}

pub fn membership(
    project: &ProjectId,
    person: &PersonId,
    by: &PersonId,
    role: Role,
    status: MembershipStatus,
) -> Membership {
    Membership {
        id: Membership::id_for(project, person),
        project_id: project.clone(),
        person_id: person.clone(),
        role,
        status,
        changed_by: by.clone(),
        reason: None,
        since: Timestamp(now_ms()),
    }
}

/// A project started by `by`, who is its co-founder: two ops.
pub fn start_project(by: &Member, org: &OrganisationId, join: JoinPolicy) -> (Project, Vec<Op>) {
    let p = project(by, org, join);
    let m = membership(
        &p.id,
        &by.person,
        &by.person,
        Role::CoFounder,
        MembershipStatus::Active,
    );
    let ops = vec![by.create(&p), by.create(&m)];
    (p, ops)
}

pub fn statement(by: &Member, text: &str, visibility: Visibility) -> Statement {
    Statement {
        id: StatementId::new(),
        person_id: by.person.clone(),
        text: Text::new("en-GB", text),
        visibility,
        created_at: Timestamp(now_ms()),
    }
}

/// `staff` supports `person`, from now.
pub fn support_link(person: &Member, staff: &Member) -> equally_rules::people::SupportLink {
    equally_rules::people::SupportLink {
        id: equally_rules::people::SupportLink::id_for(&person.person, &staff.person),
        person_id: person.person.clone(),
        staff_id: staff.person.clone(),
        active: true,
        created_at: equally_rules::time::Timestamp(now_ms()),
    }
}

pub fn applied_seq(r: &equally_rules::wire::OpResult) -> i64 {
    match r {
        equally_rules::wire::OpResult::Applied { seq, .. } => *seq,
        other => panic!("expected applied, got {other:?}"),
    }
}

pub fn rejection(r: &equally_rules::wire::OpResult) -> (&str, &str) {
    match r {
        equally_rules::wire::OpResult::Rejected { code, message, .. } => (code, message),
        other => panic!("expected a rejection, got {other:?}"),
    }
}
