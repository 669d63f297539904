//! The end-to-end harness: the real `equally-server` binary run as a process
//! on loopback (SQLite, and PostgreSQL at `EQUALLY_TEST_DATABASE_URL`: see
//! [`postgres_url`]), and devices, each a core on its own database file, that redeem
//! real invites and sync over HTTP.

use equally_core::ids::{PersonId, ProjectId};
use equally_core::projects::{JoinPolicy, NewProject};
use equally_core::registry;
use equally_core::store::record;
use equally_core::sync::engine::SyncReport;
use equally_core::sync::transport::RetryPolicy;
use equally_core::text::Text;
use equally_core::time::{FixedTime, SystemTime, TimeSource, Timestamp};
use equally_core::{Config, Equally};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The server binary, built once per test run if it is missing or stale.
pub fn server_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // A test runs from target/<profile>/deps, an example from
        // target/<profile>/examples: the binary sits in target/<profile>.
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("a cargo target folder")
            .to_path_buf();
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let target_dir = profile_dir.parent().expect("a cargo target folder");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args([
                "build",
                "--quiet",
                "-p",
                "equally-server",
                "--bin",
                "equally-server",
            ])
            .env("CARGO_TARGET_DIR", target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building equally-server failed");
        profile_dir.join("equally-server")
    })
    .clone()
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

/// Where a server keeps its data; dropping it cleans up.
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
        let schema = format!("e2e_{}", uuid::Uuid::now_v7().simple());
        let ddl = format!("CREATE SCHEMA {schema}");
        let url = base.clone();
        // The synchronous client must not run on an async runtime's thread.
        std::thread::spawn(move || {
            postgres::Client::connect(&url, postgres::NoTls)
                .expect("EQUALLY_TEST_DATABASE_URL is reachable")
                .batch_execute(&ddl)
                .expect("a schema of our own");
        })
        .join()
        .expect("schema set up");
        Some(Backend::Postgres { base, schema })
    }

    /// SQLite, and PostgreSQL unless skipped on purpose (see [`postgres_url`]).
    pub fn all() -> Vec<Backend> {
        let mut all = vec![Backend::sqlite()];
        all.extend(Backend::postgres());
        all
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    pub fn database_url(&self) -> String {
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
            let (base, ddl) = (base.clone(), format!("DROP SCHEMA {schema} CASCADE"));
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = postgres::Client::connect(&base, postgres::NoTls) {
                    let _ = c.batch_execute(&ddl);
                }
            })
            .join();
        }
    }
}

/// An invite as the server's command line prints it.
#[derive(Clone, Debug)]
pub struct Invite {
    pub person_id: PersonId,
    pub code: String,
}

fn parse_invite(out: &str) -> Invite {
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in the server's output"))
    };
    Invite {
        person_id: PersonId::parse(&field("person:")).expect("a person id"),
        code: field("code:"),
    }
}

/// The real server, as a child process listening on a loopback port.
pub struct Server {
    child: Option<Child>,
    port: u16,
    log: PathBuf,
    _logs: tempfile::TempDir,
    backend: Backend,
}

impl Server {
    pub fn start(backend: Backend) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let logs = tempfile::tempdir().expect("a temporary folder");
        let mut server = Server {
            child: None,
            port,
            log: logs.path().join("server.log"),
            _logs: logs,
            backend,
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("a log file");
        let child = Command::new(server_binary())
            .args(["--database-url", &self.backend.database_url()])
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server starts");
        self.child = Some(child);
        self.wait_ready();
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "the server stopped ({status}): {}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not start listening");
    }

    /// Runs one of the server's commands on its database.
    fn command(&self, args: &[&str]) -> String {
        let out = Command::new(server_binary())
            .args(["--database-url", &self.backend.database_url()])
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the server command runs");
        assert!(
            out.status.success(),
            "equally-server {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `equally-server init`: the organisation and its first staff invite.
    pub fn init(&self, org_name: &str, staff_name: &str) -> Invite {
        parse_invite(&self.command(&["init", "--org-name", org_name, "--staff-name", staff_name]))
    }

    /// `equally-server invite` for someone new, made by a member of staff.
    pub fn invite(&self, by: &PersonId, name: &str, kind: &str) -> Invite {
        parse_invite(&self.command(&[
            "invite",
            "--by",
            by.as_str(),
            "--name",
            name,
            "--kind",
            kind,
        ]))
    }

    /// `equally-server admin compact`: drops tombstones older than the
    /// window, while the server runs. Returns its JSON report.
    pub fn compact(&self, tombstone_days: u32) -> serde_json::Value {
        let days = tombstone_days.to_string();
        serde_json::from_str(&self.command(&["admin", "compact", "--tombstone-days", &days]))
            .expect("a compaction report")
    }

    /// Kills the process outright, as a crash or a pulled plug would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and database.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Tries the server quickly, so a killed one is noticed at once.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 2,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(60),
    }
}

