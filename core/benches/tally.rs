//! How long a tally takes on a phone-sized budget. The targets from issue 3:
//! a ranked-choice tally of 10,000 ballots over 8 options in under 10 ms,
//! and the proposal screen record for a proposal with 500 votes, read
//! through the store, in under 2 ms. Also the pure parts of that screen.

use criterion::{Criterion, criterion_group, criterion_main};
use equally_core::decisions::{
    Anonymity, Ballot, Method, NewProposal, ProposalOption, ProposalRules, Vote, seen_by, summary,
    tally,
};
use equally_core::hlc::Hlc;
use equally_core::ids::{PersonId, ProposalId};
use equally_core::people::{NewPerson, PersonKind, Preferences};
use equally_core::projects::{JoinPolicy, NewProject};
use equally_core::text::{Reading, Text};
use equally_core::time::{FixedTime, Timestamp};
use equally_core::{Config, Equally};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

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
    let reader = Reading {
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

/// A project of 500 members who all voted on one ranked-choice proposal
/// over 8 options, each through `Equally::vote`, on a real database file.
fn five_hundred_votes(
    dir: &std::path::Path,
    anonymity: Anonymity,
) -> (Equally, PersonId, ProposalId) {
    let app = Equally::open_with_time(
        Config {
            database_path: dir.join("proposal.db"),
        },
        Arc::new(FixedTime::new(Timestamp(OPENS))),
    )
    .expect("opens");
    app.create_organisation("Riverside").expect("organisation");
    let add = |by: Option<&PersonId>, n: usize| {
        app.add_person(
            by,
            NewPerson {
                name: format!("Member {n}"),
                pronouns: None,
                // Staff add people; everyone else is a person supported.
                kind: if by.is_none() {
                    PersonKind::Staff
                } else {
                    PersonKind::SupportedPerson
                },
                preferences: Preferences::default(),
            },
        )
        .expect("person")
        .id
    };
    let first = add(None, 0);
    let others: Vec<PersonId> = (1..500).map(|n| add(Some(&first), n)).collect();
    let project = app
        .start_project(
            &first,
            NewProject {
                title: Text::new("en-GB", "Garden"),
                purpose: Text::new("en-GB", "Grow food"),
                join_policy: JoinPolicy::Open,
                co_founders: others.clone(),
            },
        )
        .expect("project")
        .id;
    let (mut rules, _, ballots) = election(500, 8);
    rules.anonymity = anonymity;
    let id = app
        .propose(
            &first,
            &project,
            NewProposal {
                title: Text::new("en-GB", "Which bed first?"),
                body: Text::new("en-GB", "Put the beds in the order you would plant them"),
                rules,
                closes_at: Timestamp(OPENS + 7 * 24 * 3_600_000),
                plan_change: None,
            },
        )
        .expect("proposal")
        .id;
    let members = std::iter::once(first.clone()).chain(others);
    for (member, vote) in members.zip(ballots) {
        app.vote(&member, &id, vote.ballot, None).expect("vote");
    }
    (app, first, id)
}

fn screen_record(c: &mut Criterion) {
    for anonymity in [Anonymity::Named, Anonymity::Anonymous] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let started = Instant::now();
        let (app, viewer, id) = five_hundred_votes(dir.path(), anonymity);
        let view = app.proposal(&viewer, &id).expect("screen");
        eprintln!(
            "{anonymity:?}: seeded 500 members and 500 votes in {:.1?}; {} voted, {:?}",
            started.elapsed(),
            view.result.as_ref().map_or(0, |r| r.turnout.voted),
            view.result.as_ref().map(|r| r.as_it_stands),
        );
        let name = match anonymity {
            Anonymity::Named => "proposal_screen_500_votes_named",
            Anonymity::Anonymous => "proposal_screen_500_votes_anonymous",
        };
        c.bench_function(name, |b| {
            b.iter(|| black_box(app.proposal(&viewer, &id).expect("screen")))
        });
    }
}

criterion_group!(benches, ranked_choice, screen_parts, screen_record);
criterion_main!(benches);
