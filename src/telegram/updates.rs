//! From a Telegram update to its handler, exactly once, through one pipeline.
//!
//! Polling and webhooks differ only in how an update arrives: the poller ([`poll`]) stores each
//! `getUpdates` batch in the inbox and only then asks for the next offset (which is what tells
//! Telegram to forget the batch); the webhook endpoint stores the posted update, then answers
//! 200. The inbox workers of every instance (`telegram::inbox`) hand each row to
//! [`Processor::process`]: one user's updates in order, different users concurrently.

use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use sea_orm::sea_query::{IntoIden, OnConflict};
use teloxide::RequestError;
use teloxide::payloads::{GetUpdates, GetUpdatesSetters as _};
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Me, UpdateKind};
use tokio::sync::{Notify, watch};
use tracing::Instrument as _;

use super::inbox::{Claim, Handoff, Inbox};
use super::session::{Session, user_id};
use super::{Ctx, HandlerError, UpdateHandler, send};
use crate::members;
use crate::storage::role::{Role, RoleName};

/// What became of one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Handled (or deliberately ignored, or its handler panicked): it is finished.
    Handled,
    /// The database failed while handling; unless something was already decided, the update is
    /// handled again shortly.
    Failed,
}

/// Routes updates through the handler tree.
pub struct Processor {
    ctx: Ctx,
    handler: Arc<UpdateHandler>,
    me: Me,
}

