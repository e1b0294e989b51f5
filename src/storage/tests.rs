//! Storage tests. Each runs on a fresh SQLite file and on a fresh PostgreSQL database on the
//! tests' server (`testing::postgres_server`), where there is one.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use sea_orm_migration::SchemaManager;
use serde_json::json;
use std::time::Instant;

use tempfile::TempDir;
use uuid::Uuid;

use super::entities::{changelog, deadlines, events, groupmembers, groups, users};
use super::*;

struct TestDb {
    db: DatabaseConnection,
    /// Keeps the SQLite file alive.
    _dir: Option<TempDir>,
    /// `(server_url, database_url)` of a PostgreSQL test database, dropped at the end.
    postgres: Option<(String, String)>,
}

impl TestDb {
    fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    async fn finish(self) {
        self.db.close().await.unwrap();
        if let Some((server, url)) = self.postgres {
            testing::drop_postgres_database(&server, &url)
                .await
                .unwrap();
        }
    }
}

/// Fresh, migrated databases: SQLite, and PostgreSQL on the tests' server where there is one.
async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let mut dbs = vec![TestDb {
        db: connect(&sqlite_url).await.unwrap(),
        _dir: Some(dir),
        postgres: None,
    }];
    if let Some(server) = testing::postgres_server() {
        let server = server.to_owned();
        let url = testing::fresh_postgres_database(&server)
            .await
            .unwrap_or_else(|err| panic!("PostgreSQL at {server}: {err}"));
        dbs.push(TestDb {
            db: connect(&url).await.unwrap(),
            _dir: None,
            postgres: Some((server, url)),
        });
    }
    for t in &dbs {
        migrate(&t.db).await.unwrap();
    }
    dbs
}

fn user(telegram_id: i64) -> users::ActiveModel {
    users::ActiveModel {
        telegram_id: Set(telegram_id),
        first_name: Set(format!("User {telegram_id}")),
        ..Default::default()
    }
}

fn group(creator_id: Option<i64>) -> groups::ActiveModel {
    groups::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set("ИВТ-21".to_owned()),
        creator_id: Set(creator_id),
        ..Default::default()
    }
}

fn member(user_id: i64, group_id: Uuid) -> groupmembers::ActiveModel {
    groupmembers::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        group_id: Set(group_id),
        ..Default::default()
    }
}

