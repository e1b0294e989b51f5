//! `groupinvitations`: invite links into a group (single- or multi-use, expiring, revocable).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "groupinvitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    pub invited_by_user_id: i64,
    /// The token carried in the invite link (at most 64 characters, unique).
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub invite_token: String,
    pub expires_at: DateTimeUtc,
    pub is_used: bool,
    pub created_at: DateTimeUtc,
    pub is_single_use: bool,
    pub is_revoked: bool,
    /// How many users joined through this invitation.
    pub use_count: i32,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
    /// The user who created the invitation.
    InvitedBy => users: belongs_to(InvitedByUserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
