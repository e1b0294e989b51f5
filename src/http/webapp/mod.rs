//! The Mini App: the group's week, one's places in queues and the topic lists as a page inside
//! Telegram, served at `/app/` by the bot's own HTTP server.
//!
//! ```text
//! GET  /app/                         the page: one HTML document, its CSS and JS inlined
//! GET  /app/api/me                   who opened it: group, role, the page's texts
//! GET  /app/api/week?date=…          the week holding the date (today by default)
//! GET  /app/api/queues               the queues one stands in or may join, with the place
//! POST /app/api/queues/{id}/join|leave|next
//! GET  /app/api/topics               the topic lists, free and taken at a glance
//! GET  /app/api/topics/{list}/distribution     (leader and assistants)
//! POST /app/api/topics/pick/{topic}, /app/api/topics/{list}/unpick
//! ```
//!
//! Every API call carries the launch data Telegram gave the page (`Authorization: tma
//! <initData>`), checked by [`init_data`] before anything else: missing, forged or stale is a
//! bare 401. The user's id comes from that data only. Reads take a `Viewer`; changes run the
//! same use cases through the same unit of work as the chat's buttons (`Ctx::write`: the
//! permission read inside the transaction, the change log, the notices, the live messages).

mod api;
pub mod init_data;
mod week;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::telegram::Ctx;
use init_data::LaunchKey;

/// The page: markup, style and script in one response (one round trip, nothing else to load
/// but Telegram's own script). Its API calls are relative (`api/…`), so the page works under
/// a `PUBLIC_URL` with a path prefix.
const PAGE: &str = concat!(
    include_str!("page/head.html"),
    "<style>",
    include_str!("page/app.css"),
    "</style>",
    include_str!("page/body.html"),
    "<script>",
    include_str!("page/app.js"),
    "</script></body></html>\n"
);

/// What the page may load and call: its own inlined script and style, Telegram's script, its
/// own API — nothing else.
const POLICY: &str = "default-src 'none'; script-src 'unsafe-inline' https://telegram.org; \
     style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'";

/// What the Mini App's handlers share: the bot's context (database, clock, Bot API for the
/// reactions after a change) and the key launch data is checked with.
pub struct WebApp {
    pub(crate) ctx: Ctx,
    key: LaunchKey,
}

impl WebApp {
    pub fn new(ctx: Ctx, bot_token: &str) -> Self {
        Self {
            ctx,
            key: LaunchKey::new(bot_token),
        }
    }
}

/// The user a checked launch names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller(pub i64);

/// The Mini App's routes, under `/app`.
pub fn router<S: Clone + Send + Sync + 'static>(app: Arc<WebApp>) -> Router<S> {
    let api = Router::new()
        .route("/me", get(api::me))
        .route("/week", get(week::week))
        .route("/queues", get(api::queues))
        .route("/queues/{queue}/{action}", post(api::queue_action))
        .route("/topics", get(api::topics))
        .route("/topics/{list}/distribution", get(api::distribution))
        .route("/topics/pick/{topic}", post(api::pick))
        .route("/topics/{list}/unpick", post(api::unpick))
        .fallback(|| async { api::ApiError::NotFound.into_response() })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            authenticate,
        ))
        .with_state(Arc::clone(&app));
    Router::new()
        .route("/app/", get(page))
        .route(
            "/app",
            // Relative, so that a proxy serving the bot under a path prefix keeps it.
            get(|| async { (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, "app/")]) }),
        )
        .nest("/app/api", api)
}

async fn page() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
        ],
        PAGE,
    )
        .into_response()
}

/// Every API call: the launch data checked before the handler runs; refused → 401 and
/// nothing else.
async fn authenticate(
    State(app): State<Arc<WebApp>>,
    mut request: Request,
    next: Next,
) -> Response {
    match caller(&app, request.headers()) {
        Some(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        None => api::ApiError::Unauthorized.into_response(),
    }
}

fn caller(app: &WebApp, headers: &HeaderMap) -> Option<Caller> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let raw = value.to_str().ok()?.strip_prefix("tma ")?;
    match app.key.check(raw, app.ctx.notifier.now()) {
        Ok(launch) => Some(Caller(launch.user_id)),
        Err(why) => {
            tracing::debug!(%why, "mini app: launch data refused");
            None
        }
    }
}
