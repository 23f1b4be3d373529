-- Large blobs in parts (issue 7). A List of 100,000 entries has files of 70 to 260 MB; inserting one
-- as a single value made the database copy it twice in memory (the bound value and the row record).
-- A blob with `parts` = 0 holds its bytes in `blobs.content`; one with `parts` = n holds none there
-- and is the concatenation of its parts 0..n-1, which go with it when it is removed.
ALTER TABLE blobs ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;

CREATE TABLE blob_parts (
    sha256  TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
    part    BIGINT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (sha256, part)
);
