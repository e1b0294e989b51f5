//! Digests at 20:00: a whole university's evening digests fall due at the same minute and must
//! go out within Telegram's limits — all delivered, no 429, the last within 20 minutes (30 a
//! second is the ceiling: 1,000 s for 30,000 messages), fair between groups.
//!
//! `--students` students (default 30,000) in `--groups` groups (default 1,000), every group
//! with a timetable whose tomorrow holds a common lecture and a lab for each of two subgroups,
//! a task due at the lecture and a deadline tomorrow evening; a third of the students in each
//! subgroup, a third in none. Every student's evening digest is set to the same minute, the
//! first whole minute at least `--lead` seconds (default 45) after seeding, so that the bot's
//! binary (a process of its own, as shipped) has started. The fake Bot API enforces Telegram's
//! limits (more than 30 sends in a second overall, or two within a second to one chat → 429).
//!
//! Prints one JSON object: how many digests the bot planned and how long planning took, the
//! deliveries (first and last after the due minute, the rate), the 429s, and fairness between
//! groups — when each group's first and last student got theirs and the spread of the groups'
//! mean delivery times — with the bot's CPU time and peak RSS.
//!
//! `cargo bench --bench digests -- [--postgres] [--students N] [--groups G] [--lead S]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Moscow;
use common::{BenchDatabase, Bot};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use study_group_bot::storage::entities::{
    classes, deadlines, digestsettings, events, groupmembers, groups, homework, subgroupmembers,
    timetables, users,
};
use support::fake_api::FakeTelegram;
use uuid::Uuid;

struct Options {
    students: usize,
    groups: usize,
    postgres: bool,
    lead: u64,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        students: 30_000,
        groups: 1_000,
        postgres: false,
        lead: 45,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--students" => options.students = args.value("--students")?,
            "--groups" => options.groups = args.value("--groups")?,
            "--lead" => options.lead = args.value("--lead")?,
            "--postgres" => options.postgres = true,
            other => common::unknown(other)?,
        }
    }
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// The first whole minute at least `lead` after `now`.
fn due_minute(now: DateTime<Utc>, lead: u64) -> DateTime<Utc> {
    let at = now + chrono::Duration::seconds(lead as i64 + 59);
    at.with_second(0)
        .and_then(|at| at.with_nanosecond(0))
        .unwrap_or(at)
}

