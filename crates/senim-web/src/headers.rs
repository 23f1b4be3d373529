//! The security headers every answer carries (set by [`crate::telemetry::FrameLayer`] unless the answer
//! sets its own).

use axum::http::{HeaderName, HeaderValue};

/// No inline scripts or styles anywhere: pages work without JavaScript and style from `/static`.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// Set on every answer that does not set its own (see [`crate::telemetry::FrameLayer`]).
pub const HEADERS: [(HeaderName, HeaderValue); 4] = [
    (HeaderName::from_static("content-security-policy"), HeaderValue::from_static(CSP)),
    (HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff")),
    (HeaderName::from_static("referrer-policy"), HeaderValue::from_static("same-origin")),
    (HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY")),
];
