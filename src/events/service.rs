//! The rules for events and deadlines. No Telegram types here.
//!
//! Reads check that the user is in a group and only ever look at that group's events: an event
//! id from another group is [`EventError::NotFound`]. Each write is one transaction: the role is
//! re-checked from the database (leader or assistant), then the change and its change-log row,
//! then commit.
//!
//! "New for me": an event is new for a user while they have not opened its card
//! (`viewedevents`) and it has not passed yet (its date is today or later in the group's time
//! zone) — events of past terms never pile up as unread. The creator of an event has seen it.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    FromQueryResult, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef,
    RelationTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::calendar::Month;
use super::deadline::DeadlineAt;
use super::text::{DeadlineText, Description, EventTitle, Subject};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, require};
use crate::notifications::{Notices, notice, reminders};
use crate::storage;
use crate::storage::entities::{
    deadlines, events, groupmembers, groups, queues, topiclists, viewedevents,
};

/// «Ближайшие»: today and the next 13 days.
pub const UPCOMING_DAYS: i64 = 14;
/// At most this many upcoming deadlines are read for the deadlines screen.
pub const MAX_LISTED_DEADLINES: u64 = 500;
/// At most this many events are read for one list (a day, the upcoming days).
pub const MAX_LISTED_EVENTS: u64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// No such event in the user's group (deleted, or another group's).
    #[error("no such event in the user's group")]
    NotFound,
    /// No such deadline on an event of the user's group.
    #[error("no such deadline")]
    DeadlineNotFound,
    /// The form was saved already (a repeated «Сохранить»).
    #[error("this event was already saved")]
    AlreadySaved,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Who is looking, in which group, and the group's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub group_id: Uuid,
    pub group_name: String,
    pub role: Role,
    pub tz: Tz,
}

impl Viewer {
    /// Today in the group's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }
}

/// A group's time zone; an unknown name (never stored through the bot) falls back to Moscow.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or_else(|_| {
        tracing::warn!(
            timezone = name,
            "unknown group time zone; using Europe/Moscow"
        );
        chrono_tz::Europe::Moscow
    })
}

/// The user's group, role and the group's time zone; `NotInGroup` outside a group.
pub async fn viewer(conn: &impl ConnectionTrait, user_id: i64) -> Result<Viewer, EventError> {
    let (member, group) = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .find_also_related(groups::Entity)
        .one(conn)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let group = group.ok_or(AccessError::NotInGroup)?;
    Ok(Viewer {
        user_id,
        group_id: group.id,
        group_name: group.name,
        role: Role::of(&member),
        tz: zone(&group.timezone),
    })
}

/// The time zone of `group` (for scheduling reminders inside a write transaction).
async fn group_zone(conn: &impl ConnectionTrait, group: Uuid) -> Result<Tz, DbErr> {
    let group = groups::Entity::find_by_id(group).one(conn).await?;
    Ok(group.map_or(chrono_tz::Europe::Moscow, |g| zone(&g.timezone)))
}

/// A new event, as the creation form has collected it. `id` is chosen when the form reaches
/// its summary, so saving the same form twice cannot create two events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub id: Uuid,
    pub title: EventTitle,
    pub subject: Option<Subject>,
    pub date: NaiveDate,
    pub description: Option<Description>,
    pub important: bool,
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

/// A created event, whom it concerns (members of the group who can be reached, the creator
/// excluded) and the notices written about it.
#[derive(Debug, Clone)]
pub struct Created {
    pub event: events::Model,
    pub recipients: Vec<i64>,
    /// The group's bound Telegram chat, posted to as well.
    pub chat: Option<i64>,
    /// The outbox rows written with the event (announcements to members and the group chat).
    pub notices: Vec<Uuid>,
}

/// One field of an event, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Title(EventTitle),
    Subject(Option<Subject>),
    Date(NaiveDate),
    Description(Option<Description>),
    Important(bool),
}

