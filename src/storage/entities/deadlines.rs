//! `deadlines`: a due moment attached to an event (reminders are scheduled from these).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "deadlines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub event_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(indexed)]
    pub deadline_at: DateTimeUtc,
}

relations! {
    Events => events: belongs_to(EventId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
