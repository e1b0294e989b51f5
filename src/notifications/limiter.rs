//! Telegram's limits for one bot: about 30 messages a second overall, one a second per chat and
//! 20 a minute in one group chat (negative chat ids get [`GROUP_CHAT_INTERVAL`]).
//! The sender reserves a slot ([`RateLimiter::reserve`]) before each send; slots are spaced
//! evenly (no bursts), under the limits so that network jitter cannot push a window over. One
//! instance at a time holds the sender role (`crate::storage::role`), so this one budget in one
//! process is the bot's whole budget for notices; the overall pace is at most 28 a second,
//! lowered by the rate of the replies the bot's instances are sending meanwhile (not paced
//! here, [`RateLimiter::leave_room_for`]), so that both together stay under 30.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Spacing between any two messages with no replies going out: 28 per second. Not lower: the
/// evening digests of a whole university (30,000 students due at one minute) must all be out
/// within 20 minutes, which 25 a second would just miss (`BENCHMARKS.md`, "Digests at 20:00").
pub const GLOBAL_INTERVAL: Duration = Duration::from_micros(1_000_000 / 28);
/// However late sends leave their slots (a busy thread, a slow read before the request), no
/// window of this length holds more than [`WINDOW_SENDS`] of them: the count Telegram keeps.
pub const WINDOW: Duration = Duration::from_millis(1_050);
/// Sends dispatched within any [`WINDOW`] at most: one under Telegram's 30.
pub const WINDOW_SENDS: usize = 29;
/// Telegram's count per second that the sender shares with the replies the bot's instances
/// send meanwhile (one under 30): the sender's rate is this less the replies going out now
/// ([`RateLimiter::leave_room_for`]), at most 28 a second and at least [`MIN_RATE`].
pub const SHARED_PER_SECOND: u64 = 29;
/// The sender's rate at the busiest: notices still move while hundreds of students press.
pub const MIN_RATE: u64 = 10;
/// Spacing between two messages to one chat.
pub const CHAT_INTERVAL: Duration = Duration::from_millis(1_050);
/// Spacing between two messages to one group chat (negative id): 20 a minute, with a margin.
pub const GROUP_CHAT_INTERVAL: Duration = Duration::from_millis(3_050);

/// The pure bookkeeping: which instant the next message to a chat may go.
#[derive(Debug)]
pub struct Slots {
    global: Duration,
    chat: Duration,
    group: Duration,
    next_global: Option<Instant>,
    next_chat: HashMap<i64, Instant>,
    paused_until: Option<Instant>,
    /// When the last sends were dispatched, oldest first.
    dispatched: VecDeque<Instant>,
    /// Sends within any [`WINDOW`] at most: [`WINDOW_SENDS`], or one over a lowered rate.
    window_sends: usize,
}

impl Slots {
    pub fn new(global: Duration, chat: Duration) -> Self {
        Self {
            global,
            chat,
            group: GROUP_CHAT_INTERVAL.max(chat),
            next_global: None,
            next_chat: HashMap::new(),
            paused_until: None,
            dispatched: VecDeque::with_capacity(WINDOW_SENDS),
            window_sends: WINDOW_SENDS,
        }
    }

    /// The spacing of `chat`'s messages: group chats (negative ids) have their own.
    fn interval(&self, chat: i64) -> Duration {
        if chat < 0 { self.group } else { self.chat }
    }

    /// Reserves the next slot for `chat` at or after `now`: `Ok(at)` is the instant to send,
    /// `Err(at)` means the chat itself is not ready before `at` (nothing reserved; ask again
    /// then, so one busy chat does not hold everyone else back).
    pub fn reserve(&mut self, chat: i64, now: Instant) -> Result<Instant, Instant> {
        let mut earliest = now;
        if let Some(paused) = self.paused_until {
            earliest = earliest.max(paused);
        }
        if let Some(&ready) = self.next_chat.get(&chat)
            && ready > earliest
        {
            return Err(ready);
        }
        let slot = self.reserve_global(now);
        self.next_chat.insert(chat, slot + self.interval(chat));
        if self.next_chat.len() > 10_000 {
            self.next_chat.retain(|_, ready| *ready > now);
        }
        Ok(slot)
    }

