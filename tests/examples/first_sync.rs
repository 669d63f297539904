//! Benchmark: the first sync of a project with 20,000 changes onto an empty
//! device, against the real server on loopback (the target is under 2 s).
//!
//!     cargo run --release -p equally-e2e --example first_sync [-- --postgres]
//!
//! `--postgres` uses `EQUALLY_TEST_DATABASE_URL` instead of SQLite.

use equally_core::contributions::NewContribution;
use equally_core::projects::{JoinPolicy, NewProject};
use equally_core::sync::engine::SYNC_STATUS;
use equally_core::text::Text;
use equally_core::time::Day;
use equally_core::{ChangeListener, Changed, Equally};
use equally_e2e::{Backend, Device, Server, rows_of_project};
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

const CONTRIBUTIONS: usize = 16_000;
const ACTIONS: usize = 2_000;

/// Records the progress a sync screen would show.
struct Progress {
    device: Weak<Device>,
    seen: Mutex<Vec<(u32, u32)>>,
}

impl ChangeListener for Progress {
    fn on_change(&self, changes: &[Changed]) {
        if !changes.iter().any(|c| c.entity == SYNC_STATUS) {
            return;
        }
        let Some(device) = self.device.upgrade() else {
            return;
        };
        if let Ok(Some(p)) = device.app.sync_status().map(|s| s.progress) {
            self.seen
                .lock()
                .unwrap()
                .push((p.pages_done, p.pages_estimated));
        }
    }
}

fn pending(app: &Equally) -> i64 {
    app.pending_count().unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let backend = if std::env::args().any(|a| a == "--postgres") {
        Backend::postgres().expect("set EQUALLY_TEST_DATABASE_URL for --postgres")
    } else {
        Backend::sqlite()
    };
    let backend_name = backend.name();
    let server = Server::start(backend);
    let priya_invite = server.init("Riverside Mind", "Priya");
    let sam_invite = server.invite(&priya_invite.person_id, "Sam", "supported_person");
    let priya = Device::connect(&server, &priya_invite).await;
    priya.sync().await;
    let garden = priya
        .app
        .start_project(
            &priya.me,
            NewProject {
                title: Text::new("en-GB", "Community garden"),
                purpose: Text::new("en-GB", "Grow food together"),
                join_policy: JoinPolicy::Open,
                co_founders: vec![sam_invite.person_id.clone()],
            },
        )
        .unwrap()
        .id;

    // 20,000 changes in the project: contributions, actions, and an edit of
    // each action.
    let seeding = Instant::now();
    let day = Day::parse("done_on", "2026-03-01").unwrap();
    for chunk in 0..CONTRIBUTIONS / 500 {
        let batch = (0..500)
            .map(|i| NewContribution {
                person_id: priya.me.clone(),
                project_id: garden.clone(),
                what: format!("Shift {chunk}-{i} at the garden"),
                minutes: 30 + (i % 90) as u32,
                expenses_pence: 0,
                done_on: day,
                recognition: None,
            })
            .collect();
        priya.app.log_contributions(&priya.me, batch).unwrap();
    }
    for i in 0..ACTIONS {
        let a = priya
            .app
            .add_action(
                &priya.me,
                &garden,
                Text::new("en-GB", &format!("Task {i}")),
                None,
                false,
            )
            .unwrap();
        priya.app.take_action(&priya.me, &a.id).unwrap();
    }
    let queued = pending(&priya.app);
    let made = seeding.elapsed();
    let pushing = Instant::now();
    priya.sync().await;
    let pushed = pushing.elapsed();
    assert_eq!(pending(&priya.app), 0);

    let sam = Arc::new(Device::connect(&server, &sam_invite).await);
    let progress = Arc::new(Progress {
        device: Arc::downgrade(&sam),
        seen: Mutex::new(Vec::new()),
    });
    let _subscription = sam.app.subscribe(progress.clone());
    let first = Instant::now();
    let report = sam.sync().await;
    let took = first.elapsed();

    let contributions = rows_of_project(&sam.app, "contributions", garden.as_str());
    let actions = rows_of_project(&sam.app, "actions", garden.as_str());
    assert_eq!(contributions as usize, CONTRIBUTIONS);
    assert_eq!(actions as usize, ACTIONS);
    let seen = progress.seen.lock().unwrap();
    println!("backend: {backend_name}");
    println!(
        "seeded {queued} local changes in {:.2} s; pushed them in {:.2} s ({:.0} ops/s)",
        made.as_secs_f64(),
        pushed.as_secs_f64(),
        queued as f64 / pushed.as_secs_f64()
    );
    println!(
        "first sync onto an empty device: {} pages, {} changes applied, in {:.2} s (target < 2 s)",
        report.pages,
        report.pulled,
        took.as_secs_f64()
    );
    if let (Some(first), Some(last)) = (seen.first(), seen.last()) {
        println!(
            "progress shown: {}/{} after the first page, {}/{} at the end ({} updates)",
            first.0,
            first.1,
            last.0,
            last.1,
            seen.len()
        );
    }
}
