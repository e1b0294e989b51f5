//! The timetable tables, as the rules need them. Every function takes the connection to run
//! on: inside a use case, the unit of work's transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::input::{ClassSpec, ClassSubject, ExtraSpec, MoveSpec, Room, Teacher};
use super::schedule::{ChangeKind, Class, DateChange};
use super::week::{Bells, ClassKind, Pair, Parity, Semester, Subgroup, Weeks, weekday};
use crate::storage::entities::{
    classchanges, classes, groupmembers, groups, subgroupmembers, timetables,
};

fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(value).map_err(|e| DbErr::Json(e.to_string()))
}

fn small(n: u8) -> i16 {
    i16::from(n)
}

fn pair_of(n: i16) -> Option<Pair> {
    u8::try_from(n).ok().and_then(Pair::new)
}

fn subgroup_of(n: Option<i16>) -> Option<Subgroup> {
    n.and_then(|n| u8::try_from(n).ok()).and_then(Subgroup::new)
}

/// Who looks at the timetable, and their group's semester, in one statement.
#[derive(Debug, Clone, FromQueryResult)]
struct ViewerRow {
    group_id: Uuid,
    is_leader: bool,
    is_assistant: bool,
    timezone: String,
    subgroup: Option<i16>,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
    first_week_odd: Option<bool>,
    bells: Option<serde_json::Value>,
}

/// The membership of `user` as the timetable needs it: group, leader/assistant flags, the
/// group's stored zone, the user's subgroup, the group's semester and bells.
pub struct Looker {
    pub group: Uuid,
    pub is_leader: bool,
    pub is_assistant: bool,
    pub timezone: String,
    pub subgroup: Option<Subgroup>,
    pub semester: Option<Semester>,
    pub bells: Bells,
}

pub(super) fn semester_of(first: NaiveDate, last: NaiveDate, odd: bool) -> Option<Semester> {
    let first_week = if odd { Parity::Odd } else { Parity::Even };
    Semester::new(first, last, first_week).ok()
}

pub(super) fn bells_of(bells: Option<serde_json::Value>) -> Bells {
    bells
        .and_then(|b| serde_json::from_value(b).ok())
        .unwrap_or_default()
}

/// [`Looker`] for `user`, `None` outside a group: one statement.
pub async fn looker(conn: &impl ConnectionTrait, user: i64) -> Result<Option<Looker>, DbErr> {
    let row = groupmembers::Entity::find()
        .select_only()
        .column(groupmembers::Column::GroupId)
        .column(groupmembers::Column::IsLeader)
        .column(groupmembers::Column::IsAssistant)
        .column(groups::Column::Timezone)
        .column(subgroupmembers::Column::Subgroup)
        .column(timetables::Column::FirstDay)
        .column(timetables::Column::LastDay)
        .column(timetables::Column::FirstWeekOdd)
        .column(timetables::Column::Bells)
        .join(JoinType::InnerJoin, groupmembers::Relation::Groups.def())
        .join(
            JoinType::LeftJoin,
            subgroupmembers::Relation::Groupmembers.def().rev(),
        )
        .join(JoinType::LeftJoin, timetables::Relation::Groups.def().rev())
        .filter(groupmembers::Column::UserId.eq(user))
        .into_model::<ViewerRow>()
        .one(conn)
        .await?;
    Ok(row.map(|row| Looker {
        group: row.group_id,
        is_leader: row.is_leader,
        is_assistant: row.is_assistant,
        timezone: row.timezone,
        subgroup: subgroup_of(row.subgroup),
        semester: match (row.first_day, row.last_day, row.first_week_odd) {
            (Some(first), Some(last), Some(odd)) => semester_of(first, last, odd),
            _ => None,
        },
        bells: bells_of(row.bells),
    }))
}

