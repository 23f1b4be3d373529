//! Errors as the client sees them: RFC 9457 problem JSON for the API, a translated page for browsers.
//! Internal details are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_domain::application::FieldError;
use senim_domain::lang::Lang;
use serde::Serialize;

use crate::i18n;

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Machine-readable kind, the last segment of the problem `type`.
    pub kind: &'static str,
    pub lang: Lang,
    pub errors: Vec<FieldError>,
    pub detail: Option<String>,
}

#[derive(Serialize)]
struct Problem {
    #[serde(rename = "type")]
    type_: String,
    title: String,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField>,
}

#[derive(Serialize)]
struct ProblemField {
    field: String,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str) -> Self {
        ApiError { status, kind, lang: Lang::Kk, errors: Vec::new(), detail: None }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found")
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden")
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized")
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request").detail(detail)
    }
    pub fn conflict(kind: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, kind)
    }
    pub fn validation(errors: Vec<FieldError>) -> Self {
        ApiError { errors, ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation") }
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

impl From<crate::services::ServiceError> for ApiError {
    fn from(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError as S;
        match e {
            S::NotFound => ApiError::not_found(),
            S::Forbidden => ApiError::forbidden(),
            S::Invalid(errors) => ApiError::validation(errors),
            S::State(code) => ApiError::conflict("state").detail(code),
            S::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let lang = self.lang;
        let problem = Problem {
            type_: format!("https://senim.kz/problems/{}", self.kind),
            title: i18n::t(lang, &format!("problem-{}", self.kind)),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self
                .errors
                .into_iter()
                .map(|e| ProblemField { message: i18n::error_message(lang, e.code), field: e.field, code: e.code })
                .collect(),
        };
        let mut res = (self.status, Json(problem)).into_response();
        res.headers_mut().insert("content-type", "application/problem+json".parse().expect("static header"));
        res
    }
}