    /// Reserves `chat`'s next turn if it comes within `patience` (the global slot is taken
    /// separately, with [`reserve_global`](Self::reserve_global), when the turn comes).
    pub fn reserve_chat_within(
        &mut self,
        chat: i64,
        now: Instant,
        patience: Duration,
    ) -> Option<Instant> {
        let mut turn = self.paused_until.map_or(now, |p| p.max(now));
        if let Some(&ready) = self.next_chat.get(&chat) {
            turn = turn.max(ready);
        }
        if turn > now + patience {
            return None;
        }
        self.next_chat.insert(chat, turn + self.interval(chat));
        Some(turn)
    }

    /// When the next global slot at or after `now` is (nothing reserved).
    fn free_global(&self, now: Instant) -> Instant {
        let earliest = self.paused_until.map_or(now, |p| p.max(now));
        self.next_global.map_or(earliest, |next| next.max(earliest))
    }

    /// The next global slot at or after `now`, if it comes by `deadline` (nothing reserved
    /// otherwise).
    pub fn reserve_global_by(&mut self, now: Instant, deadline: Instant) -> Option<Instant> {
        let slot = self.free_global(now);
        if slot > deadline {
            return None;
        }
        self.next_global = Some(slot + self.global);
        Some(slot)
    }

    /// The next global slot at or after `now`.
    pub fn reserve_global(&mut self, now: Instant) -> Instant {
        let slot = self.free_global(now);
        self.next_global = Some(slot + self.global);
        slot
    }

    /// How many global slots are free between `now` and `horizon` (what the sender may claim).
    pub fn free_slots(&self, now: Instant, horizon: Instant) -> usize {
        let first = self.free_global(now);
        if first > horizon || self.global.is_zero() {
            return usize::from(first <= horizon);
        }
        let span = horizon.duration_since(first).as_nanos() / self.global.as_nanos();
        usize::try_from(span)
            .unwrap_or(usize::MAX)
            .saturating_add(1)
    }

    /// When the next global slot is, if no slot is free by `now + horizon`.
    pub fn budget_free_at(&self, now: Instant, horizon: Duration) -> Option<Instant> {
        let first = self.free_global(now);
        (first > now + horizon).then(|| first - horizon)
    }

    /// The chats that may not be sent to at `now`, with the instant each is ready.
    pub fn busy_chats(&self, now: Instant) -> Vec<(i64, Instant)> {
        self.next_chat
            .iter()
            .filter(|(_, ready)| **ready > now)
            .map(|(chat, ready)| (*chat, *ready))
            .collect()
    }

    /// Nothing goes to `chat` before `until` (a failed send backs off without holding anyone
    /// else back).
    pub fn hold_chat(&mut self, chat: i64, until: Instant) {
        let ready = self.next_chat.entry(chat).or_insert(until);
        *ready = (*ready).max(until);
    }

    /// Sends `rate` messages a second overall from now on (the slot already given stays).
    pub fn set_rate(&mut self, rate: u64) {
        let rate = rate.clamp(MIN_RATE, SHARED_PER_SECOND - 1);
        self.global = Duration::from_nanos(1_000_000_000 / rate);
        self.window_sends = usize::try_from(rate + 1).unwrap_or(WINDOW_SENDS);
    }

    /// A send is about to leave at `now`: `Ok` records it; `Err(at)` — the last [`WINDOW`]
    /// already holds [`WINDOW_SENDS`] sends (sends that left their slots late bunched up), so it
    /// waits until `at`. Slots space sends evenly; this keeps the count Telegram checks even
    /// when they do not leave on time.
    pub fn dispatch(&mut self, now: Instant) -> Result<(), Instant> {
        while self
            .dispatched
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= WINDOW)
        {
            self.dispatched.pop_front();
        }
        if self.dispatched.len() >= self.window_sends
            && let Some(oldest) = self.dispatched.front()
        {
            return Err(*oldest + WINDOW);
        }
        self.dispatched.push_back(now);
        Ok(())
    }

    /// Telegram said 429: nobody sends before `until`.
    pub fn pause_until(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }
}

/// A 429 that a reply (any request not paced here) met in this process: until when Telegram
/// asked the bot to wait. The sender's budget honours it (see [`telegram_asked_to_wait`]).
static ASKED_TO_WAIT: Mutex<Option<Instant>> = Mutex::new(None);

