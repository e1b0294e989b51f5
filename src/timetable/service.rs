//! The rules of the timetable: use cases that run in a unit of work ([`Uow`]) and the reads the
//! screens show. No Telegram types here.
//!
//! Defining the timetable (the semester, classes, changes to a date) is for the leader and
//! assistants, re-checked from the database in each change; choosing one's subgroup is for
//! every member. A change to a date tells, once and in the same transaction, every member whose
//! next seven days it changes (the subgroup's members, or everyone for a common class); a change
//! further ahead is written then too, due on the morning it comes within the seven days, and is
//! withdrawn with the change.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::events::TimetableEvent;
use super::input::{ClassSpec, DateContext, ExtraSpec, FieldValue, MoveSpec, Problem};
use super::repo;
use super::schedule::{self, ChangeKind, Class, DateChange, Plan};
use super::week::{Bells, Parity, Semester, SemesterError, Subgroup, Week, monday_of};
use crate::groups::Timezone;
use crate::members::Role;
use crate::notifications::Kind;
use crate::storage;
use crate::storage::entities::{deadlines, events, groups};
use crate::uow::{Uow, use_case_error};

/// How far ahead a change must fall to be announced.
pub const NOTICE_DAYS: i64 = 7;

use_case_error! {
    pub enum TimetableError {
        /// No such class in the user's group (deleted, or another group's).
        #[error("no such class in the user's group")]
        ClassNotFound,
        /// The class does not meet on that date (or the semester is not set).
        #[error("the class does not meet on that date")]
        NotOnThatDate,
        /// The class was cancelled or moved on that date already.
        #[error("that date of the class was changed already")]
        AlreadyChanged,
        /// No such member in the leader's group.
        #[error("no such member in the group")]
        MemberNotFound,
        /// The date is outside the semester (or the semester is not set).
        #[error("the date is outside the semester")]
        OutsideSemester,
        /// The semester is not set (a calendar file cannot be read without it).
        #[error("the semester is not set")]
        NoSemester,
    }
    wrapping
        /// The semester's dates refused.
        Semester(SemesterError),
        /// A class's field refused (a new weekday off the class's listed dates).
        Field(Problem);
}

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
    let days = plans
        .into_iter()
        .map(|(date, plan)| Day {
            date,
            week: semester.as_ref().and_then(|s| s.week(date)),
            plan,
            events: events.remove(&date).unwrap_or_default(),
            deadlines: deadlines.remove(&date).unwrap_or_default(),
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

// ----- use cases ----------------------------------------------------------------------------

/// Sets the group's semester: its first and last day and the parity of its first week.
pub async fn set_semester(
    uow: &mut Uow<'_>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    first_week: Parity,
) -> Result<Semester, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let semester = Semester::new(first_day, last_day, first_week)?;
    repo::set_semester(uow.db(), me.group_id, &semester, uow.now()).await?;
    uow.record(TimetableEvent::SemesterSet {
        group: me.group_id,
        first_day,
        last_day,
        first_week,
    });
    Ok(semester)
}

/// Sets the group's bell schedule (the semester must be set first).
pub async fn set_bells(uow: &mut Uow<'_>, bells: &Bells) -> Result<(), TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    if !repo::set_bells(uow.db(), me.group_id, bells, uow.now()).await? {
        return Err(TimetableError::NoSemester);
    }
    uow.record(TimetableEvent::BellsSet {
        group: me.group_id,
        pairs: bells.len(),
    });
    Ok(())
}

/// Adds classes to the group's weekly timetable, all or none.
pub async fn add_classes(
    uow: &mut Uow<'_>,
    specs: &[ClassSpec],
) -> Result<Vec<Uuid>, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let ids = repo::insert_classes(uow.db(), me.group_id, specs, uow.now()).await?;
    uow.record(TimetableEvent::ClassesAdded {
        group: me.group_id,
        classes: ids.clone(),
    });
    Ok(ids)
}

