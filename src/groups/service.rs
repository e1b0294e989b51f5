//! The rules for groups: use cases that run in a unit of work ([`Uow`]) — creating a group,
//! the leader's settings (name, description, time zone), deleting it — and the settings
//! screen's read. No Telegram types here.

use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::events::{DeletedBy, DeletedGroup, GroupEvent, Setting};
use super::{Description, GroupName, Timezone, repo};
use crate::members::Role;
use crate::members::service::{AccessError, membership, require};
use crate::storage::entities::groups;
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum GroupError {
        /// The user already belongs to a group (a user is in at most one).
        #[error("user is already in group «{group}»")]
        AlreadyInGroup { group: String },
        /// The group is gone, or the request names a group other than the actor's own (a stale
        /// or forged button).
        #[error("the group does not exist or is not the user's group")]
        NotFound,
    }
}

/// A group as the rest of the bot sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub timezone: Timezone,
}

/// What the leader sees on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub group_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub timezone: Timezone,
    pub member_count: u64,
}

/// The settings of the leader's group. Only the leader may see them.
pub async fn settings(db: &DatabaseConnection, actor: i64) -> Result<Settings, GroupError> {
    // Read-only: a plain transaction, for one consistent snapshot without the write lock.
    let txn = db.begin().await?;
    let leader = require(&txn, actor, Role::is_leader).await?;
    let settings = repo::settings(&txn, leader.group_id).await?;
    txn.commit().await?;
    Ok(settings)
}

/// The acting user creates a group and leads it; they must not be in a group yet. Whether they
/// are is the leader's insert's to find (their one membership is a unique key): the usual
/// case, a newcomer, costs no read, and two creations by one user at the same instant leave
/// one group, the other refused.
pub async fn create(
    uow: &mut Uow<'_>,
    name: &GroupName,
    timezone: Timezone,
) -> Result<Group, GroupError> {
    let creator = uow.actor().ok_or(AccessError::NotInGroup)?;
    let group = Group {
        id: Uuid::new_v4(),
        name: name.as_str().to_owned(),
        timezone,
    };
    let row = groups::Model {
        id: group.id,
        name: group.name.clone(),
        description: None,
        created_at: uow.now(),
        creator_id: Some(creator),
        timezone: timezone.name().to_owned(),
        ics_secret: None,
    };
    if !repo::insert(uow.db(), row, creator).await? {
        let group = membership(uow.db(), creator)
            .await?
            .map(|membership| membership.group_name)
            .unwrap_or_default();
        return Err(GroupError::AlreadyInGroup { group });
    }
    uow.record(GroupEvent::Created {
        group: group.id,
        name: group.name.clone(),
        timezone,
    });
    Ok(group)
}

/// Renames the leader's group.
pub async fn rename(uow: &mut Uow<'_>, name: &GroupName) -> Result<Settings, GroupError> {
    let group = change(uow, Setting::Name, Some(name.as_str())).await?;
    repo::settings(uow.db(), group).await
}

/// Sets (`Some`) or removes (`None`) the description of the leader's group.
pub async fn set_description(
    uow: &mut Uow<'_>,
    description: Option<&Description>,
) -> Result<Settings, GroupError> {
    let new = description.map(Description::as_str);
    let group = change(uow, Setting::Description, new).await?;
    repo::settings(uow.db(), group).await
}

/// Sets the time zone of the leader's group; its pending reminders move with it.
pub async fn set_timezone(uow: &mut Uow<'_>, timezone: Timezone) -> Result<Settings, GroupError> {
    let group = change(uow, Setting::Timezone, Some(timezone.name())).await?;
    crate::notifications::reminders::reschedule_group(uow.db(), uow.now(), group).await?;
    repo::settings(uow.db(), group).await
}

/// One settings change of the leader's group: the group row locked, the setting set to `new`
/// and recorded with its old value. Returns the group's id.
async fn change(
    uow: &mut Uow<'_>,
    setting: Setting,
    new: Option<&str>,
) -> Result<Uuid, GroupError> {
    let leader = uow.member(Role::is_leader).await?;
    let group = repo::locked(uow.db(), leader.group_id).await?;
    let (column, old) = match setting {
        Setting::Name => (groups::Column::Name, Some(group.name)),
        Setting::Description => (groups::Column::Description, group.description),
        Setting::Timezone => (groups::Column::Timezone, Some(group.timezone)),
    };
    let new = new.map(str::to_owned);
    repo::set(uow.db(), group.id, column, new.clone()).await?;
    uow.record(GroupEvent::Changed {
        group: group.id,
        setting,
        old: json!(old),
        new: json!(new),
    });
    Ok(group.id)
}

/// The leader deletes their group `group_id` with everything in it. `group_id` comes from a
/// button and is only trusted if it is the actor's own group, as stored now.
pub async fn delete(uow: &mut Uow<'_>, group_id: Uuid) -> Result<DeletedGroup, GroupError> {
    let leader = uow.member(Role::is_leader).await?;
    if leader.group_id != group_id {
        return Err(GroupError::NotFound);
    }
    remove(uow, group_id, DeletedBy::Leader).await
}

/// Deletes group `group_id` (events, queues, topics, invitations, memberships: the foreign
/// keys cascade), for a caller that has checked the actor may: its leader, or a bot
/// administrator. Everyone in the group but the actor is told.
pub async fn remove(
    uow: &mut Uow<'_>,
    group_id: Uuid,
    by: DeletedBy,
) -> Result<DeletedGroup, GroupError> {
    // The row lock makes concurrent joins wait, so nobody joins unseen between the list of
    // members below and the delete.
    let group = repo::locked(uow.db(), group_id).await?;
    let members = repo::member_ids(uow.db(), group_id).await?;
    let actor = uow.actor();
    let former_members: Vec<i64> = members
        .iter()
        .copied()
        .filter(|&id| Some(id) != actor)
        .collect();
    // Reminders of the group's events would outlive them in the outbox, and a half-filled
    // form about the group (an event, say) has nothing left to fill.
    crate::notifications::reminders::cancel_group(uow.db(), group_id).await?;
    repo::clear_dialogues(uow.db(), &former_members).await?;
    repo::delete(uow.db(), group_id).await?;
    let deleted = DeletedGroup {
        group_id,
        name: group.name,
        members: members.len(),
        former_members,
        by,
    };
    uow.record(GroupEvent::Deleted(deleted.clone()));
    Ok(deleted)
}
