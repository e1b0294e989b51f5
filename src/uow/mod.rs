//! The unit of work: the one way a change runs.
//!
//! ```text
//! run(db, clock, actor, use_case)
//!   begin (SQLite: the write lock up front)
//!   use_case(&mut uow)            permission from the database, the rule, uow.record(event)
//!   events → change-log rows and outbox rows, in the same transaction
//!   commit
//!   again from the top if the database said "try again" (retry.rs)
//! → Done { value, committed: the events and the outbox rows written }
//! ```
//!
//! A use case reads like its rule; what a change causes is said once, by its events
//! ([`DomainEvent`]): the change-log row, the notices, the live views to refresh. The Telegram
//! side reacts to [`Committed`] in one place after the commit.

mod event;
mod retry;

use std::marker::PhantomData;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};
use uuid::Uuid;

pub use event::{DomainEvent, Live};
pub use retry::{ATTEMPTS, RETRIES, Retry, is_transient};
pub(crate) use retry::{retry_through, use_case_error};

use crate::changelog;
use crate::clock::Clock;
use crate::members::Role;
use crate::members::service::{AccessError, Member, require};
use crate::notifications::notice;
use crate::storage;

/// One run of a use case: its transaction, its clock reading, who acts, what happened.
///
/// `'env` is the caller's: a use case may borrow what the caller holds (the form's input) for
/// as long as it runs.
pub struct Uow<'env> {
    txn: DatabaseTransaction,
    now: DateTime<Utc>,
    actor: Option<i64>,
    events: Vec<Box<dyn DomainEvent>>,
    env: PhantomData<&'env ()>,
}

/// What a use case returns to [`run`]: its future, boxed so it can be sent across threads.
pub type Step<'u, T, E> = BoxFuture<'u, Result<T, E>>;

impl Uow<'_> {
    /// The transaction: every read and write of the use case goes through it.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// The time of this change (one reading of the clock per attempt).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The acting user (`None` for the system: the scheduler, an operator's command).
    pub fn actor(&self) -> Option<i64> {
        self.actor
    }

    /// The acting user's membership if their role, as stored right now, passes `allowed`.
    pub async fn member(&self, allowed: fn(Role) -> bool) -> Result<Member, AccessError> {
        let actor = self.actor.ok_or(AccessError::NotInGroup)?;
        require(&self.txn, actor, allowed).await
    }

    /// Records what happened; its consequences are written before the commit.
    pub fn record(&mut self, event: impl DomainEvent) {
        self.events.push(Box::new(event));
    }

    /// Writes the change-log rows and notices of the recorded events, checks the fence, then
    /// commits.
    async fn commit(self, fence: Option<&dyn Fence>) -> Result<Committed, DbErr> {
        let Uow {
            txn,
            now,
            actor,
            events,
            ..
        } = self;
        let mut changes = Vec::new();
        let mut notices = Vec::new();
        for event in &events {
            changes.extend(event.change());
            notices.extend(event.notices());
        }
        changelog::record_all(&txn, actor, now, changes).await?;
        let outbox = notice::write(&txn, now, notices).await?;
        if let Some(fence) = fence {
            fence.hold(&txn).await?;
        }
        txn.commit().await?;
        if let Some(fence) = fence {
            fence.committed();
        }
        Ok(Committed { events, outbox })
    }
}

/// What a committed change leaves for the reactions after the commit.
#[derive(Debug, Default)]
pub struct Committed {
    pub events: Vec<Box<dyn DomainEvent>>,
    /// The outbox rows written with the change (sent at once if the rate allows).
    pub outbox: Vec<Uuid>,
}

impl Committed {
    /// The live views the change touched, each once.
    pub fn live(&self) -> Vec<Live> {
        let mut live: Vec<Live> = self.events.iter().flat_map(|e| e.live()).collect();
        live.sort_unstable();
        live.dedup();
        live
    }
}

/// A use case's result and what its commit left.
#[derive(Debug)]
pub struct Done<T> {
    pub value: T,
    pub committed: Committed,
}

/// A condition the commit checks inside the transaction: the change commits only while it
/// holds. The update pipeline's claim on the update being handled is one (a change is made at
/// most once per update, even if another instance took the update over meanwhile).
pub trait Fence: Send + Sync {
    /// Checks (and records, in `txn`) that the fence holds; an error rolls the change back.
    fn hold<'a>(&'a self, txn: &'a DatabaseTransaction) -> BoxFuture<'a, Result<(), DbErr>>;
    /// The transaction that held the fence committed.
    fn committed(&self);
}

/// Runs `use_case` as one unit of work for `actor`, again from the start (up to
/// [`ATTEMPTS`] times, see [`Retry`]) while the database answers "try again":
///
/// ```ignore
/// let position = uow::run(db, clock, Some(user), |uow| Box::pin(queues::join(uow, queue))).await?;
/// ```
pub async fn run<'env, T, E>(
    db: &DatabaseConnection,
    clock: &Arc<dyn Clock>,
    actor: Option<i64>,
    use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, E>,
) -> Result<Done<T>, E>
where
    E: Retry + From<DbErr>,
{
    run_fenced(db, clock, actor, None, use_case).await
}

/// [`run`], committing only while `fence` holds.
pub async fn run_fenced<'env, T, E>(
    db: &DatabaseConnection,
    clock: &Arc<dyn Clock>,
    actor: Option<i64>,
    fence: Option<&dyn Fence>,
    mut use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, E>,
) -> Result<Done<T>, E>
where
    E: Retry + From<DbErr>,
{
    let mut tries = 1;
    loop {
        let attempt = async {
            let txn = storage::begin_write(db).await?;
            let mut uow = Uow {
                txn,
                now: clock.now(),
                actor,
                events: Vec::new(),
                env: PhantomData,
            };
            let value = use_case(&mut uow).await?;
            let committed = uow.commit(fence).await?;
            Ok::<_, E>(Done { value, committed })
        };
        match attempt.await {
            Err(err) if tries < ATTEMPTS && err.is_transient() => {
                retry::pause(tries).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// [`run`] on the system clock, returning the use case's value only: for callers outside the
/// bot (benchmarks, operator commands), whose notices the outbox worker sends.
pub async fn run_as<'env, T, E>(
    db: &DatabaseConnection,
    actor: i64,
    use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, E>,
) -> Result<T, E>
where
    E: Retry + From<DbErr>,
{
    let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
    Ok(run(db, &clock, Some(actor), use_case).await?.value)
}
