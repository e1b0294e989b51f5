//! The sender worker: claims due outbox rows, sends them within Telegram's limits, records the
//! outcome. One runs per instance (see `App::run_until`); handlers also deliver the single rows
//! they just wrote ([`deliver_now`]) so a notice arrives with the reply that caused it.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt as _;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use uuid::Uuid;

use crate::notifications::outbox::{self, CANCELLED, FAILED, MAX_ATTEMPTS};
use crate::notifications::{Kind, NotificationSettings, Notifier};
use crate::storage::entities::{outbox as row, users};
use crate::telegram::api::Api;
use crate::telegram::{Locale, keyboards, notes, send};

/// Rows claimed at a time.
const BATCH: u64 = 200;
/// Chats served concurrently within a batch (the rate limiter spaces the sends).
const CONCURRENCY: usize = 32;
/// The longest the idle worker sleeps without looking at the outbox.
const IDLE_POLL: Duration = Duration::from_secs(30);
/// The longest `retry_after` waited inline; a longer one puts the row back with a later due time.
const MAX_INLINE_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How long a handler's fast path waits for a rate-limit slot before leaving the row to the
/// worker: a little over one overall slot. A handler that waited longer would hold back every
/// update behind it (a `getUpdates` batch is confirmed when its last update is handled), so a
/// second notice to one chat within a second, or any notice while the overall rate is booked
/// up, is sent by the worker at its pace instead.
const FAST_PATH_PATIENCE: Duration = Duration::from_millis(40);
/// 429s for one row within one claim before it is put back for later.
const MAX_429_IN_A_ROW: u32 = 5;
/// Tries of one row within one claim (429s not counted).
const INLINE_TRIES: i32 = 3;

/// Sends due outbox rows; cheap to clone.
#[derive(Clone)]
pub struct Sender {
    db: DatabaseConnection,
    api: Api,
    notifier: Notifier,
    /// Written to `claimed_by`.
    name: String,
}

