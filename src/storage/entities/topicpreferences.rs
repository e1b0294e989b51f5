//! `topicpreferences`: a student's ranked choices in a topic list collected by preference
//! (rank 1 is the most wanted). Unique per list, student and topic, and per list, student and
//! rank.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "topicpreferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_list_id: Uuid,
    pub user_id: i64,
    pub topic_id: Uuid,
    pub rank: i32,
}

relations! {
    Topiclists => topiclists: belongs_to(TopicListId => Id, Cascade),
}

impl ActiveModelBehavior for ActiveModel {}
