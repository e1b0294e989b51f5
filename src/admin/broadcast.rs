//! Broadcasts: an admin's text to every user of the bot, or to every group's leader. The text
//! follows an announcement's rules (not blank, at most 3500 characters, so the heading and
//! escaping still fit Telegram's 4096), checked once at the edge.
//!
//! A broadcast may go to thousands: the use case writes its outbox rows itself, one statement
//! for all, and the sender worker sends them within Telegram's limits.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

pub use crate::notifications::announcements::{
    AnnouncementText as BroadcastText, AnnouncementTextError as BroadcastTextError,
};

use super::access::require_admin;
use super::events::AdminEvent;
use super::service::AdminError;
use crate::notifications::{self, Kind, Text};
use crate::storage::entities::{groupmembers, users};
use crate::uow::Uow;

/// Who a broadcast goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Everyone who has not blocked the bot.
    All,
    /// The leaders of every group.
    Leaders,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Leaders => "leaders",
        }
    }
}

/// The broadcast as its recipients read it (the admin's preview shows the same).
pub fn message(text: &BroadcastText) -> Text {
    Text::new("admin-broadcast-message").user("text", text.as_str())
}

/// Sends `text` to `audience`: one outbox row per recipient (rendered in their language when
/// sent) and the change-log row. Returns how many were written; the caller wakes the sender.
pub async fn broadcast(
    uow: &mut Uow<'_>,
    audience: Audience,
    text: &BroadcastText,
) -> Result<usize, AdminError> {
    require_admin(uow.db(), uow.actor()).await?;
    let mut query = users::Entity::find()
        .select_only()
        .column(users::Column::TelegramId)
        .filter(users::Column::IsBlocked.eq(false));
    if audience == Audience::Leaders {
        let leaders: Vec<i64> = groupmembers::Entity::find()
            .select_only()
            .column(groupmembers::Column::UserId)
            .filter(groupmembers::Column::IsLeader.eq(true))
            .into_tuple()
            .all(uow.db())
            .await?;
        query = query.filter(users::Column::TelegramId.is_in(leaders));
    }
    let recipients: Vec<i64> = query
        .order_by_asc(users::Column::TelegramId)
        .into_tuple()
        .all(uow.db())
        .await?;
    let messages: Vec<notifications::Message> = recipients
        .iter()
        .map(|&user| notifications::Message::now(user, Kind::Announcement, message(text)))
        .collect();
    notifications::outbox::enqueue(uow.db(), uow.now(), messages).await?;
    uow.record(AdminEvent::Broadcast {
        id: Uuid::new_v4(),
        audience,
        recipients: recipients.len(),
        text: text.as_str().to_owned(),
    });
    Ok(recipients.len())
}
