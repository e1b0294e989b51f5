//! The sender worker: claims due outbox rows, sends them within Telegram's limits, records the
//! outcome. It runs only in the instance that holds the sender role (see [`super::elected`]), so
//! its rate limiter is the bot's one sending budget. Handlers of that instance also deliver the
//! few rows they just wrote ([`deliver_now`]) so a notice arrives with the reply that caused it;
//! elsewhere they wake the sender.
//!
//! No chat holds back another. The worker claims only what the overall budget can send in
//! about the next [`HORIZON`], never rows of a chat that is not ready (sent to within its
//! interval, being sent to, or backing off after a failure: those chats are left out of the
//! claim), and a row whose chat turns out not ready is given back untouched. Each claimed row
//! gets its slot at once and is sent in a task of its own; the worker claims again as soon as
//! the budget allows, without waiting for the sends in flight. A failed send goes back to
//! `pending` and its chat backs off in memory; nothing is retried inline.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

use crate::notifications::outbox::{self, CANCELLED, Claim, FAILED, MAX_ATTEMPTS};
use crate::notifications::{Kind, NotificationSettings, Notifier};
use crate::storage::entities::{outbox as row, users};
use crate::telegram::api::{Api, Failure};
use crate::telegram::{Locale, inbox, keyboards, notes, send};

/// The worker claims what the overall budget can send within this much time.
const HORIZON: Duration = Duration::from_secs(1);
/// Sends in flight at most (a slow Bot API must not pile up claimed rows).
const MAX_IN_FLIGHT: usize = 64;
/// The longest the idle worker sleeps without looking at the outbox.
const IDLE_POLL: Duration = Duration::from_secs(30);
/// While sending, how often the replies the bot's instances are sending are counted (the
/// sender's rate leaves them room), over the last [`REPLIES_OVER`].
const REPLIES_EVERY: Duration = Duration::from_secs(1);
const REPLIES_OVER: Duration = Duration::from_secs(2);
/// How often rows left in `sending` by a dead instance are looked for.
const RECOVER_EVERY: Duration = Duration::from_secs(60);
/// A `retry_after` up to this long keeps the row due (the whole budget pauses meanwhile); a
/// longer one puts the row back with a later due time.
const MAX_INLINE_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How long a handler's fast path waits for a rate-limit slot before leaving the row to the
/// worker: a little over one overall slot. A handler that waited longer would hold back every
/// update behind it (a `getUpdates` batch is confirmed when its last update is handled), so a
/// second notice to one chat within a second, or any notice while the overall rate is booked
/// up, is sent by the worker at its pace instead.
const FAST_PATH_PATIENCE: Duration = Duration::from_millis(40);

/// Sends due outbox rows; cheap to clone.
#[derive(Clone)]
pub struct Sender {
    db: DatabaseConnection,
    api: Api,
    notifier: Notifier,
    /// Written to `claimed_by`.
    name: String,
    /// The bot's username, for buttons that link to the private chat.
    bot: Arc<str>,
}

/// What became of one row.
enum Outcome {
    Sent,
    /// Not sent and never will be (settings, permanent error, attempts used up).
    Final(&'static str, String),
    /// Back to `pending` as it was due; nothing goes to its chat for the delay.
    Again(Duration, String),
    /// Back to `pending`, due again after the delay.
    Later(Duration, String),
}

impl Sender {
    pub fn new(db: DatabaseConnection, api: Api, notifier: Notifier) -> Self {
        let name = format!("worker-{}", Uuid::new_v4().simple());
        Self {
            db,
            api,
            notifier,
            name,
            bot: Arc::from(""),
        }
    }

    /// The bot's username, for buttons that link to the private chat (without it, such a
    /// button is left out).
    pub fn with_bot(mut self, bot: Arc<str>) -> Self {
        self.bot = bot;
        self
    }

