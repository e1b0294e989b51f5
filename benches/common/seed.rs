//! Groups as the workload benchmarks find them: written through the services (a leader each,
//! events with a queue and a topic list each), then students inserted as members in bulk.

use anyhow::Context;
use chrono::{DateTime, Days, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use study_group_bot::events::service::NewEvent;
use study_group_bot::events::text::EventTitle;
use study_group_bot::groups::name::GroupName;
use study_group_bot::members::service::TelegramProfile;
use study_group_bot::queues::service::NewQueue;
use study_group_bot::queues::text::QueueTitle;
use study_group_bot::storage::entities::{groupmembers, topics, users};
use study_group_bot::topics::input::{Capacity, ListTitle, TopicLines};
use study_group_bot::topics::service::NewList;
use study_group_bot::uow::run_as;
use study_group_bot::{events, groups, members, queues, topics as topic_lists};
use uuid::Uuid;

/// An event of a seeded group with its queue and topic list (topics in order).
#[derive(Clone)]
pub struct Event {
    pub id: Uuid,
    pub queue: Uuid,
    pub topic_list: Uuid,
    pub topics: Vec<Uuid>,
}

pub struct Group {
    pub id: Uuid,
    pub events: Vec<Event>,
}

/// How each seeded group looks.
#[derive(Clone, Copy)]
pub struct Shape {
    pub events: u64,
    pub topics: usize,
    /// Students a topic takes.
    pub capacity: usize,
}

pub fn profile(id: i64, first: &str, last: &str) -> TelegramProfile {
    TelegramProfile {
        id,
        username: None,
        first_name: first.to_owned(),
        last_name: Some(last.to_owned()),
        language: Some("ru".to_owned()),
    }
}

/// Group number `index`, led by `leader`: its events from three days ahead, every other day,
/// each with the queue «Защита» and a topic list.
pub async fn group(
    db: &DatabaseConnection,
    leader: i64,
    index: usize,
    shape: Shape,
) -> anyhow::Result<Group> {
    let now = Utc::now();
    let topic_text: Vec<String> = (1..=shape.topics).map(|t| format!("Тема {t}")).collect();
    let lines = TopicLines::parse(&topic_text.join("\n"))?;
    let capacity = Capacity::parse(&shape.capacity.to_string())?;
    let leader_name = format!("Группы{index}");
    members::service::register(db, &profile(leader, "Староста", &leader_name), now).await?;
    let name = GroupName::parse(&format!("Группа {index}"))?;
    let moscow = groups::Timezone::parse("Europe/Moscow")?;
    let group = run_as(db, leader, |uow| {
        Box::pin(groups::service::create(uow, &name, moscow))
    })
    .await?;
    let mut seeded = Group {
        id: group.id,
        events: Vec::new(),
    };
    for k in 0..shape.events {
        let new = NewEvent {
            id: Uuid::new_v4(),
            title: EventTitle::parse(&format!("Лабораторная {}", k + 1))?,
            subject: None,
            date: now
                .date_naive()
                .checked_add_days(Days::new(3 + 2 * k))
                .context("a date")?,
            description: None,
            important: k % 3 == 0,
        };
        let created = run_as(db, leader, |uow| {
            Box::pin(events::service::create(uow, &new))
        })
        .await?;
        let event = created.event.id;
        let new_queue = NewQueue {
            title: Some(QueueTitle::parse("Защита")?),
            description: None,
            max: None,
        };
        let queue = run_as(db, leader, |uow| {
            Box::pin(queues::service::create(uow, event, &new_queue))
        })
        .await?;
        let new_list = NewList {
            title: ListTitle::parse("Темы докладов")?,
            capacity,
            lines: lines.clone(),
        };
        let list = run_as(db, leader, |uow| {
            Box::pin(topic_lists::service::create_list(uow, event, &new_list))
        })
        .await?;
        let topics = topics::Entity::find()
            .filter(topics::Column::TopicListId.eq(list.id))
            .order_by_asc(topics::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        seeded.events.push(Event {
            id: event,
            queue: queue.id,
            topic_list: list.id,
            topics,
        });
    }
    Ok(seeded)
}

/// Students `first_id`, `first_id + 1`, … (`count` of them), named «Студент <surname><n>», the
/// n-th a member of `group_of(n)`.
pub async fn students(
    db: &DatabaseConnection,
    first_id: i64,
    count: usize,
    surname: &str,
    group_of: impl Fn(usize) -> Uuid,
) -> anyhow::Result<()> {
    let now = Utc::now();
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let users = chunk
            .iter()
            .map(|&n| user(first_id + n as i64, format!("{surname}{n}"), now));
        users::Entity::insert_many(users)
            .exec_without_returning(db)
            .await?;
        let memberships = chunk.iter().map(|&n| groupmembers::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(first_id + n as i64),
            group_id: Set(group_of(n)),
            is_leader: Set(false),
            is_assistant: Set(false),
            joined_at: Set(now),
        });
        groupmembers::Entity::insert_many(memberships)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A registered student «Студент <last_name>» with a Russian Telegram client, as a row.
pub fn user(id: i64, last_name: String, now: DateTime<Utc>) -> users::ActiveModel {
    users::ActiveModel {
        telegram_id: Set(id),
        telegram_username: Set(None),
        first_name: Set("Студент".to_owned()),
        last_name: Set(Some(last_name)),
        middle_name: Set(None),
        created_at: Set(now),
        last_active_at: Set(now),
        notification_settings: Set(None),
        language: Set(None),
        is_blocked: Set(false),
        telegram_language: Set(Some("ru".to_owned())),
        has_full_name: Set(false),
    }
}
