//! Who is told of a change to the timetable, and when: the members whose next seven days it
//! changes, at once; for a change further ahead, on the morning it comes within them; and the
//! group's bound chat, the evening before, if the group asked for it. Written in the change's
//! transaction; the rows still waiting are withdrawn with the change.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{DbErr, EntityTrait};
use uuid::Uuid;

use super::repo;
use super::week::Subgroup;
use crate::groups::Timezone;
use crate::notifications::Kind;
use crate::storage::entities::groups;
use crate::uow::Uow;

/// How far ahead a change must fall to be announced at once.
pub const NOTICE_DAYS: i64 = 7;

/// Who is told of a change to dates, and when.
pub(super) enum Tell {
    /// One of the dates is within the next [`NOTICE_DAYS`] days: these members, now.
    Now(Vec<i64>),
    /// Every date is further ahead: these members, when the first comes within the window.
    Later(Vec<i64>, DateTime<Utc>),
    /// Every date has passed.
    Nobody,
}

impl Tell {
    /// The members told now (the event's notices).
    pub(super) fn now(&self) -> Vec<i64> {
        match self {
            Tell::Now(members) => members.clone(),
            _ => Vec::new(),
        }
    }
}

/// The outbox key prefix of the announcements of `change` waiting for their time.
pub fn announce_prefix(change: Uuid) -> String {
    format!("classchange:{change}:")
}

/// The hour (group time) a change further ahead is announced, on the day it comes within
/// [`NOTICE_DAYS`] days.
const ANNOUNCE_HOUR: u32 = 9;

/// Writes the announcement of `change` for `tell`'s later members, due when it comes within
/// the window (withdrawn with the change: [`announce_prefix`]).
pub(super) async fn announce_later(
    uow: &Uow<'_>,
    change: Uuid,
    tell: &Tell,
    text: crate::notifications::Text,
) -> Result<(), DbErr> {
    let Tell::Later(members, at) = tell else {
        return Ok(());
    };
    let messages = members
        .iter()
        .map(|&user| crate::notifications::Message {
            chat_id: user,
            kind: Kind::Notice,
            payload: crate::notifications::Note::new(text.clone()),
            dedup_key: Some(format!("{}{user}", announce_prefix(change))),
            due_at: Some(*at),
        })
        .collect();
    crate::notifications::outbox::enqueue(uow.db(), uow.now(), messages).await?;
    Ok(())
}

/// The members (not `author`, not blocked) who see a class of `subgroup`, to be told of a
/// change to `dates`: now if one of them falls in the next [`NOTICE_DAYS`] days, else on the
/// morning the first comes within them; nobody if all have passed.
pub(super) async fn affected(
    uow: &Uow<'_>,
    group: Uuid,
    author: i64,
    subgroup: Option<Subgroup>,
    dates: &[NaiveDate],
) -> Result<Tell, DbErr> {
    let zone = zone_of(uow, group).await?;
    let today = uow.now().with_timezone(&zone).date_naive();
    let soon = today..today + Duration::days(NOTICE_DAYS);
    let later = if dates.iter().any(|date| soon.contains(date)) {
        None
    } else {
        let Some(first) = dates.iter().filter(|&&date| date >= soon.end).min() else {
            return Ok(Tell::Nobody);
        };
        let day = *first - Duration::days(NOTICE_DAYS - 1);
        let morning = day.and_time(chrono::NaiveTime::MIN) + Duration::hours(ANNOUNCE_HOUR.into());
        match zone.from_local_datetime(&morning).earliest() {
            Some(at) => Some(at.with_timezone(&Utc)),
            None => return Ok(Tell::Nobody),
        }
    };
    let members =
        crate::members::service::reachable_members(uow.db(), group, author, Kind::Notice).await?;
    let chosen = repo::subgroups(uow.db(), group).await?;
    let members = members
        .into_iter()
        .filter(|user| Subgroup::sees(chosen.get(user).copied(), subgroup))
        .collect();
    Ok(match later {
        None => Tell::Now(members),
        Some(at) => Tell::Later(members, at),
    })
}

async fn zone_of(uow: &Uow<'_>, group: Uuid) -> Result<Tz, DbErr> {
    Ok(groups::Entity::find_by_id(group)
        .one(uow.db())
        .await?
        .map(|g| Timezone::stored(&g.timezone).tz())
        .unwrap_or(chrono_tz::UTC))
}

/// The outbox key prefix of the group chat's post of `change` (withdrawn with it).
pub fn chat_prefix(change: Uuid) -> String {
    format!("classchat:{change}:")
}

/// Posts `text` about `change` to the group's bound chat, if the group asked for it: at 18:00
/// group time the evening before the first of `dates` still to come (at once if that evening
/// has begun); nothing for a change to today or the past.
pub(super) async fn post_to_chat(
    uow: &Uow<'_>,
    group: Uuid,
    change: Uuid,
    dates: &[NaiveDate],
    text: crate::notifications::Text,
) -> Result<(), DbErr> {
    if repo::posts(uow.db(), group, repo::ChatPost::Changes).await? != Some(true) {
        return Ok(());
    }
    let Some(chat) = crate::chats::service::bound_chat(uow.db(), group).await? else {
        return Ok(());
    };
    let zone = zone_of(uow, group).await?;
    let now = uow.now();
    let today = now.with_timezone(&zone).date_naive();
    let Some(first) = dates.iter().filter(|&&date| date > today).min() else {
        return Ok(());
    };
    let Some(evening) = crate::notifications::reminders::evening_before(*first, zone) else {
        return Ok(());
    };
    let message = crate::notifications::Message {
        chat_id: chat,
        kind: Kind::Notice,
        payload: crate::notifications::Note::new(text),
        dedup_key: Some(format!("{}{chat}", chat_prefix(change))),
        due_at: Some(evening.max(now)),
    };
    crate::notifications::outbox::enqueue(uow.db(), now, vec![message]).await?;
    Ok(())
}
