//! The rules for groups. One call = one transaction: permission check from the database,
//! validation, the change, its change-log row, commit.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::GroupName;
use crate::changelog::{self, Change};
use crate::storage;
use crate::storage::entities::{groupmembers, groups};

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// The user already belongs to a group (a user is in at most one).
    #[error("user is already in group «{group}»")]
    AlreadyInGroup { group: String },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A group as the rest of the bot sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
}

impl From<groups::Model> for Group {
    fn from(model: groups::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            timezone: model.timezone,
        }
    }
}

/// Creates a group led by `creator`, who must not be in a group yet.
pub async fn create(
    db: &DatabaseConnection,
    creator: i64,
    name: &GroupName,
    timezone: &str,
) -> Result<Group, GroupError> {
    let txn = storage::begin_write(db).await?;
    if let Some(group) = current_group_of(&txn, creator).await? {
        return Err(GroupError::AlreadyInGroup { group: group.name });
    }
    let now = Utc::now();
    let group_id = Uuid::new_v4();
    let group = groups::ActiveModel {
        id: Set(group_id),
        name: Set(name.as_str().to_owned()),
        description: Set(None),
        created_at: Set(now),
        creator_id: Set(Some(creator)),
        timezone: Set(timezone.to_owned()),
        ics_secret: Set(None),
    };
    groups::Entity::insert(group)
        .exec_without_returning(&txn)
        .await?;
    let leader = groupmembers::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(creator),
        group_id: Set(group_id),
        is_leader: Set(true),
        is_assistant: Set(false),
        joined_at: Set(now),
    };
    match groupmembers::Entity::insert(leader)
        .exec_without_returning(&txn)
        .await
    {
        Ok(_) => {}
        // The same user creating two groups at the same instant: the database keeps one.
        Err(err) if storage::is_unique_violation(&err) => {
            drop(txn);
            let group = current_group_of(db, creator).await?.map(|g| g.name);
            return Err(GroupError::AlreadyInGroup {
                group: group.unwrap_or_default(),
            });
        }
        Err(err) => return Err(err.into()),
    }
    changelog::record(
        &txn,
        Change {
            actor: Some(creator),
            group: Some(group_id),
            action: "group.create",
            entity_type: "group",
            entity_id: group_id.to_string(),
            details: json!({ "name": name.as_str(), "timezone": timezone }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Group {
        id: group_id,
        name: name.as_str().to_owned(),
        timezone: timezone.to_owned(),
    })
}

async fn current_group_of(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
) -> Result<Option<groups::Model>, DbErr> {
    let found = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .find_also_related(groups::Entity)
        .one(conn)
        .await?;
    Ok(found.and_then(|(_, group)| group))
}
