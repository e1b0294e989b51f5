//! The inbox worker of one instance: claims rows, hands each to the [`Processor`], finishes it
//! and goes on with the same user's next row; renews the leases of what it holds; finishes
//! the rows a dead instance had decided; prunes old rows.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::{Instant, MissedTickBehavior};

use super::{Claim, Claimed, FINISHED, Inbox, actor_of, parse_update};
use crate::telegram::updates::{Outcome, Processor};

/// Updates one instance handles at once (of different users).
const CONCURRENT: usize = 64;
/// How often a live instance renews the leases of the rows it holds.
pub const RENEW_EVERY: Duration = Duration::from_secs(2);
/// How often a worker looks for rows it was not woken for (stored by another instance, or left
/// by one that died).
const LOOK_EVERY: Duration = Duration::from_millis(200);
/// How often finished rows are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// When every slot is taken, claiming waits until this many are free again: one claim for a
/// handful of rows instead of one per finished update.
const CLAIM_AT_LEAST: usize = 8;

/// The poller's side of its instance's worker: it hands over the rows it claimed while
/// storing them, and claims no more than the worker has free slots for — the rest are left
/// to whichever instance claims them, so standby instances share the work.
pub struct Handoff {
    rows: mpsc::UnboundedSender<Vec<Claimed>>,
    free: Arc<AtomicUsize>,
    in_hand: InHand,
}

/// The worker's side of [`Handoff`].
pub struct Handed {
    rows: mpsc::UnboundedReceiver<Vec<Claimed>>,
    free: Arc<AtomicUsize>,
    in_hand: InHand,
}

/// A connected [`Handoff`] and [`Handed`].
pub fn handoff() -> (Handoff, Handed) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let free = Arc::new(AtomicUsize::new(CONCURRENT));
    let in_hand = InHand::default();
    let handoff = Handoff {
        rows: sender,
        free: Arc::clone(&free),
        in_hand: in_hand.clone(),
    };
    (
        handoff,
        Handed {
            rows: receiver,
            free,
            in_hand,
        },
    )
}

/// The users whose updates this instance's worker has in hand, each with whether a row of
/// theirs was stored meanwhile that their current row's finish might not see (it was stored
/// while the finish ran): after such a finish the worker looks for that row itself.
#[derive(Clone, Default)]
struct InHand(Arc<std::sync::Mutex<HashMap<i64, bool>>>);

impl InHand {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, bool>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn enter(&self, actor: i64) {
        self.lock().insert(actor, false);
    }

    /// The actor's updates are done here; whether a row of theirs was stored meanwhile.
    fn leave(&self, actor: i64) -> bool {
        self.lock().remove(&actor).unwrap_or(false)
    }
}

impl Handoff {
    /// How many rows the worker can take now.
    pub fn free(&self) -> usize {
        self.free.load(Ordering::Acquire)
    }

    /// Tells the worker that a row of `actor` was stored behind the one it has in hand.
    /// `false`: the worker has nothing of that actor's in hand (another instance has, or the
    /// earlier row waits for a claim) — the caller wakes the claim instead.
    pub fn follow(&self, actor: i64) -> bool {
        match self.in_hand.lock().get_mut(&actor) {
            Some(stored_behind) => {
                *stored_behind = true;
                true
            }
            None => false,
        }
    }

    /// Hands `rows` to the worker. `false`: the worker has stopped.
    pub fn hand(&self, rows: Vec<Claimed>) -> bool {
        let taken = rows.len();
        let _ = self
            .free
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |free| {
                Some(free.saturating_sub(taken))
            });
        self.rows.send(rows).is_ok()
    }
}

/// The rows this instance holds right now: the only ones whose leases it renews. A row left
/// behind by a bug or a failed finish is therefore never kept alive: its lease runs out and
/// another worker settles it.
#[derive(Clone, Default)]
struct Held(Arc<std::sync::Mutex<HashSet<i64>>>);

impl Held {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds `update_id` until the returned guard is dropped (a panic included).
    fn hold(&self, update_id: i64) -> Holding {
        self.lock().insert(update_id);
        Holding {
            held: self.clone(),
            update_id,
        }
    }

    fn ids(&self) -> Vec<i64> {
        self.lock().iter().copied().collect()
    }
}

struct Holding {
    held: Held,
    update_id: i64,
}

impl Drop for Holding {
    fn drop(&mut self) {
        self.held.lock().remove(&self.update_id);
    }
}

/// Renews the leases of the rows in `held` every [`RENEW_EVERY`], until `stop` turns true and
/// nothing is held any more.
async fn renew(inbox: Inbox, held: Held, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(RENEW_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => {}
        }
        let ids = held.ids();
        if ids.is_empty() {
            if *stop.borrow() {
                return;
            }
            continue;
        }
        if let Err(err) = inbox.renew(&ids).await {
            tracing::warn!(%err, "could not renew the leases of the updates in hand");
        }
    }
}

