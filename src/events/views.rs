//! What the calendar screens show: reads only, never a write. Each read is given the
//! [`Viewer`] (the user's group, as read when their update arrived), and only ever looks at
//! that group's events: an event id from another group
//! is [`EventError::NotFound`].
//!
//! "New for me": an event is new for a user while they have not opened its card
//! (`viewedevents`) and it has not passed yet (its date is today or later in the group's time
//! zone) — events of past terms never pile up as unread. The creator of an event has seen it.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, RelationTrait,
};
use uuid::Uuid;

use super::calendar::Month;
use super::repo;
use super::service::EventError;
use crate::members::Role;
use crate::members::service::require;
use crate::storage::entities::{deadlines, events, queues, topiclists, viewedevents};

/// «Ближайшие»: today and the next 13 days.
pub const UPCOMING_DAYS: i64 = 14;
/// At most this many upcoming deadlines are read for the deadlines screen.
pub const MAX_LISTED_DEADLINES: u64 = 500;
/// At most this many events are read for one list (a day, the upcoming days).
pub const MAX_LISTED_EVENTS: u64 = 500;

pub use crate::members::service::Viewer;

/// The user's group, role and the group's time zone, read now; `NotInGroup` outside a group.
/// A screen of an update uses the session's membership instead
/// ([`Membership::viewer`](crate::members::Membership::viewer)).
pub async fn viewer(conn: &impl ConnectionTrait, user_id: i64) -> Result<Viewer, EventError> {
    Ok(crate::members::service::viewer(conn, user_id).await?)
}

/// An event in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSummary {
    pub id: Uuid,
    pub title: String,
    pub subject: Option<String>,
    pub date: NaiveDate,
    pub important: bool,
    /// Not opened by the viewer yet, and not past.
    pub unseen: bool,
}

/// What a day of the month grid shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayMark {
    pub events: u32,
    pub important: bool,
    /// The day's event when it has exactly one (the month opens its card directly).
    pub only: Option<Uuid>,
}

/// The calendar screen: a month with its marked days and the viewer's count of new events.
#[derive(Debug, Clone)]
pub struct CalendarView {
    pub viewer: Viewer,
    pub today: NaiveDate,
    pub month: Month,
    pub days: BTreeMap<NaiveDate, DayMark>,
    pub unseen: u64,
}

/// A list of events (one day, or the upcoming days).
#[derive(Debug, Clone)]
pub struct EventList {
    pub viewer: Viewer,
    pub today: NaiveDate,
    pub events: Vec<EventSummary>,
}

/// A deadline as the card and the deadlines screen show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub id: Uuid,
    pub event_id: Uuid,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// An upcoming deadline with its event's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingDeadline {
    pub deadline: Deadline,
    pub event_title: String,
}

#[derive(Debug, Clone)]
pub struct DeadlineList {
    pub viewer: Viewer,
    pub deadlines: Vec<UpcomingDeadline>,
}

/// Everything an event card shows.
#[derive(Debug, Clone)]
pub struct EventCard {
    pub viewer: Viewer,
    pub event: events::Model,
    /// The viewer had opened the card before.
    pub seen: bool,
    /// In time order.
    pub deadlines: Vec<Deadline>,
    /// The queues attached to the event, in creation order.
    pub queues: Vec<Attached>,
    /// The topic lists attached to the event, in creation order.
    pub topic_lists: Vec<Attached>,
}

/// A queue or topic list attached to an event, as the card links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub id: Uuid,
    pub title: String,
}

// ----- reads --------------------------------------------------------------------------------

/// The rows of `E` (queues or topic lists) attached to `event`, in creation order; `columns`
/// are its event id, creation time, id and title.
async fn attached<E: EntityTrait>(
    db: &DatabaseConnection,
    event: Uuid,
    [event_id, created_at, id, title]: [E::Column; 4],
) -> Result<Vec<Attached>, DbErr> {
    let rows: Vec<(Uuid, String)> = E::find()
        .select_only()
        .column(id)
        .column(title)
        .filter(event_id.eq(event))
        .order_by_asc(created_at)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| Attached { id, title })
        .collect())
}

/// The join of `events` with the viewer's own `viewedevents` row, if any.
fn viewed_by(user_id: i64) -> RelationDef {
    events::Relation::Viewedevents
        .def()
        .on_condition(move |_events, viewed| {
            Expr::col((viewed, viewedevents::Column::UserId))
                .eq(user_id)
                .into_condition()
        })
}

/// The calendar screen for `month` (the current month in the group's time zone if `None`).
pub async fn calendar(
    db: &DatabaseConnection,
    viewer: Viewer,
    month: Option<Month>,
    now: DateTime<Utc>,
) -> Result<CalendarView, EventError> {
    let today = viewer.today(now);
    let month = month.unwrap_or_else(|| Month::of(today));
    let days = month_marks(db, &viewer, month).await?;
    let unseen = count_unseen(db, &viewer, today).await?;
    Ok(CalendarView {
        viewer,
        today,
        month,
        days,
        unseen,
    })
}

/// The marked days of `month`: one query over `(group_id, event_date)`.
pub async fn month_marks(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    month: Month,
) -> Result<BTreeMap<NaiveDate, DayMark>, DbErr> {
    let rows: Vec<(Uuid, NaiveDate, bool)> = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .column(events::Column::EventDate)
        .column(events::Column::IsImportant)
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .filter(events::Column::EventDate.gte(month.first_day()))
        .filter(events::Column::EventDate.lt(month.end()))
        .into_tuple()
        .all(conn)
        .await?;
    let mut days: BTreeMap<NaiveDate, DayMark> = BTreeMap::new();
    for (id, date, important) in rows {
        let mark = days.entry(date).or_default();
        mark.events += 1;
        mark.important |= important;
        mark.only = (mark.events == 1).then_some(id);
    }
    Ok(days)
}

