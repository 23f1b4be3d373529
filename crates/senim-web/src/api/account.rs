//! The applicant's organisation (the Annex 1 applicant block every new application starts from), the
//! PDFs of a round, and an application's timeline.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use senim_domain::application::Applicant;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiPath as Path;
use super::{ApiJson, ApiLang, ApiUser};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::Ctx;
use crate::pages::case::{self, RoundPdf};
use crate::services::{accounts, applications as svc};

#[derive(Serialize, ToSchema)]
pub struct Member {
    pub name: String,
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    pub bin_iin: String,
    /// The applicant block of Annex 1 (`role` is chosen per application and is absent here).
    #[schema(value_type = Object)]
    pub profile: Applicant,
    pub members: Vec<Member>,
    pub updated_at: String,
}

async fn org_view(
    state: &AppState,
    org: senim_store::organisations::Organisation,
) -> Result<OrganisationView, ApiError> {
    let members = senim_store::users::of_org(&state.store, &org.id)
        .await
        .map_err(|_| ApiError::internal())?
        .into_iter()
        .map(|u| Member { name: u.name, email: u.email })
        .collect();
    Ok(OrganisationView { bin_iin: org.bin_iin, profile: org.profile, members, updated_at: org.updated_at })
}

/// The caller's organisation.
#[utoipa::path(get, path = "/api/v1/organisation", tag = "applicant", security(("bearer" = [])),
    responses((status = 200, body = OrganisationView), (status = 401), (status = 404)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<OrganisationView>, ApiError> {
    let org = accounts::organisation_of(&state, &user).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(org_view(&state, org).await?))
}

/// Replaces the organisation's profile; the BIN/IIN does not change. 422 lists format errors.
#[utoipa::path(put, path = "/api/v1/organisation", tag = "applicant", security(("bearer" = [])),
    request_body(content = Object, description = "Annex 1 applicant block"),
    responses((status = 200, body = OrganisationView), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn put_organisation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    ApiJson(profile): ApiJson<Applicant>,
) -> Result<Json<OrganisationView>, ApiError> {
    let org = accounts::save_profile(&state, &user, profile).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(org_view(&state, org).await?))
}

async fn pdf(
    state: &AppState,
    user: &senim_store::users::User,
    id: &str,
    n: i64,
    which: RoundPdf,
    lang: senim_domain::lang::Lang,
) -> Result<Response, ApiError> {
    let app = svc::visible(state, user, id).await?;
    match case::round_pdf(state, &app, n, which, lang).await {
        None => Err(ApiError::not_found().lang(lang)),
        Some(Ok((name, bytes))) => Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response()),
        Some(Err(e)) => {
            tracing::error!(error = %e, "rendering a PDF");
            Err(ApiError::internal())
        }
    }
}

/// The application of a round as submitted, as a filled-in Annex 1 PDF in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/rounds/{n}/annex1.pdf", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path), ("n" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401), (status = 404)))]
pub async fn annex1_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    pdf(&state, &user, &id, n, RoundPdf::Annex1, lang).await
}

/// The notice of nonconformity of a round (Rules §8) as PDF in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/rounds/{n}/notice.pdf", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path), ("n" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401), (status = 404)))]
pub async fn notice_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    pdf(&state, &user, &id, n, RoundPdf::Notice, lang).await
}

/// The preliminary decision of a round (АППК Art. 73) as PDF in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/rounds/{n}/preliminary.pdf", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path), ("n" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401), (status = 404)))]
pub async fn preliminary_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    pdf(&state, &user, &id, n, RoundPdf::Preliminary, lang).await
}

/// The decision to include (Rules §7), an administrative act, as PDF in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/rounds/{n}/decision.pdf", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path), ("n" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401), (status = 404)))]
pub async fn decision_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    pdf(&state, &user, &id, n, RoundPdf::Inclusion, lang).await
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    /// Kazakhstan time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub text: String,
}

/// Every round, decision and notice of an application, oldest first, in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/timeline", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = [EventView]), (status = 401), (status = 404)))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<Json<Vec<EventView>>, ApiError> {
    let app = svc::visible(&state, &user, &id).await?;
    let p = Ctx { lang, user: Some(user), path: String::new() };
    let events = case::timeline(&p, &state, &app.id).await;
    Ok(Json(events.into_iter().map(|e| EventView { at: e.at, text: e.text }).collect()))
}
