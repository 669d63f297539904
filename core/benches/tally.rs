//! How long a tally takes on a phone-sized budget. The target from issue 3:
//! a ranked-choice tally of 10,000 ballots over 8 options in under 10 ms.
//! Also the pure parts of a proposal screen for 500 votes (tally, what the
//! viewer may see, the summary), ahead of the screen record itself.

use criterion::{Criterion, criterion_group, criterion_main};
use equally_core::decisions::{
    Anonymity, Ballot, Method, ProposalOption, ProposalRules, Vote, seen_by, summary, tally,
};
use equally_core::hlc::Hlc;
use equally_core::ids::PersonId;
use equally_core::text::{Reader, Text};
use equally_core::time::Timestamp;
use std::hint::black_box;

const OPENS: i64 = 1_750_000_000_000;

/// A small fixed-seed generator, so every run counts the same ballots.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn person(n: usize) -> PersonId {
    PersonId::parse(&format!("01900000-0000-7000-8000-{n:012x}")).expect("well-formed id")
}

/// `voters` members, each ranking some of `options` options in a random
/// order, with a leaning towards the first few so the run-off goes several
/// rounds rather than being a flat tie.
fn election(voters: usize, options: usize) -> (ProposalRules, Vec<PersonId>, Vec<Vote>) {
    let ids: Vec<String> = (0..options).map(|i| format!("option-{i}")).collect();
    let rules = ProposalRules::new(
        Method::RankedChoice,
        ids.iter()
            .map(|id| ProposalOption::new(id, Text::new("en-GB", id)))
            .collect(),
        50,
    );
    let mut rng = Lcg(42);
    let electorate: Vec<PersonId> = (0..voters).map(person).collect();
    let votes = electorate
        .iter()
        .enumerate()
        .map(|(n, voter)| {
            let mut order: Vec<usize> = (0..options).collect();
            for i in (1..options).rev() {
                let j = rng.below(i + 1);
                order.swap(i, j);
            }
            let favourite = rng.below(options).min(rng.below(options));
            if let Some(at) = order.iter().position(|&o| o == favourite) {
                order.swap(0, at);
            }
            let length = 1 + rng.below(options);
            let ranking = order[..length].iter().map(|&o| ids[o].clone()).collect();
            Vote::new(
                voter.clone(),
                Ballot::Ranked(ranking),
                Hlc {
                    wall_ms: (OPENS as u64) + n as u64,
                    counter: 0,
                    node: 1,
                },
            )
        })
        .collect();
    (rules, electorate, votes)
}

fn ranked_choice(c: &mut Criterion) {
    let (rules, electorate, votes) = election(10_000, 8);
    let closes = Timestamp(OPENS + 7 * 24 * 3_600_000);
    let now = Timestamp(OPENS + 10 * 24 * 3_600_000);
    let result = tally(&rules, &electorate, &votes, closes, now);
    eprintln!(
        "ranked choice, 10,000 ballots over 8 options: {} rounds, {:?}, winners {:?}",
        match &result.counts {
            equally_core::decisions::Counts::Ranked(r) => r.rounds.len(),
            _ => 0,
        },
        result.status,
        result.winners
    );
    c.bench_function("ranked_choice_10000_ballots_8_options", |b| {
        b.iter(|| {
            tally(
                black_box(&rules),
                black_box(&electorate),
                black_box(&votes),
                closes,
                now,
            )
        })
    });
}

fn screen_parts(c: &mut Criterion) {
    let (mut rules, electorate, votes) = election(500, 8);
    rules.anonymity = Anonymity::Anonymous;
    let closes = Timestamp(OPENS + 7 * 24 * 3_600_000);
    let now = Timestamp(OPENS + 3 * 24 * 3_600_000);
    let viewer = electorate[7].clone();
    let reader = Reader {
        languages: vec!["pl".into()],
        easy_read: true,
    };
    c.bench_function("tally_seen_by_and_summary_500_votes", |b| {
        b.iter(|| {
            let t = tally(&rules, &electorate, black_box(&votes), closes, now);
            let seen = seen_by(&viewer, &rules, &electorate, &votes, closes, now);
            let text = summary(&t, &rules.options, &reader);
            (t, seen, text)
        })
    });
}

criterion_group!(benches, ranked_choice, screen_parts);
criterion_main!(benches);
