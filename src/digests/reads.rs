//! What the planner reads, in bulk: the members of many groups with their subgroups and
//! settings, the groups' zones and chats, and everything their digests are made of
//! ([`Context`]) — a statement per batch of groups (the planner's 100; `IN` lists of at most
//! 500), never one per student.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::compose::{ClassLine, DEADLINES_AHEAD, DeadlineLine, QueueLine};
use super::settings::DigestSettings;
use crate::groups::Timezone;
use crate::storage::entities::{
    deadlines, digestsettings, events, groupchats, groupmembers, groups, queueparticipants, queues,
    subgroupmembers,
};
use crate::timetable::bulk::{self, GroupTimetable};
use crate::timetable::schedule::{self, Class, DateChange};
use crate::timetable::week::Subgroup;

/// A member as the planner needs them.
#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) user: i64,
    pub(super) group: Uuid,
    pub(super) subgroup: Option<Subgroup>,
    pub(super) settings: DigestSettings,
}

#[derive(Debug, FromQueryResult)]
struct MemberRow {
    user_id: i64,
    group_id: Uuid,
    subgroup: Option<i16>,
    evening_on: Option<bool>,
    evening_minute: Option<i16>,
    morning_on: Option<bool>,
    morning_minute: Option<i16>,
    ping_minutes: Option<i16>,
}

