-- The hearing before a notice of nonconformity (АППК Arts. 73, 74) and decisions as administrative
-- acts (Art. 78 ff.). Kept in step with ../postgres/0010_hearing.sql.

-- A failed §6 check: the preliminary decision of a round, with the dates the hearing runs to.
CREATE TABLE preliminary_decisions (
    application_id      TEXT NOT NULL REFERENCES applications(id),
    round               INTEGER NOT NULL,
    reviewer_id         TEXT NOT NULL REFERENCES users(id),
    checks              TEXT NOT NULL,          -- Checklist JSON
    issued_at           TEXT NOT NULL,
    issued_on           TEXT NOT NULL,
    objection_due_on    TEXT NOT NULL,
    decision_due_on     TEXT NOT NULL,
    last_day_to_issue   TEXT NOT NULL,
    PRIMARY KEY (application_id, round)
);

-- The applicant's answer: an objection (with or without a request to be heard) or a waiver.
CREATE TABLE objections (
    id                  TEXT PRIMARY KEY,
    application_id      TEXT NOT NULL REFERENCES applications(id),
    round               INTEGER NOT NULL,
    author_id           TEXT NOT NULL REFERENCES users(id),
    waived              INTEGER NOT NULL DEFAULT 0,
    text                TEXT NOT NULL,          -- LangText JSON (empty for a waiver)
    hearing_requested   INTEGER NOT NULL DEFAULT 0,
    received_on         TEXT NOT NULL,
    received_at         TEXT NOT NULL
);
CREATE INDEX objections_round ON objections(application_id, round);

-- АППК Art. 74: the record of a hearing.
CREATE TABLE hearing_records (
    id                  TEXT PRIMARY KEY,
    application_id      TEXT NOT NULL REFERENCES applications(id),
    round               INTEGER NOT NULL,
    reviewer_id         TEXT NOT NULL REFERENCES users(id),
    held_on             TEXT NOT NULL,
    form                TEXT NOT NULL,          -- 'in_person', 'video' or 'written'
    place               TEXT NOT NULL,
    participants        TEXT NOT NULL,
    summary             TEXT NOT NULL,          -- LangText JSON
    recorded_at         TEXT NOT NULL
);
CREATE INDEX hearing_records_round ON hearing_records(application_id, round);

-- The final decision of a round as an administrative act: its number, date and deciding official.
CREATE TABLE acts (
    number               TEXT PRIMARY KEY,
    application_id       TEXT NOT NULL REFERENCES applications(id),
    round                INTEGER NOT NULL,
    kind                 TEXT NOT NULL,         -- 'nonconformity' or 'inclusion'
    official_id          TEXT NOT NULL REFERENCES users(id),
    official_name        TEXT NOT NULL,
    official_position    TEXT NOT NULL,
    objection_considered TEXT NOT NULL,         -- LangText JSON (empty when nobody objected)
    adopted_on           TEXT NOT NULL,
    adopted_at           TEXT NOT NULL,
    UNIQUE (application_id, round)
);

CREATE TABLE act_counters (
    body_code   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (body_code, year)
);

-- The official's position as their acts name it, remembered from the last act.
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
