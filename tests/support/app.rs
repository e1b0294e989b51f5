//! Starting the whole bot in-process against the fake Bot API, on SQLite or PostgreSQL.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use study_group_bot::members::Role;
use study_group_bot::{App, Config};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::fake_api::FakeTelegram;
use super::student::Student;

/// Which database a test runs on. Every end-to-end test runs on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on (see
/// `storage::testing::postgres_server`: `TEST_DATABASE_URL`, the local server, or a
/// throw-away cluster). Call [`postgres_available`] first where its absence should skip.
pub fn postgres_server_url() -> String {
    study_group_bot::storage::testing::postgres_server()
        .unwrap_or_else(|| panic!("PostgreSQL is not installed and TEST_DATABASE_URL is not set"))
        .to_owned()
}

/// Whether PostgreSQL tests can run here. `false` only outside CI with PostgreSQL not
/// installed (said once on stderr): a PostgreSQL test then returns at once.
pub fn postgres_available() -> bool {
    study_group_bot::storage::testing::postgres_server().is_some()
}

/// A database of its own for one test; a PostgreSQL one is dropped with it (a SQLite one goes
/// with its temporary directory).
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self._dir.is_some() {
            return;
        }
        // Drop runs outside async code: a thread of its own, with a runtime of its own, drops
        // the database (closing any connection the test left open to it).
        let url = self.url.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| err.to_string())?;
            runtime
                .block_on(study_group_bot::storage::testing::drop_postgres_database(
                    &postgres_server_url(),
                    &url,
                ))
                .map_err(|err| err.to_string())
        })
        .join();
        if let Ok(Err(err)) = dropped {
            eprintln!("could not drop the test database: {err}");
        }
    }
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let path = dir.path().join("bot.db");
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let server = postgres_server_url();
                let url = study_group_bot::storage::testing::fresh_postgres_database(&server)
                    .await
                    .unwrap_or_else(|err| {
                        panic!(
                            "PostgreSQL tests need a server at {server} (set TEST_DATABASE_URL, or run .ci/run, which starts one): {err}"
                        )
                    });
                Self { url, _dir: None }
            }
        }
    }
}

/// The bot running in this process, talking to a fake Telegram.
pub struct TestApp {
    pub tg: FakeTelegram,
    pub database: TestDatabase,
    /// A separate connection to the bot's database, for assertions.
    pub db: DatabaseConnection,
    running: Option<(oneshot::Sender<()>, JoinHandle<anyhow::Result<()>>)>,
    /// Where the running bot's HTTP server listens.
    pub http_addr: Option<std::net::SocketAddr>,
    /// Changes to the test configuration (webhook mode, PUBLIC_URL, …).
    tweak: fn(&mut Config),
    /// The notifications' clock: starts at the real time and moves only when a test moves it.
    pub clock: study_group_bot::notifications::ManualClock,
    /// The running bot's notifier (wake the sender after moving the clock).
    notifier: Option<study_group_bot::notifications::Notifier>,
    /// This instance's name among several on one database and fake Telegram (its requests
    /// are recorded with it, see `FakeTelegram::api_url_for`).
    instance: Option<&'static str>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`spawn`](Self::spawn), with `tweak` applied to the configuration of every start.
    pub async fn spawn_with(backend: Backend, tweak: fn(&mut Config)) -> Self {
        let tg = FakeTelegram::start().await;
        let database = TestDatabase::create(backend).await;
        let mut app = Self {
            db: study_group_bot::app::connect_and_migrate(&database.url)
                .await
                .expect("test database"),
            tg,
            database,
            running: None,
            http_addr: None,
            tweak,
            clock: study_group_bot::notifications::ManualClock::new(chrono::Utc::now()),
            notifier: None,
            instance: None,
        };
        app.start().await;
        app
    }

    /// Another instance of the bot on the same database and fake Telegram (PostgreSQL), named
    /// `instance` in the fake's records, with `tweak` applied to its configuration.
    pub async fn beside(&self, instance: &'static str, tweak: fn(&mut Config)) -> TestApp {
        let database = TestDatabase {
            url: self.database.url.clone(),
            _dir: None,
        };
        let mut app = Self {
            db: study_group_bot::app::connect_and_migrate(&database.url)
                .await
                .expect("test database"),
            tg: self.tg.clone(),
            database,
            running: None,
            http_addr: None,
            tweak,
            // One clock for all instances, as they would share the real one.
            clock: self.clock.clone(),
            notifier: None,
            instance: Some(instance),
        };
        app.start().await;
        app
    }

    /// From the next start on: this configuration tweak, and the name `instance` in the fake's
    /// records.
    pub fn reconfigure(&mut self, instance: &'static str, tweak: fn(&mut Config)) {
        self.instance = Some(instance);
        self.tweak = tweak;
    }

    /// Whether the running bot holds the sender role (sends notices, edits live messages).
    pub fn is_sender(&self) -> bool {
        self.notifier
            .as_ref()
            .is_some_and(study_group_bot::notifications::Notifier::is_sender)
    }

