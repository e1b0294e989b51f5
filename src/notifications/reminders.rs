//! Reminders scheduled from events and deadlines, in the group's time zone: outbox rows with a
//! future `due_at` and a dedup key naming what they remind of and whom, so a change can replace
//! or withdraw them in the same transaction:
//!
//! - a deadline: one day and three hours before (`deadline:<id>:1d:<chat>`, `…:3h:<chat>`);
//! - an event: 18:00 group time the day before (`event:<id>:eve:<date>:<chat>`);
//! - a queue's opening, at that moment, to members only (`queue:<id>:open:<chat>`).
//!
//! Recipients are the group's members whose settings want the reminder (checked again when it
//! is sent) and, if the group asked for it, its bound Telegram chat. The schedule follows the
//! group: a member who joins gets the pending reminders of the group's coming events
//! ([`schedule_for_member`]), one who leaves loses theirs ([`cancel_for_member`]), and a new
//! time zone moves them all ([`reschedule_group`]).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::{About, Kind, Message, NotificationSettings, Text, outbox};
use crate::groups::Timezone;
use crate::storage::entities::{deadlines, events, groupmembers, groups, queues, users};

/// The evening reminder's hour, group time.
const EVENING: u32 = 18;

pub fn deadline_prefix(deadline: Uuid) -> String {
    format!("deadline:{deadline}:")
}

pub fn event_prefix(event: Uuid) -> String {
    format!("event:{event}:")
}

/// Whom a reminder goes to.
enum Recipient {
    /// A member: their language, their settings.
    Member(Box<users::Model>),
    /// The group's bound chat (Russian; the group chose to have reminders posted).
    Chat(i64),
}

impl Recipient {
    fn chat_id(&self) -> i64 {
        match self {
            Recipient::Member(user) => user.telegram_id,
            Recipient::Chat(chat) => *chat,
        }
    }

    fn wants(&self, kind: Kind) -> bool {
        match self {
            Recipient::Member(user) => NotificationSettings::of_user(user).allows(kind),
            Recipient::Chat(_) => true,
        }
    }
}

/// The members of `group` (all roles; or just `only`) and the chat that takes reminders.
async fn recipients(
    conn: &impl ConnectionTrait,
    group: Uuid,
    only: Option<i64>,
) -> Result<Vec<Recipient>, DbErr> {
    let mut query = users::Entity::find()
        .join(JoinType::InnerJoin, users::Relation::Groupmembers.def())
        .filter(groupmembers::Column::GroupId.eq(group));
    if let Some(user) = only {
        query = query.filter(users::Column::TelegramId.eq(user));
    }
    let mut recipients: Vec<Recipient> = query
        .all(conn)
        .await?
        .into_iter()
        .map(|user| Recipient::Member(Box::new(user)))
        .collect();
    if only.is_none()
        && let Some(chat) = crate::chats::service::posts_reminders(conn, group).await?
    {
        recipients.push(Recipient::Chat(chat));
    }
    Ok(recipients)
}

/// 18:00 in `tz` on the day before `date` (the earlier instant if the clocks repeat it).
pub fn evening_before(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let day = date.pred_opt()?;
    let local = day.and_time(NaiveTime::from_hms_opt(EVENING, 0, 0)?);
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// What a deadline reminds of.
struct DeadlineReminder<'a> {
    id: Uuid,
    description: &'a str,
    event_title: &'a str,
    at: DateTime<Utc>,
}

fn deadline_messages(
    recipients: &[Recipient],
    now: DateTime<Utc>,
    tz: Timezone,
    deadline: &DeadlineReminder<'_>,
) -> Vec<Message> {
    let mut messages = Vec::new();
    for recipient in recipients {
        for (kind, before, tag, id) in [
            (
                Kind::Deadline1d,
                Duration::days(1),
                "1d",
                "notify-deadline-1d",
            ),
            (
                Kind::Deadline3h,
                Duration::hours(3),
                "3h",
                "notify-deadline-3h",
            ),
        ] {
            let due = deadline.at - before;
            if due <= now || !recipient.wants(kind) {
                continue;
            }
            let text = Text::new(id)
                .user("description", deadline.description)
                .user("event", deadline.event_title)
                .time("at", deadline.at, tz);
            messages.push(Message {
                chat_id: recipient.chat_id(),
                kind,
                payload: text.into(),
                dedup_key: Some(format!(
                    "{}{tag}:{}",
                    deadline_prefix(deadline.id),
                    recipient.chat_id()
                )),
                due_at: Some(due),
            });
        }
    }
    messages
}

