//! `topicselections`: a user's booking of a topic, optionally confirmed by a leader.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "topicselections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub user_id: i64,
    pub selected_at: DateTimeUtc,
    pub is_confirmed: bool,
    /// Who confirmed the booking; `None` if unconfirmed or that user is deleted.
    pub confirmed_by_user_id: Option<i64>,
}

relations! {
    Topics => topics: belongs_to(TopicId => Id, Cascade),
    /// The user who made the booking.
    Users => users: belongs_to(UserId => TelegramId, Cascade),
    /// The user who confirmed it (not `Related`: `users` is reached through `Users`).
    ConfirmedBy => users: belongs_to(ConfirmedByUserId => TelegramId, SetNull) not_related,
}

impl ActiveModelBehavior for ActiveModel {}
