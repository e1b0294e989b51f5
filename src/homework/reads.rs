//! The reads of homework other domains need (the digests); the list and card reads live beside
//! them.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::storage::entities::{homework, homeworkdone, homeworkfiles};
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

// ----- the list, the card and the timetable's lines -------------------------------------------

/// Who looks at homework: their group, role, zone and subgroup.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: i64,
    pub group_id: Uuid,
    pub role: crate::members::Role,
    pub tz: chrono_tz::Tz,
    pub subgroup: Option<Subgroup>,
}

impl Viewer {
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// Whether the viewer sees `task`: the leader and assistants every task of the group,
    /// a member the published ones of their subgroup (and everyone's).
    fn sees(&self, task: &homework::Model) -> bool {
        task.group_id == self.group_id
            && (self.role.can_manage()
                || (task.status == super::PUBLISHED
                    && Subgroup::sees(self.subgroup, subgroup_of(task))))
    }
}

fn subgroup_of(task: &homework::Model) -> Option<Subgroup> {
    task.subgroup
        .and_then(|n| u8::try_from(n).ok())
        .and_then(Subgroup::new)
}

/// The viewer `user`; `NotInGroup` outside a group.
pub async fn viewer(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<Viewer, super::HomeworkError> {
    let looker = crate::timetable::repo::looker(conn, user)
        .await?
        .ok_or(crate::members::service::AccessError::NotInGroup)?;
    let role = if looker.is_leader {
        crate::members::Role::Leader
    } else if looker.is_assistant {
        crate::members::Role::Assistant
    } else {
        crate::members::Role::Member
    };
    Ok(Viewer {
        user_id: user,
        group_id: looker.group,
        role,
        tz: crate::groups::Timezone::stored(&looker.timezone).tz(),
        subgroup: looker.subgroup,
    })
}

/// A task as a screen shows it.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: Uuid,
    pub class_id: Option<Uuid>,
    pub subject: Option<String>,
    pub subgroup: Option<Subgroup>,
    pub due_date: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub body: String,
    pub published: bool,
    /// The viewer ticked it «✅ Сделано».
    pub done: bool,
}

fn task_of(task: homework::Model, done: bool) -> Task {
    Task {
        id: task.id,
        class_id: task.class_id,
        subgroup: subgroup_of(&task),
        subject: task.subject,
        due_date: task.due_date,
        due_at: task.due_at,
        published: task.status == super::PUBLISHED,
        body: task.body,
        done,
    }
}

/// The tasks the viewer sees due today and later, by due time; the viewer's ticks marked.
pub async fn upcoming(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    today: NaiveDate,
) -> Result<Vec<Task>, DbErr> {
    let rows = homework::Entity::find()
        .filter(homework::Column::GroupId.eq(viewer.group_id))
        .filter(homework::Column::DueDate.gte(today))
        .order_by_asc(homework::Column::DueAt)
        .order_by_asc(homework::Column::CreatedAt)
        .all(conn)
        .await?;
    let ticked: HashSet<Uuid> = homeworkdone::Entity::find()
        .filter(homeworkdone::Column::UserId.eq(viewer.user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|tick| tick.homework_id)
        .collect();
    Ok(rows
        .into_iter()
        .filter(|task| viewer.sees(task))
        .map(|task| {
            let done = ticked.contains(&task.id);
            task_of(task, done)
        })
        .collect())
}

/// A task's card: the task and its attachments in the order they were sent.
#[derive(Debug, Clone)]
pub struct Card {
    pub viewer: Viewer,
    pub task: Task,
    pub files: Vec<super::service::Attachment>,
}

/// The card of `task` for `user`; `NotFound` for a task they do not see.
pub async fn card(
    conn: &impl ConnectionTrait,
    user: i64,
    task: Uuid,
) -> Result<Card, super::HomeworkError> {
    let viewer = viewer(conn, user).await?;
    let stored = homework::Entity::find_by_id(task)
        .one(conn)
        .await?
        .filter(|task| viewer.sees(task))
        .ok_or(super::HomeworkError::NotFound)?;
    let done = homeworkdone::Entity::find_by_id((task, user))
        .one(conn)
        .await?
        .is_some();
    let files = homeworkfiles::Entity::find()
        .filter(homeworkfiles::Column::HomeworkId.eq(task))
        .order_by_asc(homeworkfiles::Column::Position)
        .all(conn)
        .await?
        .into_iter()
        .map(|file| super::service::Attachment {
            kind: super::service::FileKind::stored(&file.kind),
            file_id: file.file_id,
        })
        .collect();
    Ok(Card {
        viewer,
        task: task_of(stored, done),
        files,
    })
}

/// A published task as the timetable shows it on its date: under its class, or under the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayTask {
    pub class_id: Option<Uuid>,
    pub body: String,
    /// The viewer ticked it «✅ Сделано».
    pub done: bool,
}

/// The published tasks of `group` due `from..=to` that `viewer`, a student of `subgroup`,
/// sees, by date, with their own ticks.
pub async fn on_days(
    conn: &impl ConnectionTrait,
    group: Uuid,
    (viewer, subgroup): (i64, Option<Subgroup>),
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Vec<DayTask>>, DbErr> {
    let rows = homework::Entity::find()
        .filter(homework::Column::GroupId.eq(group))
        .filter(homework::Column::Status.eq(super::PUBLISHED))
        .filter(homework::Column::DueDate.between(from, to))
        .order_by_asc(homework::Column::DueAt)
        .order_by_asc(homework::Column::CreatedAt)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|task| task.id).collect();
    let mut ticked = HashSet::new();
    for chunk in ids.chunks(500) {
        let ticks = homeworkdone::Entity::find()
            .filter(homeworkdone::Column::UserId.eq(viewer))
            .filter(homeworkdone::Column::HomeworkId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        ticked.extend(ticks.into_iter().map(|tick| tick.homework_id));
    }
    let mut by_date: BTreeMap<NaiveDate, Vec<DayTask>> = BTreeMap::new();
    for task in rows {
        if Subgroup::sees(subgroup, subgroup_of(&task)) {
            by_date.entry(task.due_date).or_default().push(DayTask {
                class_id: task.class_id,
                done: ticked.contains(&task.id),
                body: task.body,
            });
        }
    }
    Ok(by_date)
}
