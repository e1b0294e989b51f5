//! Users as they arrive: registration on every update (names and username follow Telegram
//! until the ФИО is entered), and the mark of a user who blocked the bot.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::access::Membership;
use crate::storage::entities::{dialogues, groupmembers, groups, users};

/// What Telegram tells us about a user, refreshed on every visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramProfile {
    pub id: i64,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub language: Option<String>,
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
    match users::Entity::find_by_id(profile.id).one(db).await? {
        Some(user) => refresh(db, user, profile, now).await,
        None => insert_new(db, profile, now).await,
    }
}

/// A user arriving with an update, as [`arrive`] reads them.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The stored row, registered or refreshed as [`register`] does.
    pub user: users::Model,
    pub membership: Option<Membership>,
    /// The user's half-filled form, as stored (the Telegram side reads it).
    pub dialogue: Option<dialogues::Model>,
}

/// [`register`] and [`membership`] together, plus the user's dialogue row: everything an update
/// needs to know about its sender, in one query (one more only to write a new or stale row).
pub async fn arrive(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<Arrival, DbErr> {
    let found = users::Entity::find_by_id(profile.id)
        .find_also_related(groupmembers::Entity)
        .and_also_related(groups::Entity)
        .find_also(users::Entity, dialogues::Entity)
        .one(db)
        .await?;
    let Some((user, member, group, dialogue)) = found else {
        return Ok(Arrival {
            user: insert_new(db, profile, now).await?,
            membership: None,
            dialogue: None,
        });
    };
    Ok(Arrival {
        user: refresh(db, user, profile, now).await?,
        membership: member
            .zip(group)
            .map(|(member, group)| Membership::of(&member, group)),
        dialogue,
    })
}

/// Brings a stored user up to date with their Telegram profile; writes only when something
/// changed or the activity mark is stale.
async fn refresh(
    db: &impl ConnectionTrait,
    user: users::Model,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
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
    Ok(refreshed)
}

/// Stores a user seen for the first time: one statement, unless their first two updates race
/// (the loser's insert does nothing and reads the winner's row).
async fn insert_new(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    let new_user = users::Model {
        telegram_id: profile.id,
        telegram_username: profile.username.clone(),
        first_name: profile.first_name.clone(),
        last_name: profile.last_name.clone(),
        middle_name: None,
        created_at: now,
        last_active_at: now,
        notification_settings: None,
        language: None,
        is_blocked: false,
        telegram_language: profile.language.clone(),
        has_full_name: false,
    };
    let inserted = users::Entity::insert(users::ActiveModel::from(new_user.clone()))
        .on_conflict(
            OnConflict::column(users::Column::TelegramId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(new_user);
    }
    users::Entity::find_by_id(profile.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {} after insert", profile.id)))
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
