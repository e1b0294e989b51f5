//! `homeworkfiles`: an attachment of a task, as Telegram sent it (a photo or a document, by
//! its file id), in the order it was sent.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "homeworkfiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub homework_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    /// `photo` or `document`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub file_id: String,
}

relations! {
    Homework => homework: belongs_to(HomeworkId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
