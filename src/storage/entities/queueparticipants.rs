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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::queues::Entity",
        from = "Column::QueueId",
        to = "super::queues::Column::Id",
        on_delete = "Cascade"
    )]
    Queues,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::TelegramId",
        on_delete = "Cascade"
    )]
    Users,
}

related!(
    queues => Queues,
    users => Users,
);

impl ActiveModelBehavior for ActiveModel {}
