//! The elected sender: every instance stands by for the sender role
//! ([`RoleName::Sender`](crate::storage::role::RoleName)); the one holding it runs the outbox
//! worker, the live-message editors, the digest planner and the listener that wakes them. So all instances together
//! send notices from one budget in one process (no shared bucket to ask per message), and when
//! the holder dies its lock dies with its connection: a standby takes over within seconds.
//! Every instance forwards its own wake-ups to the holder
//! ([`wakeup::forward`](crate::notifications::wakeup::forward)).

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::worker::Sender;
use crate::notifications::wakeup;
use crate::storage::role::{Role, RoleName};
use crate::telegram::Ctx;
use crate::telegram::chats::live;

/// Stands by for the sender role and acts in it while held, until `stop` turns true. A role
/// lost (its connection failed) stops the work — the sends in flight are finished, nothing new
/// is claimed — and the instance stands by again. A graceful stop gives the role up at once.
pub async fn serve(ctx: Ctx, stop: watch::Receiver<bool>) {
    let forward = wakeup::forward(ctx.db.clone(), ctx.notifier.wakeup().clone(), stop.clone());
    tokio::join!(forward, hold(&ctx, stop));
}

async fn hold(ctx: &Ctx, mut stop: watch::Receiver<bool>) {
    loop {
        let Some(mut role) = Role::acquire(&ctx.db, RoleName::Sender, &mut stop).await else {
            return;
        };
        let wakeup = ctx.notifier.wakeup().clone();
        wakeup.set_sender(true);
        let (quit, quitting) = watch::channel(false);
        let work = async {
            tokio::join!(
                Sender::new(ctx.db.clone(), ctx.api.clone(), ctx.notifier.clone())
                    .with_bot(ctx.bot_username.clone())
                    .run(quitting.clone()),
                live::edit_touched(ctx, quitting.clone()),
                wakeup::listen(ctx.db.clone(), wakeup.clone(), quitting.clone()),
                crate::digests::planner::serve(
                    ctx.db.clone(),
                    ctx.notifier.clone(),
                    quitting.clone()
                ),
            );
        };
        tokio::pin!(work);
        let lost = tokio::select! {
            () = &mut work => false,
            () = role.lost() => true,
            _ = stop.wait_for(|stop| *stop) => false,
        };
        wakeup.set_sender(false);
        let _ = quit.send(true);
        work.await;
        if lost {
            tracing::warn!("the sender role was lost; standing by");
            drop(role);
        } else {
            role.release().await;
            return;
        }
    }
}

/// A task that is aborted when its handle is dropped: an `App` whose `run_until` is dropped
/// (aborted) must not go on sending in the background.
pub struct Task(Option<JoinHandle<()>>);

impl Task {
    pub fn spawn(future: impl Future<Output = ()> + Send + 'static) -> Self {
        Self(Some(tokio::spawn(future)))
    }

    /// Waits until the task ends.
    pub async fn join(mut self) -> Result<(), tokio::task::JoinError> {
        match self.0.take() {
            Some(handle) => handle.await,
            None => Ok(()),
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}
