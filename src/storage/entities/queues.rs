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
    /// Joins are refused before this moment; `None`: open at once.
    pub opens_at: Option<DateTimeUtc>,
    /// The presses within this many minutes after `opens_at` are shuffled once (a lottery).
    pub lottery_minutes: Option<i32>,
    /// The lottery's seed, once drawn (see `queues::lottery`).
    pub lottery_seed: Option<i64>,
}

relations! {
    Events => events: belongs_to(EventId => Id, Cascade),
    Queueparticipants => queueparticipants: has_many,
    Queueswaps => queueswaps: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
