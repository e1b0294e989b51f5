//! `digestsettings`: a user's digests and class pings (no row: the evening digest at 20:00
//! group time, no morning digest, no pings).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "digestsettings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub evening_on: bool,
    /// Minutes after midnight, group time.
    pub evening_minute: i16,
    pub morning_on: bool,
    pub morning_minute: i16,
    /// A ping this many minutes before each class (`None`: off).
    pub ping_minutes: Option<i16>,
}

relations! {
    Users => users: belongs_to(UserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
