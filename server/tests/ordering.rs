//! The change log never skips: pullers running while many devices push see
//! every change exactly once, in order — on SQLite and on PostgreSQL, where
//! concurrent transactions are the classic way for a cursor to jump past a
//! change that commits late. Two server instances share the database, as
//! they would behind a load balancer.

mod common;

use common::*;
use equally_rules::entity::Scope;
use equally_rules::people::PersonKind;
use equally_rules::statements::Visibility;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const PUSHERS: usize = 6;
const BATCHES: usize = 12;
const BATCH: usize = 10;
const PULLERS: usize = 3;

async fn every_puller_sees_every_change_once_and_in_order(backend: Backend) {
    let w = World::with_config(backend, roomy()).await;
    let mut members = Vec::new();
    for i in 0..PUSHERS {
        members.push(w.join(&format!("Pusher {i}"), PersonKind::Volunteer).await);
    }
    // A second, independent instance on the same database.
    let second = TestServer::start_on(&w.server.url, roomy()).await;
    let bases = Arc::new([w.server.base.clone(), second.base.clone()]);
    let w = Arc::new(w);
    let done = Arc::new(AtomicBool::new(false));

    let mut pullers = Vec::new();
    for i in 0..PULLERS {
        let w = w.clone();
        let done = done.clone();
        let base = bases[i % 2].clone();
        pullers.push(tokio::spawn(async move {
            let reader = w.join(&format!("Puller {i}"), PersonKind::Staff).await;
            let mut after = 0;
            let mut seen = Vec::new();
            loop {
                // Read "done" before pulling: a pull that starts after every
                // push was answered must reach the end of the log.
                let finished = done.load(Ordering::SeqCst);
                let page = w
                    .pull_at(&base, &reader, Scope::Organisation, after, 7 + i as u32)
                    .await;
                seen.extend(page.changes.iter().map(|c| c.seq));
                after = page.cursor;
                if finished && !page.has_more {
                    return seen;
                }
            }
        }));
    }

    let mut pushers = Vec::new();
    for (n, m) in members.into_iter().enumerate() {
        let w = w.clone();
        let bases = bases.clone();
        pushers.push(tokio::spawn(async move {
            let mut applied = Vec::new();
            for b in 0..BATCHES {
                let ops = (0..BATCH)
                    .map(|i| {
                        m.create(&statement(
                            &m,
                            &format!("batch {b} item {i}"),
                            Visibility::Everyone,
                        ))
                    })
                    .collect();
                // Each batch goes to either instance, as a load balancer might.
                let base = &bases[(n + b) % 2];
                for r in w.push_at(base, &m, ops).await.results {
                    applied.push(applied_seq(&r));
                }
            }
            applied
        }));
    }
    let mut applied = BTreeSet::new();
    for p in pushers {
        applied.extend(p.await.expect("a pusher finishes"));
    }
    assert_eq!(
        applied.len(),
        PUSHERS * BATCHES * BATCH,
        "every op has its own seq"
    );
    done.store(true, Ordering::SeqCst);

    let everything: Vec<i64> = w
        .pull_all(&w.staff, Scope::Organisation)
        .await
        .iter()
        .map(|c| c.seq)
        .collect();
    for p in pullers {
        let seen = p.await.expect("a puller finishes");
        assert!(
            seen.windows(2).all(|s| s[0] < s[1]),
            "a puller saw changes out of order or twice"
        );
        let seen_set: BTreeSet<i64> = seen.iter().copied().collect();
        let missed: Vec<_> = applied.difference(&seen_set).collect();
        assert!(
            missed.is_empty(),
            "a puller missed {} changes: {missed:?}",
            missed.len()
        );
        // Nothing it saw is outside the log either (people joining are in it too).
        assert!(seen_set.iter().all(|s| everything.contains(s)));
    }
}
on_both_storages!(every_puller_sees_every_change_once_and_in_order);
