//! The queue screens students keep open in their private chats follow their places: when a
//! change moves people in a queue (someone ahead leaves, «Следующий», a move, a swap, the
//! lottery), each student's last opened screen of that queue is edited to the current state —
//! so «👉 4.» never stays above «🔔 Ваша очередь!», and after being called the screen offers
//! «Встать» again.
//!
//! The same path as the chat's live messages (`telegram::chats::live`): the event's `live()`
//! names the queue (`Live::QueuePlaces`), `Ctx::react` calls [`touch`] after the commit, and
//! only the sender-role instance edits, within its one budget (another instance marks the rows
//! and wakes it). Each screen has at most one edit task, editing at most once per
//! [`EDIT_INTERVAL`] with the state read at that moment; an edit that would show what the
//! message shows (the fingerprint stored with the row) is not sent, so Telegram is never asked
//! for an edit it refuses as "not modified". A screen whose student no longer stands in the
//! queue is edited once more and then forgotten; one that shows something else since is
//! forgotten when it is replaced (`screen::show`).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard};

use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};
use tokio::time::Instant;
use uuid::Uuid;

use super::render;
use crate::queues::screens::{self as rules, Screen};
use crate::queues::service;
use crate::telegram::chats::live::EDIT_INTERVAL;
use crate::telegram::{Ctx, api, screen, session};

#[derive(Debug, Default)]
struct Slot {
    dirty: bool,
    running: bool,
}

type Key = (Uuid, i64);

static SLOTS: LazyLock<Mutex<HashMap<Key, Slot>>> = LazyLock::new(Default::default);

fn slots() -> MutexGuard<'static, HashMap<Key, Slot>> {
    SLOTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The fingerprint stored for a screen (the bits of [`screen::fingerprint`]).
pub fn stored(fingerprint: u64) -> i64 {
    i64::from_ne_bytes(fingerprint.to_ne_bytes())
}

/// `queue`'s places changed: the screens its students keep open are refreshed (coalesced, in
/// the background, by the sender). Call it after the change committed; it never fails.
pub async fn touch(ctx: &Ctx, queue: Uuid) {
    if !ctx.notifier.is_sender() {
        match rules::mark_touched(&ctx.db, queue, ctx.notifier.now()).await {
            Ok(0) => {}
            Ok(_) => ctx.notifier.wakeup().live(),
            Err(err) => tracing::warn!(%err, %queue, "could not mark queue screens"),
        }
        return;
    }
    match rules::of_queue(&ctx.db, queue).await {
        Ok(screens) => {
            for screen in screens {
                mark_dirty(ctx, (screen.queue, screen.user));
            }
        }
        Err(err) => tracing::warn!(%err, %queue, "could not look up queue screens"),
    }
}

/// The sender's side of [`touch`]: the queues other instances marked.
pub async fn edit_touched(ctx: &Ctx) {
    match rules::take_touched(&ctx.db).await {
        Ok(queues) => {
            for queue in queues {
                touch(ctx, queue).await;
            }
        }
        Err(err) => tracing::warn!(%err, "could not read the marked queue screens"),
    }
}

fn mark_dirty(ctx: &Ctx, key: Key) {
    {
        let mut slots = slots();
        let slot = slots.entry(key).or_default();
        slot.dirty = true;
        if slot.running {
            return;
        }
        slot.running = true;
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let _running = Running(key);
        edit_loop(&ctx, key).await;
    });
}

/// Clears the `running` mark when the task ends, however it ends (a task that finds nothing
/// to do removes its slot itself, under the same lock as the check).
struct Running(Key);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(slot) = slots().get_mut(&self.0) {
            slot.running = false;
        }
    }
}

async fn edit_loop(ctx: &Ctx, key: Key) {
    let mut last_edit: Option<Instant> = None;
    loop {
        if let Some(at) = last_edit {
            tokio::time::sleep_until(at + EDIT_INTERVAL).await;
        }
        {
            let mut slots = slots();
            let slot = slots.entry(key).or_default();
            if !slot.dirty {
                // Under the lock: a change marked from now on starts a new task.
                slots.remove(&key);
                return;
            }
            slot.dirty = false;
        }
        if !ctx.notifier.is_sender() {
            // The role went elsewhere: the edit is the new holder's.
            if let Err(err) = rules::mark_touched(&ctx.db, key.0, ctx.notifier.now()).await {
                tracing::warn!(%err, "could not hand a queue screen's edit over");
            }
            ctx.notifier.wakeup().live();
            return;
        }
        match edit_once(ctx, key).await {
            Ok(Round::Wait(wait)) => {
                slots().entry(key).or_default().dirty = true;
                ctx.notifier.limiter().pause_for(wait);
                last_edit = Some(Instant::now() + wait);
            }
            Ok(Round::Later) => {
                slots().entry(key).or_default().dirty = true;
                last_edit = Some(Instant::now());
            }
            Ok(Round::Done) => last_edit = Some(Instant::now()),
            Err(err) => {
                tracing::warn!(%err, "could not refresh a queue screen");
                last_edit = Some(Instant::now());
            }
        }
    }
}

