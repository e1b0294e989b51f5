//! The rules for queues: use cases that run in a unit of work ([`Uow`]), and the reads the
//! screens show. No Telegram types here.
//!
//! Every read and write first finds the acting user's group; a queue whose event belongs to
//! another group is [`QueueError::NotFound`]. Positions stay unique and gapless however many
//! press at once (see [`repo`](super::repo)).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::events::{Exit, FieldChange, QueueEvent};
use super::fair::{ESTIMATE_TURNS, draw_if_due, draw_moment, turn_time};
use super::repo;
use super::text::{LotteryMinutes, MaxParticipants, QueueDescription, QueueTitle};
use crate::events::repo::find_event;
use crate::members::Role;
use crate::members::service::{AccessError, Viewer, require};
use crate::notifications::About;
use crate::storage::entities::{queueparticipants, queues};
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum QueueError {
        /// No such queue in the user's group (deleted, or another group's).
        #[error("no such queue in the user's group")]
        NotFound,
        /// No such event in the user's group.
        #[error("no such event in the user's group")]
        EventNotFound,
        /// The participant is no longer in the queue.
        #[error("no such participant")]
        ParticipantNotFound,
        #[error("the queue is closed")]
        Closed,
        #[error("the queue is full ({max})")]
        Full { max: i32 },
        #[error("already in the queue at {position}")]
        AlreadyIn { position: i32 },
        #[error("not in the queue")]
        NotIn,
        #[error("the queue is empty")]
        Empty,
        #[error("no position {position} in a queue of {len}")]
        NoSuchPosition { position: i32, len: i32 },
        /// Joins are refused until the queue's opening moment.
        #[error("the queue opens at {opens_at}")]
        NotYetOpen { opens_at: DateTime<Utc> },
        /// A lottery draws the order of the presses after an opening moment: set one first.
        #[error("a lottery needs an opening time")]
        LotteryNeedsOpening,
        /// «Следующий» with everyone away.
        #[error("everyone in the queue is away")]
        AllAway,
        /// A no-show is the first participant; this one no longer is.
        #[error("the participant is no longer first")]
        NotFirst,
        /// A swap is with someone else.
        #[error("a swap with oneself")]
        SwapWithSelf,
        /// The swap request was answered, withdrawn, or is not the user's to answer.
        #[error("no such swap request for the user")]
        SwapGone,
    }
}

/// One participant, as the queue view and the export show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: Uuid,
    pub user_id: i64,
    pub position: i32,
    /// The ФИО, or the Telegram name.
    pub name: String,
    pub username: Option<String>,
    pub joined_at: DateTime<Utc>,
    /// «🚶 Отошёл»: away since then.
    pub away_since: Option<DateTime<Utc>>,
}

/// Everything the queue view shows.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub queue: queues::Model,
    pub event_title: String,
    pub viewer_id: i64,
    pub role: Role,
    pub group_name: String,
    pub tz: Tz,
    /// By position.
    pub participants: Vec<Participant>,
    /// When the queue opens, while that is still ahead.
    pub opens_at: Option<DateTime<Utc>>,
    /// When the lottery draws the order of the presses so far, while that is still ahead.
    pub draw_at: Option<DateTime<Utc>>,
    /// The average time between the recent «Следующий» presses ([`turn_time`]).
    pub turn_every: Option<chrono::Duration>,
}

impl QueueView {
    /// The viewer's own place, if they stand in the queue.
    pub fn own_position(&self) -> Option<i32> {
        self.participants
            .iter()
            .find(|p| p.user_id == self.viewer_id)
            .map(|p| p.position)
    }
}

/// A new queue, as the form has collected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQueue {
    /// `None`: the default title, named in each reader's language (stored empty).
    pub title: Option<QueueTitle>,
    pub description: Option<QueueDescription>,
    pub max: Option<MaxParticipants>,
}

/// One field of a queue, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Title(QueueTitle),
    Description(Option<QueueDescription>),
    Max(Option<MaxParticipants>),
    /// The opening moment (checked to be ahead where it was typed); `None`: open at once.
    Opening(Option<DateTime<Utc>>),
    /// The lottery's length after the opening; `None`: first come, first served.
    Lottery(Option<LotteryMinutes>),
}

/// A successful join: the place, and when a lottery will draw the order (if one is ahead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Joined {
    pub position: i32,
    pub draw_at: Option<DateTime<Utc>>,
}

