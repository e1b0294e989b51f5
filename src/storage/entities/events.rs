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

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
    /// The event's author.
    CreatedBy => users: belongs_to(CreatedByUserId => TelegramId, SetNull),
    Viewedevents => viewedevents: has_many,
    Deadlines => deadlines: has_many,
    Queues => queues: has_many,
    Topiclists => topiclists: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
