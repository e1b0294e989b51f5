//! The one retry policy: a unit of work runs again while the database says "try again".

use std::ops::Deref;
use std::time::Duration;

use sea_orm::{DbErr, RuntimeErr};

use crate::members::service::AccessError;
use crate::storage;

/// The counter of units of work run again.
pub const RETRIES: &str = "sgb_uow_retries_total";

/// How many times a unit of work runs before its conflict is reported.
pub const ATTEMPTS: u32 = 8;

/// An error a unit of work may end with: it says whether running again may succeed.
pub trait Retry {
    /// The database error inside, if this is one.
    fn db_err(&self) -> Option<&DbErr>;

    fn is_transient(&self) -> bool {
        self.db_err().is_some_and(is_transient)
    }
}

impl Retry for DbErr {
    fn db_err(&self) -> Option<&DbErr> {
        Some(self)
    }
}

/// `impl Retry` for a use case's error: its database error is the one inside the variants
/// named, each holding a `DbErr` or another [`Retry`] error (`AccessError`, `GroupError`, …):
/// `retry_through!(QueueError: Db, Access);`.
macro_rules! retry_through {
    ($error:ident: $($variant:ident),+) => {
        impl $crate::uow::Retry for $error {
            fn db_err(&self) -> Option<&::sea_orm::DbErr> {
                match self {
                    $($error::$variant(inner) => $crate::uow::Retry::db_err(inner),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use retry_through;

retry_through!(AccessError: Db);

/// Declares a use case's error: its own cases, the errors it wraps as they are (`wrapping`),
/// then `Access` (not in a group, or the role as stored now does not allow the action) and
/// `Db`; and its [`Retry`] through both and through the variants named after `retry through`
/// (each holding another [`Retry`] error).
macro_rules! use_case_error {
    (
        $(#[$meta:meta])* pub enum $error:ident { $($cases:tt)* }
        $(wrapping $($(#[$doc:meta])* $wrap:ident($wrapped:ty)),+;)?
        $(retry through $($inner:ident),+)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, ::thiserror::Error)]
        pub enum $error {
            $($cases)*
            $($(
                $(#[$doc])*
                #[error(transparent)]
                $wrap(#[from] $wrapped),
            )+)?
            /// Not in a group, or the role (as stored now) does not allow the action.
            #[error(transparent)]
            Access(#[from] $crate::members::service::AccessError),
            #[error(transparent)]
            Db(#[from] ::sea_orm::DbErr),
        }

        $crate::uow::retry_through!($error: Db, Access $($(, $inner)+)?);
    };
}

pub(crate) use use_case_error;

/// Whether running the transaction again may succeed: a unique conflict (two writers took the
/// same free slot — a use case that means "already there" maps its constraint to its own
/// error first), a deadlock, serialization failure or lock timeout on PostgreSQL, a busy or
/// locked database on SQLite, or no pooled connection in time.
pub fn is_transient(err: &DbErr) -> bool {
    if storage::is_unique_violation(err) {
        return true;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Conn(RuntimeErr::SqlxError(sqlx_err))) = err
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(db_err) = sqlx_err.deref() else {
        return matches!(sqlx_err.deref(), sea_orm::sqlx::Error::PoolTimedOut);
    };
    match db_err.code().as_deref() {
        // PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
        Some("40001" | "40P01" | "55P03") => true,
        // SQLite: BUSY, LOCKED and their extended codes.
        Some(code) => code
            .parse::<i32>()
            .is_ok_and(|code| matches!(code & 0xff, 5 | 6)),
        None => false,
    }
}

/// The pause before try number `tries + 1`: short and random, growing with each try, so that
/// colliding writers spread out.
pub(super) async fn pause(tries: u32) {
    tracing::debug!(tries, "transaction conflicted; running it again");
    metrics::counter!(RETRIES).increment(1);
    let jitter = rand::random_range(1..=10u64 * u64::from(tries));
    tokio::time::sleep(Duration::from_millis(jitter)).await;
}
