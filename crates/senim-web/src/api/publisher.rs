//! The publisher's calls beyond publishing itself (issue 5): the preview of the next edition, the
//! amendment of a published entry, the body's publication schedule; and the administrator's rotation of
//! the signing key.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::LangText;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiPath as Path;
use super::{ApiJson, ApiLang, ApiUser};
use crate::AppState;
use crate::error::ApiError;
use crate::services::preview::{self, PendingChange, Preview};
use crate::services::{amendment, schedule, signing_keys};

#[derive(Serialize, ToSchema)]
pub struct PendingEntry {
    pub registry_number: String,
    /// `added`, `amended` or `excluded`.
    pub change: String,
    pub included_on: String,
    /// Rules §7: five working days from inclusion (from the amendment for an amendment); `null` for an
    /// exclusion, for which the Rules set no period.
    pub publication_due_on: Option<String>,
    #[schema(value_type = Object)]
    pub system_name: LangText,
    /// The reason of an exclusion or of the latest amendment.
    #[schema(value_type = Option<Object>)]
    pub reason: Option<LangText>,
}

impl From<PendingChange> for PendingEntry {
    fn from(p: PendingChange) -> Self {
        PendingEntry {
            change: p.change().to_owned(),
            publication_due_on: p.due_on.map(|d| d.to_string()),
            registry_number: p.entry.registry_number,
            included_on: p.entry.included_on.to_string(),
            system_name: p.entry.entry.system_name,
            reason: p.entry.pending_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FieldChangeOut {
    /// `system_name`, `owner`, `area`, `functionality`, `audit.auditor`, `audit.date`, …
    pub field: String,
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AmendedOut {
    pub registry_number: String,
    #[schema(value_type = Object)]
    pub system_name: LangText,
    pub fields: Vec<FieldChangeOut>,
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<LangText>,
}

#[derive(Serialize, ToSchema)]
pub struct ExcludedOut {
    pub registry_number: String,
    #[schema(value_type = Object)]
    pub system_name: LangText,
    #[schema(value_type = Object)]
    pub reason: LangText,
}

#[derive(Serialize, ToSchema)]
pub struct ChangesOut {
    /// Full entries, as they will be published.
    #[schema(value_type = Vec<Object>)]
    pub added: Vec<Annex2Entry>,
    pub amended: Vec<AmendedOut>,
    pub excluded: Vec<ExcludedOut>,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewOut {
    /// The number the next edition will have.
    pub edition: i64,
    pub current_edition: Option<i64>,
    pub pending: Vec<PendingEntry>,
    /// The entries as they will appear (Annex 2 columns, positions 1..n).
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<Annex2Entry>,
    /// The difference from the current edition.
    pub changes: ChangesOut,
}

impl From<Preview> for PreviewOut {
    fn from(p: Preview) -> Self {
        PreviewOut {
            edition: p.edition,
            current_edition: p.current,
            pending: p.pending.into_iter().map(PendingEntry::from).collect(),
            entries: p.entries,
            changes: ChangesOut {
                added: p.added,
                amended: p
                    .amended
                    .into_iter()
                    .map(|a| AmendedOut {
                        registry_number: a.registry_number,
                        system_name: a.system_name,
                        fields: a
                            .fields
                            .into_iter()
                            .map(|f| FieldChangeOut { field: f.field.to_owned(), before: f.before, after: f.after })
                            .collect(),
                        reasons: a.reasons,
                    })
                    .collect(),
                excluded: p
                    .excluded
                    .into_iter()
                    .map(|x| ExcludedOut {
                        registry_number: x.registry_number,
                        system_name: x.system_name,
                        reason: x.reason,
                    })
                    .collect(),
            },
        }
    }
}

/// Included or changed entries not yet in an edition, with their publication due date (Rules §7).
#[utoipa::path(get, path = "/api/v1/bodies/{code}/pending", tag = "publisher", security(("bearer" = [])),
    params(("code" = String, Path)), responses((status = 200, body = [PendingEntry]), (status = 401), (status = 403)))]
pub async fn pending(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
) -> Result<Json<Vec<PendingEntry>>, ApiError> {
    let pending = preview::pending(&state, &user, &code).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(pending.into_iter().map(PendingEntry::from).collect()))
}

/// The next edition as it would be published now: entries and changes. Nothing is signed or stored.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/editions/preview", tag = "publisher", security(("bearer" = [])),
    params(("code" = String, Path)), responses((status = 200, body = PreviewOut), (status = 401), (status = 403)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
) -> Result<Json<PreviewOut>, ApiError> {
    let p = preview::preview(&state, &user, &code).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(p.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct AmendRequest {
    /// Amended values: `system_name`, `owner`, `area`, `functionality` (language maps) and
    /// `audit: {"auditor", "date", "conclusions"}`. A language map replaces the whole field.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    /// Why, in kk and/or ru.
    #[schema(value_type = Object)]
    pub reason: LangText,
}

#[derive(Serialize, ToSchema)]
pub struct AmendOut {
    pub id: String,
    pub registry_number: String,
    /// The fields that changed.
    pub fields: Vec<String>,
    /// The entry as the next edition will publish it.
    #[schema(value_type = Object)]
    pub entry: Annex2Entry,
}

/// Amends a published entry of the caller's body; takes effect in the next edition (`changes.amended`).
#[utoipa::path(post, path = "/api/v1/bodies/{code}/entries/{registry_number}/amend", tag = "publisher",
    security(("bearer" = [])), params(("code" = String, Path), ("registry_number" = String, Path)),
    request_body = AmendRequest,
    responses((status = 200, body = AmendOut), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn amend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((code, number)): Path<(String, String)>,
    ApiJson(req): ApiJson<AmendRequest>,
) -> Result<Json<AmendOut>, ApiError> {
    let a = amendment::amend(&state, &user, &code, &number, &req.fields, &req.reason, Timestamp::now())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(AmendOut { id: a.id, registry_number: a.registry_number, fields: a.fields, entry: a.after }))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScheduleBody {
    /// Daily publication time `HH:MM`, Asia/Almaty; `null`: off.
    pub at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScheduleOut {
    pub at: Option<String>,
    pub timezone: &'static str,
    /// The last scheduled run: `{"run_on", "outcome", "edition"}`.
    #[schema(value_type = Option<Object>)]
    pub last_run: Option<serde_json::Value>,
}

/// The body's automatic daily publication.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/schedule", tag = "publisher", security(("bearer" = [])),
    params(("code" = String, Path)), responses((status = 200, body = ScheduleOut), (status = 401), (status = 403)))]
pub async fn get_schedule(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
) -> Result<Json<ScheduleOut>, ApiError> {
    let (at, last) = schedule::get(&state, &user, &code).await.map_err(|e| ApiError::from(e).lang(lang))?;
    let last_run = last.map(
        |r| serde_json::json!({"run_on": r.run_on, "ran_at": r.ran_at, "outcome": r.outcome, "edition": r.edition}),
    );
    Ok(Json(ScheduleOut { at, timezone: "Asia/Almaty", last_run }))
}

/// Sets (`{"at": "09:00"}`) or switches off (`{"at": null}`) the body's automatic daily publication.
#[utoipa::path(put, path = "/api/v1/bodies/{code}/schedule", tag = "publisher", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = ScheduleBody,
    responses((status = 200, body = ScheduleOut), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn put_schedule(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<ScheduleBody>,
) -> Result<Json<ScheduleOut>, ApiError> {
    let at = schedule::set(&state, &user, &code, req.at.as_deref()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(ScheduleOut { at, timezone: "Asia/Almaty", last_run: None }))
}

#[derive(Serialize, ToSchema)]
pub struct RotationOut {
    /// The key ids retired now (their `valid_until` is the rotation's instant).
    pub retired: Vec<String>,
    /// The new active key, as listed at `GET /api/v1/keys`.
    #[schema(value_type = Object)]
    pub key: senim_publish::keys::PublicKeyInfo,
}

/// Rotates the edition signing key (administrator): the active key is retired and stays listed; a new
/// key signs the next editions.
#[utoipa::path(post, path = "/api/v1/keys/rotate", tag = "administrator", security(("bearer" = [])),
    responses((status = 201, body = RotationOut), (status = 401), (status = 403)))]
pub async fn rotate_key(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
) -> Result<(StatusCode, Json<RotationOut>), ApiError> {
    use base64::Engine;
    let r = signing_keys::rotate(&state, &user, Timestamp::now()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    let key = senim_publish::keys::PublicKeyInfo {
        key_id: r.key.key_id,
        alg: "Ed25519".into(),
        public_key: base64::engine::general_purpose::STANDARD.encode(&r.key.public_key),
        valid_from: r.key.valid_from,
        valid_until: None,
    };
    Ok((StatusCode::CREATED, Json(RotationOut { retired: r.retired, key })))
}
