//! The rules of the bot's administration: access codes and their redemption, the panel's
//! reads (statistics, groups, the change log), deleting a group and broadcasts. Every call by
//! an admin re-checks from the database that the actor is one, inside its own transaction.
//!
//! Redeeming a one-time code is safe under simultaneous attempts: the code is claimed with a
//! single conditional `UPDATE … WHERE is_active` whose affected-row count decides who wins
//! (PostgreSQL re-evaluates the condition after waiting for the winner's row lock; SQLite's
//! `BEGIN IMMEDIATE` serialises the writers anyway).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::broadcast::BroadcastText;
use super::code::{AccessCode, CodeLifetime};
use crate::changelog::{self, Change};
use crate::groups::GroupError;
use crate::groups::service::DeletedGroup;
use crate::members::Role;
use crate::members::service::require;
use crate::notifications::{self, Kind};
use crate::storage;
use crate::storage::entities::{
    adminaccesscodes, adminattempts, admins, changelog as log, events, groupmembers, groups, users,
};

/// Wrong codes allowed per user in [`ATTEMPT_WINDOW`]; further attempts are refused unchecked.
pub const MAX_WRONG_ATTEMPTS: u64 = 5;
pub const ATTEMPT_WINDOW: Duration = Duration::hours(1);
/// Rows per page of the group list and of the change log.
pub const PAGE_SIZE: u64 = 10;
/// Members shown on a group's card.
const CARD_MEMBERS: u64 = 40;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The actor is not a bot administrator (as stored now).
    #[error("the user is not an administrator")]
    NotAdmin,
    /// No active, unexpired code matches (unknown, deactivated, used up or expired).
    #[error("the access code is not valid")]
    WrongCode,
    /// [`MAX_WRONG_ATTEMPTS`] wrong codes within the window: not checked at all.
    #[error("too many wrong access codes")]
    TooManyAttempts,
    /// The code or group is gone (a stale or forged button).
    #[error("not found")]
    NotFound,
    /// The broadcast's confirmation came without a composed text (already sent, cancelled).
    #[error("nothing to broadcast")]
    NothingToSend,
    #[error(transparent)]
    Group(#[from] GroupError),
    #[error(transparent)]
    Access(#[from] crate::members::service::AccessError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Whether `user` is a bot administrator, as stored now.
pub async fn is_admin(conn: &impl ConnectionTrait, user: i64) -> Result<bool, DbErr> {
    Ok(admins::Entity::find_by_id(user).one(conn).await?.is_some())
}

async fn require_admin(conn: &impl ConnectionTrait, user: i64) -> Result<(), AdminError> {
    if is_admin(conn, user).await? {
        Ok(())
    } else {
        Err(AdminError::NotAdmin)
    }
}

// ----- access codes --------------------------------------------------------------------------

/// An access code as the panel lists it (never the code itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    pub id: Uuid,
    pub one_time: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<adminaccesscodes::Model> for CodeInfo {
    fn from(model: adminaccesscodes::Model) -> Self {
        Self {
            id: model.id,
            one_time: model.is_one_time,
            expires_at: model.expires_at,
            created_at: model.created_at,
        }
    }
}

/// Creates a code. `actor` is the admin creating it in the panel (checked), or `None` for
/// the command line (whoever can run the binary against the database). The code in clear is
/// returned once; only its hash is stored.
pub async fn create_code(
    db: &DatabaseConnection,
    actor: Option<i64>,
    one_time: bool,
    lifetime: Option<CodeLifetime>,
) -> Result<(CodeInfo, AccessCode), AdminError> {
    let txn = storage::begin_write(db).await?;
    if let Some(actor) = actor {
        require_admin(&txn, actor).await?;
    }
    let now = Utc::now();
    let code = AccessCode::generate();
    let row = adminaccesscodes::Model {
        id: Uuid::new_v4(),
        code: code.hash(),
        is_one_time: one_time,
        expires_at: lifetime.map(|l| now + l.duration()),
        created_at: now,
        is_active: true,
    };
    adminaccesscodes::Entity::insert(adminaccesscodes::ActiveModel::from(row.clone()))
        .exec_without_returning(&txn)
        .await?;
    changelog::record(
        &txn,
        Change {
            actor,
            group: None,
            action: "admin.code_create",
            entity_type: "admin_code",
            entity_id: row.id.to_string(),
            details: json!({ "one_time": one_time, "expires_at": row.expires_at }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((row.into(), code))
}

/// The codes that can still be redeemed, newest first.
pub async fn codes(db: &DatabaseConnection, actor: i64) -> Result<Vec<CodeInfo>, AdminError> {
    let txn = db.begin().await?;
    require_admin(&txn, actor).await?;
    let now = Utc::now();
    let rows = adminaccesscodes::Entity::find()
        .filter(adminaccesscodes::Column::IsActive.eq(true))
        .order_by_desc(adminaccesscodes::Column::CreatedAt)
        .order_by_asc(adminaccesscodes::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.expires_at.is_none_or(|at| at > now))
        .map(CodeInfo::from)
        .collect())
}

/// Deactivates a code: it can no longer be redeemed (admins who used it stay admins).
pub async fn deactivate_code(
    db: &DatabaseConnection,
    actor: i64,
    code: Uuid,
) -> Result<(), AdminError> {
    let txn = storage::begin_write(db).await?;
    require_admin(&txn, actor).await?;
    let updated = adminaccesscodes::Entity::update_many()
        .col_expr(adminaccesscodes::Column::IsActive, Expr::value(false))
        .filter(adminaccesscodes::Column::Id.eq(code))
        .filter(adminaccesscodes::Column::IsActive.eq(true))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AdminError::NotFound);
    }
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: None,
            action: "admin.code_deactivate",
            entity_type: "admin_code",
            entity_id: code.to_string(),
            details: json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What a redemption did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeemed {
    /// The user is an admin now.
    Granted,
    /// The user already was one; the code was not looked at.
    AlreadyAdmin,
}

/// `/admin <code>`: makes `user` an admin if `typed` is an active, unexpired code. Every
/// attempt is recorded; after [`MAX_WRONG_ATTEMPTS`] wrong ones within [`ATTEMPT_WINDOW`]
/// further attempts are refused without looking at the code (and are recorded as wrong, so
/// someone who keeps trying stays refused).
pub async fn redeem(
    db: &DatabaseConnection,
    user: i64,
    typed: &str,
) -> Result<Redeemed, AdminError> {
    let txn = storage::begin_write(db).await?;
    // One user's attempts one after another (PostgreSQL; SQLite's write lock already does it),
    // so parallel guesses cannot all slip under the limit.
    users::Entity::find_by_id(user)
        .lock_exclusive()
        .one(&txn)
        .await?;
    if is_admin(&txn, user).await? {
        return Ok(Redeemed::AlreadyAdmin);
    }
    let now = Utc::now();
    let wrong = adminattempts::Entity::find()
        .filter(adminattempts::Column::UserId.eq(user))
        .filter(adminattempts::Column::Succeeded.eq(false))
        .filter(adminattempts::Column::AttemptedAt.gt(now - ATTEMPT_WINDOW))
        .count(&txn)
        .await?;
    if wrong >= MAX_WRONG_ATTEMPTS {
        record_attempt(&txn, user, now, false).await?;
        txn.commit().await?;
        tracing::warn!(user, "admin code attempt refused: too many wrong codes");
        return Err(AdminError::TooManyAttempts);
    }
    match claim_code(&txn, typed, now).await? {
        Some(code) => {
            admins::Entity::insert(admins::ActiveModel {
                user_id: Set(user),
                code_id: Set(Some(code.id)),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            record_attempt(&txn, user, now, true).await?;
            changelog::record(
                &txn,
                Change {
                    actor: Some(user),
                    group: None,
                    action: "admin.redeem",
                    entity_type: "admin_code",
                    entity_id: code.id.to_string(),
                    details: json!({ "one_time": code.is_one_time }),
                },
            )
            .await?;
            txn.commit().await?;
            tracing::info!(user, code = %code.id, "admin code redeemed");
            Ok(Redeemed::Granted)
        }
        None => {
            record_attempt(&txn, user, now, false).await?;
            txn.commit().await?;
            tracing::warn!(user, attempt = wrong + 1, "wrong admin code");
            Err(AdminError::WrongCode)
        }
    }
}

/// The code `typed` names, if it can be redeemed now; a one-time code is used up by this very
/// call (the conditional update decides between simultaneous attempts).
async fn claim_code(
    txn: &impl ConnectionTrait,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Option<adminaccesscodes::Model>, DbErr> {
    let Some(code) = AccessCode::parse(typed) else {
        return Ok(None);
    };
    let Some(row) = adminaccesscodes::Entity::find()
        .filter(adminaccesscodes::Column::Code.eq(code.hash()))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    if !row.is_active || row.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    if row.is_one_time {
        let claimed = adminaccesscodes::Entity::update_many()
            .col_expr(adminaccesscodes::Column::IsActive, Expr::value(false))
            .filter(adminaccesscodes::Column::Id.eq(row.id))
            .filter(adminaccesscodes::Column::IsActive.eq(true))
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(None);
        }
    }
    Ok(Some(row))
}

async fn record_attempt(
    conn: &impl ConnectionTrait,
    user: i64,
    at: DateTime<Utc>,
    succeeded: bool,
) -> Result<(), DbErr> {
    adminattempts::Entity::insert(adminattempts::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        attempted_at: Set(at),
        succeeded: Set(succeeded),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
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

pub async fn stats(db: &DatabaseConnection, actor: i64) -> Result<Stats, AdminError> {
    let txn = db.begin().await?;
    require_admin(&txn, actor).await?;
    let since = Utc::now() - Duration::days(7);
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
    let txn = db.begin().await?;
    require_admin(&txn, actor).await?;
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
    pub timezone: String,
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
    let txn = db.begin().await?;
    require_admin(&txn, actor).await?;
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
                .map(|u| crate::members::PersonName::of(u).full())
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
        timezone: row.timezone,
        created_at: row.created_at,
        member_count,
        members,
        event_count,
    })
}

/// Deletes any group, as the leader's delete does (same cascade, former members to tell),
/// with an `admin.group_delete` change-log row.
pub async fn delete_group(
    db: &DatabaseConnection,
    actor: i64,
    group: Uuid,
    now: DateTime<Utc>,
    notices: impl crate::notifications::Notices<DeletedGroup>,
) -> Result<DeletedGroup, AdminError> {
    let txn = storage::begin_write(db).await?;
    require_admin(&txn, actor).await?;
    let deleted = crate::groups::service::delete_in(&txn, actor, group, true, now, notices)
        .await
        .map_err(|err| match err {
            GroupError::NotFound => AdminError::NotFound,
            other => other.into(),
        })?;
    txn.commit().await?;
    Ok(deleted)
}

// ----- broadcasts ---------------------------------------------------------------------------

/// Who a broadcast goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Everyone who has not blocked the bot.
    All,
    /// The leaders of every group.
    Leaders,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Leaders => "leaders",
        }
    }
}

/// Sends `text` to `audience`: one outbox row per recipient (rendered in their language when
/// sent) and the change-log row, in one transaction. Returns how many were written; the
/// caller wakes the sender.
pub async fn broadcast(
    db: &DatabaseConnection,
    actor: i64,
    audience: Audience,
    text: &BroadcastText,
    now: DateTime<Utc>,
) -> Result<usize, AdminError> {
    let txn = storage::begin_write(db).await?;
    require_admin(&txn, actor).await?;
    let mut query = users::Entity::find().filter(users::Column::IsBlocked.eq(false));
    if audience == Audience::Leaders {
        let leaders: Vec<i64> = groupmembers::Entity::find()
            .select_only()
            .column(groupmembers::Column::UserId)
            .filter(groupmembers::Column::IsLeader.eq(true))
            .into_tuple()
            .all(&txn)
            .await?;
        query = query.filter(users::Column::TelegramId.is_in(leaders));
    }
    let recipients = query
        .order_by_asc(users::Column::TelegramId)
        .all(&txn)
        .await?;
    let messages: Vec<notifications::Message> = recipients
        .iter()
        .map(|user| {
            notifications::Message::now(
                user.telegram_id,
                Kind::Announcement,
                notifications::Text::new("admin-broadcast-message").user("text", text.as_str()),
            )
        })
        .collect();
    let count = messages.len();
    notifications::outbox::enqueue(&txn, now, messages).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: None,
            action: "admin.broadcast",
            entity_type: "broadcast",
            entity_id: Uuid::new_v4().to_string(),
            details: json!({
                "audience": audience.as_str(),
                "recipients": count,
                "text": text.as_str(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}

// ----- the change log -----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// Who did it (display name), if known.
    pub actor: Option<String>,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The group whose history this is (`None`: the whole bot's).
    pub group: Option<(Uuid, String)>,
    /// The time zone to show times in: the group's, else UTC.
    pub timezone: String,
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
    let txn = db.begin().await?;
    require_admin(&txn, actor).await?;
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
    let entries = rows
        .into_iter()
        .map(|(row, user)| HistoryEntry {
            at: row.changed_at,
            actor: user
                .as_ref()
                .map(|u| crate::members::PersonName::of(u).full()),
            action: row.action_type,
        })
        .collect();
    Ok(History {
        timezone: group_row
            .as_ref()
            .map_or_else(|| "UTC".to_owned(), |g| g.timezone.clone()),
        group: group_row.map(|g| (g.id, g.name)),
        entries,
        page,
        pages,
    })
}
