//! `homework`: a task of a group, due on a class's date (the class it was set for) or on a
//! plain date; published, or proposed by a member and waiting for the leader or an assistant.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "homework")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    /// The weekly class it is due at (`None`: a plain due date, an extra class, or a class
    /// deleted since).
    pub class_id: Option<Uuid>,
    /// The class's subject when it was set (kept if the class is deleted), `None` for a task
    /// without a class.
    #[sea_orm(column_type = "Text", nullable)]
    pub subject: Option<String>,
    /// The subgroup whose class it is (`None`: everyone's).
    pub subgroup: Option<i16>,
    /// The date it is due, in the group's zone (the class's date).
    pub due_date: Date,
    /// When it is due: the class's start, or the end of a plain due date, in UTC.
    pub due_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// `published` or `proposed`.
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub author_id: Option<i64>,
    pub approved_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub approved_at: Option<DateTimeUtc>,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
    Classes => classes: belongs_to(ClassId => Id, SetNull),
    Homeworkfiles => homeworkfiles: has_many,
    Homeworkdone => homeworkdone: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
