//! Who is a bot administrator: access codes (made by the command line or by an admin in the
//! panel, deactivated, listed) and their redemption with `/admin <code>`.
//!
//! Redeeming a one-time code is safe under simultaneous attempts: the code is claimed with a
//! single conditional `UPDATE … WHERE is_active` whose affected-row count decides who wins
//! (PostgreSQL re-evaluates the condition after waiting for the winner's row lock; SQLite's
//! `BEGIN IMMEDIATE` serialises the writers anyway).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::code::{AccessCode, CodeLifetime};
use super::events::AdminEvent;
use super::service::AdminError;
use crate::storage::entities::{adminaccesscodes, adminattempts, admins, users};
use crate::uow::Uow;

/// Wrong codes allowed per user in [`ATTEMPT_WINDOW`]; further attempts are refused unchecked.
pub const MAX_WRONG_ATTEMPTS: u64 = 5;
pub const ATTEMPT_WINDOW: Duration = Duration::hours(1);

/// Whether `user` is a bot administrator, as stored now.
pub async fn is_admin(conn: &impl ConnectionTrait, user: i64) -> Result<bool, DbErr> {
    Ok(admins::Entity::find_by_id(user).one(conn).await?.is_some())
}

/// Refuses `user` unless they are an admin as stored now.
pub async fn check(conn: &impl ConnectionTrait, user: i64) -> Result<(), AdminError> {
    if is_admin(conn, user).await? {
        Ok(())
    } else {
        // The panel does not exist for them: someone pressed an old or forged button.
        tracing::warn!(user, "admin action refused to a non-admin");
        Err(AdminError::NotAdmin)
    }
}

/// A read-only transaction for an admin's screen (one consistent snapshot without the write
/// lock), once `actor` is found to be an admin.
pub(super) async fn admin_read(
    db: &DatabaseConnection,
    actor: i64,
) -> Result<DatabaseTransaction, AdminError> {
    let txn = db.begin().await?;
    check(&txn, actor).await?;
    Ok(txn)
}

/// The acting user, if they are an admin as stored now.
pub(super) async fn require_admin(
    conn: &impl ConnectionTrait,
    user: Option<i64>,
) -> Result<i64, AdminError> {
    let user = user.ok_or(AdminError::NotAdmin)?;
    check(conn, user).await?;
    Ok(user)
}

/// An access code as the panel lists it (never the code itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    pub id: Uuid,
    pub one_time: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<adminaccesscodes::Model> for CodeInfo {
    fn from(model: adminaccesscodes::Model) -> Self {
        Self {
            id: model.id,
            one_time: model.is_one_time,
            expires_at: model.expires_at,
            created_at: model.created_at,
        }
    }
}

/// Creates a code. The acting user is an admin creating it in the panel (checked), or nobody
/// for the command line (whoever can run the binary against the database). The code in clear
/// is returned once; only its hash is stored.
pub async fn create_code(
    uow: &mut Uow<'_>,
    one_time: bool,
    lifetime: Option<CodeLifetime>,
) -> Result<(CodeInfo, AccessCode), AdminError> {
    if uow.actor().is_some() {
        require_admin(uow.db(), uow.actor()).await?;
    }
    let now = uow.now();
    let code = AccessCode::generate();
    let row = adminaccesscodes::Model {
        id: Uuid::new_v4(),
        code: code.hash(),
        is_one_time: one_time,
        expires_at: lifetime.map(|l| now + l.duration()),
        created_at: now,
        is_active: true,
    };
    adminaccesscodes::Entity::insert(adminaccesscodes::ActiveModel::from(row.clone()))
        .exec_without_returning(uow.db())
        .await?;
    uow.record(AdminEvent::CodeCreated {
        code: row.id,
        one_time,
        expires_at: row.expires_at,
    });
    Ok((row.into(), code))
}

/// The codes that can still be redeemed at `now`, newest first.
pub async fn codes(
    db: &DatabaseConnection,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Vec<CodeInfo>, AdminError> {
    let txn = admin_read(db, actor).await?;
    let rows = adminaccesscodes::Entity::find()
        .filter(adminaccesscodes::Column::IsActive.eq(true))
        .order_by_desc(adminaccesscodes::Column::CreatedAt)
        .order_by_asc(adminaccesscodes::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.expires_at.is_none_or(|at| at > now))
        .map(CodeInfo::from)
        .collect())
}

