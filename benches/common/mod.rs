//! What the end-to-end benchmarks share (`mod common;`): the bot's release binary started as a
//! process of its own against the fake Bot API, the database it runs on, the measurements of a
//! process (CPU time, resident memory) and the summaries of latency samples.
//!
//! Not every benchmark uses every helper.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, bail};

pub mod seed;

use crate::support;
use support::fake_api::FakeTelegram;

/// Command-line options after `--`: `--flag` switches and `--name value` pairs.
pub struct Args {
    args: std::vec::IntoIter<String>,
}

impl Args {
    pub fn from_env() -> Self {
        let args: Vec<String> = std::env::args()
            .skip(1)
            .filter(|arg| arg != "--bench") // passed by `cargo bench`
            .collect();
        Self {
            args: args.into_iter(),
        }
    }

    /// The value after `--name`, parsed.
    pub fn value<T: FromStr>(&mut self, name: &str) -> anyhow::Result<T> {
        let value = self
            .args
            .next()
            .with_context(|| format!("{name} needs a value"))?;
        value
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}: cannot parse {value:?}"))
    }
}

impl Iterator for Args {
    type Item = String;
    fn next(&mut self) -> Option<String> {
        self.args.next()
    }
}

pub fn unknown(arg: &str) -> anyhow::Result<()> {
    bail!("unknown argument {arg}")
}

/// The benchmark's own runtime: two worker threads, as many as the machine's cores.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// A database of the benchmark's own: a fresh PostgreSQL database on the test server
/// (`TEST_DATABASE_URL`), dropped at the end, or an SQLite file in a temporary directory.
pub struct BenchDatabase {
    pub url: String,
    pub sqlite: bool,
    _dir: Option<tempfile::TempDir>,
}

impl BenchDatabase {
    /// Transactions committed or rolled back in this database so far, as PostgreSQL counts
    /// them (a statement outside a transaction is one); `None` on SQLite. The server's
    /// statistics lag by up to a second or so, small against a phase of several seconds.
    pub async fn transactions(&self) -> anyhow::Result<Option<i64>> {
        use sea_orm::{ConnectionTrait, Statement};
        if self.sqlite {
            return Ok(None);
        }
        let db = sea_orm::Database::connect(&self.url).await?;
        let row = db
            .query_one_raw(Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database \
                 WHERE datname = current_database()",
            ))
            .await?
            .context("no pg_stat_database row")?;
        let n: i64 = row.try_get("", "n")?;
        db.close().await?;
        Ok(Some(n))
    }

    pub async fn create(sqlite: bool) -> anyhow::Result<Self> {
        if sqlite {
            let dir = tempfile::tempdir()?;
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            );
            return Ok(Self {
                url,
                sqlite,
                _dir: Some(dir),
            });
        }
        let server = support::app::postgres_server_url();
        let url = study_group_bot::storage::testing::fresh_postgres_database(&server)
            .await
            .with_context(|| format!("creating a database on {server}"))?;
        Ok(Self {
            url,
            sqlite,
            _dir: None,
        })
    }

    pub fn backend(&self) -> &'static str {
        if self.sqlite { "sqlite" } else { "postgres" }
    }

    /// Drops a PostgreSQL database (the SQLite directory goes with `self`).
    pub async fn drop_database(self) {
        if self.sqlite {
            return;
        }
        let server = support::app::postgres_server_url();
        if let Err(err) =
            study_group_bot::storage::testing::drop_postgres_database(&server, &self.url).await
        {
            eprintln!("could not drop the benchmark database: {err}");
        }
    }
}

/// CPU seconds (user + system) a process has used, from /proc (`"self"` for this process:
/// the same figure `getrusage(RUSAGE_SELF)` gives).
pub fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit_once(')').context("malformed /proc stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3 of the full line; utime and stime are fields 14 and 15.
    let utime: f64 = fields.get(11).context("utime")?.parse()?;
    let stime: f64 = fields.get(12).context("stime")?.parse()?;
    Ok((utime + stime) / clock_ticks())
}

/// CPU seconds the PostgreSQL server's processes have used (user + system, with the exited
/// backends the postmaster has reaped), from /proc: the database's share, whatever else the
/// machine runs meanwhile. Zero where no PostgreSQL runs on this machine.
pub fn postgres_cpu_seconds() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let mut ticks = 0.0;
    for entry in dir.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        if !head.ends_with("(postgres") {
            continue;
        }
        // utime, stime, cutime, cstime: fields 14–17 of the full line.
        let fields: Vec<&str> = rest.split_whitespace().collect();
        ticks += (11..=14)
            .filter_map(|i| fields.get(i)?.parse::<f64>().ok())
            .sum::<f64>();
    }
    ticks / clock_ticks()
}

/// CPU seconds every core of the machine has been busy (not idle, not waiting for I/O), from
/// `/proc/stat`: the bot, the benchmark process, PostgreSQL and anything else running.
pub fn machine_busy_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let line = stat.lines().next().context("empty /proc/stat")?;
    let fields: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    // user nice system idle iowait irq softirq steal …
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&i| fields.get(i))
        .sum();
    Ok(busy / clock_ticks())
}

