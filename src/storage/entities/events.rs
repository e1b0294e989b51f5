//! `events`: a dated entry in a group's calendar (lecture, lab, exam, ...); deadlines,
//! queues and topic lists hang off an event.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    /// Author; `None` once that user is deleted.
    pub created_by_user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub subject: Option<String>,
    /// Calendar day of the event, in the group's time zone.
    pub event_date: Date,
    pub is_important: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::groups::Entity",
        from = "Column::GroupId",
        to = "super::groups::Column::Id",
        on_delete = "Cascade"
    )]
    Groups,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedByUserId",
        to = "super::users::Column::TelegramId",
        on_delete = "SetNull"
    )]
    CreatedBy,
    #[sea_orm(has_many = "super::viewedevents::Entity")]
    Viewedevents,
    #[sea_orm(has_many = "super::deadlines::Entity")]
    Deadlines,
    #[sea_orm(has_many = "super::queues::Entity")]
    Queues,
    #[sea_orm(has_many = "super::topiclists::Entity")]
    Topiclists,
}

related!(
    groups => Groups,
    users => CreatedBy,
    viewedevents => Viewedevents,
    deadlines => Deadlines,
    queues => Queues,
    topiclists => Topiclists,
);

/// The event's author.
impl ActiveModelBehavior for ActiveModel {}
