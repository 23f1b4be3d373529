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
    /// The applicant organisation the user files for (applicants only).
    pub org_id: Option<String>,
    /// Self-registered accounts sign in only once the address is confirmed.
    pub email_confirmed: bool,
    /// The language of the user's e-mails (`kk`, `ru`, `en`).
    pub lang: String,
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
    org_id: Option<String>,
    email_confirmed_at: Option<String>,
    lang: String,
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
            org_id: r.org_id,
            email_confirmed: r.email_confirmed_at.is_some(),
            lang: r.lang,
        })
    }
}

const COLUMNS: &str = "id, email, name, password_hash, role, body_code, disabled, org_id, email_confirmed_at, lang";

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

/// An account made by an administrator (or the demo): its address counts as confirmed.
pub async fn create(tx: &mut Tx<'_>, new: NewUser<'_>) -> Result<User> {
    insert(tx, new, None, "kk", true).await
}

/// A self-registered applicant (or an invited colleague): confirmed only when `confirmed` says the
/// address was proven (an invitation link was followed).
pub async fn register(tx: &mut Tx<'_>, new: NewUser<'_>, org_id: &str, lang: &str, confirmed: bool) -> Result<User> {
    insert(tx, new, Some(org_id), lang, confirmed).await
}

async fn insert(tx: &mut Tx<'_>, new: NewUser<'_>, org_id: Option<&str>, lang: &str, confirmed: bool) -> Result<User> {
    let id = Uuid::new_v4().to_string();
    let email = normalize_email(new.email);
    let now = crate::now_rfc3339();
    let confirmed_at = confirmed.then(|| now.clone());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, body_code, created_at, disabled, org_id, \
         email_confirmed_at, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id).bind(&email).bind(new.name).bind(new.password_hash).bind(new.role.code())
    .bind(new.body_code).bind(&now).bind(false).bind(org_id).bind(&confirmed_at).bind(lang)
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
        org_id: org_id.map(str::to_owned),
        email_confirmed: confirmed,
        lang: lang.to_owned(),
    })
}

pub async fn confirm_email(tx: &mut Tx<'_>, user_id: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE users SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(crate::now_rfc3339()).bind(user_id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx<'_>, user_id: &str, password_hash: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_org(tx: &mut Tx<'_>, user_id: &str, org_id: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET org_id = $1 WHERE id = $2")
        .bind(org_id).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_lang(store: &Store, user_id: &str, lang: &str) -> Result<()> {
    on_pool!(store, p => sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang).bind(user_id)
        .execute(p)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The members of an applicant organisation.
pub async fn of_org(store: &Store, org_id: &str) -> Result<Vec<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE org_id = $1 ORDER BY email"));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(org_id).fetch_all(p).await)?;
    rows.into_iter().map(User::try_from).collect()
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
        "SELECT u.id, u.email, u.name, u.password_hash, u.role, u.body_code, u.disabled, u.org_id, \
         u.email_confirmed_at, u.lang FROM api_tokens t \
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2"
            .to_owned(),
    );
    let row: Option<Row> =
        on_pool!(store, p => sqlx::query_as(sql).bind(token_sha256).bind(false).fetch_optional(p).await)?;
    row.map(User::try_from).transpose()
}

/// Every staff account of a body, disabled ones included (the body administrator's staff page).
pub async fn of_body(store: &Store, body_code: &str) -> Result<Vec<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE body_code = $1 ORDER BY name, email"));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?;
    rows.into_iter().map(User::try_from).collect()
}

/// Disables or enables an account. A disabled account cannot sign in, and its tokens stop working.
pub async fn set_disabled(tx: &mut Tx<'_>, user_id: &str, disabled: bool) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(disabled).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_role(tx: &mut Tx<'_>, user_id: &str, role: Role) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.code()).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revokes every live API token of a user (when the account is disabled: enabling it again does not
/// bring old tokens back).
pub async fn revoke_tokens(tx: &mut Tx<'_>, user_id: &str) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(crate::now_rfc3339()).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?)
}
