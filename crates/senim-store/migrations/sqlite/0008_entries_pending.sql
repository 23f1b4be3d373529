-- The few entries with a change waiting for the next edition, found without reading the whole List
-- (each public List page declares the next update from them; issue 7).
CREATE INDEX entries_pending ON entries(body_code) WHERE pending IS NOT NULL;
