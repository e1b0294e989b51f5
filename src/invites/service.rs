//! The rules for invitations: use cases that run in a unit of work ([`Uow`]) — create and
//! revoke a link, join by one — and the list of active links. No Telegram types here.
//!
//! Joining by a link is safe under simultaneous presses: on SQLite writers are serialised by
//! `BEGIN IMMEDIATE`; on PostgreSQL the invitation row is claimed with a single conditional
//! `UPDATE` (`use_count = use_count + 1`, and for a single-use link `WHERE is_used = false`),
//! whose row lock orders the joiners and whose affected-row count decides who wins.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::events::InviteEvent;
use super::token::{InviteToken, InviteTokenError};
use crate::groups::Timezone;
use crate::members::repo::leader_of;
use crate::members::service::{AccessError, membership, require};
use crate::members::{PersonName, Role};
use crate::notifications::reminders;
use crate::storage;
use crate::storage::entities::{groupinvitations, groupmembers, groups, users};
use crate::uow::{Uow, use_case_error};

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
    pub timezone: Timezone,
}

impl Invite {
    fn new(model: groupinvitations::Model, timezone: Timezone) -> Self {
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
    pub timezone: crate::groups::Timezone,
}

use_case_error! {
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
    }
    wrapping
        /// The pasted text is not an invite link or token.
        Malformed(InviteTokenError);
}

/// A new invitation into the acting member's group (leader or assistant).
pub async fn create(
    uow: &mut Uow<'_>,
    validity: Validity,
    single_use: bool,
) -> Result<Invite, InviteError> {
    let member = uow.member(Role::can_manage).await?;
    let timezone = group_timezone(uow.db(), member.group_id).await?;
    let now = uow.now();
    let id = Uuid::new_v4();
    let token = InviteToken::generate();
    let expires_at = now + Duration::days(validity.days());
    let row = groupinvitations::ActiveModel {
        id: Set(id),
        group_id: Set(member.group_id),
        invited_by_user_id: Set(member.user_id),
        invite_token: Set(token.as_str().to_owned()),
        expires_at: Set(expires_at),
        is_used: Set(false),
        created_at: Set(now),
        is_single_use: Set(single_use),
        is_revoked: Set(false),
        use_count: Set(0),
    };
    groupinvitations::Entity::insert(row)
        .exec_without_returning(uow.db())
        .await?;
    uow.record(InviteEvent::Created {
        group: member.group_id,
        invite: id,
        validity_days: validity.days(),
        single_use,
        expires_at,
    });
    Ok(Invite {
        id,
        token,
        expires_at,
        single_use,
        use_count: 0,
        timezone,
    })
}

/// The invitations of the actor's group that still let someone join at `now` (not revoked,
/// not expired, not used up), newest first. Leader or assistant only.
pub async fn list_active(
    db: &DatabaseConnection,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Invite>, InviteError> {
    let member = require(db, actor, Role::can_manage).await?;
    let timezone = group_timezone(db, member.group_id).await?;
    let rows = groupinvitations::Entity::find()
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .filter(groupinvitations::Column::IsRevoked.eq(false))
        .filter(groupinvitations::Column::IsUsed.eq(false))
        .filter(groupinvitations::Column::ExpiresAt.gt(now))
        // Made at the same instant (one clock reading each): the one running out first.
        .order_by_desc(groupinvitations::Column::CreatedAt)
        .order_by_asc(groupinvitations::Column::ExpiresAt)
        .order_by_asc(groupinvitations::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Invite::new(row, timezone))
        .collect())
}