/// Adds one class to the group's weekly timetable (the form's «Сохранить»).
pub async fn add_class(uow: &mut Uow<'_>, spec: &ClassSpec) -> Result<Uuid, TimetableError> {
    let ids = add_classes(uow, std::slice::from_ref(spec)).await?;
    ids.into_iter().next().ok_or(TimetableError::ClassNotFound)
}

/// Changes one field of a class of the group; returns the class as it is now.
pub async fn edit_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    value: &FieldValue,
) -> Result<ClassSpec, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    let spec = stored.spec.with(value.clone())?;
    repo::update_class(uow.db(), class, &spec).await?;
    uow.record(TimetableEvent::ClassEdited {
        group: me.group_id,
        class,
        subject: spec.subject.as_str().to_owned(),
    });
    Ok(spec)
}

/// Adds the classes read from a calendar file, with the dates each does not meet on
/// (`cancelled`: the class's index in `specs` and the date), all or none. Nobody is told: the
/// timetable is being defined, nothing changes under anyone's feet.
pub async fn import_classes(
    uow: &mut Uow<'_>,
    specs: &[ClassSpec],
    cancelled: &[(usize, NaiveDate)],
) -> Result<Vec<Uuid>, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let ids = repo::insert_classes(uow.db(), me.group_id, specs, uow.now()).await?;
    let changes: Vec<DateChange> = cancelled
        .iter()
        .filter_map(|&(index, date)| {
            Some(DateChange {
                id: Uuid::new_v4(),
                class: Some(*ids.get(index)?),
                on_date: date,
                kind: ChangeKind::Cancel,
            })
        })
        .collect();
    repo::insert_changes(uow.db(), me.group_id, &changes, uow.now()).await?;
    uow.record(TimetableEvent::Imported {
        group: me.group_id,
        classes: ids.clone(),
        cancelled: changes.len(),
    });
    Ok(ids)
}

/// Deletes a class of the group with its changes; returns its subject.
pub async fn delete_class(uow: &mut Uow<'_>, class: Uuid) -> Result<String, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    for change in repo::changes_of_class(uow.db(), class).await? {
        crate::notifications::outbox::delete_pending(uow.db(), &announce_prefix(change)).await?;
    }
    repo::delete_class(uow.db(), class).await?;
    let subject = stored.spec.subject.as_str().to_owned();
    uow.record(TimetableEvent::ClassDeleted {
        group: me.group_id,
        class,
        subject: subject.clone(),
    });
    Ok(subject)
}

/// Sets the acting member's own subgroup (`None`: not chosen, every class shown).
pub async fn set_my_subgroup(
    uow: &mut Uow<'_>,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let me = uow.member(|_| true).await?;
    set_subgroup_of(uow, me.group_id, me.user_id, subgroup).await
}

/// The leader sets the subgroup of the membership `member` of their group.
pub async fn set_member_subgroup(
    uow: &mut Uow<'_>,
    member: Uuid,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let me = uow.member(Role::is_leader).await?;
    let user = repo::member_user(uow.db(), me.group_id, member)
        .await?
        .ok_or(TimetableError::MemberNotFound)?;
    set_subgroup_of(uow, me.group_id, user, subgroup).await
}

/// Refuses anyone but the leader of a group with the membership `member`, before the choice.
pub async fn may_set_member_subgroup(
    conn: &impl ConnectionTrait,
    user: i64,
    member: Uuid,
) -> Result<(), TimetableError> {
    let viewer = viewer(conn, user).await?;
    if !viewer.role.is_leader() {
        return Err(crate::members::service::AccessError::Forbidden.into());
    }
    repo::member_user(conn, viewer.group_id, member)
        .await?
        .ok_or(TimetableError::MemberNotFound)?;
    Ok(())
}

async fn set_subgroup_of(
    uow: &mut Uow<'_>,
    group: Uuid,
    user: i64,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let member = repo::membership_id(uow.db(), group, user)
        .await?
        .ok_or(crate::members::service::AccessError::NotInGroup)?;
    repo::set_subgroup(uow.db(), member, group, user, subgroup).await?;
    uow.record(TimetableEvent::SubgroupSet {
        group,
        user,
        subgroup: subgroup.map(Subgroup::number),
    });
    Ok(())
}