    /// Runs until `stop` turns true; the sends in flight are finished first, nothing new is
    /// claimed.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut recovered_at: Option<Instant> = None;
        let mut replies_counted: Option<Instant> = None;
        let mut sends: JoinSet<i64> = JoinSet::new();
        // Chats with a send in flight: one chat's rows go strictly one after another.
        let mut in_flight: HashSet<i64> = HashSet::new();
        while !*stop.borrow() {
            if recovered_at.is_none_or(|at| at.elapsed() >= RECOVER_EVERY) {
                recovered_at = Some(Instant::now());
                if let Err(err) = outbox::recover_stuck(&self.db, self.notifier.now()).await {
                    tracing::warn!(%err, "could not recover interrupted outbox rows");
                }
            }
            while let Some(done) = sends.try_join_next() {
                finished(done, &mut in_flight);
            }
            // Busy sending: leave room for the replies going out now, on every instance.
            if !sends.is_empty() && replies_counted.is_none_or(|at| at.elapsed() >= REPLIES_EVERY) {
                replies_counted = Some(Instant::now());
                self.leave_room_for_replies().await;
            }
            let room = MAX_IN_FLIGHT.saturating_sub(sends.len());
            let budget = self.notifier.limiter().free_slots(HORIZON).min(room);
            if budget > 0 {
                match self.claim_ready(budget, &in_flight).await {
                    Ok(rows) => {
                        let full = rows.len() >= budget;
                        self.start_sends(rows, &mut sends, &mut in_flight).await;
                        if full {
                            continue;
                        }
                    }
                    Err(err) => {
                        crate::storage::report_failure();
                        tracing::warn!(%err, "outbox: claiming failed");
                    }
                }
            }
            let sleep = self.idle_sleep(budget == 0).await;
            tokio::select! {
                () = self.notifier.woken().notified() => {}
                Some(done) = sends.join_next(), if !sends.is_empty() => {
                    finished(done, &mut in_flight);
                }
                () = tokio::time::sleep(sleep) => {}
                _ = stop.changed() => {}
            }
        }
        while let Some(done) = sends.join_next().await {
            finished(done, &mut in_flight);
        }
    }

    /// Claims up to `limit` due rows of chats that are ready now.
    async fn claim_ready(
        &self,
        limit: usize,
        in_flight: &HashSet<i64>,
    ) -> Result<Vec<row::Model>, DbErr> {
        let mut except: Vec<i64> = in_flight.iter().copied().collect();
        let mut busy = self.notifier.limiter().busy_chats();
        // The soonest ready first: if there are very many, those left out of the statement are
        // given back after the claim like any other chat that is not ready.
        busy.sort_by_key(|(_, ready)| std::cmp::Reverse(*ready));
        except.extend(busy.into_iter().map(|(chat, _)| chat).take(MAX_EXCLUDED));
        outbox::claim(
            &self.db,
            self.notifier.now(),
            &self.name,
            limit as u64,
            Claim {
                only: None,
                except_chats: &except,
            },
        )
        .await
    }

    /// Counts the updates decided on any instance over the last [`REPLIES_OVER`] (about one
    /// reply each) and lowers the sending rate by their rate. The inbox's times are the
    /// system's, like its claims.
    async fn leave_room_for_replies(&self) {
        let over = chrono::Duration::from_std(REPLIES_OVER).unwrap_or_default();
        match inbox::decided_since(&self.db, chrono::Utc::now() - over).await {
            Ok(decided) => {
                let per_second = decided.div_ceil(REPLIES_OVER.as_secs().max(1));
                self.notifier.limiter().leave_room_for(per_second);
            }
            Err(err) => tracing::warn!(%err, "outbox: could not count the replies going out"),
        }
    }

    /// Gives each claimed row of a ready chat its slot and a task; gives the others back.
    async fn start_sends(
        &self,
        rows: Vec<row::Model>,
        sends: &mut JoinSet<i64>,
        in_flight: &mut HashSet<i64>,
    ) {
        let mut not_ready = Vec::new();
        for row in rows {
            if in_flight.contains(&row.chat_id) {
                not_ready.push(row.id);
                continue;
            }
            let Ok(slot) = self.notifier.limiter().reserve(row.chat_id) else {
                not_ready.push(row.id);
                continue;
            };
            in_flight.insert(row.chat_id);
            let sender = self.clone();
            sends.spawn(async move {
                let chat = row.chat_id;
                tokio::time::sleep_until(slot).await;
                let id = row.id;
                if let Err(err) = sender.deliver_one(row, true).await {
                    tracing::warn!(%err, %id, "outbox: could not record a delivery");
                }
                chat
            });
        }
        if let Err(err) = outbox::unclaim(&self.db, &not_ready, &self.name).await {
            tracing::warn!(%err, "outbox: could not give back rows of busy chats");
        }
    }

