//! Start-up and idle: the release binary started against the fake Bot API on a database whose
//! migrations are already applied (PostgreSQL, or SQLite with `--sqlite`).
//!
//! Each run measures the time from spawning the process to its first `getUpdates` arriving at
//! the fake (configuration, connecting, the migration check, `getMe`, `setMyCommands`,
//! `deleteWebhook`), then lets the bot sit idle until it has made `--polls` more long polls
//! (with a 1 s poll timeout: about that many seconds with nothing to do) and reads its resident
//! set (VmRSS), its peak (VmHWM) and the CPU it used while idle. Prints one JSON object.
//!
//! `cargo bench --bench idle -- [--sqlite] [--runs N] [--polls N]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::time::{Duration, Instant};

use common::{BenchDatabase, Bot};
use support::fake_api::FakeTelegram;

const START_TIMEOUT: Duration = Duration::from_secs(60);

struct Options {
    sqlite: bool,
    runs: usize,
    polls: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        sqlite: false,
        runs: 5,
        polls: 3,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sqlite" => options.sqlite = true,
            "--runs" => options.runs = args.value(&arg)?,
            "--polls" => options.polls = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    anyhow::ensure!(options.runs > 0, "--runs must be positive");
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// One start: (ms to the first getUpdates, RSS MiB at it, RSS MiB idle, peak MiB, idle CPU s,
/// idle seconds).
async fn start_once(database_url: &str, polls: usize) -> anyhow::Result<serde_json::Value> {
    let tg = FakeTelegram::start().await;
    let spawned = Instant::now();
    let bot = Bot::spawn_with(&tg, database_url, &[("POLL_TIMEOUT", "1")])?;
    let first = tg
        .wait_for(0, START_TIMEOUT, |r| r.method == "getUpdates")
        .await
        .map_err(anyhow::Error::msg)?;
    let startup = first.at.saturating_duration_since(spawned);
    let rss_at_start = common::rss_mib(bot.pid())?;
    let idle_cpu_before = bot.cpu_seconds()?;
    let idle_from = Instant::now();
    // Idle: wait for `polls` more long polls (each returns empty after the poll timeout).
    let mut since = first.seq + 1;
    for _ in 0..polls {
        let poll = tg
            .wait_for(since, START_TIMEOUT, |r| r.method == "getUpdates")
            .await
            .map_err(anyhow::Error::msg)?;
        since = poll.seq + 1;
    }
    let idle_seconds = idle_from.elapsed().as_secs_f64();
    let idle_cpu = bot.cpu_seconds()? - idle_cpu_before;
    let rss_idle = common::rss_mib(bot.pid())?;
    let peak = common::peak_rss_mib(bot.pid())?;
    bot.stop()?;
    Ok(serde_json::json!({
        "startup_to_first_get_updates_ms": startup.as_secs_f64() * 1000.0,
        "rss_at_first_get_updates_mib": rss_at_start,
        "idle_seconds": idle_seconds,
        "rss_idle_mib": rss_idle,
        "peak_rss_mib": peak,
        "idle_cpu_seconds": idle_cpu,
    }))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let database = BenchDatabase::create(options.sqlite).await?;
    // Migrations applied before the measured starts.
    study_group_bot::app::connect_and_migrate(&database.url)
        .await?
        .close()
        .await?;
    let mut runs = Vec::with_capacity(options.runs);
    for _ in 0..options.runs {
        runs.push(start_once(&database.url, options.polls).await?);
    }
    let field = |name: &str| -> Vec<Duration> {
        runs.iter()
            .filter_map(|run| run[name].as_f64())
            .map(|v| Duration::from_secs_f64(v / 1000.0))
            .collect()
    };
    let startup = common::summary(field("startup_to_first_get_updates_ms"));
    let worst_idle_rss = runs
        .iter()
        .filter_map(|run| run["rss_idle_mib"].as_f64())
        .fold(0.0, f64::max);
    let report = serde_json::json!({
        "benchmark": "idle",
        "backend": database.backend(),
        "runs": runs,
        "startup_ms": startup,
        "worst_rss_idle_mib": worst_idle_rss,
    });
    database.drop_database().await;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
