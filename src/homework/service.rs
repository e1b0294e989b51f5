//! The rules for homework: use cases that run in a unit of work ([`Uow`]). No Telegram types
//! here.
//!
//! Everyone in the group may set a task; the leader's and assistants' tasks are published at
//! once, a member's is proposed and waits for one of them. A task on a class takes the class's
//! subject and subgroup and is due at the class's start on that date (after cancellations and
//! moves, in the group's zone); a task on a plain date is due at the end of that day.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::HomeworkEvent;
use super::text::HomeworkBody;
use super::{PROPOSED, PUBLISHED};
use crate::groups::Timezone;
use crate::members::Role;
use crate::storage;
use crate::storage::entities::{groupmembers, homework, homeworkdone, homeworkfiles};
use crate::timetable::repo::{self as timetable, Looker};
use crate::timetable::schedule;
use crate::timetable::week::Subgroup;
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum HomeworkError {
        /// No such task the user may see (deleted, another group's, another subgroup's, or a
        /// proposal a member cannot see).
        #[error("no such task")]
        NotFound,
        /// The class is not held on that date (or is no class of the group).
        #[error("the class is not held on that date")]
        NoSuchClass,
        /// The form was saved already (a repeated «Сохранить»).
        #[error("this task was already saved")]
        AlreadySaved,
        /// The task was approved or rejected meanwhile.
        #[error("the task is no longer waiting for approval")]
        NotProposed,
        /// More attachments than a task keeps.
        #[error("too many attachments")]
        TooManyFiles,
    }
}

/// The most attachments a task keeps.
pub const MAX_FILES: usize = 10;
/// How far ahead the dates of a class are looked for.
const LOOKAHEAD_WEEKS: i64 = 20;

/// When a task is due: at a class held on a date, or on a plain date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum DueOn {
    Class { class: Uuid, date: NaiveDate },
    Date { date: NaiveDate },
}

impl DueOn {
    pub fn date(self) -> NaiveDate {
        match self {
            DueOn::Class { date, .. } | DueOn::Date { date } => date,
        }
    }
}

/// What an attachment is, as Telegram sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Photo,
    Document,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Photo => "photo",
            FileKind::Document => "document",
        }
    }

    pub fn stored(name: &str) -> Self {
        match name {
            "photo" => FileKind::Photo,
            _ => FileKind::Document,
        }
    }
}

/// An attachment, by the file id Telegram gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub kind: FileKind,
    pub file_id: String,
}

/// A new task, as the form has collected it. `id` is chosen when the form reaches its
/// attachments, so saving the same form twice cannot create two tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHomework {
    pub id: Uuid,
    pub due: DueOn,
    pub body: HomeworkBody,
    pub files: Vec<Attachment>,
}

/// A class held on a date, as a task can be set on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDate {
    pub class: Uuid,
    pub date: NaiveDate,
    pub subject: String,
    pub subgroup: Option<Subgroup>,
    /// The class's start (its bell), in the group's zone.
    pub start: Option<NaiveTime>,
}

/// The classes held from `from` for `weeks` weeks that `wanted` accepts, by date and pair
/// (every subgroup's).
async fn held(
    conn: &impl ConnectionTrait,
    looker: &Looker,
    from: NaiveDate,
    to: NaiveDate,
    wanted: impl Fn(&schedule::Occurrence) -> bool,
) -> Result<Vec<ClassDate>, DbErr> {
    let classes = timetable::classes(conn, looker.group).await?;
    let changes = timetable::changes(conn, looker.group, from, to).await?;
    let plans = schedule::plan(&classes, &changes, looker.semester.as_ref(), from, to, None);
    let mut found = Vec::new();
    for plan in plans.values() {
        for occurrence in plan.held.iter().filter(|o| wanted(o)) {
            let Some(class) = occurrence.class else {
                continue;
            };
            found.push(ClassDate {
                class,
                date: occurrence.date,
                subject: occurrence.subject.clone(),
                subgroup: occurrence.subgroup,
                start: looker.bells.pair(occurrence.pair).map(|bell| bell.start),
            });
        }
    }
    Ok(found)
}

async fn looker_of(conn: &impl ConnectionTrait, user: i64) -> Result<Looker, HomeworkError> {
    Ok(timetable::looker(conn, user)
        .await?
        .ok_or(crate::members::service::AccessError::NotInGroup)?)
}