    /// How long to sleep when nothing more can be claimed now: until the budget frees up, a
    /// busy chat is ready, or the next row is due (at most [`IDLE_POLL`]).
    async fn idle_sleep(&self, budget_spent: bool) -> Duration {
        let limiter = self.notifier.limiter();
        let now = Instant::now();
        if budget_spent {
            return limiter
                .budget_free_at(HORIZON)
                .map_or(Duration::ZERO, |at| at.saturating_duration_since(now))
                .max(Duration::from_millis(5));
        }
        let next_turn = limiter
            .busy_chats()
            .into_iter()
            .map(|(_, ready)| ready.saturating_duration_since(now))
            .min();
        let next_due = match outbox::next_due(&self.db).await {
            Ok(Some(due)) => (due - self.notifier.now())
                .to_std()
                .unwrap_or(Duration::ZERO),
            _ => IDLE_POLL,
        };
        let sleep = match next_turn {
            // Rows due now that were not claimed belong to busy chats (or to users who blocked
            // the bot): look again when the next chat is ready.
            Some(turn) if next_due.is_zero() => turn,
            Some(turn) => turn.min(next_due),
            None if next_due.is_zero() => BLOCKED_POLL,
            None => next_due,
        };
        sleep.clamp(Duration::from_millis(5), IDLE_POLL)
    }

    /// One round by hand (tools and tests): claims what the budget allows of the chats that are
    /// ready, sends it and waits for the sends; returns how many rows were claimed.
    pub async fn deliver_due(&self) -> Result<usize, DbErr> {
        let budget = self
            .notifier
            .limiter()
            .free_slots(HORIZON)
            .min(MAX_IN_FLIGHT);
        if budget == 0 {
            return Ok(0);
        }
        let mut in_flight = HashSet::new();
        let rows = self.claim_ready(budget, &in_flight).await?;
        let count = rows.len();
        let mut sends = JoinSet::new();
        self.start_sends(rows, &mut sends, &mut in_flight).await;
        while let Some(done) = sends.join_next().await {
            finished(done, &mut in_flight);
        }
        Ok(count)
    }

    /// Sends the given rows if they are due and unclaimed (the handler's fast path: no waiting
    /// beyond [`FAST_PATH_PATIENCE`]; whatever cannot go now is left to the worker).
    pub async fn deliver_ids(&self, ids: &[Uuid]) -> Result<(), DbErr> {
        let rows = outbox::claim(
            &self.db,
            self.notifier.now(),
            &self.name,
            ids.len() as u64,
            Claim {
                only: Some(ids),
                except_chats: &[],
            },
        )
        .await?;
        for row in rows {
            let id = row.id;
            if let Err(err) = self.deliver_one(row, false).await {
                tracing::warn!(%err, %id, "outbox: could not record a delivery");
            }
        }
        Ok(())
    }

    /// Sends one row (its slot taken: `reserved`; else it tries for one briefly) and records
    /// what became of it.
    async fn deliver_one(&self, row: row::Model, reserved: bool) -> Result<(), DbErr> {
        if !reserved
            && !self
                .notifier
                .limiter()
                .try_acquire(row.chat_id, FAST_PATH_PATIENCE)
                .await
        {
            outbox::unclaim(&self.db, &[row.id], &self.name).await?;
            self.notifier.wake();
            return Ok(());
        }
        let outcome = self.attempt(&row).await;
        self.notifier.limiter().sent_to(row.chat_id);
        let outcome = outcome?;
        let now = self.notifier.now();
        match outcome {
            Outcome::Sent => outbox::mark_sent(&self.db, row.id, &self.name, now).await,
            Outcome::Final(status, error) => {
                outbox::mark_final(&self.db, row.id, &self.name, status, &error).await
            }
            Outcome::Again(delay, error) => {
                self.notifier.limiter().hold_chat(row.chat_id, delay);
                outbox::release(&self.db, row.id, &self.name, row.due_at, &error).await?;
                self.notifier.wake();
                Ok(())
            }
            Outcome::Later(delay, error) => {
                let due = now + chrono::Duration::from_std(delay).unwrap_or_default();
                outbox::release(&self.db, row.id, &self.name, due, &error).await?;
                self.notifier.wake();
                Ok(())
            }
        }
    }