/// What one round of a screen's editor came to.
enum Round {
    /// Edited, or nothing to edit.
    Done,
    /// The student's own press is being handled, and its answer shows them the screen: look
    /// again after it (two edits of one message at once could be the same, which Telegram
    /// refuses).
    Later,
    /// Telegram asked to wait.
    Wait(std::time::Duration),
}

/// Whether `user` has an update not yet finished (its handler may be editing their screen).
async fn is_busy(ctx: &Ctx, user: i64) -> Result<bool, sea_orm::DbErr> {
    use crate::storage::entities::inbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let pending: Option<i64> = inbox::Entity::find()
        .select_only()
        .column(inbox::Column::UpdateId)
        .filter(inbox::Column::Actor.eq(user))
        .filter(inbox::Column::DoneAt.is_null())
        .into_tuple()
        .one(&ctx.db)
        .await?;
    Ok(pending.is_some())
}

/// One edit of the screen, if it shows something else than the current state.
async fn edit_once(ctx: &Ctx, (queue, user): Key) -> Result<Round, sea_orm::DbErr> {
    let Some(mut kept) = rules::current(&ctx.db, queue, user).await? else {
        return Ok(Round::Done);
    };
    use crate::members::access::{self, AccessError};
    let viewer = match access::viewer(&ctx.db, user).await {
        Ok(viewer) => viewer,
        Err(AccessError::Db(err)) => return Err(err),
        Err(_) => return rules::forget(&ctx.db, &kept).await.map(|()| Round::Done),
    };
    let view = match service::view(&ctx.db, &viewer, queue, ctx.notifier.now()).await {
        Ok(view) => view,
        Err(service::QueueError::Db(err) | service::QueueError::Access(AccessError::Db(err))) => {
            return Err(err);
        }
        Err(_) => return rules::forget(&ctx.db, &kept).await.map(|()| Round::Done),
    };
    let locale = session::locale_of(&ctx.db, user).await?;
    let text = render::view_text(locale, &view);
    let keyboard = crate::telegram::miniapp::with_open_button_in(
        ctx,
        ChatId(kept.chat),
        locale,
        render::view_keyboard(locale, &view),
    );
    let standing = view.participants.iter().any(|p| p.user_id == user);
    let shown = stored(screen::screen_fingerprint(&text, &keyboard));
    if shown == kept.shown {
        return Ok(Round::Done);
    }
    let limiter = ctx.notifier.limiter();
    limiter.paused().await;
    limiter.acquire_global().await;
    // Right before the edit: the student's own press may be showing them the screen, or just
    // did (the row then holds what it showed) — either way, look again afterwards.
    if is_busy(ctx, user).await? || rules::current(&ctx.db, queue, user).await? != Some(kept) {
        return Ok(Round::Later);
    }
    let edited = ctx
        .api
        .call_once(api::edit_html(
            ChatId(kept.chat),
            MessageId(kept.message),
            &text,
            keyboard,
        ))
        .await;
    match edited {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) if !standing => {
            rules::forget(&ctx.db, &kept).await?;
        }
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
            kept.shown = shown;
            rules::set_shown(&ctx.db, &kept).await?;
        }
        Err(RequestError::RetryAfter(after)) => return Ok(Round::Wait(after.duration())),
        Err(RequestError::Api(
            ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited | ApiError::BotBlocked,
        )) => rules::forget(&ctx.db, &kept).await?,
        Err(err) => tracing::warn!(%err, chat = kept.chat, "could not edit a queue screen"),
    }
    Ok(Round::Done)
}

/// Remembers the screen just shown at `at` to `user` (who stands in `queue` if `standing`):
/// a student's screen is kept current, anyone else's is not kept.
pub async fn shown(
    ctx: &Ctx,
    user: i64,
    queue: Uuid,
    standing: bool,
    at: Option<(ChatId, MessageId)>,
    fingerprint: u64,
) -> Result<(), sea_orm::DbErr> {
    let Some((chat, message)) = at else {
        return Ok(());
    };
    let screen = Screen {
        queue,
        user,
        chat: chat.0,
        message: message.0,
        shown: stored(fingerprint),
    };
    if standing {
        rules::remember(&ctx.db, screen, ctx.notifier.now()).await
    } else {
        rules::forget(&ctx.db, &screen).await
    }
}
