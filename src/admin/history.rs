//! What each change-log row was about, for the history screens: the event, queue, topic
//! list or homework task it names, by its title now — or, if it was deleted since, by the title the row kept.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::homework::text::first_line;
use crate::storage::entities::{changelog as log, events, homework, queues, topiclists};

/// How much of a task's first line names it in the history.
const TITLE_LENGTH: usize = 40;

/// The thing a change was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Event(String),
    Queue(String),
    TopicList(String),
    /// A homework task, by the start of its text.
    Homework(String),
}

/// Which table a row's subject is in, and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Event(Uuid),
    Queue(Uuid),
    TopicList(Uuid),
    Homework(Uuid),
}

fn key_of(row: &log::Model) -> Option<Key> {
    let id = || Uuid::parse_str(row.entity_id.as_deref()?).ok();
    let detail = |name: &str| {
        row.details
            .as_ref()?
            .get(name)
            .and_then(|v| v.as_str())
            .and_then(|v| Uuid::parse_str(v).ok())
    };
    match row.entity_type.as_str() {
        "event" => id().map(Key::Event),
        "deadline" => detail("event_id").map(Key::Event),
        "queue" => id().map(Key::Queue),
        "topic_list" | "topics" => id().map(Key::TopicList),
        "homework" => id().map(Key::Homework),
        _ => None,
    }
}

async fn titles<E>(
    conn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
    id: E::Column,
    title: E::Column,
) -> Result<HashMap<Uuid, String>, DbErr>
where
    E: EntityTrait,
{
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = E::find()
        .select_only()
        .column(id)
        .column(title)
        .filter(id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The subject of each row (in order): at most one query per kind of subject on the page.
pub async fn subjects(
    conn: &impl ConnectionTrait,
    rows: &[log::Model],
) -> Result<Vec<Option<Subject>>, DbErr> {
    let keys: Vec<Option<Key>> = rows.iter().map(key_of).collect();
    let ids = |pick: fn(Key) -> Option<Uuid>| -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = keys.iter().flatten().filter_map(|&k| pick(k)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let event_ids = ids(|k| match k {
        Key::Event(id) => Some(id),
        _ => None,
    });
    let queue_ids = ids(|k| match k {
        Key::Queue(id) => Some(id),
        _ => None,
    });
    let list_ids = ids(|k| match k {
        Key::TopicList(id) => Some(id),
        _ => None,
    });
    let task_ids = ids(|k| match k {
        Key::Homework(id) => Some(id),
        _ => None,
    });
    let tasks =
        titles::<homework::Entity>(conn, task_ids, homework::Column::Id, homework::Column::Body)
            .await?;
    let events =
        titles::<events::Entity>(conn, event_ids, events::Column::Id, events::Column::Title)
            .await?;
    let queues =
        titles::<queues::Entity>(conn, queue_ids, queues::Column::Id, queues::Column::Title)
            .await?;
    let lists = titles::<topiclists::Entity>(
        conn,
        list_ids,
        topiclists::Column::Id,
        topiclists::Column::Title,
    )
    .await?;
    Ok(rows
        .iter()
        .zip(keys)
        .map(|(row, key)| {
            // A deleted subject: the title its row kept.
            let kept = || {
                row.details
                    .as_ref()?
                    .get("title")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            match key? {
                Key::Event(id) => events.get(&id).cloned().or_else(kept).map(Subject::Event),
                Key::Queue(id) => queues.get(&id).cloned().or_else(kept).map(Subject::Queue),
                Key::TopicList(id) => lists
                    .get(&id)
                    .cloned()
                    .or_else(kept)
                    .map(Subject::TopicList),
                Key::Homework(id) => tasks
                    .get(&id)
                    .map(|body| first_line(body, TITLE_LENGTH))
                    .or_else(|| {
                        let body = row.details.as_ref()?.get("body")?.as_str()?;
                        Some(first_line(body, TITLE_LENGTH))
                    })
                    .map(Subject::Homework),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_homework_row_names_its_task() {
        let id = Uuid::new_v4();
        let row = log::Model {
            id: 1,
            user_id: Some(1),
            action_type: "homework.delete".into(),
            details: Some(serde_json::json!({ "body": "Задачи 1–5\nстр. 12" })),
            entity_type: "homework".into(),
            entity_id: Some(id.to_string()),
            changed_at: chrono::Utc::now(),
            group_id: None,
        };
        assert_eq!(key_of(&row), Some(Key::Homework(id)));
    }
}
