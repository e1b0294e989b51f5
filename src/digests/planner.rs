//! The planner: minute by minute, the digests and pings due write themselves to the outbox.
//!
//! Each run plans the minutes after the last one planned (`digestmarks.done_until`, one mark
//! per [`Plan`]) up to now — at most [`LOOKBACK`] back after a long outage — and advances the
//! mark in the same transaction as the last outbox rows it writes (a big minute is written in
//! several): a restart or a new sender neither repeats a minute nor skips one, and the dedup
//! keys (`digest:eve:<date>:<user>`, …) make a replay of a minute cut short safe. Everything is
//! read in bulk, a statement per 100 groups (members with their subgroups and settings,
//! timetables, classes, changes, homework, deadlines, queue places), composed in memory
//! ([`super::compose`]) and written before the next 100 are read; a minute's digests are due
//! a millisecond apart within each group ([`compose::stagger`]), so the sender goes round the
//! groups whatever batch they were written in.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, TimeZone as _, Timelike, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::compose::{self, Day, HomeworkLine};
use super::reads::{Context, Member, bound_chats, groups_of, members_of, zones};
use super::settings::{DEFAULT_EVENING, Digest};
use crate::groups::Timezone;
use crate::notifications::{Kind, Message, Notifier, outbox};
use crate::storage::entities::{digestmarks, digestsettings};

/// How far back a planner that was down looks: a digest more than this late is not sent.
pub const LOOKBACK: Duration = Duration::hours(3);
/// Outbox rows written in one transaction (the last one with the mark).
const WRITE_BATCH: usize = 2_000;
/// Groups read and composed at a time: a batch's digests are written before the next batch is
/// read, so this bounds what waits in memory (a few thousand digests), at about ten statements
/// a batch.
const GROUPS_PER_BATCH: usize = 100;
/// The longest ping lead time: a window's pings are for classes up to this much later.
const PING_AHEAD: Duration = Duration::minutes(60);

/// What a run plans, each with its own mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Evening,
    Morning,
    Ping,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Evening, Plan::Morning, Plan::Ping];

    /// Its `digestmarks.name`.
    pub fn mark(self) -> &'static str {
        match self {
            Plan::Evening => "evening",
            Plan::Morning => "morning",
            Plan::Ping => "ping",
        }
    }
}

/// The start of the minute holding `at`.
pub fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0)
        .and_then(|at| at.with_nanosecond(0))
        .unwrap_or(at)
}

/// Plans everything due up to `now`; returns how many outbox rows were written. `notifier`,
/// if given, is woken after each batch written, so the sender starts on the first digests
/// while the rest are written.
pub async fn run(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    notifier: Option<&Notifier>,
) -> Result<usize, DbErr> {
    let mut written = 0;
    for plan in Plan::ALL {
        written += run_plan(db, now, plan, notifier).await?;
    }
    Ok(written)
}

/// Plans the minutes of `plan` after its mark up to `now`. The rows are written as each batch
/// of groups is composed, in transactions of [`WRITE_BATCH`] rows, the last with the mark: a
/// crash before it leaves the mark where it was, and the replay skips the rows already written
/// (their dedup keys), so no digest is lost or doubled, no transaction holds the database for
/// long, and a minute's digests never wait in memory all at once.
pub async fn run_plan(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    plan: Plan,
    notifier: Option<&Notifier>,
) -> Result<usize, DbErr> {
    let until = minute_of(now);
    let mark = digestmarks::Entity::find_by_id(plan.mark().to_owned())
        .one(db)
        .await?;
    let from = match mark {
        Some(mark) => mark.done_until.max(until - LOOKBACK),
        // The first run ever plans the current minute.
        None => until - Duration::minutes(1),
    };
    if from >= until {
        return Ok(0);
    }
    let mut writer = Writer {
        db,
        now,
        notifier,
        held: Vec::new(),
        written: 0,
    };
    match plan {
        Plan::Evening => digests(db, Digest::Evening, from, until, &mut writer).await?,
        Plan::Morning => digests(db, Digest::Morning, from, until, &mut writer).await?,
        Plan::Ping => writer.push(pings(db, from, until).await?).await?,
    }
    writer.finish(plan, until).await
}

/// Writes a run's rows as they are composed: each full [`WRITE_BATCH`] in a transaction of its
/// own (the sender woken after it), the rest with the run's mark.
struct Writer<'a> {
    db: &'a DatabaseConnection,
    now: DateTime<Utc>,
    notifier: Option<&'a Notifier>,
    held: Vec<Message>,
    written: usize,
}

