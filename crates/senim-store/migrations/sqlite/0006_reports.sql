-- "Report an error" (issues 5 and 7): anyone may tell a body that one of its published entries is
-- wrong. Each report is a task for the body's staff with its own status (new → in_progress →
-- resolved / rejected) and a staff comment the reporter reads at an unguessable address.

CREATE TABLE error_reports (
    id               TEXT PRIMARY KEY,
    -- What the reporter quotes (`ERR-…`), shown on the status page and to staff.
    reference        TEXT NOT NULL UNIQUE,
    -- SHA-256 of the token in the reporter's status address (/reports/{token}); the token itself is
    -- never stored, so a copy of the database does not open the status pages.
    token_hash       TEXT NOT NULL UNIQUE,
    body_code        TEXT NOT NULL REFERENCES bodies(code),
    registry_number  TEXT NOT NULL,
    -- Which Annex 2 field the reporter says is wrong (`system_name`, `owner`, …, `other`).
    field            TEXT NOT NULL,
    description      TEXT NOT NULL,
    -- Optional, for a reply. Personal data: shown to the body's staff only, never in public output.
    reporter_email   TEXT,
    -- The language the report was written in (its e-mails use it).
    lang             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'new',
    staff_comment    TEXT NOT NULL DEFAULT '',
    handled_by       TEXT REFERENCES users(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX error_reports_body ON error_reports(body_code, created_at);