/// Cancels `class` on `date` (a date it meets on).
pub async fn cancel(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
) -> Result<DateChange, TimetableError> {
    change_class(uow, class, date, ChangeKind::Cancel).await
}

/// Moves `class` from `date` (a date it meets on) to another date, pair and room.
pub async fn move_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
    to: &MoveSpec,
) -> Result<DateChange, TimetableError> {
    change_class(uow, class, date, ChangeKind::Move(to.clone())).await
}

async fn change_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
    kind: ChangeKind,
) -> Result<DateChange, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    let (semester, _) = repo::semester(uow.db(), me.group_id).await?;
    if !schedule::meets(&stored, semester.as_ref(), date) {
        return Err(TimetableError::NotOnThatDate);
    }
    if let ChangeKind::Move(to) = &kind
        && !semester.is_some_and(|s| s.contains(to.date))
    {
        return Err(TimetableError::OutsideSemester);
    }
    let change = DateChange {
        id: Uuid::new_v4(),
        class: Some(class),
        on_date: date,
        kind,
    };
    match repo::insert_change(uow.db(), me.group_id, &change, uow.now()).await {
        Err(err) if storage::is_unique_violation(&err) => {
            return Err(TimetableError::AlreadyChanged);
        }
        other => other?,
    }
    let mut dates = vec![date];
    if let ChangeKind::Move(to) = &change.kind {
        dates.push(to.date);
    }
    let tell = affected(uow, me.group_id, me.user_id, stored.spec.subgroup, &dates).await?;
    let subject = stored.spec.subject.as_str().to_owned();
    let pair = stored.spec.pair.number();
    let text = TimetableEvent::change_text(&subject, date, pair, &change.kind);
    announce_later(uow, change.id, &tell, text).await?;
    uow.record(TimetableEvent::DateChanged {
        group: me.group_id,
        change: change.id,
        class: Some(class),
        subject,
        on_date: date,
        pair,
        kind: change.kind.clone(),
        recipients: tell.now(),
    });
    Ok(change)
}

/// Adds an extra class on a date of the semester.
pub async fn add_extra(uow: &mut Uow<'_>, extra: &ExtraSpec) -> Result<DateChange, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let (semester, _) = repo::semester(uow.db(), me.group_id).await?;
    if !semester.is_some_and(|s| s.contains(extra.date)) {
        return Err(TimetableError::OutsideSemester);
    }
    let change = DateChange {
        id: Uuid::new_v4(),
        class: None,
        on_date: extra.date,
        kind: ChangeKind::Extra(extra.clone()),
    };
    repo::insert_change(uow.db(), me.group_id, &change, uow.now()).await?;
    let tell = affected(uow, me.group_id, me.user_id, extra.subgroup, &[extra.date]).await?;
    let subject = extra.subject.as_str().to_owned();
    let pair = extra.pair.number();
    let text = TimetableEvent::change_text(&subject, extra.date, pair, &change.kind);
    announce_later(uow, change.id, &tell, text).await?;
    uow.record(TimetableEvent::DateChanged {
        group: me.group_id,
        change: change.id,
        class: None,
        subject,
        on_date: extra.date,
        pair,
        kind: change.kind.clone(),
        recipients: tell.now(),
    });
    Ok(change)
}

/// Removes an extra class (a change of the group); the members whose next seven days held it
/// are told.
pub async fn remove_extra(uow: &mut Uow<'_>, change: Uuid) -> Result<ExtraSpec, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let extra = repo::change_in_group(uow.db(), me.group_id, change)
        .await?
        .and_then(|stored| match stored.kind {
            ChangeKind::Extra(extra) => Some(extra),
            _ => None,
        })
        .ok_or(TimetableError::ClassNotFound)?;
    repo::delete_change(uow.db(), change).await?;
    // Not announced yet (further ahead than the window): withdrawn, and nobody is told.
    let withdrawn =
        crate::notifications::outbox::delete_pending(uow.db(), &announce_prefix(change)).await?;
    let recipients = match withdrawn {
        0 => affected(uow, me.group_id, me.user_id, extra.subgroup, &[extra.date])
            .await?
            .now(),
        _ => Vec::new(),
    };
    uow.record(TimetableEvent::ExtraRemoved {
        group: me.group_id,
        change,
        subject: extra.subject.as_str().to_owned(),
        on_date: extra.date,
        pair: extra.pair.number(),
        recipients,
    });
    Ok(extra)
}

