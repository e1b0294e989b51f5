//! Mixed workload: N simulated students (default 1000) in G groups (default 40) use the bot the
//! way a study group does, through the fake Bot API, against the release binary running as a
//! process of its own (PostgreSQL, or SQLite with `--sqlite`).
//!
//! A student's session is nine updates: `/start`, «📅 События и Бронь» (the month), an event
//! card, that event's queue, «Встать в очередь», «Выйти из очереди», the event's topic list, a
//! topic pick, «👤 Профиль». Groups, events, queues and topic lists are written through the
//! services before the bot starts; students are seeded members (so the sessions are the load,
//! not registration).
//!
//! Phases:
//! 1. warm-up: every student sends `/start` once;
//! 2. capacity (closed loop): every student runs sessions back to back for `--closed-seconds`,
//!    each waiting for the bot's reply before the next step — N updates in flight, more than the
//!    bot can take; updates/s is the capacity;
//! 3. latency (open loop): the next student's next step is pushed at fixed intervals, `--rate`
//!    updates/s for `--open-seconds`, whatever the replies do; latency is from the push to the
//!    bot's reply request arriving at the fake (the `sendMessage`, or the `editMessageText` of
//!    the pressed message).
//!
//! For each phase: the bot's CPU time per update (user + system from /proc/<pid>/stat) and this
//! process's (load generator + fake Bot API), to tell whether it was the bottleneck. At the end
//! the bot's peak RSS (VmHWM). Prints one JSON object.
//!
//! `cargo bench --bench mixed -- [--sqlite] [--students N] [--groups G] [--rate R]
//! [--open-seconds S] [--closed-seconds S]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use common::seed::{self, Event};
use common::{BenchDatabase, Bot, CpuMeter};
use futures::future::join_all;
use sea_orm::DatabaseConnection;
use study_group_bot::telegram::callback::encode;
use support::fake_api::{FakeTelegram, Recorded, TgUser};
use tokio::sync::{Mutex, mpsc};
use uuid::Uuid;

const REPLY_TIMEOUT: Duration = Duration::from_secs(60);
const STUDENT_IDS: i64 = 600_000_000;
const LEADER_IDS: i64 = 700_000_000;
const EVENTS_PER_GROUP: u64 = 6;
const TOPICS_PER_LIST: usize = 30;

struct Options {
    sqlite: bool,
    students: usize,
    groups: usize,
    rate: f64,
    open_seconds: f64,
    closed_seconds: f64,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        sqlite: false,
        students: 1000,
        groups: 40,
        rate: 500.0,
        open_seconds: 20.0,
        closed_seconds: 15.0,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sqlite" => options.sqlite = true,
            "--students" => options.students = args.value(&arg)?,
            "--groups" => options.groups = args.value(&arg)?,
            "--rate" => options.rate = args.value(&arg)?,
            "--open-seconds" => options.open_seconds = args.value(&arg)?,
            "--closed-seconds" => options.closed_seconds = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    anyhow::ensure!(options.groups > 0 && options.students >= options.groups);
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// What the groups were seeded with: per group, its events.
struct Seeded {
    events: Vec<Vec<Event>>,
}

const SHAPE: seed::Shape = seed::Shape {
    events: EVENTS_PER_GROUP,
    topics: TOPICS_PER_LIST,
    capacity: 2,
};

/// The groups (a leader each, events with a queue and a topic list each), then the students
/// spread over them.
async fn seed(db: &DatabaseConnection, options: &Options) -> anyhow::Result<Seeded> {
    let mut groups = Vec::new();
    for g in 0..options.groups {
        groups.push(seed::group(db, LEADER_IDS + g as i64, g, SHAPE).await?);
    }
    let ids: Vec<Uuid> = groups.iter().map(|group| group.id).collect();
    seed::students(
        db,
        STUDENT_IDS,
        options.students,
        "Смешанный",
        |n| ids[n % ids.len()],
    )
    .await?;
    Ok(Seeded {
        events: groups.into_iter().map(|group| group.events).collect(),
    })
}

/// The steps of a session, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Start,
    Month,
    Card,
    Queue,
    Join,
    Leave,
    Topics,
    Pick,
    Profile,
}

const SESSION: [Step; 9] = [
    Step::Start,
    Step::Month,
    Step::Card,
    Step::Queue,
    Step::Join,
    Step::Leave,
    Step::Topics,
    Step::Pick,
    Step::Profile,
];

/// One simulated student: where they are in their session.
struct Student {
    user: TgUser,
    events: Arc<Vec<Event>>,
    index: usize,
    step: usize,
    sessions: usize,
    /// The bot's message with the month grid (the card, queue and topics replace it in place).
    screen: Option<i64>,
}

/// A reply that arrived: latency and whether Telegram accepted it.
struct Reply {
    latency: Duration,
    ok: bool,
}

impl Student {
    fn event(&self) -> &Event {
        &self.events[(self.index + self.sessions) % self.events.len()]
    }

