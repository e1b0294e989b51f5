//! The bot's HTTP server (one, on `HTTP_ADDR`, in both modes): `/healthz`, `/metrics`,
//! `/ics/<secret>.ics`, the Mini App at `/app/` and, in webhook mode, the webhook endpoint at
//! `WEBHOOK_URL`'s path.

pub mod ics;
pub mod metrics;
pub mod webapp;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// How long `/healthz` waits for the database before calling it down.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// What the handlers share.
#[derive(Clone)]
pub struct HttpState {
    pub db: DatabaseConnection,
    /// Present in webhook mode.
    pub webhook: Option<Arc<webhook::Webhook>>,
    /// The Mini App's context.
    pub webapp: Arc<webapp::WebApp>,
}

/// The routes. `webhook_path` is the path of `WEBHOOK_URL` (webhook mode only).
pub fn router(state: HttpState) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/ics/{file}", get(ics::serve));
    if let Some(webhook) = &state.webhook {
        router = router.route(webhook.path(), post(webhook::receive));
    }
    router
        .merge(webapp::router(Arc::clone(&state.webapp)))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        .with_state(state)
}

/// 200 `ok` when the database answers `SELECT 1` within two seconds, 503 otherwise.
async fn healthz(State(state): State<HttpState>) -> Response {
    let probe = state.db.execute_unprepared("SELECT 1");
    match tokio::time::timeout(HEALTH_TIMEOUT, probe).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok").into_response(),
        Ok(Err(err)) => {
            crate::storage::report_failure();
            tracing::warn!(%err, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics_text(State(state): State<HttpState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&state.db).await,
    )
        .into_response()
}