/// One phone: a core on its own database file, connected as one person.
pub struct Device {
    pub app: Equally,
    pub me: PersonId,
    pub token: String,
    _dir: tempfile::TempDir,
}

impl Device {
    pub async fn connect(server: &Server, invite: &Invite) -> Device {
        Self::connect_with_time(server, invite, Arc::new(SystemTime)).await
    }

    /// A device whose clock the test moves (a week offline).
    pub async fn connect_with_clock(
        server: &Server,
        invite: &Invite,
        clock: Arc<FixedTime>,
    ) -> Device {
        Self::connect_with_time(server, invite, clock).await
    }

    async fn connect_with_time(
        server: &Server,
        invite: &Invite,
        time: Arc<dyn TimeSource>,
    ) -> Device {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let app = Equally::open_with_time(
            Config {
                database_path: dir.path().join("device.db"),
            },
            time,
        )
        .expect("the device database opens");
        let connected = app
            .connect(&server.url(), &invite.code)
            .await
            .expect("the invite is redeemed");
        assert_eq!(connected.person_id, invite.person_id);
        Device {
            app,
            me: connected.person_id,
            token: connected.device_token,
            _dir: dir,
        }
    }

    pub async fn sync(&self) -> SyncReport {
        self.app.sync_now().await.expect("sync succeeds")
    }
}

/// Every entity a device holds: its fields (not its clocks), by kind,
/// sorted by id, so two devices can be compared.
pub fn snapshot(app: &Equally) -> Vec<(&'static str, Vec<Map<String, Value>>)> {
    app.store()
        .read(|r| {
            let mut all = Vec::new();
            for kind in registry::KINDS {
                let Some(table) = registry::table_for_kind(kind) else {
                    continue;
                };
                let info = record::table_info(r.conn(), table)?;
                all.push((
                    *kind,
                    record::select(r.conn(), &info, "ORDER BY id", [], Ok)?,
                ));
            }
            Ok(all)
        })
        .expect("the device database reads")
}

/// How many rows of `table` a device holds for `project_id`.
pub fn rows_of_project(app: &Equally, table: &str, project_id: &str) -> i64 {
    rows_where(app, table, "project_id", project_id)
}

/// How many rows of `table` a device holds whose `column` is `value`.
pub fn rows_where(app: &Equally, table: &str, column: &str, value: &str) -> i64 {
    app.store()
        .read(|r| {
            Ok(r.conn().query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} = ?1"),
                [value],
                |row| row.get(0),
            )?)
        })
        .expect("the device database reads")
}

/// A fixed clock at the real time now, less `days`.
pub fn clock_days_ago(days: i64) -> Arc<FixedTime> {
    Arc::new(FixedTime::new(Timestamp(
        SystemTime.now().millis() - days * 24 * 3600 * 1000,
    )))
}

/// The people of every scenario: the organisation's first member of staff
/// (Priya), who invites a supported person (Sam), another member of staff
/// (Alex) and a carer (Jo).
pub struct People {
    pub priya: Invite,
    pub sam: Invite,
    pub alex: Invite,
    pub jo: Invite,
}

pub fn people(server: &Server) -> People {
    let priya = server.init("Riverside Mind", "Priya");
    People {
        sam: server.invite(&priya.person_id, "Sam", "supported_person"),
        alex: server.invite(&priya.person_id, "Alex", "staff"),
        jo: server.invite(&priya.person_id, "Jo", "carer"),
        priya,
    }
}

/// British English text with no variants.
pub fn text(s: &str) -> Text {
    Text::new("en-GB", s)
}

/// A community garden started on `d` with these co-founders.
pub fn project(d: &Device, policy: JoinPolicy, co_founders: &[&PersonId]) -> ProjectId {
    d.app
        .start_project(
            &d.me,
            NewProject {
                title: text("Community garden"),
                purpose: text("Grow food together"),
                join_policy: policy,
                co_founders: co_founders.iter().map(|p| (*p).clone()).collect(),
            },
        )
        .expect("the project starts")
        .id
}
