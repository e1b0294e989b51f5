//! Waking the sender, wherever it runs. One instance holds the sender role
//! (`crate::storage::role`); the others write outbox rows and touch live messages too, and the
//! holder must hear of it within milliseconds, not at its next idle poll.
//!
//! In the process, a [`Notify`] wakes the worker or the live-message sweeper. Across instances
//! (PostgreSQL) an instance that is not the sender forwards each wake-up as a `NOTIFY` on
//! [`OUTBOX_CHANNEL`] or [`LIVE_CHANNEL`] ([`forward`]); the holder `LISTEN`s to both
//! ([`listen`]) and wakes itself. A wake-up lost on the way (a listener that reconnects) costs
//! at most the idle poll: the outbox and the `livemessages.touched_at` marks are the truth, the
//! signal only says "look now". On SQLite the one process holds the role: the in-process signal
//! is all there is.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::{Notify, watch};

/// New outbox rows (or the clock moved): the sender should claim.
pub const OUTBOX_CHANNEL: &str = "sgb_outbox";
/// Live messages were marked touched: the sender should edit them.
pub const LIVE_CHANNEL: &str = "sgb_live";

/// The wake-up signals of one instance.
#[derive(Debug, Default)]
pub struct Wakeup {
    /// This instance holds the sender role.
    sender: AtomicBool,
    /// The local sender worker.
    outbox: Notify,
    /// The local live-message sweeper.
    live: Notify,
    /// The local digest planner (`crate::digests::planner`): woken with the worker, since a
    /// moved clock may bring a minute to plan.
    digests: Notify,
    /// To be told to the sender elsewhere ([`forward`]).
    outbox_elsewhere: Notify,
    live_elsewhere: Notify,
}

impl Wakeup {
    pub fn is_sender(&self) -> bool {
        self.sender.load(Ordering::Acquire)
    }

    pub fn set_sender(&self, holds: bool) {
        self.sender.store(holds, Ordering::Release);
    }

    /// New outbox rows: the worker here looks now, and the sender elsewhere is told.
    pub fn outbox(&self) {
        self.outbox_here();
        if !self.is_sender() {
            self.outbox_elsewhere.notify_one();
        }
    }

    /// Live messages were marked touched in the database: the sender elsewhere is told.
    pub fn live(&self) {
        self.live.notify_one();
        if !self.is_sender() {
            self.live_elsewhere.notify_one();
        }
    }

    /// Wakes the local worker and planner.
    fn outbox_here(&self) {
        self.outbox.notify_one();
        self.digests.notify_one();
    }

    pub fn digests_woken(&self) -> &Notify {
        &self.digests
    }

    pub fn outbox_woken(&self) -> &Notify {
        &self.outbox
    }

    pub fn live_woken(&self) -> &Notify {
        &self.live
    }
}

/// Forwards this instance's wake-ups to the sender elsewhere (PostgreSQL `NOTIFY`) until
/// `stop` turns true. Wake-ups that come while a `NOTIFY` is on its way are coalesced into the
/// next one. Returns at once on SQLite.
pub async fn forward(db: DatabaseConnection, wakeup: Arc<Wakeup>, mut stop: watch::Receiver<bool>) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    loop {
        let channel = tokio::select! {
            () = wakeup.outbox_elsewhere.notified() => OUTBOX_CHANNEL,
            () = wakeup.live_elsewhere.notified() => LIVE_CHANNEL,
            _ = stop.wait_for(|stop| *stop) => return,
        };
        if wakeup.is_sender() {
            continue;
        }
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, '')",
            [channel.into()],
        );
        if let Err(err) = db.execute_raw(notify).await {
            tracing::debug!(%err, channel, "could not wake the sender elsewhere");
        }
    }
}

/// The sender's ears (PostgreSQL): wakes the local worker or sweeper on every `NOTIFY` until
/// `stop` turns true. A lost connection is re-established, and everything is woken then,
/// since notices sent meanwhile were missed. Returns at once on SQLite.
pub async fn listen(db: DatabaseConnection, wakeup: Arc<Wakeup>, mut stop: watch::Receiver<bool>) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    loop {
        let listening = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen_all([OUTBOX_CHANNEL, LIVE_CHANNEL]).await?;
            // Whatever was written before this point was not heard: look once.
            wakeup.outbox_here();
            wakeup.live.notify_one();
            loop {
                match listener.try_recv().await? {
                    Some(notification) if notification.channel() == LIVE_CHANNEL => {
                        wakeup.live.notify_one();
                    }
                    Some(_) => wakeup.outbox.notify_one(),
                    None => {
                        // The connection was lost (and is re-established by the next call).
                        wakeup.outbox_here();
                        wakeup.live.notify_one();
                    }
                }
            }
        };
        let failed: Result<(), sea_orm::sqlx::Error> = tokio::select! {
            failed = listening => failed,
            _ = stop.wait_for(|stop| *stop) => return,
        };
        if let Err(err) = failed {
            tracing::warn!(%err, "listening for wake-ups failed; listening again");
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.wait_for(|stop| *stop) => return,
            }
        }
    }
}