/// What became of one row.
enum Outcome {
    Sent,
    /// Not sent and never will be (settings, permanent error, attempts used up).
    Final(&'static str, String),
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
        }
    }

    /// Runs until `stop` turns true; the batch in hand is finished first.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        if let Err(err) = outbox::recover_stuck(&self.db, self.notifier.now()).await {
            tracing::warn!(%err, "could not recover interrupted outbox rows");
        }
        let mut rounds: u32 = 0;
        while !*stop.borrow() {
            rounds = rounds.wrapping_add(1);
            if rounds.is_multiple_of(100)
                && let Err(err) = outbox::recover_stuck(&self.db, self.notifier.now()).await
            {
                tracing::warn!(%err, "could not recover interrupted outbox rows");
            }
            let delivered = match self.deliver_due().await {
                Ok(n) => n,
                Err(err) => {
                    crate::storage::report_failure();
                    tracing::warn!(%err, "outbox: delivery round failed");
                    0
                }
            };
            if delivered > 0 {
                continue;
            }
            let sleep = self.idle_sleep().await;
            tokio::select! {
                () = self.notifier.woken().notified() => {}
                () = tokio::time::sleep(sleep) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// How long to sleep when nothing is due: until the next row is due, at most [`IDLE_POLL`].
    async fn idle_sleep(&self) -> Duration {
        match outbox::next_due(&self.db).await {
            Ok(Some(due)) => (due - self.notifier.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(50), IDLE_POLL),
            _ => IDLE_POLL,
        }
    }

    /// Claims and sends one batch of due rows; returns how many rows were claimed.
    pub async fn deliver_due(&self) -> Result<usize, DbErr> {
        let rows = outbox::claim(&self.db, self.notifier.now(), &self.name, BATCH, None).await?;
        let count = rows.len();
        self.deliver(rows, true).await;
        Ok(count)
    }

    /// Sends the given rows if they are due and unclaimed (the handler's fast path: no waiting
    /// on errors; whatever fails is left to the worker).
    pub async fn deliver_ids(&self, ids: &[Uuid]) -> Result<(), DbErr> {
        let rows = outbox::claim(
            &self.db,
            self.notifier.now(),
            &self.name,
            ids.len() as u64,
            Some(ids),
        )
        .await?;
        self.deliver(rows, false).await;
        Ok(())
    }

    /// Sends rows grouped by chat: chats concurrently, one chat's rows in order.
    async fn deliver(&self, rows: Vec<row::Model>, patient: bool) {
        let mut by_chat: BTreeMap<i64, Vec<row::Model>> = BTreeMap::new();
        for row in rows {
            by_chat.entry(row.chat_id).or_default().push(row);
        }
        futures::stream::iter(by_chat.into_values())
            .for_each_concurrent(CONCURRENCY, |rows| async move {
                for row in rows {
                    let id = row.id;
                    if let Err(err) = self.deliver_one(row, patient).await {
                        tracing::warn!(%err, %id, "outbox: could not record a delivery");
                    }
                }
            })
            .await;
    }

    async fn deliver_one(&self, row: row::Model, patient: bool) -> Result<(), DbErr> {
        let outcome = self.attempt(&row, patient).await?;
        let now = self.notifier.now();
        match outcome {
            Outcome::Sent => outbox::mark_sent(&self.db, row.id, &self.name, now).await,
            Outcome::Final(status, error) => {
                outbox::mark_final(&self.db, row.id, &self.name, status, &error).await
            }
            Outcome::Later(delay, error) => {
                let due = now + chrono::Duration::from_std(delay).unwrap_or_default();
                outbox::release(&self.db, row.id, &self.name, due, &error).await?;
                if !patient {
                    self.notifier.wake();
                }
                Ok(())
            }
        }
    }

    async fn attempt(&self, row: &row::Model, patient: bool) -> Result<Outcome, DbErr> {
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
        let stored: notes::Stored = match serde_json::from_value(row.payload.clone()) {
            Ok(stored) => stored,
            Err(err) => return Ok(Outcome::Final(FAILED, format!("bad payload: {err}"))),
        };
        let locale = recipient.as_ref().map(Locale::of_user).unwrap_or_default();
        let with_menu = matches!(&stored, notes::Stored::Note(note) if note.menu);
        let mut payload = stored.render(locale);
        if with_menu {
            let membership = crate::members::service::membership(&self.db, row.chat_id).await?;
            payload.markup = Some(keyboards::main_menu(locale, membership.as_ref()));
        }
        let mut attempts = row.attempts;
        let mut tries = 0;
        let mut refusals = 0;
        loop {
            if patient {
                self.notifier.limiter().acquire(row.chat_id).await;
            } else if !self
                .notifier
                .limiter()
                .try_acquire(row.chat_id, FAST_PATH_PATIENCE)
                .await
            {
                return Ok(Outcome::Later(
                    Duration::ZERO,
                    "rate limited; left to the worker".into(),
                ));
            }
            let sent = self.send(row.chat_id, &payload).await;
            let err = match sent {
                Ok(()) => return Ok(Outcome::Sent),
                Err(err) => err,
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
            match &err {
                RequestError::RetryAfter(after) => {
                    let wait = after.duration();
                    self.notifier.limiter().pause_for(wait);
                    refusals += 1;
                    if !patient || wait > MAX_INLINE_RETRY_AFTER || refusals > MAX_429_IN_A_ROW {
                        return Ok(Outcome::Later(wait, err.to_string()));
                    }
                    tracing::debug!(?wait, "outbox: 429, waiting retry_after");
                    // The limiter waits out the pause before the next try.
                }
                err if is_transient(err) => {
                    tries += 1;
                    if attempts >= MAX_ATTEMPTS {
                        return Ok(Outcome::Final(FAILED, err.to_string()));
                    }
                    let backoff = Duration::from_millis(500 << tries.min(6));
                    if !patient || tries >= INLINE_TRIES {
                        return Ok(Outcome::Later(backoff, err.to_string()));
                    }
                    attempts += 1;
                    tokio::time::sleep(backoff).await;
                }
                err => return Ok(Outcome::Final(FAILED, err.to_string())),
            }
        }
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

    async fn send(&self, chat: i64, payload: &notes::Rendered) -> Result<(), RequestError> {
        // One try: this worker has its own retries (below), which put a row back rather than
        // hold the batch.
        let message = Api::html_message(ChatId(chat), &payload.text, payload.markup.clone());
        self.api.call_once(message).await.map(|_| ())
    }
}

/// Network errors and Telegram's 5xx: worth another try later.
fn is_transient(err: &RequestError) -> bool {
    match err {
        RequestError::Network(_) | RequestError::Io(_) => true,
        RequestError::Api(ApiError::Unknown(description)) => [
            "Internal Server Error",
            "Bad Gateway",
            "Service Unavailable",
            "Gateway Timeout",
        ]
        .iter()
        .any(|known| description.contains(known)),
        _ => false,
    }
}

/// The fast path for a few rows just written: send them now, wake the worker for the rest.
pub async fn deliver_now(db: &DatabaseConnection, api: &Api, notifier: &Notifier, ids: &[Uuid]) {
    if ids.len() > 3 || !notifier.limiter().may_admit(FAST_PATH_PATIENCE) {
        notifier.wake();
        return;
    }
    let sender = Sender::new(db.clone(), api.clone(), notifier.clone());
    if let Err(err) = sender.deliver_ids(ids).await {
        tracing::warn!(%err, "outbox: immediate delivery failed; the worker will retry");
        notifier.wake();
    }
}
