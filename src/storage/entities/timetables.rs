//! `timetables`: a group's semester (first and last day, the parity of its first week) and
//! bell schedule, whether changes and the evening digest are posted to the group chat; one row a group, made when the
//! semester is first set.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "timetables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: Uuid,
    pub first_day: Date,
    pub last_day: Date,
    /// Whether the week of the first day is odd (числитель).
    pub first_week_odd: bool,
    /// The bell schedule (`timetable::Bells`), `null` for the common default.
    pub bells: Option<Json>,
    pub updated_at: DateTimeUtc,
    /// The next day's changes are posted to the group's bound chat in the evening.
    pub post_changes: bool,
    /// The evening digest (tomorrow's classes, homework, deadlines) is posted to the group's
    /// bound chat too.
    pub post_digest: bool,
}

relations! {
    Groups => groups: belongs_to(GroupId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