async fn run(options: Options) -> anyhow::Result<()> {
    let tg = FakeTelegram::start().await;
    tg.enforce_limits();
    let database = BenchDatabase::create(!options.postgres).await?;
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let groups = options.groups.max(1);
    let per_group = options.students.div_ceil(groups);
    let seeding = Instant::now();
    // Tomorrow as the groups see it on the due minute (known within a minute of seeding).
    let guess = due_minute(Utc::now(), options.lead + 60);
    let tomorrow = guess.with_timezone(&Moscow).date_naive() + chrono::Duration::days(1);
    let mut students = Vec::new();
    let mut group_of: HashMap<i64, usize> = HashMap::new();
    for g in 0..groups {
        let ids: Vec<i64> = (0..per_group)
            .map(|i| g * per_group + i)
            .filter(|&i| i < options.students)
            .map(|i| 600_000_000 + i as i64)
            .collect();
        for &id in &ids {
            let user = tg.user(id, &format!("Студент {id}"), None, None, Some("ru"));
            tg.open_private_chat(&user);
            group_of.insert(id, g);
        }
        students.push(ids);
    }
    seed(&db, &students, tomorrow).await?;
    let seeded = seeding.elapsed();
    let due = due_minute(Utc::now(), options.lead);
    if due.with_timezone(&Moscow).date_naive() + chrono::Duration::days(1) != tomorrow {
        bail!("seeding crossed midnight in Moscow: run again");
    }
    let minute = due.with_timezone(&Moscow).time();
    let minute = (minute.hour() * 60 + minute.minute()) as i16;
    let settings: Vec<digestsettings::ActiveModel> = group_of
        .keys()
        .map(|&user| digestsettings::ActiveModel {
            user_id: Set(user),
            evening_on: Set(true),
            evening_minute: Set(minute),
            morning_on: Set(false),
            morning_minute: Set(450),
            ping_minutes: Set(None),
        })
        .collect();
    for chunk in settings.chunks(1000) {
        digestsettings::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&db)
            .await?;
    }

    let bot = Bot::spawn(&tg, &database.url)?;
    let expected = group_of.len();
    // Deliveries: each student's first digest, as seconds after the due minute.
    let (clock_instant, clock_utc) = (Instant::now(), Utc::now());
    let after_due = |at: Instant| -> f64 {
        let utc = clock_utc
            + chrono::Duration::from_std(at.saturating_duration_since(clock_instant))
                .unwrap_or_default();
        (utc - due).num_milliseconds() as f64 / 1000.0
    };
    let mut delivered: HashMap<i64, f64> = HashMap::new();
    let mut duplicates = 0usize;
    let mut refused: Vec<f64> = Vec::new();
    let mut seq = 0;
    let give_up = due + chrono::Duration::minutes(30);
    while delivered.len() < expected {
        if Utc::now() > give_up {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let records = tg.requests_since(seq);
        seq += records.len() as u64;
        for record in records {
            if record.method != "sendMessage" {
                continue;
            }
            let Some(chat) = record.chat_id() else {
                continue;
            };
            if !group_of.contains_key(&chat) {
                continue;
            }
            match record.status {
                200 => {
                    let again = delivered.insert(chat, after_due(record.at)).is_some();
                    duplicates += usize::from(again);
                }
                429 => refused.push(after_due(record.at)),
                _ => {}
            }
        }
    }
    let cpu = bot.cpu_seconds()?;
    let rss = common::peak_rss_mib(bot.pid())?;
    bot.stop()?;

    let planned = planned(&db, due).await?;
    let mut times: Vec<f64> = delivered.values().copied().collect();
    times.sort_by(f64::total_cmp);
    let first = times.first().copied().unwrap_or(f64::NAN);
    let last = times.last().copied().unwrap_or(f64::NAN);
    let mut per_group: Vec<Vec<f64>> = vec![Vec::new(); groups];
    for (chat, at) in &delivered {
        if let Some(&g) = group_of.get(chat) {
            per_group[g].push(*at);
        }
    }
    let stat = |pick: &dyn Fn(&[f64]) -> f64| -> (f64, f64) {
        let values: Vec<f64> = per_group
            .iter()
            .filter(|times| !times.is_empty())
            .map(|times| pick(times))
            .collect();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min, max)
    };
    let firsts = stat(&|t| t.iter().copied().fold(f64::INFINITY, f64::min));
    let lasts = stat(&|t| t.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let means = stat(&|t| t.iter().sum::<f64>() / t.len() as f64);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let report = serde_json::json!({
        "benchmark": "digests",
        "backend": database.backend(),
        "students": expected,
        "groups": groups,
        "seeding_seconds": round(seeded.as_secs_f64()),
        "planned": planned.count,
        "planned_within_seconds_of_due": planned.within.map(round),
        "delivered": delivered.len(),
        "duplicates": duplicates,
        "first_after_due_seconds": round(first),
        "last_after_due_seconds": round(last),
        "messages_per_second": round(times.len() as f64 / (last - first).max(1.0)),
        "http_429_received": tg.refused_by_limits(),
        "http_429_at_seconds": refused.iter().copied().map(round).collect::<Vec<_>>(),
        "fairness": {
            "group_first_seconds": {"min": round(firsts.0), "max": round(firsts.1)},
            "group_last_seconds": {"min": round(lasts.0), "max": round(lasts.1)},
            "group_mean_seconds": {"min": round(means.0), "max": round(means.1)},
        },
        "bot_cpu_seconds": round(cpu),
        "bot_peak_rss_mib": round(rss),
    });
    println!("{report}");
    db.close().await?;
    database.drop_database().await;
    if delivered.len() < expected {
        bail!("{} of {expected} digests delivered", delivered.len());
    }
    Ok(())
}

/// The digests the bot wrote to the outbox, and how long after the due minute the last was
/// written.
struct Planned {
    count: i64,
    within: Option<f64>,
}

async fn planned(db: &DatabaseConnection, due: DateTime<Utc>) -> anyhow::Result<Planned> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT created_at FROM outbox WHERE dedup_key LIKE 'digest:%'",
        ))
        .await?;
    let mut latest: Option<DateTime<Utc>> = None;
    for row in &rows {
        let at: DateTime<Utc> = row.try_get("", "created_at")?;
        latest = latest.max(Some(at));
    }
    Ok(Planned {
        count: rows.len() as i64,
        within: latest.map(|at| (at - due).num_milliseconds() as f64 / 1000.0),
    })
}

