-- Senim's schema, SQLite dialect. Kept in step with ../postgres/0001_init.sql.
-- Dates are 'YYYY-MM-DD' text and instants RFC 3339 text in both dialects, so that one query body
-- serves both databases and values sort as they read.

CREATE TABLE bodies (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,          -- LangText JSON, full official name (Annex 2's last column)
    short_name  TEXT NOT NULL,          -- LangText JSON, for navigation
    gov_slug    TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    body_code     TEXT REFERENCES bodies(code),
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        BLOB NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE blobs (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE applications (
    id                  TEXT PRIMARY KEY,
    body_code           TEXT NOT NULL REFERENCES bodies(code),
    owner_user_id       TEXT NOT NULL REFERENCES users(id),
    status              TEXT NOT NULL,
    form                TEXT NOT NULL,      -- ApplicationForm JSON (the working copy)
    current_round       INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    registry_number     TEXT UNIQUE,
    included_on         TEXT,
    publication_due_on  TEXT
);
CREATE INDEX applications_owner ON applications(owner_user_id);
CREATE INDEX applications_body_status ON applications(body_code, status);

CREATE TABLE attachments (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    kind            TEXT NOT NULL,
    filename        TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL REFERENCES blobs(sha256),
    created_at      TEXT NOT NULL,
    removed_at      TEXT
);
CREATE INDEX attachments_application ON attachments(application_id);

-- A round is one submission: an immutable snapshot of the form and its documents (Rules §6, §8).
CREATE TABLE rounds (
    application_id  TEXT NOT NULL REFERENCES applications(id),
    number          INTEGER NOT NULL,
    form            TEXT NOT NULL,
    attachments     TEXT NOT NULL,          -- JSON list of the attachments at submission
    submitted_at    TEXT NOT NULL,
    received_on     TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    PRIMARY KEY (application_id, number)
);
CREATE INDEX rounds_due ON rounds(due_on);

CREATE TABLE reviews (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    round           INTEGER NOT NULL,
    reviewer_id     TEXT NOT NULL REFERENCES users(id),
    checks          TEXT NOT NULL,          -- Checklist JSON
    decision        TEXT NOT NULL,          -- 'included' or 'nonconforming'
    decided_at      TEXT NOT NULL,
    UNIQUE (application_id, round)
);

CREATE TABLE registry_counters (
    body_code   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (body_code, year)
);

-- An entry of a body's List (Annex 2 row) and its change waiting for the next edition.
CREATE TABLE entries (
    registry_number     TEXT PRIMARY KEY,
    body_code           TEXT NOT NULL REFERENCES bodies(code),
    application_id      TEXT NOT NULL REFERENCES applications(id),
    entry               TEXT NOT NULL,      -- Annex2Entry JSON (position 0)
    included_on         TEXT NOT NULL,
    publication_due_on  TEXT NOT NULL,
    state               TEXT NOT NULL,      -- 'listed' or 'excluded'
    pending             TEXT,               -- 'added', 'amended', 'excluded' or NULL
    pending_reason      TEXT,               -- LangText JSON for exclusions and amendments
    pending_since       TEXT
);
CREATE INDEX entries_body ON entries(body_code, state);

CREATE TABLE signing_keys (
    key_id       TEXT PRIMARY KEY,
    public_key   BLOB NOT NULL,
    secret_key   BLOB NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_until  TEXT
);

CREATE TABLE editions (
    body_code        TEXT NOT NULL REFERENCES bodies(code),
    number           INTEGER NOT NULL,
    published_at     TEXT NOT NULL,
    manifest_sha256  TEXT NOT NULL,
    signed_manifest  TEXT NOT NULL,     -- {"manifest", "signature"} JSON exactly as served
    entries          TEXT NOT NULL,     -- JSON array of the edition's entries
    published_by     TEXT NOT NULL,
    PRIMARY KEY (body_code, number)
);

CREATE TABLE edition_artifacts (
    body_code   TEXT NOT NULL,
    edition     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (body_code, edition, name),
    FOREIGN KEY (body_code, edition) REFERENCES editions(body_code, number)
);

-- Append-only, hash-chained. audit_head serialises appends (one row, locked by the UPDATE).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at);

CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,      -- the year's TOML, as the administrator saved it
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
