//! `classes`: one class of a group's weekly timetable (weekday, pair, subject, kind, teacher,
//! room, which weeks, which subgroup).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "classes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub group_id: Uuid,
    /// ISO weekday, 1 = Monday.
    pub weekday: i16,
    /// The pair's number in the day, 1-based.
    pub pair: i16,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// `lecture`, `practice` or `lab`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub teacher: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub room: Option<String>,
    /// `every`, `odd`, `even` or `dates` (then `dates` lists them).
    #[sea_orm(column_type = "Text")]
    pub weeks: String,
    pub dates: Option<Json>,
    /// 1–9, `None` for the whole group.
    pub subgroup: Option<i16>,
    pub created_at: DateTimeUtc,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
    Classchanges => classchanges: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
