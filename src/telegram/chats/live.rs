//! Live messages: a queue or topic list published to the group's chat as one message that is
//! edited to the current state as it changes.
//!
//! Edits are coalesced. A change marks the target's live messages dirty ([`touch`]); each live
//! message has at most one edit task in the process, which edits it at most once per
//! [`EDIT_INTERVAL`], each time with the state read from the database at that moment. A burst
//! of presses therefore costs a handful of edits, and the last edit shows the final state: a
//! change that lands while an edit is in flight marks the message dirty again, so one more
//! edit follows. An edit that would show what the message already shows is not sent.
//! `message is not modified` counts as success; 429 pauses for `retry_after` (through the
//! shared rate limiter) and the message stays dirty; a message that can no longer be edited
//! (deleted in the chat) is forgotten.
//!
//! One editor per message across instances: only the instance holding the sender role edits
//! (its budget is the bot's). A change on another instance marks the live messages in the
//! database (`livemessages.touched_at`) and wakes the sender ([`touch`]); the sender's
//! [`edit_touched`] takes the marks and feeds them to the same coalescing editors. An editor
//! whose instance lost the role hands its message back the same way.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};
use tokio::time::Instant;
use uuid::Uuid;

use super::render;
use crate::chats::live::{self as rules, LiveKind};
use crate::storage::entities::livemessages;
use crate::telegram::{Ctx, Locale, api};

/// The shortest time between two edits of one live message.
pub const EDIT_INTERVAL: Duration = Duration::from_millis(1_500);
/// Finished entries are dropped beyond this many (they only remember what was shown).
const MAX_REMEMBERED: usize = 10_000;

#[derive(Debug, Default)]
struct Slot {
    /// A change happened since the last edit started.
    dirty: bool,
    /// An edit task is running for this message.
    running: bool,
    /// What the message shows (a hash of text and buttons), if known.
    shown: Option<u64>,
}

static SLOTS: LazyLock<Mutex<HashMap<Uuid, Slot>>> = LazyLock::new(Default::default);

fn slots() -> MutexGuard<'static, HashMap<Uuid, Slot>> {
    SLOTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fingerprint(text: &str, keyboard: &InlineKeyboardMarkup) -> u64 {
    crate::telegram::screen::fingerprint(text, Some(keyboard))
}

/// The live messages' language: a chat has many readers, so the bot's default.
pub fn chat_locale() -> Locale {
    Locale::default()
}

/// What a live message of `kind` for `target` shows now; `None` if the target is gone.
pub async fn render_now(
    ctx: &Ctx,
    kind: LiveKind,
    target: Uuid,
) -> Result<Option<(String, InlineKeyboardMarkup)>, sea_orm::DbErr> {
    let locale = chat_locale();
    Ok(match kind {
        LiveKind::Queue => rules::queue_state(&ctx.db, target)
            .await?
            .map(|state| render::queue(locale, &state)),
        LiveKind::Topics => rules::topics_state(&ctx.db, target)
            .await?
            .map(|state| render::topics(locale, &state)),
    })
}

/// Remembers what a just-posted live message shows, so an edit to the same is not sent.
pub fn posted(live: Uuid, text: &str, keyboard: &InlineKeyboardMarkup) {
    slots().entry(live).or_default().shown = Some(fingerprint(text, keyboard));
}

/// `kind`'s `target` changed: its live messages are refreshed (coalesced, in the background, by
/// the sender). Call it after the change committed; it never fails the caller.
pub async fn touch(ctx: &Ctx, kind: LiveKind, target: Uuid) {
    if !ctx.notifier.is_sender() {
        match rules::mark_touched(&ctx.db, kind, target, ctx.notifier.now()).await {
            Ok(0) => {}
            Ok(_) => ctx.notifier.wakeup().live(),
            Err(err) => tracing::warn!(%err, %target, "could not mark live messages"),
        }
        return;
    }
    match rules::live_messages_of(&ctx.db, kind, target).await {
        Ok(messages) => {
            for live in messages {
                mark_dirty(ctx, live);
            }
        }
        Err(err) => tracing::warn!(%err, %target, "could not look up live messages"),
    }
}

