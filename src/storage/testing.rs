//! Throw-away PostgreSQL databases for tests (unit tests here, integration tests elsewhere).

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use uuid::Uuid;

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
