//! The rules for events and deadlines: use cases that run in a unit of work ([`Uow`]), and the
//! reads the screens show ([`views`](super::views), re-exported here). No Telegram types here.
//!
//! Each change re-checks the role from the database (leader or assistant), makes the change,
//! keeps the group's reminders in step in the same transaction (outbox rows with a due time),
//! and records a [`CalendarEvent`], which gives the change-log row and the announcements.

use chrono::NaiveDate;
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::deadline::DeadlineAt;
use super::events::CalendarEvent;
use super::repo;
use super::text::{DeadlineText, Description, EventTitle, Subject};
pub use super::views::*;
use crate::groups::Timezone;
use crate::members::Role;
use crate::notifications::reminders;
use crate::storage;
use crate::storage::entities::events;
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum EventError {
        /// No such event in the user's group (deleted, or another group's).
        #[error("no such event in the user's group")]
        NotFound,
        /// No such deadline on an event of the user's group.
        #[error("no such deadline")]
        DeadlineNotFound,
        /// The form was saved already (a repeated «Сохранить»).
        #[error("this event was already saved")]
        AlreadySaved,
    }
}

/// A new event, as the creation form has collected it. `id` is chosen when the form reaches
/// its summary, so saving the same form twice cannot create two events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub id: Uuid,
    pub title: EventTitle,
    pub subject: Option<Subject>,
    pub date: NaiveDate,
    pub description: Option<Description>,
    pub important: bool,
}

/// A created event and how many members were told of it (the group's chat not counted).
#[derive(Debug, Clone)]
pub struct Created {
    pub event: events::Model,
    pub told: usize,
}

/// One field of an event, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Title(EventTitle),
    Subject(Option<Subject>),
    Date(NaiveDate),
    Description(Option<Description>),
    Important(bool),
}

impl Edit {
    /// `event` with the change, and the field's name, value before and after (for the log).
    fn apply(
        &self,
        before: &events::Model,
    ) -> (
        events::Model,
        &'static str,
        serde_json::Value,
        serde_json::Value,
    ) {
        let mut after = before.clone();
        let (field, from, to) = match self {
            Edit::Title(title) => {
                after.title = title.as_str().to_owned();
                ("title", json!(before.title), json!(after.title))
            }
            Edit::Subject(subject) => {
                after.subject = subject.as_ref().map(|s| s.as_str().to_owned());
                ("subject", json!(before.subject), json!(after.subject))
            }
            Edit::Date(date) => {
                after.event_date = *date;
                ("date", json!(before.event_date), json!(after.event_date))
            }
            Edit::Description(description) => {
                after.description = description.as_ref().map(|d| d.as_str().to_owned());
                let (from, to) = (json!(before.description), json!(after.description));
                ("description", from, to)
            }
            Edit::Important(important) => {
                after.is_important = *important;
                let (from, to) = (json!(before.is_important), json!(after.is_important));
                ("important", from, to)
            }
        };
        (after, field, from, to)
    }
}

/// A deleted event, for the confirmation.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub title: String,
    pub date: NaiveDate,
}

/// The time zone of the group, as stored.
async fn timezone(uow: &Uow<'_>, group: Uuid) -> Result<Timezone, DbErr> {
    let group = repo::group(uow.db(), group).await?;
    Ok(Timezone::stored(&group.timezone))
}

// ----- use cases ----------------------------------------------------------------------------

/// Creates the event: the author has seen it, its evening reminder is scheduled, and the
/// members who want it (and the group's bound chat) are told.
pub async fn create(uow: &mut Uow<'_>, new: &NewEvent) -> Result<Created, EventError> {
    let me = uow.member(Role::can_manage).await?;
    if repo::event_exists(uow.db(), new.id).await? {
        return Err(EventError::AlreadySaved);
    }
    let event = events::Model {
        id: new.id,
        group_id: me.group_id,
        created_by_user_id: Some(me.user_id),
        title: new.title.as_str().to_owned(),
        description: new.description.as_ref().map(|d| d.as_str().to_owned()),
        subject: new.subject.as_ref().map(|s| s.as_str().to_owned()),
        event_date: new.date,
        is_important: new.important,
        created_at: uow.now(),
    };
    match repo::insert_event(uow.db(), &event).await {
        Err(err) if storage::is_unique_violation(&err) => return Err(EventError::AlreadySaved),
        other => other?,
    }
    // The creator has seen what they created.
    repo::mark_seen(uow.db(), me.user_id, event.id, uow.now()).await?;
    let group = repo::group(uow.db(), me.group_id).await?;
    let tz = Timezone::stored(&group.timezone);
    reminders::schedule_event(
        uow.db(),
        uow.now(),
        me.group_id,
        tz,
        event.id,
        &event.title,
        event.event_date,
    )
    .await?;
    let kind = CalendarEvent::announcement_kind(event.is_important);
    let recipients =
        crate::members::service::reachable_members(uow.db(), me.group_id, me.user_id, kind).await?;
    let chat = crate::chats::service::bound_chat(uow.db(), me.group_id).await?;
    let told = recipients.len();
    uow.record(CalendarEvent::Created {
        group: me.group_id,
        group_name: group.name,
        event: event.clone(),
        recipients,
        chat,
    });
    Ok(Created { event, told })
}

