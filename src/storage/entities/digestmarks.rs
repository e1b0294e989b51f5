//! `digestmarks`: how far the digest planner has planned (`evening`, `morning`, `ping`), so a
//! restart or a new sender neither repeats a minute nor skips one.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "digestmarks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub done_until: DateTimeUtc,
}

relations! {}

impl ActiveModelBehavior for ActiveModel {}