impl Edit {
    fn field(&self) -> &'static str {
        match self {
            Edit::Title(_) => "title",
            Edit::Subject(_) => "subject",
            Edit::Date(_) => "date",
            Edit::Description(_) => "description",
            Edit::Important(_) => "important",
        }
    }
}

/// A deleted event, for the confirmation.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub title: String,
    pub date: NaiveDate,
}

// ----- reads --------------------------------------------------------------------------------

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
    user_id: i64,
    month: Option<Month>,
    now: DateTime<Utc>,
) -> Result<CalendarView, EventError> {
    let viewer = viewer(db, user_id).await?;
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
    let rows: Vec<(NaiveDate, bool)> = events::Entity::find()
        .select_only()
        .column(events::Column::EventDate)
        .column(events::Column::IsImportant)
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .filter(events::Column::EventDate.gte(month.first_day()))
        .filter(events::Column::EventDate.lt(month.end()))
        .into_tuple()
        .all(conn)
        .await?;
    let mut days: BTreeMap<NaiveDate, DayMark> = BTreeMap::new();
    for (date, important) in rows {
        let mark = days.entry(date).or_default();
        mark.events += 1;
        mark.important |= important;
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

/// How many events are new for `user_id` (0 outside a group), for the menu.
pub async fn unseen_count(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    match viewer(db, user_id).await {
        Ok(viewer) => count_unseen(db, &viewer, viewer.today(now)).await,
        Err(EventError::Db(err) | EventError::Access(AccessError::Db(err))) => Err(err),
        Err(_) => Ok(0),
    }
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
    user_id: i64,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EventList, EventError> {
    let viewer = viewer(db, user_id).await?;
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
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<EventList, EventError> {
    let viewer = viewer(db, user_id).await?;
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
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<DeadlineList, EventError> {
    let viewer = viewer(db, user_id).await?;
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

/// An event of the viewer's group, or `NotFound`.
async fn event_of_group(
    conn: &impl ConnectionTrait,
    group_id: Uuid,
    event_id: Uuid,
) -> Result<events::Model, EventError> {
    events::Entity::find_by_id(event_id)
        .filter(events::Column::GroupId.eq(group_id))
        .one(conn)
        .await?
        .ok_or(EventError::NotFound)
}

async fn event_deadlines(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Deadline>, DbErr> {
    let rows = deadlines::Entity::find()
        .filter(deadlines::Column::EventId.eq(event_id))
        .order_by_asc(deadlines::Column::DeadlineAt)
        .order_by_asc(deadlines::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Deadline {
            id: row.id,
            event_id: row.event_id,
            text: row.description,
            at: row.deadline_at,
        })
        .collect())
}

/// The event card. Opening it marks the event as seen by the viewer.
pub async fn open(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
) -> Result<EventCard, EventError> {
    let viewer = viewer(db, user_id).await?;
    let event = event_of_group(db, viewer.group_id, event_id).await?;
    let seen = viewedevents::Entity::find_by_id((user_id, event_id))
        .one(db)
        .await?
        .is_some();
    if !seen {
        mark_seen(db, user_id, event_id).await?;
    }
    card(db, viewer, event).await
}

/// Records that `user_id` has opened `event_id` (idempotent).
async fn mark_seen(conn: &impl ConnectionTrait, user_id: i64, event_id: Uuid) -> Result<(), DbErr> {
    viewedevents::Entity::insert(viewedevents::ActiveModel {
        user_id: Set(user_id),
        event_id: Set(event_id),
        viewed_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([viewedevents::Column::UserId, viewedevents::Column::EventId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

async fn card(
    conn: &impl ConnectionTrait,
    viewer: Viewer,
    event: events::Model,
) -> Result<EventCard, EventError> {
    let deadlines = event_deadlines(conn, event.id).await?;
    let queues = queues::Entity::find()
        .filter(queues::Column::EventId.eq(event.id))
        .order_by_asc(queues::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|queue| Attached {
            id: queue.id,
            title: queue.title,
        })
        .collect();
    let topic_lists = topiclists::Entity::find()
        .filter(topiclists::Column::EventId.eq(event.id))
        .order_by_asc(topiclists::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|list| Attached {
            id: list.id,
            title: list.title,
        })
        .collect();
    Ok(EventCard {
        viewer,
        event,
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
    event_of_group(db, member.group_id, event_id).await
}

/// Whether the user may create events right now.
pub async fn may_create(db: &DatabaseConnection, user_id: i64) -> Result<(), EventError> {
    require(db, user_id, Role::can_manage).await?;
    Ok(())
}

// ----- writes -------------------------------------------------------------------------------

/// Creates the event; its announcements (`announce`: the members to tell → notices) are
/// written to the outbox in the same transaction, and its evening reminders scheduled.
/// `now` is the notifications' clock (reminders already past are not scheduled).
pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    new: &NewEvent,
    now: DateTime<Utc>,
    announce: impl Notices<Created>,
) -> Result<Created, EventError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    if events::Entity::find_by_id(new.id)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(EventError::AlreadySaved);
    }
    let event = events::Model {
        id: new.id,
        group_id: member.group_id,
        created_by_user_id: Some(user_id),
        title: new.title.as_str().to_owned(),
        description: new.description.as_ref().map(|d| d.as_str().to_owned()),
        subject: new.subject.as_ref().map(|s| s.as_str().to_owned()),
        event_date: new.date,
        is_important: new.important,
        created_at: Utc::now(),
    };
    let inserted = events::Entity::insert(events::ActiveModel {
        id: Set(event.id),
        group_id: Set(event.group_id),
        created_by_user_id: Set(event.created_by_user_id),
        title: Set(event.title.clone()),
        description: Set(event.description.clone()),
        subject: Set(event.subject.clone()),
        event_date: Set(event.event_date),
        is_important: Set(event.is_important),
        created_at: Set(event.created_at),
    })
    .exec_without_returning(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if storage::is_unique_violation(&err) => return Err(EventError::AlreadySaved),
        Err(err) => return Err(err.into()),
    }
    // The creator has seen what they created.
    mark_seen(&txn, user_id, event.id).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "event.create",
            entity_type: "event",
            entity_id: event.id.to_string(),
            details: json!({
                "title": event.title,
                "subject": event.subject,
                "date": event.event_date,
                "important": event.is_important,
            }),
        },
    )
    .await?;
    let recipients =
        crate::members::service::reachable_members(&txn, member.group_id, user_id).await?;
    let tz = group_zone(&txn, member.group_id).await?;
    reminders::schedule_event(
        &txn,
        now,
        member.group_id,
        tz,
        event.id,
        &event.title,
        event.event_date,
    )
    .await?;
    let chat = crate::chats::service::bound_chat(&txn, member.group_id).await?;
    let mut created = Created {
        event,
        recipients,
        chat,
        notices: Vec::new(),
    };
    created.notices = notice::write(&txn, now, announce(&created)).await?;
    txn.commit().await?;
    Ok(created)
}

/// Changes one field of an event of the user's group.
/// `now` is the notifications' clock (the evening reminder is rescheduled from it).
pub async fn edit(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
    edit: Edit,
    now: DateTime<Utc>,
) -> Result<events::Model, EventError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    let before = event_of_group(&txn, member.group_id, event_id).await?;
    let mut after = before.clone();
    let mut change = events::ActiveModel::default();
    let (from, to) = match &edit {
        Edit::Title(title) => {
            after.title = title.as_str().to_owned();
            change.title = Set(after.title.clone());
            (json!(before.title), json!(after.title))
        }
        Edit::Subject(subject) => {
            after.subject = subject.as_ref().map(|s| s.as_str().to_owned());
            change.subject = Set(after.subject.clone());
            (json!(before.subject), json!(after.subject))
        }
        Edit::Date(date) => {
            after.event_date = *date;
            change.event_date = Set(*date);
            (json!(before.event_date), json!(after.event_date))
        }
        Edit::Description(description) => {
            after.description = description.as_ref().map(|d| d.as_str().to_owned());
            change.description = Set(after.description.clone());
            (json!(before.description), json!(after.description))
        }
        Edit::Important(important) => {
            after.is_important = *important;
            change.is_important = Set(*important);
            (json!(before.is_important), json!(after.is_important))
        }
    };
    events::Entity::update_many()
        .set(change)
        .filter(events::Column::Id.eq(event_id))
        .exec(&txn)
        .await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "event.edit",
            entity_type: "event",
            entity_id: event_id.to_string(),
            details: json!({ "field": edit.field(), "from": from, "to": to }),
        },
    )
    .await?;
    if before.event_date != after.event_date || before.title != after.title {
        let tz = group_zone(&txn, member.group_id).await?;
        reminders::schedule_event(
            &txn,
            now,
            member.group_id,
            tz,
            event_id,
            &after.title,
            after.event_date,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// Deletes an event of the user's group; its deadlines, queues and topic lists go with it
/// (foreign keys cascade).
pub async fn delete(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
) -> Result<Deleted, EventError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    let event = event_of_group(&txn, member.group_id, event_id).await?;
    let deadline_ids: Vec<Uuid> = deadlines::Entity::find()
        .filter(deadlines::Column::EventId.eq(event_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    reminders::cancel_event(&txn, event_id, &deadline_ids).await?;
    events::Entity::delete_by_id(event_id).exec(&txn).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "event.delete",
            entity_type: "event",
            entity_id: event_id.to_string(),
            details: json!({ "title": event.title, "date": event.event_date }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Deleted {
        title: event.title,
        date: event.event_date,
    })
}

/// Adds a deadline to an event of the user's group.
pub async fn add_deadline(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
    text: &DeadlineText,
    at: DeadlineAt,
    now: DateTime<Utc>,
) -> Result<Deadline, EventError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    let event = event_of_group(&txn, member.group_id, event_id).await?;
    let deadline = Deadline {
        id: Uuid::new_v4(),
        event_id,
        text: text.as_str().to_owned(),
        at: at.utc(),
    };
    deadlines::Entity::insert(deadlines::ActiveModel {
        id: Set(deadline.id),
        event_id: Set(event_id),
        description: Set(deadline.text.clone()),
        deadline_at: Set(deadline.at),
    })
    .exec_without_returning(&txn)
    .await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "deadline.add",
            entity_type: "deadline",
            entity_id: deadline.id.to_string(),
            details: json!({
                "event_id": event_id,
                "description": deadline.text,
                "at": deadline.at,
            }),
        },
    )
    .await?;
    let tz = group_zone(&txn, member.group_id).await?;
    reminders::schedule_deadline(
        &txn,
        now,
        member.group_id,
        tz,
        deadline.id,
        &deadline.text,
        &event.title,
        deadline.at,
    )
    .await?;
    txn.commit().await?;
    Ok(deadline)
}

/// Removes a deadline of an event of the user's group; returns it.
pub async fn remove_deadline(
    db: &DatabaseConnection,
    user_id: i64,
    deadline_id: Uuid,
) -> Result<Deadline, EventError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    let (row, event) = deadlines::Entity::find_by_id(deadline_id)
        .find_also_related(events::Entity)
        .one(&txn)
        .await?
        .ok_or(EventError::DeadlineNotFound)?;
    if event.is_none_or(|event| event.group_id != member.group_id) {
        return Err(EventError::DeadlineNotFound);
    }
    deadlines::Entity::delete_by_id(deadline_id)
        .exec(&txn)
        .await?;
    reminders::cancel_deadline(&txn, deadline_id).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "deadline.remove",
            entity_type: "deadline",
            entity_id: deadline_id.to_string(),
            details: json!({
                "event_id": row.event_id,
                "description": row.description,
                "at": row.deadline_at,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Deadline {
        id: row.id,
        event_id: row.event_id,
        text: row.description,
        at: row.deadline_at,
    })
}
