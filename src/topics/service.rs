//! The rules for topic lists. No Telegram types here.
//!
//! Every read and write looks only at the acting user's group: a list, topic or pick of another
//! group is [`TopicError::NotFound`]. Each write is one transaction (`storage::begin_write`):
//! the role is re-checked from the database, then the change and its change-log row, then
//! commit.
//!
//! Picks never exceed a topic's capacity and a student never holds two topics of one list, even
//! when a whole group presses at once on several instances sharing one database: on PostgreSQL
//! the pick locks the list's row (`SELECT … FOR UPDATE`) before counting, so picks of one list
//! run one after another; on SQLite `BEGIN IMMEDIATE` already serialises writers. The unique
//! key `(topic_id, user_id)` backs the "already yours" case, and transient failures
//! (serialization, deadlock, busy) are retried a few times.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, RuntimeErr,
};
use serde_json::json;
use uuid::Uuid;

use super::input::{Capacity, ListTitle, TopicLines, fold};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, Member, require};
use crate::notifications::{Notices, notice};
use crate::storage;
use crate::storage::constraints::UQ_TOPICSELECTIONS_TOPIC_USER;
use crate::storage::entities::{
    events, groupmembers, groups, topiclists, topics, topicselections, users,
};

/// How often a write is tried when the database reports a transient conflict.
const ATTEMPTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// No such list, topic or pick in the user's group (deleted, or another group's).
    #[error("no such topic list, topic or pick in the user's group")]
    NotFound,
    /// No such event in the user's group.
    #[error("no such event in the user's group")]
    EventNotFound,
    /// The topic has as many students as it may.
    #[error("the topic is taken")]
    Full { title: String },
    /// The student already holds this topic.
    #[error("the topic is already the user's")]
    AlreadyYours { title: String },
    /// The student's pick in this list is confirmed: it is final.
    #[error("the user's pick is confirmed")]
    Confirmed { title: String },
    /// The student holds no topic in this list.
    #[error("no pick to withdraw")]
    NoPick,
    /// Adding the topics would make the list longer than allowed.
    #[error("too many topics")]
    TooManyTopics { count: usize, max: usize },
    /// Topics already in the list.
    #[error("topics already in the list")]
    Duplicates(Vec<String>),
    /// The database kept reporting conflicts.
    #[error("busy, try again")]
    Busy,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A topic as the browser shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow {
    pub id: Uuid,
    pub title: String,
    /// Students holding it.
    pub taken: u32,
    /// The viewer's own pick: `Some(confirmed)`.
    pub mine: Option<bool>,
}

/// The topic browser of one list.
#[derive(Debug, Clone)]
pub struct Browser {
    pub viewer: Member,
    pub list: topiclists::Model,
    pub event: events::Model,
    pub topics: Vec<TopicRow>,
}

impl Browser {
    /// The viewer's pick: the topic's title and whether it is confirmed.
    pub fn my_pick(&self) -> Option<(&str, bool)> {
        self.topics
            .iter()
            .find_map(|t| t.mine.map(|confirmed| (t.title.as_str(), confirmed)))
    }
}

/// One student's pick, as the distribution shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub selection: Uuid,
    pub user_id: i64,
    pub name: String,
    pub username: Option<String>,
    pub confirmed: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistTopic {
    pub id: Uuid,
    pub title: String,
    pub picks: Vec<Pick>,
}

/// Who took which topic (leader and assistants).
#[derive(Debug, Clone)]
pub struct Distribution {
    pub list: topiclists::Model,
    pub event: events::Model,
    /// The group's IANA time zone.
    pub timezone: String,
    pub topics: Vec<DistTopic>,
    /// Members of the group without a topic in this list, by name.
    pub without: Vec<String>,
}

/// A pick made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub list: Uuid,
    pub title: String,
    /// The topic given up for it.
    pub replaced: Option<String>,
}

/// A pick a leader confirmed or rejected, and whom to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub list: Uuid,
    pub list_title: String,
    pub topic: Uuid,
    pub topic_title: String,
    pub student: i64,
    /// The outbox rows written with the decision.
    pub notices: Vec<Uuid>,
}

