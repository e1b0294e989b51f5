//! Broadcast benchmark: one announcement to 3,000 users across 100 groups (30 each), delivered
//! by the outbox sender through the fake Bot API, which answers 429 like Telegram when a bot
//! sends more than 30 messages a second overall or more than one a second to one chat.
//!
//! Prints one JSON object: messages/s achieved (target ≥ 28), 429s received (target 0), total
//! time. The rows are written with `notifications::outbox::enqueue` (what the announcement flow
//! writes), then an in-process `Sender` drains the outbox, as the bot's worker does.
//!
//! `cargo bench --bench broadcast -- [--users N] [--groups G] [--postgres]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use study_group_bot::notifications::worker::Sender;
use study_group_bot::notifications::{Kind, Message, Notifier, SystemClock, outbox};
use support::app::{Backend, TestDatabase};
use support::fake_api::FakeTelegram;

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
    let per_group = options.users.div_ceil(options.groups.max(1));
    let mut messages = Vec::with_capacity(options.users);
    for i in 0..options.users {
        let id = 500_000_000 + i as i64;
        let user = tg.user(id, &format!("Студент {i}"), None, None, Some("ru"));
        // The user has written to the bot once, so the bot may message them.
        tg.push_message(&user, "/start");
        let group = i / per_group;
        messages.push(Message::now(
            id,
            Kind::Announcement,
            format!("📢 Объявление группы {group}: собрание в 12:00"),
            None,
        ));
    }
    let notifier = Notifier::new(Arc::new(SystemClock));
    outbox::enqueue(&db, chrono::Utc::now(), messages).await?;
    tg.enforce_limits();
    let api = tg.api_url().parse().context("fake API URL")?;
    let bot = teloxide::Bot::new(tg.token()).set_api_url(api);
    let sender = Sender::new(db.clone(), bot, notifier);
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
