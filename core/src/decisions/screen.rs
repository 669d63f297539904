//! The proposal screen and the list of a project's proposals, cut for one
//! reader: their language, their vote, and only what the proposal's
//! anonymity and result-visibility rules let them see.

use super::Vote;
use super::summary::summary;
use super::{Anonymity, ProposalRules};
use super::{BallotBox, PlanChange, Proposal, Resolution, VoteRecord};
use super::{SeenBallot, seen_by};
use super::{Status, Tally, tally};
use crate::Equally;
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::{PersonId, ProjectId, ProposalId};
use crate::l10n;
use crate::meetings::ProposalClosing;
use crate::people::Person;
use crate::projects::{Membership, Stage};
use crate::store::Reader;
use crate::text::{self, ShownText};
use crate::time::{Day, Timestamp};
use std::collections::HashMap;

/// Where a proposal is, as the screen shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Open,
    Closed,
    Withdrawn,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionView {
    pub id: String,
    pub label: ShownText,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoterView {
    pub person_id: PersonId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeView {
    pub statement: ShownText,
    pub review_on: Day,
    pub recorded_by: VoterView,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanChangeView {
    pub title: Option<ShownText>,
    pub purpose: Option<ShownText>,
    pub stage: Option<Stage>,
    pub stage_label: Option<String>,
    /// The change has been made to the project.
    pub made: bool,
}

/// The proposal screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalView {
    pub id: ProposalId,
    pub project_id: ProjectId,
    pub title: ShownText,
    pub body: ShownText,
    pub author: VoterView,
    /// The method, anonymity, visibility and reason rules, for drawing the
    /// ballot and explaining it.
    pub rules: ProposalRules,
    pub options: Vec<OptionView>,
    pub phase: Phase,
    pub opens_at: Timestamp,
    /// When voting closes or closed, after any early close its rules allow.
    pub closes_at: Timestamp,
    pub closed_early: bool,
    /// Voting was extended by the proposal's own rule (too few had voted).
    pub extended: bool,
    /// Whole minutes left to vote, rounded up; `None` unless open.
    pub minutes_left: Option<i64>,
    /// The reader was a member when it opened, so has a vote on it.
    pub eligible: bool,
    /// The reader may vote (or change their vote) now.
    pub can_vote: bool,
    pub my_vote: Option<Vote>,
    /// How the group resolved the reader's objection, if it did.
    pub my_resolution: Option<Resolution>,
    /// The result so far (or the result), when the proposal lets the reader
    /// see it yet.
    pub result: Option<Tally>,
    /// Counted ballots, without names on anonymous proposals; empty while
    /// the result is hidden.
    pub ballots: Vec<SeenBallot>,
    pub who_voted: Option<Vec<VoterView>>,
    /// Never on anonymous proposals.
    pub not_voted_yet: Option<Vec<VoterView>>,
    /// Closed, but votes cast offline before the close may still arrive.
    pub provisional: bool,
    /// The result in a few sentences in the reader's language (easy-read
    /// when they asked), when the result may be shown.
    pub summary: Option<String>,
    pub outcome: Option<OutcomeView>,
    pub plan_change: Option<PlanChangeView>,
    pub can_withdraw: bool,
}

/// One line of a project's list of proposals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalListItem {
    pub id: ProposalId,
    pub title: ShownText,
    pub phase: Phase,
    pub closes_at: Timestamp,
    pub minutes_left: Option<i64>,
    pub eligible: bool,
    pub has_voted: bool,
    /// Where it stands, when the reader may see the result yet.
    pub as_it_stands: Option<Status>,
}

/// The votes a reader's device can count for one proposal.
struct Ballots {
    /// The electorate the tally runs over: the real one, or for an
    /// anonymous proposal counted from the server's ballot box, the reader
    /// plus stand-ins who carry the box's ballots.
    electorate: Vec<PersonId>,
    votes: Vec<Vote>,
    mine: Option<VoteRecord>,
    /// Who voted, as the server's box says, when the box is used.
    boxed_who_voted: Option<Option<Vec<PersonId>>>,
}

fn ballots_for(r: &Reader<'_>, proposal: &Proposal, reader: &PersonId) -> Result<Ballots> {
    let mine: Option<VoteRecord> = r.get(&VoteRecord::id_for(&proposal.id, reader))?;
    let ballot_box = if proposal.is_anonymous() {
        r.get::<BallotBox>(proposal.id.as_str())?
    } else {
        None
    };
    let Some(ballot_box) = ballot_box else {
        return Ok(Ballots {
            electorate: proposal.electorate.clone(),
            votes: votes_on(r.conn(), &proposal.id)?,
            mine,
            boxed_who_voted: None,
        });
    };
    // Counting from the box: the box's ballots get stand-in voters, and
    // stamps that reproduce the server's close; the reader's own ballot
    // comes from their own record, which may be newer than the box.
    // `seen_by` strips the stand-ins again, as it would real names.
    let my_seat = mine.as_ref().and_then(|m| m.seat.as_deref());
    let eligible = proposal.electorate.binary_search(reader).is_ok();
    let mut electorate: Vec<PersonId> = Vec::with_capacity(proposal.electorate.len());
    let mut votes: Vec<Vote> = Vec::with_capacity(ballot_box.ballots.len() + 1);
    if eligible {
        electorate.push(reader.clone());
        if let Some(m) = &mine {
            votes.push(m.vote());
        }
    }
    while electorate.len() < proposal.electorate.len() {
        electorate.push(PersonId::new());
    }
    // Closed early: the last ballot came just before the box's close.
    // Extended: too few had voted by the closing time, so the box's ballots
    // are placed in the extension, which reproduces it.
    let stamp_ms = if ballot_box.closes_at != proposal.closes_at {
        ballot_box.closes_at.millis().saturating_sub(1)
    } else {
        proposal.opens_at.millis()
    };
    let stand_ins = electorate.iter().skip(usize::from(eligible));
    let others = ballot_box
        .ballots
        .iter()
        .filter(|b| Some(b.seat.as_str()) != my_seat);
    for (voter, boxed) in stand_ins.zip(others) {
        let mut vote = Vote::new(
            voter.clone(),
            boxed.ballot.clone(),
            Hlc {
                wall_ms: u64::try_from(stamp_ms).unwrap_or_default(),
                counter: 0,
                node: 0,
            },
        );
        vote.reason = boxed.reason.clone();
        vote.objection = boxed.objection.clone();
        votes.push(vote);
    }
    Ok(Ballots {
        electorate,
        votes,
        mine,
        boxed_who_voted: Some(ballot_box.who_voted),
    })
}

/// When `proposal` closes as far as this phone can tell: for an anonymous
/// proposal, from the ballot box the server counted (this phone holds
/// nobody else's vote); otherwise from the votes it holds.
fn known_close(r: &Reader<'_>, proposal: &Proposal) -> Result<Timestamp> {
    if proposal.is_anonymous()
        && let Some(ballot_box) = r.get::<BallotBox>(proposal.id.as_str())?
    {
        return Ok(ballot_box.closes_at);
    }
    Ok(proposal.closes_with(&votes_on(r.conn(), &proposal.id)?))
}

/// How far back a stored closing time may lie and the proposal still be
/// open: its own rules may extend it ([`super::Extension`]).
fn open_since(now: Timestamp) -> i64 {
    now.millis()
        .saturating_sub(i64::from(super::MAX_EXTENSION_HOURS) * 3_600_000)
}

fn minutes_left(now: Timestamp, closes_at: Timestamp) -> i64 {
    (closes_at.millis() - now.millis() + 59_999).div_euclid(60_000)
}

fn phase(proposal: &Proposal, result: &Tally) -> Phase {
    if proposal.is_withdrawn() {
        Phase::Withdrawn
    } else if result.status == Status::Open {
        Phase::Open
    } else {
        Phase::Closed
    }
}

/// People's names for one screen, read together in one query rather than
/// one person at a time.
struct Names<'r, 'c> {
    r: &'r Reader<'c>,
    known: HashMap<String, String>,
}

impl<'r, 'c> Names<'r, 'c> {
    /// Everyone who ever had a place in `project` (the electorate among
    /// them), through the memberships index.
    fn of(r: &'r Reader<'c>, project: &ProjectId) -> Result<Self> {
        let mut stmt = r.conn().prepare_cached(
            "SELECT p.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
             WHERE m.project_id = ?1",
        )?;
        let known = stmt
            .query_map([project.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<String, String>>>()?;
        Ok(Names { r, known })
    }

    fn view(&mut self, id: &PersonId) -> Result<VoterView> {
        let name = match self.known.get(id.as_str()) {
            Some(name) => name.clone(),
            None => {
                let name = self
                    .r
                    .get::<Person>(id.as_str())?
                    .map(|p| p.name)
                    .unwrap_or_default();
                self.known.insert(id.to_string(), name.clone());
                name
            }
        };
        Ok(VoterView {
            person_id: id.clone(),
            name,
        })
    }

    fn views(&mut self, ids: &[PersonId]) -> Result<Vec<VoterView>> {
        ids.iter().map(|id| self.view(id)).collect()
    }
}

fn proposal_view(
    r: &Reader<'_>,
    proposal: Proposal,
    reader: &PersonId,
    prefs: &text::Reading,
    now: Timestamp,
) -> Result<ProposalView> {
    let ballots = ballots_for(r, &proposal, reader)?;
    let result = tally(
        &proposal.rules,
        &ballots.electorate,
        &ballots.votes,
        proposal.closes_at,
        now,
    );
    let seen = seen_by(
        reader,
        &proposal.rules,
        &ballots.electorate,
        &ballots.votes,
        proposal.closes_at,
        now,
    );
    let phase = phase(&proposal, &result);
    let eligible = proposal.electorate.binary_search(reader).is_ok();
    let is_member = r.facts().is_member(&proposal.project_id, reader)?;
    let shown = seen.result_visible && phase != Phase::Withdrawn;
    let mut names = Names::of(r, &proposal.project_id)?;
    let who_voted = match ballots.boxed_who_voted {
        Some(from_box) => from_box,
        None => seen.who_voted,
    };
    let anonymous = proposal.rules.anonymity == Anonymity::Anonymous;
    Ok(ProposalView {
        id: proposal.id.clone(),
        project_id: proposal.project_id.clone(),
        title: proposal.title.for_reader(prefs),
        body: proposal.body.for_reader(prefs),
        author: names.view(&proposal.author_id)?,
        options: proposal
            .rules
            .options
            .iter()
            .map(|o| OptionView {
                id: o.id.clone(),
                label: o.label.for_reader(prefs),
            })
            .collect(),
        phase,
        opens_at: proposal.opens_at,
        closes_at: result.closes_at,
        closed_early: result.closed_early,
        extended: result.extended,
        minutes_left: (phase == Phase::Open).then(|| minutes_left(now, result.closes_at)),
        eligible,
        can_vote: phase == Phase::Open && eligible && is_member,
        my_vote: ballots.mine.as_ref().map(VoteRecord::vote),
        my_resolution: ballots.mine.and_then(|m| m.resolution),
        ballots: if shown { seen.ballots } else { Vec::new() },
        who_voted: match who_voted {
            Some(ids) if phase != Phase::Withdrawn => Some(names.views(&ids)?),
            _ => None,
        },
        not_voted_yet: match seen.not_voted_yet {
            Some(ids) if phase == Phase::Open && !anonymous => Some(names.views(&ids)?),
            _ => None,
        },
        provisional: phase == Phase::Closed && result.provisional,
        summary: shown.then(|| summary(&result, &proposal.rules.options, prefs)),
        outcome: match &proposal.outcome {
            Some(o) => Some(OutcomeView {
                statement: o.statement.for_reader(prefs),
                review_on: o.review_on,
                recorded_by: names.view(&o.recorded_by)?,
            }),
            None => None,
        },
        plan_change: proposal
            .plan_change
            .as_ref()
            .map(|c| plan_change_view(c, proposal.plan_applied_at.is_some(), prefs)),
        can_withdraw: phase == Phase::Open
            && &proposal.author_id == reader
            && ballots.votes.is_empty(),
        result: shown.then_some(result),
        rules: proposal.rules,
    })
}

fn plan_change_view(change: &PlanChange, made: bool, prefs: &text::Reading) -> PlanChangeView {
    PlanChangeView {
        title: change.title.as_ref().map(|t| t.for_reader(prefs)),
        purpose: change.purpose.as_ref().map(|t| t.for_reader(prefs)),
        stage: change.stage,
        stage_label: change
            .stage
            .map(|s| l10n::message(prefs, s.message_id(), &[])),
        made,
    }
}

/// Open proposals in `person`'s projects on which they have a vote, with
/// whether they have voted: what the reminder plan nudges about.
pub fn proposals_closing_for(
    r: &Reader<'_>,
    person: &PersonId,
    now: Timestamp,
) -> Result<Vec<ProposalClosing>> {
    let candidates = r.select::<Proposal>(
        "WHERE state = 'open' AND closes_at > ?1
           AND EXISTS (SELECT 1 FROM json_each(proposals.electorate) WHERE value = ?2)
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.project_id = proposals.project_id
                       AND m.person_id = ?2 AND m.status = 'active')
         ORDER BY closes_at, id",
        rusqlite::params![open_since(now), person.as_str()],
    )?;
    let mut out = Vec::with_capacity(candidates.len());
    for proposal in candidates {
        let has_voted = r
            .get::<VoteRecord>(&VoteRecord::id_for(&proposal.id, person))?
            .is_some();
        let closes_at = known_close(r, &proposal)?;
        if closes_at <= now {
            continue;
        }
        out.push(ProposalClosing {
            id: proposal.id.to_string(),
            title: proposal.title,
            closes_at,
            has_voted,
        });
    }
    Ok(out)
}

impl Equally {
    /// The proposal screen for `reader`, who must be in its project.
    pub fn proposal(&self, reader: &PersonId, id: &ProposalId) -> Result<ProposalView> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let proposal: Proposal = r
                .get(id.as_str())?
                .ok_or_else(|| Error::not_found("proposal", id))?;
            r.facts().require_member(&proposal.project_id, reader)?;
            proposal_view(r, proposal, reader, &r.reading_of(&me.id)?, now)
        })
    }

    /// A project's proposals: open ones first, soonest to close, then the
    /// rest, most recently closed first.
    pub fn proposals(
        &self,
        reader: &PersonId,
        project: &ProjectId,
    ) -> Result<Vec<ProposalListItem>> {
        let now = self.now();
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let prefs = r.reading_of(&me.id)?;
            let mut items = Vec::new();
            for proposal in r.select::<Proposal>("WHERE project_id = ?1", [project.as_str()])? {
                let ballots = ballots_for(r, &proposal, reader)?;
                let result = tally(
                    &proposal.rules,
                    &ballots.electorate,
                    &ballots.votes,
                    proposal.closes_at,
                    now,
                );
                let seen = seen_by(
                    reader,
                    &proposal.rules,
                    &ballots.electorate,
                    &ballots.votes,
                    proposal.closes_at,
                    now,
                );
                let phase = phase(&proposal, &result);
                items.push(ProposalListItem {
                    id: proposal.id.clone(),
                    title: proposal.title.for_reader(&prefs),
                    phase,
                    closes_at: result.closes_at,
                    minutes_left: (phase == Phase::Open)
                        .then(|| minutes_left(now, result.closes_at)),
                    eligible: proposal.electorate.binary_search(reader).is_ok(),
                    has_voted: ballots.mine.is_some(),
                    as_it_stands: (seen.result_visible && phase != Phase::Withdrawn)
                        .then_some(result.as_it_stands),
                });
            }
            items.sort_by(|a, b| {
                let rank = |p: Phase| match p {
                    Phase::Open => 0,
                    Phase::Closed => 1,
                    Phase::Withdrawn => 2,
                };
                rank(a.phase)
                    .cmp(&rank(b.phase))
                    .then_with(|| match a.phase {
                        Phase::Open => a.closes_at.cmp(&b.closes_at),
                        _ => b.closes_at.cmp(&a.closes_at),
                    })
            });
            Ok(items)
        })
    }

    /// Open proposals `person` has a vote on, for their reminder plan.
    pub fn proposals_closing(&self, person: &PersonId) -> Result<Vec<ProposalClosing>> {
        let now = self.now();
        self.read(|r| proposals_closing_for(r, person, now))
    }
}

