//! `homeworkdone`: a student ticked a task «✅ Сделано» (for themselves only).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "homeworkdone")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub homework_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub done_at: DateTimeUtc,
}

relations! {
    Homework => homework: belongs_to(HomeworkId => Id, Cascade),
    Users => users: belongs_to(UserId => TelegramId, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