/// Every open pick of a list confirmed at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedAll {
    pub decided: Vec<Decided>,
    /// The outbox rows written with the confirmation.
    pub notices: Vec<Uuid>,
}

/// A removed topic and the students whose picks went with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub list: Uuid,
    pub list_title: String,
    pub title: String,
    pub students: Vec<i64>,
    /// The outbox rows written with the removal.
    pub notices: Vec<Uuid>,
}

/// A deleted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub title: String,
    pub event: Uuid,
}

// ----- helpers ------------------------------------------------------------------------------

/// Whether `err` is worth another attempt: a serialization failure or deadlock (PostgreSQL),
/// a busy or locked database (SQLite).
fn is_transient(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Conn(RuntimeErr::SqlxError(sqlx_err))) = err
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(db_err) = sqlx_err.deref() else {
        return false;
    };
    matches!(
        db_err.code().as_deref(),
        Some("40001" | "40P01" | "5" | "6" | "517" | "261")
    ) || db_err.message().contains("database is locked")
}

/// Runs `attempt` until it succeeds, fails for good, or [`ATTEMPTS`] transient failures.
async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T, TopicError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, TopicError>>,
{
    for _ in 0..ATTEMPTS {
        match attempt().await {
            Err(TopicError::Db(err)) if is_transient(&err) => {
                tracing::debug!(%err, "transient conflict on a topic write; retrying");
                tokio::task::yield_now().await;
            }
            other => return other,
        }
    }
    Err(TopicError::Busy)
}

/// A list of `group` with its event, or `NotFound`.
async fn list_in_group(
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

/// Takes the list's row lock on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already holds the
/// database's write lock).
async fn lock_list(conn: &impl ConnectionTrait, list: Uuid) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        topiclists::Entity::find_by_id(list)
            .lock_exclusive()
            .one(conn)
            .await?;
    }
    Ok(())
}

