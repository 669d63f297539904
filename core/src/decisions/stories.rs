//! Proposals and votes end to end on a real database file: Priya and Alex
//! (staff), Sam (supported) and Jo (a carer) deciding things together.

use super::*;
use crate::error::Error;
use crate::home::WaitingKind;
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::projects::{GroupAgreement, JoinPolicy, NewProject, PlanChanges, Stage};
use crate::testkit::{World, refused_without_change, world};
use crate::text::Text;
use crate::time::{Day, Timestamp};

const DAY: i64 = 24 * 60;

/// A garden project with Priya, Sam and Alex in it; Jo is not (yet).
fn garden(w: &World) -> ProjectId {
    let p = w
        .app
        .start_project(
            &w.priya.id,
            NewProject {
                title: Text::new("en-GB", "Garden"),
                purpose: Text::new("en-GB", "Grow food together"),
                join_policy: JoinPolicy::Open,
                co_founders: vec![w.sam.id.clone()],
            },
        )
        .unwrap()
        .id;
    w.app.join_project(&w.alex.id, &p).unwrap();
    p
}

fn option(id: &str, label: &str) -> ProposalOption {
    ProposalOption::new(id, Text::new("en-GB", label))
}

fn in_days(w: &World, days: i64) -> Timestamp {
    w.app.now().plus_minutes(days * DAY)
}

fn proposal(w: &World, by: &PersonId, project: &ProjectId, rules: ProposalRules) -> ProposalId {
    w.app
        .propose(
            by,
            project,
            NewProposal {
                title: Text::new("en-GB", "Open on Saturdays"),
                body: Text::new("en-GB", "Open the garden on Saturday mornings"),
                rules,
                closes_at: in_days(w, 7),
                plan_change: None,
            },
        )
        .unwrap()
        .id
}

fn consent_rules() -> ProposalRules {
    ProposalRules::new(Method::Consent, vec![], 50)
}

fn consent() -> Ballot {
    Ballot::Consent(ConsentChoice::Consent)
}

fn object() -> Ballot {
    Ballot::Consent(ConsentChoice::Object)
}

fn day_choice() -> ProposalRules {
    ProposalRules::new(
        Method::SingleChoice,
        vec![option("sat", "Saturday"), option("sun", "Sunday")],
        50,
    )
}

fn after_close(w: &World) {
    w.clock.advance_minutes(7 * DAY + 1);
}

fn after_grace(w: &World) {
    w.clock.advance_minutes(9 * DAY + 1);
}

#[test]
fn anyone_who_is_a_member_may_propose_and_the_members_then_are_the_electorate() {
    let w = world();
    let p = garden(&w);
    // Sam, a person supported, proposes: every member may.
    let id = proposal(&w, &w.sam.id, &p, consent_rules());
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    let mut expected = vec![w.priya.id.clone(), w.sam.id.clone(), w.alex.id.clone()];
    expected.sort();
    let names: Vec<PersonId> = view
        .not_voted_yet
        .unwrap()
        .into_iter()
        .map(|v| v.person_id)
        .collect();
    assert_eq!(names, expected);
    assert_eq!(view.phase, Phase::Open);
    assert_eq!(view.minutes_left, Some(7 * DAY));
    assert!(view.can_vote && view.can_withdraw);

    let err = refused_without_change(&w.app, || {
        w.app.propose(
            &w.jo.id,
            &p,
            NewProposal {
                title: Text::new("en-GB", "Close the garden"),
                body: Text::new("en-GB", "It is too much work"),
                rules: consent_rules(),
                closes_at: in_days(&w, 7),
                plan_change: None,
            },
        )
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn someone_who_joined_after_the_proposal_opened_cannot_vote_on_it() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.sam.id, &p, consent_rules());
    w.app.join_project(&w.jo.id, &p).unwrap();
    let view = w.app.proposal(&w.jo.id, &id).unwrap();
    assert!(!view.eligible && !view.can_vote);
    let err = refused_without_change(&w.app, || w.app.vote(&w.jo.id, &id, consent(), None));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    assert!(
        err.to_string().contains("joining later adds no vote"),
        "{err}"
    );
}

#[test]
fn a_vote_can_be_changed_until_the_close_and_the_latest_counts() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, day_choice());
    w.app
        .vote(&w.sam.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    w.app
        .vote(&w.alex.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    w.clock.advance_minutes(60);
    let view = w
        .app
        .vote(
            &w.sam.id,
            &id,
            Ballot::Single("sun".into()),
            Some("Saturday is my shopping day".into()),
        )
        .unwrap();
    assert_eq!(view.my_vote.unwrap().ballot, Ballot::Single("sun".into()));
    let result = view.result.unwrap();
    assert_eq!(result.turnout.voted, 2, "Sam still has one vote");
    assert_eq!(result.as_it_stands, Status::Tie);

    after_close(&w);
    let err = refused_without_change(&w.app, || {
        w.app
            .vote(&w.sam.id, &id, Ballot::Single("sat".into()), None)
    });
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert_eq!(
        w.app
            .proposal(&w.sam.id, &id)
            .unwrap()
            .result
            .unwrap()
            .status,
        Status::Tie
    );
}

#[test]
fn voting_after_the_close_is_refused_and_nothing_changes() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.priya.id, &id, consent(), None).unwrap();
    after_close(&w);
    let err = refused_without_change(&w.app, || w.app.vote(&w.sam.id, &id, consent(), None));
    assert_eq!(err, Error::conflict("voting on this proposal has closed"));
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(view.phase, Phase::Closed);
    assert!(!view.can_vote);
    assert_eq!(view.minutes_left, None);
}

