//! Backup and restore of the whole database: `senim backup FILE`, `senim restore FILE`.
//!
//! A backup is a consistent snapshot taken while the server runs (one read transaction: SQLite's WAL
//! snapshot, PostgreSQL's `REPEATABLE READ`), written as gzip-compressed JSON lines:
//!
//! 1. a header: format and version, the dialect it came from, the schema (applied migration versions),
//!    and every table with its columns and row count, parents before children;
//! 2. one line per row: `{"t": table, "r": [values…]}` — `null`, integers, reals, text, booleans, and
//!    bytes as `{"b64": "…"}`;
//! 3. a trailer with the number of rows and the SHA-256 of every row line, so that a truncated or
//!    altered file is refused rather than half restored.
//!
//! Every table is included, found in the database's catalog, so a table added by a later migration
//! is backed up without a change here. Restore goes into a database with no users and no applications
//! at the same schema version, of either dialect (values are bound by the target's column types), in one
//! transaction: it all lands or nothing does.

use std::io::{BufRead, Write};

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{Db, Result, Store, StoreError};

const FORMAT: &str = "senim-backup";
const VERSION: u32 = 1;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A table of the backup: its name, columns and number of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    dialect: String,
    migrations: Vec<i64>,
    created_at: String,
    tables: Vec<TableInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Trailer {
    end: End,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct End {
    rows: u64,
    sha256: String,
}

/// What a backup or a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub tables: Vec<TableInfo>,
    pub dialect: String,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

fn bad(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("backup: {what}"))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("backup file: {e}"))
}

fn write_line(out: &mut impl Write, line: &[u8]) -> Result<()> {
    out.write_all(line).map_err(io)?;
    out.write_all(b"\n").map_err(io)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A table as the catalog describes it: (name, its columns with their declared types, the tables its
/// foreign keys point at).
type CatalogTable = (String, Vec<(String, String)>, Vec<String>);

/// Tables (without sqlx's own) with their columns, parents before children.
async fn catalog(store: &Store) -> Result<Vec<CatalogTable>> {
    let mut out = Vec::new();
    match &store.db {
        Db::Sqlite(p) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(p)
            .await?;
            for name in names {
                let columns: Vec<(String, String)> =
                    sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                        .bind(&name)
                        .fetch_all(p)
                        .await?;
                let parents: Vec<String> =
                    sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                        .bind(&name)
                        .fetch_all(p)
                        .await?;
                out.push((name, columns, parents));
            }
        }
        Db::Postgres(p) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            )
            .fetch_all(p)
            .await?;
            for name in names {
                let columns: Vec<(String, String)> = sqlx::query_as(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(&name)
                .fetch_all(p)
                .await?;
                let parents: Vec<String> = sqlx::query_scalar(
                    "SELECT DISTINCT ccu.table_name::text FROM information_schema.table_constraints tc \
                     JOIN information_schema.constraint_column_usage ccu \
                       ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
                     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                       AND tc.table_name = $1",
                )
                .bind(&name)
                .fetch_all(p)
                .await?;
                out.push((name, columns, parents));
            }
        }
    }
    // Parents first: repeatedly take the tables whose parents are all placed (names break ties).
    let mut placed: Vec<CatalogTable> = Vec::new();
    let mut left = out;
    while !left.is_empty() {
        let ready: Vec<usize> = (0..left.len())
            .filter(|&i| left[i].2.iter().all(|p| p == &left[i].0 || placed.iter().any(|t| &t.0 == p)))
            .collect();
        if ready.is_empty() {
            return Err(bad("foreign keys form a cycle"));
        }
        for i in ready.into_iter().rev() {
            placed.push(left.remove(i));
        }
    }
    Ok(placed)
}

async fn migrations(store: &Store) -> Result<Vec<i64>> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
    Ok(crate::on_pool!(store, p => sqlx::query_scalar(sql).fetch_all(p).await)?)
}

fn sqlite_value(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INTEGER" | "BOOLEAN" => json!(row.try_get::<i64, _>(i)?),
        "REAL" => json!(row.try_get::<f64, _>(i)?),
        "BLOB" => json!({"b64": B64.encode(row.try_get::<Vec<u8>, _>(i)?)}),
        _ => json!(row.try_get::<String, _>(i)?),
    })
}

fn pg_value(row: &sqlx::postgres::PgRow, i: usize) -> Result<Value> {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    let kind = row.columns()[i].type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INT8" => json!(row.try_get::<i64, _>(i)?),
        "INT4" => json!(row.try_get::<i32, _>(i)?),
        "INT2" => json!(row.try_get::<i16, _>(i)?),
        "BOOL" => json!(row.try_get::<bool, _>(i)?),
        "FLOAT8" => json!(row.try_get::<f64, _>(i)?),
        "BYTEA" => json!({"b64": B64.encode(row.try_get::<Vec<u8>, _>(i)?)}),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => json!(row.try_get::<String, _>(i)?),
        other => {
            return Err(bad(format!(
                "column {} has a type this format does not know: {other}",
                row.columns()[i].name()
            )));
        }
    })
}