    /// Pushes the next step and waits for the bot's reply to it.
    async fn act(&mut self, tg: &FakeTelegram) -> anyhow::Result<Reply> {
        let step = SESSION[self.step];
        let since = tg.next_seq();
        let pushed = Instant::now();
        let screen = self.screen;
        let reply = match step {
            Step::Start => {
                tg.push_message(&self.user, "/start");
                self.wait(tg, since, |r| sent_text_contains(r, "Добро пожаловать"))
                    .await?
            }
            Step::Month => {
                tg.push_message(&self.user, "📅 События и Бронь");
                self.wait(tg, since, |r| sent_text_contains(r, "Календарь группы"))
                    .await?
            }
            Step::Profile => {
                tg.push_message(&self.user, "👤 Профиль");
                self.wait(tg, since, |r| sent_text_contains(r, "Профиль"))
                    .await?
            }
            _ => {
                let message = screen.context("a session presses buttons under its month")?;
                let event = self.event();
                let pick = event.topics[(self.index / 7 + self.sessions) % event.topics.len()];
                let data = match step {
                    Step::Card => {
                        encode(&study_group_bot::telegram::events::action::Action::Open {
                            event: event.id,
                        })
                    }
                    Step::Queue => {
                        encode(&study_group_bot::telegram::queues::action::Action::Open {
                            queue: event.queue,
                        })
                    }
                    Step::Join => {
                        encode(&study_group_bot::telegram::queues::action::Action::Join {
                            queue: event.queue,
                        })
                    }
                    Step::Leave => {
                        encode(&study_group_bot::telegram::queues::action::Action::Leave {
                            queue: event.queue,
                        })
                    }
                    Step::Topics => {
                        encode(&study_group_bot::telegram::topics::handlers::Action::Open {
                            list: event.topic_list,
                        })
                    }
                    _ => encode(&study_group_bot::telegram::topics::handlers::Action::Pick {
                        topic: pick,
                        page: 0,
                    }),
                };
                // A press is done when its query is answered, which the bot does last: after
                // the edit, or alone when the screen would not change (a refused pick, a queue
                // screen already showing what it would show) — then no edit is sent at all.
                let update_id = tg.push_callback(&self.user, message, &data);
                let query = tg
                    .update(update_id)
                    .and_then(|u| u["callback_query"]["id"].as_str().map(str::to_owned))
                    .context("the pushed callback query's id")?;
                let answer = tg
                    .wait_for_answer(&query, REPLY_TIMEOUT)
                    .await
                    .map_err(|err| anyhow::anyhow!("{err} (step {step:?})"))?;
                self.step_done();
                return Ok(Reply {
                    latency: answer.at.saturating_duration_since(pushed),
                    ok: answer.is_ok(),
                });
            }
        };
        if step == Step::Month {
            self.screen = reply.result.as_ref().and_then(|m| m["message_id"].as_i64());
        }
        self.step_done();
        Ok(Reply {
            latency: reply.at.saturating_duration_since(pushed),
            ok: reply.is_ok(),
        })
    }

    fn step_done(&mut self) {
        self.step += 1;
        if self.step == SESSION.len() {
            self.step = 0;
            self.sessions += 1;
        }
    }

    async fn wait(
        &self,
        tg: &FakeTelegram,
        since: u64,
        pred: impl Fn(&Recorded) -> bool,
    ) -> anyhow::Result<Recorded> {
        let step = SESSION[self.step];
        tg.wait_for_chat(self.user.id, since, REPLY_TIMEOUT, pred)
            .await
            .map_err(|err| anyhow::anyhow!("{err} (step {step:?})"))
    }
}

fn sent_text_contains(r: &Recorded, needle: &str) -> bool {
    r.method == "sendMessage" && r.text().is_some_and(|t| t.contains(needle))
}

/// Latency samples and refusals of a phase.
#[derive(Default)]
struct Samples {
    latencies: Vec<Duration>,
    refused: usize,
}

impl Samples {
    fn add(&mut self, reply: Reply) {
        self.latencies.push(reply.latency);
        if !reply.ok {
            self.refused += 1;
        }
    }
}

/// Every student runs sessions back to back until `until`; returns the replies and how many of
/// them arrived by `until`.
async fn closed_loop(
    tg: &FakeTelegram,
    students: &[Arc<Mutex<Student>>],
    until: Instant,
) -> anyhow::Result<(Samples, usize)> {
    let runs = students.iter().map(|student| async move {
        let mut student = student.lock().await;
        let mut replies = Vec::new();
        let mut in_window = 0;
        while Instant::now() < until {
            let reply = student.act(tg).await?;
            if Instant::now() <= until {
                in_window += 1;
            }
            replies.push(reply);
        }
        anyhow::Ok((replies, in_window))
    });
    let mut samples = Samples::default();
    let mut in_window = 0;
    for result in join_all(runs).await {
        let (replies, n) = result?;
        in_window += n;
        replies.into_iter().for_each(|r| samples.add(r));
    }
    Ok((samples, in_window))
}