#[test]
fn a_vote_stamped_at_or_after_the_close_is_refused_by_the_shared_rule() {
    // The rule the server runs sees only the vote's own stamp.
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let closes = w.app.proposal(&w.sam.id, &id).unwrap().closes_at;
    let late = VoteRecord {
        id: VoteRecord::id_for(&id, &w.sam.id),
        proposal_id: id.clone(),
        project_id: p.clone(),
        voter: w.sam.id.clone(),
        anonymous: false,
        ballot: consent(),
        reason: None,
        cast_at: crate::hlc::Hlc {
            wall_ms: closes.millis() as u64,
            counter: 0,
            node: 1,
        },
        received_at: None,
        assisted_by: None,
        entered_by: None,
        consent_recorded: false,
        objection: ObjectionState::default(),
        resolution: None,
        seat: None,
    };
    let err = refused_without_change(&w.app, || w.app.write(&w.sam.id, |wr| wr.put(&late)));
    assert_eq!(err, Error::conflict("voting on this proposal has closed"));
}

#[test]
fn a_vote_carries_the_stamp_of_its_own_change() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let view = w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    let op = w.app.pending_ops(100).unwrap().pop().unwrap();
    assert_eq!(op.entity, "vote");
    assert_eq!(op.author, w.sam.id);
    assert_eq!(view.my_vote.unwrap().cast_at, op.hlc);
}

#[test]
fn a_proposal_can_be_withdrawn_by_its_author_only_before_anyone_votes() {
    let w = world();
    let p = garden(&w);
    let first = proposal(&w, &w.sam.id, &p, consent_rules());
    // Not by someone else, staff included.
    let err = refused_without_change(&w.app, || w.app.withdraw_proposal(&w.priya.id, &first));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    let view = w.app.withdraw_proposal(&w.sam.id, &first).unwrap();
    assert_eq!(view.phase, Phase::Withdrawn);
    assert!(!view.can_vote && view.result.is_none() && view.summary.is_none());

    let second = proposal(&w, &w.sam.id, &p, consent_rules());
    w.app.vote(&w.alex.id, &second, consent(), None).unwrap();
    assert!(!w.app.proposal(&w.sam.id, &second).unwrap().can_withdraw);
    let err = refused_without_change(&w.app, || w.app.withdraw_proposal(&w.sam.id, &second));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
}

#[test]
fn voting_on_a_withdrawn_proposal_is_refused() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.sam.id, &p, consent_rules());
    w.app.withdraw_proposal(&w.sam.id, &id).unwrap();
    let err = refused_without_change(&w.app, || w.app.vote(&w.priya.id, &id, consent(), None));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(err.to_string().contains("withdrawn"), "{err}");
}

#[test]
fn an_objection_keeps_the_proposal_open() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.priya.id, &id, consent(), None).unwrap();
    w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    let err = refused_without_change(&w.app, || w.app.vote(&w.sam.id, &id, object(), None));
    assert_eq!(err.code(), "invalid", "an objection needs a reason");
    w.app
        .vote(
            &w.sam.id,
            &id,
            object(),
            Some("Nobody will be there to open the gate".into()),
        )
        .unwrap();
    after_grace(&w);
    let view = w.app.proposal(&w.alex.id, &id).unwrap();
    assert_eq!(view.result.unwrap().status, Status::Blocked);
    assert!(view.summary.unwrap().contains("One objection still stands"));

    // After the close the objection can still be settled, and then the
    // same votes pass it.
    let view = w.app.withdraw_objection(&w.sam.id, &id).unwrap();
    assert!(view.my_vote.unwrap().objection.withdrawn);
    assert_eq!(view.result.unwrap().status, Status::Passed);
}

