//! `queuescreens`: the queue screen a student last opened in their private chat, per queue;
//! edited when their place in the queue changes.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "queuescreens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub queue_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub chat_id: i64,
    /// Telegram's message id in `chat_id`.
    pub message_id: i32,
    /// A fingerprint of what the message shows (text and buttons): an edit that would show the
    /// same is not sent.
    pub shown: i64,
    pub opened_at: DateTimeUtc,
    /// The queue changed on an instance that is not the sender: the sender's editor picks it
    /// up (cleared when it does).
    pub touched_at: Option<DateTimeUtc>,
}

relations! {
    Queues => queues: belongs_to(QueueId => Id, Cascade),
    Users => users: belongs_to(UserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
