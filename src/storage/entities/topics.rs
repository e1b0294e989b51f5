//! `topics`: one bookable topic in a topic list.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "topics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_list_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// Display order within the list.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::topiclists::Entity",
        from = "Column::TopicListId",
        to = "super::topiclists::Column::Id",
        on_delete = "Cascade"
    )]
    Topiclists,
    #[sea_orm(has_many = "super::topicselections::Entity")]
    Topicselections,
}

related!(
    topiclists => Topiclists,
    topicselections => Topicselections,
);

impl ActiveModelBehavior for ActiveModel {}
