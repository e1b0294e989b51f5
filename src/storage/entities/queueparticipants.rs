//! `queueparticipants`: a user's place in a queue.
//!
//! Both `(queue_id, user_id)` and `(queue_id, position)` are unique, and SQLite and
//! PostgreSQL check uniqueness row by row: renumbering places must not pass through a
//! duplicate (e.g. move rows to negative positions first, then to their final ones).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "queueparticipants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub queue_id: Uuid,
    pub user_id: i64,
    /// Place in the queue; unique per queue (`uq_queueparticipants_queue_position`).
    pub position: i32,
    pub joined_at: DateTimeUtc,
    /// «🚶 Отошёл»: since when the participant is away; «Следующий» skips them.
    pub away_since: Option<DateTimeUtc>,
    /// How many turns they were skipped while away.
    pub skipped: i32,
}

relations! {
    Queues => queues: belongs_to(QueueId => Id, Cascade),
    Users => users: belongs_to(UserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