/// Handles one claimed row, then the actor's next ones as finishing claims them.
async fn handle(
    processor: Arc<Processor>,
    inbox: Inbox,
    held: Held,
    in_hand: InHand,
    first: Claimed,
) {
    let actor = actor_of(&first.payload);
    in_hand.enter(actor);
    let mut next = Some(first);
    while let Some(row) = next.take() {
        let update_id = row.update_id;
        let _holding = held.hold(update_id);
        let claim = Arc::new(Claim::new(inbox.clone(), update_id));
        let outcome = match parse_update(&row.payload) {
            Ok(update) => processor.process(update, Arc::clone(&claim)).await,
            Err(err) => {
                tracing::warn!(update_id, %err, "an update does not parse; dropping it");
                Outcome::Handled
            }
        };
        if outcome == Outcome::Failed && !claim.decided() {
            // Nothing happened and nothing was said: the update is tried again shortly.
            if let Err(err) = inbox.release(update_id).await {
                tracing::warn!(update_id, %err, "could not give an update back; its lease will run out");
            }
            in_hand.leave(actor);
            return;
        }
        // The next row (claimed with a fresh lease) is held from the next round on.
        next = finish(&inbox, update_id).await;
        if next.is_none() && in_hand.leave(actor) {
            // A row of this user was stored while the finish ran, unseen by it.
            next = inbox.claim_next_of(actor).await.unwrap_or_else(|err| {
                tracing::warn!(%err, "could not claim a user's next update; the worker's look will");
                None
            });
            if next.is_some() {
                in_hand.enter(actor);
            }
        }
    }
}
/// Finishes a row, trying again while the database fails (the lease is renewed meanwhile).
async fn finish(inbox: &Inbox, update_id: i64) -> Option<Claimed> {
    let mut pause = Duration::from_millis(100);
    for _ in 0..8 {
        match inbox.finish(update_id).await {
            Ok(next) => {
                FINISHED.send_modify(|count| *count = count.wrapping_add(1));
                return next;
            }
            Err(err) => {
                crate::storage::report_failure();
                tracing::warn!(update_id, %err, "could not finish an update; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
    }
    // Left decided or undecided as it is: the lease runs out when this instance stops renewing,
    // and another worker (or this one) settles it.
    None
}

/// The inbox worker: handles rows until `stop` turns true, then finishes the ones it holds.
/// `wake` is notified when this instance stored rows; `handed` brings the rows the poller
/// claimed as it stored them, and learns how many slots are free.
pub async fn work(
    processor: Arc<Processor>,
    inbox: Inbox,
    wake: Arc<Notify>,
    mut handed: Handed,
    mut stop: watch::Receiver<bool>,
) {
    let held = Held::default();
    let renewing = tokio::spawn(renew(inbox.clone(), held.clone(), stop.clone()));
    let mut tasks: JoinSet<()> = JoinSet::new();
    let in_hand = handed.in_hand.clone();
    let start = |tasks: &mut JoinSet<()>, row: Claimed| {
        let (processor, inbox) = (Arc::clone(&processor), inbox.clone());
        tasks.spawn(handle(processor, inbox, held.clone(), in_hand.clone(), row));
    };
    let mut look = tokio::time::interval(LOOK_EVERY);
    look.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_prune: Option<Instant> = None;
    let mut last_sweep = Instant::now();
    let mut want = true;
    let mut failures: u32 = 0;
    let mut not_before = Instant::now();
    while !*stop.borrow() {
        let free = CONCURRENT.saturating_sub(tasks.len());
        handed.free.store(free, Ordering::Release);
        // Claiming waits for a handful of free slots (one statement for several rows), and
        // happens only when rows may be waiting: after a wake-up, a look, or a claim that
        // filled every free slot. The poller hands its rows over directly, and a finished
        // row brings its user's next one.
        let room = free >= CLAIM_AT_LEAST.min(CONCURRENT) || (free > 0 && tasks.is_empty());
        if want && room && Instant::now() >= not_before {
            match inbox.claim(free).await {
                Ok(rows) => {
                    failures = 0;
                    want = rows.len() == free;
                    for row in rows {
                        start(&mut tasks, row);
                    }
                }
                Err(err) => {
                    failures = failures.saturating_add(1);
                    let delay = Duration::from_millis(100u64 << failures.min(5));
                    not_before = Instant::now() + delay;
                    crate::storage::report_failure();
                    tracing::warn!(%err, ?delay, "cannot read the inbox; retrying");
                }
            }
        }
        tokio::select! {
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = wake.notified() => want = true,
            Some(rows) = handed.rows.recv() => {
                for row in rows {
                    start(&mut tasks, row);
                }
            }
            _ = look.tick() => {
                want = true;
                if last_sweep.elapsed() >= Duration::from_secs(1) {
                    last_sweep = Instant::now();
                    match inbox.finish_abandoned().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(updates = n, "finished updates a stopped instance had answered"),
                        Err(err) => tracing::warn!(%err, "could not finish abandoned updates"),
                    }
                }
                if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                    last_prune = Some(Instant::now());
                    if let Err(err) = inbox.prune().await {
                        tracing::warn!(%err, "could not prune finished inbox rows");
                    }
                }
            }
            _ = stop.changed() => {}
        }
    }
    // A graceful stop finishes what this instance holds, the rows the poller still hands over
    // included (it stops with the same signal); the leases are renewed meanwhile.
    handed.free.store(0, Ordering::Release);
    while let Some(rows) = handed.rows.recv().await {
        for row in rows {
            start(&mut tasks, row);
        }
    }
    while tasks.join_next().await.is_some() {}
    if let Err(err) = renewing.await {
        tracing::error!(%err, "the lease renewal task failed");
    }
}
