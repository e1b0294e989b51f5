//! The queries behind the members' use cases: memberships locked for a role change, roles
//! written, memberships ended, the names and the leader the notices need.

use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::access::{AccessError, Member, Role, require};
use super::name::PersonName;
use super::roster::MemberInfo;
use super::service::MemberError;
use crate::storage::entities::{dialogues, groupmembers, groups, users};

/// [`require`], after locking the user's membership row (PostgreSQL; SQLite's `BEGIN
/// IMMEDIATE` already serialises writers), so a concurrent role change waits for this
/// transaction and this one sees the role as committed.
pub(super) async fn locked_member(
    conn: &impl ConnectionTrait,
    user_id: i64,
    allowed: fn(Role) -> bool,
) -> Result<Member, AccessError> {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .lock_exclusive()
        .one(conn)
        .await?;
    require(conn, user_id, allowed).await
}

/// The target membership, locked, if it is in the leader's group and is not the leader.
pub(super) async fn lock_target(
    conn: &impl ConnectionTrait,
    leader: &Member,
    member: Uuid,
) -> Result<groupmembers::Model, MemberError> {
    let target = groupmembers::Entity::find_by_id(member)
        .filter(groupmembers::Column::GroupId.eq(leader.group_id))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(MemberError::NotFound)?;
    if target.user_id == leader.user_id {
        return Err(MemberError::SelfAction);
    }
    Ok(target)
}

/// The user's own membership row.
pub(super) async fn membership_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<groupmembers::Model>, DbErr> {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user_id))
        .one(conn)
        .await
}

/// `member` with the names of its user.
pub(super) async fn member_info(
    conn: &impl ConnectionTrait,
    member: groupmembers::Model,
) -> Result<MemberInfo, DbErr> {
    let user = users::Entity::find_by_id(member.user_id).one(conn).await?;
    Ok(MemberInfo::new(member, user))
}

/// Writes the role of the memberships `which` selects.
pub(super) async fn set_role(
    conn: &impl ConnectionTrait,
    which: impl IntoCondition,
    role: Role,
) -> Result<(), DbErr> {
    groupmembers::Entity::update_many()
        .set(groupmembers::ActiveModel {
            is_leader: Set(role == Role::Leader),
            is_assistant: Set(role == Role::Assistant),
            ..Default::default()
        })
        .filter(which)
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends the membership `member`; with `forms`, the user's half-filled form goes too (it
/// belongs to a group they are no longer in).
pub(super) async fn end_membership(
    conn: &impl ConnectionTrait,
    member: &MemberInfo,
    forms: bool,
) -> Result<(), DbErr> {
    groupmembers::Entity::delete_by_id(member.id)
        .exec(conn)
        .await?;
    if forms {
        dialogues::Entity::delete_by_id(member.user_id)
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The leader of `group`, by Telegram id.
pub async fn leader_of(conn: &impl ConnectionTrait, group: Uuid) -> Result<Option<i64>, DbErr> {
    Ok(groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .filter(groupmembers::Column::IsLeader.eq(true))
        .one(conn)
        .await?
        .map(|leader| leader.user_id))
}

/// A user's name as the group sees it.
pub(super) async fn name_of(conn: &impl ConnectionTrait, user: i64) -> Result<String, DbErr> {
    Ok(users::Entity::find_by_id(user)
        .one(conn)
        .await?
        .map(|u| PersonName::of(&u).full())
        .unwrap_or_default())
}

/// The name of the group `group_id` (empty if it is gone).
pub async fn group_name(conn: &impl ConnectionTrait, group_id: Uuid) -> Result<String, DbErr> {
    Ok(groups::Entity::find_by_id(group_id)
        .one(conn)
        .await?
        .map(|group| group.name)
        .unwrap_or_default())
}

/// The members of `group` a notice of `kind` from `author` reaches: everyone but the author
/// who has not blocked the bot and whose settings allow `kind`, by Telegram id.
pub async fn reachable_members(
    conn: &impl ConnectionTrait,
    group: Uuid,
    author: i64,
    kind: crate::notifications::Kind,
) -> Result<Vec<i64>, DbErr> {
    Ok(audience(conn, group, author, kind).await?.0)
}

/// The members of `group` other than `author` who can be reached (as [`reachable_members`]),
/// and how many others turned `kind` off.
pub async fn audience(
    conn: &impl ConnectionTrait,
    group: Uuid,
    author: i64,
    kind: crate::notifications::Kind,
) -> Result<(Vec<i64>, usize), DbErr> {
    let members = users::Entity::find()
        .join(JoinType::InnerJoin, users::Relation::Groupmembers.def())
        .filter(groupmembers::Column::GroupId.eq(group))
        .filter(users::Column::TelegramId.ne(author))
        .filter(users::Column::IsBlocked.eq(false))
        .order_by_asc(users::Column::TelegramId)
        .all(conn)
        .await?;
    let (reached, muted): (Vec<&users::Model>, Vec<&users::Model>) = members
        .iter()
        .partition(|user| crate::notifications::NotificationSettings::of_user(user).allows(kind));
    let reached = reached.iter().map(|user| user.telegram_id).collect();
    Ok((reached, muted.len()))
}

/// Writes the user's ФИО and marks it entered; `false` if there is no such user.
pub(super) async fn set_names(
    conn: &impl ConnectionTrait,
    user: i64,
    fio: &super::Fio,
) -> Result<bool, DbErr> {
    let updated = users::Entity::update_many()
        .set(users::ActiveModel {
            last_name: Set(Some(fio.last().to_owned())),
            first_name: Set(fio.first().to_owned()),
            middle_name: Set(fio.middle().map(str::to_owned)),
            has_full_name: Set(true),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected > 0)
}

/// Writes the user's chosen language code; `false` if there is no such user.
pub(super) async fn set_language(
    conn: &impl ConnectionTrait,
    user: i64,
    code: Option<&str>,
) -> Result<bool, DbErr> {
    let updated = users::Entity::update_many()
        .set(users::ActiveModel {
            language: Set(code.map(str::to_owned)),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected > 0)
}
