//! The `study-group-bot` binary: configuration errors, `migrate`, and the real process serving
//! the onboarding flow over HTTP until SIGTERM.

mod support;

use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use support::fake_api::{Failure, FakeTelegram};
use support::student::Student;

/// The bot's database in `dir`.
fn database_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("bot.db").display())
}

/// A connection to the database of the bot running in `dir` (for waiting on its inbox).
async fn bot_database(dir: &std::path::Path) -> sea_orm::DatabaseConnection {
    study_group_bot::storage::connect(&database_url(dir))
        .await
        .expect("the bot's database")
}

fn bot_command(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_study-group-bot"));
    command
        .current_dir(dir) // no stray .env
        .env_remove("BOT_TOKEN")
        .env_remove("DATABASE_URL")
        .env_remove("TELEGRAM_API_URL")
        .env_remove("WEBHOOK_SECRET")
        // Any free port: a fixed one could be taken on the machine running the tests.
        .env("HTTP_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", database_url(dir))
        .stdin(Stdio::null());
    command
}

/// SIGTERM, then the exit, which must be clean.
async fn stop_gracefully(mut child: Child) {
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful exit, got {status}");
}

/// Runs the bot until it exits by itself (a start-up error), off the async runtime's threads.
async fn run_to_end(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap()
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_missing_token_is_one_clear_line_and_exit_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = bot_command(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("BOT_TOKEN is not set"), "{lines:?}");
    assert!(!dir.path().join("bot.db").exists(), "nothing was started");
}

#[test]
fn a_malformed_token_is_refused_without_printing_it() {
    let dir = tempfile::tempdir().unwrap();
    for token in ["not-a-token", "123:has spaces", "abc:def"] {
        let output = bot_command(dir.path())
            .env("BOT_TOKEN", token)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{token}");
        let lines = stderr_lines(&output);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("BOT_TOKEN is malformed"), "{lines:?}");
        assert!(!lines[0].contains(token), "the token is not echoed");
    }
}

#[test]
fn help_documents_every_setting_and_hides_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let output = bot_command(dir.path())
        .env("BOT_TOKEN", "42:very-secret")
        .env("WEBHOOK_SECRET", "also-very-hidden")
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for setting in [
        "BOT_TOKEN",
        "DATABASE_URL",
        "TELEGRAM_API_URL",
        "MODE",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "HTTP_ADDR",
        "PUBLIC_URL",
        "DEFAULT_TIMEZONE",
        "LOG_FORMAT",
        "migrate",
    ] {
        assert!(help.contains(setting), "--help lacks {setting}:\n{help}");
    }
    assert!(!help.contains("very-secret"));
    assert!(!help.contains("also-very-hidden"));
}

#[test]
fn migrate_creates_the_schema_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let output = bot_command(dir.path()).arg("migrate").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bot.db").display());
        let db = study_group_bot::storage::connect(&url).await.unwrap();
        let groups = study_group_bot::storage::entities::groups::Entity::find()
            .count(&db)
            .await;
        assert_eq!(groups.unwrap(), 0, "the groups table exists");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_onboarding_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start_with_token("123:abc").await;
    let child = bot_command(dir.path())
        .env("BOT_TOKEN", "123:abc")
        .env("TELEGRAM_API_URL", tg.api_url())
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();

    let leader = Student::new(&tg, &bot_database(dir.path()).await, "Петрова Анна");
    leader
        .send("/start")
        .await
        .expect_all_accepted()
        .expect_text_contains("Добро пожаловать");
    leader
        .press("🚀 Создать группу")
        .await
        .expect_text_contains("Введите название");
    leader
        .send("ИВТ-21")
        .await
        .expect_all_accepted()
        .expect_text_contains("🎉 Группа «ИВТ-21» успешно создана!");

    stop_gracefully(child).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_api_unreachable_at_start_is_retried_until_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start_with_token("123:abc").await;
    // More failures in a row than one request's own retries absorb.
    tg.fail_next("getMe", 5, Failure::DropConnection);
    let mut child = bot_command(dir.path())
        .env("BOT_TOKEN", "123:abc")
        .env("TELEGRAM_API_URL", tg.api_url())
        .env("RUST_LOG", "off")
        .spawn()
        .unwrap();

    Student::new(&tg, &bot_database(dir.path()).await, "Петрова Анна")
        .send("/start")
        .await
        .expect_all_accepted()
        .expect_text_contains("Добро пожаловать");
    assert!(child.try_wait().unwrap().is_none(), "still running");

    stop_gracefully(child).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_the_bot_api_is_still_unreachable_stops_it_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start_with_token("123:abc").await;
    tg.fail_next("getMe", 10_000, Failure::DropConnection);
    let child = bot_command(dir.path())
        .env("BOT_TOKEN", "123:abc")
        .env("TELEGRAM_API_URL", tg.api_url())
        .env("RUST_LOG", "off")
        .spawn()
        .unwrap();
    // Two attempts seen: the bot is in its start-up retries.
    for _ in 0..2 {
        let since = tg.next_seq();
        tg.wait_for(since, Duration::from_secs(60), |r| r.method == "getMe")
            .await
            .expect("the bot keeps asking for getMe");
    }

    stop_gracefully(child).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_bot_api_refuses_is_one_clear_line_and_exit_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start_with_token("123:abc").await;
    let mut command = bot_command(dir.path());
    command
        .env("BOT_TOKEN", "123:revoked")
        .env("TELEGRAM_API_URL", tg.api_url())
        .env("RUST_LOG", "off");
    let output = run_to_end(command).await;
    assert_eq!(output.status.code(), Some(2));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("refused BOT_TOKEN"), "{lines:?}");
    assert!(!lines[0].contains("revoked"), "the token is not echoed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_http_port_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start_with_token("123:abc").await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mut command = bot_command(dir.path());
    command
        .env("BOT_TOKEN", "123:abc")
        .env("TELEGRAM_API_URL", tg.api_url())
        .env("HTTP_ADDR", &addr)
        .env("RUST_LOG", "off");
    let output = run_to_end(command).await;
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&format!("HTTP_ADDR {addr} is in use")),
        "{lines:?}"
    );
    drop(taken);
}

#[test]
fn settings_are_read_from_a_dot_env_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "BOT_TOKEN=from-dotenv-but-malformed\n",
    )
    .unwrap();
    let output = bot_command(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let lines = stderr_lines(&output);
    assert!(
        lines[0].contains("BOT_TOKEN is malformed"),
        "the .env value was read: {lines:?}"
    );
}