/// The group's subjects with weekly classes, each with one of its classes (to name it in a
/// button), by name.
pub async fn subjects(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<Vec<(Uuid, String)>, HomeworkError> {
    let looker = looker_of(conn, user).await?;
    let mut subjects: Vec<(Uuid, String)> = Vec::new();
    for class in timetable::classes(conn, looker.group).await? {
        let name = class.spec.subject.as_str();
        if !subjects.iter().any(|(_, known)| known == name) {
            subjects.push((class.id, name.to_owned()));
        }
    }
    subjects.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(subjects)
}

/// The next `count` dates the subject of `class` is held for the group, from `now` on (a class
/// that has started today is past), after cancellations and moves.
pub async fn next_dates(
    conn: &impl ConnectionTrait,
    user: i64,
    class: Uuid,
    now: DateTime<Utc>,
    count: usize,
) -> Result<(String, Vec<ClassDate>), HomeworkError> {
    let looker = looker_of(conn, user).await?;
    let subject = timetable::class_in_group(conn, looker.group, class)
        .await?
        .ok_or(HomeworkError::NoSuchClass)?
        .spec
        .subject
        .as_str()
        .to_owned();
    let tz = Timezone::stored(&looker.timezone).tz();
    let local = now.with_timezone(&tz).naive_local();
    let today = local.date();
    let to = today + Duration::weeks(LOOKAHEAD_WEEKS);
    let dates = held(conn, &looker, today, to, |o| o.subject == subject).await?;
    let upcoming = dates
        .into_iter()
        .filter(|d| d.date > today || d.start.is_some_and(|start| start > local.time()))
        .take(count)
        .collect();
    Ok((subject, upcoming))
}

/// `local` in `tz` as UTC (a time skipped by a clock change counts an hour later).
fn utc_of(tz: Tz, local: chrono::NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

/// The end of `date` in `tz` (its last second), in UTC.
fn end_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    utc_of(tz, date.and_time(last))
}

/// A task of the user's group, as stored.
async fn task_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    task: Uuid,
) -> Result<homework::Model, HomeworkError> {
    homework::Entity::find_by_id(task)
        .filter(homework::Column::GroupId.eq(group))
        .one(conn)
        .await?
        .ok_or(HomeworkError::NotFound)
}

/// The leader and the assistants of `group`.
async fn managers(conn: &impl ConnectionTrait, group: Uuid) -> Result<Vec<i64>, DbErr> {
    let rows = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|m| m.is_leader || m.is_assistant)
        .map(|m| m.user_id)
        .collect())
}

fn subgroup_of(task: &homework::Model) -> Option<Subgroup> {
    task.subgroup
        .and_then(|n| u8::try_from(n).ok())
        .and_then(Subgroup::new)
}

// ----- use cases ----------------------------------------------------------------------------

/// Sets a task: published when the leader or an assistant sets it, proposed (and the leader
/// and assistants told) when a member does.
pub async fn create(
    uow: &mut Uow<'_>,
    new: &NewHomework,
) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(|_| true).await?;
    if new.files.len() > MAX_FILES {
        return Err(HomeworkError::TooManyFiles);
    }
    if homework::Entity::find_by_id(new.id)
        .one(uow.db())
        .await?
        .is_some()
    {
        return Err(HomeworkError::AlreadySaved);
    }
    let looker = looker_of(uow.db(), me.user_id).await?;
    let tz = Timezone::stored(&looker.timezone).tz();
    let (class_id, subject, subgroup, due_at) = match new.due {
        DueOn::Class { class, date } => {
            let found = held(uow.db(), &looker, date, date, |o| o.class == Some(class)).await?;
            let held = found.into_iter().next().ok_or(HomeworkError::NoSuchClass)?;
            let due_at = match held.start {
                Some(start) => utc_of(tz, date.and_time(start)),
                None => end_of_day(tz, date),
            };
            let subgroup = held.subgroup.map(|s| i16::from(s.number()));
            (Some(class), Some(held.subject), subgroup, due_at)
        }
        DueOn::Date { date } => (None, None, None, end_of_day(tz, date)),
    };
    let published = me.role.can_manage();
    let task = homework::Model {
        id: new.id,
        group_id: me.group_id,
        class_id,
        subject,
        subgroup,
        due_date: new.due.date(),
        due_at,
        body: new.body.as_str().to_owned(),
        status: if published { PUBLISHED } else { PROPOSED }.to_owned(),
        author_id: Some(me.user_id),
        approved_by: published.then_some(me.user_id),
        created_at: uow.now(),
        approved_at: published.then(|| uow.now()),
    };
    match task.clone().into_active_model().insert(uow.db()).await {
        Err(err) if storage::is_unique_violation(&err) => return Err(HomeworkError::AlreadySaved),
        other => other?,
    };
    for (position, file) in new.files.iter().enumerate() {
        homeworkfiles::ActiveModel {
            homework_id: Set(task.id),
            position: Set(i16::try_from(position).unwrap_or(i16::MAX)),
            kind: Set(file.kind.as_str().to_owned()),
            file_id: Set(file.file_id.clone()),
        }
        .insert(uow.db())
        .await?;
    }
    if published {
        uow.record(HomeworkEvent::Created {
            task: task.clone(),
            files: new.files.len(),
        });
    } else {
        let managers = managers(uow.db(), me.group_id).await?;
        uow.record(HomeworkEvent::Proposed {
            task: task.clone(),
            files: new.files.len(),
            managers,
        });
    }
    Ok(task)
}