/// Deactivates a code: it can no longer be redeemed (admins who used it stay admins).
pub async fn deactivate_code(uow: &mut Uow<'_>, code: Uuid) -> Result<(), AdminError> {
    require_admin(uow.db(), uow.actor()).await?;
    let updated = adminaccesscodes::Entity::update_many()
        .col_expr(adminaccesscodes::Column::IsActive, Expr::value(false))
        .filter(adminaccesscodes::Column::Id.eq(code))
        .filter(adminaccesscodes::Column::IsActive.eq(true))
        .exec(uow.db())
        .await?;
    if updated.rows_affected != 1 {
        return Err(AdminError::NotFound);
    }
    uow.record(AdminEvent::CodeDeactivated { code });
    Ok(())
}

/// What a redemption came to. A refused attempt is an outcome, not an error: it is recorded
/// (and committed), so someone who keeps guessing stays refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeemed {
    /// The user is an admin now.
    Granted,
    /// The user already was one; the code was not looked at.
    AlreadyAdmin,
    /// No active, unexpired code matches.
    WrongCode,
    /// [`MAX_WRONG_ATTEMPTS`] wrong codes within the window: not checked at all.
    TooManyAttempts,
}

/// `/admin <code>`: makes the acting user an admin if `typed` is an active, unexpired code.
/// Every attempt is recorded; after [`MAX_WRONG_ATTEMPTS`] wrong ones within
/// [`ATTEMPT_WINDOW`] further attempts are refused without looking at the code (and are
/// recorded as wrong).
pub async fn redeem(uow: &mut Uow<'_>, typed: &str) -> Result<Redeemed, AdminError> {
    let user = uow.actor().ok_or(AdminError::NotAdmin)?;
    let now = uow.now();
    // One user's attempts one after another (PostgreSQL; SQLite's write lock already does it),
    // so parallel guesses cannot all slip under the limit.
    users::Entity::find_by_id(user)
        .lock_exclusive()
        .one(uow.db())
        .await?;
    if is_admin(uow.db(), user).await? {
        return Ok(Redeemed::AlreadyAdmin);
    }
    let wrong = adminattempts::Entity::find()
        .filter(adminattempts::Column::UserId.eq(user))
        .filter(adminattempts::Column::Succeeded.eq(false))
        .filter(adminattempts::Column::AttemptedAt.gt(now - ATTEMPT_WINDOW))
        .count(uow.db())
        .await?;
    if wrong >= MAX_WRONG_ATTEMPTS {
        record_attempt(uow.db(), user, now, false).await?;
        tracing::warn!(user, "admin code attempt refused: too many wrong codes");
        return Ok(Redeemed::TooManyAttempts);
    }
    let Some(code) = claim_code(uow.db(), typed, now).await? else {
        record_attempt(uow.db(), user, now, false).await?;
        tracing::warn!(user, attempt = wrong + 1, "wrong admin code");
        return Ok(Redeemed::WrongCode);
    };
    admins::Entity::insert(admins::ActiveModel {
        user_id: Set(user),
        code_id: Set(Some(code.id)),
        created_at: Set(now),
    })
    .exec_without_returning(uow.db())
    .await?;
    record_attempt(uow.db(), user, now, true).await?;
    uow.record(AdminEvent::Redeemed {
        code: code.id,
        one_time: code.is_one_time,
    });
    tracing::info!(user, code = %code.id, "admin code redeemed");
    Ok(Redeemed::Granted)
}

/// The code `typed` names, if it can be redeemed now; a one-time code is used up by this very
/// call (the conditional update decides between simultaneous attempts).
async fn claim_code(
    txn: &impl ConnectionTrait,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Option<adminaccesscodes::Model>, DbErr> {
    let Some(code) = AccessCode::parse(typed) else {
        return Ok(None);
    };
    let Some(row) = adminaccesscodes::Entity::find()
        .filter(adminaccesscodes::Column::Code.eq(code.hash()))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    if !row.is_active || row.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    if row.is_one_time {
        let claimed = adminaccesscodes::Entity::update_many()
            .col_expr(adminaccesscodes::Column::IsActive, Expr::value(false))
            .filter(adminaccesscodes::Column::Id.eq(row.id))
            .filter(adminaccesscodes::Column::IsActive.eq(true))
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(None);
        }
    }
    Ok(Some(row))
}

async fn record_attempt(
    conn: &impl ConnectionTrait,
    user: i64,
    at: DateTime<Utc>,
    succeeded: bool,
) -> Result<(), DbErr> {
    adminattempts::Entity::insert(adminattempts::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        attempted_at: Set(at),
        succeeded: Set(succeeded),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