/// Groups (Moscow time), members (a third in each of two subgroups), a semester, three classes
/// tomorrow, a task due at the lecture and a deadline tomorrow at 18:00.
async fn seed(
    db: &DatabaseConnection,
    students: &[Vec<i64>],
    tomorrow: NaiveDate,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let local = |time: NaiveTime| {
        Moscow
            .from_local_datetime(&tomorrow.and_time(time))
            .single()
            .map(|at| at.with_timezone(&Utc))
            .context("a local time in Moscow")
    };
    let lecture_at = local(NaiveTime::from_hms_opt(9, 0, 0).context("9:00")?)?;
    let deadline_at = local(NaiveTime::from_hms_opt(18, 0, 0).context("18:00")?)?;
    let weekday = tomorrow.weekday().number_from_monday() as i16;
    let mut user_rows = Vec::new();
    let mut group_rows = Vec::new();
    let mut member_rows = Vec::new();
    let mut subgroup_rows = Vec::new();
    let mut timetable_rows = Vec::new();
    let mut class_rows = Vec::new();
    let mut homework_rows = Vec::new();
    let mut event_rows = Vec::new();
    let mut deadline_rows = Vec::new();
    for (g, ids) in students.iter().enumerate() {
        let group = Uuid::new_v4();
        group_rows.push(groups::ActiveModel {
            id: Set(group),
            name: Set(format!("Группа {g}")),
            description: Set(None),
            created_at: Set(now),
            creator_id: Set(None),
            timezone: Set("Europe/Moscow".to_owned()),
            ics_secret: Set(None),
        });
        timetable_rows.push(timetables::ActiveModel {
            group_id: Set(group),
            first_day: Set(tomorrow - chrono::Duration::days(60)),
            last_day: Set(tomorrow + chrono::Duration::days(60)),
            first_week_odd: Set(true),
            bells: Set(None),
            updated_at: Set(now),
            post_changes: Set(false),
            post_digest: Set(false),
        });
        let lecture = Uuid::new_v4();
        let classes = [
            (lecture, 1, "Операционные системы", "lecture", None, "401"),
            (Uuid::new_v4(), 2, "Базы данных", "lab", Some(1), "215"),
            (Uuid::new_v4(), 2, "Сети", "lab", Some(2), "216"),
        ];
        for (id, pair, subject, kind, subgroup, room) in classes {
            class_rows.push(classes::ActiveModel {
                id: Set(id),
                group_id: Set(group),
                weekday: Set(weekday),
                pair: Set(pair),
                subject: Set(subject.to_owned()),
                kind: Set(kind.to_owned()),
                teacher: Set(Some("Петров П. П.".to_owned())),
                room: Set(Some(room.to_owned())),
                weeks: Set("every".to_owned()),
                dates: Set(None),
                subgroup: Set(subgroup),
                created_at: Set(now),
            });
        }
        homework_rows.push(homework::ActiveModel {
            id: Set(Uuid::new_v4()),
            group_id: Set(group),
            class_id: Set(Some(lecture)),
            subject: Set(Some("Операционные системы".to_owned())),
            subgroup: Set(None),
            due_date: Set(tomorrow),
            due_at: Set(lecture_at),
            body: Set("Прочитать главу 3 и ответить на вопросы".to_owned()),
            status: Set(study_group_bot::homework::PUBLISHED.to_owned()),
            author_id: Set(None),
            approved_by: Set(None),
            created_at: Set(now),
            approved_at: Set(None),
        });
        let event = Uuid::new_v4();
        event_rows.push(events::ActiveModel {
            id: Set(event),
            group_id: Set(group),
            created_by_user_id: Set(None),
            title: Set("Лабораторная 2".to_owned()),
            description: Set(None),
            subject: Set(Some("Базы данных".to_owned())),
            event_date: Set(tomorrow),
            is_important: Set(false),
            created_at: Set(now),
        });
        deadline_rows.push(deadlines::ActiveModel {
            id: Set(Uuid::new_v4()),
            event_id: Set(event),
            description: Set("Сдать отчёт".to_owned()),
            deadline_at: Set(deadline_at),
        });
        for (k, &id) in ids.iter().enumerate() {
            user_rows.push(common::seed::user(id, format!("Вечерний {id}"), now));
            let member = Uuid::new_v4();
            member_rows.push(groupmembers::ActiveModel {
                id: Set(member),
                user_id: Set(id),
                group_id: Set(group),
                is_leader: Set(k == 0),
                is_assistant: Set(false),
                joined_at: Set(now),
            });
            if k % 3 != 0 {
                subgroup_rows.push(subgroupmembers::ActiveModel {
                    member_id: Set(member),
                    group_id: Set(group),
                    user_id: Set(id),
                    subgroup: Set((k % 3) as i16),
                });
            }
        }
    }
    macro_rules! insert {
        ($entity:path, $rows:expr) => {
            for chunk in $rows.chunks(500) {
                <$entity>::insert_many(chunk.to_vec())
                    .exec_without_returning(db)
                    .await?;
            }
        };
    }
    insert!(users::Entity, user_rows);
    insert!(groups::Entity, group_rows);
    insert!(groupmembers::Entity, member_rows);
    insert!(subgroupmembers::Entity, subgroup_rows);
    insert!(timetables::Entity, timetable_rows);
    insert!(classes::Entity, class_rows);
    insert!(homework::Entity, homework_rows);
    insert!(events::Entity, event_rows);
    insert!(deadlines::Entity, deadline_rows);
    Ok(())
}