/// A participant who left (or was taken out of) a queue, and who moved up to the front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub queue: queues::Model,
    pub user_id: i64,
    /// «Фамилия Имя» of who left.
    pub name: String,
    pub position: i32,
    /// The participants now first and second (notified after «Следующий»).
    pub first: Option<i64>,
    pub second: Option<i64>,
}

/// A participant moved to another position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub queue: queues::Model,
    pub user_id: i64,
    /// «Фамилия Имя» of who moved.
    pub name: String,
    pub from: i32,
    pub to: i32,
}

/// The participant to be moved and the queue's length (for the position buttons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveTarget {
    pub queue: queues::Model,
    pub participant: Participant,
    pub len: i32,
}

pub(super) fn anyone(_: Role) -> bool {
    true
}

// ----- reads --------------------------------------------------------------------------------

/// The queue with its participants in order, as `viewer` sees it.
pub async fn view(
    db: &DatabaseConnection,
    viewer: &Viewer,
    queue_id: Uuid,
    now: DateTime<Utc>,
) -> Result<QueueView, QueueError> {
    let (queue, event) = queues::Entity::find_by_id(queue_id)
        .find_also_related(crate::storage::entities::events::Entity)
        .one(db)
        .await?
        .and_then(|(queue, event)| event.map(|event| (queue, event)))
        .filter(|(_, event)| event.group_id == viewer.group_id)
        .ok_or(QueueError::NotFound)?;
    let participants = repo::participants(db, queue_id).await?;
    let opens_at = queue.opens_at.filter(|at| *at > now);
    let draw_at = draw_moment(&queue);
    let mut view = QueueView {
        opens_at,
        draw_at,
        turn_every: None,
        queue,
        event_title: event.title,
        viewer_id: viewer.user_id,
        role: viewer.role,
        group_name: viewer.group_name.clone(),
        tz: viewer.tz,
        participants,
    };
    // The estimate is shown only to someone waiting behind others: only they pay its read.
    if view.turns_ahead() > 0 {
        view.turn_every = turn_time(&repo::served_times(db, queue_id, ESTIMATE_TURNS).await?);
    }
    Ok(view)
}

/// The queue view, if the user may run the queue (leader or assistant of its group).
pub async fn manageable(
    db: &DatabaseConnection,
    viewer: &Viewer,
    queue_id: Uuid,
    now: DateTime<Utc>,
) -> Result<QueueView, QueueError> {
    let view = view(db, viewer, queue_id, now).await?;
    if view.role.can_manage() {
        Ok(view)
    } else {
        Err(AccessError::Forbidden.into())
    }
}

/// The event's title, if the user may attach a queue to it.
pub async fn may_attach(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
) -> Result<String, QueueError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let event = find_event(db, member.group_id, event_id)
        .await?
        .ok_or(QueueError::EventNotFound)?;
    Ok(event.title)
}

/// A participant to move, if the user may run their queue.
pub async fn move_target(
    db: &DatabaseConnection,
    user_id: i64,
    participant_id: Uuid,
) -> Result<MoveTarget, QueueError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let row = repo::participant_row(db, participant_id)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    let queue = repo::queue_in_group(db, member.group_id, row.queue_id, false)
        .await
        .map_err(|_| QueueError::ParticipantNotFound)?;
    let all = repo::participants(db, queue.id).await?;
    let len = i32::try_from(all.len()).unwrap_or(i32::MAX);
    let participant = all
        .into_iter()
        .find(|p| p.id == participant_id)
        .ok_or(QueueError::ParticipantNotFound)?;
    Ok(MoveTarget {
        queue,
        participant,
        len,
    })
}

// ----- use cases: the leader's settings -----------------------------------------------------

/// Attaches a new queue to an event of the acting member's group.
pub async fn create(
    uow: &mut Uow<'_>,
    event_id: Uuid,
    new: &NewQueue,
) -> Result<queues::Model, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    find_event(uow.db(), me.group_id, event_id)
        .await?
        .ok_or(QueueError::EventNotFound)?;
    let queue = queues::Model {
        id: Uuid::new_v4(),
        event_id,
        title: super::text::stored_title(new.title.as_ref()),
        description: new.description.as_ref().map(|d| d.as_str().to_owned()),
        max_participants: new.max.map(MaxParticipants::get),
        created_at: uow.now(),
        is_closed: false,
        opens_at: None,
        lottery_minutes: None,
        lottery_seed: None,
    };
    repo::insert_queue(uow.db(), &queue).await?;
    uow.record(QueueEvent::Created {
        group: me.group_id,
        queue: queue.clone(),
    });
    Ok(queue)
}

