//! SQL statements per update: how many statements the bot runs to handle one update of each
//! kind, read from its own `sgb_db_statements_total` counter (`/metrics`), against the release
//! binary running as a process of its own (PostgreSQL, or SQLite with `--sqlite`).
//!
//! What is counted (`http::metrics::db_statement`): every statement sea-orm runs, inside a
//! transaction or not; not `BEGIN`, `COMMIT` or `ROLLBACK`, which sqlx sends itself. A
//! transaction of three queries counts three.
//!
//! One group is seeded through the services: a leader, N students (default 50) as members, six
//! events, each with a queue and a topic list of 30 topics (capacity 2), as `mixed` seeds them.
//! Then, for each kind of update in turn, every student sends one such update, one at a time:
//!
//! - `start`: `/start` by a member;
//! - `start_stale`: the same, by a member whose activity mark is over a minute old (the bot
//!   then writes it: `users.last_active_at` is kept to the minute);
//! - `month`: «📅 События и Бронь» (the month screen, whose message the presses below edit);
//! - `event_card`: an event card opened for the first time
//!   (`telegram::events::action::Action::Open`);
//! - `queue_join`: «Встать в очередь» (`telegram::queues::action::Action::Join`; the queue
//!   grows to N);
//! - `topic_pick`: a topic pick (`telegram::topics::action::Action::Pick`; two students a topic);
//! - `queue_open`: the queue screen, read only (`telegram::queues::action::Action::Open`; N in
//!   the queue);
//! - `topics_open`: the topic list, read only (`telegram::topics::action::Action::Open`; N picks
//!   shown);
//! - `queue_leave`: «Выйти из очереди» (`telegram::queues::action::Action::Leave`) from the
//!   second place: the new second is told «Вы следующий» (one notice, which the handler sends itself); the last
//!   two leave with nobody to tell;
//! - `profile`: «👤 Профиль»;
//! - `newcomer_start`, `create_group`, `group_name`: onboarding, by N users the bot has never
//!   seen: `/start` (the user is registered), «🚀 Создать группу» (the name is asked) and a
//!   name (the group is created, its creator its leader).
//!
//! In this order each press changes what the pressed message shows (an edit to the same text
//! and buttons is answered `message is not modified`: done, but not the usual path). Except for
//! `start_stale`, a student's activity mark is set to now before each update, through the
//! benchmark's own connection, so that no update pays the once-a-minute write by chance.
//!
//! Each update is measured on its own, the bot being quiet: the update is pushed, the bot's
//! reply awaited (the `sendMessage`, or the edit of the pressed message), then the update's
//! inbox row finished (`done_at`, read through the benchmark's own connection: everything the
//! pipeline does for it is done, its finishing statement included), then `/metrics` is read. The difference of `sgb_db_statements_total` from the read
//! before is the update's statements plus the read's own: rendering `/metrics` refreshes the
//! outbox and inbox gauges from the database first, and those statements are counted before
//! the text is rendered. That cost is measured at idle (consecutive reads, until five in a row
//! agree, before and after the updates; it must not change) and subtracted.
//! `sgb_updates_total` must move by exactly one per update. `statements_per_update` is the
//! median over the students; the mean, min, max and a histogram are given beside it.
//!
//! Background work is kept out of those figures. Polling `getUpdates` runs no SQL while no
//! update comes, and no live message is published, so no edit task runs. The outbox sender
//! does: it delivers notices a handler left to it (rate-limited ones), and with nothing due it
//! looks at the outbox every 30 s (`IDLE_POLL` in `telegram/notifications/worker.rs`, two
//! statements).
//! So after each update the benchmark waits until the bot is quiet — the outbox holding nothing
//! due within a minute (the benchmark's own query), then no statement but the reads' own for
//! 100 ms — before the next update. What ran meanwhile is reported apart: as the kind's
//! `after_handling` if the outbox held work during that wait (the update's notices, sent by the
//! sender), else in `background_statements` (the sender's idle look, landing there by chance).
//! That idle look can also fall inside an update's own window (a few milliseconds); it then
//! shows as a lone outlier in that kind's histogram, which the median ignores.
//! `--idle-seconds S` stays idle for S seconds at the end and reports what the counter did.
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench statements -- [--sqlite] [--students N] [--idle-seconds S]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use chrono::{DateTime, Utc};
use common::seed;
use common::{BenchDatabase, Bot};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use study_group_bot::storage::entities::{inbox, users};
use study_group_bot::telegram::callback::encode;
use support::fake_api::{FakeTelegram, Recorded, TgUser};