    /// Waits until the running bot holds the sender role, or panics after `timeout`.
    pub async fn wait_sender(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.is_sender() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no sender role within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Kills the running bot: its task is dropped mid-flight, as a SIGKILL would end it (its
    /// database connections close, and with them its roles).
    pub fn kill(&mut self) {
        let (_stop, handle) = self.running.take().expect("the bot is running");
        handle.abort();
        self.notifier = None;
    }

    pub fn config(&self) -> Config {
        let api = match self.instance {
            Some(instance) => self.tg.api_url_for(instance),
            None => self.tg.api_url(),
        };
        let api = api.parse().expect("fake API URL");
        let mut config = Config::for_tests(self.tg.token(), api, &self.database.url);
        config.poll_timeout_secs = 5;
        (self.tweak)(&mut config);
        config
    }

    /// Starts the bot (again) on the same database and fake Telegram.
    pub async fn start(&mut self) {
        assert!(self.running.is_none(), "the bot is already running");
        let app = App::build(self.config()).await.expect("the bot starts");
        self.http_addr = Some(app.http_addr());
        app.notifier()
            .set_clock(std::sync::Arc::new(self.clock.clone()));
        self.notifier = Some(app.notifier().clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        self.running = Some((stop, handle));
    }

    /// Stops the bot gracefully and waits until it has.
    pub async fn stop(&mut self) {
        let (stop, handle) = self.running.take().expect("the bot is running");
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(30), handle)
            .await
            .expect("the bot stops within 30 s")
            .expect("the bot task does not panic")
            .expect("the bot stops cleanly");
    }

    /// Moves the notifications' clock forward and wakes the sender.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.clock.advance(by);
        self.wake_sender();
    }

    /// Sets the notifications' clock and wakes the sender.
    pub fn set_clock(&self, to: chrono::DateTime<chrono::Utc>) {
        self.clock.set(to);
        self.wake_sender();
    }

    pub fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use study_group_bot::notifications::Clock;
        self.clock.now()
    }

    pub fn wake_sender(&self) {
        if let Some(notifier) = &self.notifier {
            notifier.wake();
        }
    }

    /// `GET path` on the running bot's HTTP server: (status, body).
    pub async fn http_get(&self, path: &str) -> (u16, String) {
        let addr = self.http_addr.expect("the bot has been started");
        let response = super::http::request("GET", &format!("http://{addr}{path}"), &[], b"")
            .await
            .unwrap_or_else(|err| panic!("GET {path}: {err}"));
        (response.status, response.body_text())
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// `leader` creates a group through the bot, as a student would; returns its id.
    pub async fn create_group(&self, leader: &Student, name: &str) -> uuid::Uuid {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use study_group_bot::storage::entities::groupmembers;
        leader.press("🚀 Создать группу").await;
        leader
            .send(name)
            .await
            .expect_text_contains("успешно создана");
        groupmembers::Entity::find()
            .filter(groupmembers::Column::UserId.eq(leader.id()))
            .one(&self.db)
            .await
            .expect("query membership")
            .expect("the leader is in the group")
            .group_id
    }

    /// Puts `student` straight into a group with a role, bypassing invitations (for tests of
    /// other features). The student is registered first with `/start`.
    pub async fn add_member(&self, group: uuid::Uuid, student: &Student, role: Role) {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        use study_group_bot::storage::entities::groupmembers;
        student.send("/start").await;
        groupmembers::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            user_id: Set(student.id()),
            group_id: Set(group),
            is_leader: Set(role == Role::Leader),
            is_assistant: Set(role == Role::Assistant),
            joined_at: Set(chrono::Utc::now()),
        }
        .insert(&self.db)
        .await
        .expect("membership inserted");
    }

    /// A new Telegram user; `name` is "Фамилия Имя" or one word.
    /// Waits until the bot has handled update `update_id` (its inbox row is finished).
    pub async fn wait_handled(&self, update_id: i64) {
        super::handled::wait_handled(&self.db, update_id, super::student::HANDLING_TIMEOUT)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
    }

    pub fn student(&self, name: &str) -> Student {
        Student::new(&self.tg, &self.db, name)
    }
}

/// Runs an async test body once per backend, each in its own test function:
/// `both_backends!(name, |backend| async move { … })` expands to `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::support::app::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if !$crate::support::app::postgres_available() {
                    return;
                }
                ($body)($crate::support::app::Backend::Postgres).await
            }
        }
    };
}

/// The path of the webhook in tests.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";
/// One secret token for every instance of a test.
pub const SHARED_SECRET: &str = "shared-secret_for-all-instances";

/// Webhook mode at `https://bot.example.org` + [`WEBHOOK_PATH`], with a secret of its own.
pub fn webhook_mode(config: &mut Config) {
    config.mode = study_group_bot::config::Mode::Webhook;
    config.webhook_url = Some(
        format!("https://bot.example.org{WEBHOOK_PATH}")
            .parse()
            .expect("URL"),
    );
}

/// [`webhook_mode`] with [`SHARED_SECRET`], as several instances behind one balancer have.
pub fn webhook_mode_shared_secret(config: &mut Config) {
    webhook_mode(config);
    config.webhook_secret = Some(SHARED_SECRET.to_owned());
}
