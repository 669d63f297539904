-- The sync server's SQLite schema after every upgrade step, written down so
-- a change to it is a deliberate, reviewed change. Checked by
-- every_old_database_ends_at_the_schema_written_down in
-- server/src/storage/sqlite.rs; regenerate with
-- EQUALLY_BLESS_SCHEMA=1 cargo test -p equally-server every_old_database_ends
PRAGMA user_version = 2;

-- applied_ops
CREATE TABLE applied_ops (op_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;

-- changes
CREATE TABLE changes (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT,
    op_id TEXT,
    PRIMARY KEY (scope_tier, scope_id, seq)
);

-- changes_by_author
CREATE INDEX changes_by_author ON changes (author);

-- changes_by_entity
CREATE INDEX changes_by_entity ON changes (kind, entity_id);

-- devices
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- devices_by_person
CREATE INDEX devices_by_person ON devices (person_id);

-- entities
CREATE TABLE entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    clocks TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- horizons
CREATE TABLE horizons (
    scope_tier TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    PRIMARY KEY (scope_tier, scope_id)
) WITHOUT ROWID;

-- invites
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

-- invites_by_person
CREATE INDEX invites_by_person ON invites (person_id);

-- push_tokens
CREATE TABLE push_tokens (
    device_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- seq_counter
CREATE TABLE seq_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