fn clock_ticks() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// A `VmXXX:` line of /proc/<pid>/status in MiB (`VmHWM`: peak resident set; `VmRSS`: now).
fn status_mib(pid: u32, field: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .with_context(|| field.to_owned())?;
    let kib: f64 = line
        .split_whitespace()
        .nth(1)
        .with_context(|| format!("{field} value"))?
        .parse()?;
    Ok(kib / 1024.0)
}

/// Peak resident set size of a process in MiB.
pub fn peak_rss_mib(pid: u32) -> anyhow::Result<f64> {
    status_mib(pid, "VmHWM:")
}

/// Current resident set size of a process in MiB.
pub fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    status_mib(pid, "VmRSS:")
}

/// The `p`-th percentile of sorted samples, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// p50/p95/p99/max/mean of samples, in milliseconds.
pub fn summary(mut samples: Vec<Duration>) -> serde_json::Value {
    samples.sort();
    let mean = if samples.is_empty() {
        0.0
    } else {
        samples.iter().map(Duration::as_secs_f64).sum::<f64>() / samples.len() as f64
    };
    serde_json::json!({
        "samples": samples.len(),
        "p50": percentile(&samples, 50.0),
        "p95": percentile(&samples, 95.0),
        "p99": percentile(&samples, 99.0),
        "max": percentile(&samples, 100.0),
        "mean": mean * 1000.0,
    })
}

/// The bot's release binary, running as a process of its own against the fake Bot API.
pub struct Bot {
    child: Child,
}

impl Bot {
    pub fn spawn(tg: &FakeTelegram, database_url: &str) -> anyhow::Result<Self> {
        Self::spawn_with(tg, database_url, &[])
    }

    /// Like [`spawn`](Self::spawn), with more environment variables.
    pub fn spawn_with(
        tg: &FakeTelegram,
        database_url: &str,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        // `BENCH_BOT_BINARY` measures another build of the bot (a copy of an earlier commit's,
        // side by side with this one) against the same load.
        let binary = std::env::var_os("BENCH_BOT_BINARY")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_study-group-bot").into());
        let mut command = Command::new(binary);
        command
            .env("BOT_TOKEN", tg.token())
            .env("TELEGRAM_API_URL", tg.api_url())
            .env("DATABASE_URL", database_url)
            .env("HTTP_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null());
        let child = command.spawn().context("starting the bot binary")?;
        Ok(Self { child })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU seconds the bot has used so far.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(&self.pid().to_string())
    }

    /// SIGTERM, then waits for a clean exit.
    pub fn stop(mut self) -> anyhow::Result<()> {
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
        let _ = self.child.wait();
    }
}

/// CPU time of the bot and of this process (load generator and fake Bot API) over a phase.
pub struct CpuMeter {
    bot: f64,
    own: f64,
    machine: f64,
    postgres: f64,
    started: std::time::Instant,
}

impl CpuMeter {
    pub fn start(bot: &Bot) -> anyhow::Result<Self> {
        Ok(Self {
            bot: bot.cpu_seconds()?,
            own: cpu_seconds("self")?,
            machine: machine_busy_seconds()?,
            postgres: postgres_cpu_seconds(),
            started: std::time::Instant::now(),
        })
    }

    /// `{bot_cpu_seconds, bot_cpu_ms_per_update, load_generator_cpu_seconds, …}` for `updates`.
    pub fn report(&self, bot: &Bot, updates: usize) -> anyhow::Result<serde_json::Value> {
        let wall = self.started.elapsed().as_secs_f64();
        let bot_cpu = bot.cpu_seconds()? - self.bot;
        let own_cpu = cpu_seconds("self")? - self.own;
        let others = machine_busy_seconds()? - self.machine - bot_cpu - own_cpu;
        let postgres = postgres_cpu_seconds() - self.postgres;
        let updates = updates.max(1) as f64;
        Ok(serde_json::json!({
            "wall_seconds": wall,
            "bot_cpu_seconds": bot_cpu,
            "bot_cpu_ms_per_update": bot_cpu * 1000.0 / updates,
            "bot_cpu_share_of_wall": bot_cpu / wall,
            "load_generator_cpu_seconds": own_cpu,
            "load_generator_cpu_ms_per_update": own_cpu * 1000.0 / updates,
            "load_generator_cpu_share_of_wall": own_cpu / wall,
            // Everything else the machine did meanwhile: the database server, mostly, on an
            // otherwise quiet machine.
            "other_cpu_seconds": others,
            "other_cpu_ms_per_update": others * 1000.0 / updates,
            "other_cpu_share_of_wall": others / wall,
            // The PostgreSQL server's own processes (part of the above).
            "postgres_cpu_seconds": postgres,
            "postgres_cpu_ms_per_update": postgres * 1000.0 / updates,
        }))
    }
}