impl Writer<'_> {
    /// Takes `messages` and writes every full batch held.
    async fn push(&mut self, messages: Vec<Message>) -> Result<(), DbErr> {
        self.held.extend(messages);
        while self.held.len() > WRITE_BATCH {
            let rest = self.held.split_off(WRITE_BATCH);
            let batch = std::mem::replace(&mut self.held, rest);
            self.write(batch, None).await?;
        }
        Ok(())
    }

    /// Writes what is held with the mark `until` of `plan`; returns how many rows the run wrote.
    async fn finish(mut self, plan: Plan, until: DateTime<Utc>) -> Result<usize, DbErr> {
        let rest = std::mem::take(&mut self.held);
        self.write(rest, Some((plan, until))).await?;
        Ok(self.written)
    }

    async fn write(
        &mut self,
        batch: Vec<Message>,
        mark: Option<(Plan, DateTime<Utc>)>,
    ) -> Result<(), DbErr> {
        let count = batch.len();
        let txn = crate::storage::begin_write(self.db).await?;
        outbox::enqueue(&txn, self.now, batch).await?;
        if let Some((plan, until)) = mark {
            let row = digestmarks::ActiveModel {
                name: Set(plan.mark().to_owned()),
                done_until: Set(until),
            };
            digestmarks::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(digestmarks::Column::Name)
                        .update_column(digestmarks::Column::DoneUntil)
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        self.written += count;
        if count > 0
            && let Some(notifier) = self.notifier
        {
            notifier.wake();
        }
        Ok(())
    }
}

