//! `topiclists`: a list of topics (essays, projects, ...) students book for an event.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "topiclists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    /// How many students may take the same topic.
    pub max_participants_per_topic: i32,
    /// Author; `None` once that user is deleted.
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    /// By preference: each student ranks up to this many topics; `None`: first come.
    pub choices: Option<i32>,
    /// By preference: rankings are collected until then, then topics are assigned.
    pub preference_deadline: Option<DateTimeUtc>,
    /// The seed of the assignment, once made (see `topics::preferences`).
    pub allocation_seed: Option<i64>,
}

relations! {
    Events => events: belongs_to(EventId => Id, Cascade),
    /// The list's author.
    CreatedBy => users: belongs_to(CreatedByUserId => TelegramId, SetNull),
    Topics => topics: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
