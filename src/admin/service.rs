//! The rules of the bot's administration: the panel's reads (statistics, groups, the change
//! log) and deleting a group; access codes are in [`access`](super::access), broadcasts in
//! [`broadcast`](super::broadcast). Every call by an admin re-checks from the database that
//! the actor is one.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::access::{admin_read, require_admin};
use crate::groups::{DeletedBy, DeletedGroup, GroupError, Timezone};
use crate::members::service::require;
use crate::members::{PersonName, Role};
use crate::storage::entities::{changelog as log, events, groupmembers, groups, users};
use crate::uow::{Uow, use_case_error};

/// Rows per page of the group list and of the change log.
pub const PAGE_SIZE: u64 = 10;
/// Members shown on a group's card.
const CARD_MEMBERS: u64 = 40;

use_case_error! {
    pub enum AdminError {
        /// The actor is not a bot administrator (as stored now).
        #[error("the user is not an administrator")]
        NotAdmin,
        /// No active, unexpired code matches (unknown, deactivated, used up or expired).
        #[error("the access code is not valid")]
        WrongCode,
        /// Too many wrong codes within the window: not checked at all.
        #[error("too many wrong access codes")]
        TooManyAttempts,
        /// The code or group is gone (a stale or forged button).
        #[error("not found")]
        NotFound,
        /// The broadcast's confirmation came without a composed text (already sent, cancelled).
        #[error("nothing to broadcast")]
        NothingToSend,
    }
    wrapping Group(GroupError);
    retry through Group
}

// ----- statistics and groups ----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub users: u64,
    pub groups: u64,
    pub events: u64,
    /// Users who wrote to the bot in the last 7 days (`users.last_active_at`).
    pub active_7d: u64,
}

