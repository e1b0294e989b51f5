//! Onboarding benchmark: N simulated students each send `/start`, press «🚀 Создать группу» and
//! type a group name, all at once, through the fake Bot API, against the release binary of the
//! bot running as a separate process on PostgreSQL (or SQLite with `--sqlite`).
//!
//! Prints one JSON object: throughput, latency from update to reply (p50/p95/p99), the bot's
//! CPU time per update and peak RSS, and the load generator's own CPU, to show it was not the
//! bottleneck.
//!
//! `cargo bench --bench onboarding -- [--users N] [--sqlite]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};
use study_group_bot::storage;
use study_group_bot::storage::entities::groups;
use support::fake_api::{FakeTelegram, TgUser};

const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

struct Options {
    users: usize,
    sqlite: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        users: 1000,
        sqlite: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--users" => {
                let value = args.next().context("--users needs a number")?;
                options.users = value.parse().context("--users needs a number")?;
            }
            "--sqlite" => options.sqlite = true,
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

/// CPU seconds (user + system) a process has used, from /proc.
fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit_once(')').context("malformed /proc stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3 of the full line; utime and stime are fields 14 and 15.
    let utime: f64 = fields.get(11).context("utime")?.parse()?;
    let stime: f64 = fields.get(12).context("stime")?.parse()?;
    Ok((utime + stime) / clock_ticks())
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Peak resident set size of a process in MiB.
fn peak_rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .context("VmHWM")?;
    let kib: f64 = line
        .split_whitespace()
        .nth(1)
        .context("VmHWM value")?
        .parse()?;
    Ok(kib / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

struct Bot {
    child: Child,
}

impl Bot {
    fn spawn(tg: &FakeTelegram, database_url: &str) -> anyhow::Result<Self> {
        let child = Command::new(env!("CARGO_BIN_EXE_study-group-bot"))
            .env("BOT_TOKEN", tg.token())
            .env("TELEGRAM_API_URL", tg.api_url())
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .spawn()
            .context("starting the bot binary")?;
        Ok(Self { child })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stop(mut self) -> anyhow::Result<()> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        if !status.success() {
            bail!("could not signal the bot");
        }
        let exit = self.child.wait()?;
        if !exit.success() {
            bail!("the bot exited with {exit}");
        }
        Ok(())
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// One student's onboarding; returns the latency of each of the three steps.
async fn onboard(tg: &FakeTelegram, user: TgUser, name: String) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(3);
    for text in ["/start", "🚀 Создать группу", name.as_str()] {
        let since = tg.next_seq();
        let pushed = Instant::now();
        tg.push_message(&user, text);
        let reply = tg
            .wait_for_chat(user.id, since, REPLY_TIMEOUT, |r| r.method == "sendMessage")
            .await
            .map_err(anyhow::Error::msg)?;
        anyhow::ensure!(reply.status == 200, "rejected: {:?}", reply.error);
        latencies.push(reply.at.saturating_duration_since(pushed));
    }
    Ok(latencies)
}

async fn run(options: Options) -> anyhow::Result<()> {
    let tg = FakeTelegram::start().await;
    let _sqlite_dir;
    let database_url = if options.sqlite {
        let dir = tempfile::tempdir()?;
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        );
        _sqlite_dir = dir;
        url
    } else {
        let server = support::app::postgres_server_url();
        storage::testing::fresh_postgres_database(&server)
            .await
            .with_context(|| format!("creating a database on {server}"))?
    };

    let bot = Bot::spawn(&tg, &database_url)?;
    tg.wait_for(0, Duration::from_secs(120), |r| r.method == "getUpdates")
        .await
        .map_err(anyhow::Error::msg)?;
    let pid = bot.pid().to_string();

    let students: Vec<TgUser> = (0..options.users)
        .map(|i| {
            let id = 500_000_000 + i as i64;
            tg.user(
                id,
                "Студент",
                Some(&format!("Нагрузочный{i}")),
                None,
                Some("ru"),
            )
        })
        .collect();

    let bot_cpu_before = cpu_seconds(&pid)?;
    let load_cpu_before = cpu_seconds("self")?;
    let started = Instant::now();
    let results = join_all(
        students
            .into_iter()
            .enumerate()
            .map(|(i, user)| onboard(&tg, user, format!("Группа {i}"))),
    )
    .await;
    let elapsed = started.elapsed();
    let bot_cpu = cpu_seconds(&pid)? - bot_cpu_before;
    let load_cpu = cpu_seconds("self")? - load_cpu_before;
    let peak_rss = peak_rss_mib(bot.pid())?;

    let mut latencies = Vec::with_capacity(options.users * 3);
    for result in results {
        latencies.extend(result?);
    }
    latencies.sort();
    let updates = latencies.len() as f64;

    let db = storage::connect(&database_url).await?;
    let created = groups::Entity::find().count(&db).await?;
    anyhow::ensure!(
        created == options.users as u64,
        "expected {} groups, found {created}",
        options.users
    );
    db.close().await?;
    bot.stop()?;

    let report = serde_json::json!({
        "benchmark": "onboarding",
        "backend": if options.sqlite { "sqlite" } else { "postgres" },
        "users": options.users,
        "updates": updates,
        "seconds": elapsed.as_secs_f64(),
        "updates_per_second": updates / elapsed.as_secs_f64(),
        "latency_ms": {
            "p50": percentile(&latencies, 50.0),
            "p95": percentile(&latencies, 95.0),
            "p99": percentile(&latencies, 99.0),
            "max": percentile(&latencies, 100.0),
        },
        "bot_cpu_seconds": bot_cpu,
        "bot_cpu_ms_per_update": bot_cpu * 1000.0 / updates,
        "bot_peak_rss_mib": peak_rss,
        "load_generator_cpu_seconds": load_cpu,
        "load_generator_cpu_share_of_wall": load_cpu / elapsed.as_secs_f64(),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