const REPLY_TIMEOUT: Duration = Duration::from_secs(60);
const STUDENT_IDS: i64 = 610_000_000;
const LEADER_ID: i64 = 710_000_000;
/// Users unknown to the bot until their `/start` (the onboarding kinds).
const NEWCOMER_IDS: i64 = 810_000_000;
const EVENTS: u64 = 6;
const TOPICS: usize = 30;
/// Students a topic takes.
const TOPIC_CAPACITY: usize = 2;
/// The bot writes a user's activity mark at most this often (`members::service`).
const ACTIVITY_RESOLUTION: chrono::Duration = chrono::Duration::minutes(1);
/// Idle `/metrics` reads (pairs) that measure a read's own statements.
const CALIBRATION_READS: usize = 5;
/// The bot is quiet when nothing but `/metrics` reads ran for this long (with the outbox idle).
const QUIET: Duration = Duration::from_millis(100);
/// The longest the bot may take to come to rest after an update.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

struct Options {
    sqlite: bool,
    students: usize,
    idle_seconds: f64,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        sqlite: false,
        students: 50,
        idle_seconds: 0.0,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sqlite" => options.sqlite = true,
            "--students" => options.students = args.value(&arg)?,
            "--idle-seconds" => options.idle_seconds = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    ensure!(options.students > 0, "--students must be positive");
    ensure!(
        options.students <= TOPICS * TOPIC_CAPACITY,
        "--students: at most {} (each picks a topic)",
        TOPICS * TOPIC_CAPACITY
    );
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// The event whose card, queue and topic list the students press.
type Seeded = seed::Event;

/// One group (its leader), its events with a queue and a topic list each; then the students,
/// as its members.
async fn seed(db: &DatabaseConnection, students: usize) -> anyhow::Result<Seeded> {
    let shape = seed::Shape {
        events: EVENTS,
        topics: TOPICS,
        capacity: TOPIC_CAPACITY,
    };
    let group = seed::group(db, LEADER_ID, 1, shape).await?;
    seed::students(db, STUDENT_IDS, students, "Счётный", |_| group.id).await?;
    group
        .events
        .into_iter()
        .next()
        .context("no event was seeded")
}

/// The kinds of update measured, in the order they run.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Start,
    StartStale,
    Month,
    EventCard,
    QueueJoin,
    TopicPick,
    QueueOpen,
    TopicsOpen,
    QueueLeave,
    Profile,
    NewcomerStart,
    CreateGroup,
    GroupName,
}

const KINDS: [Kind; 13] = [
    Kind::Start,
    Kind::StartStale,
    Kind::Month,
    Kind::EventCard,
    Kind::QueueJoin,
    Kind::TopicPick,
    Kind::QueueOpen,
    Kind::TopicsOpen,
    Kind::QueueLeave,
    Kind::Profile,
    Kind::NewcomerStart,
    Kind::CreateGroup,
    Kind::GroupName,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Start => "start",
            Kind::StartStale => "start_stale",
            Kind::Month => "month",
            Kind::EventCard => "event_card",
            Kind::QueueJoin => "queue_join",
            Kind::QueueOpen => "queue_open",
            Kind::QueueLeave => "queue_leave",
            Kind::TopicPick => "topic_pick",
            Kind::TopicsOpen => "topics_open",
            Kind::Profile => "profile",
            Kind::NewcomerStart => "newcomer_start",
            Kind::CreateGroup => "create_group",
            Kind::GroupName => "group_name",
        }
    }

    /// Callback data of a press under the month screen; `None` for a message.
    fn callback(self, seeded: &Seeded, student: usize) -> Option<String> {
        Some(match self {
            Kind::EventCard => encode(&study_group_bot::telegram::events::action::Action::Open {
                event: seeded.id,
            }),
            Kind::QueueJoin => encode(&study_group_bot::telegram::queues::action::Action::Join {
                queue: seeded.queue,
            }),
            Kind::QueueOpen => encode(&study_group_bot::telegram::queues::action::Action::Open {
                queue: seeded.queue,
            }),
            Kind::QueueLeave => encode(&study_group_bot::telegram::queues::action::Action::Leave {
                queue: seeded.queue,
            }),
            Kind::TopicPick => encode(&study_group_bot::telegram::topics::handlers::Action::Pick {
                topic: seeded.topics[student / TOPIC_CAPACITY],
                page: 0,
            }),
            Kind::TopicsOpen => {
                encode(&study_group_bot::telegram::topics::handlers::Action::Open {
                    list: seeded.topic_list,
                })
            }
            Kind::Start
            | Kind::StartStale
            | Kind::Month
            | Kind::Profile
            | Kind::NewcomerStart
            | Kind::CreateGroup
            | Kind::GroupName => return None,
        })
    }

    /// Sent by the newcomers, who onboard (see [`Student::newcomer`]).
    fn onboarding(self) -> bool {
        matches!(
            self,
            Kind::NewcomerStart | Kind::CreateGroup | Kind::GroupName
        )
    }

    /// The order in which the students send this kind: by index, but «Выйти из очереди» from
    /// the second place (everyone but the first, then the first).
    fn order(self, students: usize) -> Vec<usize> {
        match self {
            Kind::QueueLeave => (1..students).chain(0..1).collect(),
            _ => (0..students).collect(),
        }
    }

    /// The text of a message and what its reply contains.
    fn message(self) -> (&'static str, &'static str) {
        match self {
            Kind::Month => ("📅 События и Бронь", "Календарь группы"),
            Kind::Profile => ("👤 Профиль", "Профиль"),
            Kind::CreateGroup => ("🚀 Создать группу", "Введите название"),
            Kind::GroupName => ("Группа счёта", "успешно создана"),
            _ => ("/start", "Добро пожаловать"),
        }
    }
}