/// A topic of `group` with its list, or `NotFound`.
async fn topic_in_group(
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

async fn list_topics(conn: &impl ConnectionTrait, list: Uuid) -> Result<Vec<topics::Model>, DbErr> {
    topics::Entity::find()
        .filter(topics::Column::TopicListId.eq(list))
        .order_by_asc(topics::Column::Position)
        .order_by_asc(topics::Column::Id)
        .all(conn)
        .await
}

/// The picks of a list's topics.
async fn list_picks(
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

/// «Фамилия Имя Отчество»: the ФИО if entered, else the Telegram names.
pub fn display_name(user: &users::Model) -> String {
    let middle = user.middle_name.as_deref().filter(|_| user.has_full_name);
    [
        user.last_name.as_deref(),
        Some(user.first_name.as_str()),
        middle,
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

async fn insert_topics(
    conn: &impl ConnectionTrait,
    list: Uuid,
    first_position: i32,
    lines: &TopicLines,
) -> Result<(), DbErr> {
    let rows = lines
        .topics()
        .iter()
        .enumerate()
        .map(|(i, title)| topics::ActiveModel {
            id: Set(Uuid::new_v4()),
            topic_list_id: Set(list),
            title: Set(title.clone()),
            description: Set(None),
            position: Set(first_position + i as i32),
        })
        .collect::<Vec<_>>();
    topics::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

// ----- reads --------------------------------------------------------------------------------

/// Whether the user may attach a topic list to `event` right now (checked again on saving).
pub async fn may_create(
    db: &DatabaseConnection,
    user_id: i64,
    event: Uuid,
) -> Result<events::Model, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    events::Entity::find_by_id(event)
        .filter(events::Column::GroupId.eq(member.group_id))
        .one(db)
        .await?
        .ok_or(TopicError::EventNotFound)
}

/// A list the user may change right now (leader/assistant), e.g. before asking for topics.
pub async fn editable(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<topiclists::Model, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    Ok(list_in_group(db, member.group_id, list).await?.0)
}

/// The topics of a list with how many took each and the viewer's own pick.
pub async fn browse(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<Browser, TopicError> {
    let viewer = require(db, user_id, |_| true).await?;
    let (list, event) = list_in_group(db, viewer.group_id, list).await?;
    let topics = list_topics(db, list.id).await?;
    let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
    let mut taken: HashMap<Uuid, u32> = HashMap::new();
    let mut mine: HashMap<Uuid, bool> = HashMap::new();
    for pick in list_picks(db, &ids).await? {
        *taken.entry(pick.topic_id).or_default() += 1;
        if pick.user_id == user_id {
            mine.insert(pick.topic_id, pick.is_confirmed);
        }
    }
    let topics = topics
        .into_iter()
        .map(|t| TopicRow {
            taken: taken.get(&t.id).copied().unwrap_or(0),
            mine: mine.get(&t.id).copied(),
            id: t.id,
            title: t.title,
        })
        .collect();
    Ok(Browser {
        viewer,
        list,
        event,
        topics,
    })
}

/// Who took which topic, and who has none (leader and assistants).
pub async fn distribution(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<Distribution, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let (list, event) = list_in_group(db, member.group_id, list).await?;
    let group = groups::Entity::find_by_id(member.group_id)
        .one(db)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let topics = list_topics(db, list.id).await?;
    let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
    let picks = list_picks(db, &ids).await?;
    let pickers: HashSet<i64> = picks.iter().map(|p| p.user_id).collect();
    let people: HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::TelegramId.is_in(pickers.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.telegram_id, user))
        .collect();
    let mut by_topic: HashMap<Uuid, Vec<Pick>> = HashMap::new();
    for pick in picks {
        let user = people.get(&pick.user_id);
        by_topic.entry(pick.topic_id).or_default().push(Pick {
            selection: pick.id,
            user_id: pick.user_id,
            name: user.map_or_else(|| pick.user_id.to_string(), display_name),
            username: user.and_then(|u| u.telegram_username.clone()),
            confirmed: pick.is_confirmed,
            at: pick.selected_at,
        });
    }
    let mut without: Vec<String> = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(member.group_id))
        .find_also_related(users::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter(|(m, _)| !pickers.contains(&m.user_id))
        .map(|(m, user)| {
            user.as_ref()
                .map_or_else(|| m.user_id.to_string(), display_name)
        })
        .collect();
    without.sort_by_key(|name| name.to_lowercase());
    Ok(Distribution {
        topics: topics
            .into_iter()
            .map(|t| DistTopic {
                picks: by_topic.remove(&t.id).unwrap_or_default(),
                id: t.id,
                title: t.title,
            })
            .collect(),
        list,
        event,
        timezone: group.timezone,
        without,
    })
}

/// A topic of the user's group with its picks (leader and assistants).
pub async fn topic_picks(
    db: &DatabaseConnection,
    user_id: i64,
    topic: Uuid,
) -> Result<(topiclists::Model, DistTopic), TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let (topic, list) = topic_in_group(db, member.group_id, topic).await?;
    let mut distribution = distribution(db, user_id, list.id).await?;
    let found = distribution
        .topics
        .iter()
        .position(|t| t.id == topic.id)
        .ok_or(TopicError::NotFound)?;
    Ok((list, distribution.topics.swap_remove(found)))
}

// ----- writes -------------------------------------------------------------------------------

/// Attaches a new topic list to an event of the user's group.
pub async fn create_list(
    db: &DatabaseConnection,
    user_id: i64,
    event: Uuid,
    title: &ListTitle,
    capacity: Capacity,
    lines: &TopicLines,
) -> Result<topiclists::Model, TopicError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    events::Entity::find_by_id(event)
        .filter(events::Column::GroupId.eq(member.group_id))
        .one(&txn)
        .await?
        .ok_or(TopicError::EventNotFound)?;
    let list = topiclists::Model {
        id: Uuid::new_v4(),
        event_id: event,
        title: title.as_str().to_owned(),
        max_participants_per_topic: capacity.get() as i32,
        created_by_user_id: Some(user_id),
        created_at: Utc::now(),
    };
    topiclists::Entity::insert(topiclists::ActiveModel {
        id: Set(list.id),
        event_id: Set(list.event_id),
        title: Set(list.title.clone()),
        max_participants_per_topic: Set(list.max_participants_per_topic),
        created_by_user_id: Set(list.created_by_user_id),
        created_at: Set(list.created_at),
    })
    .exec_without_returning(&txn)
    .await?;
    insert_topics(&txn, list.id, 1, lines).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "topics.create",
            entity_type: "topic_list",
            entity_id: list.id.to_string(),
            details: json!({
                "event_id": event,
                "title": list.title,
                "capacity": list.max_participants_per_topic,
                "topics": lines.len(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(list)
}

/// Adds topics to a list of the user's group; refuses topics it already has and a list longer
/// than [`TopicLines::MAX_TOPICS`]. Returns the list and how many topics it has now.
pub async fn add_topics(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
    lines: &TopicLines,
) -> Result<(topiclists::Model, usize), TopicError> {
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        lock_list(&txn, list).await?;
        let (list, _) = list_in_group(&txn, member.group_id, list).await?;
        let existing = list_topics(&txn, list.id).await?;
        let known: HashSet<String> = existing.iter().map(|t| fold(&t.title)).collect();
        let duplicates: Vec<String> = lines
            .topics()
            .iter()
            .filter(|t| known.contains(&fold(t)))
            .cloned()
            .collect();
        if !duplicates.is_empty() {
            return Err(TopicError::Duplicates(duplicates));
        }
        let count = existing.len() + lines.len();
        if count > TopicLines::MAX_TOPICS {
            return Err(TopicError::TooManyTopics {
                count,
                max: TopicLines::MAX_TOPICS,
            });
        }
        let next = existing.iter().map(|t| t.position).max().unwrap_or(0) + 1;
        insert_topics(&txn, list.id, next, lines).await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topics.add",
                entity_type: "topic_list",
                entity_id: list.id.to_string(),
                details: json!({ "topics": lines.topics() }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok((list, count))
    })
    .await
}

/// Removes a topic; the picks of it go with it (the students are returned, to be told).
pub async fn remove_topic(
    db: &DatabaseConnection,
    user_id: i64,
    topic: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Removed>,
) -> Result<Removed, TopicError> {
    let notices = &notices;
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (topic, list) = topic_in_group(&txn, member.group_id, topic).await?;
        lock_list(&txn, list.id).await?;
        let students: Vec<i64> = list_picks(&txn, &[topic.id])
            .await?
            .into_iter()
            .map(|p| p.user_id)
            .collect();
        topics::Entity::delete_by_id(topic.id).exec(&txn).await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topics.remove",
                entity_type: "topic",
                entity_id: topic.id.to_string(),
                details: json!({
                    "list_id": list.id,
                    "title": topic.title,
                    "students": students,
                }),
            },
        )
        .await?;
        let mut removed = Removed {
            list: list.id,
            list_title: list.title,
            title: topic.title,
            students,
            notices: Vec::new(),
        };
        removed.notices = notice::write(&txn, now, notices(&removed)).await?;
        txn.commit().await?;
        Ok(removed)
    })
    .await
}

