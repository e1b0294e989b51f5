//! The rules for invitations. One call = one transaction: permission check from the database,
//! validation, the change, its change-log row, commit.
//!
//! Joining by a link is safe under simultaneous presses: on SQLite writers are serialised by
//! `BEGIN IMMEDIATE`; on PostgreSQL the invitation row is claimed with a single conditional
//! `UPDATE` (`use_count = use_count + 1`, and for a single-use link `WHERE is_used = false`),
//! whose row lock orders the joiners and whose affected-row count decides who wins.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::token::{InviteToken, InviteTokenError};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, require};
use crate::notifications::{Notices, notice, reminders};
use crate::storage::entities::{groupinvitations, groupmembers, groups, users};
use crate::storage::{self, constraints};

/// How long a new invitation stays valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validity {
    OneDay,
    #[default]
    SevenDays,
    ThirtyDays,
}

impl Validity {
    pub const ALL: [Validity; 3] = [Validity::OneDay, Validity::SevenDays, Validity::ThirtyDays];

    pub fn days(self) -> i64 {
        match self {
            Validity::OneDay => 1,
            Validity::SevenDays => 7,
            Validity::ThirtyDays => 30,
        }
    }

    pub fn from_days(days: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.days() == days)
    }
}

/// An invitation as the leader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    pub id: Uuid,
    pub token: InviteToken,
    pub expires_at: DateTime<Utc>,
    pub single_use: bool,
    /// How many students joined through it.
    pub use_count: i32,
    /// The group's time zone, in which its expiry is shown.
    pub timezone: Tz,
}

impl Invite {
    fn new(model: groupinvitations::Model, timezone: Tz) -> Self {
        Self {
            id: model.id,
            token: InviteToken::from_stored(model.invite_token),
            expires_at: model.expires_at,
            single_use: model.is_single_use,
            use_count: model.use_count,
            timezone,
        }
    }
}

/// A successful join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub group_id: Uuid,
    pub group_name: String,
    /// The group's leader, to be told who joined (`None` only for a group without a leader).
    pub leader_id: Option<i64>,
    /// How the new member is shown to others: their name and @username.
    pub member_name: String,
    /// The outbox rows written with the join.
    pub notices: Vec<Uuid>,
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// No invitation has this token.
    #[error("unknown invite token")]
    Unknown,
    #[error("the invitation has expired")]
    Expired,
    #[error("the invitation was revoked")]
    Revoked,
    /// A single-use invitation somebody already used.
    #[error("the single-use invitation was already used")]
    UsedUp,
    /// The user already belongs to a group (a user is in at most one).
    #[error("user is already in group «{group}»")]
    AlreadyInGroup { group: String },
    /// No such invitation in the actor's group (another group's, or none at all).
    #[error("no such invitation in the actor's group")]
    NotFound,
    /// The pasted text is not an invite link or token.
    #[error(transparent)]
    Malformed(#[from] InviteTokenError),
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A new invitation into the group of `actor`, who must be its leader or an assistant.
pub async fn create(
    db: &DatabaseConnection,
    actor: i64,
    validity: Validity,
    single_use: bool,
) -> Result<Invite, InviteError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, actor, Role::can_manage).await?;
    let timezone = group_timezone(&txn, member.group_id).await?;
    let now = Utc::now();
    let id = Uuid::new_v4();
    let token = InviteToken::generate();
    let expires_at = now + Duration::days(validity.days());
    let row = groupinvitations::ActiveModel {
        id: Set(id),
        group_id: Set(member.group_id),
        invited_by_user_id: Set(actor),
        invite_token: Set(token.as_str().to_owned()),
        expires_at: Set(expires_at),
        is_used: Set(false),
        created_at: Set(now),
        is_single_use: Set(single_use),
        is_revoked: Set(false),
        use_count: Set(0),
    };
    groupinvitations::Entity::insert(row)
        .exec_without_returning(&txn)
        .await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: Some(member.group_id),
            action: "invite.create",
            entity_type: "invite",
            entity_id: id.to_string(),
            // Never the token itself: the log is readable by more people than the link.
            details: json!({
                "validity_days": validity.days(),
                "single_use": single_use,
                "expires_at": expires_at,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Invite {
        id,
        token,
        expires_at,
        single_use,
        use_count: 0,
        timezone,
    })
}

