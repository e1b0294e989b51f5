//! Reads of many groups' timetables at once (the daily digests): a statement per 500 groups.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::repo::{bells_of, change_of, class_of, semester_of};
use super::schedule::{Class, DateChange};
use super::week::{Bells, Semester};
use crate::storage::entities::{classchanges, classes, timetables};

/// What the timetable row of a group holds, for the digests.
#[derive(Debug, Clone)]
pub struct GroupTimetable {
    pub semester: Option<Semester>,
    pub bells: Bells,
    /// The evening digest is posted to the group's bound chat too.
    pub post_digest: bool,
}

/// The timetable rows of `groups` (a group without one is left out).
pub async fn timetables_of(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<HashMap<Uuid, GroupTimetable>, DbErr> {
    let mut found = HashMap::new();
    for chunk in groups.chunks(500) {
        let rows = timetables::Entity::find()
            .filter(timetables::Column::GroupId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for row in rows {
            let timetable = GroupTimetable {
                semester: semester_of(row.first_day, row.last_day, row.first_week_odd),
                bells: bells_of(row.bells),
                post_digest: row.post_digest,
            };
            found.insert(row.group_id, timetable);
        }
    }
    Ok(found)
}

/// The weekly classes of `groups`, by group.
pub async fn classes_of(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Class>>, DbErr> {
    let mut found: HashMap<Uuid, Vec<Class>> = HashMap::new();
    for chunk in groups.chunks(500) {
        let rows = classes::Entity::find()
            .filter(classes::Column::GroupId.is_in(chunk.iter().copied()))
            .order_by_asc(classes::Column::Weekday)
            .order_by_asc(classes::Column::Pair)
            .order_by_asc(classes::Column::CreatedAt)
            .all(conn)
            .await?;
        for row in rows {
            let group = row.group_id;
            if let Some(class) = class_of(row) {
                found.entry(group).or_default().push(class);
            }
        }
    }
    Ok(found)
}

/// The changes of `groups` whose date or new date lies in `from..=to`, by group.
pub async fn changes_of(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<Uuid, Vec<DateChange>>, DbErr> {
    let mut found: HashMap<Uuid, Vec<DateChange>> = HashMap::new();
    for chunk in groups.chunks(500) {
        let rows = classchanges::Entity::find()
            .filter(classchanges::Column::GroupId.is_in(chunk.iter().copied()))
            .filter(
                Condition::any()
                    .add(classchanges::Column::OnDate.between(from, to))
                    .add(classchanges::Column::NewDate.between(from, to)),
            )
            .order_by_asc(classchanges::Column::CreatedAt)
            .all(conn)
            .await?;
        for row in rows {
            let group = row.group_id;
            if let Some(change) = change_of(row) {
                found.entry(group).or_default().push(change);
            }
        }
    }
    Ok(found)
}
