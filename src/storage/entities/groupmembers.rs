//! `groupmembers`: membership of a user in a group, with their role in it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "groupmembers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique: a user belongs to at most one group (`uq_groupmembers_user`).
    #[sea_orm(unique)]
    pub user_id: i64,
    #[sea_orm(indexed)]
    pub group_id: Uuid,
    pub is_leader: bool,
    pub is_assistant: bool,
    pub joined_at: DateTimeUtc,
}

relations! {
    Users => users: belongs_to(UserId => TelegramId, Cascade),
    Groups => groups: belongs_to(GroupId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
