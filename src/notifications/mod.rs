//! Notifications and reminders (F8): every message to a user that is not a direct reply goes
//! through the persisted outbox (`outbox` table, [`outbox`]), written with the change that
//! causes it, and is delivered by the sender [`worker`] within Telegram's limits
//! ([`limiter`]). Reminders are outbox rows with a future `due_at` ([`reminders`]); per-user
//! [`settings`] decide who gets what. Time comes from a [`Clock`], so tests move it by hand.

pub mod announcements;
pub mod limiter;
pub mod note;
pub mod notice;
pub mod outbox;
pub mod reminders;
pub mod settings;
pub mod wakeup;

use std::sync::Arc;

use tokio::sync::Notify;

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use note::{About, Note, Screen, Text};
pub use notice::Notice;
pub use outbox::{OutboxStats, outbox_stats};
pub use settings::NotificationSettings;

/// What a notification is; the user's settings decide per kind (see
/// [`NotificationSettings::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    NewEvent,
    NewImportantEvent,
    Deadline1d,
    Deadline3h,
    EventEvening,
    QueueTurn,
    /// A queue opens (at the moment its leader set).
    QueueOpening,
    Announcement,
    /// The evening digest: tomorrow's classes, homework, deadlines, queues.
    DigestEvening,
    /// The morning digest: the same for today.
    DigestMorning,
    /// A class starts in a few minutes.
    ClassPing,
    /// Join, role, removal, topic and group notices: always sent.
    Notice,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::NewEvent,
        Kind::NewImportantEvent,
        Kind::Deadline1d,
        Kind::Deadline3h,
        Kind::EventEvening,
        Kind::QueueTurn,
        Kind::QueueOpening,
        Kind::Announcement,
        Kind::DigestEvening,
        Kind::DigestMorning,
        Kind::ClassPing,
        Kind::Notice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NewEvent => "new_event",
            Kind::NewImportantEvent => "new_important_event",
            Kind::Deadline1d => "deadline_1d",
            Kind::Deadline3h => "deadline_3h",
            Kind::EventEvening => "event_evening",
            Kind::QueueTurn => "queue_turn",
            Kind::QueueOpening => "queue_opening",
            Kind::Announcement => "announcement",
            Kind::DigestEvening => "digest_evening",
            Kind::DigestMorning => "digest_morning",
            Kind::ClassPing => "class_ping",
            Kind::Notice => "notice",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == kind)
    }
}

/// One notification to write to the outbox.
#[derive(Debug, Clone)]
pub struct Message {
    pub chat_id: i64,
    pub kind: Kind,
    /// What to say, rendered in the recipient's language when sent.
    pub payload: Note,
    pub dedup_key: Option<String>,
    /// `None`: due now.
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Message {
    pub fn now(chat_id: i64, kind: Kind, note: impl Into<Note>) -> Self {
        Self {
            chat_id,
            kind,
            payload: note.into(),
            dedup_key: None,
            due_at: None,
        }
    }
}

/// What handlers and services share with the sender worker: the clock, the wake-up signals and
/// the rate limiter. Cheap to clone.
#[derive(Clone)]
pub struct Notifier {
    clock: Arc<std::sync::RwLock<Arc<dyn Clock>>>,
    wakeup: Arc<wakeup::Wakeup>,
    limiter: Arc<limiter::RateLimiter>,
}

impl Notifier {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock: Arc::new(std::sync::RwLock::new(clock)),
            wakeup: Arc::new(wakeup::Wakeup::default()),
            limiter: Arc::new(limiter::RateLimiter::default()),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock().now()
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        match self.clock.read() {
            Ok(clock) => clock.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the clock for everyone sharing this notifier (tests: a [`ManualClock`]).
    pub fn set_clock(&self, clock: Arc<dyn Clock>) {
        match self.clock.write() {
            Ok(mut current) => *current = clock,
            Err(poisoned) => *poisoned.into_inner() = clock,
        }
    }

    /// Tells the sender to look at the outbox now (new rows, or the clock moved): the worker
    /// here, and on an instance without the sender role the one that has it.
    pub fn wake(&self) {
        self.wakeup.outbox();
    }

    /// Whether this instance holds the sender role: only then does it send notices and edit
    /// live messages itself.
    pub fn is_sender(&self) -> bool {
        self.wakeup.is_sender()
    }

    pub fn wakeup(&self) -> &Arc<wakeup::Wakeup> {
        &self.wakeup
    }

    pub(crate) fn limiter(&self) -> &limiter::RateLimiter {
        &self.limiter
    }

    pub(crate) fn woken(&self) -> &Notify {
        self.wakeup.outbox_woken()
    }
}

impl Default for Notifier {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}