/// Writes a consistent backup of the whole database to `out` (gzip-compressed JSON lines).
pub async fn dump(store: &Store, out: impl Write) -> Result<Summary> {
    use futures_util::TryStreamExt;
    let tables = catalog(store).await?;
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    let mut hash = Sha256::new();
    let mut total = 0u64;
    let mut infos = Vec::new();
    macro_rules! snapshot {
        ($tx:ident, $value:ident) => {{
            // Counts and rows come from the same snapshot.
            for (name, columns, _) in &tables {
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", quote(name))))
                    .fetch_one(&mut *$tx)
                    .await?;
                infos.push(TableInfo {
                    name: name.clone(),
                    columns: columns.iter().map(|c| c.0.clone()).collect(),
                    rows: u64::try_from(n).unwrap_or(0),
                });
            }
            let header = Header {
                format: FORMAT.into(),
                version: VERSION,
                dialect: store.dialect().to_owned(),
                migrations: migrations(store).await?,
                created_at: crate::now_rfc3339(),
                tables: infos.clone(),
            };
            write_line(&mut gz, &serde_json::to_vec(&header)?)?;
            for (name, columns, _) in &tables {
                let list: Vec<String> = columns.iter().map(|c| quote(&c.0)).collect();
                let sql = format!("SELECT {} FROM {} ORDER BY 1", list.join(", "), quote(name));
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *$tx);
                while let Some(row) = rows.try_next().await? {
                    let values = (0..columns.len()).map(|i| $value(&row, i)).collect::<Result<Vec<_>>>()?;
                    let line = serde_json::to_vec(&json!({"t": name, "r": values}))?;
                    hash.update(&line);
                    total += 1;
                    write_line(&mut gz, &line)?;
                }
            }
        }};
    }
    match &store.db {
        Db::Sqlite(p) => {
            let mut tx = p.begin_with("BEGIN").await?;
            snapshot!(tx, sqlite_value);
            tx.rollback().await?;
        }
        Db::Postgres(p) => {
            let mut tx = p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
            snapshot!(tx, pg_value);
            tx.rollback().await?;
        }
    }
    let trailer = Trailer { end: End { rows: total, sha256: hex::encode(hash.finalize()) } };
    write_line(&mut gz, &serde_json::to_vec(&trailer)?)?;
    gz.finish().map_err(io)?.flush().map_err(io)?;
    Ok(Summary { tables: infos, dialect: store.dialect().to_owned() })
}

/// Reads a backup's header without restoring it.
pub fn inspect(input: impl BufRead) -> Result<Summary> {
    let mut lines = std::io::BufReader::new(flate2::bufread::GzDecoder::new(input)).lines();
    let header = read_header(&mut lines)?;
    Ok(Summary { tables: header.tables, dialect: header.dialect })
}

