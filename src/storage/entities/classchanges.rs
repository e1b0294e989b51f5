//! `classchanges`: a change to one date of a group's timetable — a class cancelled or moved on
//! that date, or an extra class.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "classchanges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    /// The class cancelled or moved; `None` for an extra class.
    pub class_id: Option<Uuid>,
    /// The date changed: the class's date that is cancelled or moved, the extra class's date.
    pub on_date: Date,
    /// `cancel`, `move` or `extra`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// Where a moved class goes, and an extra class's pair.
    pub new_date: Option<Date>,
    pub new_pair: Option<i16>,
    #[sea_orm(column_type = "Text", nullable)]
    pub new_room: Option<String>,
    /// An extra class's subject, kind, teacher and subgroup.
    #[sea_orm(column_type = "Text", nullable)]
    pub subject: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub class_kind: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub teacher: Option<String>,
    pub subgroup: Option<i16>,
    pub created_at: DateTimeUtc,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
    Classes => classes: belongs_to(ClassId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