    /// One try: render in the recipient's language of today, send, classify the answer.
    async fn attempt(&self, row: &row::Model) -> Result<Outcome, DbErr> {
        let Some(kind) = Kind::parse(&row.kind) else {
            return Ok(Outcome::Final(FAILED, format!("unknown kind {}", row.kind)));
        };
        // Settings may have changed since a reminder was scheduled, and so may the language:
        // the message is rendered now, in the language the recipient uses today. A group chat
        // (negative id) has no user settings: posting there was decided by the group
        // (`crate::chats`); it is addressed in Russian.
        let recipient = match row.chat_id {
            chat if chat > 0 => users::Entity::find_by_id(chat).one(&self.db).await?,
            _ => None,
        };
        if kind != Kind::Notice
            && let Some(user) = &recipient
            && !NotificationSettings::of_user(user).allows(kind)
        {
            return Ok(Outcome::Final(CANCELLED, "turned off in settings".into()));
        }
        // A digest or a ping planned before its recipient turned it off is not sent.
        if matches!(
            kind,
            Kind::DigestEvening | Kind::DigestMorning | Kind::ClassPing
        ) && recipient.is_some()
            && !crate::digests::settings::load(&self.db, row.chat_id)
                .await?
                .allows(kind)
        {
            return Ok(Outcome::Final(CANCELLED, "turned off in settings".into()));
        }
        // The group chat's evening digest: the leader may have turned the post off since.
        if kind == Kind::DigestEvening
            && row.chat_id < 0
            && !crate::digests::settings::chat_takes_digest(&self.db, row.chat_id).await?
        {
            return Ok(Outcome::Final(CANCELLED, "turned off in settings".into()));
        }
        let stored: notes::Stored = match serde_json::from_value(row.payload.clone()) {
            Ok(stored) => stored,
            Err(err) => return Ok(Outcome::Final(FAILED, format!("bad payload: {err}"))),
        };
        let locale = recipient.as_ref().map(Locale::of_user).unwrap_or_default();
        let with_menu = matches!(&stored, notes::Stored::Note(note) if note.menu);
        let mut payload = stored.render_with(locale, &self.bot);
        if with_menu {
            let membership = crate::members::service::membership(&self.db, row.chat_id).await?;
            payload.markup = Some(keyboards::main_menu(locale, membership.as_ref()));
        }
        // The reads above took their time: the count of the last second is checked as it
        // leaves, not only when its slot was given.
        self.notifier.limiter().dispatch().await;
        let sent = self.send(row.chat_id, &payload).await;
        let (err, transient) = match sent {
            Ok(()) => return Ok(Outcome::Sent),
            // The Bot API client tells what is worth another try; the outbox also tries again
            // after a send that timed out (a reminder sent twice rather than lost).
            Err(failure) => {
                let transient = failure.transient
                    || matches!(
                        failure.error,
                        RequestError::Network(_) | RequestError::Io(_)
                    );
                (failure.error, transient)
            }
        };
        if row.chat_id < 0
            && let Some(outcome) = self.group_chat_gone(row, &err).await?
        {
            return Ok(outcome);
        }
        if send::is_unreachable(&err) {
            tracing::info!(
                chat = row.chat_id,
                "outbox: user unreachable; marking blocked"
            );
            crate::members::service::set_blocked(&self.db, row.chat_id, true).await?;
            // Kept pending: skipped while the user is blocked, sent if they write again.
            return Ok(Outcome::Later(Duration::ZERO, err.to_string()));
        }
        Ok(match &err {
            RequestError::RetryAfter(after) => {
                let wait = after.duration();
                // The whole budget pauses: nothing is sent before Telegram allows it again.
                self.notifier.limiter().pause_for(wait);
                tracing::debug!(?wait, "outbox: 429, the sender pauses");
                if wait > MAX_INLINE_RETRY_AFTER {
                    Outcome::Later(wait, err.to_string())
                } else {
                    Outcome::Again(wait, err.to_string())
                }
            }
            _ if transient => {
                if row.attempts >= MAX_ATTEMPTS {
                    Outcome::Final(FAILED, err.to_string())
                } else {
                    let backoff = Duration::from_millis(500 << row.attempts.clamp(0, 6));
                    Outcome::Again(backoff, err.to_string())
                }
            }
            err => Outcome::Final(FAILED, err.to_string()),
        })
    }

