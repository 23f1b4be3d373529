-- The deadline engine and the audit-report cross-check (issue 4).

-- Reminders to the body before a deadline and on the day it is missed (Rules §6, §7, §8). One row per
-- subject (a round "application-id/round" or a pending publication "registry-number"), stage
-- ('due_soon' or 'overdue') and due date: the row is claimed in the transaction that queues the mail,
-- so that each reminder is sent once, however many server instances run, and again only if a calendar
-- change moves the due date.
CREATE TABLE reminders (
    subject     TEXT NOT NULL,
    stage       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    body_code   TEXT NOT NULL REFERENCES bodies(code),
    recipients  BIGINT NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (subject, stage, due_on)
);

-- The text layer of an uploaded PDF, extracted once per file content (audit reports, for the
-- cross-check). status: 'text' (pages holds a JSON array of page texts) or 'failed' (error says why).
CREATE TABLE pdf_texts (
    sha256        TEXT PRIMARY KEY REFERENCES blobs(sha256),
    status        TEXT NOT NULL,
    pages         TEXT NOT NULL,
    error         TEXT,
    extracted_at  TEXT NOT NULL
);