/// Telegram answered 429 to a request of this process with `retry_after`: the sender (if this
/// instance holds the role) sends nothing until then either. The Bot API client calls this for
/// every 429 it sees.
pub fn telegram_asked_to_wait(retry_after: Duration) {
    let until = Instant::now() + retry_after;
    let mut asked = ASKED_TO_WAIT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *asked = Some(asked.map_or(until, |earlier| earlier.max(until)));
}

/// [`Slots`] behind a lock, with waiting.
#[derive(Debug)]
pub struct RateLimiter(Mutex<Slots>);

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(GLOBAL_INTERVAL, CHAT_INTERVAL)
    }
}

impl RateLimiter {
    pub fn new(global: Duration, chat: Duration) -> Self {
        Self(Mutex::new(Slots::new(global, chat)))
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        let asked = *ASKED_TO_WAIT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut slots = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(until) = asked.filter(|until| *until > Instant::now()) {
            slots.pause_until(until);
        }
        slots
    }

    /// Whether a message could go within `patience` as far as the overall rate goes (nothing
    /// reserved): lets the fast path skip claiming rows it would only put back.
    pub fn may_admit(&self, patience: Duration) -> bool {
        let now = Instant::now();
        self.slots().free_global(now) <= now + patience
    }

    /// Waits until a message to `chat` may be sent.
    pub async fn acquire(&self, chat: i64) {
        loop {
            let reserved = self.slots().reserve(chat, Instant::now());
            match reserved {
                Ok(slot) => {
                    tokio::time::sleep_until(slot).await;
                    return;
                }
                Err(ready) => tokio::time::sleep_until(ready).await,
            }
        }
    }

    /// Reserves the next slot for `chat` unless the chat is not ready now (see
    /// [`Slots::reserve`]): the sender sleeps until the slot, never until a chat is ready.
    pub fn reserve(&self, chat: i64) -> Result<Instant, Instant> {
        self.slots().reserve(chat, Instant::now())
    }

    /// How many messages the overall rate allows within `horizon` from now.
    pub fn free_slots(&self, horizon: Duration) -> usize {
        let now = Instant::now();
        self.slots().free_slots(now, now + horizon)
    }

    /// When a slot within `horizon` frees up, if none is free now.
    pub fn budget_free_at(&self, horizon: Duration) -> Option<Instant> {
        self.slots().budget_free_at(Instant::now(), horizon)
    }

    /// The chats not ready now, with when each is.
    pub fn busy_chats(&self) -> Vec<(i64, Instant)> {
        self.slots().busy_chats(Instant::now())
    }

    /// Nothing goes to `chat` for `duration`.
    pub fn hold_chat(&self, chat: i64, duration: Duration) {
        self.slots().hold_chat(chat, Instant::now() + duration);
    }

    /// The bot's instances are sending about `replies` messages a second of their own (answers
    /// to updates, not paced here): the sender's rate leaves them room under Telegram's count.
    pub fn leave_room_for(&self, replies: u64) {
        let rate = SHARED_PER_SECOND.saturating_sub(replies);
        self.slots().set_rate(rate);
    }

    /// Waits until a send may leave now without the last [`WINDOW`] holding more than
    /// [`WINDOW_SENDS`] (see [`Slots::dispatch`]); call it right before the request.
    pub async fn dispatch(&self) {
        loop {
            let refused = self.slots().dispatch(Instant::now());
            match refused {
                Ok(()) => return,
                Err(at) => tokio::time::sleep_until(at).await,
            }
        }
    }

    /// A send to `chat` just ended: its next turn is a full interval from now at the earliest,
    /// so a request that travelled slowly cannot bring two messages closer than the interval.
    pub fn sent_to(&self, chat: i64) {
        let mut slots = self.slots();
        let interval = slots.interval(chat);
        slots.hold_chat(chat, Instant::now() + interval);
    }

    /// Waits for a slot for `chat` only if one comes within `patience`; `false` otherwise. The
    /// handlers' fast path uses this, so a reply is never held up long by someone else's rate
    /// limit: a busy chat's notice, or any notice while the overall rate is booked up, is left
    /// to the worker. The chat's turn is reserved at once (concurrent handlers queue behind it),
    /// then a global slot is taken when that turn comes — if it comes by the deadline.
    pub async fn try_acquire(&self, chat: i64, patience: Duration) -> bool {
        let now = Instant::now();
        let deadline = now + patience;
        let turn = self.slots().reserve_chat_within(chat, now, patience);
        let Some(turn) = turn else {
            return false;
        };
        tokio::time::sleep_until(turn).await;
        let slot = self.slots().reserve_global_by(Instant::now(), deadline);
        let Some(slot) = slot else {
            return false;
        };
        tokio::time::sleep_until(slot).await;
        true
    }

