//! The reads of homework other domains need (the digests); the list and card reads live beside
//! them.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::storage::entities::{homework, homeworkdone};
use crate::timetable::week::Subgroup;

/// A published task due on a date, with who ticked it done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: Uuid,
    pub group_id: Uuid,
    /// The class's subject (`None`: a task without a class).
    pub subject: Option<String>,
    /// Whose class it is (`None`: everyone's).
    pub subgroup: Option<Subgroup>,
    pub body: String,
    pub due_at: DateTime<Utc>,
    /// Students who ticked it «✅ Сделано».
    pub done_by: HashSet<i64>,
}

impl Due {
    /// Whether `user` of `subgroup` still has it to do: their subgroup sees it and they have
    /// not ticked it.
    pub fn open_for(&self, user: i64, subgroup: Option<Subgroup>) -> bool {
        Subgroup::sees(subgroup, self.subgroup) && !self.done_by.contains(&user)
    }
}

/// The published tasks of `groups` due on `date` (each group's own date: the caller passes
/// groups sharing it), by due time, grouped by group: two statements for any number of groups.
pub async fn due_on(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
    date: NaiveDate,
) -> Result<BTreeMap<Uuid, Vec<Due>>, DbErr> {
    let mut by_group: BTreeMap<Uuid, Vec<Due>> = BTreeMap::new();
    if groups.is_empty() {
        return Ok(by_group);
    }
    let mut tasks = Vec::new();
    for chunk in groups.chunks(500) {
        tasks.extend(
            homework::Entity::find()
                .filter(homework::Column::GroupId.is_in(chunk.iter().copied()))
                .filter(homework::Column::DueDate.eq(date))
                .filter(homework::Column::Status.eq(super::PUBLISHED))
                .order_by_asc(homework::Column::DueAt)
                .order_by_asc(homework::Column::CreatedAt)
                .all(conn)
                .await?,
        );
    }
    let mut done: BTreeMap<Uuid, HashSet<i64>> = BTreeMap::new();
    let ids: Vec<Uuid> = tasks.iter().map(|task| task.id).collect();
    for chunk in ids.chunks(500) {
        let ticks = homeworkdone::Entity::find()
            .filter(homeworkdone::Column::HomeworkId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for tick in ticks {
            done.entry(tick.homework_id)
                .or_default()
                .insert(tick.user_id);
        }
    }
    for task in tasks {
        let subgroup = task
            .subgroup
            .and_then(|n| u8::try_from(n).ok())
            .and_then(Subgroup::new);
        by_group.entry(task.group_id).or_default().push(Due {
            id: task.id,
            group_id: task.group_id,
            subject: task.subject,
            subgroup,
            body: task.body,
            due_at: task.due_at,
            done_by: done.remove(&task.id).unwrap_or_default(),
        });
    }
    Ok(by_group)
}
