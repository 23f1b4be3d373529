//! Sectoral state bodies: kept as data that an administrator edits, never as code.

use senim_domain::annex2::BodyRef;
use senim_domain::lang::LangText;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub code: String,
    /// Full official name, printed in Annex 2's last column.
    pub name: LangText,
    /// Short name for navigation.
    pub short_name: LangText,
    pub gov_slug: Option<String>,
    pub sort_order: i64,
}

impl Body {
    pub fn as_ref(&self) -> BodyRef {
        BodyRef { code: self.code.clone(), name: self.name.clone() }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    code: String,
    name: String,
    short_name: String,
    gov_slug: Option<String>,
    sort_order: i64,
}

impl TryFrom<Row> for Body {
    type Error = crate::StoreError;
    fn try_from(r: Row) -> Result<Body> {
        Ok(Body {
            code: r.code,
            name: serde_json::from_str(&r.name)?,
            short_name: serde_json::from_str(&r.short_name)?,
            gov_slug: r.gov_slug,
            sort_order: r.sort_order,
        })
    }
}

pub async fn upsert(tx: &mut Tx<'_>, body: &Body) -> Result<()> {
    let name = serde_json::to_string(&body.name)?;
    let short = serde_json::to_string(&body.short_name)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO bodies (code, name, short_name, gov_slug, sort_order) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, \
         gov_slug = excluded.gov_slug, sort_order = excluded.sort_order",
    )
    .bind(&body.code).bind(&name).bind(&short).bind(&body.gov_slug).bind(body.sort_order)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn all(store: &Store) -> Result<Vec<Body>> {
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT code, name, short_name, gov_slug, sort_order FROM bodies ORDER BY sort_order, code",
    )
    .fetch_all(p)
    .await)?;
    rows.into_iter().map(Body::try_from).collect()
}

pub async fn get(store: &Store, code: &str) -> Result<Option<Body>> {
    let row: Option<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT code, name, short_name, gov_slug, sort_order FROM bodies WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(p)
    .await)?;
    row.map(Body::try_from).transpose()
}

pub async fn count(store: &Store) -> Result<i64> {
    Ok(on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM bodies").fetch_one(p).await)?)
}
