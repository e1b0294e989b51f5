//! Who may do what: a user's membership in their group (at most one) and role, read from the
//! database at the moment of the check.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::groups::Timezone;

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
    pub timezone: Timezone,
}

impl Membership {
    pub(super) fn of(member: &groupmembers::Model, group: groups::Model) -> Self {
        Self {
            group_id: group.id,
            group_name: group.name,
            role: Role::of(member),
            timezone: Timezone::stored(&group.timezone),
        }
    }

    /// `user_id` looking at their group's screens with this membership.
    pub fn viewer(&self, user_id: i64) -> Viewer {
        Viewer {
            user_id,
            group_id: self.group_id,
            group_name: self.group_name.clone(),
            role: self.role,
            tz: self.timezone.tz(),
        }
    }
}

/// Who looks at a read-only screen: the user, their group and role, the group's time zone.
/// Read from the database when the update arrived (the session's read, or [`viewer`]); a
/// change checks the permission again inside its own transaction ([`require`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub group_id: Uuid,
    pub group_name: String,
    pub role: Role,
    pub tz: Tz,
}

impl Viewer {
    /// Today in the group's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// The viewer's membership as a permission check would return it.
    pub fn member(&self) -> Member {
        Member {
            user_id: self.user_id,
            group_id: self.group_id,
            role: self.role,
        }
    }
}

/// The user's group, role and the group's time zone, read now; `NotInGroup` outside a group.
pub async fn viewer(conn: &impl ConnectionTrait, user_id: i64) -> Result<Viewer, AccessError> {
    membership(conn, user_id)
        .await?
        .map(|membership| membership.viewer(user_id))
        .ok_or(AccessError::NotInGroup)
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