    /// A group chat that cannot receive anything any more: the bot was removed (the binding
    /// goes, as when Telegram reports it in an update), or the chat became a supergroup (the
    /// binding follows it; this row is posted again to the new chat).
    async fn group_chat_gone(
        &self,
        row: &row::Model,
        err: &RequestError,
    ) -> Result<Option<Outcome>, DbErr> {
        let chat = row.chat_id;
        match err {
            RequestError::MigrateToChatId(to) => {
                let to_chat = to.0;
                crate::uow::run(&self.db, &self.notifier.clock(), None, |uow| {
                    Box::pin(crate::chats::service::chat_migrated(uow, chat, to_chat))
                })
                .await?;
                outbox::copy_to(&self.db, row, to.0, self.notifier.now()).await?;
                self.notifier.wake();
                Ok(Some(Outcome::Final(
                    FAILED,
                    format!("chat moved to {}", to.0),
                )))
            }
            RequestError::Api(
                ApiError::BotKicked | ApiError::BotKickedFromSupergroup | ApiError::ChatNotFound,
            ) => {
                crate::uow::run(&self.db, &self.notifier.clock(), None, |uow| {
                    Box::pin(crate::chats::service::bot_removed(uow, chat, None))
                })
                .await?;
                Ok(Some(Outcome::Final(FAILED, err.to_string())))
            }
            _ => Ok(None),
        }
    }

    async fn send(&self, chat: i64, payload: &notes::Rendered) -> Result<(), Failure> {
        // One try: this worker has its own retries (below), which put a row back rather than
        // hold the batch.
        let message = Api::html_message(ChatId(chat), &payload.text, payload.markup.clone());
        self.api.try_call_once(message).await.map(|_| ())
    }
}

/// Chats left out of one claim statement at most (the others are given back after it).
const MAX_EXCLUDED: usize = 500;
/// How often due rows that nobody can take (their users blocked the bot) are looked at again.
const BLOCKED_POLL: Duration = Duration::from_secs(1);

/// A send task ended: its chat may have its next row.
fn finished(done: Result<i64, tokio::task::JoinError>, in_flight: &mut HashSet<i64>) {
    match done {
        Ok(chat) => {
            in_flight.remove(&chat);
        }
        Err(err) => {
            // A panicking send: its chat stays marked (its row is recovered as stuck).
            tracing::error!(%err, "outbox: a send task failed");
        }
    }
}

/// The fast path for a few rows just written: on the instance holding the sender role, send
/// them now; otherwise (or for the rest) wake the sender, here or on the instance that holds it.
pub async fn deliver_now(
    db: &DatabaseConnection,
    api: &Api,
    notifier: &Notifier,
    bot: &Arc<str>,
    ids: &[Uuid],
) {
    if ids.is_empty() {
        return;
    }
    if !notifier.is_sender() || ids.len() > 3 || !notifier.limiter().may_admit(FAST_PATH_PATIENCE) {
        notifier.wake();
        return;
    }
    let sender = Sender::new(db.clone(), api.clone(), notifier.clone()).with_bot(bot.clone());
    if let Err(err) = sender.deliver_ids(ids).await {
        tracing::warn!(%err, "outbox: immediate delivery failed; the worker will retry");
        notifier.wake();
    }
}
