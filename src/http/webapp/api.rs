//! The Mini App's JSON: who opened it, their queues and topic lists, and the changes the page
//! makes — each the use case a chat button runs, through `Ctx::write`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Caller, WebApp};
use crate::members::service::{AccessError, Viewer};
use crate::queues::{fair, places, service as queues};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::toast;
use crate::telegram::{Args, Locale};
use crate::topics::{preferences, reads as topics, service as topic_service};

/// What a call comes to when it does not succeed. Bodies name the case only: nothing of
/// another group, and nothing at all to a caller without valid launch data.
#[derive(Debug)]
pub enum ApiError {
    /// Launch data missing, forged or stale.
    Unauthorized,
    /// The request itself is malformed (a query the API does not know).
    BadRequest,
    /// The user is in no group (yet).
    NotInGroup,
    /// No such thing in the user's group (another group's ids look the same).
    NotFound,
    /// The user's role does not allow it.
    Forbidden,
    /// A rule said no; the message is the chat's, in the user's language.
    Refused(String),
    /// The database failed: try again.
    Unavailable,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"})),
            ApiError::BadRequest => (StatusCode::BAD_REQUEST, json!({"error": "bad_request"})),
            ApiError::NotInGroup => (StatusCode::FORBIDDEN, json!({"error": "not_in_group"})),
            ApiError::NotFound => (StatusCode::NOT_FOUND, json!({"error": "not_found"})),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, json!({"error": "forbidden"})),
            ApiError::Refused(message) => (
                StatusCode::CONFLICT,
                json!({"error": "refused", "message": message}),
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "unavailable"}),
            ),
        };
        (status, Json(body)).into_response()
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        crate::storage::report_failure();
        tracing::warn!(%err, "mini app: database failure");
        ApiError::Unavailable
    }
}

impl From<AccessError> for ApiError {
    fn from(err: AccessError) -> Self {
        match err {
            AccessError::NotInGroup => ApiError::NotInGroup,
            AccessError::Forbidden => ApiError::Forbidden,
            AccessError::Db(err) => err.into(),
        }
    }
}

/// A refusal told in the user's language, as plain text.
fn refused(err: impl UserFacing, locale: Locale) -> ApiError {
    match err.user_message(locale) {
        Ok(text) => ApiError::Refused(toast(&text)),
        Err(_) => ApiError::Unavailable,
    }
}

pub(super) fn queue_error(err: queues::QueueError, locale: Locale) -> ApiError {
    use queues::QueueError as E;
    match err {
        E::NotFound | E::EventNotFound | E::ParticipantNotFound => ApiError::NotFound,
        E::Access(err) => err.into(),
        E::Db(err) => err.into(),
        other => refused(other, locale),
    }
}

fn topic_error(err: topic_service::TopicError, locale: Locale) -> ApiError {
    use topic_service::TopicError as E;
    match err {
        E::NotFound | E::EventNotFound => ApiError::NotFound,
        E::Access(err) => err.into(),
        E::Db(err) => err.into(),
        other => refused(other, locale),
    }
}

/// The caller's group, role and zone, and their language.
pub(super) async fn looker(app: &WebApp, caller: Caller) -> Result<(Viewer, Locale), ApiError> {
    let db = &app.ctx.db;
    let viewer = crate::members::service::viewer(db, caller.0).await?;
    let locale = crate::telegram::session::locale_of(db, caller.0).await?;
    Ok((viewer, locale))
}

/// A path segment that must be an id; anything else is "no such thing".
fn id(raw: &str) -> Result<Uuid, ApiError> {
    if raw.len() != 36 {
        return Err(ApiError::NotFound);
    }
    Uuid::try_parse(raw).map_err(|_| ApiError::NotFound)
}

fn role_name(viewer: &Viewer) -> &'static str {
    match viewer.role {
        crate::members::Role::Leader => "leader",
        crate::members::Role::Assistant => "assistant",
        crate::members::Role::Member => "member",
    }
}

