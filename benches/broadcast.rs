//! Broadcast benchmark: announcements to 3,000 users across 100 groups (each group's leader
//! announces to its 30 members), delivered by the outbox sender through the fake Bot API, which
//! answers 429 like Telegram when a bot sends more than 30 messages a second overall or more
//! than one a second to one chat.
//!
//! Prints one JSON object: messages/s achieved (target ≥ 28), 429s received (target 0), total
//! time. The announcements go through the «📢 Объявление» service
//! (`notifications::announcements::send` in a unit of work, with its notices), then an in-process
//! `Sender` drains the outbox, as the bot's worker does.
//!
//! `cargo bench --bench broadcast -- [--users N] [--groups G] [--postgres]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use sea_orm::{ActiveValue::Set, EntityTrait};
use study_group_bot::notifications::announcements::{self, AnnouncementText};
use study_group_bot::notifications::{Notifier, SystemClock};
use study_group_bot::storage::entities::{groupmembers, groups, users};
use study_group_bot::telegram::notifications::worker::Sender;
use support::app::{Backend, TestDatabase};
use support::fake_api::FakeTelegram;
use uuid::Uuid;

struct Options {
    users: usize,
    groups: usize,
    backend: Backend,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        users: 3000,
        groups: 100,
        backend: Backend::Sqlite,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--users" => {
                let value = args.next().context("--users needs a number")?;
                options.users = value.parse().context("--users needs a number")?;
            }
            "--groups" => {
                let value = args.next().context("--groups needs a number")?;
                options.groups = value.parse().context("--groups needs a number")?;
            }
            "--postgres" => options.backend = Backend::Postgres,
            "--bench" => {} // passed by `cargo bench`
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let tg = FakeTelegram::start().await;
    let database = TestDatabase::create(options.backend).await;
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let groups = options.groups.max(1);
    let per_group = options.users.div_ceil(groups);
    let now = chrono::Utc::now();
    // Each group: a leader (who announces) and `per_group` members (who receive).
    let mut user_rows = Vec::new();
    let mut group_rows = Vec::new();
    let mut member_rows = Vec::new();
    let mut leaders = Vec::new();
    for g in 0..groups {
        let group = Uuid::new_v4();
        let leader = 400_000_000 + g as i64;
        leaders.push(leader);
        group_rows.push(groups::ActiveModel {
            id: Set(group),
            name: Set(format!("Группа {g}")),
            description: Set(None),
            created_at: Set(now),
            creator_id: Set(None),
            timezone: Set("Europe/Moscow".to_owned()),
            ics_secret: Set(None),
        });
        let members = (0..per_group)
            .map(|i| g * per_group + i)
            .filter(|&i| i < options.users)
            .map(|i| 500_000_000 + i as i64);
        for (k, id) in std::iter::once(leader).chain(members).enumerate() {
            let user = tg.user(id, &format!("Студент {id}"), None, None, Some("ru"));
            // The user has written to the bot once, so the bot may message them.
            tg.push_message(&user, "/start");
            user_rows.push(common::seed::user(id, format!("Нагрузочный {id}"), now));
            member_rows.push(groupmembers::ActiveModel {
                id: Set(Uuid::new_v4()),
                user_id: Set(id),
                group_id: Set(group),
                is_leader: Set(k == 0),
                is_assistant: Set(false),
                joined_at: Set(now),
            });
        }
    }
    for chunk in user_rows.chunks(500) {
        users::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&db)
            .await?;
    }
    groups::Entity::insert_many(group_rows)
        .exec_without_returning(&db)
        .await?;
    for chunk in member_rows.chunks(500) {
        groupmembers::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&db)
            .await?;
    }
    let notifier = Notifier::new(Arc::new(SystemClock));
    let text = AnnouncementText::parse("Собрание группы завтра в 12:00, ауд. 301")?;
    let written = Instant::now();
    let mut announced = 0;
    for leader in leaders {
        let id = Uuid::new_v4();
        let clock = notifier.clock();
        let sent = study_group_bot::uow::run(&db, &clock, Some(leader), |uow| {
            Box::pin(announcements::send(uow, id, &text))
        })
        .await?;
        announced += sent.value.reached;
    }
    let writing = written.elapsed().as_secs_f64();
    tg.enforce_limits();
    let api = tg.api_url().parse().context("fake API URL")?;
    let api = study_group_bot::telegram::api::Api::new(tg.token(), api)?;
    let sender = Sender::new(db.clone(), api, notifier);
    let started = Instant::now();
    loop {
        let claimed = sender.deliver_due().await?;
        if claimed == 0 {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let delivered = tg
        .requests()
        .iter()
        .filter(|r| r.method == "sendMessage" && r.status == 200)
        .count();
    let stats = study_group_bot::notifications::outbox_stats(&db, chrono::Utc::now()).await?;
    let report = serde_json::json!({
        "benchmark": "broadcast",
        "backend": format!("{:?}", options.backend),
        "users": options.users,
        "groups": options.groups,
        "announced_to": announced,
        "announcements_written_seconds": (writing * 1000.0).round() / 1000.0,
        "delivered": delivered,
        "seconds": (elapsed * 100.0).round() / 100.0,
        "messages_per_second": ((delivered as f64 / elapsed) * 100.0).round() / 100.0,
        "http_429_received": tg.refused_by_limits(),
        "left_in_outbox": stats.due + stats.scheduled,
        "failed": stats.failed,
    });
    println!("{report}");
    Ok(())
}
