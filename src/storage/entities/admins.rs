//! `admins`: bot administrators — users who redeemed an access code.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "admins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    /// The code redeemed; `None` once that code is deleted.
    pub code_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