/// The page's own words, in the user's language.
const LABELS: [(&str, &str); 22] = [
    ("week", "webapp-tab-week"),
    ("queues", "webapp-tab-queues"),
    ("topics", "webapp-tab-topics"),
    ("this_week", "webapp-this-week"),
    ("next_week", "webapp-next-week"),
    ("prev_week", "webapp-prev-week"),
    ("today", "webapp-today"),
    ("no_classes", "webapp-no-classes"),
    ("room", "webapp-room"),
    ("teacher", "webapp-teacher"),
    ("homework", "webapp-homework"),
    ("homework_none", "webapp-homework-none"),
    ("join", "webapp-join"),
    ("leave", "webapp-leave"),
    ("next", "webapp-next"),
    ("no_queues", "webapp-no-queues"),
    ("no_topics", "webapp-no-topics"),
    ("pick", "webapp-pick"),
    ("unpick", "webapp-unpick"),
    ("distribution", "webapp-distribution"),
    ("without", "webapp-without"),
    ("not_in_group", "webapp-not-in-group"),
];

/// `GET /app/api/me`: who opened the page.
pub async fn me(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    let db = &app.ctx.db;
    let locale = crate::telegram::session::locale_of(db, caller.0).await?;
    let labels: serde_json::Map<String, Value> = LABELS
        .iter()
        .map(|(key, id)| ((*key).to_owned(), Value::String(locale.text(id))))
        .collect();
    let group = match crate::members::service::viewer(db, caller.0).await {
        Ok(viewer) => {
            let subgroup = crate::timetable::service::viewer(db, caller.0)
                .await
                .ok()
                .and_then(|v| v.subgroup)
                .map(u8::from);
            json!({
                "id": viewer.group_id,
                "name": viewer.group_name,
                "role": role_name(&viewer),
                "can_manage": viewer.role.can_manage(),
                "subgroup": subgroup,
                "timezone": viewer.tz.name(),
            })
        }
        Err(AccessError::NotInGroup) => Value::Null,
        Err(err) => return Err(err.into()),
    };
    Ok(Json(json!({
        "user_id": caller.0,
        "language": locale.code(),
        "group": group,
        "labels": labels,
    })))
}

/// `GET /app/api/queues`: the queues the user stands in (with the place) and those open to
/// join.
pub async fn queues(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    let (viewer, locale) = looker(&app, caller).await?;
    let mine = places::mine(&app.ctx.db, &viewer, app.ctx.notifier.now())
        .await
        .map_err(|err| queue_error(err, locale))?;
    let queues: Vec<Value> = mine
        .iter()
        .map(|q| {
            let place = q.place.map(|(position, of)| {
                let args = Args::new()
                    .num("position", i64::from(position))
                    .num("count", i64::from(of));
                json!({
                    "position": position,
                    "of": of,
                    "text": locale.text_with("webapp-your-place", &args),
                })
            });
            json!({
                "id": q.queue_id,
                "title": q.title,
                "event": q.event_title,
                "date": q.event_date.format("%d.%m").to_string(),
                "length": q.length,
                "length_text": locale.text_with("webapp-queue-length", &Args::new().num("count", i64::from(q.length))),
                "place": place,
            })
        })
        .collect();
    Ok(Json(json!({
        "can_manage": viewer.role.can_manage(),
        "queues": queues,
    })))
}

