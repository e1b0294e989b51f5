//! Fair booking in queues: the lottery of an opening's first minutes, «🚶 Отошёл», a no-show
//! sent back, swapping places with consent, and the wait estimate's arithmetic. Use cases in a
//! unit of work, like those of [`service`](super::service); no Telegram types here.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::events::Exit;
use super::events::QueueEvent;
use super::service::{
    Departure, Moved, QueueError, QueueView, anyone, exit, locked_participant, place,
};
use super::{lottery, repo};
use crate::members::Role;
use crate::members::service::require;
use crate::storage::entities::queues;
use crate::uow::Uow;

/// How many recent «Следующий» presses the wait estimate averages over.
pub const ESTIMATE_TURNS: u64 = 10;

/// The average time one turn takes, from the times of the recent «Следующий» presses (newest
/// first): the span between the oldest and the newest divided by the turns between them.
/// `None` below two presses.
pub fn turn_time(served: &[DateTime<Utc>]) -> Option<chrono::Duration> {
    let (newest, oldest) = (served.first()?, served.last()?);
    let turns = i32::try_from(served.len()).ok()?.checked_sub(1)?;
    (turns > 0).then(|| (*newest - *oldest) / turns)
}

impl QueueView {
    /// Roughly how long until the viewer's turn: one average turn for each participant ahead
    /// who is not away (those are skipped). `None` without an average or when first.
    pub fn own_wait(&self) -> Option<chrono::Duration> {
        let every = self.turn_every?;
        let ahead = i32::try_from(self.turns_ahead()).ok().filter(|n| *n > 0)?;
        Some(every * ahead)
    }

    /// How many participants ahead of the viewer are not away (0 if the viewer is not in the
    /// queue).
    pub fn turns_ahead(&self) -> usize {
        let Some(own) = self.own_position() else {
            return 0;
        };
        self.participants
            .iter()
            .filter(|p| p.position < own && p.away_since.is_none())
            .count()
    }
}

/// How a swap request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapOutcome {
    /// Both were where they stood when asked: their places are exchanged; the answerer's new
    /// place.
    Swapped {
        position: i32,
    },
    Declined,
    /// One of them has moved (or left) since: nothing changed.
    Stale,
}

/// A swap request, as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapRequest {
    pub id: Uuid,
    pub queue: queues::Model,
    pub from_name: String,
    pub from_position: i32,
    pub to_position: i32,
}

/// When the lottery of `queue` draws, if it has one that has not been drawn.
pub(super) fn draw_moment(queue: &queues::Model) -> Option<DateTime<Utc>> {
    match (queue.opens_at, queue.lottery_minutes, queue.lottery_seed) {
        (Some(opens_at), Some(minutes), None) => {
            Some(opens_at + chrono::Duration::minutes(i64::from(minutes)))
        }
        _ => None,
    }
}

/// Draws the lottery of `queue` (locked by the caller) if its moment has come and it has not
/// been drawn: everyone standing in the queue now pressed within the lottery's minutes (joins
/// are refused before the opening, and every write after the moment draws first), so their
/// order is shuffled by [`lottery::shuffle`] with a fresh seed, recorded with the orders
/// before and after. Later presses join at the end as usual.
pub(super) async fn draw_if_due(
    uow: &mut Uow<'_>,
    group: Uuid,
    queue: &mut queues::Model,
) -> Result<(), QueueError> {
    let Some(at) = draw_moment(queue) else {
        return Ok(());
    };
    if uow.now() < at {
        return Ok(());
    }
    let before: Vec<i64> = repo::participants(uow.db(), queue.id)
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    let seed: i64 = rand::random();
    let after = lottery::shuffle(&before, seed);
    repo::reorder(uow.db(), queue.id, &after).await?;
    queue.lottery_seed = Some(seed);
    repo::update_queue(uow.db(), queue).await?;
    let about = repo::about(uow.db(), queue).await?;
    uow.record(QueueEvent::Drawn {
        group,
        queue: queue.clone(),
        about,
        seed,
        before,
        after,
    });
    Ok(())
}

