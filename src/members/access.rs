//! Who may do what: a user's membership in their group (at most one) and role, read from the
//! database at the moment of the check.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::storage::entities::{groupmembers, groups};

/// A user's role in their group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leader,
    Assistant,
    Member,
}

impl Role {
    /// Leader and assistants run the group's calendar, queues, topics and invites.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Leader | Role::Assistant)
    }

    pub fn is_leader(self) -> bool {
        self == Role::Leader
    }

    pub fn of(member: &groupmembers::Model) -> Self {
        if member.is_leader {
            Role::Leader
        } else if member.is_assistant {
            Role::Assistant
        } else {
            Role::Member
        }
    }
}

/// The group a user belongs to (a user belongs to at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub group_id: Uuid,
    pub group_name: String,
    pub role: Role,
}

impl Membership {
    pub(super) fn of(member: &groupmembers::Model, group: groups::Model) -> Self {
        Self {
            group_id: group.id,
            group_name: group.name,
            role: Role::of(member),
        }
    }
}

/// The user's group and role, read from the database at the moment of the call.
pub async fn membership(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<Membership>, DbErr> {
    let found = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .find_also_related(groups::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(member, group)| group.map(|group| Membership::of(&member, group))))
}

/// A user's membership as stored, for permission checks inside a service's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    pub group_id: Uuid,
    pub role: Role,
}

/// Why an action was refused before anything changed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("the user is not in a group")]
    NotInGroup,
    #[error("the user's role does not allow this")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The user's membership, read through `conn` (use the service's transaction).
pub async fn member(conn: &impl ConnectionTrait, user_id: i64) -> Result<Option<Member>, DbErr> {
    let row = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .one(conn)
        .await?;
    Ok(row.map(|row| Member {
        user_id: row.user_id,
        group_id: row.group_id,
        role: Role::of(&row),
    }))
}

/// The acting user's membership if their role, as stored right now, passes `allowed`.
pub async fn require(
    conn: &impl ConnectionTrait,
    user_id: i64,
    allowed: fn(Role) -> bool,
) -> Result<Member, AccessError> {
    let member = member(conn, user_id)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    if allowed(member.role) {
        Ok(member)
    } else {
        Err(AccessError::Forbidden)
    }
}
