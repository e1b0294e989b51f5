//! The change log: every change of data writes one row, in the transaction that makes the
//! change — the unit of work writes them from the domain events (`DomainEvent::change`).

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::storage::entities::changelog;

/// One entry of the change log.
#[derive(Debug, Clone)]
pub struct Change {
    /// Who made the change (`None` for the system).
    pub actor: Option<i64>,
    /// The group the change belongs to, so its leader can see it in the group's history.
    pub group: Option<Uuid>,
    /// What happened, e.g. `group.create`.
    pub action: &'static str,
    /// What kind of thing changed, e.g. `group`.
    pub entity_type: &'static str,
    pub entity_id: String,
    pub details: serde_json::Value,
}

/// Writes the change-log rows of one unit of work in one statement: `actor` made them at
/// `now` (a change that names its own actor keeps it).
pub async fn record_all(
    conn: &impl ConnectionTrait,
    actor: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
    changes: Vec<Change>,
) -> Result<(), DbErr> {
    if changes.is_empty() {
        return Ok(());
    }
    let rows = changes.into_iter().map(|change| changelog::ActiveModel {
        user_id: Set(change.actor.or(actor)),
        group_id: Set(change.group),
        action_type: Set(change.action.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(Some(change.entity_id)),
        details: Set(Some(change.details)),
        changed_at: Set(now),
        ..Default::default()
    });
    changelog::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
