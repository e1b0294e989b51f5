//! `queues`: an ordered sign-up queue for an event (e.g. defending a lab).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "queues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// Capacity; `None` means unlimited.
    pub max_participants: Option<i32>,
    pub created_at: DateTimeUtc,
    pub is_closed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::events::Entity",
        from = "Column::EventId",
        to = "super::events::Column::Id",
        on_delete = "Cascade"
    )]
    Events,
    #[sea_orm(has_many = "super::queueparticipants::Entity")]
    Queueparticipants,
}

related!(
    events => Events,
    queueparticipants => Queueparticipants,
);

impl ActiveModelBehavior for ActiveModel {}
