//! The group tables, as the rules need them. Every function takes the connection to run on:
//! inside a use case, the unit of work's transaction.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::Timezone;
use super::service::{GroupError, Settings};
use crate::storage::entities::{dialogues, groupmembers, groups};

/// The group row, locked for update until the transaction ends (PostgreSQL; SQLite's write
/// transaction already excludes other writers).
pub async fn locked(conn: &impl ConnectionTrait, group: Uuid) -> Result<groups::Model, GroupError> {
    groups::Entity::find_by_id(group)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(GroupError::NotFound)
}

/// A new group with `leader` as its first member; `false` if `leader` already belongs to a
/// group (their membership is left as it is, the new group row is not: the caller rolls back).
pub async fn insert(
    conn: &impl ConnectionTrait,
    group: groups::Model,
    leader: i64,
) -> Result<bool, DbErr> {
    let (id, joined_at) = (group.id, group.created_at);
    groups::Entity::insert(groups::ActiveModel::from(group))
        .exec_without_returning(conn)
        .await?;
    let added = groupmembers::Entity::insert(groupmembers::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(leader),
        group_id: Set(id),
        is_leader: Set(true),
        is_assistant: Set(false),
        joined_at: Set(joined_at),
    })
    .on_conflict(
        OnConflict::column(groupmembers::Column::UserId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(added == 1)
}

/// Sets `column` of group `group` to `value` (`None`: NULL); [`GroupError::NotFound`] if
/// there is no such group.
pub async fn set(
    conn: &impl ConnectionTrait,
    group: Uuid,
    column: groups::Column,
    value: Option<String>,
) -> Result<(), GroupError> {
    let updated = groups::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(groups::Column::Id.eq(group))
        .exec(conn)
        .await?;
    if updated.rows_affected == 1 {
        Ok(())
    } else {
        Err(GroupError::NotFound)
    }
}

/// Everyone in `group`, by Telegram id.
pub async fn member_ids(conn: &impl ConnectionTrait, group: Uuid) -> Result<Vec<i64>, DbErr> {
    groupmembers::Entity::find()
        .select_only()
        .column(groupmembers::Column::UserId)
        .filter(groupmembers::Column::GroupId.eq(group))
        .into_tuple()
        .all(conn)
        .await
}

/// Ends the half-filled forms of `users`.
pub async fn clear_dialogues(conn: &impl ConnectionTrait, users: &[i64]) -> Result<(), DbErr> {
    dialogues::Entity::delete_many()
        .filter(dialogues::Column::UserId.is_in(users.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes `group` with everything in it (the foreign keys cascade).
pub async fn delete(conn: &impl ConnectionTrait, group: Uuid) -> Result<(), GroupError> {
    let deleted = groups::Entity::delete_by_id(group).exec(conn).await?;
    if deleted.rows_affected == 1 {
        Ok(())
    } else {
        Err(GroupError::NotFound)
    }
}

/// The settings screen of `group`.
pub async fn settings(conn: &impl ConnectionTrait, group: Uuid) -> Result<Settings, GroupError> {
    let row = groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .ok_or(GroupError::NotFound)?;
    let member_count = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .count(conn)
        .await?;
    Ok(Settings {
        group_id: group,
        name: row.name,
        description: row.description,
        timezone: Timezone::stored(&row.timezone),
        member_count,
    })
}
