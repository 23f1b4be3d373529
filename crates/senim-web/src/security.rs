//! The layers every request passes: sessions, rate limits, CSRF, security headers, size limits, panics caught,
//! metrics, and a request id with its log span (see [`crate::telemetry`]).

use crate::sessions::DbSessionStore;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::csrf::CsrfLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::AppState;
use crate::services::applications::MAX_UPLOAD_BYTES;

pub use crate::headers::{CSP, HEADERS};

pub fn wrap(router: Router<AppState>, state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name("senim_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.http.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8)));
    let limits = crate::rate_limit::Limiters::new(&state.http);
    router
        .layer(sessions)
        // Before sessions are loaded: a flood of sign-ins costs no database work (see rate_limit.rs).
        .layer(axum::middleware::from_fn_with_state(limits, crate::rate_limit::enforce))
        // Cross-site form posts are refused by Origin / Sec-Fetch-Site (tower-http's csrf layer);
        // API clients without those headers authenticate with a bearer token instead of a cookie.
        .layer(CsrfLayer::new())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
        // Outermost: request id, log span and line, metrics, panics, security headers (see telemetry).
        .layer(crate::telemetry::FrameLayer::new(state.metrics.clone()))
        .with_state(state)
}
