//! `groups`: a study group — the unit that owns events, invitations and history.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    /// Who created the group; `None` once that user is deleted.
    pub creator_id: Option<i64>,
    /// IANA time zone name used to interpret the group's dates (default `Europe/Moscow`).
    #[sea_orm(column_type = "Text")]
    pub timezone: String,
    /// Secret part of the group's calendar (ICS) feed URL; unique when set.
    #[sea_orm(column_type = "Text", nullable, unique)]
    pub ics_secret: Option<String>,
}

relations! {
    /// The group's creator.
    Creator => users: belongs_to(CreatorId => TelegramId, SetNull),
    Groupmembers => groupmembers: has_many,
    Groupinvitations => groupinvitations: has_many,
    Events => events: has_many,
    Changelog => changelog: has_many,
}

impl ActiveModelBehavior for ActiveModel {}
