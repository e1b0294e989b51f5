//! `subgroupmembers`: the subgroup a member of a group chose (no row: not chosen, every class
//! is shown). Goes with the membership.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "subgroupmembers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    #[sea_orm(indexed)]
    pub group_id: Uuid,
    pub user_id: i64,
    pub subgroup: i16,
}

relations! {
    Groupmembers => groupmembers: belongs_to(MemberId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