/// Changes one field of a queue.
pub async fn edit(
    uow: &mut Uow<'_>,
    queue_id: Uuid,
    edit: &Edit,
) -> Result<queues::Model, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let before = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    let mut after = before.clone();
    let change = match edit {
        Edit::Title(title) => {
            after.title = title.as_str().to_owned();
            FieldChange {
                field: "title",
                from: json!(before.title),
                to: json!(after.title),
            }
        }
        Edit::Description(description) => {
            after.description = description.as_ref().map(|d| d.as_str().to_owned());
            FieldChange {
                field: "description",
                from: json!(before.description),
                to: json!(after.description),
            }
        }
        Edit::Max(max) => {
            after.max_participants = max.map(MaxParticipants::get);
            FieldChange {
                field: "max_participants",
                from: json!(before.max_participants),
                to: json!(after.max_participants),
            }
        }
        Edit::Opening(opens_at) => {
            after.opens_at = *opens_at;
            // A new opening draws anew; without one there is nothing to draw after.
            after.lottery_seed = None;
            if opens_at.is_none() {
                after.lottery_minutes = None;
            }
            FieldChange {
                field: "opens_at",
                from: json!(before.opens_at),
                to: json!(after.opens_at),
            }
        }
        Edit::Lottery(minutes) => {
            if minutes.is_some() && before.opens_at.is_none() {
                return Err(QueueError::LotteryNeedsOpening);
            }
            after.lottery_minutes = minutes.map(LotteryMinutes::get);
            after.lottery_seed = None;
            FieldChange {
                field: "lottery_minutes",
                from: json!(before.lottery_minutes),
                to: json!(after.lottery_minutes),
            }
        }
    };
    repo::update_queue(uow.db(), &after).await?;
    if matches!(edit, Edit::Opening(_) | Edit::Title(_)) {
        // Members are told when it opens (those whose settings want it, checked again when
        // sent): outbox rows due at the opening, replaced whenever it moves.
        crate::notifications::reminders::schedule_queue_opening(
            uow.db(),
            uow.now(),
            me.group_id,
            after.id,
            &after.title,
            after.opens_at,
        )
        .await?;
    }
    uow.record(QueueEvent::Edited {
        group: me.group_id,
        queue: queue_id,
        change,
    });
    Ok(after)
}

/// Closes (no new participants) or reopens a queue.
pub async fn set_closed(
    uow: &mut Uow<'_>,
    queue_id: Uuid,
    closed: bool,
) -> Result<queues::Model, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    if queue.is_closed != closed {
        queue.is_closed = closed;
        repo::update_queue(uow.db(), &queue).await?;
        uow.record(QueueEvent::Closed {
            group: me.group_id,
            queue: queue_id,
            closed,
        });
    }
    Ok(queue)
}

/// Removes every participant; returns how many there were.
pub async fn clear(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<u64, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    let removed = repo::clear(uow.db(), queue_id).await?;
    uow.record(QueueEvent::Cleared {
        group: me.group_id,
        queue: queue_id,
        removed,
    });
    Ok(removed)
}

/// Deletes a queue with its participants; returns it.
pub async fn delete(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<queues::Model, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    let standing = repo::participants(uow.db(), queue_id).await?;
    let participants = i32::try_from(standing.len()).unwrap_or(i32::MAX);
    repo::delete_queue(uow.db(), queue_id).await?;
    crate::notifications::reminders::schedule_queue_opening(
        uow.db(),
        uow.now(),
        me.group_id,
        queue_id,
        &queue.title,
        None,
    )
    .await?;
    let about = repo::about(uow.db(), &queue).await?;
    uow.record(QueueEvent::Deleted {
        group: me.group_id,
        queue: queue.clone(),
        about,
        participants,
        standing: standing.iter().map(|p| p.user_id).collect(),
    });
    Ok(queue)
}

// ----- use cases: standing in the queue -----------------------------------------------------

