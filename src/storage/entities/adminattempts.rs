//! `adminattempts`: every attempt to redeem an admin access code, right or wrong.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "adminattempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: i64,
    pub attempted_at: DateTimeUtc,
    pub succeeded: bool,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
