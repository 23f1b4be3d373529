//! What the operator sees: a request id on every request and its log lines, and `/metrics` in the
//! Prometheus/OpenMetrics text format.
//!
//! **Request ids.** [`FrameLayer`] keeps a well-formed incoming `X-Request-Id` (1–128 characters of
//! `A-Z a-z 0-9 . _ : -`: what nginx's `$request_id` and UUIDs are; anything else could forge log
//! lines) or makes a UUID, and returns it in the response's `X-Request-Id`. The request's span
//! carries it, so every log line written while the request is served names it; with
//! `SENIM_LOG_JSON=true` it is the field `span.request_id` of each JSON line.
//!
//! **Metrics** (`GET /metrics`, see [`Metrics`]): request latency by route template (`/bodies/{code}`,
//! never the path a reader typed: no registry number, BIN/IIN or token reaches the metrics or the
//! logs) and status class, requests in flight, publication durations and reminders sent (this
//! instance's since start), and, read from the database at each scrape (the same on every instance),
//! the work waiting: applications awaiting a decision, inclusions awaiting publication, and the
//! outbox's backlog. No personal data is in any of them.
//!
//! Who may read `/metrics`: with `SENIM_METRICS_TOKEN` set, whoever sends `Authorization: Bearer
//! TOKEN`; without it, only a client on the loopback interface whose request did not come through a
//! proxy (no `X-Forwarded-For` / `Forwarded`), so a co-located nginx does not open it to the world.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tower::{Layer, Service};
use tracing::Instrument;

use senim_app::metrics::Metrics;

use crate::AppState;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id of the request being served (also in its `x-request-id` header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Whether an incoming request id may be kept as it is.
pub fn well_formed(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The route template a request matched, or `unmatched` (never the raw path).
fn route_of(ext: &Extensions) -> String {
    ext.get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned())
}

/// The method as a metrics label: the common ones by name, anything else `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    }
}

/// What every request passes first and last, in one layer: its request id (kept or made, see
/// [`well_formed`], and returned in `X-Request-Id`); its log span (id, method, route template), so
/// every line logged while it is served names it, and the line logged when it ends (status and
/// latency; ERROR for a 5xx); its latency in the metrics by route template; a panic answered with a
/// 500 (see [`panic_response`]); and the security headers the answer did not set itself
/// ([`crate::headers::HEADERS`]).
///
/// One layer rather than seven (request id, trace, metrics, panics, four headers): the router clones
/// and boxes every layer for every request, and the seven cost a fifth of the List page's time
/// (bench/history.md).
#[derive(Clone)]
pub struct FrameLayer(Arc<Metrics>);

impl FrameLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        FrameLayer(metrics)
    }
}

impl<S> Layer<S> for FrameLayer {
    type Service = Frame<S>;
    fn layer(&self, inner: S) -> Frame<S> {
        Frame { inner, metrics: self.0.clone() }
    }
}

/// The service of [`FrameLayer`].
#[derive(Clone)]
pub struct Frame<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> Service<Request> for Frame<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        // The clone is the one that is not ready yet; the ready one serves this request (tower's rule).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let metrics = self.metrics.clone();
        let incoming =
            req.headers().get(X_REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|s| well_formed(s)).map(str::to_owned);
        let id = incoming.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let value = HeaderValue::from_str(&id).expect("a well-formed id is a header value");
        req.headers_mut().insert(X_REQUEST_ID, value.clone());
        let route = route_of(req.extensions());
        let method = method_label(req.method());
        let span = tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route);
        req.extensions_mut().insert(RequestId(id));
        let started = Instant::now();
        let served = async move {
            let _in_flight = metrics.request_started();
            let answer = AssertUnwindSafe(async move { inner.call(req).await }).catch_unwind().await;
            let mut res = match answer {
                Ok(Ok(res)) => res,
                Err(panic) => panic_response(panic.as_ref(), route.starts_with("/api/")),
            };
            let headers = res.headers_mut();
            for (name, v) in crate::headers::HEADERS {
                if !headers.contains_key(&name) {
                    headers.insert(name, v);
                }
            }
            headers.insert(X_REQUEST_ID, value);
            let latency = started.elapsed();
            let status = res.status();
            metrics.observe_request(method, route, status_class(status), latency.as_secs_f64());
            let latency_ms = latency.as_micros() as f64 / 1000.0;
            if status.is_server_error() {
                tracing::error!(status = status.as_u16(), latency_ms, "finished processing request");
            } else {
                tracing::info!(status = status.as_u16(), latency_ms, "finished processing request");
            }
            Ok(res)
        };
        Box::pin(served.instrument(span))
    }
}

/// The answer to a request whose handler panicked: the panic is logged (in the request's span), the
/// reader gets a plain 500 (problem JSON under `/api/`), never the panic's text.
fn panic_response(panic: &(dyn std::any::Any + Send), api: bool) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(not a string)");
    tracing::error!(panic = message, "handler panicked");
    if api {
        crate::error::ApiError::internal().into_response()
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}

