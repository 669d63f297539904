//! Counters and latency histograms, written out in Prometheus' text format
//! by `GET /v1/metrics`. Plain atomics: nothing here is worth a dependency.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
pub struct Histogram {
    counts: [AtomicU64; 11],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        for (bound, slot) in BUCKETS.iter().zip(&self.counts) {
            if secs <= *bound {
                slot.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, label: &str) {
        for (bound, slot) in BUCKETS.iter().zip(&self.counts) {
            let _ = writeln!(
                out,
                "{name}_bucket{{{label},le=\"{bound}\"}} {}",
                slot.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{label},le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "{name}_sum{{{label}}} {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "{name}_count{{{label}}} {count}");
    }
}

#[derive(Default)]
pub struct Metrics {
    pub ops_applied: AtomicU64,
    pub ops_rejected: AtomicU64,
    pub pushes: AtomicU64,
    pub pulls: AtomicU64,
    pub changes_served: AtomicU64,
    pub redeemed: AtomicU64,
    pub redeem_refused: AtomicU64,
    pub unauthorised: AtomicU64,
    pub push_latency: Histogram,
    pub pull_latency: Histogram,
}

impl Metrics {
    pub fn render(&self, backend: &str) -> String {
        let mut out = String::new();
        let counters: [(&str, &str, &AtomicU64); 8] = [
            (
                "equally_ops_applied_total",
                "Ops applied (duplicates included)",
                &self.ops_applied,
            ),
            (
                "equally_ops_rejected_total",
                "Ops rejected by the rules",
                &self.ops_rejected,
            ),
            (
                "equally_pushes_total",
                "Push requests answered",
                &self.pushes,
            ),
            ("equally_pulls_total", "Pull requests answered", &self.pulls),
            (
                "equally_changes_served_total",
                "Changes sent to pullers",
                &self.changes_served,
            ),
            (
                "equally_invites_redeemed_total",
                "Invites redeemed",
                &self.redeemed,
            ),
            (
                "equally_invites_refused_total",
                "Redemptions refused (bad code or rate limit)",
                &self.redeem_refused,
            ),
            (
                "equally_unauthorised_total",
                "Requests with an unknown or revoked token",
                &self.unauthorised,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(
                out,
                "{name}{{backend=\"{backend}\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP equally_request_seconds Time to answer push and pull"
        );
        let _ = writeln!(out, "# TYPE equally_request_seconds histogram");
        self.push_latency
            .render(&mut out, "equally_request_seconds", "route=\"push\"");
        self.pull_latency
            .render(&mut out, "equally_request_seconds", "route=\"pull\"");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_each_observation_in_every_bucket_above_it() {
        let m = Metrics::default();
        m.pull_latency.observe(Duration::from_millis(3));
        m.pull_latency.observe(Duration::from_millis(30));
        let text = m.render("sqlite");
        assert!(
            text.contains("equally_request_seconds_bucket{route=\"pull\",le=\"0.005\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("equally_request_seconds_bucket{route=\"pull\",le=\"0.05\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("equally_request_seconds_count{route=\"pull\"} 2"),
            "{text}"
        );
    }
}