/// The acting member stands in the queue at the next position; returns it.
pub async fn join(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<Joined, QueueError> {
    let me = uow.member(anyone).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    if let Some(opens_at) = queue.opens_at.filter(|at| uow.now() < *at) {
        return Err(
            match repo::position_of(uow.db(), queue_id, me.user_id).await? {
                Some(position) => QueueError::AlreadyIn { position },
                None => QueueError::NotYetOpen { opens_at },
            },
        );
    }
    draw_if_due(uow, me.group_id, &mut queue).await?;
    let appended = if queue.is_closed {
        None
    } else {
        repo::append(uow.db(), &queue, me.user_id, uow.now()).await?
    };
    let Some(position) = appended else {
        // Refused: tell why (already there wins over closed and full).
        return Err(
            match repo::position_of(uow.db(), queue_id, me.user_id).await? {
                Some(position) => QueueError::AlreadyIn { position },
                None if queue.is_closed => QueueError::Closed,
                None => QueueError::Full {
                    max: queue.max_participants.unwrap_or_default(),
                },
            },
        );
    };
    uow.record(QueueEvent::Joined {
        group: me.group_id,
        queue: queue_id,
        user: me.user_id,
        position,
    });
    Ok(Joined {
        position,
        draw_at: draw_moment(&queue),
    })
}

/// Takes `row` out of `queue` (for the event `about`) and records how.
pub(super) async fn exit(
    uow: &mut Uow<'_>,
    group: Uuid,
    queue: queues::Model,
    about: About,
    row: queueparticipants::Model,
    how: Exit,
) -> Result<Departure, QueueError> {
    let (first, second) = repo::take_out(uow.db(), &row).await?;
    let departure = Departure {
        queue: queue.clone(),
        user_id: row.user_id,
        name: repo::name_of(uow.db(), row.user_id).await?,
        position: row.position,
        first,
        second,
    };
    uow.record(QueueEvent::Exited {
        group,
        queue,
        about,
        how,
        user: row.user_id,
        position: row.position,
        first,
        second,
    });
    Ok(departure)
}

/// The acting member leaves the queue; later places move up.
pub async fn leave(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<Departure, QueueError> {
    let me = uow.member(anyone).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    draw_if_due(uow, me.group_id, &mut queue).await?;
    let row = repo::row_of(uow.db(), queue_id, me.user_id)
        .await?
        .ok_or(QueueError::NotIn)?;
    let about = repo::about(uow.db(), &queue).await?;
    exit(uow, me.group_id, queue, about, row, Exit::Left).await
}

/// The participant row `participant_id` of a queue of the group, its queue locked.
pub(super) async fn locked_participant(
    uow: &Uow<'_>,
    group: Uuid,
    participant_id: Uuid,
) -> Result<(queues::Model, queueparticipants::Model), QueueError> {
    let row = repo::participant_row(uow.db(), participant_id)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    let queue = match repo::queue_in_group(uow.db(), group, row.queue_id, true).await {
        Err(QueueError::NotFound) => return Err(QueueError::ParticipantNotFound),
        other => other?,
    };
    // Read again under the lock: it may have moved or left meanwhile.
    let row = repo::participant_row(uow.db(), participant_id)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    Ok((queue, row))
}

/// Takes a participant out of the queue (leader/assistant).
pub async fn remove(uow: &mut Uow<'_>, participant_id: Uuid) -> Result<Departure, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let (queue, row) = locked_participant(uow, me.group_id, participant_id).await?;
    let about = repo::about(uow.db(), &queue).await?;
    exit(uow, me.group_id, queue, about, row, Exit::Removed).await
}

/// Moves a participant to `to` (1..=length); the places between shift by one.
pub async fn move_to(
    uow: &mut Uow<'_>,
    participant_id: Uuid,
    to: i32,
) -> Result<Moved, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let (queue, row) = locked_participant(uow, me.group_id, participant_id).await?;
    let len = repo::length(uow.db(), queue.id).await?;
    if !(1..=len).contains(&to) {
        return Err(QueueError::NoSuchPosition { position: to, len });
    }
    place(uow, me.group_id, queue, row, to).await
}

/// Puts a locked participant row at `to` (already checked) and records the move.
pub(super) async fn place(
    uow: &mut Uow<'_>,
    group: Uuid,
    queue: queues::Model,
    row: queueparticipants::Model,
    to: i32,
) -> Result<Moved, QueueError> {
    if row.position != to {
        repo::move_to(uow.db(), &row, to).await?;
    }
    let about = repo::about(uow.db(), &queue).await?;
    uow.record(QueueEvent::Moved {
        group,
        queue: queue.clone(),
        about,
        user: row.user_id,
        from: row.position,
        to,
    });
    Ok(Moved {
        queue,
        user_id: row.user_id,
        name: repo::name_of(uow.db(), row.user_id).await?,
        from: row.position,
        to,
    })
}
