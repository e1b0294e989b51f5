//! `outbox`: a notification waiting to be sent (or the record that it was), see
//! `crate::notifications`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Where the message goes (a user's private chat: their Telegram id).
    pub chat_id: i64,
    /// What it is (`crate::notifications::Kind`), for settings checks at send time and stats.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// The message: `{"text": …, "markup": …}` (`crate::notifications::Payload`).
    pub payload: Json,
    /// Makes scheduling idempotent (`deadline:<id>:1d:<user>`); `None` for one-off notices.
    #[sea_orm(column_type = "Text", nullable, unique)]
    pub dedup_key: Option<String>,
    pub due_at: DateTimeUtc,
    pub attempts: i32,
    /// `pending`, `sending`, `sent`, `failed` or `cancelled`.
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub claimed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub claimed_by: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
