-- Publication as a background job (issue 7): the publisher's page shows its progress (artifacts
-- rendered of all) and then the edition, or why it failed. At most one job runs per body: the partial
-- unique index refuses a second. A job whose instance died keeps 'running' until it is older than the
-- stale limit, when the next start marks it 'failed'.
CREATE TABLE publication_jobs (
    id            TEXT PRIMARY KEY,
    body_code     TEXT NOT NULL REFERENCES bodies(code),
    requested_by  TEXT NOT NULL,
    status        TEXT NOT NULL,          -- 'running', 'done' or 'failed'
    done          INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    stage         TEXT NOT NULL DEFAULT '',
    edition       INTEGER,
    error         TEXT,
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX publication_jobs_running ON publication_jobs(body_code) WHERE status = 'running';