/// The invitations of the actor's group that still let someone join (not revoked, not expired,
/// not used up), newest first. Leader or assistant only.
pub async fn list_active(db: &DatabaseConnection, actor: i64) -> Result<Vec<Invite>, InviteError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, actor, Role::can_manage).await?;
    let timezone = group_timezone(&txn, member.group_id).await?;
    let rows = groupinvitations::Entity::find()
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .filter(groupinvitations::Column::IsRevoked.eq(false))
        .filter(groupinvitations::Column::IsUsed.eq(false))
        .filter(groupinvitations::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(groupinvitations::Column::CreatedAt)
        .order_by_asc(groupinvitations::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| Invite::new(row, timezone))
        .collect())
}

/// Revokes an invitation of the actor's own group. Another group's invitation is `NotFound`
/// and nothing changes; revoking a revoked invitation changes nothing either.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: i64,
    invite_id: Uuid,
) -> Result<(), InviteError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, actor, Role::can_manage).await?;
    let invite = groupinvitations::Entity::find_by_id(invite_id)
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .one(&txn)
        .await?
        .ok_or(InviteError::NotFound)?;
    if invite.is_revoked {
        return Ok(());
    }
    groupinvitations::Entity::update_many()
        .col_expr(groupinvitations::Column::IsRevoked, Expr::value(true))
        .filter(groupinvitations::Column::Id.eq(invite.id))
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .exec(&txn)
        .await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: Some(member.group_id),
            action: "invite.revoke",
            entity_type: "invite",
            entity_id: invite.id.to_string(),
            details: json!({ "use_count": invite.use_count }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// `user` joins the group of the invitation with `token`, as a member.
pub async fn join(
    db: &DatabaseConnection,
    user: i64,
    token: &InviteToken,
    now: DateTime<Utc>,
    notices: impl Notices<Joined>,
) -> Result<Joined, InviteError> {
    let txn = storage::begin_write(db).await?;
    if let Some(group) = group_of(&txn, user).await? {
        return Err(InviteError::AlreadyInGroup { group: group.name });
    }
    // Exact comparison in the database: both backends compare text case-sensitively here.
    let invite = groupinvitations::Entity::find()
        .filter(groupinvitations::Column::InviteToken.eq(token.as_str()))
        .one(&txn)
        .await?
        .ok_or(InviteError::Unknown)?;
    check_usable(&invite, Utc::now())?;
    let group = groups::Entity::find_by_id(invite.group_id)
        .one(&txn)
        .await?
        .ok_or(InviteError::Unknown)?;

    let joined_at = Utc::now();
    let membership = groupmembers::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        group_id: Set(group.id),
        is_leader: Set(false),
        is_assistant: Set(false),
        joined_at: Set(joined_at),
    };
    if let Err(err) = groupmembers::Entity::insert(membership)
        .exec_without_returning(&txn)
        .await
    {
        // The group was deleted while this join waited for it: the link is gone with it.
        if storage::is_foreign_key_violation(&err) {
            return Err(InviteError::Unknown);
        }
        let joined_elsewhere = storage::unique_violation_constraint(&err).as_deref()
            == Some(constraints::UQ_GROUPMEMBERS_USER);
        if !joined_elsewhere {
            return Err(err.into());
        }
        // The same user joining twice at the same instant: the database kept one membership.
        drop(txn);
        let group = group_of(db, user).await?.map(|g| g.name);
        return Err(InviteError::AlreadyInGroup {
            group: group.unwrap_or_default(),
        });
    }

    claim(&txn, &invite).await?;

    let leader_id = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group.id))
        .filter(groupmembers::Column::IsLeader.eq(true))
        .one(&txn)
        .await?
        .map(|leader| leader.user_id);
    let member_name = users::Entity::find_by_id(user)
        .one(&txn)
        .await?
        .map(|u| display_name(&u))
        .unwrap_or_default();
    changelog::record(
        &txn,
        Change {
            actor: Some(user),
            group: Some(group.id),
            action: "member.join",
            entity_type: "member",
            entity_id: user.to_string(),
            details: json!({ "invite_id": invite.id, "single_use": invite.is_single_use }),
        },
    )
    .await?;
    // The new member is reminded of what is coming, as those who were there already.
    reminders::schedule_for_member(&txn, now, group.id, user).await?;
    let mut joined = Joined {
        group_id: group.id,
        group_name: group.name,
        leader_id,
        member_name,
        notices: Vec::new(),
    };
    joined.notices = notice::write(&txn, now, notices(&joined)).await?;
    txn.commit().await?;
    Ok(joined)
}

