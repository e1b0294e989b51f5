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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::topics::Entity",
        from = "Column::TopicId",
        to = "super::topics::Column::Id",
        on_delete = "Cascade"
    )]
    Topics,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::TelegramId",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::ConfirmedByUserId",
        to = "super::users::Column::TelegramId",
        on_delete = "SetNull"
    )]
    ConfirmedBy,
}

related!(
    topics => Topics,
    users => Users,
);

/// The user who made the booking (use [`Relation::ConfirmedBy`] for the confirmer).
impl ActiveModelBehavior for ActiveModel {}