/// Who is told of a change to dates, and when.
enum Tell {
    /// One of the dates is within the next [`NOTICE_DAYS`] days: these members, now.
    Now(Vec<i64>),
    /// Every date is further ahead: these members, when the first comes within the window.
    Later(Vec<i64>, DateTime<Utc>),
    /// Every date has passed.
    Nobody,
}

impl Tell {
    /// The members told now (the event's notices).
    fn now(&self) -> Vec<i64> {
        match self {
            Tell::Now(members) => members.clone(),
            _ => Vec::new(),
        }
    }
}

/// The outbox key prefix of the announcements of `change` waiting for their time.
pub fn announce_prefix(change: Uuid) -> String {
    format!("classchange:{change}:")
}

/// The hour (group time) a change further ahead is announced, on the day it comes within
/// [`NOTICE_DAYS`] days.
const ANNOUNCE_HOUR: u32 = 9;

/// Writes the announcement of `change` for `tell`'s later members, due when it comes within
/// the window (withdrawn with the change: [`announce_prefix`]).
async fn announce_later(
    uow: &Uow<'_>,
    change: Uuid,
    tell: &Tell,
    text: crate::notifications::Text,
) -> Result<(), DbErr> {
    let Tell::Later(members, at) = tell else {
        return Ok(());
    };
    let messages = members
        .iter()
        .map(|&user| crate::notifications::Message {
            chat_id: user,
            kind: Kind::Notice,
            payload: crate::notifications::Note::new(text.clone()),
            dedup_key: Some(format!("{}{user}", announce_prefix(change))),
            due_at: Some(*at),
        })
        .collect();
    crate::notifications::outbox::enqueue(uow.db(), uow.now(), messages).await?;
    Ok(())
}

/// The members (not `author`, not blocked) who see a class of `subgroup`, to be told of a
/// change to `dates`: now if one of them falls in the next [`NOTICE_DAYS`] days, else on the
/// morning the first comes within them; nobody if all have passed.
async fn affected(
    uow: &Uow<'_>,
    group: Uuid,
    author: i64,
    subgroup: Option<Subgroup>,
    dates: &[NaiveDate],
) -> Result<Tell, DbErr> {
    let zone = groups::Entity::find_by_id(group)
        .one(uow.db())
        .await?
        .map(|g| Timezone::stored(&g.timezone).tz())
        .unwrap_or(chrono_tz::UTC);
    let today = uow.now().with_timezone(&zone).date_naive();
    let soon = today..today + Duration::days(NOTICE_DAYS);
    let later = if dates.iter().any(|date| soon.contains(date)) {
        None
    } else {
        let Some(first) = dates.iter().filter(|&&date| date >= soon.end).min() else {
            return Ok(Tell::Nobody);
        };
        let day = *first - Duration::days(NOTICE_DAYS - 1);
        let morning = day.and_time(chrono::NaiveTime::MIN) + Duration::hours(ANNOUNCE_HOUR.into());
        match zone.from_local_datetime(&morning).earliest() {
            Some(at) => Some(at.with_timezone(&Utc)),
            None => return Ok(Tell::Nobody),
        }
    };
    let members =
        crate::members::service::reachable_members(uow.db(), group, author, Kind::Notice).await?;
    let chosen = repo::subgroups(uow.db(), group).await?;
    let members = members
        .into_iter()
        .filter(|user| Subgroup::sees(chosen.get(user).copied(), subgroup))
        .collect();
    Ok(match later {
        None => Tell::Now(members),
        Some(at) => Tell::Later(members, at),
    })
}