/// Deletes a list with its topics and picks.
pub async fn delete_list(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<Deleted, TopicError> {
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (list, event) = list_in_group(&txn, member.group_id, list).await?;
        topiclists::Entity::delete_by_id(list.id).exec(&txn).await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topics.delete",
                entity_type: "topic_list",
                entity_id: list.id.to_string(),
                details: json!({ "event_id": event.id, "title": list.title }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Deleted {
            title: list.title,
            event: event.id,
        })
    })
    .await
}

/// The student picks `topic`, giving up an unconfirmed pick in the same list.
pub async fn pick(
    db: &DatabaseConnection,
    user_id: i64,
    topic: Uuid,
) -> Result<Picked, TopicError> {
    retrying(|| try_pick(db, user_id, topic)).await
}

async fn try_pick(
    db: &DatabaseConnection,
    user_id: i64,
    topic: Uuid,
) -> Result<Picked, TopicError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, |_| true).await?;
    let (topic, list) = topic_in_group(&txn, member.group_id, topic).await?;
    lock_list(&txn, list.id).await?;
    let all = list_topics(&txn, list.id).await?;
    let ids: Vec<Uuid> = all.iter().map(|t| t.id).collect();
    let picks = list_picks(&txn, &ids).await?;
    let mine: Vec<&topicselections::Model> =
        picks.iter().filter(|p| p.user_id == user_id).collect();
    if mine.iter().any(|p| p.topic_id == topic.id) {
        return Err(TopicError::AlreadyYours { title: topic.title });
    }
    let title_of = |id: Uuid| {
        all.iter()
            .find(|t| t.id == id)
            .map(|t| t.title.clone())
            .unwrap_or_default()
    };
    if let Some(confirmed) = mine.iter().find(|p| p.is_confirmed) {
        return Err(TopicError::Confirmed {
            title: title_of(confirmed.topic_id),
        });
    }
    let taken = picks.iter().filter(|p| p.topic_id == topic.id).count();
    if taken >= list.max_participants_per_topic.max(0) as usize {
        return Err(TopicError::Full { title: topic.title });
    }
    let replaced = mine.first().map(|p| title_of(p.topic_id));
    for old in &mine {
        topicselections::Entity::delete_by_id(old.id)
            .exec(&txn)
            .await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topic.unpick",
                entity_type: "topic_selection",
                entity_id: old.id.to_string(),
                details: json!({ "list_id": list.id, "topic_id": old.topic_id, "replaced": true }),
            },
        )
        .await?;
    }
    let selection = Uuid::new_v4();
    let inserted = topicselections::Entity::insert(topicselections::ActiveModel {
        id: Set(selection),
        topic_id: Set(topic.id),
        user_id: Set(user_id),
        selected_at: Set(Utc::now()),
        is_confirmed: Set(false),
        confirmed_by_user_id: Set(None),
    })
    .exec_without_returning(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err)
            if storage::unique_violation_constraint(&err).as_deref()
                == Some(UQ_TOPICSELECTIONS_TOPIC_USER) =>
        {
            return Err(TopicError::AlreadyYours { title: topic.title });
        }
        Err(err) => return Err(err.into()),
    }
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: "topic.pick",
            entity_type: "topic_selection",
            entity_id: selection.to_string(),
            details: json!({ "list_id": list.id, "topic_id": topic.id, "title": topic.title }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Picked {
        list: list.id,
        title: topic.title,
        replaced,
    })
}

