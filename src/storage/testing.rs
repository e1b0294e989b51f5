//! Throw-away PostgreSQL databases for tests (unit tests here, integration tests elsewhere),
//! and the server they are made on ([`postgres_server`]).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use uuid::Uuid;

/// The server tests use when `TEST_DATABASE_URL` is not set.
const LOCAL_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The PostgreSQL server tests create their databases on, decided once per test process:
///
/// 1. `TEST_DATABASE_URL`, if set (CI sets it; it must then be reachable);
/// 2. else the local server at 127.0.0.1:5432, if something listens there;
/// 3. else, with PostgreSQL installed but not running, a throw-away cluster of this process's
///    own (`initdb` into a temporary directory, a free port, no fsync), removed when the
///    process exits;
/// 4. else `None`: PostgreSQL is not installed. The caller skips its PostgreSQL variant, and
///    one line on stderr says what to install — except in CI (`CI` set), where PostgreSQL
///    tests must run, so this panics.
pub fn postgres_server() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER.get_or_init(decide_server).as_deref()
}

fn decide_server() -> Option<String> {
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        return Some(url);
    }
    let local = SocketAddr::from(([127, 0, 0, 1], 5432));
    if TcpStream::connect_timeout(&local, Duration::from_secs(1)).is_ok() {
        return Some(LOCAL_SERVER.to_owned());
    }
    let Some(bin) = postgres_binaries() else {
        let line = "PostgreSQL tests skipped: no server at 127.0.0.1:5432 and PostgreSQL is not \
                    installed (Debian: apt install postgresql; or set TEST_DATABASE_URL)";
        if std::env::var_os("CI").is_some() {
            panic!("{line}; in CI they must run");
        }
        eprintln!("{line}");
        return None;
    };
    match ThrowAwayCluster::start(&bin) {
        Ok(url) => Some(url),
        Err(err) => panic!(
            "PostgreSQL is installed ({}) but not running, and a throw-away cluster could not \
             be started: {err}",
            bin.display()
        ),
    }
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`: on `PATH`, else Debian's
/// `/usr/lib/postgresql/<version>/bin` (the newest).
fn postgres_binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|dir| dir.join("initdb").is_file()));
    on_path.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse().ok()?;
                let bin = entry.path().join("bin");
                bin.join("initdb").is_file().then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

/// A cluster in a temporary directory, serving on a free loopback port until the process that
/// started it exits: a watcher process then stops it and removes the directory.
struct ThrowAwayCluster;

impl ThrowAwayCluster {
    fn start(bin: &Path) -> Result<String, String> {
        let dir =
            std::env::temp_dir().join(format!("sgb-test-postgres-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let data = dir.join("data");
        // initdb refuses to run as root: then the cluster belongs to the `postgres` user.
        let as_root = run_output(Command::new("id").arg("-u"))?.trim() == "0";
        if as_root {
            run(Command::new("chown").arg("postgres:").arg(&dir))?;
        }
        let command = |program: &str| {
            let path = bin.join(program);
            let mut command = if as_root {
                let mut runuser = Command::new("runuser");
                runuser.args(["-u", "postgres", "--"]).arg(path);
                runuser
            } else {
                Command::new(path)
            };
            command.stdin(Stdio::null());
            command
        };
        run(command("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C",
            ])
            .arg("--no-sync")
            .arg("-D")
            .arg(&data))?;
        let port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|err| format!("a free port: {err}"))?
            .port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.display()
        );
        run(command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-o", &options, "-w", "start"]))?;
        // The watcher outlives this process by design: when it is gone, it stops the server
        // and removes the directory.
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {pg_ctl} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            pg_ctl = if as_root {
                format!("runuser -u postgres -- '{}'", bin.join("pg_ctl").display())
            } else {
                format!("'{}'", bin.join("pg_ctl").display())
            },
            data = data.display(),
            dir = dir.display(),
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("the watcher: {err}"))?;
        eprintln!(
            "PostgreSQL was not running: tests use a throw-away cluster at 127.0.0.1:{port} \
             ({})",
            dir.display()
        );
        Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
    }
}

/// Runs `command`; its output is returned in the error if it fails.
fn run(command: &mut Command) -> Result<(), String> {
    run_output(command).map(drop)
}

fn run_output(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|err| format!("{command:?}: {err}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{command:?}: {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Creates an empty database with a unique name (`sgb_test_<32 hex digits>`) on the
/// PostgreSQL server that `server_url` points at, and returns the URL of the new database
/// (the same URL with the database name replaced).
pub async fn fresh_postgres_database(server_url: &str) -> Result<String, DbErr> {
    let name = format!("sgb_test_{}", Uuid::new_v4().simple());
    let url = replace_database(server_url, &name)?;
    let server = connect_server(server_url).await?;
    let created = server
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await;
    server.close().await?;
    created?;
    Ok(url)
}

/// Drops a database made by [`fresh_postgres_database`], terminating any connection
/// still open to it. Only `sgb_test_…` databases are accepted.
pub async fn drop_postgres_database(server_url: &str, database_url: &str) -> Result<(), DbErr> {
    let name = database_name(database_url)?;
    let is_test_name = name.strip_prefix("sgb_test_").is_some_and(|suffix| {
        !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if !is_test_name {
        return Err(DbErr::Custom(format!(
            "refusing to drop `{name}`: not a test database"
        )));
    }
    let server = connect_server(server_url).await?;
    let dropped = server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    server.close().await?;
    dropped.map(|_| ())
}

async fn connect_server(server_url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(server_url);
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options).await
}

/// Splits `scheme://authority/database?query` into (`scheme://authority`, `database`,
/// `query`).
fn split_url(url: &str) -> Result<(&str, &str, Option<&str>), DbErr> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base
        .find("://")
        .map(|i| i + 3)
        .ok_or_else(|| DbErr::Custom(format!("not a server URL: {url}")))?;
    let (server, database) = match base[authority_start..].find('/') {
        Some(i) => base.split_at(authority_start + i),
        None => (base, ""),
    };
    Ok((server, database.trim_start_matches('/'), query))
}