/// Changes one field of an event of the group; a new date or title moves its reminder.
pub async fn edit(
    uow: &mut Uow<'_>,
    event_id: Uuid,
    edit: &Edit,
) -> Result<events::Model, EventError> {
    let me = uow.member(Role::can_manage).await?;
    let before = repo::event_in_group(uow.db(), me.group_id, event_id).await?;
    let (after, field, from, to) = edit.apply(&before);
    repo::update_event(uow.db(), &after).await?;
    if before.event_date != after.event_date || before.title != after.title {
        let tz = timezone(uow, me.group_id).await?;
        reminders::schedule_event(
            uow.db(),
            uow.now(),
            me.group_id,
            tz,
            event_id,
            &after.title,
            after.event_date,
        )
        .await?;
    }
    uow.record(CalendarEvent::Edited {
        group: me.group_id,
        event: event_id,
        field,
        from,
        to,
    });
    Ok(after)
}

/// Deletes an event of the group with its deadlines, queues and topic lists, and withdraws
/// their pending reminders.
pub async fn delete(uow: &mut Uow<'_>, event_id: Uuid) -> Result<Deleted, EventError> {
    let me = uow.member(Role::can_manage).await?;
    let event = repo::event_in_group(uow.db(), me.group_id, event_id).await?;
    let deadlines: Vec<Uuid> = repo::deadlines_of(uow.db(), event_id)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    reminders::cancel_event(uow.db(), event_id, &deadlines).await?;
    // Its queues and topic lists go with it: their opening notices are withdrawn, the messages
    // showing them in the group's chat say so, and whoever stood in them or took a topic is told.
    let held = repo::held_by(uow.db(), event_id).await?;
    for queue in &held.queues {
        reminders::schedule_queue_opening(
            uow.db(),
            uow.now(),
            me.group_id,
            queue.id,
            &queue.title,
            None,
        )
        .await?;
    }
    repo::delete_event(uow.db(), event_id).await?;
    uow.record(CalendarEvent::Deleted {
        group: me.group_id,
        event: event_id,
        title: event.title.clone(),
        date: event.event_date,
        queues: held.queues.iter().map(|q| q.id).collect(),
        lists: held.lists,
        told: held.people,
    });
    Ok(Deleted {
        title: event.title,
        date: event.event_date,
    })
}

/// Adds a deadline to an event of the group and schedules its reminders.
pub async fn add_deadline(
    uow: &mut Uow<'_>,
    event_id: Uuid,
    text: &DeadlineText,
    at: DeadlineAt,
) -> Result<Deadline, EventError> {
    let me = uow.member(Role::can_manage).await?;
    let event = repo::event_in_group(uow.db(), me.group_id, event_id).await?;
    let deadline = Deadline {
        id: Uuid::new_v4(),
        event_id,
        text: text.as_str().to_owned(),
        at: at.utc(),
    };
    repo::insert_deadline(uow.db(), &deadline).await?;
    let tz = timezone(uow, me.group_id).await?;
    reminders::schedule_deadline(
        uow.db(),
        uow.now(),
        me.group_id,
        tz,
        deadline.id,
        &deadline.text,
        &event.title,
        deadline.at,
    )
    .await?;
    uow.record(CalendarEvent::DeadlineAdded {
        group: me.group_id,
        deadline: deadline.clone(),
    });
    Ok(deadline)
}

/// Removes a deadline of an event of the group, with its pending reminders; returns it.
pub async fn remove_deadline(uow: &mut Uow<'_>, deadline_id: Uuid) -> Result<Deadline, EventError> {
    let me = uow.member(Role::can_manage).await?;
    let deadline = repo::deadline_in_group(uow.db(), me.group_id, deadline_id).await?;
    repo::delete_deadline(uow.db(), deadline_id).await?;
    reminders::cancel_deadline(uow.db(), deadline_id).await?;
    uow.record(CalendarEvent::DeadlineRemoved {
        group: me.group_id,
        deadline: deadline.clone(),
    });
    Ok(deadline)
}

/// Marks `card`, which its viewer just read, as seen by them: one statement, no change-log row
/// (a read mark is not a change of the group's data). The card's read checked the viewer's
/// group already.
pub async fn mark_seen(
    db: &sea_orm::DatabaseConnection,
    card: &EventCard,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EventError> {
    repo::mark_seen(db, card.viewer.user_id, card.event.id, now).await?;
    Ok(())
}
