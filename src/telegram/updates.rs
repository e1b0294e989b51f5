//! From a Telegram update to its handler, exactly once.
//!
//! Telegram forgets an update when the bot confirms it: with polling, by asking getUpdates for a
//! later offset. The bot confirms a batch only after every update in it was handled, so a crash
//! or a restart loses nothing; `processedupdates` remembers handled update ids, so an update
//! that Telegram delivers again (the bot died after handling, before confirming) is skipped.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::{FutureExt, StreamExt};
use sea_orm::sea_query::{IntoIden, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Me, UpdateKind};
use tokio::sync::watch;
use tracing::Instrument as _;

pub use super::inbox::{inbox_pending, parse_update, store_in_inbox, work_inbox};
use super::session::{Session, user_id};
use super::{Ctx, HandlerError, UpdateHandler, send};
use crate::members;
use crate::storage::entities::processedupdates;

/// Updates of different users are handled concurrently, up to this many at once; the updates
/// of one user are handled one after another, in order.
const CONCURRENT_USERS: usize = 64;
/// A claim on an update older than this, never finished, is taken over (its handler died).
const STALE_CLAIM: chrono::Duration = chrono::Duration::minutes(5);

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

    /// Handles a batch: concurrently across users, in order for each user. Returns when every
    /// update of the batch has been handled (or its failure reported). The batch is claimed in
    /// one statement; only updates seen before go through [`claim`] one by one.
    pub async fn process_batch(&self, updates: Vec<Update>) {
        let ids: Vec<i64> = updates
            .iter()
            .map(|update| i64::from(update.id.0))
            .collect();
        let fresh = match claim_all(&self.ctx.db, &ids).await {
            Ok(fresh) => fresh,
            Err(err) => {
                // Each update tries again on its own, and its user is told if that fails too.
                crate::storage::report_failure();
                tracing::warn!(%err, "could not claim a batch of updates");
                HashSet::new()
            }
        };
        let fresh = &fresh;
        let mut by_actor: Vec<(i64, Vec<Update>)> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for update in updates {
            let key = actor_key(&update);
            match index.get(&key) {
                Some(&i) => by_actor[i].1.push(update),
                None => {
                    index.insert(key, by_actor.len());
                    by_actor.push((key, vec![update]));
                }
            }
        }
        futures::stream::iter(by_actor)
            .for_each_concurrent(CONCURRENT_USERS, |(_, updates)| async move {
                for update in updates {
                    let claimed = fresh.contains(&i64::from(update.id.0));
                    self.process_with(update, claimed).await;
                }
            })
            .await;
    }

    /// Handles one update unless it was handled before. Every log line written meanwhile
    /// carries the update's id and its user's id (span `update`).
    pub async fn process(&self, update: Update) {
        self.process_with(update, false).await;
    }

    /// [`process`](Self::process) for an update that `claimed` says is already claimed.
    async fn process_with(&self, update: Update, claimed: bool) {
        let span = tracing::info_span!(
            "update",
            update_id = update.id.0,
            user_id = update.from().map(|user| user.id.0)
        );
        let kind = kind_label(&update);
        let started = Instant::now();
        if self.process_claimed(update, claimed).instrument(span).await {
            crate::http::metrics::update_handled(kind, started.elapsed());
        }
    }

    /// Claims (unless `claimed`) and handles `update`; `false` if it was skipped (handled before
    /// or elsewhere, or the database was unavailable).
    async fn process_claimed(&self, update: Update, claimed: bool) -> bool {
        let update_id = i64::from(update.id.0);
        let claim = if claimed {
            Ok(Claim::Fresh)
        } else {
            claim(&self.ctx.db, update_id).await
        };
        match claim {
            Ok(Claim::Fresh) => {}
            Ok(Claim::AlreadyHandled | Claim::InFlight) => {
                tracing::info!(update_id, "skipping an update handled before");
                return false;
            }
            Err(err) => {
                crate::storage::report_failure();
                tracing::error!(update_id, %err, "database unavailable; telling the user to retry");
                self.tell_to_retry(&update).await;
                return false;
            }
        }
        // A bug in one handler must not take the bot down: a panic is logged, the user told to
        // retry, and the update counts as handled (so it cannot crash the bot again on redelivery).
        let handled = AssertUnwindSafe(self.dispatch(update.clone()))
            .catch_unwind()
            .await;
        match handled {
            Ok(Ok(())) => {}
            Ok(Err(err)) => self.report(&update, err).await,
            Err(_) => {
                tracing::error!(update_id, "a handler panicked; the update is dropped");
                self.tell_to_retry(&update).await;
            }
        }
        if let Err(err) = finish(&self.ctx.db, update_id).await {
            tracing::warn!(update_id, %err, "could not mark an update handled");
        }
        true
    }

    async fn dispatch(&self, update: Update) -> Result<(), HandlerError> {
        // Group chats have their own small set of reactions and no per-user session: what is
        // said there must not touch anyone's private dialogue (see `chats::handlers`).
        if crate::telegram::chats::handlers::is_group_update(&update) {
            return crate::telegram::chats::handlers::handle_group(&self.ctx, &self.me, &update)
                .await;
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
        let session =
            Session::load(&self.ctx.db, user, chat, text, self.ctx.notifier.now()).await?;
        let deps = dptree::deps![
            update.clone(),
            self.ctx.clone(),
            self.ctx.bot.clone(),
            self.me.clone(),
            session
        ];
        match self.handler.dispatch(deps).await {
            ControlFlow::Break(result) => result,
            ControlFlow::Continue(_) => Ok(()),
        }
    }

    /// An infrastructure failure while handling: the user is told to retry; an unreachable user
    /// is marked so nothing more is sent to them.
    async fn report(&self, update: &Update, err: HandlerError) {
        let update_id = update.id.0;
        match &err {
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
            }
            HandlerError::Telegram(request) => {
                tracing::error!(update_id, %request, "Bot API request failed while handling");
            }
            HandlerError::Db(db) => {
                crate::storage::report_failure();
                tracing::error!(update_id, %db, "database failed while handling");
                self.tell_to_retry(update).await;
            }
        }
    }

    /// Tells the user behind `update` that something failed and to try again.
    pub(crate) async fn tell_to_retry(&self, update: &Update) {
        let Some(user) = update.from() else { return };
        let locale = super::Locale::resolve(None, user.language_code.as_deref());
        let text = locale.text("error-temporary");
        if let UpdateKind::CallbackQuery(query) = &update.kind {
            let answer = self
                .ctx
                .bot
                .answer_callback_query(query.id.clone())
                .text(text);
            if let Err(err) = answer.await {
                tracing::warn!(%err, "could not answer a callback query");
            }
        } else if let Some(chat) = update.chat().filter(|chat| chat.is_private())
            && let Err(err) = send::html(&self.ctx.bot, chat.id, &text, None).await
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

/// Updates of one user (or, without a user, one chat) share a key and are handled in order.
fn actor_key(update: &Update) -> i64 {
    update
        .from()
        .map(user_id)
        .or_else(|| update.chat().map(|chat| chat.id.0))
        .unwrap_or(0)
}

#[derive(Debug, PartialEq, Eq)]
enum Claim {
    Fresh,
    AlreadyHandled,
    InFlight,
}

/// Claims `update_id` for handling. An update handled before, or being handled elsewhere right
/// now, is not claimed.
async fn claim(db: &impl ConnectionTrait, update_id: i64) -> Result<Claim, DbErr> {
    if claim_all(db, &[update_id]).await?.contains(&update_id) {
        return Ok(Claim::Fresh);
    }
    let now = Utc::now();
    let Some(row) = processedupdates::Entity::find_by_id(update_id)
        .one(db)
        .await?
    else {
        return Ok(Claim::InFlight);
    };
    if row.handled_at.is_some() {
        return Ok(Claim::AlreadyHandled);
    }
    if now - row.received_at < STALE_CLAIM {
        return Ok(Claim::InFlight);
    }
    let taken_over = processedupdates::Entity::update_many()
        .set(processedupdates::ActiveModel {
            received_at: Set(now),
            ..Default::default()
        })
        .filter(processedupdates::Column::UpdateId.eq(update_id))
        .filter(processedupdates::Column::ReceivedAt.eq(row.received_at))
        .filter(processedupdates::Column::HandledAt.is_null())
        .exec(db)
        .await?;
    Ok(if taken_over.rows_affected == 1 {
        Claim::Fresh
    } else {
        Claim::InFlight
    })
}

/// Claims every update of `ids` that was never claimed, in one statement; returns those.
/// The rest (seen before) are left to [`claim`], which tells a finished update from an
/// abandoned one.
async fn claim_all(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashSet<i64>, DbErr> {
    let now = Utc::now();
    let rows = ids.iter().map(|&update_id| processedupdates::ActiveModel {
        update_id: Set(update_id),
        received_at: Set(now),
        handled_at: Set(None),
    });
    let claimed = processedupdates::Entity::insert_many(rows)
        .on_conflict(stored_once(processedupdates::Column::UpdateId))
        .exec_with_returning_keys(db)
        .await?;
    Ok(claimed.into_iter().collect())
}

/// In polling mode only one instance receives updates (Telegram refuses a second `getUpdates`),
/// so an unfinished claim made before this run started belongs to a run that was killed in the
/// middle of the update. Telegram delivers that update again (its offset was never confirmed);
/// the claim is made stale so the update is taken over rather than skipped as "in flight" —
/// which would lose it.
async fn release_orphaned_claims(
    db: &impl ConnectionTrait,
    started: chrono::DateTime<Utc>,
) -> Result<u64, DbErr> {
    let released = processedupdates::Entity::update_many()
        .set(processedupdates::ActiveModel {
            received_at: Set(started - STALE_CLAIM),
            ..Default::default()
        })
        .filter(processedupdates::Column::HandledAt.is_null())
        .filter(processedupdates::Column::ReceivedAt.lt(started))
        .exec(db)
        .await?;
    if released.rows_affected > 0 {
        tracing::info!(
            claims = released.rows_affected,
            "taking over updates an earlier run left unfinished"
        );
    }
    Ok(released.rows_affected)
}

/// `ON CONFLICT (update_id) DO NOTHING`: an update stored before is not stored again.
pub(super) fn stored_once(update_id: impl IntoIden) -> OnConflict {
    OnConflict::column(update_id).do_nothing().to_owned()
}

async fn finish(db: &impl ConnectionTrait, update_id: i64) -> Result<(), DbErr> {
    processedupdates::Entity::update_many()
        .set(processedupdates::ActiveModel {
            handled_at: Set(Some(Utc::now())),
            ..Default::default()
        })
        .filter(processedupdates::Column::UpdateId.eq(update_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The kinds of update the bot asks Telegram for (polling and webhook alike).
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::MyChatMember,
    ]
}

/// Long polling until `shutdown` turns true. The offset moves past a batch only after the batch
/// was handled; on shutdown the batch in hand is finished and confirmed.
pub async fn poll(
    processor: &Processor,
    poll_timeout_secs: u32,
    mut shutdown: watch::Receiver<bool>,
) {
    let bot = &processor.ctx.bot;
    if let Err(err) = release_orphaned_claims(&processor.ctx.db, Utc::now()).await {
        tracing::warn!(%err, "could not release the claims of an earlier run");
    }
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    while !*shutdown.borrow() {
        let request = bot
            .get_updates()
            .offset(offset)
            .timeout(poll_timeout_secs)
            .allowed_updates(allowed_updates())
            .send();
        let result = tokio::select! {
            _ = shutdown.changed() => break,
            result = request => result,
        };
        let delay = match result {
            Ok(updates) => {
                failures = 0;
                let Some(last) = updates.iter().map(|update| update.id.0).max() else {
                    continue;
                };
                processor.process_batch(updates).await;
                offset = i32::try_from(last).map_or(i32::MAX, |id| id.saturating_add(1));
                continue;
            }
            Err(RequestError::RetryAfter(after)) => after.duration(),
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = Duration::from_millis(250u64 << failures.min(7));
                tracing::warn!(%err, ?delay, "getUpdates failed; retrying");
                delay
            }
        };
        tokio::select! {
            _ = shutdown.changed() => break,
            () = tokio::time::sleep(delay) => {}
        }
    }
    if offset > 0 {
        // Confirm the last handled batch, so the next start does not receive it again.
        let confirm = bot.get_updates().offset(offset).timeout(0).limit(1).send();
        if let Err(err) = confirm.await {
            tracing::warn!(%err, "could not confirm the last updates; they will be skipped as duplicates");
        }
    }
}