/// Whether this request may read the metrics (see the module's documentation).
fn may_read(token: Option<&str>, headers: &HeaderMap, ext: &Extensions) -> bool {
    if let Some(expected) = token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        return given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes()));
    }
    let proxied = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    let loopback = ext.get::<ConnectInfo<SocketAddr>>().is_some_and(|c| c.0.ip().is_loopback());
    loopback && !proxied
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
pub async fn handler(State(state): State<AppState>, headers: HeaderMap, ext: Extensions) -> Response {
    if !may_read(state.http.metrics_token.as_deref(), &headers, &ext) {
        return (StatusCode::FORBIDDEN, "metrics: loopback only, or Authorization: Bearer SENIM_METRICS_TOKEN\n")
            .into_response();
    }
    match state.metrics.render(&state.store).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_that_could_forge_log_lines_are_replaced() {
        assert!(well_formed("0b6c1f0e-5a8e-4f43-9a52-0d7a1b3c2e10"));
        assert!(well_formed("a1b2c3d4e5f60718293a4b5c6d7e8f90"));
        for bad in ["", "x y", "a\nb", "<script>", &"a".repeat(129), "é"] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_token_is_compared_whole() {
        let mut h = HeaderMap::new();
        let ext = Extensions::new();
        assert!(!may_read(Some("secret"), &h, &ext));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer secre"));
        assert!(!may_read(Some("secret"), &h, &ext));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer secret"));
        assert!(may_read(Some("secret"), &h, &ext));
    }

    #[test]
    fn without_a_token_only_direct_loopback_clients_read() {
        let mut ext = Extensions::new();
        let mut h = HeaderMap::new();
        assert!(!may_read(None, &h, &ext), "no peer known");
        ext.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 5], 4000))));
        assert!(!may_read(None, &h, &ext));
        ext.insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))));
        assert!(may_read(None, &h, &ext));
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(!may_read(None, &h, &ext), "through a proxy on the same host");
    }

    /// Log output captured for one test.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn boom() -> &'static str {
        panic!("the handler's secret")
    }

    /// A router framed as the application's is: an answer, one that sets its own CSP, and panics under
    /// a page path and an API path.
    fn framed(metrics: Arc<Metrics>) -> axum::Router {
        use axum::routing::get;
        axum::Router::new()
            .route("/ok/{n}", get(|| async { "ok" }))
            .route("/own", get(|| async { ([(header::CONTENT_SECURITY_POLICY, "default-src 'self'")], "own") }))
            .route("/boom", get(boom))
            .route("/api/v1/boom", get(boom))
            .layer(FrameLayer::new(metrics))
    }

    async fn send(app: &axum::Router, uri: &str, id: Option<&str>) -> (Response, String) {
        let mut req = axum::http::Request::builder().uri(uri);
        if let Some(id) = id {
            req = req.header(X_REQUEST_ID, id);
        }
        let res = tower::ServiceExt::oneshot(app.clone(), req.body(axum::body::Body::empty()).unwrap()).await.unwrap();
        let (parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        (Response::from_parts(parts, axum::body::Body::empty()), String::from_utf8_lossy(&bytes).into_owned())
    }

    fn header_of<'a>(r: &'a Response, name: &str) -> &'a str {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[tokio::test]
    async fn every_answer_is_framed_logged_and_counted_under_its_request_id() {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let metrics = Arc::new(Metrics::default());
        let app = framed(metrics.clone());

        let (r, body) = send(&app, "/ok/880515300120", Some("nginx-1")).await;
        assert_eq!((r.status(), body.as_str()), (StatusCode::OK, "ok"));
        assert_eq!(header_of(&r, "x-request-id"), "nginx-1", "a well-formed id is kept");
        for (name, value) in crate::headers::HEADERS {
            assert_eq!(r.headers().get(&name), Some(&value), "{name}");
        }
        let (r, _) = send(&app, "/ok/1", Some("bad id")).await;
        assert_eq!(header_of(&r, "x-request-id").len(), 36, "an id that could forge log lines is replaced");

        let (r, _) = send(&app, "/own", None).await;
        assert_eq!(header_of(&r, "content-security-policy"), "default-src 'self'", "an answer's own header is kept");
        assert_eq!(header_of(&r, "x-frame-options"), "DENY");

        // A panic is a 500 with every header, its text only in the log.
        let (r, body) = send(&app, "/boom", Some("boom-page")).await;
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.contains("secret"), "{body}");
        assert_eq!(header_of(&r, "x-request-id"), "boom-page");
        assert_eq!(header_of(&r, "x-content-type-options"), "nosniff");
        let (r, body) = send(&app, "/api/v1/boom", Some("boom-api")).await;
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(header_of(&r, "content-type").starts_with("application/problem+json"), "{body}");
        assert!(!body.contains("secret"), "{body}");

        let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        let line =
            |id: &str, what: &str| logs.lines().find(|l| l.contains(&format!("request_id={id}")) && l.contains(what));
        let ok = line("nginx-1", "finished processing request").unwrap_or_else(|| panic!("{logs}"));
        assert!(ok.contains(" INFO ") && ok.contains("route=/ok/{n}") && ok.contains("status=200"), "{ok}");
        assert!(!logs.contains("880515300120"), "the path typed is never logged: {logs}");
        let panicked = line("boom-page", "handler panicked").unwrap_or_else(|| panic!("{logs}"));
        assert!(panicked.contains("ERROR") && panicked.contains("the handler's secret"), "{panicked}");
        let failed = line("boom-api", "finished processing request").unwrap_or_else(|| panic!("{logs}"));
        assert!(failed.contains("ERROR") && failed.contains("status=500"), "{failed}");

        let text = metrics.text();
        let count = |labels: &str| {
            let start = format!("senim_http_request_duration_seconds_count{{{labels}}} ");
            text.lines().find_map(|l| l.strip_prefix(start.as_str())).map(str::to_owned)
        };
        assert_eq!(count(r#"method="GET",route="/ok/{n}",status="2xx""#).as_deref(), Some("2"), "{text}");
        assert_eq!(count(r#"method="GET",route="/boom",status="5xx""#).as_deref(), Some("1"), "{text}");
        assert!(text.contains("senim_http_requests_in_flight 0"), "{text}");
    }
}