#[tokio::test]
async fn migrations_apply_roll_back_and_reapply() {
    for t in databases().await {
        let db = &t.db;
        let manager = SchemaManager::new(db);
        assert!(manager.has_table("inbox").await.unwrap());
        assert!(!manager.has_table("processedupdates").await.unwrap());
        assert!(
            Migrator::get_pending_migrations(db)
                .await
                .unwrap()
                .is_empty()
        );
        migrate(db).await.unwrap(); // nothing pending: a no-op

        Migrator::down(db, None).await.unwrap();
        for table in ["users", "groups", "changelog", "inbox"] {
            assert!(!manager.has_table(table).await.unwrap(), "{table} survived");
        }

        migrate(db).await.unwrap();
        assert!(manager.has_table("users").await.unwrap());
        user(1).insert(db).await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn deleting_a_group_cascades_and_deleting_a_user_sets_null() {
    for t in databases().await {
        let db = &t.db;
        user(1).insert(db).await.unwrap();
        user(2).insert(db).await.unwrap();
        let g = group(Some(1)).insert(db).await.unwrap();
        member(1, g.id).insert(db).await.unwrap();
        member(2, g.id).insert(db).await.unwrap();

        users::Entity::delete_by_id(1).exec(db).await.unwrap();
        let g = groups::Entity::find_by_id(g.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(g.creator_id, None, "{:?}", t.backend());
        assert_eq!(groupmembers::Entity::find().count(db).await.unwrap(), 1);

        groups::Entity::delete_by_id(g.id).exec(db).await.unwrap();
        assert_eq!(groupmembers::Entity::find().count(db).await.unwrap(), 0);
        assert_eq!(users::Entity::find().count(db).await.unwrap(), 1);
        t.finish().await;
    }
}

#[tokio::test]
async fn unique_violations_are_recognised_by_constraint_name() {
    for t in databases().await {
        let db = &t.db;
        let backend = t.backend();
        user(1).insert(db).await.unwrap();
        let first = group(None).insert(db).await.unwrap();
        let second = group(None).insert(db).await.unwrap();
        member(1, first.id).insert(db).await.unwrap();

        let err = member(1, second.id).insert(db).await.unwrap_err();
        assert!(is_unique_violation(&err), "{backend:?}: {err}");
        assert_eq!(
            unique_violation_constraint(&err).as_deref(),
            Some(constraints::UQ_GROUPMEMBERS_USER),
            "{backend:?}: {err}"
        );

        let err = user(1).insert(db).await.unwrap_err();
        assert_eq!(
            unique_violation_constraint(&err).as_deref(),
            Some(constraints::PK_USERS),
            "{backend:?}: {err}"
        );

        // A foreign key violation is not a unique violation.
        let err = member(2, first.id).insert(db).await.unwrap_err();
        assert!(!is_unique_violation(&err), "{backend:?}: {err}");
        assert!(is_foreign_key_violation(&err), "{backend:?}: {err}");
        assert!(!is_foreign_key_violation(&DbErr::Custom("x".into())));
        assert_eq!(unique_violation_constraint(&err), None);
        t.finish().await;
    }
}

#[tokio::test]
async fn values_round_trip() {
    for t in databases().await {
        let db = &t.db;
        let backend = t.backend();
        let before = Utc::now() - Duration::seconds(5);

        let settings = json!({"reminders": [1, 24], "quiet": {"from": "23:00"}, "hi": "Привет"});
        let mut u = user(42);
        u.notification_settings = Set(Some(settings.clone()));
        u.language = Set(Some("ru".to_owned()));
        let u = u.insert(db).await.unwrap();
        let stored = users::Entity::find_by_id(42)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored, u);
        assert_eq!(stored.notification_settings, Some(settings));
        assert!(!stored.is_blocked);
        // The database's default timestamp decodes and compares against bound values.
        assert!(stored.created_at > before && stored.created_at < Utc::now());
        let recent = users::Entity::find()
            .filter(users::Column::CreatedAt.gt(before))
            .count(db)
            .await
            .unwrap();
        assert_eq!(recent, 1, "{backend:?}");

        let g = group(Some(42)).insert(db).await.unwrap();
        assert_eq!(g.timezone, "Europe/Moscow");
        let day = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        let event = events::ActiveModel {
            id: Set(Uuid::new_v4()),
            group_id: Set(g.id),
            created_by_user_id: Set(Some(42)),
            title: Set("Лабораторная №3".to_owned()),
            event_date: Set(day),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let due: DateTime<Utc> = Utc.with_ymd_and_hms(2028, 2, 29, 20, 59, 59).unwrap()
            + Duration::microseconds(123_456);
        let deadline = deadlines::ActiveModel {
            id: Set(Uuid::new_v4()),
            event_id: Set(event.id),
            description: Set("Отчёт".to_owned()),
            deadline_at: Set(due),
        }
        .insert(db)
        .await
        .unwrap();

        let stored = events::Entity::find_by_id(event.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.id, event.id);
        assert_eq!(stored.group_id, g.id);
        assert_eq!(stored.event_date, day);
        let on_day = events::Entity::find()
            .filter(events::Column::EventDate.between(day, day))
            .count(db)
            .await
            .unwrap();
        assert_eq!(on_day, 1, "{backend:?}");

        let stored = deadlines::Entity::find_by_id(deadline.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.deadline_at, due, "{backend:?}");
        t.finish().await;
    }
}

#[tokio::test]
async fn changelog_ids_are_generated() {
    for t in databases().await {
        let db = &t.db;
        let entry = |action: &str| changelog::ActiveModel {
            action_type: Set(action.to_owned()),
            entity_type: Set("group".to_owned()),
            details: Set(Some(json!({"name": "ИВТ-21"}))),
            ..Default::default()
        };
        let first = entry("create").insert(db).await.unwrap();
        let second = entry("rename").insert(db).await.unwrap();
        assert!(second.id > first.id, "{:?}", t.backend());
        assert_eq!(first.user_id, None);
        t.finish().await;
    }
}

#[tokio::test]
async fn begin_write_serialises_writers_on_sqlite() {
    for t in databases().await {
        let db = t.db.clone();
        let first = begin_write(&db).await.unwrap();
        user(1).insert(&first).await.unwrap();

        let second = tokio::spawn({
            let db = db.clone();
            async move {
                let tx = begin_write(&db).await?;
                user(2).insert(&tx).await?;
                tx.commit().await
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if t.backend() == DbBackend::Sqlite {
            assert!(!second.is_finished(), "BEGIN IMMEDIATE did not wait");
        }
        first.commit().await.unwrap();
        second.await.unwrap().unwrap();
        assert_eq!(users::Entity::find().count(&db).await.unwrap(), 2);
        t.finish().await;
    }
}

/// What `sgb_db_statements_total` counts (`http::metrics::db_statement`): sea-orm reports each
/// statement it runs, in a transaction or not, but not the `BEGIN`, `COMMIT` and `ROLLBACK`
/// that sqlx sends itself.
#[tokio::test]
async fn the_metric_callback_sees_statements_but_not_begin_commit_or_rollback() {
    for t in databases().await {
        let mut db = t.db.clone();
        let seen = std::sync::Arc::new(Mutex::new(Vec::new()));
        db.set_metric_callback({
            let seen = std::sync::Arc::clone(&seen);
            move |info| seen.lock().unwrap().push(info.statement.sql.clone())
        });
        let tx = begin_write(&db).await.unwrap();
        users::Entity::find().count(&tx).await.unwrap();
        user(1).insert(&tx).await.unwrap();
        tx.commit().await.unwrap();
        let tx = db.begin().await.unwrap();
        users::Entity::find().count(&tx).await.unwrap();
        tx.rollback().await.unwrap();
        users::Entity::find().count(&db).await.unwrap();

        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 4, "{:?}: {seen:#?}", t.backend());
        assert!(
            seen.iter().all(|sql| {
                let sql = sql.to_ascii_uppercase();
                !["BEGIN", "COMMIT", "ROLLBACK"]
                    .iter()
                    .any(|w| sql.starts_with(w))
            }),
            "{seen:#?}"
        );
        drop(db);
        t.finish().await;
    }
}

#[tokio::test]
async fn in_memory_sqlite_works() {
    let db = connect("sqlite::memory:").await.unwrap();
    migrate(&db).await.unwrap();
    user(7).insert(&db).await.unwrap();
    let tx = begin_write(&db).await.unwrap();
    user(8).insert(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(users::Entity::find().count(&db).await.unwrap(), 2);
}

#[test]
fn sqlite_column_lists_map_to_constraint_names() {
    assert_eq!(
        sqlite_constraint_name("queueparticipants.queue_id, queueparticipants.position"),
        Some(constraints::UQ_QUEUEPARTICIPANTS_QUEUE_POSITION)
    );
    assert_eq!(
        sqlite_constraint_name("groupmembers.user_id"),
        Some(constraints::UQ_GROUPMEMBERS_USER)
    );
    assert_eq!(sqlite_constraint_name("groupmembers.group_id"), None);
    assert!(is_in_memory(":memory:"));
    assert!(is_in_memory("//:memory:"));
    assert!(is_in_memory("file:x?mode=memory&cache=shared"));
    assert!(!is_in_memory("///tmp/bot.db"));
    assert_eq!(sqlite_location("postgres://h/db"), None);
}

#[test]
fn pooled_connections_are_pinged_only_when_they_may_have_died() {
    let now = Instant::now() + std::time::Duration::from_secs(3600);
    let secs = std::time::Duration::from_secs;
    assert!(
        !must_ping(secs(1), now, None),
        "busy pool, no failure: no ping"
    );
    assert!(must_ping(secs(11), now, None), "idle long: ping");
    let failure = now - secs(5);
    assert!(
        must_ping(secs(6), now, Some(failure)),
        "idle since before the failure: ping"
    );
    assert!(
        !must_ping(secs(4), now, Some(failure)),
        "returned after the failure: it worked then"
    );
}

#[test]
fn tls_is_skipped_only_for_a_server_on_this_host_without_an_explicit_mode() {
    use sea_orm::sqlx::postgres::PgConnectOptions;
    let local = |url: &str| is_local(&url.parse::<PgConnectOptions>().unwrap());
    assert!(local("postgres://postgres@127.0.0.1:5432/db"));
    assert!(local("postgres://postgres@localhost/db"));
    assert!(local("postgres://postgres@[::1]:5432/db"));
    assert!(local("postgres:///db?host=/var/run/postgresql"));
    assert!(!local("postgres://postgres@db.example.org/db"));
    assert!(!local("postgres://postgres@10.0.0.5/db"));
    assert!(has_param("postgres://h/db?sslmode=require", "sslmode"));
    assert!(has_param(
        "postgres://h/db?a=1&SSLMODE=verify-full",
        "sslmode"
    ));
    assert!(!has_param(
        "postgres://h/db?application_name=sslmode",
        "sslmode"
    ));
    assert!(!has_param("postgres://h/db", "sslmode"));
}

#[tokio::test]
async fn default_queue_titles_become_unnamed() {
    use super::entities::queues;
    for t in databases().await {
        let db = &t.db;
        // Back to before the migration, with queues as the old form stored them.
        let since = Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == "m20261206_000021_unnamed_queues")
            .unwrap();
        Migrator::down(db, Some(since as u32 + 1)).await.unwrap();
        let group = group(None).insert(db).await.unwrap();
        let event = events::ActiveModel {
            id: Set(Uuid::new_v4()),
            group_id: Set(group.id),
            title: Set("Лаба".to_owned()),
            event_date: Set(NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()),
            is_important: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let mut ids = Vec::new();
        for title in ["Очередь", "Queue", "Защита лаб"] {
            let queue = queues::ActiveModel {
                id: Set(Uuid::new_v4()),
                event_id: Set(event.id),
                title: Set(title.to_owned()),
                created_at: Set(Utc::now()),
                is_closed: Set(false),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
            ids.push(queue.id);
        }
        migrate(db).await.unwrap();
        let mut titles = Vec::new();
        for id in ids {
            let queue = queues::Entity::find_by_id(id).one(db).await.unwrap();
            titles.push(queue.map(|q| q.title).unwrap_or_default());
        }
        assert_eq!(titles, ["", "", "Защита лаб"]);
        t.finish().await;
    }
}
