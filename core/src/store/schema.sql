-- The device database's schema after every migration, written down so a
-- change to it is a deliberate, reviewed change. Checked by
-- test_all_upgrades in core/src/store/schema.rs; regenerate with
-- EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-core test_all_upgrades
PRAGMA user_version = 7;

-- actions
CREATE TABLE actions (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, what JSON NOT NULL,
    owner_id TEXT, due_on TEXT, status TEXT NOT NULL, created_by TEXT NOT NULL,
    from_review_item TEXT, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    , from_meeting TEXT);

-- actions_by_meeting
CREATE INDEX actions_by_meeting ON actions (from_meeting) WHERE from_meeting IS NOT NULL;

-- actions_by_owner
CREATE INDEX actions_by_owner ON actions (owner_id, status);

-- actions_by_project
CREATE INDEX actions_by_project ON actions (project_id, status);

-- agenda_items
CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
    text JSON NOT NULL, added_by TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- agenda_items_by_meeting
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, created_at);

-- attendances
CREATE TABLE attendances (
    id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
    person_id TEXT NOT NULL, present BOOLEAN NOT NULL, how TEXT NOT NULL, code TEXT,
    recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- attendances_by_meeting
CREATE INDEX attendances_by_meeting ON attendances (meeting_id);

-- ballot_boxes
CREATE TABLE ballot_boxes (
    id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, project_id TEXT NOT NULL,
    ballots JSON NOT NULL, closes_at INTEGER NOT NULL, who_voted JSON,
    counted_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- check_ins
CREATE TABLE check_ins (
    id TEXT PRIMARY KEY, person_id TEXT, project_id TEXT, meeting_id TEXT,
    tier TEXT NOT NULL, mood INTEGER, note TEXT, follow_up_on TEXT, follows_up TEXT,
    written_by TEXT NOT NULL, written_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- check_ins_by_author
CREATE INDEX check_ins_by_author ON check_ins (written_by);

-- check_ins_by_earlier
CREATE INDEX check_ins_by_earlier ON check_ins (follows_up) WHERE follows_up IS NOT NULL;

-- check_ins_by_person
CREATE INDEX check_ins_by_person ON check_ins (person_id, written_at);

-- check_ins_by_project
CREATE INDEX check_ins_by_project ON check_ins (project_id, written_at);

-- check_ins_follow_ups
CREATE INDEX check_ins_follow_ups ON check_ins (follow_up_on) WHERE follow_up_on IS NOT NULL;

-- contributions
CREATE TABLE contributions (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL, project_id TEXT NOT NULL,
    logged_by TEXT NOT NULL, what TEXT NOT NULL, minutes INTEGER NOT NULL,
    expenses_pence INTEGER NOT NULL, done_on TEXT NOT NULL, recognition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- contributions_by_person
CREATE INDEX contributions_by_person ON contributions (person_id, done_on);

-- contributions_by_project
CREATE INDEX contributions_by_project ON contributions (project_id);

-- meeting_rsvps
CREATE TABLE meeting_rsvps (
    id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, project_id TEXT,
    person_id TEXT NOT NULL, answer TEXT NOT NULL, answered_at INTEGER NOT NULL,
    going_since INTEGER, was_waiting BOOLEAN NOT NULL, seen_sequence INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- meeting_rsvps_by_meeting
CREATE INDEX meeting_rsvps_by_meeting ON meeting_rsvps (meeting_id, answer);

-- meeting_rsvps_by_person
CREATE INDEX meeting_rsvps_by_person ON meeting_rsvps (person_id, answer);

-- meetings
CREATE TABLE meetings (
    id TEXT PRIMARY KEY, project_id TEXT, organiser_id TEXT NOT NULL,
    title JSON NOT NULL, description JSON, format TEXT NOT NULL, place JSON,
    online_link TEXT, access JSON NOT NULL, access_notes JSON,
    starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, time_zone TEXT NOT NULL,
    state TEXT NOT NULL, sequence INTEGER NOT NULL, notice_sequence INTEGER NOT NULL,
    capacity INTEGER, check_in_secret TEXT NOT NULL, minutes JSON,
    created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- meetings_by_project
CREATE INDEX meetings_by_project ON meetings (project_id, starts_at);

-- memberships
CREATE TABLE memberships (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, person_id TEXT NOT NULL,
    role TEXT NOT NULL, status TEXT NOT NULL, changed_by TEXT NOT NULL,
    reason TEXT, since INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- memberships_by_person
CREATE INDEX memberships_by_person ON memberships (person_id, status);

-- memberships_by_project
CREATE INDEX memberships_by_project ON memberships (project_id, status);

-- meta
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- needs
CREATE TABLE needs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,
    description JSON NOT NULL, tags JSON NOT NULL, met BOOLEAN NOT NULL,
    added_by TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- needs_by_project
CREATE INDEX needs_by_project ON needs (project_id);

-- offers
CREATE TABLE offers (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL, project_id TEXT,
    kind TEXT NOT NULL, description JSON NOT NULL, how_much TEXT, availability TEXT,
    tags JSON NOT NULL, withdrawn_at INTEGER, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- offers_by_person
CREATE INDEX offers_by_person ON offers (person_id);

-- offers_by_project
CREATE INDEX offers_by_project ON offers (project_id);

-- organisations
CREATE TABLE organisations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- outbox
CREATE TABLE "outbox" (
    seq INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,
    fields JSON NOT NULL, hlc TEXT NOT NULL, author TEXT NOT NULL
);

-- outbox_by_entity
CREATE INDEX outbox_by_entity ON outbox (entity, entity_id);

-- people
CREATE TABLE people (
    id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, name TEXT NOT NULL,
    pronouns TEXT, kind TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    , time_zone TEXT NOT NULL DEFAULT 'Europe/London', access_needs JSON NOT NULL DEFAULT '[]', unavailable JSON NOT NULL DEFAULT '[]', recognition TEXT NOT NULL DEFAULT 'thanks');

-- personal_settings
CREATE TABLE personal_settings (
    id TEXT PRIMARY KEY, languages JSON NOT NULL, easy_read BOOLEAN NOT NULL,
    read_aloud BOOLEAN NOT NULL, text_size TEXT NOT NULL, reminders JSON NOT NULL,
    access_notes TEXT,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- projects
CREATE TABLE projects (
    id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, title JSON NOT NULL,
    purpose JSON NOT NULL, stage TEXT NOT NULL, join_policy TEXT NOT NULL,
    agreement JSON NOT NULL, started_by TEXT NOT NULL, times_reopened INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
    , plan_from_proposal TEXT);

-- proposals
CREATE TABLE proposals (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, author_id TEXT NOT NULL,
    title JSON NOT NULL, body JSON NOT NULL, rules JSON NOT NULL,
    opens_at INTEGER NOT NULL, closes_at INTEGER NOT NULL, electorate JSON NOT NULL,
    state TEXT NOT NULL, withdrawn_at INTEGER,
    plan_change JSON, plan_applied_at INTEGER, plan_applied_by TEXT, outcome JSON,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- proposals_by_project
CREATE INDEX proposals_by_project ON proposals (project_id, closes_at);

-- review_items
CREATE TABLE review_items (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,
    text JSON NOT NULL, author_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- review_items_by_project
CREATE INDEX review_items_by_project ON review_items (project_id);

-- review_supports
CREATE TABLE review_supports (
    id TEXT PRIMARY KEY, review_item_id TEXT NOT NULL, project_id TEXT NOT NULL,
    person_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- review_supports_by_item
CREATE INDEX review_supports_by_item ON review_supports (review_item_id);

-- risks
CREATE TABLE risks (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, about_person TEXT,
    in_their_words JSON NOT NULL, safeguards JSON NOT NULL, owner_id TEXT NOT NULL,
    review_on TEXT NOT NULL, visibility TEXT NOT NULL, recorded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- risks_by_project
CREATE INDEX risks_by_project ON risks (project_id);

-- statements
CREATE TABLE statements (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL, text JSON NOT NULL,
    visibility TEXT NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- statements_by_person
CREATE INDEX statements_by_person ON statements (person_id);

-- support_links
CREATE TABLE support_links (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL, staff_id TEXT NOT NULL,
    active BOOLEAN NOT NULL, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- support_links_by_person
CREATE INDEX support_links_by_person ON support_links (person_id);

-- support_links_by_staff
CREATE INDEX support_links_by_staff ON support_links (staff_id);

-- sync_account
CREATE TABLE sync_account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT NOT NULL, device_token TEXT NOT NULL, device_id TEXT NOT NULL,
    person_id TEXT NOT NULL, connected_at INTEGER NOT NULL, last_synced INTEGER
);

-- sync_cursors
CREATE TABLE sync_cursors (scope TEXT PRIMARY KEY, cursor INTEGER NOT NULL);

-- sync_held
CREATE TABLE sync_held (
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL,
    value JSON NOT NULL, hlc TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
);

-- sync_rejections
CREATE TABLE sync_rejections (
    op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
    code TEXT NOT NULL, message TEXT NOT NULL, rejected_at INTEGER NOT NULL
);

-- thanks
CREATE TABLE thanks (
    id TEXT PRIMARY KEY, contribution_id TEXT NOT NULL, project_id TEXT NOT NULL,
    from_person TEXT NOT NULL, note TEXT, created_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- thanks_by_contribution
CREATE INDEX thanks_by_contribution ON thanks (contribution_id);

-- this_phone
CREATE TABLE this_phone (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    person_id TEXT NOT NULL,
    started TEXT NOT NULL CHECK (started IN ('offline', 'joined')),
    since INTEGER NOT NULL
);

-- tombstones
CREATE TABLE tombstones (
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, hlc TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);

-- update_reads
CREATE TABLE update_reads (
    id TEXT PRIMARY KEY, update_id TEXT NOT NULL, project_id TEXT NOT NULL,
    person_id TEXT NOT NULL, read_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- update_reads_by_person
CREATE INDEX update_reads_by_person ON update_reads (person_id, project_id);

-- update_reads_by_update
CREATE INDEX update_reads_by_update ON update_reads (update_id);

-- updates
CREATE TABLE updates (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, author_id TEXT NOT NULL,
    body JSON NOT NULL, posted_at INTEGER NOT NULL,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- updates_by_project
CREATE INDEX updates_by_project ON updates (project_id, posted_at);

-- votes
CREATE TABLE votes (
    id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, project_id TEXT NOT NULL,
    voter TEXT NOT NULL, anonymous BOOLEAN NOT NULL, ballot JSON NOT NULL, reason TEXT,
    cast_at TEXT NOT NULL, received_at INTEGER, assisted_by TEXT, entered_by TEXT,
    consent_recorded BOOLEAN NOT NULL, objection JSON NOT NULL, resolution JSON,
    seat TEXT,
    _hlc TEXT NOT NULL, _clocks JSON NOT NULL DEFAULT '{}'
);

-- votes_by_proposal
CREATE INDEX votes_by_proposal ON votes (proposal_id);

-- votes_by_voter
CREATE INDEX votes_by_voter ON votes (voter, proposal_id);