/// The bot's numbers at `now`.
pub async fn stats(
    db: &DatabaseConnection,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Stats, AdminError> {
    let txn = admin_read(db, actor).await?;
    let since = now - Duration::days(7);
    let stats = Stats {
        users: users::Entity::find().count(&txn).await?,
        groups: groups::Entity::find().count(&txn).await?,
        events: events::Entity::find().count(&txn).await?,
        active_7d: users::Entity::find()
            .filter(users::Column::LastActiveAt.gte(since))
            .count(&txn)
            .await?,
    };
    txn.commit().await?;
    Ok(stats)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: Uuid,
    pub name: String,
    pub members: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupsPage {
    pub groups: Vec<GroupRow>,
    /// Groups matching (all of them without a search).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// The groups by name, [`PAGE_SIZE`] a page; `search` keeps those whose name contains it
/// (case-insensitively, Cyrillic included — done here rather than by the databases, whose
/// `LIKE`/`lower` differ on non-ASCII letters; the number of groups is small).
pub async fn groups_page(
    db: &DatabaseConnection,
    actor: i64,
    search: Option<&str>,
    page: u64,
) -> Result<GroupsPage, AdminError> {
    let txn = admin_read(db, actor).await?;
    let all: Vec<(Uuid, String)> = groups::Entity::find()
        .select_only()
        .column(groups::Column::Id)
        .column(groups::Column::Name)
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let needle = search.map(str::to_lowercase);
    let matching: Vec<(Uuid, String)> = all
        .into_iter()
        .filter(|(_, name)| {
            needle
                .as_deref()
                .is_none_or(|needle| name.to_lowercase().contains(needle))
        })
        .collect();
    let total = matching.len() as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let mut rows = Vec::new();
    for (id, name) in matching
        .into_iter()
        .skip((page * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
    {
        let members = groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(id))
            .count(&txn)
            .await?;
        rows.push(GroupRow { id, name, members });
    }
    txn.commit().await?;
    Ok(GroupsPage {
        groups: rows,
        total,
        page,
        pages,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMember {
    pub name: String,
    pub role: Role,
}

/// A group as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCard {
    pub id: Uuid,
    pub name: String,
    pub timezone: Timezone,
    pub created_at: DateTime<Utc>,
    pub member_count: u64,
    /// The leader first, then assistants, then members by name; at most [`CARD_MEMBERS`].
    pub members: Vec<CardMember>,
    pub event_count: u64,
}

pub async fn group_card(
    db: &DatabaseConnection,
    actor: i64,
    group: Uuid,
) -> Result<GroupCard, AdminError> {
    let txn = admin_read(db, actor).await?;
    let row = groups::Entity::find_by_id(group)
        .one(&txn)
        .await?
        .ok_or(AdminError::NotFound)?;
    let rows = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .find_also_related(users::Entity)
        .all(&txn)
        .await?;
    let member_count = rows.len() as u64;
    let mut members: Vec<CardMember> = rows
        .into_iter()
        .map(|(member, user)| CardMember {
            name: user
                .as_ref()
                .map(|user| PersonName::of(user).full())
                .unwrap_or_default(),
            role: Role::of(&member),
        })
        .collect();
    let rank = |role: Role| match role {
        Role::Leader => 0,
        Role::Assistant => 1,
        Role::Member => 2,
    };
    members.sort_by(|a, b| {
        rank(a.role)
            .cmp(&rank(b.role))
            .then_with(|| a.name.cmp(&b.name))
    });
    members.truncate(CARD_MEMBERS as usize);
    let event_count = events::Entity::find()
        .filter(events::Column::GroupId.eq(group))
        .count(&txn)
        .await?;
    txn.commit().await?;
    Ok(GroupCard {
        id: row.id,
        name: row.name,
        timezone: Timezone::stored(&row.timezone),
        created_at: row.created_at,
        member_count,
        members,
        event_count,
    })
}

/// An admin deletes any group, as its leader would (the same cascade, the former members
/// told), with an `admin.group_delete` change-log row.
pub async fn delete_group(uow: &mut Uow<'_>, group: Uuid) -> Result<DeletedGroup, AdminError> {
    require_admin(uow.db(), uow.actor()).await?;
    crate::groups::service::remove(uow, group, DeletedBy::Admin)
        .await
        .map_err(|err| match err {
            GroupError::NotFound => AdminError::NotFound,
            other => other.into(),
        })
}

// ----- the change log -----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// Who did it (display name), if known.
    pub actor: Option<String>,
    pub action: String,
    /// The event, queue or topic list it was about, if any.
    pub subject: Option<super::history::Subject>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The group whose history this is (`None`: the whole bot's).
    pub group: Option<(Uuid, String)>,
    /// The time zone to show times in: the group's, else UTC.
    pub timezone: Timezone,
    pub entries: Vec<HistoryEntry>,
    pub page: u64,
    pub pages: u64,
}

/// The leader's own group's history, newest first. The group is the actor's, as stored now:
/// no id comes from the client.
pub async fn group_history(
    db: &DatabaseConnection,
    actor: i64,
    page: u64,
) -> Result<History, AdminError> {
    let txn = db.begin().await?;
    let leader = require(&txn, actor, Role::is_leader).await?;
    let history = history_of(&txn, Some(leader.group_id), page).await?;
    txn.commit().await?;
    Ok(history)
}

/// The change log for an admin: everything, or one group's rows.
pub async fn changelog(
    db: &DatabaseConnection,
    actor: i64,
    group: Option<Uuid>,
    page: u64,
) -> Result<History, AdminError> {
    let txn = admin_read(db, actor).await?;
    let history = history_of(&txn, group, page).await?;
    txn.commit().await?;
    Ok(history)
}

async fn history_of(
    conn: &impl ConnectionTrait,
    group: Option<Uuid>,
    page: u64,
) -> Result<History, AdminError> {
    let group_row = match group {
        Some(id) => Some(
            groups::Entity::find_by_id(id)
                .one(conn)
                .await?
                .ok_or(AdminError::NotFound)?,
        ),
        None => None,
    };
    let mut query = log::Entity::find();
    if let Some(id) = group {
        query = query.filter(log::Column::GroupId.eq(id));
    }
    let total = query.clone().count(conn).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let rows = query
        .order_by_desc(log::Column::Id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .find_also_related(users::Entity)
        .all(conn)
        .await?;
    let logged: Vec<log::Model> = rows.iter().map(|(row, _)| row.clone()).collect();
    let subjects = super::history::subjects(conn, &logged).await?;
    let entries = rows
        .into_iter()
        .zip(subjects)
        .map(|((row, user), subject)| HistoryEntry {
            at: row.changed_at,
            actor: user.as_ref().map(|user| PersonName::of(user).full()),
            action: row.action_type,
            subject,
        })
        .collect();
    Ok(History {
        timezone: group_row
            .as_ref()
            .map_or(Timezone::from(chrono_tz::Tz::UTC), |g| {
                Timezone::stored(&g.timezone)
            }),
        group: group_row.map(|g| (g.id, g.name)),
        entries,
        page,
        pages,
    })
}