impl Processor {
    pub fn new(ctx: Ctx, handler: UpdateHandler, me: Me) -> Self {
        Self {
            ctx,
            handler: Arc::new(handler),
            me,
        }
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Handles one claimed update. Every log line written meanwhile carries the update's id and
    /// its user's id (span `update`).
    pub async fn process(&self, update: Update, claim: Arc<Claim>) -> Outcome {
        let span = tracing::info_span!(
            "update",
            update_id = update.id.0,
            user_id = update.from().map(|user| user.id.0)
        );
        let kind = kind_label(&update);
        let started = Instant::now();
        let outcome = self.handle(update, claim).instrument(span).await;
        crate::http::metrics::update_handled(kind, started.elapsed());
        outcome
    }

    async fn handle(&self, update: Update, claim: Arc<Claim>) -> Outcome {
        let update_id = update.id.0;
        let ctx = Ctx {
            api: self
                .ctx
                .api
                .with_gate(Arc::clone(&claim) as Arc<dyn super::api::SendGate>),
            claim: Some(Arc::clone(&claim)),
            deferred: Some(Arc::default()),
            ..self.ctx.clone()
        };
        // A bug in one handler must not take the bot down: a panic is logged, the user told to
        // retry, and the update counts as handled (so it cannot crash the bot again).
        let handled = AssertUnwindSafe(self.dispatch(&ctx, update.clone()))
            .catch_unwind()
            .await;
        ctx.react_deferred().await;
        match handled {
            Ok(Ok(())) => Outcome::Handled,
            Ok(Err(err)) => self.report(&claim, &update, err).await,
            Err(_) => {
                tracing::error!(update_id, "a handler panicked; the update is dropped");
                if claim.open().await.is_ok() {
                    self.tell_to_retry(&update).await;
                }
                Outcome::Handled
            }
        }
    }

    async fn dispatch(&self, ctx: &Ctx, update: Update) -> Result<(), HandlerError> {
        // Group chats have their own small set of reactions and no per-user session: what is
        // said there must not touch anyone's private dialogue (see `chats::handlers`).
        if crate::telegram::chats::handlers::is_group_update(&update) {
            return crate::telegram::chats::handlers::handle_group(ctx, &self.me, &update).await;
        }
        let Some(user) = update.from() else {
            return Ok(()); // channel posts, polls…: nothing for the bot to do
        };
        let chat = update
            .chat()
            .map(|chat| chat.id)
            .unwrap_or(ChatId(user_id(user)));
        let text = match &update.kind {
            UpdateKind::Message(message) => message.text(),
            _ => None,
        };
        let session = Session::load(&ctx.db, user, chat, text, ctx.notifier.now()).await?;
        let deps = dptree::deps![update.clone(), ctx.clone(), self.me.clone(), session];
        match self.handler.dispatch(deps).await {
            ControlFlow::Break(result) => result,
            ControlFlow::Continue(_) => Ok(()),
        }
    }

    /// An infrastructure failure while handling: the user is told to retry; an unreachable user
    /// is marked so nothing more is sent to them.
    async fn report(&self, claim: &Claim, update: &Update, err: HandlerError) -> Outcome {
        let update_id = update.id.0;
        match &err {
            // Nothing was sent: the claim could not be recorded (lost, or the database failed),
            // so the update is left to whoever holds it, or tried again.
            HandlerError::Telegram(_) if !claim.decided() => {
                tracing::warn!(update_id, %err, "not answering an update this instance could not claim");
                Outcome::Failed
            }
            HandlerError::Telegram(request) if send::is_unreachable(request) => {
                // A group chat that is unreachable says nothing about the user who wrote there.
                let private = update.chat().is_none_or(|chat| chat.is_private());
                if let Some(user) = update.from().filter(|_| private) {
                    tracing::info!(
                        update_id,
                        user = user.id.0,
                        "user unreachable; marking blocked"
                    );
                    if let Err(err) =
                        members::service::set_blocked(&self.ctx.db, user_id(user), true).await
                    {
                        tracing::warn!(%err, "could not mark a user blocked");
                    }
                }
                Outcome::Handled
            }
            HandlerError::Telegram(request) => {
                tracing::error!(update_id, %request, "Bot API request failed while handling");
                Outcome::Handled
            }
            HandlerError::Db(db) => {
                crate::storage::report_failure();
                tracing::error!(update_id, %db, "database failed while handling");
                // Telling the user decides the update; if even that cannot be recorded, the
                // update is handled again once the database answers.
                if claim.open().await.is_ok() {
                    self.tell_to_retry(update).await;
                }
                Outcome::Failed
            }
        }
    }

    /// Tells the user behind `update` that something failed and to try again.
    pub(crate) async fn tell_to_retry(&self, update: &Update) {
        let Some(user) = update.from() else { return };
        let locale = super::Locale::resolve(None, user.language_code.as_deref());
        let text = locale.text("error-temporary");
        if let UpdateKind::CallbackQuery(query) = &update.kind {
            if let Err(err) = self.ctx.api.answer(&query.id, Some(&text), false).await {
                tracing::warn!(%err, "could not answer a callback query");
            }
        } else if let Some(chat) = update.chat().filter(|chat| chat.is_private())
            && let Err(err) = send::html(&self.ctx, chat.id, &text, None).await
        {
            tracing::warn!(%err, "could not tell a user to retry");
        }
    }
}

/// The `kind` label of the updates metric.
fn kind_label(update: &Update) -> &'static str {
    match &update.kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        _ => "other",
    }
}

/// `ON CONFLICT (update_id) DO NOTHING`: an update stored before is not stored again.
pub(super) fn stored_once(update_id: impl IntoIden) -> OnConflict {
    OnConflict::column(update_id).do_nothing().to_owned()
}

/// The kinds of update the bot asks Telegram for (polling and webhook alike).
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::MyChatMember,
    ]
}

/// Long polling on the instance that holds the poller role, until `stop` turns true; the
/// others stand by and take the role over when its holder dies. Each batch is stored in the
/// inbox before the next `getUpdates` confirms it; the rows claimed while storing go to this
/// instance's worker through `hand`, and `wake` tells it of rows left to claim.
pub async fn poll(
    processor: &Processor,
    inbox: &Inbox,
    wake: &Notify,
    hand: &Handoff,
    poll_timeout_secs: u32,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        let Some(mut role) = Role::acquire(inbox.db(), RoleName::Poller, &mut stop).await else {
            break;
        };
        let lost = tokio::select! {
            () = poll_while_held(processor, inbox, wake, hand, poll_timeout_secs, stop.clone()) => false,
            () = role.lost() => true,
        };
        role.release().await;
        if !lost {
            break;
        }
    }
}

