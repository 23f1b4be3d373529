//! This instance's metrics (served at `GET /metrics` by `senim-web`'s telemetry): request latency by
//! route template and status class and requests in flight (recorded by the HTTP layer), publication
//! durations and reminders sent (recorded by the workflows), and, read from the database at each
//! scrape, the work waiting. No personal data is in any of them.

use std::sync::atomic::AtomicI64;
use std::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    route: String,
    /// `2xx`, `3xx`, `4xx`, `5xx`.
    status: &'static str,
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
    /// Counts a request in flight until the guard is dropped (however the request ends).
    #[inline]
    pub fn request_started(&self) -> InFlight<'_> {
        self.in_flight.inc();
        InFlight(&self.in_flight)
    }

    /// Records one answered request: its method, route template (never the typed path), status class
    /// (`2xx`…) and time to the response's head.
    #[inline]
    pub fn observe_request(&self, method: &'static str, route: String, status: &'static str, seconds: f64) {
        self.http.get_or_create(&HttpLabels { method, route, status }).observe(seconds);
    }

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
        Ok(self.text())
    }

    /// The text exposition as the counters stand (no database gauges refreshed).
    pub fn text(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).expect("writing to a String");
        out
    }
}

/// Decrements the in-flight gauge however the request ends (a dropped connection included).
pub struct InFlight<'a>(&'a Gauge<i64, AtomicI64>);

impl Drop for InFlight<'_> {
    #[inline]
    fn drop(&mut self) {
        self.0.dec();
    }
}
