# Result summaries for proposals, British English. Every message here must
# exist in every other locale (a test checks). `-easy` forms are for
# easy-read readers: short sentences, everyday words, no jargon.

## Where a proposal stands, with its turnout
decision-open = Voting is open: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} have voted so far.
decision-open-easy = Voting is still open. { $voted } out of { $eligible } people have voted.
decision-passed = Passed: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} voted.
decision-passed-easy = The group has decided. { $voted } out of { $eligible } people voted.
decision-not-passed = Not passed: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} voted.
decision-not-passed-easy = Nothing was decided. { $voted } out of { $eligible } people voted.
decision-tie = Tied: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} voted.
decision-tie-easy = It is a tie, so nothing is decided yet. { $voted } out of { $eligible } people voted.
decision-no-quorum = No quorum: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} voted, and { $needed } were needed.
decision-no-quorum-easy = Not enough people voted, so nothing is decided. { $voted } out of { $eligible } people voted. We needed { $needed }.
decision-blocked = Blocked: { $voted } of { $eligible ->
    [one] 1 person
   *[other] { $eligible } people
} voted.
decision-blocked-easy = Someone wants to stop this, so we will stop and talk. { $voted } out of { $eligible } people voted.

## Objections and blocks
decision-nobody-objected = Nobody objected.
decision-nobody-objected-easy = Nobody said no.
decision-objections-standing = { $count ->
    [one] One objection still stands.
   *[other] { $count } objections still stand.
}
decision-objections-standing-easy = { $count ->
    [one] One person said no. We will talk about it.
   *[other] { $count } people said no. We will talk about it.
}
decision-objections-settled = { $count ->
    [one] One objection was withdrawn or resolved.
   *[other] { $count } objections were withdrawn or resolved.
}
decision-objections-settled-easy = { $count ->
    [one] One problem someone raised has been sorted out.
   *[other] { $count } problems people raised have been sorted out.
}
decision-nobody-blocked = Nobody blocked.
decision-nobody-blocked-easy = Nobody wants to stop it.
decision-blocks-standing = { $count ->
    [one] One block still stands.
   *[other] { $count } blocks still stand.
}
decision-blocks-standing-easy = { $count ->
    [one] One person wants to stop this. We will talk about it.
   *[other] { $count } people want to stop this. We will talk about it.
}
decision-blocks-settled = { $count ->
    [one] One block was withdrawn or resolved.
   *[other] { $count } blocks were withdrawn or resolved.
}
decision-blocks-settled-easy = { $count ->
    [one] One problem someone raised has been sorted out.
   *[other] { $count } problems people raised have been sorted out.
}
decision-agreement-counts = { $agree } agreed, { $disagree } disagreed and { $abstain } abstained.
decision-agreement-counts-easy = Yes: { $agree }. No: { $disagree }. Did not choose: { $abstain }.

## Options
decision-chosen = Chosen: { $option }.
decision-chosen-easy = The group chose: { $option }.
decision-leading = Ahead so far: { $option }.
decision-leading-easy = Most people have chosen this so far: { $option }.
decision-tied-between = Tied between: { $options }.
decision-tied-between-easy = These got the same: { $options }. The group needs to choose.
decision-best-time = Best time: { $option }.
decision-best-time-easy = Most people can come at this time: { $option }.
decision-one-to-one-winner = Compared one to one, { $option } beats every other option.
decision-one-to-one-winner-easy = Looking at two at a time, people liked { $option } best.
decision-no-one-to-one-winner = No option beats every other one to one; these beat all the rest: { $options }.
decision-no-one-to-one-winner-easy = Looking at two at a time, no option came out on top. These did best: { $options }.

## Offline votes
decision-provisional = This result may still change: votes cast offline before the close can still arrive.
decision-provisional-easy = This may still change. Some votes may still be on their way.