#[test]
fn an_objector_is_asked_what_would_make_it_ok_and_can_say_they_felt_heard() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app
        .vote(&w.sam.id, &id, object(), Some("Too early for me".into()))
        .unwrap();
    w.app
        .answer_what_would_make_it_ok(&w.sam.id, &id, "  Start at eleven  ")
        .unwrap();
    let view = w.app.record_felt_heard(&w.sam.id, &id).unwrap();
    let objection = view.my_vote.unwrap().objection;
    assert_eq!(
        objection.what_would_make_it_ok.as_deref(),
        Some("Start at eleven")
    );
    assert!(objection.felt_heard && objection.still_stands());
    // Others see the answer beside the objection on a named proposal.
    let seen = w.app.proposal(&w.priya.id, &id).unwrap().ballots;
    assert_eq!(seen[0].voter.as_ref(), Some(&w.sam.id));
    assert!(seen[0].objection.felt_heard);

    // Nobody else speaks for the objector.
    let err = refused_without_change(&w.app, || w.app.record_felt_heard(&w.priya.id, &id));
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    let err = refused_without_change(&w.app, || {
        let mut record: VoteRecord = w
            .app
            .read(|r| r.require(&VoteRecord::id_for(&id, &w.sam.id)))
            .unwrap();
        record.objection.withdrawn = true;
        w.app.write(&w.priya.id, |wr| wr.put(&record))
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn the_group_resolves_an_objection_only_with_the_objectors_agreement() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.priya.id, &id, consent(), None).unwrap();
    w.app
        .vote(&w.sam.id, &id, object(), Some("Too early for me".into()))
        .unwrap();
    let err = refused_without_change(&w.app, || {
        w.app
            .resolve_objection(&w.alex.id, &id, &w.sam.id, "We start at eleven", false)
    });
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "resolution.objector_agreed")
    );
    let err = refused_without_change(&w.app, || {
        w.app
            .resolve_objection(&w.alex.id, &id, &w.sam.id, "   ", true)
    });
    assert!(matches!(err, Error::Invalid { .. }), "{err}");

    let view = w
        .app
        .resolve_objection(&w.alex.id, &id, &w.sam.id, "We start at eleven", true)
        .unwrap();
    assert_eq!(view.result.unwrap().as_it_stands, Status::Passed);
    let mine = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(mine.my_resolution.unwrap().resolved_by, w.alex.id);

    // The objector keeps the last word; nobody else can reopen it for them.
    let err = refused_without_change(&w.app, || w.app.reopen_objection(&w.alex.id, &id));
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    let view = w.app.reopen_objection(&w.sam.id, &id).unwrap();
    assert!(view.my_vote.unwrap().objection.still_stands());
    assert_eq!(view.result.unwrap().as_it_stands, Status::Blocked);
}

#[test]
fn on_an_anonymous_proposal_only_the_objector_can_mark_it_resolved() {
    let w = world();
    let p = garden(&w);
    let mut rules = consent_rules();
    rules.anonymity = Anonymity::Anonymous;
    let id = proposal(&w, &w.priya.id, &p, rules);
    w.app
        .vote(&w.sam.id, &id, object(), Some("Too early for me".into()))
        .unwrap();
    let err = refused_without_change(&w.app, || {
        w.app
            .resolve_objection(&w.alex.id, &id, &w.sam.id, "We start at eleven", true)
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    let view = w
        .app
        .resolve_objection(&w.sam.id, &id, &w.sam.id, "We start at eleven", true)
        .unwrap();
    assert!(view.my_vote.unwrap().objection.resolved);
}

#[test]
fn a_paper_vote_entered_with_consent_counts_as_the_voters_own() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, day_choice());
    let err = refused_without_change(&w.app, || {
        w.app.enter_vote_on_behalf(
            &w.alex.id,
            &id,
            &w.sam.id,
            Ballot::Single("sun".into()),
            None,
            false,
        )
    });
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "consent_recorded"),
        "{err}"
    );
    w.app
        .enter_vote_on_behalf(
            &w.alex.id,
            &id,
            &w.sam.id,
            Ballot::Single("sun".into()),
            None,
            true,
        )
        .unwrap();
    let sams = w.app.proposal(&w.sam.id, &id).unwrap();
    let vote = sams.my_vote.unwrap();
    assert_eq!(vote.voter, w.sam.id);
    assert_eq!(vote.entered_by.as_ref(), Some(&w.alex.id));
    assert!(vote.consent_recorded);
    // Alex entered it; Alex's own vote is still unused.
    let alexs = w.app.proposal(&w.alex.id, &id).unwrap();
    assert!(alexs.my_vote.is_none());
    assert_eq!(alexs.result.unwrap().turnout.voted, 1);
    // Sam changing it later replaces it: still one vote.
    let view = w
        .app
        .vote(&w.sam.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    assert_eq!(view.result.unwrap().turnout.voted, 1);
    assert_eq!(view.my_vote.unwrap().entered_by, None);
}

#[test]
fn an_assisted_vote_is_recorded_as_assisted_and_is_the_voters_one_vote() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, day_choice());
    // Jo, Sam's carer, is not in the project and still may help.
    let view = w
        .app
        .vote_assisted(&w.sam.id, &id, &w.jo.id, Ballot::Single("sat".into()), None)
        .unwrap();
    let vote = view.my_vote.unwrap();
    assert_eq!(vote.assisted_by.as_ref(), Some(&w.jo.id));
    assert_eq!(view.result.unwrap().turnout.voted, 1);
    let err = refused_without_change(&w.app, || {
        w.app.vote_assisted(
            &w.sam.id,
            &id,
            &w.sam.id,
            Ballot::Single("sat".into()),
            None,
        )
    });
    assert!(matches!(err, Error::Invalid { ref field, .. } if field == "assisted_by"));
}

