//! The reads of the timetable the screens show: who looks (group, role, zone, subgroup), the
//! days and weeks with their classes, events and deadlines, what a form needs before it starts
//! (each refusing who may not), and the group's feed.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::input::{DateContext, ExtraSpec};
use super::repo;
use super::schedule::{self, ChangeKind, Class, DateChange, Plan};
use super::service::TimetableError;
use super::week::{Bells, Semester, Subgroup, Week, monday_of};
use crate::groups::Timezone;
use crate::members::Role;
use crate::storage::entities::{deadlines, events};

/// Who looks at the timetable: their group, role, the group's zone, their subgroup.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: i64,
    pub group_id: Uuid,
    pub role: Role,
    pub tz: Tz,
    pub subgroup: Option<Subgroup>,
}

impl Viewer {
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }
}

/// An event of the group on a date, shown beside the classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEvent {
    pub title: String,
    pub important: bool,
}

/// A deadline falling on a date (in the group's zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayDeadline {
    pub text: String,
    pub at: DateTime<Utc>,
}

/// One date as a student sees it.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub week: Option<Week>,
    pub plan: Plan,
    pub events: Vec<DayEvent>,
    pub deadlines: Vec<DayDeadline>,
    /// The published homework due on the date that the viewer's subgroup sees.
    pub homework: Vec<crate::homework::reads::DayTask>,
}

/// Dates as a student sees them, with the semester and bells to show them.
#[derive(Debug, Clone)]
pub struct Days {
    pub viewer: Viewer,
    pub semester: Option<Semester>,
    pub bells: Bells,
    pub days: Vec<Day>,
}

/// The user's group, role, zone and subgroup; `NotInGroup` outside a group.
pub async fn viewer(conn: &impl ConnectionTrait, user: i64) -> Result<Viewer, TimetableError> {
    Ok(looking(conn, user).await?.0)
}

