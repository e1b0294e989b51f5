//! `users`: every Telegram user who has talked to the bot, keyed by Telegram user id.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// The Telegram user id (assigned by Telegram, never generated here).
    #[sea_orm(primary_key, auto_increment = false)]
    pub telegram_id: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub telegram_username: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub first_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub middle_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_active_at: DateTimeUtc,
    pub notification_settings: Option<Json>,
    /// Interface language chosen in the profile (`ru`/`en`); `None` follows Telegram.
    #[sea_orm(column_type = "Text", nullable)]
    pub language: Option<String>,
    /// The user has blocked the bot; messages to them fail.
    pub is_blocked: bool,
    /// The language of the user's Telegram client, as last seen.
    #[sea_orm(column_type = "Text", nullable)]
    pub telegram_language: Option<String>,
    /// The user entered their ФИО in the profile: `last_name`/`first_name`/`middle_name` are
    /// theirs and no longer follow the Telegram profile.
    pub has_full_name: bool,
}

relations! {
    /// The user's group membership (a user is in at most one group).
    Groupmembers => groupmembers: has_one,
    Viewedevents => viewedevents: has_many,
    Queueparticipants => queueparticipants: has_many,
    Topicselections => topicselections: has_many,
    Dialogues => dialogues: has_one,
}

impl ActiveModelBehavior for ActiveModel {}
