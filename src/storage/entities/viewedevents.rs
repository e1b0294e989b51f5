//! `viewedevents`: which user has seen which event (drives "new event" markers).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "viewedevents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: Uuid,
    pub viewed_at: DateTimeUtc,
}

relations! {
    Users => users: belongs_to(UserId => TelegramId, Cascade),
    Events => events: belongs_to(EventId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