fn event_messages(
    recipients: &[Recipient],
    now: DateTime<Utc>,
    tz: Timezone,
    event: Uuid,
    title: &str,
    date: NaiveDate,
) -> Vec<Message> {
    let Some(due) = evening_before(date, tz.tz()).filter(|due| *due > now) else {
        return Vec::new();
    };
    recipients
        .iter()
        .filter(|recipient| recipient.wants(Kind::EventEvening))
        .map(|recipient| {
            let text = Text::new("notify-event-evening")
                .user("title", title)
                .date("date", date);
            Message {
                chat_id: recipient.chat_id(),
                kind: Kind::EventEvening,
                payload: text.into(),
                dedup_key: Some(format!(
                    "{}eve:{date}:{}",
                    event_prefix(event),
                    recipient.chat_id()
                )),
                due_at: Some(due),
            }
        })
        .collect()
}

/// Schedules the reminders of a deadline (replacing any pending ones).
#[allow(clippy::too_many_arguments)]
pub async fn schedule_deadline(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    tz: Timezone,
    deadline: Uuid,
    description: &str,
    event_title: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &deadline_prefix(deadline)).await?;
    let recipients = recipients(conn, group, None).await?;
    let reminder = DeadlineReminder {
        id: deadline,
        description,
        event_title,
        at,
    };
    outbox::enqueue(
        conn,
        now,
        deadline_messages(&recipients, now, tz, &reminder),
    )
    .await?;
    Ok(())
}

/// Schedules the evening-before reminder of an event (replacing any pending one).
pub async fn schedule_event(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    tz: Timezone,
    event: Uuid,
    title: &str,
    date: NaiveDate,
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &event_prefix(event)).await?;
    let recipients = recipients(conn, group, None).await?;
    let messages = event_messages(&recipients, now, tz, event, title, date);
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

pub fn queue_opening_prefix(queue: Uuid) -> String {
    format!("queue:{queue}:open:")
}

/// Schedules «the queue is open» for the group's members at `opens_at` (replacing any pending
/// one; `None` or a moment already passed withdraws it). Each member's setting decides, when it
/// is written and again when it is sent.
pub async fn schedule_queue_opening(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    queue: Uuid,
    title: &str,
    opens_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &queue_opening_prefix(queue)).await?;
    let Some(due) = opens_at.filter(|at| *at > now) else {
        return Ok(());
    };
    let Some((_, Some(event))) = queues::Entity::find_by_id(queue)
        .find_also_related(events::Entity)
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let recipients = recipients(conn, group, None).await?;
    let opening = Opening {
        queue,
        title,
        about: About::of(&event),
    };
    let messages = opening_messages(&recipients, &opening, due);
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

/// What a queue's opening notice names: the queue and its event.
struct Opening<'a> {
    queue: Uuid,
    title: &'a str,
    about: About,
}

/// «The queue is open» for the members among `recipients` who want it, due at `due`.
fn opening_messages(
    recipients: &[Recipient],
    opening: &Opening<'_>,
    due: DateTime<Utc>,
) -> Vec<Message> {
    let queue = opening.queue;
    recipients
        .iter()
        .filter(|recipient| {
            matches!(recipient, Recipient::Member(_)) && recipient.wants(Kind::QueueOpening)
        })
        .map(|recipient| {
            let text = Text::new("queue-opened-event-notice").user_or(
                "title",
                opening.title,
                crate::queues::events::UNNAMED,
            );
            let note = super::Note::new(opening.about.onto(text))
                .button("queue-btn-show", super::Screen::Queue(queue));
            Message {
                chat_id: recipient.chat_id(),
                kind: Kind::QueueOpening,
                payload: note,
                dedup_key: Some(format!(
                    "{}{}",
                    queue_opening_prefix(queue),
                    recipient.chat_id()
                )),
                due_at: Some(due),
            }
        })
        .collect()
}

/// The group's time zone, as stored.
async fn zone_of(conn: &impl ConnectionTrait, group: Uuid) -> Result<Timezone, DbErr> {
    Ok(groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .map(|g| Timezone::stored(&g.timezone))
        .unwrap_or_default())
}

