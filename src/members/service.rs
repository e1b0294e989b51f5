//! Users and their membership: registration, membership and role lookup, the member list,
//! role changes (assistants, leadership), removing and leaving, the profile (ФИО, language).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::changelog::{self, Change};
use crate::notifications::{Notices, notice, reminders};
use crate::storage;
use crate::storage::entities::{dialogues, groupmembers, groups, users};

/// What Telegram tells us about a user, refreshed on every visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramProfile {
    pub id: i64,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub language: Option<String>,
}

/// A user's role in their group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leader,
    Assistant,
    Member,
}

impl Role {
    /// Leader and assistants run the group's calendar, queues, topics and invites.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Leader | Role::Assistant)
    }

    pub fn is_leader(self) -> bool {
        self == Role::Leader
    }

    pub fn of(member: &groupmembers::Model) -> Self {
        if member.is_leader {
            Role::Leader
        } else if member.is_assistant {
            Role::Assistant
        } else {
            Role::Member
        }
    }
}

/// The group a user belongs to (a user belongs to at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub group_id: Uuid,
    pub group_name: String,
    pub role: Role,
}

impl Membership {
    fn of(member: &groupmembers::Model, group: groups::Model) -> Self {
        Self {
            group_id: group.id,
            group_name: group.name,
            role: Role::of(member),
        }
    }
}

/// `last_active_at` is written at most this often per user.
const ACTIVITY_RESOLUTION: Duration = Duration::minutes(1);

/// Registers a new user or refreshes a known one (names, username, last activity) and returns
/// the stored row. Writes only when something changed or the activity mark is stale.
pub async fn register(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    match users::Entity::find_by_id(profile.id).one(db).await? {
        Some(user) => refresh(db, user, profile, now).await,
        None => insert_new(db, profile, now).await,
    }
}

/// A user arriving with an update, as [`arrive`] reads them.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The stored row, registered or refreshed as [`register`] does.
    pub user: users::Model,
    pub membership: Option<Membership>,
    /// The user's half-filled form, as stored (the Telegram side reads it).
    pub dialogue: Option<dialogues::Model>,
}

