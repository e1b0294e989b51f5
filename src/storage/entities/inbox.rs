//! `inbox`: updates received on the webhook, stored before Telegram is answered, handled by
//! the inbox worker.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "inbox")]
pub struct Model {
    /// Telegram's `update_id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub update_id: i64,
    /// The update as Telegram posted it.
    pub payload: Json,
    pub received_at: DateTimeUtc,
    /// An instance's worker took the row until then; a later worker may take it over.
    pub claimed_until: Option<DateTimeUtc>,
    /// `None` until a worker handled the update.
    pub handled_at: Option<DateTimeUtc>,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