/// Draws the queue's lottery if its moment has passed (the queue screen asks for this when it
/// shows a draw that is due); nothing otherwise.
pub async fn settle(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<(), QueueError> {
    let me = uow.member(anyone).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    draw_if_due(uow, me.group_id, &mut queue).await
}

/// «🚶 Отошёл» (`away`) or «Вернулся»: the acting member marks themself away from their place
/// or back at it. Returns their place.
pub async fn set_away(uow: &mut Uow<'_>, queue_id: Uuid, away: bool) -> Result<i32, QueueError> {
    let me = uow.member(anyone).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    draw_if_due(uow, me.group_id, &mut queue).await?;
    let row = repo::row_of(uow.db(), queue_id, me.user_id)
        .await?
        .ok_or(QueueError::NotIn)?;
    if row.away_since.is_some() != away {
        let since = away.then(|| uow.now());
        repo::set_away(uow.db(), row.id, since).await?;
        uow.record(QueueEvent::Away {
            group: me.group_id,
            queue: queue_id,
            user: me.user_id,
            away,
        });
    }
    Ok(row.position)
}

/// The acting member asks the participant `participant_id` of the same queue to swap places;
/// they are told and answer with [`answer_swap`]. A new request replaces the asker's earlier
/// one in that queue. Returns the name of whom they asked.
pub async fn ask_swap(uow: &mut Uow<'_>, participant_id: Uuid) -> Result<String, QueueError> {
    let me = uow.member(anyone).await?;
    let (queue, theirs) = locked_participant(uow, me.group_id, participant_id).await?;
    if theirs.user_id == me.user_id {
        return Err(QueueError::SwapWithSelf);
    }
    let mine = repo::row_of(uow.db(), queue.id, me.user_id)
        .await?
        .ok_or(QueueError::NotIn)?;
    let swap = crate::storage::entities::queueswaps::Model {
        id: Uuid::new_v4(),
        queue_id: queue.id,
        from_user: me.user_id,
        from_position: mine.position,
        to_user: theirs.user_id,
        to_position: theirs.position,
        created_at: uow.now(),
    };
    repo::insert_swap(uow.db(), &swap).await?;
    let from_name = repo::name_of(uow.db(), me.user_id).await?;
    let about = repo::about(uow.db(), &queue).await?;
    uow.record(QueueEvent::SwapAsked {
        group: me.group_id,
        queue,
        about,
        swap: swap.id,
        from: (me.user_id, mine.position),
        to: (theirs.user_id, theirs.position),
        from_name,
    });
    repo::name_of(uow.db(), theirs.user_id)
        .await
        .map_err(Into::into)
}

/// The queue of the participant `participant_id`, if it is a queue of the user's group.
pub async fn participant_queue(
    db: &DatabaseConnection,
    user_id: i64,
    participant_id: Uuid,
) -> Result<Uuid, QueueError> {
    let member = require(db, user_id, anyone).await?;
    let row = repo::participant_row(db, participant_id)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    repo::queue_in_group(db, member.group_id, row.queue_id, false)
        .await
        .map(|queue| queue.id)
}

/// The swap request `swap_id`, if it is the user's to answer.
pub async fn swap_request(
    db: &DatabaseConnection,
    user_id: i64,
    swap_id: Uuid,
) -> Result<SwapRequest, QueueError> {
    let member = require(db, user_id, anyone).await?;
    let swap = repo::find_swap(db, swap_id)
        .await?
        .filter(|swap| swap.to_user == user_id)
        .ok_or(QueueError::SwapGone)?;
    let queue = repo::queue_in_group(db, member.group_id, swap.queue_id, false)
        .await
        .map_err(|_| QueueError::SwapGone)?;
    Ok(SwapRequest {
        id: swap.id,
        queue,
        from_name: repo::name_of(db, swap.from_user).await?,
        from_position: swap.from_position,
        to_position: swap.to_position,
    })
}

/// The asked participant answers the swap request `swap_id`. Accepted, the two places are
/// exchanged in this transaction if both still stand where they stood when asked; if either
/// has moved or left meanwhile nothing changes ([`SwapOutcome::Stale`]). Either way the request
/// is gone and the asker is told.
pub async fn answer_swap(
    uow: &mut Uow<'_>,
    swap_id: Uuid,
    accept: bool,
) -> Result<SwapOutcome, QueueError> {
    let me = uow.member(anyone).await?;
    let swap = repo::find_swap(uow.db(), swap_id)
        .await?
        .filter(|swap| swap.to_user == me.user_id)
        .ok_or(QueueError::SwapGone)?;
    let queue = repo::queue_in_group(uow.db(), me.group_id, swap.queue_id, true)
        .await
        .map_err(|_| QueueError::SwapGone)?;
    // Under the queue's lock: answered meanwhile (a double press) → gone.
    if !repo::delete_swap(uow.db(), swap.id).await? {
        return Err(QueueError::SwapGone);
    }
    let outcome = if accept {
        let asker = repo::row_of(uow.db(), queue.id, swap.from_user).await?;
        let answerer = repo::row_of(uow.db(), queue.id, swap.to_user).await?;
        match (asker, answerer) {
            (Some(a), Some(b))
                if a.position == swap.from_position && b.position == swap.to_position =>
            {
                repo::swap(uow.db(), &a, &b).await?;
                SwapOutcome::Swapped {
                    position: a.position,
                }
            }
            _ => SwapOutcome::Stale,
        }
    } else {
        SwapOutcome::Declined
    };
    let to_name = repo::name_of(uow.db(), me.user_id).await?;
    let about = repo::about(uow.db(), &queue).await?;
    uow.record(QueueEvent::SwapAnswered {
        group: me.group_id,
        queue,
        about,
        from: (swap.from_user, swap.from_position),
        to: (swap.to_user, swap.to_position),
        to_name,
        outcome,
    });
    Ok(outcome)
}

/// A no-show: the leader sends the participant `participant_id`, who must still stand first,
/// `back` places back (`None`: to the end) instead of removing them.
pub async fn no_show(
    uow: &mut Uow<'_>,
    participant_id: Uuid,
    back: Option<i32>,
) -> Result<Moved, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let (queue, row) = locked_participant(uow, me.group_id, participant_id).await?;
    if row.position != 1 {
        return Err(QueueError::NotFirst);
    }
    let len = repo::length(uow.db(), queue.id).await?;
    let to = back.map_or(len, |back| (1 + back.max(1)).min(len));
    place(uow, me.group_id, queue, row, to).await
}