/// [`register`] and [`membership`] together, plus the user's dialogue row: everything an update
/// needs to know about its sender, in one query (one more only to write a new or stale row).
pub async fn arrive(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<Arrival, DbErr> {
    let found = users::Entity::find_by_id(profile.id)
        .find_also_related(groupmembers::Entity)
        .and_also_related(groups::Entity)
        .find_also(users::Entity, dialogues::Entity)
        .one(db)
        .await?;
    let Some((user, member, group, dialogue)) = found else {
        return Ok(Arrival {
            user: insert_new(db, profile, now).await?,
            membership: None,
            dialogue: None,
        });
    };
    Ok(Arrival {
        user: refresh(db, user, profile, now).await?,
        membership: member
            .zip(group)
            .map(|(member, group)| Membership::of(&member, group)),
        dialogue,
    })
}

/// Brings a stored user up to date with their Telegram profile; writes only when something
/// changed or the activity mark is stale.
async fn refresh(
    db: &impl ConnectionTrait,
    user: users::Model,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    // Names follow Telegram until the user enters their ФИО in the profile.
    let (first_name, last_name) = if user.has_full_name {
        (user.first_name.clone(), user.last_name.clone())
    } else {
        (profile.first_name.clone(), profile.last_name.clone())
    };
    let same_profile = user.telegram_username == profile.username
        && user.first_name == first_name
        && user.last_name == last_name
        && user.telegram_language == profile.language;
    if same_profile && !user.is_blocked && now - user.last_active_at < ACTIVITY_RESOLUTION {
        return Ok(user);
    }
    let refreshed = users::Model {
        telegram_username: profile.username.clone(),
        first_name,
        last_name,
        telegram_language: profile.language.clone(),
        last_active_at: now,
        // A user who writes to the bot has unblocked it.
        is_blocked: false,
        ..user
    };
    users::Entity::update_many()
        .set(users::ActiveModel {
            telegram_username: Set(refreshed.telegram_username.clone()),
            first_name: Set(refreshed.first_name.clone()),
            last_name: Set(refreshed.last_name.clone()),
            telegram_language: Set(refreshed.telegram_language.clone()),
            last_active_at: Set(now),
            is_blocked: Set(false),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(profile.id))
        .exec(db)
        .await?;
    Ok(refreshed)
}

/// Stores a user seen for the first time.
async fn insert_new(
    db: &impl ConnectionTrait,
    profile: &TelegramProfile,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    let new_user = users::ActiveModel {
        telegram_id: Set(profile.id),
        telegram_username: Set(profile.username.clone()),
        first_name: Set(profile.first_name.clone()),
        last_name: Set(profile.last_name.clone()),
        middle_name: Set(None),
        created_at: Set(now),
        last_active_at: Set(now),
        notification_settings: Set(None),
        language: Set(None),
        is_blocked: Set(false),
        telegram_language: Set(profile.language.clone()),
        has_full_name: Set(false),
    };
    // Two first updates of one user may race: the loser's insert does nothing.
    users::Entity::insert(new_user)
        .on_conflict(
            OnConflict::column(users::Column::TelegramId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    users::Entity::find_by_id(profile.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {} after insert", profile.id)))
}

/// The user's group and role, read from the database at the moment of the call.
pub async fn membership(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<Membership>, DbErr> {
    let found = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .find_also_related(groups::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(member, group)| group.map(|group| Membership::of(&member, group))))
}

/// Marks that the user blocked the bot (Telegram answered 403), so nothing is sent to them
/// until they write again.
pub async fn set_blocked(
    db: &impl ConnectionTrait,
    user_id: i64,
    blocked: bool,
) -> Result<(), DbErr> {
    users::Entity::update_many()
        .set(users::ActiveModel {
            is_blocked: Set(blocked),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A user's membership as stored, for permission checks inside a service's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    pub group_id: Uuid,
    pub role: Role,
}

/// Why an action was refused before anything changed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("the user is not in a group")]
    NotInGroup,
    #[error("the user's role does not allow this")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The user's membership, read through `conn` (use the service's transaction).
pub async fn member(conn: &impl ConnectionTrait, user_id: i64) -> Result<Option<Member>, DbErr> {
    let row = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .one(conn)
        .await?;
    Ok(row.map(|row| Member {
        user_id: row.user_id,
        group_id: row.group_id,
        role: Role::of(&row),
    }))
}

/// The acting user's membership if their role, as stored right now, passes `allowed`.
pub async fn require(
    conn: &impl ConnectionTrait,
    user_id: i64,
    allowed: fn(Role) -> bool,
) -> Result<Member, AccessError> {
    let member = member(conn, user_id)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    if allowed(member.role) {
        Ok(member)
    } else {
        Err(AccessError::Forbidden)
    }
}

// ----- The member list, roles, leaving and the profile -----------------------------------------

/// Why a member-list, role or profile action was refused before anything changed.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// The target is not (or no longer) a member of the acting user's group.
    #[error("no such member in the actor's group")]
    NotFound,
    /// The leader tried to demote, remove or hand leadership to himself.
    #[error("the leader cannot do this to himself")]
    SelfAction,
    #[error("the member is already an assistant")]
    AlreadyAssistant,
    #[error("the member is not an assistant")]
    NotAssistant,
    /// A group always has a leader: leadership is transferred, or the group deleted, first.
    #[error("the leader cannot leave the group")]
    LeaderCannotLeave,
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Members shown on one page of the list.
pub const PAGE_SIZE: usize = 10;

/// One member of a group, as lists, cards and exports show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInfo {
    /// The membership (`groupmembers.id`): what buttons carry.
    pub id: Uuid,
    pub user_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub middle_name: Option<String>,
    pub username: Option<String>,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

impl MemberInfo {
    /// `user` is always there (memberships cascade with users); without it the id stands in.
    fn new(member: groupmembers::Model, user: Option<users::Model>) -> Self {
        let (first_name, last_name, middle_name, username) = match user {
            Some(user) => (
                user.first_name,
                user.last_name,
                user.middle_name.filter(|_| user.has_full_name),
                user.telegram_username,
            ),
            None => (member.user_id.to_string(), None, None, None),
        };
        Self {
            id: member.id,
            user_id: member.user_id,
            role: Role::of(&member),
            joined_at: member.joined_at,
            first_name,
            last_name,
            middle_name,
            username,
        }
    }

    /// «Фамилия Имя Отчество» — the ФИО if entered, else the Telegram name, last name first.
    pub fn full_name(&self) -> String {
        full_name(
            self.last_name.as_deref(),
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }

    /// By last name, then first and middle name, ignoring case; «ё» sorts with «е».
    fn sort_key(&self) -> (String, String, String, String, i64) {
        fn fold(text: &str) -> String {
            text.to_lowercase().replace('ё', "е")
        }
        let last = self
            .last_name
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&self.first_name);
        (
            fold(last),
            fold(&self.first_name),
            fold(self.middle_name.as_deref().unwrap_or_default()),
            self.full_name().to_lowercase(),
            self.user_id,
        )
    }
}

/// A group with all its members, sorted.
#[derive(Debug, Clone)]
pub struct Roster {
    /// The acting user, as stored right now.
    pub viewer: Member,
    pub group_name: String,
    /// The group's IANA time zone.
    pub timezone: String,
    pub members: Vec<MemberInfo>,
}

/// One page of the member list.
#[derive(Debug, Clone)]
pub struct MemberPage {
    pub viewer: Member,
    pub group_name: String,
    pub total: usize,
    /// Zero-based, clamped to the pages there are.
    pub page: i64,
    pub pages: i64,
    /// The 1-based position of the first member on this page.
    pub first_position: usize,
    pub members: Vec<MemberInfo>,
}

/// A page of the acting user's group's members (any role may look), sorted by last name.
pub async fn list(
    db: &DatabaseConnection,
    actor: i64,
    page: i64,
) -> Result<MemberPage, MemberError> {
    let roster = load_roster(db, actor, |_| true).await?;
    let total = roster.members.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = usize::try_from(page).unwrap_or(0).min(pages - 1);
    let first = page * PAGE_SIZE;
    let members = roster
        .members
        .into_iter()
        .skip(first)
        .take(PAGE_SIZE)
        .collect();
    Ok(MemberPage {
        viewer: roster.viewer,
        group_name: roster.group_name,
        total,
        page: page as i64,
        pages: pages as i64,
        first_position: first + 1,
        members,
    })
}

/// Every member of the acting user's group, for an export (leader and assistants).
pub async fn roster(db: &DatabaseConnection, actor: i64) -> Result<Roster, MemberError> {
    load_roster(db, actor, Role::can_manage).await
}

async fn load_roster(
    db: &DatabaseConnection,
    actor: i64,
    allowed: fn(Role) -> bool,
) -> Result<Roster, MemberError> {
    let viewer = require(db, actor, allowed).await?;
    let group = groups::Entity::find_by_id(viewer.group_id)
        .one(db)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let mut members: Vec<MemberInfo> = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(viewer.group_id))
        .find_also_related(users::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(member, user)| MemberInfo::new(member, user))
        .collect();
    members.sort_by_cached_key(MemberInfo::sort_key);
    Ok(Roster {
        viewer,
        group_name: group.name,
        timezone: group.timezone,
        members,
    })
}

/// A member of the acting leader's group, for their card.
#[derive(Debug, Clone)]
pub struct MemberCard {
    pub group_name: String,
    pub timezone: String,
    pub member: MemberInfo,
    /// The leader is looking at himself.
    pub is_self: bool,
}

/// The card of `member` (a membership id), for the leader of that member's group.
pub async fn card(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
) -> Result<MemberCard, MemberError> {
    let leader = require(db, actor, Role::is_leader).await?;
    let (row, user) = groupmembers::Entity::find_by_id(member)
        .filter(groupmembers::Column::GroupId.eq(leader.group_id))
        .find_also_related(users::Entity)
        .one(db)
        .await?
        .ok_or(MemberError::NotFound)?;
    let group = groups::Entity::find_by_id(leader.group_id)
        .one(db)
        .await?
        .ok_or(MemberError::NotFound)?;
    Ok(MemberCard {
        group_name: group.name,
        timezone: group.timezone,
        is_self: row.user_id == actor,
        member: MemberInfo::new(row, user),
    })
}

/// What a role change did, for the messages about it.
#[derive(Debug, Clone)]
pub struct MemberChange {
    pub group_id: Uuid,
    pub group_name: String,
    /// The member acted upon, as they are after the change (before it, for a removal).
    pub member: MemberInfo,
    /// The leader who acted, by name (for the notices).
    pub actor_name: String,
    /// The outbox rows written with the change.
    pub notices: Vec<Uuid>,
}

/// The leader makes `member` an assistant.
pub async fn appoint_assistant(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, MemberError> {
    set_assistant(db, actor, member, true, now, notices).await
}

/// The leader takes the assistant role from `member`.
pub async fn revoke_assistant(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, MemberError> {
    set_assistant(db, actor, member, false, now, notices).await
}

async fn set_assistant(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
    assistant: bool,
    now: DateTime<Utc>,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, MemberError> {
    let txn = storage::begin_write(db).await?;
    let leader = require_locked(&txn, actor, Role::is_leader).await?;
    let mut target = lock_target(&txn, &leader, member).await?;
    if target.is_assistant == assistant {
        return Err(if assistant {
            MemberError::AlreadyAssistant
        } else {
            MemberError::NotAssistant
        });
    }
    groupmembers::Entity::update_many()
        .set(groupmembers::ActiveModel {
            is_assistant: Set(assistant),
            ..Default::default()
        })
        .filter(groupmembers::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    target.is_assistant = assistant;
    let info = member_info(&txn, target).await?;
    let action = if assistant {
        "member.appoint"
    } else {
        "member.revoke"
    };
    record_member_change(&txn, actor, leader.group_id, action, &info).await?;
    let change = MemberChange {
        group_id: leader.group_id,
        group_name: group_name(&txn, leader.group_id).await?,
        member: info,
        actor_name: name_of(&txn, actor).await?,
        notices: Vec::new(),
    };
    let change = with_notices(&txn, now, change, notices).await?;
    txn.commit().await?;
    Ok(change)
}

/// The leader removes `member` from the group.
pub async fn remove_member(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, MemberError> {
    let txn = storage::begin_write(db).await?;
    let leader = require_locked(&txn, actor, Role::is_leader).await?;
    let target = lock_target(&txn, &leader, member).await?;
    let info = member_info(&txn, target).await?;
    groupmembers::Entity::delete_by_id(info.id)
        .exec(&txn)
        .await?;
    // A half-filled form of the removed user belongs to a group they are no longer in.
    dialogues::Entity::delete_by_id(info.user_id)
        .exec(&txn)
        .await?;
    reminders::cancel_for_member(&txn, info.user_id).await?;
    record_member_change(&txn, actor, leader.group_id, "member.remove", &info).await?;
    let change = MemberChange {
        group_id: leader.group_id,
        group_name: group_name(&txn, leader.group_id).await?,
        member: info,
        actor_name: name_of(&txn, actor).await?,
        notices: Vec::new(),
    };
    let change = with_notices(&txn, now, change, notices).await?;
    txn.commit().await?;
    Ok(change)
}

/// The leader hands leadership to `member` and becomes an assistant.
pub async fn transfer_leadership(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, MemberError> {
    let txn = storage::begin_write(db).await?;
    let leader = require_locked(&txn, actor, Role::is_leader).await?;
    let mut target = lock_target(&txn, &leader, member).await?;
    groupmembers::Entity::update_many()
        .set(groupmembers::ActiveModel {
            is_leader: Set(false),
            is_assistant: Set(true),
            ..Default::default()
        })
        .filter(groupmembers::Column::UserId.eq(actor))
        .exec(&txn)
        .await?;
    groupmembers::Entity::update_many()
        .set(groupmembers::ActiveModel {
            is_leader: Set(true),
            is_assistant: Set(false),
            ..Default::default()
        })
        .filter(groupmembers::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    target.is_leader = true;
    target.is_assistant = false;
    let info = member_info(&txn, target).await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: Some(leader.group_id),
            action: "group.transfer",
            entity_type: "group",
            entity_id: leader.group_id.to_string(),
            details: json!({
                "from_user_id": actor,
                "to_user_id": info.user_id,
                "to_name": info.full_name(),
            }),
        },
    )
    .await?;
    let change = MemberChange {
        group_id: leader.group_id,
        group_name: group_name(&txn, leader.group_id).await?,
        member: info,
        actor_name: name_of(&txn, actor).await?,
        notices: Vec::new(),
    };
    let change = with_notices(&txn, now, change, notices).await?;
    txn.commit().await?;
    Ok(change)
}

/// A member or assistant leaves their group.
#[derive(Debug, Clone)]
pub struct Left {
    pub group_id: Uuid,
    pub group_name: String,
    /// The group's leader, to be told.
    pub leader: Option<i64>,
    /// Who left, as they were in the group.
    pub member: MemberInfo,
    /// The outbox rows written with the change.
    pub notices: Vec<Uuid>,
}

/// `user` leaves their group; the leader cannot (they transfer leadership or delete the group).
pub async fn leave(
    db: &DatabaseConnection,
    user: i64,
    now: DateTime<Utc>,
    notices: impl Notices<Left>,
) -> Result<Left, MemberError> {
    let txn = storage::begin_write(db).await?;
    let me = require_locked(&txn, user, |_| true).await?;
    if me.role.is_leader() {
        return Err(MemberError::LeaderCannotLeave);
    }
    let row = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user))
        .one(&txn)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let info = member_info(&txn, row).await?;
    groupmembers::Entity::delete_by_id(info.id)
        .exec(&txn)
        .await?;
    record_member_change(&txn, user, me.group_id, "member.leave", &info).await?;
    reminders::cancel_for_member(&txn, user).await?;
    let leader = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(me.group_id))
        .filter(groupmembers::Column::IsLeader.eq(true))
        .one(&txn)
        .await?
        .map(|leader| leader.user_id);
    let mut left = Left {
        group_id: me.group_id,
        group_name: group_name(&txn, me.group_id).await?,
        leader,
        member: info,
        notices: Vec::new(),
    };
    left.notices = notice::write(&txn, now, notices(&left)).await?;
    txn.commit().await?;
    Ok(left)
}

/// What the profile screen shows.
#[derive(Debug, Clone)]
pub struct Profile {
    pub full_name: String,
    /// The name is the user's ФИО (else it is their Telegram name).
    pub has_full_name: bool,
    /// The language chosen in the profile (`None`: Telegram's).
    pub language: Option<String>,
    pub membership: Option<Membership>,
}

pub async fn profile(db: &DatabaseConnection, user: i64) -> Result<Profile, DbErr> {
    let stored = users::Entity::find_by_id(user)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {user}")))?;
    let middle_name = stored
        .middle_name
        .as_deref()
        .filter(|_| stored.has_full_name);
    Ok(Profile {
        full_name: full_name(stored.last_name.as_deref(), &stored.first_name, middle_name),
        has_full_name: stored.has_full_name,
        language: stored.language,
        membership: membership(db, user).await?,
    })
}

/// Stores the user's ФИО; from now on registration no longer copies names from Telegram.
pub async fn set_full_name(
    db: &DatabaseConnection,
    user: i64,
    fio: &super::Fio,
) -> Result<(), MemberError> {
    let txn = storage::begin_write(db).await?;
    let updated = users::Entity::update_many()
        .set(users::ActiveModel {
            last_name: Set(Some(fio.last().to_owned())),
            first_name: Set(fio.first().to_owned()),
            middle_name: Set(fio.middle().map(str::to_owned)),
            has_full_name: Set(true),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DbErr::RecordNotFound(format!("user {user}")).into());
    }
    let group = member(&txn, user).await?.map(|m| m.group_id);
    changelog::record(
        &txn,
        Change {
            actor: Some(user),
            group,
            action: "profile.fio",
            entity_type: "user",
            entity_id: user.to_string(),
            details: json!({
                "last_name": fio.last(),
                "first_name": fio.first(),
                "middle_name": fio.middle(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores the interface language the user chose (`None`: follow the Telegram client).
pub async fn set_language(
    db: &DatabaseConnection,
    user: i64,
    language: Option<super::Language>,
) -> Result<(), MemberError> {
    let code = language.map(|locale| locale.code().to_owned());
    let txn = storage::begin_write(db).await?;
    let updated = users::Entity::update_many()
        .set(users::ActiveModel {
            language: Set(code.clone()),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DbErr::RecordNotFound(format!("user {user}")).into());
    }
    changelog::record(
        &txn,
        Change {
            actor: Some(user),
            group: None,
            action: "profile.language",
            entity_type: "user",
            entity_id: user.to_string(),
            details: json!({ "language": code }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// [`require`], after locking the user's membership row (PostgreSQL; SQLite's `BEGIN
/// IMMEDIATE` already serialises writers), so a concurrent role change waits for this
/// transaction and this one sees the role as committed.
async fn require_locked(
    txn: &DatabaseTransaction,
    user_id: i64,
    allowed: fn(Role) -> bool,
) -> Result<Member, AccessError> {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .lock_exclusive()
        .one(txn)
        .await?;
    require(txn, user_id, allowed).await
}

/// The target membership, locked, if it is in the leader's group and is not the leader.
async fn lock_target(
    txn: &DatabaseTransaction,
    leader: &Member,
    member: Uuid,
) -> Result<groupmembers::Model, MemberError> {
    let target = groupmembers::Entity::find_by_id(member)
        .filter(groupmembers::Column::GroupId.eq(leader.group_id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(MemberError::NotFound)?;
    if target.user_id == leader.user_id {
        return Err(MemberError::SelfAction);
    }
    Ok(target)
}

async fn member_info(
    conn: &impl ConnectionTrait,
    member: groupmembers::Model,
) -> Result<MemberInfo, DbErr> {
    let user = users::Entity::find_by_id(member.user_id).one(conn).await?;
    Ok(MemberInfo::new(member, user))
}

/// The members of `group` a notice from `author` can reach: everyone but the author who has
/// not blocked the bot, by Telegram id.
pub async fn reachable_members(
    conn: &impl ConnectionTrait,
    group: Uuid,
    author: i64,
) -> Result<Vec<i64>, DbErr> {
    users::Entity::find()
        .select_only()
        .column(users::Column::TelegramId)
        .join(JoinType::InnerJoin, users::Relation::Groupmembers.def())
        .filter(groupmembers::Column::GroupId.eq(group))
        .filter(users::Column::TelegramId.ne(author))
        .filter(users::Column::IsBlocked.eq(false))
        .order_by_asc(users::Column::TelegramId)
        .into_tuple()
        .all(conn)
        .await
}

/// Writes the notices of `change` (inside its transaction) and keeps their ids.
async fn with_notices(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    mut change: MemberChange,
    notices: impl Notices<MemberChange>,
) -> Result<MemberChange, DbErr> {
    change.notices = notice::write(conn, now, notices(&change)).await?;
    Ok(change)
}

/// A user's name as the group sees it.
async fn name_of(conn: &impl ConnectionTrait, user: i64) -> Result<String, DbErr> {
    Ok(users::Entity::find_by_id(user)
        .one(conn)
        .await?
        .map(|u| {
            full_name(
                u.last_name.as_deref(),
                &u.first_name,
                u.middle_name.as_deref(),
            )
        })
        .unwrap_or_default())
}

async fn group_name(conn: &impl ConnectionTrait, group_id: Uuid) -> Result<String, DbErr> {
    Ok(groups::Entity::find_by_id(group_id)
        .one(conn)
        .await?
        .map(|group| group.name)
        .unwrap_or_default())
}

async fn record_member_change(
    conn: &impl ConnectionTrait,
    actor: i64,
    group_id: Uuid,
    action: &'static str,
    member: &MemberInfo,
) -> Result<(), DbErr> {
    changelog::record(
        conn,
        Change {
            actor: Some(actor),
            group: Some(group_id),
            action,
            entity_type: "groupmember",
            entity_id: member.id.to_string(),
            details: json!({
                "user_id": member.user_id,
                "name": member.full_name(),
            }),
        },
    )
    .await
}

/// «Фамилия Имя Отчество» from the parts there are.
pub fn full_name(last: Option<&str>, first: &str, middle: Option<&str>) -> String {
    [last, Some(first), middle]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The calendar date of `at` in the IANA time zone `timezone` (Moscow if it is unknown).
pub fn local_date(at: DateTime<Utc>, timezone: &str) -> chrono::NaiveDate {
    let zone = timezone
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::Europe::Moscow);
    at.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(last: Option<&str>, first: &str, user_id: i64) -> MemberInfo {
        MemberInfo {
            id: Uuid::nil(),
            user_id,
            first_name: first.to_owned(),
            last_name: last.map(str::to_owned),
            middle_name: None,
            username: None,
            role: Role::Member,
            joined_at: Utc::now(),
        }
    }

    #[test]
    fn sorts_by_last_then_first_name_ignoring_case_with_yo_as_ye() {
        let mut members = [
            info(Some("Жуков"), "Жан", 1),
            info(Some("ёжиков"), "Ефим", 2),
            info(Some("Егоров"), "Егор", 3),
            info(None, "Борис", 4),
            info(Some("Васильева"), "Галина", 5),
            info(Some("васильева"), "Вера", 6),
            info(Some("Abbot"), "Zed", 7),
        ];
        members.sort_by_cached_key(MemberInfo::sort_key);
        let names: Vec<String> = members.iter().map(MemberInfo::full_name).collect();
        assert_eq!(
            names,
            [
                "Abbot Zed",
                "Борис",
                "васильева Вера",
                "Васильева Галина",
                "Егоров Егор",
                "ёжиков Ефим",
                "Жуков Жан",
            ]
        );
    }

    #[test]
    fn full_names_skip_missing_parts() {
        assert_eq!(full_name(Some("Иванов"), "Иван", None), "Иванов Иван");
        assert_eq!(full_name(None, "Иван", Some("Иванович")), "Иван Иванович");
        assert_eq!(full_name(Some(" "), "Иван", None), "Иван");
    }

    #[test]
    fn dates_are_local_to_the_group() {
        let at = DateTime::parse_from_rfc3339("2026-09-01T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_date(at, "Europe/Moscow").to_string(), "2026-09-02");
        assert_eq!(local_date(at, "America/New_York").to_string(), "2026-09-01");
        assert_eq!(local_date(at, "Nowhere/Special").to_string(), "2026-09-02");
    }
}
