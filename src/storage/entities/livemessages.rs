//! `livemessages`: a queue or topic list published to the group's chat as one message that is
//! edited as the state changes (the chat's live messages on the Telegram side).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "livemessages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    pub chat_id: i64,
    /// Telegram's message id in `chat_id`.
    pub message_id: i32,
    /// `queue` or `topics`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// The queue's or the topic list's id.
    pub target_id: Uuid,
    pub created_at: DateTimeUtc,
    /// Changed on an instance that is not the sender, and not yet edited: the sender's
    /// editor picks it up (cleared when it does).
    pub touched_at: Option<DateTimeUtc>,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