#[test]
fn nobody_can_vote_as_someone_else() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let forged = |entered_by: Option<PersonId>| VoteRecord {
        id: VoteRecord::id_for(&id, &w.sam.id),
        proposal_id: id.clone(),
        project_id: p.clone(),
        voter: w.sam.id.clone(),
        anonymous: false,
        ballot: consent(),
        reason: None,
        cast_at: crate::hlc::Hlc {
            wall_ms: w.app.now().millis() as u64,
            counter: 0,
            node: 1,
        },
        received_at: None,
        assisted_by: None,
        entered_by,
        consent_recorded: true,
        objection: ObjectionState::default(),
        resolution: None,
        seat: None,
    };
    // Staff cannot cast a supported person's vote as if it were theirs...
    let err = refused_without_change(&w.app, || {
        w.app.write(&w.priya.id, |wr| wr.put(&forged(None)))
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    // ...nor say someone else entered it.
    let err = refused_without_change(&w.app, || {
        w.app
            .write(&w.priya.id, |wr| wr.put(&forged(Some(w.alex.id.clone()))))
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn voting_in_a_project_one_is_not_in_is_refused() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let err = refused_without_change(&w.app, || w.app.vote(&w.jo.id, &id, consent(), None));
    assert_eq!(
        err,
        Error::not_allowed("only members of this project can do that")
    );
    let err = refused_without_change(&w.app, || w.app.proposal(&w.jo.id, &id));
    assert!(matches!(err, Error::NotAllowed { .. }));
}

#[test]
fn someone_who_left_keeps_their_counted_vote_but_cannot_vote_again() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    w.app.leave_project(&w.alex.id, &p).unwrap();
    let err = refused_without_change(&w.app, || w.app.vote(&w.alex.id, &id, consent(), None));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(view.result.unwrap().turnout.voted, 1);
}

#[test]
fn bad_ballots_are_refused_and_nothing_is_stored() {
    let w = world();
    let p = garden(&w);
    let options = vec![
        option("sat", "Saturday"),
        option("sun", "Sunday"),
        option("wed", "Wednesday"),
    ];
    let approval = proposal(
        &w,
        &w.priya.id,
        &p,
        ProposalRules::new(
            Method::Approval {
                min: None,
                max: None,
            },
            options.clone(),
            50,
        ),
    );
    let ranked = proposal(
        &w,
        &w.priya.id,
        &p,
        ProposalRules::new(Method::RankedChoice, options.clone(), 50),
    );
    let dots = proposal(
        &w,
        &w.priya.id,
        &p,
        ProposalRules::new(Method::DotVote { dots: 3 }, options, 50),
    );
    let ids = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = [
        // Voting twice in one call: one option chosen twice.
        (
            &approval,
            Ballot::Approval(ids(&["sat", "sat"])),
            "chooses sat twice",
        ),
        (
            &ranked,
            Ballot::Ranked(ids(&["sun", "sat", "sun"])),
            "ranks sun twice",
        ),
        (
            &dots,
            Ballot::Dots(vec![
                OptionDots {
                    option: "sat".into(),
                    dots: 2,
                },
                OptionDots {
                    option: "wed".into(),
                    dots: 2,
                },
            ]),
            "spends 4 dots; each person has 3",
        ),
        (
            &ranked,
            Ballot::Single("sat".into()),
            "is a single choice ballot, but this proposal is decided by ranked choice",
        ),
        (
            &approval,
            Ballot::Approval(ids(&["pub"])),
            "names pub, which is not an option on this proposal",
        ),
    ];
    for (id, ballot, reason) in cases {
        let err = refused_without_change(&w.app, || w.app.vote(&w.sam.id, id, ballot, None));
        assert_eq!(err, Error::invalid("ballot", reason));
    }
}

#[test]
fn a_proposal_with_no_options_where_the_method_needs_some_is_refused() {
    let w = world();
    let p = garden(&w);
    let err = refused_without_change(&w.app, || {
        w.app.propose(
            &w.sam.id,
            &p,
            NewProposal {
                title: Text::new("en-GB", "Where shall we meet?"),
                body: Text::new("en-GB", "Choose a place"),
                rules: ProposalRules::new(Method::RankedChoice, vec![], 50),
                closes_at: in_days(&w, 7),
                plan_change: None,
            },
        )
    });
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "options"),
        "{err}"
    );
    let err = refused_without_change(&w.app, || {
        w.app.propose(
            &w.sam.id,
            &p,
            NewProposal {
                title: Text::new("en-GB", "Where shall we meet?"),
                body: Text::new("en-GB", "Choose a place"),
                rules: consent_rules(),
                closes_at: w.app.now(),
                plan_change: None,
            },
        )
    });
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "closes_at"),
        "{err}"
    );
}