/// The members of `groups` with their subgroups and settings: a statement per 500 groups.
pub(super) async fn members_of(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<Vec<Member>, DbErr> {
    let settings: sea_orm::RelationDef = groupmembers::Entity::belongs_to(digestsettings::Entity)
        .from(groupmembers::Column::UserId)
        .to(digestsettings::Column::UserId)
        .into();
    let mut members = Vec::new();
    for chunk in groups.chunks(500) {
        let rows = groupmembers::Entity::find()
            .select_only()
            .column(groupmembers::Column::UserId)
            .column(groupmembers::Column::GroupId)
            .column(subgroupmembers::Column::Subgroup)
            .column(digestsettings::Column::EveningOn)
            .column(digestsettings::Column::EveningMinute)
            .column(digestsettings::Column::MorningOn)
            .column(digestsettings::Column::MorningMinute)
            .column(digestsettings::Column::PingMinutes)
            .join(
                JoinType::LeftJoin,
                subgroupmembers::Relation::Groupmembers.def().rev(),
            )
            .join(JoinType::LeftJoin, settings.clone())
            .filter(groupmembers::Column::GroupId.is_in(chunk.iter().copied()))
            .order_by_asc(groupmembers::Column::UserId)
            .into_model::<MemberRow>()
            .all(conn)
            .await?;
        members.extend(rows.into_iter().map(|row| {
            let settings = match (row.evening_on, row.morning_on) {
                (Some(evening_on), Some(morning_on)) => DigestSettings::of_columns(
                    evening_on,
                    row.evening_minute.unwrap_or_default(),
                    morning_on,
                    row.morning_minute.unwrap_or_default(),
                    row.ping_minutes,
                ),
                _ => DigestSettings::default(),
            };
            Member {
                user: row.user_id,
                group: row.group_id,
                subgroup: row
                    .subgroup
                    .and_then(|n| u8::try_from(n).ok())
                    .and_then(Subgroup::new),
                settings,
            }
        }));
    }
    Ok(members)
}

/// The groups of `users`.
pub(super) async fn groups_of(
    conn: &impl ConnectionTrait,
    users: &[i64],
) -> Result<BTreeSet<Uuid>, DbErr> {
    let mut found = BTreeSet::new();
    for chunk in users.chunks(500) {
        let rows: Vec<Uuid> = groupmembers::Entity::find()
            .select_only()
            .column(groupmembers::Column::GroupId)
            .filter(groupmembers::Column::UserId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Every group's zone.
pub(super) async fn zones(conn: &impl ConnectionTrait) -> Result<HashMap<Uuid, Timezone>, DbErr> {
    let rows: Vec<(Uuid, String)> = groups::Entity::find()
        .select_only()
        .column(groups::Column::Id)
        .column(groups::Column::Timezone)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, zone)| (id, Timezone::stored(&zone)))
        .collect())
}

/// What the digests of a batch of groups are made of, read in bulk.
#[derive(Default)]
pub(super) struct Context {
    pub(super) timetables: HashMap<Uuid, GroupTimetable>,
    pub(super) classes: HashMap<Uuid, Vec<Class>>,
    pub(super) changes: HashMap<Uuid, Vec<DateChange>>,
    pub(super) homework: HashMap<(Uuid, NaiveDate), Vec<crate::homework::reads::Due>>,
    pub(super) deadlines: HashMap<Uuid, Vec<DeadlineLine>>,
    /// Where each user stands in the queues of events on each date.
    pub(super) queues: HashMap<(i64, NaiveDate), Vec<QueueLine>>,
    /// The classes of a group on a date for a subgroup (`labelled`: the chat's digest).
    pub(super) plans: HashMap<(Uuid, NaiveDate, Option<Subgroup>, bool), Vec<ClassLine>>,
}

impl Context {
    /// The timetable of `groups` for `dates`.
    pub(super) async fn timetable(
        conn: &impl ConnectionTrait,
        groups: &[Uuid],
        dates: &BTreeSet<NaiveDate>,
    ) -> Result<Self, DbErr> {
        let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
            return Ok(Self::default());
        };
        Ok(Self {
            timetables: bulk::timetables_of(conn, groups).await?,
            classes: bulk::classes_of(conn, groups).await?,
            changes: bulk::changes_of(conn, groups, first, last).await?,
            ..Self::default()
        })
    }

    /// Everything of `groups` for digests of `dates` due within `from..=until`.
    pub(super) async fn load(
        conn: &impl ConnectionTrait,
        groups: &[Uuid],
        dates: &BTreeSet<NaiveDate>,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Self, DbErr> {
        let mut context = Self::timetable(conn, groups, dates).await?;
        for &date in dates {
            let due = crate::homework::reads::due_on(conn, groups, date).await?;
            for (group, tasks) in due {
                context.homework.insert((group, date), tasks);
            }
        }
        for chunk in groups.chunks(500) {
            let rows = deadlines::Entity::find()
                .find_also_related(events::Entity)
                .filter(events::Column::GroupId.is_in(chunk.iter().copied()))
                .filter(deadlines::Column::DeadlineAt.gt(from))
                .filter(deadlines::Column::DeadlineAt.lte(until + DEADLINES_AHEAD))
                .order_by_asc(deadlines::Column::DeadlineAt)
                .all(conn)
                .await?;
            for (deadline, event) in rows {
                let Some(event) = event else { continue };
                context
                    .deadlines
                    .entry(event.group_id)
                    .or_default()
                    .push(DeadlineLine {
                        text: deadline.description,
                        at: deadline.deadline_at,
                    });
            }
            let found = queues::Entity::find()
                .find_also_related(events::Entity)
                .filter(events::Column::GroupId.is_in(chunk.iter().copied()))
                .filter(events::Column::EventDate.is_in(dates.iter().copied()))
                .order_by_asc(queues::Column::CreatedAt)
                .all(conn)
                .await?;
            let ids: Vec<Uuid> = found.iter().map(|(queue, _)| queue.id).collect();
            let mut standing: HashMap<Uuid, Vec<(i32, i64)>> = HashMap::new();
            for ids in ids.chunks(500) {
                let rows = queueparticipants::Entity::find()
                    .filter(queueparticipants::Column::QueueId.is_in(ids.iter().copied()))
                    .all(conn)
                    .await?;
                for row in rows {
                    standing
                        .entry(row.queue_id)
                        .or_default()
                        .push((row.position, row.user_id));
                }
            }
            for (queue, event) in found {
                let (Some(event), Some(mut places)) = (event, standing.remove(&queue.id)) else {
                    continue;
                };
                places.sort_unstable();
                for (k, (_, user)) in places.into_iter().enumerate() {
                    context
                        .queues
                        .entry((user, event.event_date))
                        .or_default()
                        .push(QueueLine {
                            title: queue.title.clone(),
                            event: event.title.clone(),
                            place: u32::try_from(k + 1).unwrap_or(u32::MAX),
                        });
                }
            }
        }
        Ok(context)
    }

    /// The classes of `group` on `date` seen by `subgroup` (`None`: all), after the changes.
    pub(super) fn classes_on(
        &mut self,
        group: Uuid,
        date: NaiveDate,
        subgroup: Option<Subgroup>,
        labelled: bool,
    ) -> Vec<ClassLine> {
        let key = (group, date, subgroup, labelled);
        if let Some(lines) = self.plans.get(&key) {
            return lines.clone();
        }
        let lines = match self.timetables.get(&group) {
            Some(timetable) => {
                let classes = self.classes.get(&group).map_or(&[][..], Vec::as_slice);
                let changes = self.changes.get(&group).map_or(&[][..], Vec::as_slice);
                schedule::plan(
                    classes,
                    changes,
                    timetable.semester.as_ref(),
                    date,
                    date,
                    subgroup,
                )
                .remove(&date)
                .unwrap_or_default()
                .held
                .iter()
                .map(|held| ClassLine::of(held, &timetable.bells, labelled))
                .collect()
            }
            None => Vec::new(),
        };
        self.plans.insert(key, lines.clone());
        lines
    }

    pub(super) fn deadlines_after(&self, group: Uuid, at: DateTime<Utc>) -> Vec<DeadlineLine> {
        self.deadlines
            .get(&group)
            .into_iter()
            .flatten()
            .filter(|d| d.at > at && d.at <= at + DEADLINES_AHEAD)
            .cloned()
            .collect()
    }
}

/// The chats bound to `groups`.
pub(super) async fn bound_chats(
    conn: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<HashMap<Uuid, i64>, DbErr> {
    let mut found = HashMap::new();
    for chunk in groups.chunks(500) {
        let rows = groupchats::Entity::find()
            .filter(groupchats::Column::GroupId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        found.extend(rows.into_iter().map(|row| (row.group_id, row.chat_id)));
    }
    Ok(found)
}
