//! The topic-list tables, as the rules need them. Every function takes the connection to run
//! on: inside a use case, the unit of work's transaction.
//!
//! A list's picks never exceed a topic's capacity and a student never holds two topics of one
//! list: a writer of picks locks the list's row first ([`lock_list`]: `SELECT … FOR UPDATE` on
//! PostgreSQL; on SQLite `BEGIN IMMEDIATE` already serialises all writers) and counts after
//! the lock, so the picks of one list are decided one after another.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::input::TopicLines;
use super::service::TopicError;
use crate::notifications::About;
use crate::storage::entities::{events, topiclists, topics, topicselections};

/// What `list` is for (its event's name and date), named in the notices about it.
pub async fn about(conn: &impl ConnectionTrait, list: &topiclists::Model) -> Result<About, DbErr> {
    events::Entity::find_by_id(list.event_id)
        .one(conn)
        .await?
        .map(|event| About::of(&event))
        .ok_or_else(|| DbErr::RecordNotFound(format!("the event of topic list {}", list.id)))
}

/// A list of `group` with its event, or `NotFound`.
pub async fn list_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    list: Uuid,
) -> Result<(topiclists::Model, events::Model), TopicError> {
    let (list, event) = topiclists::Entity::find_by_id(list)
        .find_also_related(events::Entity)
        .one(conn)
        .await?
        .ok_or(TopicError::NotFound)?;
    let event = event
        .filter(|event| event.group_id == group)
        .ok_or(TopicError::NotFound)?;
    Ok((list, event))
}

/// Takes the list's row lock on PostgreSQL for the rest of the transaction (SQLite's
/// `BEGIN IMMEDIATE` already holds the database's write lock).
pub async fn lock_list(conn: &impl ConnectionTrait, list: Uuid) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        topiclists::Entity::find_by_id(list)
            .lock_exclusive()
            .one(conn)
            .await?;
    }
    Ok(())
}

/// A topic of `group` with its list, or `NotFound`.
pub async fn topic_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    topic: Uuid,
) -> Result<(topics::Model, topiclists::Model), TopicError> {
    let topic = topics::Entity::find_by_id(topic)
        .one(conn)
        .await?
        .ok_or(TopicError::NotFound)?;
    let (list, _) = list_in_group(conn, group, topic.topic_list_id).await?;
    Ok((topic, list))
}

/// A pick of `group` with its topic and list, or `NotFound`.
pub async fn selection_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    selection: Uuid,
) -> Result<(topicselections::Model, topics::Model, topiclists::Model), TopicError> {
    let pick = pick_row(conn, selection)
        .await?
        .ok_or(TopicError::NotFound)?;
    let (topic, list) = topic_in_group(conn, group, pick.topic_id).await?;
    Ok((pick, topic, list))
}

/// The pick `selection`, if it exists.
pub async fn pick_row(
    conn: &impl ConnectionTrait,
    selection: Uuid,
) -> Result<Option<topicselections::Model>, DbErr> {
    topicselections::Entity::find_by_id(selection)
        .one(conn)
        .await
}

/// The topics of a list in their order.
pub async fn list_topics(
    conn: &impl ConnectionTrait,
    list: Uuid,
) -> Result<Vec<topics::Model>, DbErr> {
    topics::Entity::find()
        .filter(topics::Column::TopicListId.eq(list))
        .order_by_asc(topics::Column::Position)
        .order_by_asc(topics::Column::Id)
        .all(conn)
        .await
}

/// The picks of the topics `topic_ids`, oldest first.
pub async fn picks_of(
    conn: &impl ConnectionTrait,
    topic_ids: &[Uuid],
) -> Result<Vec<topicselections::Model>, DbErr> {
    if topic_ids.is_empty() {
        return Ok(Vec::new());
    }
    topicselections::Entity::find()
        .filter(topicselections::Column::TopicId.is_in(topic_ids.iter().copied()))
        .order_by_asc(topicselections::Column::SelectedAt)
        .order_by_asc(topicselections::Column::Id)
        .all(conn)
        .await
}

/// The topics of a list and all their picks.
pub async fn topics_and_picks(
    conn: &impl ConnectionTrait,
    list: Uuid,
) -> Result<(Vec<topics::Model>, Vec<topicselections::Model>), DbErr> {
    let topics = list_topics(conn, list).await?;
    let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
    let picks = picks_of(conn, &ids).await?;
    Ok((topics, picks))
}

pub async fn insert_list(
    conn: &impl ConnectionTrait,
    list: &topiclists::Model,
) -> Result<(), DbErr> {
    topiclists::Entity::insert(topiclists::ActiveModel {
        choices: Set(None),
        preference_deadline: Set(None),
        allocation_seed: Set(None),
        id: Set(list.id),
        event_id: Set(list.event_id),
        title: Set(list.title.clone()),
        max_participants_per_topic: Set(list.max_participants_per_topic),
        created_by_user_id: Set(list.created_by_user_id),
        created_at: Set(list.created_at),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Inserts `lines` as topics of `list`, numbered from `first_position`.
pub async fn insert_topics(
    conn: &impl ConnectionTrait,
    list: Uuid,
    first_position: i32,
    lines: &TopicLines,
) -> Result<(), DbErr> {
    let rows = lines
        .topics()
        .iter()
        .zip(first_position..)
        .map(|(title, position)| topics::ActiveModel {
            id: Set(Uuid::new_v4()),
            topic_list_id: Set(list),
            title: Set(title.clone()),
            description: Set(None),
            position: Set(position),
        })
        .collect::<Vec<_>>();
    topics::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn delete_topic(conn: &impl ConnectionTrait, topic: Uuid) -> Result<(), DbErr> {
    topics::Entity::delete_by_id(topic).exec(conn).await?;
    Ok(())
}

pub async fn delete_list(conn: &impl ConnectionTrait, list: Uuid) -> Result<(), DbErr> {
    topiclists::Entity::delete_by_id(list).exec(conn).await?;
    Ok(())
}

/// Inserts an unconfirmed pick of `topic` by `user`; returns its id.
pub async fn insert_pick(
    conn: &impl ConnectionTrait,
    topic: Uuid,
    user: i64,
    at: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    topicselections::Entity::insert(topicselections::ActiveModel {
        id: Set(id),
        topic_id: Set(topic),
        user_id: Set(user),
        selected_at: Set(at),
        is_confirmed: Set(false),
        confirmed_by_user_id: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

pub async fn delete_pick(conn: &impl ConnectionTrait, selection: Uuid) -> Result<(), DbErr> {
    topicselections::Entity::delete_by_id(selection)
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks the picks `ids` confirmed by `by`.
pub async fn set_confirmed(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
    by: i64,
) -> Result<(), DbErr> {
    topicselections::Entity::update_many()
        .set(topicselections::ActiveModel {
            is_confirmed: Set(true),
            confirmed_by_user_id: Set(Some(by)),
            ..Default::default()
        })
        .filter(topicselections::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}