/// The viewer with their group's semester and bells: one statement.
async fn looking(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<(Viewer, Option<Semester>, Bells), TimetableError> {
    let looker = repo::looker(conn, user)
        .await?
        .ok_or(crate::members::service::AccessError::NotInGroup)?;
    let role = if looker.is_leader {
        Role::Leader
    } else if looker.is_assistant {
        Role::Assistant
    } else {
        Role::Member
    };
    let viewer = Viewer {
        user_id: user,
        group_id: looker.group,
        role,
        tz: Timezone::stored(&looker.timezone).tz(),
        subgroup: looker.subgroup,
    };
    Ok((viewer, looker.semester, looker.bells))
}

/// The dates `from..=to` for `user`: their subgroup's classes and the common ones, after the
/// changes, with the group's events and deadlines of each date.
pub async fn days(
    conn: &impl ConnectionTrait,
    user: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Days, TimetableError> {
    let looked = looking(conn, user).await?;
    let subgroup = looked.0.subgroup;
    days_of(conn, looked, from, to, subgroup).await
}

/// One date with every subgroup's classes, for the leader or an assistant to change.
pub async fn editable_day(
    conn: &impl ConnectionTrait,
    user: i64,
    date: NaiveDate,
) -> Result<Days, TimetableError> {
    let looked = looking(conn, user).await?;
    if !looked.0.role.can_manage() {
        return Err(crate::members::service::AccessError::Forbidden.into());
    }
    days_of(conn, looked, date, date, None).await
}

async fn days_of(
    conn: &impl ConnectionTrait,
    (viewer, semester, bells): (Viewer, Option<Semester>, Bells),
    from: NaiveDate,
    to: NaiveDate,
    subgroup: Option<Subgroup>,
) -> Result<Days, TimetableError> {
    let group = viewer.group_id;
    let classes = repo::classes(conn, group).await?;
    let changes = repo::changes(conn, group, from, to).await?;
    let plans = schedule::plan(&classes, &changes, semester.as_ref(), from, to, subgroup);
    let mut events = day_events(conn, group, from, to).await?;
    let mut deadlines = day_deadlines(conn, group, viewer.tz, from, to).await?;
    let mut homework =
        crate::homework::reads::on_days(conn, group, (viewer.user_id, subgroup), from, to).await?;
    let days = plans
        .into_iter()
        .map(|(date, plan)| Day {
            date,
            week: semester.as_ref().and_then(|s| s.week(date)),
            plan,
            events: events.remove(&date).unwrap_or_default(),
            deadlines: deadlines.remove(&date).unwrap_or_default(),
            homework: homework.remove(&date).unwrap_or_default(),
        })
        .collect();
    Ok(Days {
        viewer,
        semester,
        bells,
        days,
    })
}

/// The week (Monday to Sunday) holding `date`.
pub async fn week(
    conn: &impl ConnectionTrait,
    user: i64,
    date: NaiveDate,
) -> Result<Days, TimetableError> {
    let monday = monday_of(date);
    days(conn, user, monday, monday + Duration::days(6)).await
}

async fn day_events(
    conn: &impl ConnectionTrait,
    group: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Vec<DayEvent>>, DbErr> {
    let rows = events::Entity::find()
        .filter(events::Column::GroupId.eq(group))
        .filter(events::Column::EventDate.between(from, to))
        .order_by_asc(events::Column::EventDate)
        .order_by_asc(events::Column::CreatedAt)
        .all(conn)
        .await?;
    let mut by_date: BTreeMap<NaiveDate, Vec<DayEvent>> = BTreeMap::new();
    for row in rows {
        by_date.entry(row.event_date).or_default().push(DayEvent {
            title: row.title,
            important: row.is_important,
        });
    }
    Ok(by_date)
}

async fn day_deadlines(
    conn: &impl ConnectionTrait,
    group: Uuid,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Vec<DayDeadline>>, DbErr> {
    // A day in the zone is at most 14 hours off UTC: read a little more, keep the right days.
    let start = from.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::hours(15);
    let end = (to + Duration::days(1))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        + Duration::hours(15);
    let rows = deadlines::Entity::find()
        .join(JoinType::InnerJoin, deadlines::Relation::Events.def())
        .filter(events::Column::GroupId.eq(group))
        .filter(deadlines::Column::DeadlineAt.between(start, end))
        .order_by_asc(deadlines::Column::DeadlineAt)
        .all(conn)
        .await?;
    let mut by_date: BTreeMap<NaiveDate, Vec<DayDeadline>> = BTreeMap::new();
    for row in rows {
        let date = row.deadline_at.with_timezone(&tz).date_naive();
        if (from..=to).contains(&date) {
            by_date.entry(date).or_default().push(DayDeadline {
                text: row.description,
                at: row.deadline_at,
            });
        }
    }
    Ok(by_date)
}

/// What dates typed without a year mean for the group of `user`, and whether they may define
/// the timetable (checked again in the change).
pub async fn date_context(
    conn: &impl ConnectionTrait,
    user: i64,
    now: DateTime<Utc>,
) -> Result<DateContext, TimetableError> {
    let (viewer, semester, _) = looking(conn, user).await?;
    Ok(DateContext {
        today: viewer.today(now),
        semester,
    })
}

/// Refuses a member who may not define the timetable, before a form starts.
pub async fn may_edit(conn: &impl ConnectionTrait, user: i64) -> Result<Viewer, TimetableError> {
    let viewer = viewer(conn, user).await?;
    if !viewer.role.can_manage() {
        return Err(crate::members::service::AccessError::Forbidden.into());
    }
    Ok(viewer)
}

/// The bell schedule of the group of `user`.
pub async fn bells(conn: &impl ConnectionTrait, user: i64) -> Result<Bells, TimetableError> {
    Ok(looking(conn, user).await?.2)
}

/// What reading a calendar file for the group of `user` needs: the group's zone, semester and
/// bells; for the leader or an assistant, once the semester is set.
pub async fn import_context(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<(Tz, Semester, Bells), TimetableError> {
    let (viewer, semester, bells) = looking(conn, user).await?;
    if !viewer.role.can_manage() {
        return Err(crate::members::service::AccessError::Forbidden.into());
    }
    let semester = semester.ok_or(TimetableError::NoSemester)?;
    Ok((viewer.tz, semester, bells))
}

/// The group's weekly classes (for the list with delete buttons).
pub async fn classes(conn: &impl ConnectionTrait, user: i64) -> Result<Vec<Class>, TimetableError> {
    let viewer = may_edit(conn, user).await?;
    Ok(repo::classes(conn, viewer.group_id).await?)
}

/// A class of the user's group, for the leader or an assistant to change.
pub async fn editable_class(
    conn: &impl ConnectionTrait,
    user: i64,
    class: Uuid,
) -> Result<Class, TimetableError> {
    let viewer = may_edit(conn, user).await?;
    repo::class_in_group(conn, viewer.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)
}

/// An extra class of the user's group, for the leader or an assistant to remove.
pub async fn editable_extra(
    conn: &impl ConnectionTrait,
    user: i64,
    change: Uuid,
) -> Result<ExtraSpec, TimetableError> {
    let viewer = may_edit(conn, user).await?;
    repo::change_in_group(conn, viewer.group_id, change)
        .await?
        .and_then(|stored| match stored.kind {
            ChangeKind::Extra(extra) => Some(extra),
            _ => None,
        })
        .ok_or(TimetableError::ClassNotFound)
}

/// How many subgroups the group's classes name (the highest number), for the choice.
pub async fn subgroup_count(conn: &impl ConnectionTrait, user: i64) -> Result<u8, TimetableError> {
    let viewer = viewer(conn, user).await?;
    let classes = repo::classes(conn, viewer.group_id).await?;
    let highest = classes.iter().filter_map(|c| c.spec.subgroup).max();
    Ok(highest.map_or(0, Subgroup::number))
}

/// Whether the group posts changes to its chat (`None` without a semester), and whether a
/// chat is bound (for the management screen).
pub async fn post_changes(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<(Option<bool>, bool), TimetableError> {
    let viewer = may_edit(conn, user).await?;
    let posts = repo::posts(conn, viewer.group_id, repo::ChatPost::Changes).await?;
    let bound = crate::chats::service::bound_chat(conn, viewer.group_id)
        .await?
        .is_some();
    Ok((posts, bound))
}

/// Whether the group posts the evening digest to its chat (`None` without a semester).
pub async fn post_digest(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<Option<bool>, TimetableError> {
    let viewer = may_edit(conn, user).await?;
    Ok(repo::posts(conn, viewer.group_id, repo::ChatPost::Digest).await?)
}

/// The group's semester (for the management screen).
pub async fn semester(
    conn: &impl ConnectionTrait,
    user: i64,
) -> Result<Option<Semester>, TimetableError> {
    let viewer = may_edit(conn, user).await?;
    Ok(repo::semester(conn, viewer.group_id).await?.0)
}

/// What the group's calendar feed shows of the timetable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedTimetable {
    pub semester: Semester,
    pub bells: Bells,
    pub classes: Vec<Class>,
    /// Every change to a date of the semester.
    pub changes: Vec<DateChange>,
    /// When the semester was last set: the feed's DTSTAMP for the classes.
    pub stamp: DateTime<Utc>,
}

/// The timetable of `group` for its feed; `None` without a semester.
pub async fn feed(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<Option<FeedTimetable>, DbErr> {
    let (Some(semester), bells) = repo::semester(conn, group).await? else {
        return Ok(None);
    };
    let stamp = repo::semester_stamp(conn, group).await?.unwrap_or_default();
    let classes = repo::classes(conn, group).await?;
    let changes = repo::changes(conn, group, semester.first_day, semester.last_day).await?;
    Ok(Some(FeedTimetable {
        semester,
        bells,
        classes,
        changes,
        stamp,
    }))
}
