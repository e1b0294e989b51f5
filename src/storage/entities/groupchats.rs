//! `groupchats`: the Telegram group chat a study group is bound to (one chat per group, one
//! group per chat), see `crate::chats`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "groupchats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique (`uq_groupchats_group`).
    #[sea_orm(unique)]
    pub group_id: Uuid,
    /// Telegram's chat id (negative); unique (`uq_groupchats_chat`).
    #[sea_orm(unique)]
    pub chat_id: i64,
    /// The chat's title when it was bound.
    #[sea_orm(column_type = "Text")]
    pub title: String,
    /// The leader who bound it.
    pub bound_by: Option<i64>,
    pub bound_at: DateTimeUtc,
    /// Reminders are posted to the chat as well.
    pub post_reminders: bool,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