/// How often the sender looks for marks without being woken (a wake-up lost on the way).
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// The sender's side of [`touch`]: takes the live messages other instances marked and edits
/// them (coalesced like local changes), whenever woken and every [`SWEEP_EVERY`], until `stop`
/// turns true.
pub async fn edit_touched(ctx: &Ctx, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match rules::take_touched(&ctx.db).await {
            Ok(touched) => {
                for live in touched {
                    mark_dirty(ctx, live);
                }
            }
            Err(err) => tracing::warn!(%err, "could not read the marked live messages"),
        }
        crate::telegram::queues::screens::edit_touched(ctx).await;
        tokio::select! {
            () = ctx.notifier.wakeup().live_woken().notified() => {}
            () = tokio::time::sleep(SWEEP_EVERY) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

/// Marks one live message dirty and starts its edit task unless one is running.
fn mark_dirty(ctx: &Ctx, live: livemessages::Model) {
    {
        let mut slots = slots();
        if slots.len() > MAX_REMEMBERED {
            slots.retain(|_, slot| slot.running || slot.dirty);
        }
        let slot = slots.entry(live.id).or_default();
        slot.dirty = true;
        if slot.running {
            return;
        }
        slot.running = true;
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let _running = Running(live.id);
        edit_loop(&ctx, &live).await;
    });
}

/// Clears the `running` mark when the task ends, however it ends.
struct Running(Uuid);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(slot) = slots().get_mut(&self.0) {
            slot.running = false;
        }
    }
}

/// What one round of the edit task did.
enum Round {
    /// An edit was sent (or Telegram already showed it).
    Edited(u64),
    /// The message already shows the current state: nothing sent.
    Unchanged,
    /// The message cannot be edited any more, or its target is gone.
    Gone,
    /// Telegram asked to wait.
    Wait(Duration),
    /// Something failed; the next change tries again.
    Failed,
}

async fn edit_loop(ctx: &Ctx, live: &livemessages::Model) {
    let mut last_edit: Option<Instant> = None;
    loop {
        if let Some(at) = last_edit {
            tokio::time::sleep_until(at + EDIT_INTERVAL).await;
        }
        let shown = {
            let mut slots = slots();
            let slot = slots.entry(live.id).or_default();
            if !slot.dirty {
                slot.running = false;
                return;
            }
            slot.dirty = false;
            slot.shown
        };
        if !ctx.notifier.is_sender() {
            // The role went elsewhere: the edit is the new holder's.
            let handed = rules::mark_one_touched(&ctx.db, live.id, ctx.notifier.now()).await;
            if let Err(err) = handed {
                tracing::warn!(%err, "could not hand a live message's edit over");
            }
            ctx.notifier.wakeup().live();
            return;
        }
        match edit_once(ctx, live, shown).await {
            Round::Edited(fingerprint) => {
                slots().entry(live.id).or_default().shown = Some(fingerprint);
                last_edit = Some(Instant::now());
            }
            Round::Unchanged => {}
            Round::Gone => {
                let id = live.id;
                let clock = ctx.notifier.clock();
                let forgotten = crate::uow::run(&ctx.db, &clock, None, |uow| {
                    Box::pin(rules::forget_live_message(uow, id))
                });
                if let Err(err) = forgotten.await {
                    tracing::warn!(%err, "could not forget a live message");
                }
                slots().remove(&live.id);
                return;
            }
            Round::Wait(wait) => {
                slots().entry(live.id).or_default().dirty = true;
                ctx.notifier.limiter().pause_for(wait);
                last_edit = Some(Instant::now() + wait);
            }
            Round::Failed => last_edit = Some(Instant::now()),
        }
    }
}

async fn edit_once(ctx: &Ctx, live: &livemessages::Model, shown: Option<u64>) -> Round {
    let Some(kind) = LiveKind::parse(&live.kind) else {
        return Round::Gone;
    };
    let rendered = match render_now(ctx, kind, live.target_id).await {
        Ok(rendered) => rendered,
        Err(err) => {
            tracing::warn!(%err, "could not read a live message's state");
            return Round::Failed;
        }
    };
    let (text, keyboard, gone) = match rendered {
        Some((text, keyboard)) => (text, keyboard, false),
        None => {
            let id = match kind {
                LiveKind::Queue => "chat-queue-gone",
                LiveKind::Topics => "chat-topics-gone",
            };
            let (text, keyboard) = render::gone(chat_locale(), id);
            (text, keyboard, true)
        }
    };
    let fingerprint = fingerprint(&text, &keyboard);
    if shown == Some(fingerprint) {
        return if gone { Round::Gone } else { Round::Unchanged };
    }
    let limiter = ctx.notifier.limiter();
    limiter.paused().await;
    limiter.acquire_global().await;
    let chat = ChatId(live.chat_id);
    let message = MessageId(live.message_id);
    // One try: the message stays dirty on a failure and the next round edits it.
    let edited = ctx
        .api
        .call_once(api::edit_html(chat, message, &text, keyboard))
        .await;
    match edited {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) if gone => Round::Gone,
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Round::Edited(fingerprint),
        Err(RequestError::RetryAfter(after)) => Round::Wait(after.duration()),
        Err(RequestError::Api(
            ApiError::MessageToEditNotFound
            | ApiError::MessageCantBeEdited
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup,
        )) => Round::Gone,
        Err(err) => {
            tracing::warn!(%err, chat = live.chat_id, "could not edit a live message");
            Round::Failed
        }
    }
}