/// Pushes `total` steps at `rate` per second, round robin over the students; each step is
/// pushed at its scheduled instant unless its student is still waiting for an earlier reply
/// (counted as late).
async fn open_loop(
    tg: &FakeTelegram,
    students: &[Arc<Mutex<Student>>],
    rate: f64,
    total: usize,
) -> anyhow::Result<(Samples, usize)> {
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<anyhow::Result<(Reply, bool)>>();
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    for k in 0..total {
        let scheduled = ticks.tick().await;
        let student = students[k % students.len()].clone();
        let tg = tg.clone();
        let done = done_tx.clone();
        tokio::spawn(async move {
            let mut student = student.lock().await;
            let late = scheduled.elapsed() > Duration::from_millis(1);
            let _ = done.send(student.act(&tg).await.map(|reply| (reply, late)));
        });
    }
    drop(done_tx);
    let mut samples = Samples::default();
    let mut late = 0;
    while let Some(result) = done_rx.recv().await {
        let (reply, was_late) = result?;
        late += usize::from(was_late);
        samples.add(reply);
    }
    Ok((samples, late))
}

/// Database transactions (statements outside a transaction included) per update since
/// `before`; `None` on SQLite.
async fn per_update(
    database: &BenchDatabase,
    before: Option<i64>,
    updates: usize,
) -> anyhow::Result<Option<f64>> {
    let after = database.transactions().await?;
    Ok(before
        .zip(after)
        .map(|(before, after)| (after - before) as f64 / updates.max(1) as f64))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let database = BenchDatabase::create(options.sqlite).await?;
    let seeding = Instant::now();
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let seeded = seed(&db, &options).await?;
    db.close().await?;
    let seed_seconds = seeding.elapsed().as_secs_f64();

    let tg = FakeTelegram::start().await;
    let bot = Bot::spawn(&tg, &database.url)?;
    tg.wait_for(0, Duration::from_secs(120), |r| r.method == "getUpdates")
        .await
        .map_err(anyhow::Error::msg)?;

    let group_events: Vec<Arc<Vec<Event>>> = seeded.events.into_iter().map(Arc::new).collect();
    let students: Vec<Arc<Mutex<Student>>> = (0..options.students)
        .map(|i| {
            let user = tg.user(
                STUDENT_IDS + i as i64,
                "Студент",
                Some(&format!("Смешанный{i}")),
                None,
                Some("ru"),
            );
            Arc::new(Mutex::new(Student {
                user,
                events: group_events[i % options.groups].clone(),
                index: i / options.groups,
                step: 0,
                sessions: 0,
                screen: None,
            }))
        })
        .collect();

    // Warm-up: one `/start` each (connections, caches, the students' private chats).
    let warm = join_all(students.iter().map(|s| {
        let tg = &tg;
        async move { s.lock().await.act(tg).await }
    }))
    .await;
    for reply in warm {
        reply?;
    }

    // Capacity: a closed loop with every student active.
    let transactions = database.transactions().await?;
    let cpu = CpuMeter::start(&bot)?;
    let started = Instant::now();
    let window = Duration::from_secs_f64(options.closed_seconds);
    let (closed, in_window) = closed_loop(&tg, &students, started + window).await?;
    let closed_cpu = cpu.report(&bot, closed.latencies.len())?;
    let closed_transactions = per_update(&database, transactions, closed.latencies.len()).await?;
    let capacity = in_window as f64 / window.as_secs_f64();

    // Latency at a fixed offered rate: an open loop.
    let total = (options.rate * options.open_seconds) as usize;
    let transactions = database.transactions().await?;
    let cpu = CpuMeter::start(&bot)?;
    let started = Instant::now();
    let (open, late) = open_loop(&tg, &students, options.rate, total).await?;
    let open_elapsed = started.elapsed().as_secs_f64();
    let open_cpu = cpu.report(&bot, open.latencies.len())?;
    let open_transactions = per_update(&database, transactions, open.latencies.len()).await?;

    let peak_rss = common::peak_rss_mib(bot.pid())?;
    bot.stop()?;
    // Every request Telegram would have refused, whichever press it belonged to (an edit, say,
    // that a press's answer came after).
    let refused_requests = tg
        .requests_since(0)
        .iter()
        .filter(|r| r.status >= 400)
        .count();

    let report = serde_json::json!({
        "benchmark": "mixed",
        "backend": database.backend(),
        "students": options.students,
        "groups": options.groups,
        "session": SESSION.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>(),
        "seed_seconds": seed_seconds,
        "capacity": {
            "seconds": window.as_secs_f64(),
            "concurrent_students": options.students,
            "updates_in_window": in_window,
            "updates_per_second": capacity,
            "updates_with_drain": closed.latencies.len(),
            "refused_replies": closed.refused,
            "latency_ms": common::summary(closed.latencies),
            "cpu": closed_cpu,
            "database_transactions_per_update": closed_transactions,
        },
        "open_loop": {
            "offered_per_second": options.rate,
            "updates": total,
            "seconds": open_elapsed,
            "achieved_per_second": total as f64 / open_elapsed,
            "pushed_late": late,
            "refused_replies": open.refused,
            "latency_ms": common::summary(open.latencies),
            "cpu": open_cpu,
            "database_transactions_per_update": open_transactions,
        },
        "refused_requests": refused_requests,
        "bot_peak_rss_mib": peak_rss,
    });
    database.drop_database().await;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
