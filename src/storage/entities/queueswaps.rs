//! `queueswaps`: a participant's request to swap places with another participant of the same
//! queue, with both places as they were when asked; deleted when answered. One open request per
//! asker and queue (`uq_queueswaps_queue_from_user`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "queueswaps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub queue_id: Uuid,
    /// Who asked, and their place then.
    pub from_user: i64,
    pub from_position: i32,
    /// Whom they asked, and their place then.
    pub to_user: i64,
    pub to_position: i32,
    pub created_at: DateTimeUtc,
}

relations! {
    Queues => queues: belongs_to(QueueId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
