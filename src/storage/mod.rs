//! Persistence: connection setup, schema migrations, entities and error inspection.
//!
//! The same code runs on PostgreSQL (production) and SQLite (small deployments, tests).
//! Write paths should go through [`begin_write`] so that SQLite takes its write lock up
//! front instead of failing with `SQLITE_BUSY` halfway through a transaction.

pub mod constraints;
pub mod entities;
pub mod migrations;
pub mod role;
pub mod testing;

#[cfg(test)]
mod tests;

use std::ops::Deref;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::sqlx::Connection as _;
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    RuntimeErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use migrations::Migrator;

/// Connections per pool on PostgreSQL.
const PG_MAX_CONNECTIONS: u32 = 20;
/// Connections per pool on a SQLite file: WAL lets readers run beside the single writer.
const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// How long a query waits for a PostgreSQL connection (and a new connection for its server)
/// before failing: with the database down, a user hears "try again" within seconds instead of
/// waiting for sqlx's default 30 s.
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a SQLite connection waits for a lock before failing with `SQLITE_BUSY`.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// A pooled PostgreSQL connection idle for this long is pinged before it is handed out (the
/// server or something between may have closed it meanwhile).
const PG_IDLE_BEFORE_PING: Duration = Duration::from_secs(10);

/// Opens a connection pool for `url` (`postgres://…` or `sqlite:…`).
///
/// SQLite connections use WAL, `synchronous = NORMAL`, a 5 s busy timeout and enforced
/// foreign keys (the schema relies on `ON DELETE CASCADE`); a missing database file is
/// created. PostgreSQL connections are not pinged on every checkout (sqlx's default, one extra
/// round trip per query): only after [`PG_IDLE_BEFORE_PING`] idle, or when a database failure
/// was reported ([`report_failure`]) since they went idle — so the pool still gets past the
/// connections an outage killed. A PostgreSQL server on the same host (`localhost`, a loopback
/// address or a Unix socket) is reached without TLS unless the URL or `PGSSLMODE` asks for a
/// mode: the traffic never leaves the machine, and TLS there only costs CPU.
///
/// An in-memory SQLite database (`sqlite::memory:`) lives inside its single connection, so its
/// pool has exactly one, which is never recycled: a transaction then blocks every other query
/// on that pool until it ends.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).test_before_acquire(false);
    if let Some(location) = sqlite_location(url) {
        if is_in_memory(location) {
            options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        } else {
            options.max_connections(SQLITE_MAX_CONNECTIONS);
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    } else {
        let explicit_tls = has_param(url, "sslmode") || std::env::var_os("PGSSLMODE").is_some();
        options
            .max_connections(PG_MAX_CONNECTIONS)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .connect_timeout(PG_ACQUIRE_TIMEOUT)
            .map_sqlx_postgres_opts(move |opts| {
                if !explicit_tls && is_local(&opts) {
                    opts.ssl_mode(PgSslMode::Disable)
                } else {
                    opts
                }
            })
            .map_sqlx_postgres_before_acquire(|conn, meta| {
                Box::pin(async move {
                    if may_be_dead(meta) {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            });
    }
    let mut db = Database::connect(options).await?;
    // Counts every statement in `sgb_db_statements_total` (not BEGIN/COMMIT/ROLLBACK: see
    // `db_statement`). A counter increment: cheap beside the statement itself.
    db.set_metric_callback(|_| crate::http::metrics::db_statement());
    Ok(db)
}

/// When a database failure was last reported; `None` before any.
static LAST_FAILURE: Mutex<Option<Instant>> = Mutex::new(None);

/// Records that a database operation failed, so every pooled connection that went idle before
/// now is pinged before its next use (a dead one is replaced instead of failing a user's
/// request). Called where failures surface: the update pipeline, the workers, `/healthz`.
/// Process-wide: a failure in one pool makes the others check too, which costs only pings.
pub fn report_failure() {
    *LAST_FAILURE.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
}

/// Whether a connection idle as `meta` says must be pinged before use.
fn may_be_dead(meta: PoolConnectionMetadata) -> bool {
    let last_failure = *LAST_FAILURE.lock().unwrap_or_else(PoisonError::into_inner);
    must_ping(meta.idle_for, Instant::now(), last_failure)
}

/// A connection idle for `idle_for` at `now` is pinged when it has idled long, or since before
/// the last reported failure.
fn must_ping(idle_for: Duration, now: Instant, last_failure: Option<Instant>) -> bool {
    if idle_for >= PG_IDLE_BEFORE_PING {
        return true;
    }
    match (last_failure, now.checked_sub(idle_for)) {
        (Some(failure), Some(idle_since)) => idle_since <= failure,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Whether the server is on this host: a Unix socket, `localhost` or a loopback address.
fn is_local(opts: &PgConnectOptions) -> bool {
    let host = opts.get_host();
    opts.get_socket().is_some()
        || host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the query string of `url` sets `name`.
fn has_param(url: &str, name: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|param| {
            param
                .split_once('=')
                .map_or(param, |(key, _)| key)
                .eq_ignore_ascii_case(name)
        })
    })
}

/// The part of a `sqlite:` URL after the scheme; `None` for other URLs.
fn sqlite_location(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once(':')?;
    scheme.eq_ignore_ascii_case("sqlite").then_some(rest)
}

/// `:memory:`, `//:memory:` or anything with `mode=memory` in its query.
fn is_in_memory(location: &str) -> bool {
    let location = location.strip_prefix("//").unwrap_or(location);
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    path == ":memory:" || query.split('&').any(|param| param == "mode=memory")
}

/// Applies all pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begins a transaction that is going to write.
///
/// On SQLite this is `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the busy
/// timeout) before the first statement, so two writers cannot both read and then fail to
/// upgrade. Elsewhere it is a plain `BEGIN`. Dropping the transaction without
/// committing rolls it back.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

/// Whether `err` is a violated primary key or unique constraint.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether `err` is a violated foreign key (the referenced row was deleted meanwhile).
pub fn is_foreign_key_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    )
}

/// The name of the primary key or unique constraint that `err` violated, such as
/// [`constraints::UQ_GROUPMEMBERS_USER`]; `None` if `err` is not such a violation.
///
/// PostgreSQL reports the name itself. SQLite reports only the columns, which are mapped
/// back through [`constraints::UNIQUE_KEYS`]; columns not listed there come back as
/// SQLite wrote them (`table.column, …`).
pub fn unique_violation_constraint(err: &DbErr) -> Option<String> {
    if !is_unique_violation(err) {
        return None;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx_err))) = err
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(db_err) = sqlx_err.deref() else {
        return None;
    };
    if let Some(name) = db_err.constraint() {
        return Some(name.to_owned());
    }
    // SQLite: "UNIQUE constraint failed: table.col_a, table.col_b".
    let columns = db_err
        .message()
        .strip_prefix("UNIQUE constraint failed: ")?;
    Some(sqlite_constraint_name(columns).map_or_else(|| columns.to_owned(), str::to_owned))
}

/// Looks up the constraint over SQLite's `table.col_a, table.col_b` column list.
fn sqlite_constraint_name(columns: &str) -> Option<&'static str> {
    let mut table = None;
    let mut names = Vec::new();
    for qualified in columns.split(", ") {
        let (t, column) = qualified.split_once('.')?;
        if table.is_some_and(|seen| seen != t) {
            return None;
        }
        table = Some(t);
        names.push(column);
    }
    let table = table?;
    constraints::UNIQUE_KEYS
        .iter()
        .find(|(_, t, cols)| *t == table && *cols == names.as_slice())
        .map(|(name, _, _)| *name)
}