/// The student gives up their unconfirmed pick in `list`; returns the topic's title.
pub async fn unpick(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<String, TopicError> {
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, |_| true).await?;
        let (list, _) = list_in_group(&txn, member.group_id, list).await?;
        lock_list(&txn, list.id).await?;
        let topics = list_topics(&txn, list.id).await?;
        let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
        let pick = list_picks(&txn, &ids)
            .await?
            .into_iter()
            .find(|p| p.user_id == user_id)
            .ok_or(TopicError::NoPick)?;
        let title = topics
            .into_iter()
            .find(|t| t.id == pick.topic_id)
            .map(|t| t.title)
            .unwrap_or_default();
        if pick.is_confirmed {
            return Err(TopicError::Confirmed { title });
        }
        topicselections::Entity::delete_by_id(pick.id)
            .exec(&txn)
            .await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topic.unpick",
                entity_type: "topic_selection",
                entity_id: pick.id.to_string(),
                details: json!({ "list_id": list.id, "topic_id": pick.topic_id }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(title)
    })
    .await
}

/// A pick of the user's group with its topic and list.
async fn selection_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    selection: Uuid,
) -> Result<(topicselections::Model, topics::Model, topiclists::Model), TopicError> {
    let pick = topicselections::Entity::find_by_id(selection)
        .one(conn)
        .await?
        .ok_or(TopicError::NotFound)?;
    let (topic, list) = topic_in_group(conn, group, pick.topic_id).await?;
    Ok((pick, topic, list))
}