/// Revokes an invitation of the actor's own group. Another group's invitation is `NotFound`
/// and nothing changes; revoking a revoked invitation changes nothing either.
pub async fn revoke(uow: &mut Uow<'_>, invite_id: Uuid) -> Result<(), InviteError> {
    let member = uow.member(Role::can_manage).await?;
    let invite = groupinvitations::Entity::find_by_id(invite_id)
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .one(uow.db())
        .await?
        .ok_or(InviteError::NotFound)?;
    if invite.is_revoked {
        return Ok(());
    }
    groupinvitations::Entity::update_many()
        .col_expr(groupinvitations::Column::IsRevoked, Expr::value(true))
        .filter(groupinvitations::Column::Id.eq(invite.id))
        .filter(groupinvitations::Column::GroupId.eq(member.group_id))
        .exec(uow.db())
        .await?;
    uow.record(InviteEvent::Revoked {
        group: member.group_id,
        invite: invite.id,
        use_count: invite.use_count,
    });
    Ok(())
}

/// The acting user joins the group of the invitation with `token`, as a member, and is
/// reminded of what is coming there as those who were there already.
///
/// The same user joining twice at the same instant: the database keeps one membership, the
/// other attempt conflicts, runs again and finds the user in the group.
pub async fn join(uow: &mut Uow<'_>, token: &InviteToken) -> Result<Joined, InviteError> {
    let user = uow.actor().ok_or(AccessError::NotInGroup)?;
    if let Some(membership) = membership(uow.db(), user).await? {
        return Err(InviteError::AlreadyInGroup {
            group: membership.group_name,
        });
    }
    // Exact comparison in the database: both backends compare text case-sensitively here.
    let invite = groupinvitations::Entity::find()
        .filter(groupinvitations::Column::InviteToken.eq(token.as_str()))
        .one(uow.db())
        .await?
        .ok_or(InviteError::Unknown)?;
    check_usable(&invite, uow.now())?;
    let group = groups::Entity::find_by_id(invite.group_id)
        .one(uow.db())
        .await?
        .ok_or(InviteError::Unknown)?;

    let membership = groupmembers::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        group_id: Set(group.id),
        is_leader: Set(false),
        is_assistant: Set(false),
        joined_at: Set(uow.now()),
    };
    groupmembers::Entity::insert(membership)
        .exec_without_returning(uow.db())
        .await
        .map_err(|err| {
            // The group was deleted while this join waited for it: the link is gone with it.
            if storage::is_foreign_key_violation(&err) {
                InviteError::Unknown
            } else {
                err.into()
            }
        })?;

    claim(uow, &invite).await?;

    let leader = leader_of(uow.db(), group.id).await?;
    let name = users::Entity::find_by_id(user)
        .one(uow.db())
        .await?
        .map(|u| shown_name(&u))
        .unwrap_or_default();
    reminders::schedule_for_member(uow.db(), uow.now(), group.id, user).await?;
    uow.record(InviteEvent::Joined {
        group: group.id,
        group_name: group.name.clone(),
        invite: invite.id,
        single_use: invite.is_single_use,
        user,
        name,
        leader,
    });
    Ok(Joined {
        group_id: group.id,
        timezone: crate::groups::Timezone::stored(&group.timezone),
        group_name: group.name,
    })
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
async fn claim(uow: &Uow<'_>, invite: &groupinvitations::Model) -> Result<(), InviteError> {
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
    if update.exec(uow.db()).await?.rows_affected == 1 {
        return Ok(());
    }
    // Someone changed the invitation since it was read: say what happened to it.
    let now = groupinvitations::Entity::find_by_id(invite.id)
        .one(uow.db())
        .await?
        .ok_or(InviteError::Unknown)?;
    check_usable(&now, uow.now())?;
    Err(if invite.is_single_use {
        InviteError::UsedUp
    } else {
        InviteError::Revoked
    })
}

/// The group's time zone.
async fn group_timezone(conn: &impl ConnectionTrait, group: Uuid) -> Result<Timezone, InviteError> {
    let group = groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    Ok(Timezone::stored(&group.timezone))
}

/// «Имя Фамилия (@username)», as far as the user has them.
fn shown_name(user: &users::Model) -> String {
    let name = PersonName::of(user).informal();
    match user.telegram_username.as_deref().filter(|u| !u.is_empty()) {
        Some(username) => format!("{name} (@{username})"),
        None => name,
    }
}
