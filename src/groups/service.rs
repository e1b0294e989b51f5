//! The rules for groups. One call = one transaction: permission check from the database,
//! validation, the change, its change-log row, commit.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{Description, GroupName, Timezone};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, require};
use crate::notifications::{Notices, notice};
use crate::storage;
use crate::storage::entities::{dialogues, groupmembers, groups};

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// The user already belongs to a group (a user is in at most one).
    #[error("user is already in group «{group}»")]
    AlreadyInGroup { group: String },
    /// Not in a group, or the role (as stored now) does not allow the action.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The group is gone, or the request names a group other than the actor's own (a stale
    /// or forged button).
    #[error("the group does not exist or is not the user's group")]
    NotFound,
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

/// What the leader sees on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub group_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// IANA name, as stored.
    pub timezone: String,
    pub member_count: u64,
}

/// A deleted group: its name and everyone who was in it except the leader who deleted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedGroup {
    pub group_id: Uuid,
    pub name: String,
    pub former_members: Vec<i64>,
    /// The outbox rows written with the deletion.
    pub notices: Vec<Uuid>,
}

/// The settings of the leader's group. Only the leader may see them.
pub async fn settings(db: &DatabaseConnection, actor: i64) -> Result<Settings, GroupError> {
    // Read-only: a plain transaction, for one consistent snapshot without the write lock.
    let txn = db.begin().await?;
    let leader = require(&txn, actor, Role::is_leader).await?;
    let settings = settings_of(&txn, leader.group_id).await?;
    txn.commit().await?;
    Ok(settings)
}

/// Renames the leader's group.
pub async fn rename(
    db: &DatabaseConnection,
    actor: i64,
    name: &GroupName,
) -> Result<Settings, GroupError> {
    let new = name.as_str().to_owned();
    change_setting(db, actor, "group.rename", |group| {
        let old = json!(group.name);
        let change = groups::ActiveModel {
            name: Set(new.clone()),
            ..Default::default()
        };
        (change, old, json!(new))
    })
    .await
}

/// Sets (`Some`) or removes (`None`) the description of the leader's group.
pub async fn set_description(
    db: &DatabaseConnection,
    actor: i64,
    description: Option<&Description>,
) -> Result<Settings, GroupError> {
    let new = description.map(|d| d.as_str().to_owned());
    change_setting(db, actor, "group.description", |group| {
        let old = json!(group.description);
        let change = groups::ActiveModel {
            description: Set(new.clone()),
            ..Default::default()
        };
        (change, old, json!(new))
    })
    .await
}

/// Sets the time zone of the leader's group; its pending reminders move with it (`now`: the
/// notifications' clock).
pub async fn set_timezone(
    db: &DatabaseConnection,
    actor: i64,
    timezone: Timezone,
    now: DateTime<Utc>,
) -> Result<Settings, GroupError> {
    let new = timezone.name().to_owned();
    let txn = storage::begin_write(db).await?;
    let group = apply_setting(&txn, actor, "group.timezone", |group| {
        let old = json!(group.timezone);
        let change = groups::ActiveModel {
            timezone: Set(new.clone()),
            ..Default::default()
        };
        (change, old, json!(new))
    })
    .await?;
    crate::notifications::reminders::reschedule_group(&txn, now, group).await?;
    let settings = settings_of(&txn, group).await?;
    txn.commit().await?;
    Ok(settings)
}

/// One settings change of the leader's group: the leader re-checked, the group row locked,
/// `change` (given the current row: the columns to set, the old and the new value) applied and
/// logged as `action`, all in one transaction.
async fn change_setting(
    db: &DatabaseConnection,
    actor: i64,
    action: &'static str,
    change: impl FnOnce(&groups::Model) -> (groups::ActiveModel, serde_json::Value, serde_json::Value),
) -> Result<Settings, GroupError> {
    let txn = storage::begin_write(db).await?;
    let group = apply_setting(&txn, actor, action, change).await?;
    let settings = settings_of(&txn, group).await?;
    txn.commit().await?;
    Ok(settings)
}