/// `POST /app/api/queues/{queue}/{join|leave|next}`: the chat's buttons, same use cases.
pub async fn queue_action(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
    Path((queue, action)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let queue = id(&queue)?;
    let ctx = &app.ctx;
    let locale = crate::telegram::session::locale_of(&ctx.db, caller.0).await?;
    let user = caller.0;
    let done = |err| queue_error(err, locale);
    let (template, args) = match action.as_str() {
        "join" => {
            let joined = ctx
                .write(user, |uow| Box::pin(queues::join(uow, queue)))
                .await
                .map_err(done)?;
            let position = i64::from(joined.position);
            ("queue-joined-toast", Args::new().num("position", position))
        }
        "leave" => {
            let left = ctx
                .write(user, |uow| Box::pin(queues::leave(uow, queue)))
                .await
                .map_err(done)?;
            let position = i64::from(left.position);
            ("queue-left-toast", Args::new().num("position", position))
        }
        "next" => {
            let served = ctx
                .write(user, |uow| Box::pin(fair::next(uow, queue)))
                .await
                .map_err(done)?;
            ("queue-next-toast", Args::new().plain("name", &served.name))
        }
        _ => return Err(ApiError::NotFound),
    };
    let message = locale.text_with(template, &args);
    Ok(Json(json!({ "message": toast(&message) })))
}

/// `GET /app/api/topics`: the lists one picked from or may pick from, each topic free or
/// taken.
pub async fn topics(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    let (viewer, locale) = looker(&app, caller).await?;
    let (db, now) = (&app.ctx.db, app.ctx.notifier.now());
    let mine = topics::mine(db, &viewer, now)
        .await
        .map_err(|err| topic_error(err, locale))?;
    let mut lists = Vec::with_capacity(mine.len());
    for entry in mine {
        let mut browser = topics::browse(db, &viewer, entry.list_id)
            .await
            .map_err(|err| topic_error(err, locale))?;
        if preferences::allocation_due(&browser.list, now) {
            // As the chat does: the first look after the deadline assigns the topics.
            let list = entry.list_id;
            app.ctx
                .write(caller.0, |uow| Box::pin(preferences::settle(uow, list)))
                .await
                .map_err(|err| topic_error(err, locale))?;
            browser = topics::browse(db, &viewer, list)
                .await
                .map_err(|err| topic_error(err, locale))?;
        }
        let capacity = u32::try_from(browser.list.max_participants_per_topic).unwrap_or(0);
        let topics: Vec<Value> = browser
            .topics
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "title": t.title,
                    "taken": t.taken,
                    "free": t.taken < capacity,
                    "mine": t.mine.is_some(),
                    "confirmed": t.mine == Some(true),
                })
            })
            .collect();
        lists.push(json!({
            "id": browser.list.id,
            "title": browser.list.title,
            "event": browser.event.title,
            "date": browser.event.event_date.format("%d.%m").to_string(),
            "capacity": capacity,
            "collecting": preferences::collecting(&browser.list, now),
            "pick": browser.my_pick().map(|(title, confirmed)| json!({"title": title, "confirmed": confirmed})),
            "topics": topics,
        }));
    }
    Ok(Json(json!({
        "can_manage": viewer.role.can_manage(),
        "lists": lists,
    })))
}

/// `GET /app/api/topics/{list}/distribution`: who took which topic (leader and assistants).
pub async fn distribution(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
    Path(list): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let list = id(&list)?;
    let (_, locale) = looker(&app, caller).await?;
    let found = topics::distribution(&app.ctx.db, caller.0, list)
        .await
        .map_err(|err| topic_error(err, locale))?;
    let topics: Vec<Value> = found
        .topics
        .iter()
        .map(|t| {
            let picks: Vec<Value> = t
                .picks
                .iter()
                .map(|p| json!({"name": p.name, "confirmed": p.confirmed}))
                .collect();
            json!({"title": t.title, "picks": picks})
        })
        .collect();
    Ok(Json(json!({"topics": topics, "without": found.without})))
}

/// `POST /app/api/topics/pick/{topic}`: the chat's pick, same use case.
pub async fn pick(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
    Path(topic): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let topic = id(&topic)?;
    let (_, locale) = looker(&app, caller).await?;
    let picked = app
        .ctx
        .write(caller.0, |uow| Box::pin(topic_service::pick(uow, topic)))
        .await
        .map_err(|err| topic_error(err, locale))?;
    let message = match &picked.replaced {
        Some(old) => locale.text_with(
            "topics-picked-replaced",
            &Args::new().plain("title", &picked.title).plain("old", old),
        ),
        None => locale.text_with("topics-picked", &Args::new().plain("title", &picked.title)),
    };
    Ok(Json(json!({ "message": toast(&message) })))
}

/// `POST /app/api/topics/{list}/unpick`: giving up an unconfirmed pick.
pub async fn unpick(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
    Path(list): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let list = id(&list)?;
    let (_, locale) = looker(&app, caller).await?;
    let title = app
        .ctx
        .write(caller.0, |uow| Box::pin(topic_service::unpick(uow, list)))
        .await
        .map_err(|err| topic_error(err, locale))?;
    let message = locale.text_with("topics-unpicked", &Args::new().plain("title", &title));
    Ok(Json(json!({ "message": toast(&message) })))
}