/// How many turns «Следующий» skips an away participant before they go to the end.
pub const AWAY_TURNS: i32 = 3;

/// «Следующий»: the turn of the first participant who is not away is over. Each away
/// participant standing before them is skipped: they keep their place for [`AWAY_TURNS`]
/// turns, then go to the end of the queue (still away); either way they are told.
pub async fn next(uow: &mut Uow<'_>, queue_id: Uuid) -> Result<Departure, QueueError> {
    let me = uow.member(Role::can_manage).await?;
    let mut queue = repo::queue_in_group(uow.db(), me.group_id, queue_id, true).await?;
    draw_if_due(uow, me.group_id, &mut queue).await?;
    let rows = repo::rows(uow.db(), queue_id).await?;
    if rows.is_empty() {
        return Err(QueueError::Empty);
    }
    let served = rows
        .iter()
        .find(|row| row.away_since.is_none())
        .cloned()
        .ok_or(QueueError::AllAway)?;
    let about = repo::about(uow.db(), &queue).await?;
    let mut to_end = Vec::new();
    for row in rows.iter().take_while(|row| row.id != served.id) {
        let skipped = row.skipped + 1;
        if skipped >= AWAY_TURNS {
            to_end.push(row.id);
        } else {
            repo::count_skip(uow.db(), row.id, skipped).await?;
            uow.record(QueueEvent::Skipped {
                group: me.group_id,
                queue: queue.clone(),
                about: about.clone(),
                user: row.user_id,
                turns_left: AWAY_TURNS - skipped,
                moved_to: None,
            });
        }
    }
    let departure = exit(
        uow,
        me.group_id,
        queue.clone(),
        about.clone(),
        served,
        Exit::Served,
    )
    .await?;
    for id in to_end {
        let Some(row) = repo::participant_row(uow.db(), id).await? else {
            continue;
        };
        let len = repo::length(uow.db(), queue_id).await?;
        repo::move_to(uow.db(), &row, len).await?;
        repo::count_skip(uow.db(), row.id, 0).await?;
        uow.record(QueueEvent::Skipped {
            group: me.group_id,
            queue: queue.clone(),
            about: about.clone(),
            user: row.user_id,
            turns_left: 0,
            moved_to: Some(len),
        });
    }
    Ok(departure)
}