/// Why `invite`, as read, can no longer be used.
fn check_usable(invite: &groupinvitations::Model, now: DateTime<Utc>) -> Result<(), InviteError> {
    if invite.is_revoked {
        Err(InviteError::Revoked)
    } else if invite.is_single_use && (invite.is_used || invite.use_count > 0) {
        Err(InviteError::UsedUp)
    } else if invite.expires_at <= now {
        Err(InviteError::Expired)
    } else {
        Ok(())
    }
}

/// Counts one use of `invite`, atomically: one `UPDATE` whose condition is re-checked under
/// the row lock, so of two simultaneous joiners by a single-use link exactly one succeeds.
async fn claim(
    txn: &impl ConnectionTrait,
    invite: &groupinvitations::Model,
) -> Result<(), InviteError> {
    use groupinvitations::Column;
    let mut update = groupinvitations::Entity::update_many()
        .col_expr(Column::UseCount, Expr::col(Column::UseCount).add(1))
        .filter(Column::Id.eq(invite.id))
        .filter(Column::IsRevoked.eq(false));
    if invite.is_single_use {
        update = update
            .col_expr(Column::IsUsed, Expr::value(true))
            .filter(Column::IsUsed.eq(false));
    }
    if update.exec(txn).await?.rows_affected == 1 {
        return Ok(());
    }
    // Someone changed the invitation since it was read: say what happened to it.
    let now = groupinvitations::Entity::find_by_id(invite.id)
        .one(txn)
        .await?
        .ok_or(InviteError::Unknown)?;
    check_usable(&now, Utc::now())?;
    Err(if invite.is_single_use {
        InviteError::UsedUp
    } else {
        InviteError::Revoked
    })
}

async fn group_of(conn: &impl ConnectionTrait, user: i64) -> Result<Option<groups::Model>, DbErr> {
    let found = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user))
        .find_also_related(groups::Entity)
        .one(conn)
        .await?;
    Ok(found.and_then(|(_, group)| group))
}

/// The group's time zone; UTC if the stored name is not one (never expected).
async fn group_timezone(conn: &impl ConnectionTrait, group: Uuid) -> Result<Tz, DbErr> {
    let group = groups::Entity::find_by_id(group).one(conn).await?;
    Ok(group
        .and_then(|g| g.timezone.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC))
}

/// "First Last (@username)", as far as the user has them.
fn display_name(user: &users::Model) -> String {
    let mut name = user.first_name.clone();
    if let Some(last) = user.last_name.as_deref().filter(|l| !l.is_empty()) {
        name.push(' ');
        name.push_str(last);
    }
    if let Some(username) = user.telegram_username.as_deref().filter(|u| !u.is_empty()) {
        name.push_str(&format!(" (@{username})"));
    }
    name
}