fn replace_database(url: &str, name: &str) -> Result<String, DbErr> {
    let (server, _, query) = split_url(url)?;
    Ok(match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    })
}

fn database_name(url: &str) -> Result<&str, DbErr> {
    split_url(url).map(|(_, name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `cargo test` falls back to when PostgreSQL is installed but not running.
    #[tokio::test]
    async fn a_throw_away_cluster_serves_test_databases() {
        let Some(bin) = postgres_binaries() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI has PostgreSQL installed"
            );
            eprintln!("skipped: PostgreSQL is not installed");
            return;
        };
        let server = ThrowAwayCluster::start(&bin).expect("a cluster starts");
        assert!(
            server.starts_with("postgres://postgres@127.0.0.1:"),
            "{server}"
        );
        let url = fresh_postgres_database(&server)
            .await
            .expect("a database on it");
        let db = Database::connect(url.as_str()).await.expect("connects");
        db.execute_unprepared("CREATE TABLE t (x int); INSERT INTO t VALUES (1)")
            .await
            .expect("writes");
        db.close().await.expect("closes");
        drop_postgres_database(&server, &url)
            .await
            .expect("dropped");
    }

    #[test]
    fn replaces_the_database_name() {
        let url = replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x").unwrap();
        assert_eq!(url, "postgres://postgres@127.0.0.1:5432/x");
        let url = replace_database("postgres://u:p@h/db?sslmode=disable", "x").unwrap();
        assert_eq!(url, "postgres://u:p@h/x?sslmode=disable");
        let url = replace_database("postgresql://h:5432", "x").unwrap();
        assert_eq!(url, "postgresql://h:5432/x");
        assert_eq!(database_name("postgres://h/db?a=b").unwrap(), "db");
    }
}
