//! The change log never skips: pullers running while many devices push see
//! every change exactly once, in order — on SQLite and on PostgreSQL, where
//! concurrent transactions are the classic way for a cursor to jump past a
//! change that commits late.

mod common;

use common::*;
use equally_core::people::PersonKind;
use equally_core::rules::Scope;
use equally_core::statements::Visibility;
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
    let w = Arc::new(w);
    let done = Arc::new(AtomicBool::new(false));

    let mut pullers = Vec::new();
    for i in 0..PULLERS {
        let w = w.clone();
        let done = done.clone();
        pullers.push(tokio::spawn(async move {
            let reader = w.join(&format!("Puller {i}"), PersonKind::Staff).await;
            let mut after = 0;
            let mut seen = Vec::new();
            loop {
                // Read "done" before pulling: a pull that starts after every
                // push was answered must reach the end of the log.
                let finished = done.load(Ordering::SeqCst);
                let page = w
                    .pull(&reader, Scope::Organisation, after, 7 + i as u32)
                    .await
                    .expect("may pull");
                seen.extend(page.changes.iter().map(|c| c.seq));
                after = page.cursor;
                if finished && !page.has_more {
                    return seen;
                }
            }
        }));
    }

    let mut pushers = Vec::new();
    for m in members {
        let w = w.clone();
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
                for r in w.push(&m, ops).await.results {
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