    /// Waits for a slot under the overall limit only (edits of live messages, which Telegram
    /// does not count against a chat's message rate).
    pub async fn acquire_global(&self) {
        let slot = self.slots().reserve_global(Instant::now());
        tokio::time::sleep_until(slot).await;
    }

    /// Waits until a 429's pause is over (nothing reserved).
    pub async fn paused(&self) {
        let until = self.slots().paused_until;
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    pub fn pause_for(&self, duration: Duration) {
        self.slots().pause_until(Instant::now() + duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn different_chats_are_spaced_by_the_global_interval() {
        let mut slots = Slots::new(ms(34), ms(1000));
        let t0 = Instant::now();
        let reserved: Vec<_> = (0..30)
            .map(|chat| slots.reserve(chat, t0).unwrap())
            .collect();
        for (i, slot) in reserved.iter().enumerate() {
            assert_eq!(*slot, t0 + ms(34) * i as u32);
        }
        // Never more than 30 in any one-second window.
        let in_first_second = reserved.iter().filter(|s| **s < t0 + ms(1000)).count();
        assert!(in_first_second <= 30, "{in_first_second}");
    }

    #[test]
    fn one_chat_waits_a_second_without_holding_others_back() {
        let mut slots = Slots::new(ms(34), ms(1000));
        let t0 = Instant::now();
        assert_eq!(slots.reserve(1, t0), Ok(t0));
        assert_eq!(slots.reserve(1, t0), Err(t0 + ms(1000)));
        assert_eq!(
            slots.reserve(2, t0),
            Ok(t0 + ms(34)),
            "another chat goes next"
        );
        assert_eq!(slots.reserve(1, t0 + ms(1000)), Ok(t0 + ms(1000)));
        assert_eq!(
            slots.reserve_chat_within(1, t0 + ms(1000), ms(500)),
            None,
            "busy until 2 s"
        );
        assert_eq!(
            slots.reserve_chat_within(1, t0 + ms(1000), ms(1200)),
            Some(t0 + ms(2000))
        );
        assert_eq!(
            slots.reserve_chat_within(1, t0 + ms(1000), ms(1200)),
            None,
            "the next turn is taken"
        );
    }

    #[test]
    fn a_booked_up_global_rate_is_not_waited_for_past_the_deadline() {
        let mut slots = Slots::new(ms(34), ms(1000));
        let t0 = Instant::now();
        for chat in 0..30 {
            slots.reserve(chat, t0).unwrap();
        }
        // The next overall slot is at 30 × 34 ms = 1020 ms.
        assert_eq!(slots.reserve_global_by(t0, t0 + ms(500)), None);
        assert_eq!(
            slots.reserve_global_by(t0, t0 + ms(1020)),
            Some(t0 + ms(1020))
        );
        assert_eq!(
            slots.reserve_global_by(t0, t0 + ms(1020)),
            None,
            "that slot is taken; nothing is reserved by a refusal"
        );
        assert_eq!(slots.reserve_global(t0), t0 + ms(1054));
    }

    #[test]
    fn the_free_budget_is_what_fits_in_the_horizon() {
        let mut slots = Slots::new(ms(40), ms(1000));
        let t0 = Instant::now();
        assert_eq!(slots.free_slots(t0, t0 + ms(1000)), 26, "0, 40, …, 1000 ms");
        for chat in 0..20 {
            slots.reserve(chat, t0).unwrap();
        }
        assert_eq!(slots.free_slots(t0, t0 + ms(1000)), 6);
        assert_eq!(slots.budget_free_at(t0, ms(1000)), None);
        for chat in 20..26 {
            slots.reserve(chat, t0).unwrap();
        }
        assert_eq!(slots.free_slots(t0, t0 + ms(1000)), 0);
        assert_eq!(slots.budget_free_at(t0, ms(1000)), Some(t0 + ms(40)));
        let busy = slots.busy_chats(t0);
        assert_eq!(busy.len(), 26);
        slots.hold_chat(99, t0 + ms(500));
        assert_eq!(slots.reserve(99, t0), Err(t0 + ms(500)), "held back");
    }

    #[test]
    fn a_429_met_by_a_reply_pauses_the_senders_budget() {
        let limiter = RateLimiter::default();
        assert!(limiter.free_slots(ms(100)) > 0);
        telegram_asked_to_wait(ms(400));
        assert_eq!(
            limiter.free_slots(ms(100)),
            0,
            "nothing before the pause ends"
        );
        assert!(
            limiter.free_slots(ms(1000)) > 0,
            "the budget resumes after it"
        );
    }

    #[test]
    fn a_pause_delays_everyone() {
        let mut slots = Slots::new(ms(34), ms(1000));
        let t0 = Instant::now();
        slots.pause_until(t0 + ms(3000));
        assert_eq!(slots.reserve(7, t0), Ok(t0 + ms(3000)));
        assert_eq!(slots.reserve(8, t0), Ok(t0 + ms(3034)));
    }

    #[test]
    fn sends_that_leave_their_slots_late_never_crowd_a_window() {
        let mut slots = Slots::new(ms(36), ms(1000));
        let t0 = Instant::now();
        // A stalled thread lets a second's worth of slots pass, then every send leaves at once.
        for _ in 0..WINDOW_SENDS {
            assert_eq!(slots.dispatch(t0 + ms(500)), Ok(()));
        }
        assert_eq!(slots.dispatch(t0 + ms(500)), Err(t0 + ms(500) + WINDOW));
        assert_eq!(slots.dispatch(t0 + ms(1549)), Err(t0 + ms(500) + WINDOW));
        assert_eq!(slots.dispatch(t0 + ms(500) + WINDOW), Ok(()));
    }

    #[test]
    fn the_replies_going_out_lower_the_senders_rate() {
        // `Slots` itself: a `RateLimiter` also honours the process-wide pause other tests set.
        let mut slots = Slots::new(GLOBAL_INTERVAL, CHAT_INTERVAL);
        let t0 = Instant::now();
        let in_a_second = |slots: &Slots| slots.free_slots(t0, t0 + Duration::from_secs(1));
        assert_eq!(
            in_a_second(&slots),
            28 + 1,
            "28 a second, the first at once"
        );
        slots.set_rate(SHARED_PER_SECOND - 9);
        assert_eq!(in_a_second(&slots), 20 + 1);
        slots.set_rate(0);
        assert_eq!(
            in_a_second(&slots),
            MIN_RATE as usize + 1,
            "never below the least"
        );
        slots.set_rate(SHARED_PER_SECOND);
        assert_eq!(in_a_second(&slots), 28 + 1, "never above 28");
        slots.set_rate(12);
        for _ in 0..13 {
            assert_eq!(slots.dispatch(t0), Ok(()));
        }
        assert!(
            slots.dispatch(t0).is_err(),
            "a lowered rate's window is smaller"
        );
    }

    #[test]
    fn the_default_rates_stay_under_telegrams_limits() {
        assert!(GLOBAL_INTERVAL * 30 > Duration::from_secs(1));
        assert!(WINDOW_SENDS < 30 && WINDOW > Duration::from_secs(1));
        assert!(CHAT_INTERVAL > Duration::from_secs(1));
        assert!(GROUP_CHAT_INTERVAL * 20 > Duration::from_secs(60));
    }

    #[test]
    fn a_group_chat_gets_twenty_a_minute() {
        let mut slots = Slots::new(ms(34), ms(1000));
        let t0 = Instant::now();
        assert_eq!(slots.reserve(-100, t0), Ok(t0));
        assert_eq!(
            slots.reserve(-100, t0 + ms(1000)),
            Err(t0 + GROUP_CHAT_INTERVAL)
        );
        assert_eq!(
            slots.reserve(100, t0 + ms(1000)),
            Ok(t0 + ms(1000)),
            "a user is not held back"
        );
        let mut at = t0 + GROUP_CHAT_INTERVAL;
        let mut sent = vec![t0];
        while at < t0 + Duration::from_secs(60) {
            match slots.reserve(-100, at) {
                Ok(slot) => sent.push(slot),
                Err(ready) => at = ready,
            }
        }
        let in_a_minute = sent
            .iter()
            .filter(|s| **s < t0 + Duration::from_secs(60))
            .count();
        assert!(in_a_minute <= 20, "{in_a_minute}");
    }
}
