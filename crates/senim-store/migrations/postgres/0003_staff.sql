-- Staff administration (issue 4): assignment of cases to reviewers, TOTP second factor for staff,
-- recovery codes, and settings an administrator switches (whether staff must use a second factor).

-- The reviewer a case is assigned to (taking a case assigns it to oneself; a body administrator
-- may assign it to anyone of the body). NULL: nobody yet.
ALTER TABLE applications ADD COLUMN assignee_id TEXT REFERENCES users(id);
CREATE INDEX applications_assignee ON applications(assignee_id);

-- A staff member's TOTP (RFC 6238) secret, base32. The secret must be readable to check codes, so it
-- is stored as is; `last_step` is the last 30-second step accepted, so that no code works twice.
CREATE TABLE user_totp (
    user_id     TEXT PRIMARY KEY REFERENCES users(id),
    secret      TEXT NOT NULL,
    enabled_at  TEXT NOT NULL,
    last_step   BIGINT NOT NULL DEFAULT 0
);

-- One-time recovery codes, stored as SHA-256 (they are 80 random bits: no slow hash needed).
CREATE TABLE recovery_codes (
    code_hash   TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- System-wide switches: key → value text (e.g. 'staff_totp_required' → 'true').
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