/// Confirms one pick (leader/assistant). Confirming a confirmed pick changes nothing.
pub async fn confirm(
    db: &DatabaseConnection,
    user_id: i64,
    selection: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Decided>,
) -> Result<Decided, TopicError> {
    let notices = &notices;
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (pick, topic, list) = selection_in_group(&txn, member.group_id, selection).await?;
        let newly = !pick.is_confirmed;
        if newly {
            set_confirmed(&txn, &[pick.id], user_id).await?;
            changelog::record(
                &txn,
                Change {
                    actor: Some(user_id),
                    group: Some(member.group_id),
                    action: "topic.confirm",
                    entity_type: "topic_selection",
                    entity_id: pick.id.to_string(),
                    details: json!({ "list_id": list.id, "topic_id": topic.id, "student": pick.user_id }),
                },
            )
            .await?;
        }
        let mut decided = Decided {
            list: list.id,
            list_title: list.title,
            topic: topic.id,
            topic_title: topic.title,
            student: pick.user_id,
            notices: Vec::new(),
        };
        // Confirming a confirmed pick tells nobody again.
        if newly {
            decided.notices = notice::write(&txn, now, notices(&decided)).await?;
        }
        txn.commit().await?;
        Ok(decided)
    })
    .await
}

async fn set_confirmed(conn: &impl ConnectionTrait, ids: &[Uuid], by: i64) -> Result<(), DbErr> {
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

/// Confirms every unconfirmed pick of a list; returns them.
pub async fn confirm_all(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Decided>,
) -> Result<ConfirmedAll, TopicError> {
    let notices = &notices;
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        lock_list(&txn, list).await?;
        let (list, _) = list_in_group(&txn, member.group_id, list).await?;
        let topics = list_topics(&txn, list.id).await?;
        let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
        let open: Vec<topicselections::Model> = list_picks(&txn, &ids)
            .await?
            .into_iter()
            .filter(|p| !p.is_confirmed)
            .collect();
        let selection_ids: Vec<Uuid> = open.iter().map(|p| p.id).collect();
        if !open.is_empty() {
            set_confirmed(&txn, &selection_ids, user_id).await?;
            changelog::record(
                &txn,
                Change {
                    actor: Some(user_id),
                    group: Some(member.group_id),
                    action: "topic.confirm",
                    entity_type: "topic_list",
                    entity_id: list.id.to_string(),
                    details: json!({ "selections": selection_ids }),
                },
            )
            .await?;
        }
        let titles: HashMap<Uuid, String> = topics.into_iter().map(|t| (t.id, t.title)).collect();
        let decided: Vec<Decided> = open
            .into_iter()
            .map(|p| Decided {
                list: list.id,
                list_title: list.title.clone(),
                topic: p.topic_id,
                topic_title: titles.get(&p.topic_id).cloned().unwrap_or_default(),
                student: p.user_id,
                notices: Vec::new(),
            })
            .collect();
        let told = decided.iter().flat_map(notices).collect();
        let notices = notice::write(&txn, now, told).await?;
        txn.commit().await?;
        Ok(ConfirmedAll { decided, notices })
    })
    .await
}

/// Rejects a pick (leader/assistant): the place is free again.
pub async fn reject(
    db: &DatabaseConnection,
    user_id: i64,
    selection: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Decided>,
) -> Result<Decided, TopicError> {
    let notices = &notices;
    retrying(|| async move {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (pick, topic, list) = selection_in_group(&txn, member.group_id, selection).await?;
        lock_list(&txn, list.id).await?;
        topicselections::Entity::delete_by_id(pick.id)
            .exec(&txn)
            .await?;
        changelog::record(
            &txn,
            Change {
                actor: Some(user_id),
                group: Some(member.group_id),
                action: "topic.reject",
                entity_type: "topic_selection",
                entity_id: pick.id.to_string(),
                details: json!({
                    "list_id": list.id,
                    "topic_id": topic.id,
                    "student": pick.user_id,
                    "was_confirmed": pick.is_confirmed,
                }),
            },
        )
        .await?;
        let mut decided = Decided {
            list: list.id,
            list_title: list.title,
            topic: topic.id,
            topic_title: topic.title,
            student: pick.user_id,
            notices: Vec::new(),
        };
        decided.notices = notice::write(&txn, now, notices(&decided)).await?;
        txn.commit().await?;
        Ok(decided)
    })
    .await
}