/// The group's semester and bells (the default bells until set).
pub async fn semester(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<(Option<Semester>, Bells), DbErr> {
    let Some(row) = timetables::Entity::find_by_id(group).one(conn).await? else {
        return Ok((None, Bells::default()));
    };
    let semester = semester_of(row.first_day, row.last_day, row.first_week_odd);
    Ok((semester, bells_of(row.bells)))
}

/// When the group's semester was last set.
pub async fn semester_stamp(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = timetables::Entity::find_by_id(group).one(conn).await?;
    Ok(row.map(|r| r.updated_at))
}

/// Sets the group's semester (the bells kept).
pub async fn set_semester(
    conn: &impl ConnectionTrait,
    group: Uuid,
    semester: &Semester,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = timetables::ActiveModel {
        group_id: Set(group),
        first_day: Set(semester.first_day),
        last_day: Set(semester.last_day),
        first_week_odd: Set(semester.first_week == Parity::Odd),
        bells: Set(None),
        updated_at: Set(now),
        post_changes: Set(false),
        post_digest: Set(false),
    };
    timetables::Entity::insert(row)
        .on_conflict(
            OnConflict::column(timetables::Column::GroupId)
                .update_columns([
                    timetables::Column::FirstDay,
                    timetables::Column::LastDay,
                    timetables::Column::FirstWeekOdd,
                    timetables::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Sets the group's bells; `false` if the group has no semester (no timetable row) yet.
pub async fn set_bells(
    conn: &impl ConnectionTrait,
    group: Uuid,
    bells: &Bells,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = timetables::Entity::update_many()
        .col_expr(
            timetables::Column::Bells,
            sea_orm::sea_query::Expr::value(json(bells)?),
        )
        .col_expr(
            timetables::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(timetables::Column::GroupId.eq(group))
        .exec(conn)
        .await?;
    Ok(done.rows_affected > 0)
}

/// What a group may have posted to its bound chat from the timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatPost {
    /// The next day's changes, the evening before.
    Changes,
    /// The evening digest.
    Digest,
}

impl ChatPost {
    fn column(self) -> timetables::Column {
        match self {
            ChatPost::Changes => timetables::Column::PostChanges,
            ChatPost::Digest => timetables::Column::PostDigest,
        }
    }

    fn of(self, row: &timetables::Model) -> bool {
        match self {
            ChatPost::Changes => row.post_changes,
            ChatPost::Digest => row.post_digest,
        }
    }
}

/// Whether the group posts `what` to its chat; `None` without a semester.
pub async fn posts(
    conn: &impl ConnectionTrait,
    group: Uuid,
    what: ChatPost,
) -> Result<Option<bool>, DbErr> {
    let row = timetables::Entity::find_by_id(group).one(conn).await?;
    Ok(row.map(|r| what.of(&r)))
}

/// Turns posting `what` to the group chat on or off; `false` without a semester.
pub async fn set_posts(
    conn: &impl ConnectionTrait,
    group: Uuid,
    what: ChatPost,
    on: bool,
) -> Result<bool, DbErr> {
    let done = timetables::Entity::update_many()
        .col_expr(what.column(), sea_orm::sea_query::Expr::value(on))
        .filter(timetables::Column::GroupId.eq(group))
        .exec(conn)
        .await?;
    Ok(done.rows_affected > 0)
}

/// A stored class; `None` for a row the rules would not have written (hand-edited).
pub(super) fn class_of(row: classes::Model) -> Option<Class> {
    let dates = row
        .dates
        .and_then(|d| serde_json::from_value::<Vec<NaiveDate>>(d).ok());
    let spec = ClassSpec {
        weekday: weekday(u8::try_from(row.weekday).ok()?)?,
        pair: pair_of(row.pair)?,
        subject: ClassSubject::parse(&row.subject).ok()?,
        kind: ClassKind::stored(&row.kind),
        teacher: row.teacher.as_deref().and_then(|t| Teacher::parse(t).ok()),
        room: row.room.as_deref().and_then(|r| Room::parse(r).ok()),
        weeks: Weeks::stored(&row.weeks, dates),
        subgroup: subgroup_of(row.subgroup),
    };
    Some(Class { id: row.id, spec })
}

/// The group's weekly classes, by weekday and pair.
pub async fn classes(conn: &impl ConnectionTrait, group: Uuid) -> Result<Vec<Class>, DbErr> {
    let rows = classes::Entity::find()
        .filter(classes::Column::GroupId.eq(group))
        .order_by_asc(classes::Column::Weekday)
        .order_by_asc(classes::Column::Pair)
        .order_by_asc(classes::Column::CreatedAt)
        .all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(class_of).collect())
}

/// A class of `group`, if there is one.
pub async fn class_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    class: Uuid,
) -> Result<Option<Class>, DbErr> {
    let row = classes::Entity::find_by_id(class)
        .filter(classes::Column::GroupId.eq(group))
        .one(conn)
        .await?;
    Ok(row.and_then(class_of))
}

fn class_row(
    group: Uuid,
    id: Uuid,
    spec: &ClassSpec,
    now: DateTime<Utc>,
) -> Result<classes::ActiveModel, DbErr> {
    let dates = match &spec.weeks {
        Weeks::Dates(dates) => Some(json(dates)?),
        _ => None,
    };
    let weekday = u8::try_from(spec.weekday.number_from_monday()).unwrap_or(1);
    Ok(classes::ActiveModel {
        id: Set(id),
        group_id: Set(group),
        weekday: Set(small(weekday)),
        pair: Set(small(spec.pair.number())),
        subject: Set(spec.subject.as_str().to_owned()),
        kind: Set(spec.kind.as_str().to_owned()),
        teacher: Set(spec.teacher.as_ref().map(|t| t.as_str().to_owned())),
        room: Set(spec.room.as_ref().map(|r| r.as_str().to_owned())),
        weeks: Set(spec.weeks.as_str().to_owned()),
        dates: Set(dates),
        subgroup: Set(spec.subgroup.map(|s| small(s.number()))),
        created_at: Set(now),
    })
}

/// Inserts `specs` as classes of `group` in one statement; returns their ids.
pub async fn insert_classes(
    conn: &impl ConnectionTrait,
    group: Uuid,
    specs: &[ClassSpec],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    let ids: Vec<Uuid> = specs.iter().map(|_| Uuid::new_v4()).collect();
    if specs.is_empty() {
        return Ok(ids);
    }
    let rows = ids
        .iter()
        .zip(specs)
        .map(|(&id, spec)| class_row(group, id, spec, now))
        .collect::<Result<Vec<_>, _>>()?;
    classes::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(ids)
}

/// Replaces the fields of `class` with `spec`.
pub async fn update_class(
    conn: &impl ConnectionTrait,
    class: Uuid,
    spec: &ClassSpec,
) -> Result<(), DbErr> {
    // The group and creation time stay as they are.
    let mut row = class_row(Uuid::nil(), class, spec, DateTime::UNIX_EPOCH)?;
    row.id = sea_orm::ActiveValue::Unchanged(class);
    row.group_id = sea_orm::ActiveValue::NotSet;
    row.created_at = sea_orm::ActiveValue::NotSet;
    classes::Entity::update(row).exec(conn).await?;
    Ok(())
}

pub async fn delete_class(conn: &impl ConnectionTrait, class: Uuid) -> Result<(), DbErr> {
    classes::Entity::delete_by_id(class).exec(conn).await?;
    Ok(())
}

pub(super) fn change_of(row: classchanges::Model) -> Option<DateChange> {
    let kind = match row.kind.as_str() {
        "cancel" => ChangeKind::Cancel,
        "move" => ChangeKind::Move(MoveSpec {
            date: row.new_date?,
            pair: pair_of(row.new_pair?)?,
            room: row.new_room.as_deref().and_then(|r| Room::parse(r).ok()),
        }),
        "extra" => ChangeKind::Extra(ExtraSpec {
            date: row.on_date,
            pair: pair_of(row.new_pair?)?,
            subject: ClassSubject::parse(row.subject.as_deref()?).ok()?,
            kind: ClassKind::stored(row.class_kind.as_deref().unwrap_or_default()),
            teacher: row.teacher.as_deref().and_then(|t| Teacher::parse(t).ok()),
            room: row.new_room.as_deref().and_then(|r| Room::parse(r).ok()),
            subgroup: subgroup_of(row.subgroup),
        }),
        _ => return None,
    };
    Some(DateChange {
        id: row.id,
        class: row.class_id,
        on_date: row.on_date,
        kind,
    })
}

/// The group's changes whose date or new date lies in `from..=to`.
pub async fn changes(
    conn: &impl ConnectionTrait,
    group: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DateChange>, DbErr> {
    let rows = classchanges::Entity::find()
        .filter(classchanges::Column::GroupId.eq(group))
        .filter(
            Condition::any()
                .add(classchanges::Column::OnDate.between(from, to))
                .add(classchanges::Column::NewDate.between(from, to)),
        )
        .order_by_asc(classchanges::Column::CreatedAt)
        .all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(change_of).collect())
}

/// Writes a change of `group`.
pub async fn insert_change(
    conn: &impl ConnectionTrait,
    group: Uuid,
    change: &DateChange,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    classchanges::Entity::insert(change_row(group, change, now))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The stored row of a change of `group`.
fn change_row(group: Uuid, change: &DateChange, now: DateTime<Utc>) -> classchanges::ActiveModel {
    let text = |t: Option<&str>| t.map(str::to_owned);
    let mut row = classchanges::ActiveModel {
        id: Set(change.id),
        group_id: Set(group),
        class_id: Set(change.class),
        on_date: Set(change.on_date),
        kind: Set(change.kind.as_str().to_owned()),
        new_date: Set(None),
        new_pair: Set(None),
        new_room: Set(None),
        subject: Set(None),
        class_kind: Set(None),
        teacher: Set(None),
        subgroup: Set(None),
        created_at: Set(now),
    };
    match &change.kind {
        ChangeKind::Cancel => {}
        ChangeKind::Move(to) => {
            row.new_date = Set(Some(to.date));
            row.new_pair = Set(Some(small(to.pair.number())));
            row.new_room = Set(text(to.room.as_ref().map(Room::as_str)));
        }
        ChangeKind::Extra(extra) => {
            row.new_pair = Set(Some(small(extra.pair.number())));
            row.new_room = Set(text(extra.room.as_ref().map(Room::as_str)));
            row.subject = Set(Some(extra.subject.as_str().to_owned()));
            row.class_kind = Set(Some(extra.kind.as_str().to_owned()));
            row.teacher = Set(text(extra.teacher.as_ref().map(Teacher::as_str)));
            row.subgroup = Set(extra.subgroup.map(|s| small(s.number())));
        }
    }
    row
}

/// A change of `group`, if there is one.
pub async fn change_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    change: Uuid,
) -> Result<Option<DateChange>, DbErr> {
    let row = classchanges::Entity::find_by_id(change)
        .filter(classchanges::Column::GroupId.eq(group))
        .one(conn)
        .await?;
    Ok(row.and_then(change_of))
}

/// The ids of the changes to `class`.
pub async fn changes_of_class(
    conn: &impl ConnectionTrait,
    class: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let rows = classchanges::Entity::find()
        .filter(classchanges::Column::ClassId.eq(class))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub async fn delete_change(conn: &impl ConnectionTrait, change: Uuid) -> Result<(), DbErr> {
    classchanges::Entity::delete_by_id(change)
        .exec(conn)
        .await?;
    Ok(())
}

/// Writes the changes `changes` of `group` in one statement.
pub async fn insert_changes(
    conn: &impl ConnectionTrait,
    group: Uuid,
    changes: &[DateChange],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows: Vec<classchanges::ActiveModel> = changes
        .iter()
        .map(|change| change_row(group, change, now))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    classchanges::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The subgroup `user` chose, if any.
pub async fn subgroup(conn: &impl ConnectionTrait, user: i64) -> Result<Option<Subgroup>, DbErr> {
    let row = subgroupmembers::Entity::find()
        .filter(subgroupmembers::Column::UserId.eq(user))
        .one(conn)
        .await?;
    Ok(subgroup_of(row.map(|r| r.subgroup)))
}

/// The chosen subgroups of the group's members, by user.
pub async fn subgroups(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<HashMap<i64, Subgroup>, DbErr> {
    let rows = subgroupmembers::Entity::find()
        .filter(subgroupmembers::Column::GroupId.eq(group))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.user_id, subgroup_of(Some(r.subgroup))?)))
        .collect())
}

/// Sets (or, with `None`, clears) the subgroup of the membership `member`.
pub async fn set_subgroup(
    conn: &impl ConnectionTrait,
    member: Uuid,
    group: Uuid,
    user: i64,
    subgroup: Option<Subgroup>,
) -> Result<(), DbErr> {
    let Some(subgroup) = subgroup else {
        subgroupmembers::Entity::delete_by_id(member)
            .exec(conn)
            .await?;
        return Ok(());
    };
    let row = subgroupmembers::ActiveModel {
        member_id: Set(member),
        group_id: Set(group),
        user_id: Set(user),
        subgroup: Set(small(subgroup.number())),
    };
    subgroupmembers::Entity::insert(row)
        .on_conflict(
            OnConflict::column(subgroupmembers::Column::MemberId)
                .update_column(subgroupmembers::Column::Subgroup)
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The user of the membership `member` of `group`, if it is one of its members.
pub async fn member_user(
    conn: &impl ConnectionTrait,
    group: Uuid,
    member: Uuid,
) -> Result<Option<i64>, DbErr> {
    let row = groupmembers::Entity::find_by_id(member)
        .filter(groupmembers::Column::GroupId.eq(group))
        .one(conn)
        .await?;
    Ok(row.map(|r| r.user_id))
}

/// The membership row of `user` in `group`, if they are in it.
pub async fn membership_id(
    conn: &impl ConnectionTrait,
    group: Uuid,
    user: i64,
) -> Result<Option<Uuid>, DbErr> {
    let row = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .filter(groupmembers::Column::UserId.eq(user))
        .one(conn)
        .await?;
    Ok(row.map(|r| r.id))
}