/// Ticks a published task the user sees «✅ Сделано» for themselves (`done`), or unticks it.
pub async fn set_done(
    uow: &mut Uow<'_>,
    task: Uuid,
    done: bool,
) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(|_| true).await?;
    let stored = task_in_group(uow.db(), me.group_id, task).await?;
    let subgroup = timetable::subgroup(uow.db(), me.user_id).await?;
    if stored.status != PUBLISHED || !Subgroup::sees(subgroup, subgroup_of(&stored)) {
        return Err(HomeworkError::NotFound);
    }
    let ticked = homeworkdone::Entity::find_by_id((task, me.user_id))
        .one(uow.db())
        .await?
        .is_some();
    if ticked == done {
        return Ok(stored);
    }
    if done {
        homeworkdone::Entity::insert(homeworkdone::ActiveModel {
            homework_id: Set(task),
            user_id: Set(me.user_id),
            done_at: Set(uow.now()),
        })
        .on_conflict(
            OnConflict::columns([
                homeworkdone::Column::HomeworkId,
                homeworkdone::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(uow.db())
        .await?;
    } else {
        homeworkdone::Entity::delete_by_id((task, me.user_id))
            .exec(uow.db())
            .await?;
    }
    uow.record(HomeworkEvent::Ticked {
        group: me.group_id,
        task,
        done,
    });
    Ok(stored)
}

/// Changes a task's text (the leader or an assistant).
pub async fn edit_body(
    uow: &mut Uow<'_>,
    task: Uuid,
    body: &HomeworkBody,
) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = task_in_group(uow.db(), me.group_id, task).await?;
    let mut active = stored.clone().into_active_model();
    active.body = Set(body.as_str().to_owned());
    let after = active.update(uow.db()).await?;
    uow.record(HomeworkEvent::Edited {
        group: me.group_id,
        task,
        from: stored.body,
        to: after.body.clone(),
    });
    Ok(after)
}

/// Deletes a task of the group (the leader or an assistant).
pub async fn delete(uow: &mut Uow<'_>, task: Uuid) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = task_in_group(uow.db(), me.group_id, task).await?;
    homework::Entity::delete_by_id(task).exec(uow.db()).await?;
    uow.record(HomeworkEvent::Deleted {
        task: stored.clone(),
    });
    Ok(stored)
}

/// Publishes a proposed task (the leader or an assistant); its author is told.
pub async fn approve(uow: &mut Uow<'_>, task: Uuid) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = task_in_group(uow.db(), me.group_id, task).await?;
    if stored.status != PROPOSED {
        return Err(HomeworkError::NotProposed);
    }
    let mut active = stored.clone().into_active_model();
    active.status = Set(PUBLISHED.to_owned());
    active.approved_by = Set(Some(me.user_id));
    active.approved_at = Set(Some(uow.now()));
    let task = active.update(uow.db()).await?;
    uow.record(HomeworkEvent::Approved { task: task.clone() });
    Ok(task)
}

/// Rejects a proposed task (the leader or an assistant): it is deleted and its author told.
pub async fn reject(uow: &mut Uow<'_>, task: Uuid) -> Result<homework::Model, HomeworkError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = task_in_group(uow.db(), me.group_id, task).await?;
    if stored.status != PROPOSED {
        return Err(HomeworkError::NotProposed);
    }
    homework::Entity::delete_by_id(task).exec(uow.db()).await?;
    uow.record(HomeworkEvent::Rejected {
        task: stored.clone(),
    });
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_date_is_due_at_its_end_in_the_zone() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 15).unwrap_or_default();
        let due = end_of_day(chrono_tz::Europe::Moscow, date);
        assert_eq!(due.to_rfc3339(), "2026-09-15T20:59:59+00:00");
    }

    #[test]
    fn the_due_choice_survives_the_dialogue() {
        let due = DueOn::Class {
            class: Uuid::nil(),
            date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap_or_default(),
        };
        let json = serde_json::to_value(due).unwrap_or_default();
        assert_eq!(serde_json::from_value::<DueOn>(json).ok(), Some(due));
    }
}
