-- Publication (issue 5, publisher's side): amendments of published entries, and scheduled publication.
-- Kept in step with ../postgres/0005_publication.sql.

-- An amendment of a published entry by the body's publisher: the Annex 2 row before and after, the
-- reason (LangText JSON, kk and/or ru), and the edition that published it (NULL while pending). The
-- signed manifest lists only the registry number under changes.amended (edition-format.md), so the
-- reason lives here and is shown in the editions history and the entry's history. Nothing is deleted.
CREATE TABLE entry_amendments (
    id               TEXT PRIMARY KEY,
    registry_number  TEXT NOT NULL REFERENCES entries(registry_number),
    body_code        TEXT NOT NULL REFERENCES bodies(code),
    before_entry     TEXT NOT NULL,      -- Annex2Entry JSON before the amendment
    after_entry      TEXT NOT NULL,      -- Annex2Entry JSON after it
    fields           TEXT NOT NULL,      -- JSON array of the amended field codes
    reason           TEXT NOT NULL,      -- LangText JSON
    amended_by       TEXT NOT NULL,
    amended_at       TEXT NOT NULL,
    edition          INTEGER
);
CREATE INDEX entry_amendments_entry ON entry_amendments(registry_number, amended_at);
CREATE INDEX entry_amendments_body ON entry_amendments(body_code, edition);

-- A body's daily automatic publication: local time 'HH:MM' (Asia/Almaty, UTC+5), or no row / NULL: off.
CREATE TABLE publication_schedules (
    body_code   TEXT PRIMARY KEY REFERENCES bodies(code),
    at_time     TEXT,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One row per (body, Kazakhstan date) on which the scheduled publication ran: the primary key is the
-- claim, so that of several instances sharing the database exactly one runs it. outcome is
-- 'published' (with the edition), 'nothing' (no pending change) or 'failed'.
CREATE TABLE publication_runs (
    body_code   TEXT NOT NULL REFERENCES bodies(code),
    run_on      TEXT NOT NULL,
    ran_at      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    edition     INTEGER,
    PRIMARY KEY (body_code, run_on)
);
