//! Reminders scheduled from events and deadlines, in the group's time zone: outbox rows with a
//! future `due_at` and a dedup key naming what they remind of, so an edit or a deletion can
//! replace or withdraw them in the same transaction as the change.
//!
//! - a deadline: one day and three hours before (`deadline:<id>:1d:<user>`, `…:3h:<user>`);
//! - an event: 18:00 group time the day before (`event:<id>:eve:<date>:<user>`).
//!
//! Recipients are the group's members at scheduling time whose settings want the reminder; the
//! settings are checked again when it is sent.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
};
use uuid::Uuid;

use super::{Kind, Message, NotificationSettings, Payload, outbox};
use crate::storage::entities::{groupmembers, users};
use crate::telegram::{Args, Locale};

/// The evening reminder's hour, group time.
const EVENING: u32 = 18;

pub fn deadline_prefix(deadline: Uuid) -> String {
    format!("deadline:{deadline}:")
}

pub fn event_prefix(event: Uuid) -> String {
    format!("event:{event}:")
}

/// The members of `group` (all roles) who have not blocked the bot.
async fn members(conn: &impl ConnectionTrait, group: Uuid) -> Result<Vec<users::Model>, DbErr> {
    users::Entity::find()
        .join(JoinType::InnerJoin, users::Relation::Groupmembers.def())
        .filter(groupmembers::Column::GroupId.eq(group))
        .all(conn)
        .await
}

/// 18:00 in `tz` on the day before `date` (the earlier instant if the clocks repeat it).
pub fn evening_before(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let day = date.pred_opt()?;
    let local = day.and_time(NaiveTime::from_hms_opt(EVENING, 0, 0)?);
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// Schedules the reminders of a deadline (replacing any pending ones).
#[allow(clippy::too_many_arguments)]
pub async fn schedule_deadline(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    tz: Tz,
    deadline: Uuid,
    description: &str,
    event_title: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &deadline_prefix(deadline)).await?;
    let local = at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string();
    let mut messages = Vec::new();
    for user in members(conn, group).await? {
        let settings = NotificationSettings::of_user(&user);
        let locale = Locale::of_user(&user);
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
            let due = at - before;
            if due <= now || !settings.allows(kind) {
                continue;
            }
            let args = Args::new()
                .user("description", description)
                .user("event", event_title)
                .plain("at", &local);
            messages.push(Message {
                chat_id: user.telegram_id,
                kind,
                payload: Payload {
                    text: locale.text_with(id, &args),
                    markup: None,
                },
                dedup_key: Some(format!(
                    "{}{tag}:{}",
                    deadline_prefix(deadline),
                    user.telegram_id
                )),
                due_at: Some(due),
            });
        }
    }
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

/// Schedules the evening-before reminder of an event (replacing any pending one).
pub async fn schedule_event(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    tz: Tz,
    event: Uuid,
    title: &str,
    date: NaiveDate,
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &event_prefix(event)).await?;
    let Some(due) = evening_before(date, tz) else {
        return Ok(());
    };
    if due <= now {
        return Ok(());
    }
    let mut messages = Vec::new();
    for user in members(conn, group).await? {
        if !NotificationSettings::of_user(&user).allows(Kind::EventEvening) {
            continue;
        }
        let locale = Locale::of_user(&user);
        let args = Args::new()
            .user("title", title)
            .plain("date", &date.format("%d.%m.%Y").to_string());
        messages.push(Message {
            chat_id: user.telegram_id,
            kind: Kind::EventEvening,
            payload: Payload {
                text: locale.text_with("notify-event-evening", &args),
                markup: None,
            },
            dedup_key: Some(format!(
                "{}eve:{date}:{}",
                event_prefix(event),
                user.telegram_id
            )),
            due_at: Some(due),
        });
    }
    outbox::enqueue(conn, now, messages).await?;
    Ok(())
}

/// Withdraws the pending reminders of a deleted deadline.
pub async fn cancel_deadline(conn: &impl ConnectionTrait, deadline: Uuid) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &deadline_prefix(deadline)).await?;
    Ok(())
}

/// Withdraws the pending reminders of a deleted event and of its deadlines.
pub async fn cancel_event(
    conn: &impl ConnectionTrait,
    event: Uuid,
    deadlines: &[Uuid],
) -> Result<(), DbErr> {
    outbox::delete_pending(conn, &event_prefix(event)).await?;
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
