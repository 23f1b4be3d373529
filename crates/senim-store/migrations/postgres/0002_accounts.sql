-- Self-service accounts (issue 3): organisations identified by BIN/IIN, e-mail confirmation,
-- password reset and invitations. Same text for both dialects.

-- An applicant organisation (or a person with an IIN). `profile` is the Annex 1 applicant block as JSON,
-- prefilled into each new application and snapshotted into each submission with the form.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    bin_iin     TEXT NOT NULL UNIQUE,
    profile     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN org_id TEXT REFERENCES organisations(id);
ALTER TABLE users ADD COLUMN email_confirmed_at TEXT;
-- The language the user reads e-mails in: kk, ru or en.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'kk';
-- Accounts made before this migration (by administrators) are confirmed.
UPDATE users SET email_confirmed_at = created_at;

ALTER TABLE applications ADD COLUMN org_id TEXT REFERENCES organisations(id);
CREATE INDEX applications_org ON applications(org_id);

-- One-time links sent by e-mail; stored as the SHA-256 of the token only.
CREATE TABLE email_tokens (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL,          -- 'confirm', 'reset' or 'invite'
    email       TEXT NOT NULL,
    user_id     TEXT REFERENCES users(id),
    org_id      TEXT REFERENCES organisations(id),
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX email_tokens_email ON email_tokens(email, purpose);