/// The reminders still to come for `recipients` of the group's events and deadlines.
async fn coming_messages(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    recipients: &[Recipient],
) -> Result<Vec<Message>, DbErr> {
    let tz = zone_of(conn, group).await?;
    // The evening before tomorrow's event may still be ahead; earlier events are past.
    let today = now.with_timezone(&tz.tz()).date_naive();
    let coming_events = events::Entity::find()
        .filter(events::Column::GroupId.eq(group))
        .filter(events::Column::EventDate.gt(today))
        .all(conn)
        .await?;
    let mut messages = Vec::new();
    for event in &coming_events {
        messages.extend(event_messages(
            recipients,
            now,
            tz,
            event.id,
            &event.title,
            event.event_date,
        ));
    }
    let coming_deadlines = deadlines::Entity::find()
        .find_also_related(events::Entity)
        .filter(events::Column::GroupId.eq(group))
        .filter(deadlines::Column::DeadlineAt.gt(now))
        .all(conn)
        .await?;
    for (deadline, event) in &coming_deadlines {
        let reminder = DeadlineReminder {
            id: deadline.id,
            description: &deadline.description,
            event_title: event.as_ref().map_or("", |e| e.title.as_str()),
            at: deadline.deadline_at,
        };
        messages.extend(deadline_messages(recipients, now, tz, &reminder));
    }
    let opening_queues = queues::Entity::find()
        .find_also_related(events::Entity)
        .filter(events::Column::GroupId.eq(group))
        .filter(queues::Column::OpensAt.gt(now))
        .all(conn)
        .await?;
    for (queue, event) in &opening_queues {
        if let (Some(due), Some(event)) = (queue.opens_at, event) {
            let opening = Opening {
                queue: queue.id,
                title: &queue.title,
                about: About::of(event),
            };
            messages.extend(opening_messages(recipients, &opening, due));
        }
    }
    Ok(messages)
}

/// A member just joined `group`: they get the pending reminders of its coming events and
/// deadlines, as those who were there when they were scheduled.
pub async fn schedule_for_member(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    user: i64,
) -> Result<(), DbErr> {
    let recipients = recipients(conn, group, Some(user)).await?;
    let messages = coming_messages(conn, now, group, &recipients).await?;
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

/// `user` left their group (or was removed, or the group went): their pending reminders go.
pub async fn cancel_for_member(conn: &impl ConnectionTrait, user: i64) -> Result<u64, DbErr> {
    let deleted = crate::storage::entities::outbox::Entity::delete_many()
        .filter(crate::storage::entities::outbox::Column::ChatId.eq(user))
        .filter(crate::storage::entities::outbox::Column::Status.eq(outbox::PENDING))
        .filter(
            Condition::any()
                .add(crate::storage::entities::outbox::Column::DedupKey.starts_with("deadline:"))
                .add(crate::storage::entities::outbox::Column::DedupKey.starts_with("event:"))
                .add(crate::storage::entities::outbox::Column::DedupKey.starts_with("queue:")),
        )
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

/// Withdraws every pending reminder of the group's events and deadlines (the group is being
/// deleted, or its reminders are about to be scheduled anew).
pub async fn cancel_group(conn: &impl ConnectionTrait, group: Uuid) -> Result<(), DbErr> {
    let event_ids: Vec<Uuid> = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .filter(events::Column::GroupId.eq(group))
        .into_tuple()
        .all(conn)
        .await?;
    let deadline_ids: Vec<Uuid> = deadlines::Entity::find()
        .select_only()
        .column(deadlines::Column::Id)
        .filter(deadlines::Column::EventId.is_in(event_ids.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    for event in event_ids {
        cancel_event(conn, event, &[]).await?;
    }
    for deadline in deadline_ids {
        cancel_deadline(conn, deadline).await?;
    }
    Ok(())
}

/// The group's time zone (or its chat's reminder setting) changed: every pending reminder of
/// its events and deadlines is scheduled anew.
pub async fn reschedule_group(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
) -> Result<(), DbErr> {
    cancel_group(conn, group).await?;
    let recipients = recipients(conn, group, None).await?;
    let messages = coming_messages(conn, now, group, &recipients).await?;
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

/// Withdraws the pending reminders of a deleted deadline.
pub async fn cancel_deadline(conn: &impl ConnectionTrait, deadline: Uuid) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &deadline_prefix(deadline)).await?;
    Ok(())
}

/// Withdraws the pending reminders of a deleted event, of its deadlines and of the openings of
/// its queues (called before the event's rows go).
pub async fn cancel_event(
    conn: &impl ConnectionTrait,
    event: Uuid,
    deadlines: &[Uuid],
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &event_prefix(event)).await?;
    let queue_ids: Vec<Uuid> = queues::Entity::find()
        .select_only()
        .column(queues::Column::Id)
        .filter(queues::Column::EventId.eq(event))
        .filter(queues::Column::OpensAt.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    for queue in queue_ids {
        outbox::delete_pending(conn, &queue_opening_prefix(queue)).await?;
    }
    for deadline in deadlines {
        cancel_deadline(conn, *deadline).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evening_reminder_is_at_18_group_time_the_day_before() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let moscow = evening_before(date, chrono_tz::Europe::Moscow).unwrap();
        assert_eq!(moscow.to_rfc3339(), "2026-03-09T15:00:00+00:00");
        let tokyo = evening_before(date, chrono_tz::Asia::Tokyo).unwrap();
        assert_eq!(tokyo.to_rfc3339(), "2026-03-09T09:00:00+00:00");
    }
}
