//! Prometheus metrics: what is recorded where, and `/metrics`' text exposition.
//!
//! The `metrics` facade has one process-wide recorder; [`handle`] installs the Prometheus
//! recorder on first use (several `App`s in one test process share it, so tests compare
//! counters before and after, never absolute values).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

/// Updates handled, by kind (`message`, `callback_query`, …).
pub const UPDATES: &str = "sgb_updates_total";
/// Seconds from taking an update to having handled it.
pub const HANDLER_SECONDS: &str = "sgb_update_handler_seconds";
/// Bot API requests sent (every attempt, retries included).
pub const API_REQUESTS: &str = "sgb_bot_api_requests_total";
/// Bot API requests that failed (every failed attempt).
pub const API_ERRORS: &str = "sgb_bot_api_errors_total";
/// Bot API answers 429 Too Many Requests.
pub const API_RETRY_AFTER: &str = "sgb_bot_api_429_total";
/// Notifications waiting in the outbox.
pub const OUTBOX_DEPTH: &str = "sgb_outbox_depth";
/// Age in seconds of the oldest notification waiting in the outbox.
pub const OUTBOX_OLDEST_AGE: &str = "sgb_outbox_oldest_age_seconds";
/// Webhook updates stored in the inbox and not handled yet.
pub const INBOX_PENDING: &str = "sgb_inbox_pending";
/// SQL statements the bot's database pools executed (see [`db_statement`] for what counts).
pub const DB_STATEMENTS: &str = "sgb_db_statements_total";

const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// A scrape does not wait longer than this for a gauge read from the database.
const GAUGE_QUERY_TIMEOUT: Duration = Duration::from_secs(1);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's Prometheus recorder, installed on first call. `None` if another recorder was
/// installed first (then `/metrics` is empty; nothing else changes).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HANDLER_SECONDS.to_owned()), &LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            match metrics::set_global_recorder(recorder) {
                Ok(()) => {
                    describe();
                    Some(handle)
                }
                Err(_) => {
                    tracing::warn!("another metrics recorder is installed; /metrics stays empty");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(UPDATES, "Telegram updates handled, by kind");
    metrics::describe_counter!(
        crate::uow::RETRIES,
        "Units of work run again after a conflict (serialization failure, deadlock, busy, unique)"
    );
    metrics::describe_histogram!(
        HANDLER_SECONDS,
        metrics::Unit::Seconds,
        "Time to handle one update"
    );
    metrics::describe_counter!(API_REQUESTS, "Bot API requests (every attempt)");
    metrics::describe_counter!(API_ERRORS, "Bot API requests that failed (every attempt)");
    metrics::describe_counter!(API_RETRY_AFTER, "Bot API answers 429 Too Many Requests");
    metrics::describe_gauge!(OUTBOX_DEPTH, "Notifications waiting in the outbox");
    metrics::describe_gauge!(
        OUTBOX_OLDEST_AGE,
        metrics::Unit::Seconds,
        "Age of the oldest notification waiting in the outbox"
    );
    metrics::describe_gauge!(INBOX_PENDING, "Webhook updates stored and not handled yet");
    metrics::describe_counter!(
        DB_STATEMENTS,
        "SQL statements executed (BEGIN, COMMIT and ROLLBACK not counted)"
    );
}

/// One update handled.
pub fn update_handled(kind: &'static str, took: Duration) {
    metrics::counter!(UPDATES, "kind" => kind).increment(1);
    metrics::histogram!(HANDLER_SECONDS).record(took.as_secs_f64());
}

/// One SQL statement executed, failed ones included; installed on every pool by
/// [`crate::storage::connect`] as sea-orm's metric callback.
///
/// sea-orm calls the callback for the statements it runs with `execute`, `query_one`,
/// `query_all` and streams, in a transaction or not: every query the bot builds through
/// sea-orm. It does not call it for what sqlx runs itself: `BEGIN` (SQLite's
/// `BEGIN IMMEDIATE` too), `COMMIT`, `ROLLBACK`, savepoints, the pool's pings
/// (`storage::connect`'s check of a connection idle for a while) and connection set-up; nor
/// for `execute_unprepared` (only `/healthz`' `SELECT 1` uses it). A transaction of three
/// queries therefore counts three, not five. The `/metrics` scrape's own gauge queries (the
/// outbox and inbox counts) are counted like any other.
pub fn db_statement() {
    metrics::counter!(DB_STATEMENTS).increment(1);
}

/// One Bot API request attempt and how it ended.
pub fn api_request(result: Result<(), &teloxide::RequestError>) {
    metrics::counter!(API_REQUESTS).increment(1);
    if let Err(err) = result {
        metrics::counter!(API_ERRORS).increment(1);
        if matches!(err, teloxide::RequestError::RetryAfter(_)) {
            metrics::counter!(API_RETRY_AFTER).increment(1);
        }
    }
}

/// Depth of a queue and the age of its oldest item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueStats {
    pub depth: u64,
    pub oldest_age: Duration,
}

/// The outbox's depth (notifications due and not sent yet) and the age of the oldest, for the
/// [`OUTBOX_DEPTH`] and [`OUTBOX_OLDEST_AGE`] gauges; `None` if the database does not answer.
pub async fn outbox_stats(db: &DatabaseConnection) -> Option<QueueStats> {
    let stats = crate::notifications::outbox::outbox_stats(db, chrono::Utc::now());
    match tokio::time::timeout(GAUGE_QUERY_TIMEOUT, stats).await {
        Ok(Ok(stats)) => Some(QueueStats {
            depth: stats.due,
            oldest_age: Duration::from_secs(u64::try_from(stats.oldest_due_age_secs).unwrap_or(0)),
        }),
        Ok(Err(err)) => {
            tracing::warn!(%err, "metrics: cannot read the outbox");
            None
        }
        Err(_) => None,
    }
}

/// Refreshes the gauges that are read from the database, then renders the text exposition.
pub async fn render(db: &DatabaseConnection) -> String {
    let Some(handle) = handle() else {
        return String::new();
    };
    let outbox = outbox_stats(db).await;
    #[allow(clippy::cast_precision_loss)] // a queue of 2^53 items is not a concern
    {
        let depth = outbox.map_or(0, |stats| stats.depth);
        metrics::gauge!(OUTBOX_DEPTH).set(depth as f64);
        let age = outbox.map_or(0.0, |stats| stats.oldest_age.as_secs_f64());
        metrics::gauge!(OUTBOX_OLDEST_AGE).set(age);
        let pending = crate::telegram::inbox::pending(db);
        if let Ok(Ok(pending)) = tokio::time::timeout(GAUGE_QUERY_TIMEOUT, pending).await {
            metrics::gauge!(INBOX_PENDING).set(pending as f64);
        }
    }
    handle.render()
}