/// The poller's loop. The offset moves past a batch only once the batch is stored; on stop the
/// last stored batch is confirmed.
async fn poll_while_held(
    processor: &Processor,
    inbox: &Inbox,
    wake: &Notify,
    hand: &Handoff,
    poll_timeout_secs: u32,
    mut stop: watch::Receiver<bool>,
) {
    let api = &processor.ctx.api;
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    while !*stop.borrow() {
        let request = api.call_once(
            GetUpdates::new()
                .offset(offset)
                .timeout(poll_timeout_secs)
                .allowed_updates(allowed_updates()),
        );
        let result = tokio::select! {
            _ = stop.changed() => break,
            result = request => result,
        };
        let delay = match result {
            Ok(updates) => {
                failures = 0;
                let Some(last) = updates.iter().map(|update| update.id.0).max() else {
                    continue;
                };
                store_batch(processor, inbox, wake, hand, updates).await;
                offset = i32::try_from(last).map_or(i32::MAX, |id| id.saturating_add(1));
                continue;
            }
            Err(RequestError::RetryAfter(after)) => after.duration(),
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = poll_pause(failures);
                tracing::warn!(%err, ?delay, "getUpdates failed; retrying");
                delay
            }
        };
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep(delay) => {}
        }
    }
    if offset > 0 {
        // Confirm the last stored batch, so the next start does not receive it again.
        let confirm = api.call_once(GetUpdates::new().offset(offset).timeout(0).limit(1));
        if let Err(err) = confirm.await {
            tracing::warn!(%err, "could not confirm the last updates; they will be skipped as duplicates");
        }
    }
}

/// The longest pause between two polls after failures.
const POLL_PAUSE_MAX: Duration = Duration::from_secs(4);

/// The pause after `failures` failed polls in a row: 0.5 s, doubling, at most
/// [`POLL_PAUSE_MAX`]. One poll every few seconds costs Telegram nothing, while a longer pause
/// would hold every user's update that long after Telegram is back (a run of seven 500s once
/// paused polling for 32 s).
fn poll_pause(failures: u32) -> Duration {
    Duration::from_millis(250u64 << failures.min(5)).min(POLL_PAUSE_MAX)
}

/// Stores a `getUpdates` batch and hands what it claimed to the worker. If the database is
/// down, each sender is told to try again (as with a webhook) and the batch is confirmed
/// anyway: holding it would only delay that answer.
async fn store_batch(
    processor: &Processor,
    inbox: &Inbox,
    wake: &Notify,
    hand: &Handoff,
    updates: Vec<Update>,
) {
    let rows = updates
        .iter()
        .filter_map(|update| {
            let payload = serde_json::to_value(update)
                .inspect_err(|err| tracing::warn!(update_id = update.id.0, %err, "an update does not serialise; dropping it"))
                .ok()?;
            Some((i64::from(update.id.0), payload))
        })
        .collect();
    match inbox.store_and_claim(rows, hand.free()).await {
        Ok(stored) => {
            // A user whose earlier update is in this worker's hand is followed by it; any
            // other waiting row is for the claim (here or on another instance).
            let unfollowed = stored.waiting.iter().any(|&actor| !hand.follow(actor));
            if stored.left || unfollowed {
                wake.notify_one();
            }
            if !stored.claimed.is_empty() && !hand.hand(stored.claimed) {
                // The worker is gone (stopping): the leases run out and the rows are
                // handled by whichever instance claims them next.
                tracing::warn!("stored updates could not be handed to the worker");
            }
            return;
        }
        Err(err) => {
            crate::storage::report_failure();
            tracing::error!(%err, "cannot store updates; telling their senders to retry");
        }
    }
    for update in &updates {
        processor.tell_to_retry(update).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_polls_pause_half_a_second_then_doubling_to_four_seconds_at_most() {
        let pauses: Vec<u64> = (1..=9)
            .map(|failures| poll_pause(failures).as_millis() as u64)
            .collect();
        assert_eq!(
            pauses,
            [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000]
        );
        assert_eq!(poll_pause(u32::MAX), POLL_PAUSE_MAX);
    }
}
