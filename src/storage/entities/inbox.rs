//! `inbox`: every update received (webhook or polling), stored before Telegram is told it was
//! received, handled by the inbox workers of all instances (see `telegram::inbox`).

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
    /// Whose updates these are (the user, else the chat): one actor's updates are handled one
    /// after another, in `update_id` order.
    pub actor: i64,
    /// The instance holding the row, until `claimed_until` (renewed while it works on it).
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
    /// The update's outcome was decided: its change committed, or its first answer about to be
    /// sent. It is never handled again from here on.
    pub handled_at: Option<DateTimeUtc>,
    /// Finished: the actor's next update may start.
    pub done_at: Option<DateTimeUtc>,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
