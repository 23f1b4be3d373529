//! The layers every request passes: sessions, rate limits, CSRF, security headers, size limits, panics caught,
//! metrics, and a request id with its log span (see [`crate::telemetry`]).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use senim_store::sessions::DbSessionStore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::AppState;
use crate::services::applications::MAX_UPLOAD_BYTES;

/// No inline scripts or styles anywhere: pages work without JavaScript and style from `/static`.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

pub fn wrap(router: Router<AppState>, state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name("senim_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8)));
    let header = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
    };
    let limits = crate::rate_limit::Limiters::new(&state.config);
    router
        .layer(sessions)
        // Before sessions are loaded: a flood of sign-ins costs no database work (see rate_limit.rs).
        .layer(axum::middleware::from_fn_with_state(limits, crate::rate_limit::enforce))
        // Cross-site form posts are refused by Origin / Sec-Fetch-Site (tower-http's csrf layer);
        // API clients without those headers authenticate with a bearer token instead of a cookie.
        .layer(CsrfLayer::new())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
        .layer(header("content-security-policy", CSP))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "same-origin"))
        .layer(header("x-frame-options", "DENY"))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.metrics.clone(), crate::telemetry::track))
        // One span per request carrying its id (so every log line of the request names it), and one
        // INFO line when it ends with the status and latency.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(axum::middleware::from_fn(crate::telemetry::request_id))
        .with_state(state)
}