/// Runs the planner until `stop` turns true: at each minute boundary of the notifier's clock
/// and whenever the notifier is woken (the clock moved, in tests).
pub async fn serve(db: DatabaseConnection, notifier: Notifier, mut stop: watch::Receiver<bool>) {
    let mut planned: Option<DateTime<Utc>> = None;
    while !*stop.borrow() {
        let now = notifier.now();
        if planned.is_none_or(|planned| minute_of(now) > planned) {
            match run(&db, now, Some(&notifier)).await {
                Ok(_) => planned = Some(minute_of(now)),
                Err(err) => {
                    crate::storage::report_failure();
                    tracing::warn!(%err, "digests: planning failed");
                }
            }
        }
        let now = notifier.now();
        let next = minute_of(now) + Duration::minutes(1);
        let wait = (next - now)
            .to_std()
            .unwrap_or_default()
            .clamp(StdDuration::from_millis(200), StdDuration::from_secs(60));
        tokio::select! {
            () = notifier.wakeup().digests_woken().notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

/// The minutes `from` (exclusive) to `until` (inclusive).
fn window(from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut minutes = Vec::new();
    let mut at = from + Duration::minutes(1);
    while at <= until {
        minutes.push(at);
        at += Duration::minutes(1);
    }
    minutes
}

/// Each minute of the day (in `tz`) the window holds, with its instant (the first, if the
/// clocks repeat it).
fn local_minutes(tz: Timezone, minutes: &[DateTime<Utc>]) -> HashMap<u16, DateTime<Utc>> {
    let mut found = HashMap::new();
    for &at in minutes {
        let local = at.with_timezone(&tz.tz());
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or_default();
        found.entry(minute).or_insert(at);
    }
    found
}

/// One digest to compose: whose, of which group, due at which minute, of which date.
struct Due {
    /// `None`: the group's bound chat.
    member: Option<Member>,
    chat: i64,
    group: Uuid,
    at: DateTime<Utc>,
    date: NaiveDate,
}

/// The `digest`s due in the minutes after `from` up to `until`, for every group, to `writer`
/// as each batch of groups is composed.
async fn digests(
    conn: &impl ConnectionTrait,
    digest: Digest,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    writer: &mut Writer<'_>,
) -> Result<(), DbErr> {
    let minutes = window(from, until);
    let zones = zones(conn).await?;
    let mut by_zone: HashMap<&'static str, HashMap<u16, DateTime<Utc>>> = HashMap::new();
    for &tz in zones.values() {
        by_zone
            .entry(tz.name())
            .or_insert_with(|| local_minutes(tz, &minutes));
    }
    let wanted: BTreeSet<u16> = by_zone.values().flat_map(|m| m.keys().copied()).collect();
    // The groups where the default minute falls now: every member may be due; and the groups
    // of those whose own time falls now somewhere.
    let default = match digest {
        Digest::Evening => Some(DEFAULT_EVENING),
        Digest::Morning => None,
    };
    let mut candidates: BTreeSet<Uuid> = zones
        .iter()
        .filter(|(_, tz)| {
            default.is_some_and(|m| by_zone.get(tz.name()).is_some_and(|z| z.contains_key(&m)))
        })
        .map(|(group, _)| *group)
        .collect();
    let (on, minute) = match digest {
        Digest::Evening => (
            digestsettings::Column::EveningOn,
            digestsettings::Column::EveningMinute,
        ),
        Digest::Morning => (
            digestsettings::Column::MorningOn,
            digestsettings::Column::MorningMinute,
        ),
    };
    let own: Vec<i64> = digestsettings::Entity::find()
        .select_only()
        .column(digestsettings::Column::UserId)
        .filter(on.eq(true))
        .filter(minute.is_in(wanted.iter().map(|&m| i16::try_from(m).unwrap_or_default())))
        .into_tuple()
        .all(conn)
        .await?;
    candidates.extend(groups_of(conn, &own).await?);
    let candidates: Vec<Uuid> = candidates.into_iter().collect();
    for batch in candidates.chunks(GROUPS_PER_BATCH) {
        let mut due = Vec::new();
        for member in members_of(conn, batch).await? {
            let tz = zones.get(&member.group).copied().unwrap_or_default();
            let Some(at) = member
                .settings
                .minute(digest)
                .and_then(|m| by_zone.get(tz.name())?.get(&m).copied())
            else {
                continue;
            };
            due.push(Due {
                chat: member.user,
                group: member.group,
                date: day_of(digest, at, tz),
                at,
                member: Some(member),
            });
        }
        let chats = if digest == Digest::Evening {
            bound_chats(conn, batch).await?
        } else {
            HashMap::new()
        };
        let mut posting = Vec::new();
        for (&group, &chat) in &chats {
            let tz = zones.get(&group).copied().unwrap_or_default();
            if let Some(&at) = by_zone.get(tz.name()).and_then(|m| m.get(&DEFAULT_EVENING)) {
                posting.push(Due {
                    member: None,
                    chat,
                    group,
                    at,
                    date: day_of(digest, at, tz),
                });
            }
        }
        if due.is_empty() && posting.is_empty() {
            continue;
        }
        let groups: Vec<Uuid> = due
            .iter()
            .chain(&posting)
            .map(|d| d.group)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let dates: BTreeSet<NaiveDate> = due.iter().chain(&posting).map(|d| d.date).collect();
        let mut context = Context::load(conn, &groups, &dates, from, until).await?;
        // A chat's post only if the group asked for it.
        posting.retain(|d| {
            context
                .timetables
                .get(&d.group)
                .is_some_and(|t| t.post_digest)
        });
        let mut composed = Vec::new();
        for one in due.into_iter().chain(posting) {
            let tz = zones.get(&one.group).copied().unwrap_or_default();
            if let Some(note) = compose_one(&mut context, digest, tz, &one) {
                composed.push((one, note));
            }
        }
        let order: Vec<(Uuid, i64, DateTime<Utc>)> = composed
            .iter()
            .map(|(one, _)| (one.group, one.chat, one.at))
            .collect();
        let tag = match digest {
            Digest::Evening => "eve",
            Digest::Morning => "morn",
        };
        let mut messages = Vec::with_capacity(composed.len());
        for ((one, note), at) in composed.into_iter().zip(compose::stagger(&order)) {
            let key = match one.member {
                Some(_) => format!("digest:{tag}:{}:{}", one.date, one.chat),
                None => format!("digest:chat:{}:{}", one.date, one.group),
            };
            messages.push(Message {
                chat_id: one.chat,
                kind: digest.kind(),
                payload: note,
                dedup_key: Some(key),
                due_at: Some(at),
            });
        }
        writer.push(messages).await?;
    }
    Ok(())
}

/// The date a digest due at `at` tells of: tomorrow in the evening, today in the morning.
fn day_of(digest: Digest, at: DateTime<Utc>, tz: Timezone) -> NaiveDate {
    let today = at.with_timezone(&tz.tz()).date_naive();
    match digest {
        Digest::Evening => today.succ_opt().unwrap_or(today),
        Digest::Morning => today,
    }
}

/// One digest's note (`None`: nothing to say).
fn compose_one(
    context: &mut Context,
    digest: Digest,
    tz: Timezone,
    one: &Due,
) -> Option<crate::notifications::Note> {
    let classes = match &one.member {
        Some(member) => context.classes_on(one.group, one.date, member.subgroup, false),
        None => context.classes_on(one.group, one.date, None, true),
    };
    let tasks = context.homework.get(&(one.group, one.date));
    let (homework, queues) = match &one.member {
        Some(member) => {
            let homework = tasks
                .into_iter()
                .flatten()
                .filter(|task| task.open_for(member.user, member.subgroup))
                .map(homework_line)
                .collect();
            let queues = context
                .queues
                .get(&(member.user, one.date))
                .cloned()
                .unwrap_or_default();
            (homework, queues)
        }
        None => {
            let homework = tasks.into_iter().flatten().map(homework_line).collect();
            (homework, Vec::new())
        }
    };
    Day {
        digest,
        date: one.date,
        tz,
        classes,
        homework,
        deadlines: context.deadlines_after(one.group, one.at),
        queues,
    }
    .note()
}

fn homework_line(task: &crate::homework::reads::Due) -> HomeworkLine {
    HomeworkLine {
        subject: task.subject.clone(),
        body: task.body.clone(),
    }
}

/// The pings due in the minutes after `from` up to `until`.
async fn pings(
    conn: &impl ConnectionTrait,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Message>, DbErr> {
    let users: Vec<i64> = digestsettings::Entity::find()
        .select_only()
        .column(digestsettings::Column::UserId)
        .filter(digestsettings::Column::PingMinutes.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let groups: Vec<Uuid> = groups_of(conn, &users).await?.into_iter().collect();
    let zones = zones(conn).await?;
    let mut messages = Vec::new();
    for batch in groups.chunks(GROUPS_PER_BATCH) {
        let members: Vec<Member> = members_of(conn, batch)
            .await?
            .into_iter()
            .filter(|m| m.settings.ping.is_some())
            .collect();
        // The dates of the classes the window's pings may be for, in each group's zone.
        let mut dates_of: BTreeMap<Uuid, Vec<NaiveDate>> = BTreeMap::new();
        for &group in batch {
            let tz = zones.get(&group).copied().unwrap_or_default().tz();
            let first = from.with_timezone(&tz).date_naive();
            let last = (until + PING_AHEAD).with_timezone(&tz).date_naive();
            let dates = first.iter_days().take_while(|d| *d <= last).collect();
            dates_of.insert(group, dates);
        }
        let all_dates: BTreeSet<NaiveDate> = dates_of.values().flatten().copied().collect();
        let mut context = Context::timetable(conn, batch, &all_dates).await?;
        for member in members {
            let Some(minutes) = member.settings.ping else {
                continue;
            };
            let tz = zones.get(&member.group).copied().unwrap_or_default().tz();
            for &date in dates_of.get(&member.group).into_iter().flatten() {
                for class in context.classes_on(member.group, date, member.subgroup, false) {
                    let Some(start) = class.start else { continue };
                    let Some(starts) = tz
                        .from_local_datetime(&date.and_time(start))
                        .earliest()
                        .map(|at| at.with_timezone(&Utc))
                    else {
                        continue;
                    };
                    let at = starts - Duration::minutes(i64::from(minutes));
                    if at <= from || at > until {
                        continue;
                    }
                    messages.push(Message {
                        chat_id: member.user,
                        kind: Kind::ClassPing,
                        payload: compose::ping(minutes, &class.subject, class.room.as_deref()),
                        dedup_key: Some(format!(
                            "digest:ping:{date}:{}:{}",
                            class.pair, member.user
                        )),
                        due_at: Some(at),
                    });
                }
            }
        }
    }
    Ok(messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_the_minutes_after_its_start() {
        let from = DateTime::<Utc>::from_timestamp(1_765_000_000 / 60 * 60, 0).unwrap_or_default();
        let minutes = window(from, from + Duration::minutes(3));
        assert_eq!(minutes.len(), 3);
        assert_eq!(minutes[0], from + Duration::minutes(1));
        assert!(window(from, from).is_empty());
    }

    #[test]
    fn an_evening_digest_tells_of_tomorrow_in_the_group_zone() {
        let tz = Timezone::stored("Europe/Moscow");
        // 17:00 UTC is 20:00 in Moscow.
        let at = DateTime::parse_from_rfc3339("2026-12-07T17:00:00Z")
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_default();
        let minutes = local_minutes(tz, &[at]);
        assert_eq!(minutes.get(&DEFAULT_EVENING), Some(&at));
        assert_eq!(
            day_of(Digest::Evening, at, tz),
            NaiveDate::from_ymd_opt(2026, 12, 8).unwrap_or_default()
        );
        assert_eq!(
            day_of(Digest::Morning, at, tz),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default()
        );
    }
}
