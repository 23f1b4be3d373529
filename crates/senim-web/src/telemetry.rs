//! What the operator sees: a request id on every request and its log lines, and `/metrics` in the
//! Prometheus/OpenMetrics text format.
//!
//! **Request ids.** [`request_id`] keeps a well-formed incoming `X-Request-Id` (1–128 characters of
//! `A-Z a-z 0-9 . _ : -`: what nginx's `$request_id` and UUIDs are; anything else could forge log
//! lines) or makes a UUID, and returns it in the response's `X-Request-Id`. The trace layer's span
//! (see [`span`]) carries it, so every log line written while the request is served names it; with
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

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

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

/// Gives the request its id (kept or made), and the response the same `X-Request-Id`.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let incoming = req.headers().get(X_REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|s| well_formed(s));
    let id = incoming.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let value = HeaderValue::from_str(&id).expect("a well-formed id is a header value");
    req.headers_mut().insert(X_REQUEST_ID, value.clone());
    req.extensions_mut().insert(RequestId(id));
    let mut res = next.run(req).await;
    res.headers_mut().insert(X_REQUEST_ID, value);
    res
}

/// The route template a request matched, or `unmatched` (never the raw path).
fn route_of(ext: &Extensions) -> String {
    ext.get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned())
}

/// The span of one request: its id, method and route template; the status and latency are logged
/// when it ends (`tower_http::trace`, at INFO).
pub fn span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req.headers().get(X_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route_of(req.extensions()))
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    /// `2xx`, `3xx`, `4xx`, `5xx`.
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    state: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 16.0])
}

fn publication_histogram() -> Histogram {
    // Publishing renders every artifact of the List: 50 ms for a few entries, minutes for 100k.
    Histogram::new([0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0])
}

/// This instance's metrics and the gauges filled from the database at each scrape.
pub struct Metrics {
    registry: Registry,
    http: HistogramFamily<HttpLabels>,
    in_flight: Gauge<i64, AtomicI64>,
    publications: Histogram,
    reminders: Counter,
    reminder_messages: Counter,
    queues: Family<QueueLabels, Gauge<i64, AtomicI64>>,
    outbox: Family<OutboxLabels, Gauge<i64, AtomicI64>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("senim");
        let http: HistogramFamily<HttpLabels> = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to the response's head, by method, route template and status class",
            http.clone(),
        );
        let in_flight = Gauge::<i64, AtomicI64>::default();
        registry.register("http_requests_in_flight", "Requests being served by this instance", in_flight.clone());
        let publications = publication_histogram();
        registry.register(
            "publication_duration_seconds",
            "Time this instance took to publish an edition (read, render, sign, store)",
            publications.clone(),
        );
        let reminders = Counter::default();
        registry.register("reminders", "Deadline reminders claimed and queued by this instance", reminders.clone());
        let reminder_messages = Counter::default();
        registry.register(
            "reminder_messages",
            "E-mails queued by this instance for deadline reminders",
            reminder_messages.clone(),
        );
        let queues = Family::<QueueLabels, Gauge<i64, AtomicI64>>::default();
        registry.register(
            "queue_depth",
            "Work waiting, all bodies: awaiting_decision (applications), awaiting_publication (inclusions)",
            queues.clone(),
        );
        let outbox = Family::<OutboxLabels, Gauge<i64, AtomicI64>>::default();
        registry.register(
            "outbox_messages",
            "Unsent e-mails: queued (not tried or being sent), failed (will retry), given_up",
            outbox.clone(),
        );
        Metrics { registry, http, in_flight, publications, reminders, reminder_messages, queues, outbox }
    }
}

impl Metrics {
    /// Records the time one published edition took.
    pub fn observe_publication(&self, started: Instant) {
        self.publications.observe(started.elapsed().as_secs_f64());
    }

    /// Counts the reminders (and their e-mails) one run queued.
    pub fn reminders_sent(&self, reminders: usize, messages: usize) {
        self.reminders.inc_by(reminders as u64);
        self.reminder_messages.inc_by(messages as u64);
    }

    /// The text exposition, after refreshing the database gauges.
    pub async fn render(&self, store: &senim_store::Store) -> Result<String, senim_store::StoreError> {
        let d = senim_store::gauges::depths(store).await?;
        self.queues.get_or_create(&QueueLabels { queue: "awaiting_decision" }).set(d.awaiting_decision);
        self.queues.get_or_create(&QueueLabels { queue: "awaiting_publication" }).set(d.awaiting_publication);
        self.outbox.get_or_create(&OutboxLabels { state: "queued" }).set(d.outbox_queued);
        self.outbox.get_or_create(&OutboxLabels { state: "failed" }).set(d.outbox_failed);
        self.outbox.get_or_create(&OutboxLabels { state: "given_up" }).set(d.outbox_given_up);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).expect("writing to a String");
        Ok(out)
    }
}

/// Decrements the in-flight gauge however the request ends (a dropped connection included).
struct InFlight<'a>(&'a Gauge<i64, AtomicI64>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Times every request by its route template (a layer of the router, so [`MatchedPath`] is known).
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = route_of(req.extensions());
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "other".to_owned(),
    };
    metrics.in_flight.inc();
    let _guard = InFlight(&metrics.in_flight);
    let started = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    metrics.http.get_or_create(&HttpLabels { method, route, status }).observe(started.elapsed().as_secs_f64());
    res
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
    if !may_read(state.config.metrics_token.as_deref(), &headers, &ext) {
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
}
