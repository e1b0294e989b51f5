//! The per-update view of who is acting: registered (or refreshed) user, locale, membership and
//! dialogue, all read from the database when the update arrives.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use teloxide::types::{ChatId, User};

use super::dialogue::{self, Dialogue};
use super::keyboards::MenuButton;
use super::texts::Locale;
use crate::members::service::{AccessError, Viewer};
use crate::members::{self, Membership, TelegramProfile};

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    /// Where replies go: the private chat with the user.
    pub chat: ChatId,
    pub locale: Locale,
    pub membership: Option<Membership>,
    pub dialogue: Dialogue,
}

impl Session {
    /// The user looking at their group's screens, as this update's read of their membership
    /// found them: read-only screens need not read it again. `NotInGroup` outside a group.
    pub fn viewer(&self) -> Result<Viewer, AccessError> {
        self.membership
            .as_ref()
            .map(|membership| membership.viewer(self.user_id))
            .ok_or(AccessError::NotInGroup)
    }

    /// Registers or refreshes `user` and reads their membership and dialogue. `text` is the
    /// message text, if any: a main-menu button leaves a dialogue that holds no draft (a form
    /// with one is asked about first, see `telegram::forms`).
    pub async fn load(
        db: &impl ConnectionTrait,
        user: &User,
        chat: ChatId,
        text: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, DbErr> {
        let profile = profile_of(user);
        let arrival = members::service::arrive(db, &profile, now).await?;
        let locale = Locale::of_user(&arrival.user);
        let membership = arrival.membership;
        let mut dialogue = dialogue::parse(profile.id, arrival.dialogue);
        let navigates_away = text
            .and_then(MenuButton::parse)
            .is_some_and(|button| button != MenuButton::Cancel);
        if dialogue != Dialogue::Idle && !super::forms::holds_draft(&dialogue) && navigates_away {
            dialogue::clear(db, profile.id).await?;
            dialogue = Dialogue::Idle;
        }
        Ok(Self {
            user_id: profile.id,
            chat,
            locale,
            membership,
            dialogue,
        })
    }
}

/// Telegram ids fit in 52 bits, so the conversion never fails in practice.
pub fn user_id(user: &User) -> i64 {
    i64::try_from(user.id.0).unwrap_or(i64::MAX)
}

fn profile_of(user: &User) -> TelegramProfile {
    TelegramProfile {
        id: user_id(user),
        username: user.username.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        language: user.language_code.clone(),
    }
}

/// The locale of any stored user (to notify someone other than the acting user).
pub async fn locale_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Locale, DbErr> {
    use sea_orm::EntityTrait;
    let user = crate::storage::entities::users::Entity::find_by_id(user_id)
        .one(db)
        .await?;
    Ok(user.as_ref().map(Locale::of_user).unwrap_or_default())
}