/// The body of [`change_setting`] inside the caller's transaction; returns the group's id.
async fn apply_setting(
    txn: &impl ConnectionTrait,
    actor: i64,
    action: &'static str,
    change: impl FnOnce(&groups::Model) -> (groups::ActiveModel, serde_json::Value, serde_json::Value),
) -> Result<Uuid, GroupError> {
    let leader = require(txn, actor, Role::is_leader).await?;
    let group = locked_group(txn, leader.group_id).await?;
    let (columns, old, new) = change(&group);
    groups::Entity::update_many()
        .set(columns)
        .filter(groups::Column::Id.eq(group.id))
        .exec(txn)
        .await?;
    changelog::record(
        txn,
        Change {
            actor: Some(actor),
            group: Some(group.id),
            action,
            entity_type: "group",
            entity_id: group.id.to_string(),
            details: json!({ "old": old, "new": new }),
        },
    )
    .await?;
    Ok(group.id)
}

/// Deletes the leader's group `group_id` with everything in it (events, queues, topics,
/// invitations, memberships: the foreign keys cascade). `group_id` comes from a button and is
/// only trusted if it is the actor's own group, as stored now.
pub async fn delete(
    db: &DatabaseConnection,
    actor: i64,
    group_id: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<DeletedGroup>,
) -> Result<DeletedGroup, GroupError> {
    let txn = storage::begin_write(db).await?;
    let leader = require(&txn, actor, Role::is_leader).await?;
    if leader.group_id != group_id {
        return Err(GroupError::NotFound);
    }
    let deleted = delete_in(&txn, actor, group_id, false, now, notices).await?;
    txn.commit().await?;
    Ok(deleted)
}

/// Deletes group `group_id` inside `txn`, whose caller has already checked that `actor` may:
/// the group's leader, or (`by_admin`) a bot administrator. The change-log row says which.
/// Everyone in the group but the actor is a former member to tell.
pub async fn delete_in(
    txn: &impl ConnectionTrait,
    actor: i64,
    group_id: Uuid,
    by_admin: bool,
    now: DateTime<Utc>,
    notices: impl Notices<DeletedGroup>,
) -> Result<DeletedGroup, GroupError> {
    // The row lock makes concurrent joins wait, so nobody joins unseen between the list of
    // members below and the delete.
    let group = locked_group(txn, group_id).await?;
    let members: Vec<i64> = groupmembers::Entity::find()
        .select_only()
        .column(groupmembers::Column::UserId)
        .filter(groupmembers::Column::GroupId.eq(group_id))
        .into_tuple()
        .all(txn)
        .await?;
    let count = members.len();
    let former_members: Vec<i64> = members.into_iter().filter(|&id| id != actor).collect();
    // Reminders of the group's events would outlive them in the outbox, and a half-filled
    // form about the group (an event, say) has nothing left to fill.
    crate::notifications::reminders::cancel_group(txn, group_id).await?;
    dialogues::Entity::delete_many()
        .filter(dialogues::Column::UserId.is_in(former_members.iter().copied()))
        .exec(txn)
        .await?;
    // Written before the delete: the row's group reference then becomes NULL with the group,
    // and the details keep the id.
    changelog::record(
        txn,
        Change {
            actor: Some(actor),
            group: Some(group_id),
            action: if by_admin {
                "admin.group_delete"
            } else {
                "group.delete"
            },
            entity_type: "group",
            entity_id: group_id.to_string(),
            details: json!({
                "group_id": group_id.to_string(),
                "name": group.name,
                "members": count,
            }),
        },
    )
    .await?;
    let deleted = groups::Entity::delete_by_id(group_id).exec(txn).await?;
    if deleted.rows_affected != 1 {
        return Err(GroupError::NotFound);
    }
    let mut deleted = DeletedGroup {
        group_id,
        name: group.name,
        former_members,
        notices: Vec::new(),
    };
    deleted.notices = notice::write(txn, now, notices(&deleted)).await?;
    Ok(deleted)
}

/// The group row, locked for update until the transaction ends (PostgreSQL; SQLite's write
/// transaction already excludes other writers).
async fn locked_group(
    conn: &impl ConnectionTrait,
    group_id: Uuid,
) -> Result<groups::Model, GroupError> {
    groups::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(GroupError::NotFound)
}

async fn settings_of(conn: &impl ConnectionTrait, group_id: Uuid) -> Result<Settings, GroupError> {
    let group = groups::Entity::find_by_id(group_id)
        .one(conn)
        .await?
        .ok_or(GroupError::NotFound)?;
    let member_count = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group_id))
        .count(conn)
        .await?;
    Ok(Settings {
        group_id,
        name: group.name,
        description: group.description,
        timezone: group.timezone,
        member_count,
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