fn read_header(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Result<Header> {
    let first = lines.next().ok_or_else(|| bad("the file is empty"))?.map_err(io)?;
    let header: Header = serde_json::from_str(&first).map_err(|_| bad("not a Senim backup (no header)"))?;
    if header.format != FORMAT || header.version != VERSION {
        return Err(bad(format!("format {} version {} is not known here", header.format, header.version)));
    }
    Ok(header)
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn blob(v: &Value) -> Result<Option<Vec<u8>>> {
    match v.get("b64").and_then(Value::as_str) {
        Some(s) => Ok(Some(B64.decode(s).map_err(|e| bad(format!("bytes: {e}")))?)),
        None => Ok(None),
    }
}

/// Restores a backup into this database, which must have no users and no applications and be at the
/// backup's schema version. Replaces every table's rows, in one transaction.
pub async fn restore(store: &Store, input: impl BufRead) -> Result<Summary> {
    let mut lines = std::io::BufReader::new(flate2::bufread::GzDecoder::new(input)).lines();
    let header = read_header(&mut lines)?;
    let here = migrations(store).await?;
    if here != header.migrations {
        return Err(bad(format!(
            "the backup's schema (migrations {:?}) differs from this database's ({:?}): restore with the version \
             of Senim that made it",
            header.migrations, here
        )));
    }
    let users: i64 = crate::on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?;
    let apps: i64 =
        crate::on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(p).await)?;
    if users > 0 || apps > 0 {
        return Err(bad("this database already has users or applications: restore into a new, empty database"));
    }
    let target = catalog(store).await?;
    let types = |table: &str, column: &str| -> Option<String> {
        target
            .iter()
            .find(|t| t.0 == table)
            .and_then(|t| t.1.iter().find(|c| c.0 == column))
            .map(|c| c.1.to_lowercase())
    };
    for t in &header.tables {
        if !target.iter().any(|x| x.0 == t.name) {
            return Err(bad(format!("table {} is not in this database", t.name)));
        }
    }

    let mut tx = store.begin().await?;
    // Whatever migrations seeded goes: the backup's rows replace it. Children first.
    for t in header.tables.iter().rev() {
        crate::on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {}", quote(&t.name))))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    let mut hash = Sha256::new();
    let mut total = 0u64;
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut ended = None;
    for line in lines {
        let line = line.map_err(io)?;
        if ended.is_some() {
            return Err(bad("data after the end"));
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| bad(format!("line {}: {e}", total + 2)))?;
        if let Some(end) = v.get("end") {
            ended = Some(serde_json::from_value::<End>(end.clone()).map_err(|e| bad(format!("trailer: {e}")))?);
            continue;
        }
        hash.update(line.as_bytes());
        total += 1;
        let table = v["t"].as_str().ok_or_else(|| bad("a row without its table"))?;
        let info =
            header.tables.iter().find(|t| t.name == table).ok_or_else(|| bad(format!("unknown table {table}")))?;
        let values = v["r"].as_array().ok_or_else(|| bad("a row without values"))?;
        if values.len() != info.columns.len() {
            return Err(bad(format!(
                "a row of {table} has {} values for {} columns",
                values.len(),
                info.columns.len()
            )));
        }
        *counts.entry(table.to_owned()).or_default() += 1;
        let columns: Vec<String> = info.columns.iter().map(|c| quote(c)).collect();
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let sql = format!("INSERT INTO {} ({}) VALUES ({})", quote(table), columns.join(", "), params.join(", "));
        match &mut tx {
            crate::Tx::Sqlite(t) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for v in values {
                    q = match v {
                        Value::Null => q.bind(None::<String>),
                        Value::Bool(b) => q.bind(i64::from(*b)),
                        Value::Number(n) if n.is_i64() => q.bind(n.as_i64()),
                        Value::Number(n) => q.bind(n.as_f64()),
                        Value::String(s) => q.bind(s.clone()),
                        other => q.bind(blob(other)?.ok_or_else(|| bad("a value of unknown kind"))?),
                    };
                }
                q.execute(&mut **t).await?;
            }
            crate::Tx::Postgres(t) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (column, v) in info.columns.iter().zip(values) {
                    let kind = types(table, column).unwrap_or_default();
                    q = match (kind.as_str(), v) {
                        ("boolean", Value::Null) => q.bind(None::<bool>),
                        ("bigint", Value::Null) => q.bind(None::<i64>),
                        ("integer", Value::Null) => q.bind(None::<i32>),
                        ("bytea", Value::Null) => q.bind(None::<Vec<u8>>),
                        ("double precision", Value::Null) => q.bind(None::<f64>),
                        (_, Value::Null) => q.bind(None::<String>),
                        ("boolean", v) => {
                            q.bind(int(v).ok_or_else(|| bad(format!("{table}.{column}: not a boolean")))? != 0)
                        }
                        ("bigint", v) => {
                            q.bind(int(v).ok_or_else(|| bad(format!("{table}.{column}: not an integer")))?)
                        }
                        ("integer", v) => q.bind(
                            i32::try_from(int(v).ok_or_else(|| bad(format!("{table}.{column}: not an integer")))?)
                                .map_err(|_| bad(format!("{table}.{column}: out of range")))?,
                        ),
                        ("double precision", v) => {
                            q.bind(v.as_f64().ok_or_else(|| bad(format!("{table}.{column}: not a number")))?)
                        }
                        ("bytea", v) => q.bind(blob(v)?.ok_or_else(|| bad(format!("{table}.{column}: not bytes")))?),
                        (_, Value::String(s)) => q.bind(s.clone()),
                        (_, other) => q.bind(other.to_string()),
                    };
                }
                q.execute(&mut **t).await?;
            }
        }
    }
    let end = ended.ok_or_else(|| bad("the file ends early (no trailer): it is truncated"))?;
    if end.rows != total || end.sha256 != hex::encode(hash.finalize()) {
        return Err(bad("the rows do not match the trailer: the file was altered"));
    }
    for t in &header.tables {
        if counts.get(&t.name).copied().unwrap_or(0) != t.rows {
            return Err(bad(format!("table {}: {} rows expected", t.name, t.rows)));
        }
    }
    tx.commit().await?;
    Ok(Summary { tables: header.tables, dialect: store.dialect().to_owned() })
}