async fn count_unseen(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    today: NaiveDate,
) -> Result<u64, DbErr> {
    events::Entity::find()
        .join(JoinType::LeftJoin, viewed_by(viewer.user_id))
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .filter(events::Column::EventDate.gte(today))
        .filter(viewedevents::Column::UserId.is_null())
        .count(conn)
        .await
}

#[derive(Debug, FromQueryResult)]
struct ListedRow {
    id: Uuid,
    title: String,
    subject: Option<String>,
    event_date: NaiveDate,
    is_important: bool,
    viewer: Option<i64>,
}

/// The viewer's group's events with `from <= date < until`, by date, important ones first.
async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<EventSummary>, DbErr> {
    let rows = events::Entity::find()
        .select_only()
        .columns([
            events::Column::Id,
            events::Column::Title,
            events::Column::Subject,
            events::Column::EventDate,
            events::Column::IsImportant,
        ])
        .column_as(viewedevents::Column::UserId, "viewer")
        .join(JoinType::LeftJoin, viewed_by(viewer.user_id))
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .filter(events::Column::EventDate.gte(from))
        .filter(events::Column::EventDate.lt(until))
        .order_by_asc(events::Column::EventDate)
        .order_by_desc(events::Column::IsImportant)
        .order_by_asc(events::Column::CreatedAt)
        .order_by_asc(events::Column::Id)
        .limit(MAX_LISTED_EVENTS)
        .into_model::<ListedRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| EventSummary {
            unseen: row.viewer.is_none() && row.event_date >= today,
            id: row.id,
            title: row.title,
            subject: row.subject,
            date: row.event_date,
            important: row.is_important,
        })
        .collect())
}

/// The events of one day.
pub async fn day(
    db: &DatabaseConnection,
    viewer: Viewer,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EventList, EventError> {
    let today = viewer.today(now);
    let until = date.succ_opt().ok_or(EventError::NotFound)?;
    let events = list(db, &viewer, date, until, today).await?;
    Ok(EventList {
        viewer,
        today,
        events,
    })
}

/// The events of today and the next 13 days.
pub async fn upcoming(
    db: &DatabaseConnection,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> Result<EventList, EventError> {
    let today = viewer.today(now);
    let until = today + Duration::days(UPCOMING_DAYS);
    let events = list(db, &viewer, today, until, today).await?;
    Ok(EventList {
        viewer,
        today,
        events,
    })
}

/// Deadlines of the viewer's group not passed at `now`, in time order.
pub async fn deadlines(
    db: &DatabaseConnection,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> Result<DeadlineList, EventError> {
    let rows: Vec<(Uuid, Uuid, String, DateTime<Utc>, String)> = deadlines::Entity::find()
        .select_only()
        .columns([
            deadlines::Column::Id,
            deadlines::Column::EventId,
            deadlines::Column::Description,
            deadlines::Column::DeadlineAt,
        ])
        .column_as(events::Column::Title, "event_title")
        .join(JoinType::InnerJoin, deadlines::Relation::Events.def())
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .filter(deadlines::Column::DeadlineAt.gte(now))
        .order_by_asc(deadlines::Column::DeadlineAt)
        .order_by_asc(deadlines::Column::Id)
        .limit(MAX_LISTED_DEADLINES)
        .into_tuple()
        .all(db)
        .await?;
    let deadlines = rows
        .into_iter()
        .map(|(id, event_id, text, at, event_title)| UpcomingDeadline {
            deadline: Deadline {
                id,
                event_id,
                text,
                at,
            },
            event_title,
        })
        .collect();
    Ok(DeadlineList { viewer, deadlines })
}

/// The event card, and whether the viewer has opened it before (if not, the Telegram side
/// marks it seen with [`mark_seen`](super::service::mark_seen)).
pub async fn card(
    db: &DatabaseConnection,
    viewer: Viewer,
    event_id: Uuid,
) -> Result<EventCard, EventError> {
    use {queues::Column as Q, topiclists::Column as L};
    let event = repo::event_in_group(db, viewer.group_id, event_id).await?;
    let seen = repo::seen(db, viewer.user_id, event_id).await?;
    let deadlines = repo::deadlines_of(db, event.id).await?;
    let queue_columns = [Q::EventId, Q::CreatedAt, Q::Id, Q::Title];
    let list_columns = [L::EventId, L::CreatedAt, L::Id, L::Title];
    let queues = attached::<queues::Entity>(db, event.id, queue_columns).await?;
    let topic_lists = attached::<topiclists::Entity>(db, event.id, list_columns).await?;
    Ok(EventCard {
        viewer,
        event,
        seen,
        deadlines,
        queues,
        topic_lists,
    })
}

/// The event, if the user may change it right now (leader or assistant of its group). Used
/// before asking for a new value; the change itself checks again.
pub async fn editable(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
) -> Result<events::Model, EventError> {
    let member = require(db, user_id, Role::can_manage).await?;
    repo::event_in_group(db, member.group_id, event_id).await
}

/// Whether the user may create events right now.
pub async fn may_create(db: &DatabaseConnection, user_id: i64) -> Result<(), EventError> {
    require(db, user_id, Role::can_manage).await?;
    Ok(())
}
