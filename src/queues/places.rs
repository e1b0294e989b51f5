//! «🙋 Мои очереди и темы», the queues' part: where the member stands in each queue of their
//! group, and the open queues of the coming events they may join.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::service::QueueError;
use crate::members::service::Viewer;
use crate::storage::entities::{events, queueparticipants, queues};

/// A queue on the member's «Мои очереди и темы»: where they stand, or one they may join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyQueue {
    pub queue_id: Uuid,
    pub title: String,
    pub event_title: String,
    pub event_date: chrono::NaiveDate,
    /// The member's place (1 = first) among how many stand in it; `None`: not in it.
    pub place: Option<(u32, u32)>,
    /// How many stand in it.
    pub length: u32,
}

/// The queues of the member's group that concern them: those they stand in (by event date),
/// then the open ones of events from today on that they may join.
pub async fn mine(
    db: &DatabaseConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> Result<Vec<MyQueue>, QueueError> {
    let user_id = viewer.user_id;
    let today = viewer.today(now);
    let found = queues::Entity::find()
        .find_also_related(events::Entity)
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .order_by_asc(events::Column::EventDate)
        .order_by_asc(queues::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|(queue, _)| queue.id).collect();
    let standing = queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.is_in(ids))
        .all(db)
        .await?;
    let place_in = |queue: Uuid| {
        let mine = standing
            .iter()
            .find(|p| p.queue_id == queue && p.user_id == user_id)?;
        let of_queue = standing.iter().filter(|p| p.queue_id == queue);
        let total = of_queue.clone().count();
        let ahead = of_queue.filter(|p| p.position < mine.position).count();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Some((count(ahead + 1), count(total)))
    };
    let length = |queue: Uuid| {
        let n = standing.iter().filter(|p| p.queue_id == queue).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    let mut standing_in = Vec::new();
    let mut joinable = Vec::new();
    for (queue, event) in found {
        let Some(event) = event else { continue };
        let entry = MyQueue {
            place: place_in(queue.id),
            length: length(queue.id),
            queue_id: queue.id,
            title: queue.title,
            event_title: event.title,
            event_date: event.event_date,
        };
        if entry.place.is_some() {
            standing_in.push(entry);
        } else if !queue.is_closed && event.event_date >= today {
            joinable.push(entry);
        }
    }
    standing_in.extend(joinable);
    Ok(standing_in)
}
