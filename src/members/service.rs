//! Registration of Telegram users and the lookup of their membership and role.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::storage::entities::{groupmembers, groups, users};

/// What Telegram tells us about a user, refreshed on every visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramProfile {
    pub id: i64,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub language: Option<String>,
}

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

/// `last_active_at` is written at most this often per user.
const ACTIVITY_RESOLUTION: Duration = Duration::minutes(1);

/// Registers a new user or refreshes a known one (names, username, last activity) and returns
/// the stored row. Writes only when something changed or the activity mark is stale.
pub async fn register(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    if let Some(user) = users::Entity::find_by_id(profile.id).one(db).await? {
        // Names follow Telegram until the user enters their ФИО in the profile.
        let (first_name, last_name) = if user.has_full_name {
            (user.first_name.clone(), user.last_name.clone())
        } else {
            (profile.first_name.clone(), profile.last_name.clone())
        };
        let same_profile = user.telegram_username == profile.username
            && user.first_name == first_name
            && user.last_name == last_name
            && user.telegram_language == profile.language;
        if same_profile && !user.is_blocked && now - user.last_active_at < ACTIVITY_RESOLUTION {
            return Ok(user);
        }
        let refreshed = users::Model {
            telegram_username: profile.username.clone(),
            first_name,
            last_name,
            telegram_language: profile.language.clone(),
            last_active_at: now,
            // A user who writes to the bot has unblocked it.
            is_blocked: false,
            ..user
        };
        users::Entity::update_many()
            .set(users::ActiveModel {
                telegram_username: Set(refreshed.telegram_username.clone()),
                first_name: Set(refreshed.first_name.clone()),
                last_name: Set(refreshed.last_name.clone()),
                telegram_language: Set(refreshed.telegram_language.clone()),
                last_active_at: Set(now),
                is_blocked: Set(false),
                ..Default::default()
            })
            .filter(users::Column::TelegramId.eq(profile.id))
            .exec(db)
            .await?;
        return Ok(refreshed);
    }
    let new_user = users::ActiveModel {
        telegram_id: Set(profile.id),
        telegram_username: Set(profile.username.clone()),
        first_name: Set(profile.first_name.clone()),
        last_name: Set(profile.last_name.clone()),
        middle_name: Set(None),
        created_at: Set(now),
        last_active_at: Set(now),
        notification_settings: Set(None),
        language: Set(None),
        is_blocked: Set(false),
        telegram_language: Set(profile.language.clone()),
        has_full_name: Set(false),
    };
    // Two first updates of one user may race: the loser's insert does nothing.
    users::Entity::insert(new_user)
        .on_conflict(
            OnConflict::column(users::Column::TelegramId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    users::Entity::find_by_id(profile.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {} after insert", profile.id)))
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
    Ok(found.and_then(|(member, group)| {
        group.map(|group| Membership {
            group_id: group.id,
            group_name: group.name,
            role: Role::of(&member),
        })
    }))
}

/// Marks that the user blocked the bot (Telegram answered 403), so nothing is sent to them
/// until they write again.
pub async fn set_blocked(
    db: &impl ConnectionTrait,
    user_id: i64,
    blocked: bool,
) -> Result<(), DbErr> {
    users::Entity::update_many()
        .set(users::ActiveModel {
            is_blocked: Set(blocked),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
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