#[test]
fn the_electorate_cannot_be_padded_or_leave_anyone_out() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.sam.id, &p, consent_rules());
    let stored: Proposal = w.app.read(|r| r.require(id.as_str())).unwrap();
    let as_new = |electorate: Vec<PersonId>| {
        let mut electorate = electorate;
        electorate.sort();
        Proposal {
            id: ProposalId::new(),
            electorate,
            ..stored.clone()
        }
    };
    let without_alex = as_new(vec![w.sam.id.clone(), w.priya.id.clone()]);
    let err = refused_without_change(&w.app, || {
        w.app.write(&w.sam.id, |wr| wr.put(&without_alex))
    });
    assert!(err.to_string().contains("leaves someone out"), "{err}");
    let with_jo = as_new(vec![
        w.sam.id.clone(),
        w.priya.id.clone(),
        w.alex.id.clone(),
        w.jo.id.clone(),
    ]);
    let err = refused_without_change(&w.app, || w.app.write(&w.sam.id, |wr| wr.put(&with_jo)));
    assert!(err.to_string().contains("was not a member"), "{err}");
    // Once open, the electorate and closing time stay as they were.
    let mut later = stored.clone();
    later.closes_at = later.closes_at.plus_minutes(DAY);
    let err = refused_without_change(&w.app, || w.app.write(&w.priya.id, |wr| wr.put(&later)));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn the_wording_people_voted_on_stays_but_translations_can_be_added() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.sam.id, &p, consent_rules());
    let err = refused_without_change(&w.app, || {
        w.app.reword_proposal(
            &w.priya.id,
            &id,
            Some(Text::new("en-GB", "Open on Sundays")),
            None,
        )
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    w.app
        .reword_proposal(
            &w.sam.id,
            &id,
            Some(Text::new("en-GB", "Open every Saturday")),
            None,
        )
        .unwrap();
    w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    let err = refused_without_change(&w.app, || {
        w.app.reword_proposal(
            &w.sam.id,
            &id,
            Some(Text::new("en-GB", "Open every Sunday")),
            None,
        )
    });
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    // Priya adds easy-read and Polish: the wording voted on is unchanged.
    let view = w
        .app
        .reword_proposal(
            &w.priya.id,
            &id,
            Some(
                Text::new("en-GB", "Open every Saturday")
                    .with_easy_read("The garden opens on Saturdays")
                    .with_translation("pl", "Otwarte w każdą sobotę", None),
            ),
            None,
        )
        .unwrap();
    assert_eq!(view.title.text, "Open every Saturday");
}

#[test]
fn an_anonymous_proposal_never_shows_whose_ballot_is_whose() {
    let w = world();
    let p = garden(&w);
    w.app.join_project(&w.jo.id, &p).unwrap();
    let mut rules = day_choice();
    rules.anonymity = Anonymity::Anonymous;
    let id = proposal(&w, &w.priya.id, &p, rules);
    w.app
        .vote(
            &w.sam.id,
            &id,
            Ballot::Single("sun".into()),
            Some("Church on Saturday? no, Sunday".into()),
        )
        .unwrap();
    w.app
        .vote_assisted(
            &w.jo.id,
            &id,
            &w.alex.id,
            Ballot::Single("sat".into()),
            None,
        )
        .unwrap();
    let view = w.app.proposal(&w.priya.id, &id).unwrap();
    assert!(view.my_vote.is_none());
    assert_eq!(view.ballots.len(), 2);
    assert!(
        view.ballots
            .iter()
            .all(|b| b.voter.is_none() && b.assisted_by.is_none() && b.entered_by.is_none())
    );
    assert_eq!(view.not_voted_yet, None, "never for anonymous proposals");
    assert_eq!(view.who_voted, None, "not with fewer than three votes");
    // Each person sees their own vote in full.
    let sams = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(sams.my_vote.unwrap().voter, w.sam.id);

    w.app
        .vote(&w.alex.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    let view = w.app.proposal(&w.priya.id, &id).unwrap();
    let who: Vec<PersonId> = view
        .who_voted
        .unwrap()
        .into_iter()
        .map(|v| v.person_id)
        .collect();
    assert_eq!(
        who.len(),
        3,
        "named only once three have voted and quorum is met"
    );
    assert!(view.ballots.iter().all(|b| b.voter.is_none()));
}

#[test]
fn the_sync_server_sends_an_anonymous_vote_to_its_voter_alone() {
    let w = world();
    let p = garden(&w);
    let mut rules = day_choice();
    rules.anonymity = Anonymity::Anonymous;
    let secret = proposal(&w, &w.priya.id, &p, rules);
    let open = proposal(&w, &w.priya.id, &p, day_choice());
    for id in [&secret, &open] {
        w.app
            .vote(&w.sam.id, id, Ballot::Single("sun".into()), None)
            .unwrap();
    }
    let record = |id: &ProposalId| -> VoteRecord {
        w.app
            .read(|r| r.require(&VoteRecord::id_for(id, &w.sam.id)))
            .unwrap()
    };
    assert_eq!(
        vote_audience(&record(&secret)),
        VoteAudience::VoterOnly(w.sam.id.clone())
    );
    assert_eq!(vote_audience(&record(&open)), VoteAudience::Project(p));
}

#[test]
fn a_ballot_box_lets_members_count_an_anonymous_proposal_without_names() {
    let w = world();
    let p = garden(&w);
    let mut rules = day_choice();
    rules.anonymity = Anonymity::Anonymous;
    let id = proposal(&w, &w.priya.id, &p, rules);
    for (who, day) in [(&w.sam, "sun"), (&w.alex, "sat"), (&w.priya, "sun")] {
        w.app
            .vote(&who.id, &id, Ballot::Single(day.into()), None)
            .unwrap();
    }
    // What the server would hold: every record, each with its seat.
    let (proposal, mut records): (Proposal, Vec<VoteRecord>) = w
        .app
        .read(|r| {
            Ok((
                r.require(id.as_str())?,
                r.select("WHERE proposal_id = ?1 ORDER BY voter", [id.as_str()])?,
            ))
        })
        .unwrap();
    for (n, record) in records.iter_mut().enumerate() {
        record.seat = Some(format!("seat-{n}"));
    }
    let made = ballot_box(&proposal, &records, w.app.now());
    let wire = serde_json::to_string(&made).unwrap();
    for person in [&w.sam, &w.alex, &w.priya] {
        assert_eq!(
            made.who_voted.as_ref().map(|v| v.contains(&person.id)),
            Some(true)
        );
        // Names appear only in the who-voted list, never beside a ballot.
        assert_eq!(wire.matches(person.id.as_str()).count(), 1, "{wire}");
    }
    assert_eq!(made.ballots.len(), 3);

    // Sam's device, as sync would leave it: Sam's own record (with the
    // seat the server gave it), the box, and nobody else's record.
    let sams_seat = records
        .iter()
        .find(|r| r.voter == w.sam.id)
        .and_then(|r| r.seat.clone());
    w.app
        .store()
        .write(&w.sam.id, w.app.now(), |wr| {
            let conn = wr.conn();
            conn.execute(
                "DELETE FROM votes WHERE proposal_id = ?1 AND voter != ?2",
                [id.as_str(), w.sam.id.as_str()],
            )?;
            conn.execute(
                "UPDATE votes SET seat = ?1 WHERE voter = ?2",
                [sams_seat.as_deref().unwrap_or_default(), w.sam.id.as_str()],
            )?;
            let info = crate::store::record::table_info(conn, "ballot_boxes")?;
            crate::store::record::upsert(
                conn,
                &info,
                &crate::rules::encode(&made)?,
                "0",
                &Default::default(),
            )
        })
        .unwrap();
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    let result = view.result.unwrap();
    assert_eq!(result.turnout.voted, 3);
    assert_eq!(result.winners, vec!["sun".to_string()]);
    assert!(view.ballots.iter().all(|b| b.voter.is_none()));
    assert_eq!(view.who_voted.map(|v| v.len()), Some(3));
    // Sam changes their mind offline: their device counts the new ballot
    // in place of the one the box holds for their seat.
    let view = w
        .app
        .vote(&w.sam.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    let result = view.result.unwrap();
    assert_eq!(result.turnout.voted, 3);
    assert_eq!(result.winners, vec!["sat".to_string()]);
    // And no device may write a box itself.
    let err = refused_without_change(&w.app, || w.app.write(&w.sam.id, |wr| wr.put(&made)));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn the_result_is_hidden_until_i_vote_when_the_proposal_says_so() {
    let w = world();
    let p = garden(&w);
    let mut rules = day_choice();
    rules.result_visibility = ResultVisibility::AfterIVote;
    let id = proposal(&w, &w.priya.id, &p, rules);
    w.app
        .vote(&w.priya.id, &id, Ballot::Single("sat".into()), None)
        .unwrap();
    let sams = w.app.proposal(&w.sam.id, &id).unwrap();
    assert!(sams.result.is_none() && sams.summary.is_none() && sams.ballots.is_empty());
    let sams = w
        .app
        .vote(&w.sam.id, &id, Ballot::Single("sun".into()), None)
        .unwrap();
    assert_eq!(sams.result.unwrap().turnout.voted, 2);
}

#[test]
fn a_proposal_that_says_so_stays_open_when_too_few_have_voted_and_sam_can_still_vote() {
    let w = world();
    let p = garden(&w);
    let mut rules = consent_rules();
    rules.extension = Extension::WithoutQuorum { hours: 48 };
    let id = proposal(&w, &w.priya.id, &p, rules);
    // Only Priya votes in the week: one of three, short of half.
    w.app.vote(&w.priya.id, &id, consent(), None).unwrap();
    after_close(&w);

    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert!(view.extended);
    assert_eq!(view.phase, Phase::Open);
    assert!(view.can_vote);
    assert_eq!(view.minutes_left, Some(2 * DAY - 1));
    // Sam's home still asks for his vote.
    let home = w.app.home(&w.sam.id).unwrap();
    assert!(
        home.waiting
            .iter()
            .any(|item| item.proposal_id.as_ref() == Some(&id)),
        "{:?}",
        home.waiting
    );
    let view = w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    assert_eq!(view.my_vote.map(|v| v.ballot), Some(consent()));

    // After the extension, the two votes count.
    w.clock.advance_minutes(2 * DAY + 48 * 60 + 1);
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(view.phase, Phase::Closed);
    let result = view.result.unwrap();
    assert_eq!(result.status, Status::Passed);
    assert_eq!(result.turnout.voted, 2);
}

#[test]
fn a_proposal_closes_early_when_everyone_has_voted_if_it_says_so() {
    let w = world();
    let p = garden(&w);
    let mut rules = consent_rules();
    rules.close_early = CloseEarly::WhenEveryoneHasVoted;
    let id = proposal(&w, &w.priya.id, &p, rules);
    for who in [&w.priya, &w.sam] {
        w.app.vote(&who.id, &id, consent(), None).unwrap();
    }
    w.clock.advance_minutes(5);
    let view = w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    assert!(view.closed_early);
    w.clock.advance_minutes(1);
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert_eq!(view.phase, Phase::Closed);
    assert_eq!(view.result.unwrap().status, Status::Passed);
    let err = refused_without_change(&w.app, || {
        w.app.vote(
            &w.sam.id,
            &id,
            Ballot::Consent(ConsentChoice::StandAside),
            None,
        )
    });
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
}

#[test]
fn the_result_is_provisional_until_the_grace_window_ends() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    after_close(&w);
    let view = w.app.proposal(&w.sam.id, &id).unwrap();
    assert!(view.provisional);
    assert!(view.summary.unwrap().contains("may still change"));
    w.clock.advance_minutes(2 * DAY);
    assert!(!w.app.proposal(&w.sam.id, &id).unwrap().provisional);
}

#[test]
fn the_summary_is_in_the_readers_language_and_easy_read() {
    let w = world();
    let p = garden(&w);
    let mut prefs = w.app.preferences(&w.sam.id, &w.sam.id).unwrap();
    prefs.languages = vec!["pl".into()];
    prefs.easy_read = true;
    w.app
        .update_preferences(&w.sam.id, &w.sam.id, prefs)
        .unwrap();
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.priya.id, &id, consent(), None).unwrap();
    let english = w.app.proposal(&w.alex.id, &id).unwrap().summary.unwrap();
    let polish = w.app.proposal(&w.sam.id, &id).unwrap().summary.unwrap();
    assert!(english.starts_with("Voting is open"), "{english}");
    assert_ne!(polish, english);
    let expected = crate::l10n::message(
        &w.app.read(|r| r.reading_of(&w.sam.id)).unwrap(),
        "decision-nobody-objected",
        &[],
    );
    assert!(polish.contains(&expected), "{polish}");
}

#[test]
fn the_outcome_is_recorded_by_any_member_after_the_close() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    let statement = Text::new("en-GB", "We open at eleven on Saturdays")
        .with_easy_read("The garden opens on Saturdays at 11");
    let review = Day::parse("review_on", "2026-06-01").unwrap();
    let err = refused_without_change(&w.app, || {
        w.app
            .record_outcome(&w.sam.id, &id, statement.clone(), review)
    });
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    after_close(&w);
    w.app
        .record_outcome(&w.sam.id, &id, statement.clone(), review)
        .unwrap();
    let view = w.app.proposal(&w.alex.id, &id).unwrap();
    let outcome = view.outcome.unwrap();
    assert_eq!(outcome.review_on, review);
    assert_eq!(outcome.recorded_by.person_id, w.sam.id);
    assert_eq!(outcome.statement.text, "We open at eleven on Saturdays");
}

fn plan_by_proposal(w: &World, p: &ProjectId) {
    w.app
        .set_group_agreement(
            &w.sam.id,
            p,
            GroupAgreement {
                text: None,
                plan_changes: PlanChanges::ByProposal,
            },
        )
        .unwrap();
}

fn plan_proposal(w: &World, p: &ProjectId) -> ProposalId {
    w.app
        .propose(
            &w.sam.id,
            p,
            NewProposal {
                title: Text::new("en-GB", "Start growing"),
                body: Text::new("en-GB", "We have a plot: let's start doing"),
                rules: consent_rules(),
                closes_at: in_days(w, 7),
                plan_change: Some(PlanChange {
                    title: Some(Text::new("en-GB", "Elm Street garden")),
                    purpose: None,
                    stage: Some(Stage::Doing),
                }),
            },
        )
        .unwrap()
        .id
}

#[test]
fn a_passed_proposal_changes_the_plan_of_a_group_that_decides_by_proposal() {
    let w = world();
    let p = garden(&w);
    plan_by_proposal(&w, &p);
    let id = plan_proposal(&w, &p);
    w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    w.app.vote(&w.alex.id, &id, consent(), None).unwrap();
    // Not while open, nor while the result is provisional.
    let err = refused_without_change(&w.app, || w.app.apply_plan_change(&w.priya.id, &id));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    after_close(&w);
    let err = refused_without_change(&w.app, || w.app.apply_plan_change(&w.priya.id, &id));
    assert!(err.to_string().contains("provisional"), "{err}");
    after_grace(&w);
    let view = w.app.apply_plan_change(&w.priya.id, &id).unwrap();
    assert!(view.plan_change.unwrap().made);
    let project = w.app.project(&w.sam.id, &p).unwrap();
    assert_eq!(project.title.text, "Elm Street garden");
    assert_eq!(project.stage, Stage::Doing);
    assert_eq!(project.purpose.text, "Grow food together");
    // Once only.
    let err = refused_without_change(&w.app, || w.app.apply_plan_change(&w.sam.id, &id));
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    // And the plan still cannot be edited by hand.
    let err = refused_without_change(&w.app, || w.app.set_stage(&w.sam.id, &p, Stage::Resting));
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn a_blocked_proposal_does_not_change_the_plan() {
    let w = world();
    let p = garden(&w);
    plan_by_proposal(&w, &p);
    let id = plan_proposal(&w, &p);
    w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    w.app
        .vote(
            &w.alex.id,
            &id,
            object(),
            Some("We have no tools yet".into()),
        )
        .unwrap();
    after_close(&w);
    after_grace(&w);
    let err = refused_without_change(&w.app, || w.app.apply_plan_change(&w.sam.id, &id));
    assert!(err.to_string().contains("passed"), "{err}");
    // Nor can a project claim a proposal changed it when it did not.
    let err = refused_without_change(&w.app, || {
        w.app.write(&w.sam.id, |wr| {
            let mut project: crate::projects::Project = wr.require(p.as_str())?;
            project.stage = Stage::Doing;
            project.plan_from_proposal = Some(id.clone());
            wr.put(&project)
        })
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

#[test]
fn open_proposals_i_have_not_voted_on_wait_on_my_home_screen() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let waiting = |who: &PersonId| -> Vec<Option<ProposalId>> {
        w.app
            .home(who)
            .unwrap()
            .waiting
            .into_iter()
            .filter(|x| x.kind == WaitingKind::ProposalToVoteOn)
            .map(|x| x.proposal_id)
            .collect()
    };
    assert_eq!(waiting(&w.sam.id), vec![Some(id.clone())]);
    w.app.vote(&w.sam.id, &id, consent(), None).unwrap();
    assert!(waiting(&w.sam.id).is_empty());
    assert_eq!(waiting(&w.alex.id).len(), 1);
    after_close(&w);
    assert!(waiting(&w.alex.id).is_empty());
}

#[test]
fn the_reminder_plan_hears_of_proposals_closing_that_i_have_not_voted_on() {
    let w = world();
    let p = garden(&w);
    let first = proposal(&w, &w.priya.id, &p, consent_rules());
    let second = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.sam.id, &first, consent(), None).unwrap();
    let closing = w.app.proposals_closing(&w.sam.id).unwrap();
    assert_eq!(closing.len(), 2);
    let has_voted = |id: &ProposalId| {
        closing
            .iter()
            .find(|c| c.id == id.as_str())
            .map(|c| c.has_voted)
    };
    assert_eq!(has_voted(&first), Some(true));
    assert_eq!(has_voted(&second), Some(false));
    assert!(w.app.proposals_closing(&w.jo.id).unwrap().is_empty());
}

#[test]
fn a_projects_proposals_are_listed_open_first() {
    let w = world();
    let p = garden(&w);
    let old = proposal(&w, &w.priya.id, &p, consent_rules());
    w.app.vote(&w.sam.id, &old, consent(), None).unwrap();
    w.app.vote(&w.alex.id, &old, consent(), None).unwrap();
    after_close(&w);
    let new = proposal(&w, &w.sam.id, &p, day_choice());
    let gone = proposal(&w, &w.sam.id, &p, day_choice());
    w.app.withdraw_proposal(&w.sam.id, &gone).unwrap();
    let list = w.app.proposals(&w.sam.id, &p).unwrap();
    let order: Vec<(&ProposalId, Phase)> = list.iter().map(|i| (&i.id, i.phase)).collect();
    assert_eq!(
        order,
        vec![
            (&new, Phase::Open),
            (&old, Phase::Closed),
            (&gone, Phase::Withdrawn)
        ]
    );
    assert!(list[1].has_voted && !list[0].has_voted);
    assert_eq!(list[1].as_it_stands, Some(Status::Passed));
}

#[test]
fn an_offline_vote_cast_before_close_counts_if_it_arrives_within_the_grace_window() {
    let w = world();
    let p = garden(&w);
    let id = proposal(&w, &w.priya.id, &p, consent_rules());
    let proposal: Proposal = w.app.read(|r| r.require(id.as_str())).unwrap();
    let stamp = |at: Timestamp| crate::hlc::Hlc {
        wall_ms: at.millis() as u64,
        counter: 0,
        node: 9,
    };
    let closes = proposal.closes_at;
    let before_close = stamp(closes.plus_minutes(-10));
    assert!(vote_arrives_in_time(
        &proposal,
        &[],
        before_close,
        closes.plus_minutes(47 * 60)
    ));
    assert!(!vote_arrives_in_time(
        &proposal,
        &[],
        before_close,
        closes.plus_minutes(49 * 60)
    ));
    assert!(!vote_arrives_in_time(&proposal, &[], stamp(closes), closes));
}

#[test]
fn an_older_proposal_cannot_undo_a_newer_change_to_the_plan() {
    let w = world();
    let p = garden(&w);
    plan_by_proposal(&w, &p);
    let first = plan_proposal(&w, &p);
    let second = w
        .app
        .propose(
            &w.sam.id,
            &p,
            NewProposal {
                title: Text::new("en-GB", "Rest over winter"),
                body: Text::new("en-GB", "Nothing grows in January"),
                rules: consent_rules(),
                closes_at: in_days(&w, 7),
                plan_change: Some(PlanChange {
                    title: None,
                    purpose: None,
                    stage: Some(Stage::Resting),
                }),
            },
        )
        .unwrap()
        .id;
    for id in [&first, &second] {
        w.app.vote(&w.sam.id, id, consent(), None).unwrap();
        w.app.vote(&w.alex.id, id, consent(), None).unwrap();
    }
    after_grace(&w);
    w.app.apply_plan_change(&w.priya.id, &first).unwrap();
    w.clock.advance_minutes(1);
    w.app.apply_plan_change(&w.priya.id, &second).unwrap();
    assert_eq!(w.app.project(&w.sam.id, &p).unwrap().stage, Stage::Resting);
    let err = refused_without_change(&w.app, || {
        w.app.write(&w.sam.id, |wr| {
            let mut project: crate::projects::Project = wr.require(p.as_str())?;
            project.stage = Stage::Doing;
            project.plan_from_proposal = Some(first.clone());
            wr.put(&project)
        })
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}