/// The bot's `/metrics`, and the benchmark's own connection to the bot's database to see
/// whether the outbox holds work.
struct Probe {
    url: String,
    db: DatabaseConnection,
    /// Statements one read of `/metrics` runs itself ([`Probe::own_statements`]).
    read_cost: u64,
}

/// The counters read from one `/metrics`.
#[derive(Clone, Copy)]
struct Reading {
    statements: u64,
    updates: u64,
}

impl Probe {
    async fn read(&self) -> anyhow::Result<Reading> {
        let response = support::http::request("GET", &self.url, &[], b"")
            .await
            .map_err(anyhow::Error::msg)?;
        ensure!(
            response.status == 200,
            "/metrics: status {}",
            response.status
        );
        let text = response.body_text();
        Ok(Reading {
            statements: counter(&text, study_group_bot::http::metrics::DB_STATEMENTS),
            updates: counter(&text, study_group_bot::http::metrics::UPDATES),
        })
    }

    /// Waits until the bot has finished the inbox row of `update_id` (polled through the
    /// benchmark's own connection, which the bot's counter does not see).
    async fn wait_finished(&self, update_id: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + REPLY_TIMEOUT;
        loop {
            let row = inbox::Entity::find_by_id(update_id).one(&self.db).await?;
            if row.is_some_and(|row| row.done_at.is_some()) {
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "update {update_id} not finished within {REPLY_TIMEOUT:?}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Waits until `/metrics` answers.
    async fn wait_ready(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self.read().await {
                Ok(_) => return Ok(()),
                Err(err) if Instant::now() > deadline => return Err(err),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Statements one read runs itself (counted in its own reading): the difference of
    /// consecutive reads at idle, once [`CALIBRATION_READS`] differences in a row agree (a
    /// background statement, such as the outbox sender's first look on start, may land between
    /// two reads).
    async fn own_statements(&self) -> anyhow::Result<u64> {
        let mut deltas = Vec::new();
        let mut last = self.read().await?;
        while deltas.len() < 10 * CALIBRATION_READS {
            let next = self.read().await?;
            deltas.push(next.statements - last.statements);
            last = next;
            if let Some(start) = deltas.len().checked_sub(CALIBRATION_READS)
                && deltas[start..].iter().all(|&d| d == deltas[start])
            {
                return Ok(deltas[start]);
            }
        }
        bail!("idle /metrics reads never agreed on their own statements: {deltas:?}")
    }

    /// Whether the outbox holds nothing to send within the next minute (nothing pending or
    /// being sent; the seeded events' reminders are days away).
    async fn outbox_idle(&self) -> anyhow::Result<bool> {
        let soon = Utc::now() + chrono::Duration::minutes(1);
        let stats = study_group_bot::notifications::outbox::outbox_stats(&self.db, soon).await?;
        Ok(stats.due == 0)
    }

    /// Waits from `from` until the bot is quiet: the outbox idle, then no statement but the
    /// reads' own over [`QUIET`]. Returns the last reading and the statements run meanwhile
    /// besides the reads' own.
    async fn settle(&self, from: Reading) -> anyhow::Result<(Reading, Settled)> {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        let mut last = from;
        let mut ran_total = 0;
        let mut outbox_worked = false;
        loop {
            let idle = self.outbox_idle().await?;
            outbox_worked |= !idle;
            tokio::time::sleep(QUIET).await;
            let next = self.read().await?;
            let ran = (next.statements - last.statements)
                .checked_sub(self.read_cost)
                .context("a /metrics read ran fewer statements than at calibration")?;
            ran_total += ran;
            last = next;
            if idle && ran == 0 {
                let settled = if outbox_worked {
                    Settled {
                        after: ran_total,
                        background: 0,
                    }
                } else {
                    Settled {
                        after: 0,
                        background: ran_total,
                    }
                };
                return Ok((last, settled));
            }
            ensure!(
                Instant::now() < deadline,
                "the bot did not come to rest within {SETTLE_TIMEOUT:?}"
            );
        }
    }

    /// Sets `user`'s activity mark (`users.last_active_at`) to `at`, through the benchmark's
    /// own connection (not counted by the bot).
    async fn set_last_active(&self, user: i64, at: DateTime<Utc>) -> anyhow::Result<()> {
        users::Entity::update_many()
            .col_expr(users::Column::LastActiveAt, Expr::value(at))
            .filter(users::Column::TelegramId.eq(user))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Statements after an update was handled, until the bot was quiet.
struct Settled {
    /// While the outbox held work (the notices the update left to the sender).
    after: u64,
    /// With the outbox idle throughout: the sender's idle look at the outbox.
    background: u64,
}

/// The sum of a counter's samples over its labels in a text exposition; 0 if absent.
fn counter(text: &str, name: &str) -> u64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?;
            let value = match rest.strip_prefix('{') {
                Some(labelled) => labelled.split_once('}')?.1,
                None => rest.strip_prefix(' ')?,
            };
            value.trim().parse::<f64>().ok()
        })
        .sum::<f64>() as u64
}

/// A free port on the loopback for the bot's HTTP server.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// One student: their user and the message with their month screen.
struct Student {
    index: usize,
    user: TgUser,
    /// The user who onboards (a stranger to the bot until then).
    newcomer: TgUser,
    screen: Option<i64>,
}

/// What one update cost.
struct Measured {
    /// Statements from the push until the update's inbox row was finished.
    handling: u64,
    /// Statements after that until the bot was quiet again.
    settled: Settled,
}

/// Pushes one update of `kind` from `student` (the bot being quiet), waits until the bot
/// replied and finished it, then until it is quiet again.
async fn measure(
    tg: &FakeTelegram,
    probe: &Probe,
    seeded: &Seeded,
    student: &mut Student,
    kind: Kind,
    before: Reading,
) -> anyhow::Result<(Measured, Reading)> {
    let now = Utc::now();
    let last_active = match kind {
        Kind::StartStale => now - ACTIVITY_RESOLUTION * 2,
        _ => now,
    };
    let user = if kind.onboarding() {
        &student.newcomer
    } else {
        &student.user
    };
    probe.set_last_active(user.id, last_active).await?;
    let since = tg.next_seq();
    let chat = user.id;
    let (update_id, reply) = match kind.callback(seeded, student.index) {
        Some(data) => {
            let message = student.screen.context("a press needs the month screen")?;
            let update_id = tg.push_callback(user, message, &data);
            let reply = tg
                .wait_for_chat(chat, since, REPLY_TIMEOUT, |r| {
                    r.method.starts_with("edit")
                        && r.params
                            .get("message_id")
                            .and_then(support::fake_api::int_value)
                            == Some(message)
                })
                .await;
            (update_id, reply)
        }
        None => {
            let (text, expected) = kind.message();
            let update_id = tg.push_message(user, text);
            let reply = tg
                .wait_for_chat(chat, since, REPLY_TIMEOUT, |r| {
                    sent_text_contains(r, expected)
                })
                .await;
            (update_id, reply)
        }
    };
    let reply = reply.map_err(anyhow::Error::msg)?;
    ensure!(
        reply.is_ok(),
        "{}: the fake Bot API refused the reply: {}",
        kind.name(),
        reply.summary()
    );
    probe.wait_finished(update_id).await?;
    let handled = probe.read().await?;
    if matches!(kind, Kind::Month) {
        student.screen = reply.result.as_ref().and_then(|m| m["message_id"].as_i64());
    }
    let updates = handled.updates - before.updates;
    ensure!(
        updates == 1,
        "{}: sgb_updates_total moved by {updates} around one update",
        kind.name()
    );
    let handling = (handled.statements - before.statements)
        .checked_sub(probe.read_cost)
        .context("a /metrics read ran fewer statements than at calibration")?;
    let (rest, settled) = probe.settle(handled).await?;
    ensure!(
        rest.updates == handled.updates,
        "{}: an update was counted after the one measured",
        kind.name()
    );
    Ok((Measured { handling, settled }, rest))
}

fn sent_text_contains(r: &Recorded, needle: &str) -> bool {
    r.method == "sendMessage" && r.text().is_some_and(|t| t.contains(needle))
}

/// Statements per update: the median, mean, min, max and how often each count came.
fn summary(counts: &[u64]) -> serde_json::Value {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
    };
    let mean = sorted.iter().sum::<u64>() as f64 / n.max(1) as f64;
    let mut histogram: BTreeMap<u64, usize> = BTreeMap::new();
    for &count in &sorted {
        *histogram.entry(count).or_default() += 1;
    }
    let histogram: serde_json::Map<String, serde_json::Value> = histogram
        .into_iter()
        .map(|(count, times)| (count.to_string(), times.into()))
        .collect();
    serde_json::json!({
        "median": median,
        "mean": mean,
        "min": sorted.first(),
        "max": sorted.last(),
        "histogram": histogram,
    })
}

async fn run(options: Options) -> anyhow::Result<()> {
    let database = BenchDatabase::create(options.sqlite).await?;
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let seeded = seed(&db, options.students).await?;

    let tg = FakeTelegram::start().await;
    let port = free_port()?;
    let http_addr = format!("127.0.0.1:{port}");
    let bot = Bot::spawn_with(&tg, &database.url, &[("HTTP_ADDR", &http_addr)])?;
    tg.wait_for(0, Duration::from_secs(120), |r| r.method == "getUpdates")
        .await
        .map_err(anyhow::Error::msg)?;
    let mut probe = Probe {
        url: format!("http://{http_addr}/metrics"),
        db,
        read_cost: 0,
    };
    probe.wait_ready().await?;
    probe.read_cost = probe.own_statements().await?;

    let mut students: Vec<Student> = (0..options.students)
        .map(|index| Student {
            index,
            user: tg.user(
                STUDENT_IDS + index as i64,
                "Студент",
                Some(&format!("Счётный{index}")),
                None,
                Some("ru"),
            ),
            newcomer: tg.user(
                NEWCOMER_IDS + index as i64,
                "Новичок",
                Some(&format!("Счётный{index}")),
                None,
                Some("ru"),
            ),
            screen: None,
        })
        .collect();

    let started = Instant::now();
    let (mut reading, _) = probe.settle(probe.read().await?).await?;
    let mut kinds = serde_json::Map::new();
    let mut background = 0;
    for kind in KINDS {
        let mut handling = Vec::with_capacity(students.len());
        let mut after = Vec::with_capacity(students.len());
        for index in kind.order(students.len()) {
            let student = &mut students[index];
            let (measured, next) = measure(&tg, &probe, &seeded, student, kind, reading).await?;
            handling.push(measured.handling);
            after.push(measured.settled.after);
            background += measured.settled.background;
            reading = next;
        }
        let mut report = summary(&handling);
        report["updates"] = handling.len().into();
        report["statements_per_update"] = report["median"].clone();
        report["after_handling"] = summary(&after);
        kinds.insert(kind.name().to_owned(), report);
    }
    let measured_seconds = started.elapsed().as_secs_f64();
    let read_cost_after = probe.own_statements().await?;
    ensure!(
        read_cost_after == probe.read_cost,
        "a /metrics read's own statements changed from {} to {read_cost_after}",
        probe.read_cost
    );

    let idle = if options.idle_seconds > 0.0 {
        let before = probe.read().await?;
        tokio::time::sleep(Duration::from_secs_f64(options.idle_seconds)).await;
        let after = probe.read().await?;
        Some(serde_json::json!({
            "seconds": options.idle_seconds,
            "statements": (after.statements - before.statements).saturating_sub(probe.read_cost),
            "updates": after.updates - before.updates,
        }))
    } else {
        None
    };
    bot.stop()?;
    probe.db.close().await?;

    let report = serde_json::json!({
        "benchmark": "statements",
        "backend": database.backend(),
        "students": options.students,
        "metrics_read_own_statements": probe.read_cost,
        "measured_seconds": measured_seconds,
        "background_statements": background,
        "kinds": kinds,
        "idle": idle,
    });
    database.drop_database().await;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
