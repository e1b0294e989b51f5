//! `dialogues`: a user's half-filled multi-step form, persisted so it survives restarts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "dialogues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    /// The serialized dialogue state.
    pub state: Json,
    pub updated_at: DateTimeUtc,
}

relations! {
    Users => users: belongs_to(UserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
