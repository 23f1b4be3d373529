//! Counts for the operator's `/metrics` (read at each scrape, so that every instance on one database
//! reports the same truth): work waiting for the body, and the e-mail outbox's backlog.

use crate::{Result, Store, on_pool};

use crate::outbox::NEVER;

/// How much is waiting, across all bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Depths {
    /// Applications submitted or under review: a decision is owed (Rules §6, §8).
    pub awaiting_decision: i64,
    /// Inclusions not yet in an edition (Rules §7).
    pub awaiting_publication: i64,
    /// Outbox messages never tried yet, or in the hands of a sender.
    pub outbox_queued: i64,
    /// Outbox messages whose last try failed and that will be tried again.
    pub outbox_failed: i64,
    /// Outbox messages given up (left for the administrator at `/admin/mail`).
    pub outbox_given_up: i64,
}

async fn count(store: &Store, sql: &'static str) -> Result<i64> {
    Ok(on_pool!(store, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await)?)
}

/// A count whose query compares with [`NEVER`] as `$1`.
async fn count_never(store: &Store, sql: &'static str) -> Result<i64> {
    Ok(on_pool!(store, p => sqlx::query_scalar::<_, i64>(sql).bind(NEVER).fetch_one(p).await)?)
}

pub async fn depths(store: &Store) -> Result<Depths> {
    Ok(Depths {
        awaiting_decision: count(
            store,
            "SELECT COUNT(*) FROM applications WHERE status IN ('submitted', 'under_review', 'hearing')",
        )
        .await?,
        awaiting_publication: count(store, "SELECT COUNT(*) FROM entries WHERE pending = 'added'").await?,
        outbox_queued: count_never(
            store,
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND last_error IS NULL AND next_attempt_at <> $1",
        )
        .await?,
        outbox_failed: count_never(
            store,
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL AND next_attempt_at <> $1",
        )
        .await?,
        outbox_given_up: count_never(
            store,
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND next_attempt_at = $1",
        )
        .await?,
    })
}
