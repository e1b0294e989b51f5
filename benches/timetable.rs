//! Timetable benchmark: «Неделя» for a group with 40 classes a week, among `--groups` groups
//! (default 5 000) that each have such a timetable, on PostgreSQL.
//!
//! Every group gets a semester around today and 48 class rows (32 every week, 8 on odd and 8 on
//! even weeks: 40 a week, some per subgroup) and two changes; the benchmark group also gets ten
//! changes and twenty events over the coming weeks, and its student a subgroup. Measured over N
//! sequential iterations (default 1000):
//! - `service_week`: `timetable::service::week` as the handler calls it — the viewer (membership,
//!   zone, subgroup), the semester, the group's classes, the week's changes, events and
//!   deadlines, and the plan of the seven days;
//! - `render_week`: the week screen's text from that (`telegram::timetable::render::week_text`).
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench timetable -- [--iterations N] [--groups N]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use study_group_bot::telegram::Locale;
use study_group_bot::telegram::timetable::render;
use study_group_bot::timetable::service;

/// The benchmark group's student.
const STUDENT: i64 = 900_000_001;

#[derive(Clone, Copy)]
struct Options {
    iterations: usize,
    groups: i64,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        iterations: 1000,
        groups: 5_000,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => options.iterations = args.value(&arg)?,
            "--groups" => options.groups = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    anyhow::ensure!(options.groups > 0, "at least one group");
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// Bulk data, set-based on the server: one student per group, each group's semester and 48
/// classes, changes; the first group is the benchmark's.
async fn seed(db: &DatabaseConnection, groups: i64) -> anyhow::Result<()> {
    let statements = [
        format!(
            "INSERT INTO users (telegram_id, first_name, last_name, created_at, last_active_at, is_blocked, has_full_name) \
             SELECT 900000000 + n, 'Студент', 'Нагрузочный ' || n, now(), now(), false, false \
             FROM generate_series(1, {groups}) AS n"
        ),
        format!(
            "INSERT INTO groups (id, name, created_at, creator_id, timezone) \
             SELECT gen_random_uuid(), 'Группа ' || lpad(n::text, 6, '0'), now(), 900000000 + n, \
                    CASE WHEN n % 3 = 0 THEN 'Asia/Vladivostok' ELSE 'Europe/Moscow' END \
             FROM generate_series(1, {groups}) AS n"
        ),
        "INSERT INTO groupmembers (id, user_id, group_id, is_leader, is_assistant, joined_at) \
         SELECT gen_random_uuid(), creator_id, id, true, false, now() FROM groups"
            .to_owned(),
        "INSERT INTO timetables (group_id, first_day, last_day, first_week_odd, bells, updated_at) \
         SELECT id, current_date - 60, current_date + 60, true, NULL, now() FROM groups"
            .to_owned(),
        // 48 rows a group: k = 1..48 over six days and eight pairs; 32 every week, 8 odd, 8 even.
        "INSERT INTO classes (id, group_id, weekday, pair, subject, kind, teacher, room, weeks, dates, subgroup, created_at) \
         SELECT gen_random_uuid(), g.id, (k - 1) % 6 + 1, (k - 1) / 6 + 1, 'Дисциплина ' || k, \
                CASE k % 3 WHEN 0 THEN 'lecture' WHEN 1 THEN 'practice' ELSE 'lab' END, \
                'Преподаватель ' || k, (100 + k)::text, \
                CASE WHEN k <= 32 THEN 'every' WHEN k <= 40 THEN 'odd' ELSE 'even' END, NULL, \
                CASE WHEN k % 8 = 0 THEN 1 WHEN k % 8 = 1 THEN 2 ELSE NULL END, now() \
         FROM groups AS g CROSS JOIN generate_series(1, 48) AS k"
            .to_owned(),
        // Two cancellations a group, on its first class's next two meetings.
        "INSERT INTO classchanges (id, group_id, class_id, on_date, kind, created_at) \
         SELECT gen_random_uuid(), c.group_id, c.id, \
                current_date + ((c.weekday - extract(isodow FROM current_date)::int + 7) % 7) + w * 7, \
                'cancel', now() \
         FROM classes AS c CROSS JOIN generate_series(0, 1) AS w \
         WHERE c.subject = 'Дисциплина 1'"
            .to_owned(),
        // The benchmark group: ten more changes (moves) and twenty events over the next weeks.
        format!(
            "INSERT INTO classchanges (id, group_id, class_id, on_date, kind, new_date, new_pair, new_room, created_at) \
             SELECT gen_random_uuid(), c.group_id, c.id, \
                    current_date + ((c.weekday - extract(isodow FROM current_date)::int + 7) % 7), \
                    'move', current_date + ((c.weekday - extract(isodow FROM current_date)::int + 7) % 7) + 1, 8, '777', now() \
             FROM classes AS c JOIN groups AS g ON g.id = c.group_id \
             WHERE g.creator_id = {STUDENT} AND c.subject IN ('Дисциплина 2', 'Дисциплина 3', 'Дисциплина 4', \
                   'Дисциплина 5', 'Дисциплина 6', 'Дисциплина 7', 'Дисциплина 8', 'Дисциплина 9', \
                   'Дисциплина 10', 'Дисциплина 11')"
        ),
        format!(
            "INSERT INTO events (id, group_id, title, event_date, is_important, created_at) \
             SELECT gen_random_uuid(), g.id, 'Событие ' || k, current_date + k % 14, k % 5 = 0, now() \
             FROM groups AS g CROSS JOIN generate_series(1, 20) AS k WHERE g.creator_id = {STUDENT}"
        ),
        format!(
            "INSERT INTO subgroupmembers (member_id, group_id, user_id, subgroup) \
             SELECT id, group_id, user_id, 1 FROM groupmembers WHERE user_id = {STUDENT}"
        ),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .with_context(|| format!("seeding: {sql}"))?;
    }
    Ok(())
}

async fn count(db: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .context("a count")?;
    Ok(row.try_get("", "n")?)
}

/// The scan PostgreSQL chooses for a group's classes (the shape of the service's query).
async fn classes_plan(db: &DatabaseConnection) -> anyhow::Result<String> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "EXPLAIN SELECT * FROM classes WHERE group_id = \
                 (SELECT id FROM groups WHERE creator_id = {STUDENT}) ORDER BY weekday, pair, created_at"
            ),
        ))
        .await?;
    let lines: Result<Vec<String>, _> = rows.iter().map(|row| row.try_get_by_index(0)).collect();
    let scans: Vec<String> = lines?
        .iter()
        .filter(|line| line.contains("Scan"))
        .map(|line| line.trim().trim_start_matches("->").trim().to_owned())
        .collect();
    Ok(scans.join(" / "))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let database = common::BenchDatabase::create(false).await?;
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let started = Instant::now();
    seed(&db, options.groups).await?;
    let seed_seconds = started.elapsed().as_secs_f64();
    let plan = classes_plan(&db).await?;

    let mut service_week = Vec::with_capacity(options.iterations);
    let mut render_week = Vec::with_capacity(options.iterations);
    let (mut held, mut text_chars) = (0, 0);
    for _ in 0..options.iterations {
        let started = Instant::now();
        let week = service::week(&db, STUDENT, Utc::now().date_naive()).await?;
        service_week.push(started.elapsed());
        let started = Instant::now();
        let text = render::week_text(Locale::Ru, &week);
        render_week.push(started.elapsed());
        held = week.days.iter().map(|d| d.plan.held.len()).sum::<usize>();
        text_chars = text.chars().count();
    }
    anyhow::ensure!(held > 0, "the week holds classes");

    let report = serde_json::json!({
        "backend": "postgres",
        "groups": count(&db, "groups").await?,
        "classes": count(&db, "classes").await?,
        "classchanges": count(&db, "classchanges").await?,
        "seed_seconds": seed_seconds,
        "classes_scan": plan,
        "week_classes_shown": held,
        "week_text_chars": text_chars,
        "service_week_ms": common::summary(service_week),
        "render_week_ms": common::summary(render_week),
    });
    println!("{report}");
    db.close().await?;
    database.drop_database().await;
    Ok(())
}
