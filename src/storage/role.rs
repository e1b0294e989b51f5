//! Roles that one instance at a time holds among all that share a database: the poller (only
//! one `getUpdates` per bot) and the sender (one sending budget per bot).
//!
//! On PostgreSQL a role is a session advisory lock held on a connection of its own, outside the
//! pool. The lock dies with that connection: an instance killed with SIGKILL loses it as soon as
//! the server sees the socket close, so a standby that asks every [`RETRY_EVERY`] takes over
//! within seconds, with no lease to wait out. The holder checks its connection every
//! [`CHECK_EVERY`]; when the check fails it stops acting in the role (the server has released
//! the lock, or soon will). On SQLite one process owns the database file, and it holds every
//! role.

use std::time::Duration;

use sea_orm::sqlx::{self, Connection as _, PgConnection};
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::watch;

/// How often an instance without the role asks for it.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);
/// How often the holder checks that the connection holding the lock is alive.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);
/// How long one check may take before the role counts as lost.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// A role one instance holds at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleName {
    /// Calls `getUpdates` and stores what arrives in the inbox.
    Poller,
    /// Sends the outbox and edits live messages, within the bot's one sending budget.
    Sender,
}

impl RoleName {
    /// The advisory-lock key: a fixed 64-bit number per role ("SGB" and a role number).
    fn key(self) -> i64 {
        const NAMESPACE: i64 = 0x5347_4200 << 32;
        NAMESPACE
            | match self {
                RoleName::Poller => 1,
                RoleName::Sender => 2,
            }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Poller => "poller",
            RoleName::Sender => "sender",
        }
    }
}

/// A role held by this instance; dropped or [released](Role::release), it is given up.
pub struct Role {
    name: RoleName,
    /// The connection holding the lock (PostgreSQL), `None` on SQLite.
    holder: Option<PgConnection>,
}

impl Role {
    /// Waits until this instance holds `name`, or `stop` turns true (`None`).
    pub async fn acquire(
        db: &DatabaseConnection,
        name: RoleName,
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Role> {
        if db.get_database_backend() != DbBackend::Postgres {
            return (!*stop.borrow()).then_some(Role { name, holder: None });
        }
        let mut waiting_logged = false;
        while !*stop.borrow() {
            match try_lock(db, name).await {
                Ok(Some(holder)) => {
                    tracing::info!(role = name.as_str(), "this instance took the role");
                    return Some(Role {
                        name,
                        holder: Some(holder),
                    });
                }
                Ok(None) if !waiting_logged => {
                    waiting_logged = true;
                    tracing::info!(
                        role = name.as_str(),
                        "another instance holds the role; standing by"
                    );
                }
                Ok(None) => {}
                Err(err) => {
                    crate::storage::report_failure();
                    tracing::warn!(role = name.as_str(), %err, "could not ask for the role");
                }
            }
            tokio::select! {
                _ = stop.changed() => {}
                () = tokio::time::sleep(RETRY_EVERY) => {}
            }
        }
        None
    }

    pub fn name(&self) -> RoleName {
        self.name
    }

    /// Resolves when the role is lost: the connection holding the lock failed a check. Never
    /// resolves on SQLite.
    pub async fn lost(&mut self) {
        let Some(holder) = self.holder.as_mut() else {
            return std::future::pending().await;
        };
        loop {
            tokio::time::sleep(CHECK_EVERY).await;
            let check = tokio::time::timeout(CHECK_TIMEOUT, holder.ping()).await;
            match check {
                Ok(Ok(())) => {}
                Ok(Err(err)) => {
                    tracing::warn!(role = self.name.as_str(), %err, "lost the role: its connection failed");
                    return;
                }
                Err(_) => {
                    tracing::warn!(
                        role = self.name.as_str(),
                        "lost the role: its connection stopped answering"
                    );
                    return;
                }
            }
        }
    }

    /// Gives the role up at once (a graceful stop), so a standby need not wait for a check.
    pub async fn release(mut self) {
        if let Some(holder) = self.holder.take() {
            // Closing the connection ends the session and with it the lock.
            if let Err(err) = holder.close().await {
                tracing::debug!(role = self.name.as_str(), %err, "closing the role's connection");
            }
            tracing::info!(role = self.name.as_str(), "gave the role up");
        }
    }
}

/// A new connection that holds `name`'s lock, or `None` if another session holds it.
async fn try_lock(
    db: &DatabaseConnection,
    name: RoleName,
) -> Result<Option<PgConnection>, sqlx::Error> {
    let options = db.get_postgres_connection_pool().connect_options();
    let mut connection = PgConnection::connect_with(&options).await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(name.key())
        .fetch_one(&mut connection)
        .await?;
    if locked {
        Ok(Some(connection))
    } else {
        // Asking again in a moment on a fresh connection is cheaper than keeping one open.
        connection.close().await?;
        Ok(None)
    }
}
