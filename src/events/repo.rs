//! The calendar tables, as the rules need them. Every function takes the connection to run on:
//! inside a use case, the unit of work's transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::service::{Deadline, EventError};
use crate::storage::entities::{deadlines, events, groups, viewedevents};

/// The event `event` of `group`, if there is one (queues and topic lists attach to it too).
pub async fn find_event(
    conn: &impl ConnectionTrait,
    group: Uuid,
    event: Uuid,
) -> Result<Option<events::Model>, DbErr> {
    events::Entity::find_by_id(event)
        .filter(events::Column::GroupId.eq(group))
        .one(conn)
        .await
}

/// An event of `group`, or `NotFound`.
pub async fn event_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    event: Uuid,
) -> Result<events::Model, EventError> {
    find_event(conn, group, event)
        .await?
        .ok_or(EventError::NotFound)
}

/// Whether an event with this id exists (in any group).
pub async fn event_exists(conn: &impl ConnectionTrait, event: Uuid) -> Result<bool, DbErr> {
    Ok(events::Entity::find_by_id(event).one(conn).await?.is_some())
}

/// The group row (its name and time zone).
pub async fn group(conn: &impl ConnectionTrait, group: Uuid) -> Result<groups::Model, DbErr> {
    groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("group {group}")))
}

pub async fn insert_event(conn: &impl ConnectionTrait, event: &events::Model) -> Result<(), DbErr> {
    events::Entity::insert(events::ActiveModel {
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
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Writes `event`'s editable fields.
pub async fn update_event(conn: &impl ConnectionTrait, event: &events::Model) -> Result<(), DbErr> {
    events::Entity::update_many()
        .set(events::ActiveModel {
            title: Set(event.title.clone()),
            description: Set(event.description.clone()),
            subject: Set(event.subject.clone()),
            event_date: Set(event.event_date),
            is_important: Set(event.is_important),
            ..Default::default()
        })
        .filter(events::Column::Id.eq(event.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes an event; its deadlines, queues and topic lists go with it (foreign keys cascade).
pub async fn delete_event(conn: &impl ConnectionTrait, event: Uuid) -> Result<(), DbErr> {
    events::Entity::delete_by_id(event).exec(conn).await?;
    Ok(())
}

/// The deadlines of an event, in time order.
pub async fn deadlines_of(
    conn: &impl ConnectionTrait,
    event: Uuid,
) -> Result<Vec<Deadline>, DbErr> {
    let rows = deadlines::Entity::find()
        .filter(deadlines::Column::EventId.eq(event))
        .order_by_asc(deadlines::Column::DeadlineAt)
        .order_by_asc(deadlines::Column::Id)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(Deadline::from).collect())
}

pub async fn insert_deadline(
    conn: &impl ConnectionTrait,
    deadline: &Deadline,
) -> Result<(), DbErr> {
    deadlines::Entity::insert(deadlines::ActiveModel {
        id: Set(deadline.id),
        event_id: Set(deadline.event_id),
        description: Set(deadline.text.clone()),
        deadline_at: Set(deadline.at),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// A deadline of an event of `group`, or `DeadlineNotFound`.
pub async fn deadline_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    deadline: Uuid,
) -> Result<Deadline, EventError> {
    deadlines::Entity::find_by_id(deadline)
        .join(JoinType::InnerJoin, deadlines::Relation::Events.def())
        .filter(events::Column::GroupId.eq(group))
        .one(conn)
        .await?
        .map(Deadline::from)
        .ok_or(EventError::DeadlineNotFound)
}

pub async fn delete_deadline(conn: &impl ConnectionTrait, deadline: Uuid) -> Result<(), DbErr> {
    deadlines::Entity::delete_by_id(deadline).exec(conn).await?;
    Ok(())
}

/// Whether `user` has opened `event`'s card.
pub async fn seen(conn: &impl ConnectionTrait, user: i64, event: Uuid) -> Result<bool, DbErr> {
    Ok(viewedevents::Entity::find_by_id((user, event))
        .one(conn)
        .await?
        .is_some())
}

/// Records that `user` has opened `event` (idempotent).
pub async fn mark_seen(
    conn: &impl ConnectionTrait,
    user: i64,
    event: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    viewedevents::Entity::insert(viewedevents::ActiveModel {
        user_id: Set(user),
        event_id: Set(event),
        viewed_at: Set(at),
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

impl From<deadlines::Model> for Deadline {
    fn from(row: deadlines::Model) -> Self {
        Deadline {
            id: row.id,
            event_id: row.event_id,
            text: row.description,
            at: row.deadline_at,
        }
    }
}

/// What an event holds besides itself: its queues, its topic lists, and the people standing
/// in those queues or holding a topic of those lists (each once, by id).
#[derive(Debug, Default)]
pub struct Held {
    pub queues: Vec<crate::storage::entities::queues::Model>,
    pub lists: Vec<Uuid>,
    pub people: Vec<i64>,
}

pub async fn held_by(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Held, DbErr> {
    use crate::storage::entities::{
        queueparticipants, queues, topiclists, topics, topicselections,
    };
    let queues = queues::Entity::find()
        .filter(queues::Column::EventId.eq(event_id))
        .all(conn)
        .await?;
    let lists: Vec<Uuid> = topiclists::Entity::find()
        .filter(topiclists::Column::EventId.eq(event_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|list| list.id)
        .collect();
    let standing = queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.is_in(queues.iter().map(|q| q.id)))
        .all(conn)
        .await?;
    let picked = topicselections::Entity::find()
        .inner_join(topics::Entity)
        .filter(topics::Column::TopicListId.is_in(lists.iter().copied()))
        .all(conn)
        .await?;
    let mut people: Vec<i64> = standing
        .iter()
        .map(|p| p.user_id)
        .chain(picked.iter().map(|p| p.user_id))
        .collect();
    people.sort_unstable();
    people.dedup();
    Ok(Held {
        queues,
        lists,
        people,
    })
}
