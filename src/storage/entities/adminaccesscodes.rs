//! `adminaccesscodes`: codes that grant bot-administrator access. Only a hash of each
//! code is stored.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "adminaccesscodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Hash of the access code (unique).
    #[sea_orm(column_type = "Text", unique)]
    pub code: String,
    pub is_one_time: bool,
    /// `None` means the code never expires.
    pub expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub is_active: bool,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
