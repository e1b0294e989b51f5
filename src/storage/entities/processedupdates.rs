//! `processedupdates`: Telegram update ids already received, so a redelivered update is
//! handled only once.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "processedupdates")]
pub struct Model {
    /// Telegram's `update_id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub update_id: i64,
    pub received_at: DateTimeUtc,
    /// `None` while the update is still being handled (or its handler crashed).
    pub handled_at: Option<DateTimeUtc>,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