/// Open proposals in `membership`'s project that its person has a vote on
/// and has not used yet, for the home screen. Nobody can have closed them
/// early by all voting, since this person has not; one whose closing time
/// has passed is still open if its rules extended it.
pub(crate) fn waiting_for_vote(
    r: &Reader<'_>,
    membership: &Membership,
    now: Timestamp,
) -> Result<Vec<Proposal>> {
    let mut out = Vec::new();
    for proposal in r.select::<Proposal>(
        "WHERE project_id = ?1 AND state = 'open' AND closes_at > ?2
           AND EXISTS (SELECT 1 FROM json_each(proposals.electorate) WHERE value = ?3)
           AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.id = proposals.id || ':' || ?3)
         ORDER BY closes_at, id",
        rusqlite::params![
            membership.project_id.as_str(),
            open_since(now),
            membership.person_id.as_str()
        ],
    )? {
        // Only a proposal whose rules extend it can be open past its
        // closing time; the others need no votes read.
        let open = proposal.closes_at > now
            || (proposal.rules.extension != super::Extension::Never
                && known_close(r, &proposal)? > now);
        if open {
            out.push(proposal);
        }
    }
    Ok(out)
}

/// The votes stored on a proposal as the tally reads them, for screens. A
/// typed query rather than the generic row layer: a screen of 500 votes
/// must read in well under a millisecond on an old phone. Its columns are
/// [`VoteRecord`]'s; a field added there must be added here.
fn votes_on(conn: &rusqlite::Connection, proposal: &ProposalId) -> Result<Vec<Vote>> {
    let mut stmt = conn.prepare_cached(
        "SELECT voter, ballot, reason, cast_at, received_at, assisted_by, entered_by,
                consent_recorded, objection
         FROM votes WHERE proposal_id = ?1",
    )?;
    let mut rows = stmt.query([proposal.as_str()])?;
    // Columns are read in place, without copying them out first.
    fn text<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> Result<Option<&'a str>> {
        match row.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            value => Ok(Some(value.as_str().map_err(rusqlite::Error::from)?)),
        }
    }
    let unreadable = || Error::Storage {
        detail: "a stored vote is unreadable".into(),
    };
    let person = |t: Option<&str>| t.map(PersonId::parse).transpose();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let required = |i| text(row, i)?.ok_or_else(unreadable);
        out.push(Vote {
            voter: PersonId::parse(required(0)?)?,
            ballot: serde_json::from_str(required(1)?)?,
            reason: text(row, 2)?.map(str::to_string),
            cast_at: required(3)?.parse().map_err(|_| unreadable())?,
            received_at: row.get::<_, Option<i64>>(4)?.map(Timestamp),
            assisted_by: person(text(row, 5)?)?,
            entered_by: person(text(row, 6)?)?,
            consent_recorded: row.get(7)?,
            objection: serde_json::from_str(required(8)?)?,
        });
    }
    Ok(out)
}
