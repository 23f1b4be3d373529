//! Accounts and API tokens. Passwords arrive here already hashed (argon2id, in the web crate); tokens
//! are stored as their SHA-256 only, so a leaked database does not leak working tokens.

use senim_domain::role::Role;
use uuid::Uuid;

use crate::{Result, Store, StoreError, Tx, conflict_on_unique, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub body_code: Option<String>,
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    email: String,
    name: String,
    password_hash: String,
    role: String,
    body_code: Option<String>,
    disabled: bool,
}

impl TryFrom<Row> for User {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<User> {
        Ok(User {
            role: Role::parse(&r.role).ok_or_else(|| StoreError::corrupt(format!("role `{}`", r.role)))?,
            id: r.id,
            email: r.email,
            name: r.name,
            password_hash: r.password_hash,
            body_code: r.body_code,
            disabled: r.disabled,
        })
    }
}

const COLUMNS: &str = "id, email, name, password_hash, role, body_code, disabled";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub body_code: Option<&'a str>,
}

/// E-mail addresses are compared case-insensitively: stored lower-case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn create(tx: &mut Tx<'_>, new: NewUser<'_>) -> Result<User> {
    let id = Uuid::new_v4().to_string();
    let email = normalize_email(new.email);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, body_code, created_at, disabled) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id).bind(&email).bind(new.name).bind(new.password_hash).bind(new.role.code())
    .bind(new.body_code).bind(crate::now_rfc3339()).bind(false)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| conflict_on_unique(e, "users.email"))?;
    Ok(User {
        id,
        email,
        name: new.name.to_owned(),
        password_hash: new.password_hash.to_owned(),
        role: new.role,
        body_code: new.body_code.map(str::to_owned),
        disabled: false,
    })
}

pub async fn by_email(store: &Store, email: &str) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email = $1"));
    let row: Option<Row> =
        on_pool!(store, p => sqlx::query_as(sql).bind(normalize_email(email)).fetch_optional(p).await)?;
    row.map(User::try_from).transpose()
}

pub async fn by_id(store: &Store, id: &str) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1"));
    let row: Option<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.map(User::try_from).transpose()
}

/// Staff of one body with a given role (e-mail recipients of the body's notifications).
pub async fn staff_of(store: &Store, body_code: &str) -> Result<Vec<User>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE body_code = $1 AND disabled = $2 ORDER BY email"
    ));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).bind(false).fetch_all(p).await)?;
    rows.into_iter().map(User::try_from).collect()
}

pub async fn count(store: &Store) -> Result<i64> {
    Ok(on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?)
}

/// Stores a new API token (its SHA-256) for a user.
pub async fn create_token(tx: &mut Tx<'_>, user_id: &str, token_sha256: &str, label: &str) -> Result<String> {
    let id = Uuid::new_v4().to_string();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO api_tokens (id, user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id).bind(user_id).bind(token_sha256).bind(label).bind(crate::now_rfc3339())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(id)
}

/// The user a live (not revoked, not disabled) token belongs to.
pub async fn by_token(store: &Store, token_sha256: &str) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(
        "SELECT u.id, u.email, u.name, u.password_hash, u.role, u.body_code, u.disabled FROM api_tokens t \
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2"
            .to_owned(),
    );
    let row: Option<Row> =
        on_pool!(store, p => sqlx::query_as(sql).bind(token_sha256).bind(false).fetch_optional(p).await)?;
    row.map(User::try_from).transpose()
}
