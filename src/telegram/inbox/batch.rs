//! One statement for many updates: what the tasks of an instance ask the inbox for at about
//! the same time (storing a webhook's update, deciding, finishing) goes to the database
//! together. A few statements may run at once; a request that finds them all running waits
//! and goes with the others that arrive meanwhile in the next one. Idle, a request goes at
//! once; under load one statement serves many updates — the same round trip and commit,
//! shared — without a timer adding latency.

use std::future::Future;
use std::sync::Arc;

use sea_orm::DbErr;
use tokio::sync::{Semaphore, mpsc, oneshot};

/// A batch never holds more requests than this (bounds the statement's size).
const MAX_BATCH: usize = 64;

type Reply<R> = oneshot::Sender<Result<R, String>>;

/// Runs one statement for each batch of keys, answering every key.
pub(super) struct Batcher<K, R> {
    requests: mpsc::UnboundedSender<(K, Reply<R>)>,
}

impl<K, R> Clone for Batcher<K, R> {
    fn clone(&self) -> Self {
        Self {
            requests: self.requests.clone(),
        }
    }
}

impl<K: Send + 'static, R: Send + 'static> Batcher<K, R> {
    /// Starts the task that runs `run` on each batch, at most `in_flight` batches at once.
    /// `run` answers the keys it is given in their order; a failure is every key's failure.
    /// The task ends when the last clone of the batcher is dropped.
    pub(super) fn spawn<F, Fut>(in_flight: usize, run: F) -> Self
    where
        F: Fn(Vec<K>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<R>, DbErr>> + Send + 'static,
    {
        let (requests, mut incoming) = mpsc::unbounded_channel::<(K, Reply<R>)>();
        let run = Arc::new(run);
        let slots = Arc::new(Semaphore::new(in_flight.max(1)));
        tokio::spawn(async move {
            while let Some(first) = incoming.recv().await {
                let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                    return;
                };
                // Whatever arrived while waiting for a slot goes along.
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match incoming.try_recv() {
                        Ok(request) => batch.push(request),
                        Err(_) => break,
                    }
                }
                let (keys, replies): (Vec<K>, Vec<Reply<R>>) = batch.into_iter().unzip();
                let statement = run(keys);
                tokio::spawn(async move {
                    match statement.await {
                        Ok(results) => {
                            for (reply, result) in replies.into_iter().zip(results) {
                                let _ = reply.send(Ok(result));
                            }
                        }
                        Err(err) => {
                            let err = err.to_string();
                            for reply in replies {
                                let _ = reply.send(Err(err.clone()));
                            }
                        }
                    }
                    drop(slot);
                });
            }
        });
        Self { requests }
    }

    /// The answer for `key`, from the next batch.
    pub(super) async fn call(&self, key: K) -> Result<R, DbErr> {
        let (reply, answer) = oneshot::channel();
        let gone = || DbErr::Custom("the inbox's batch task has stopped".to_owned());
        self.requests.send((key, reply)).map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?.map_err(DbErr::Custom)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn requests_made_while_a_batch_runs_go_together_in_the_next() {
        let batches = Arc::new(AtomicUsize::new(0));
        let (gate_tx, gate_rx) = tokio::sync::watch::channel(false);
        let counted = Arc::clone(&batches);
        let batcher = Batcher::spawn(1, move |keys: Vec<u32>| {
            let counted = Arc::clone(&counted);
            let mut gate = gate_rx.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                // The first batch waits until every other request is queued.
                let _ = gate.wait_for(|open| *open).await;
                Ok(keys.into_iter().map(|key| key * 10).collect())
            }
        });
        let first = tokio::spawn({
            let batcher = batcher.clone();
            async move { batcher.call(1).await }
        });
        // Wait until the first batch has started (it counts itself), then queue nine more.
        while batches.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let queued = Arc::new(AtomicUsize::new(0));
        let rest: Vec<_> = (2..=10)
            .map(|key| {
                let batcher = batcher.clone();
                let queued = Arc::clone(&queued);
                // The request is queued in the same poll as the count (the send does not wait).
                tokio::spawn(async move {
                    queued.fetch_add(1, Ordering::SeqCst);
                    batcher.call(key).await
                })
            })
            .collect();
        while queued.load(Ordering::SeqCst) < 9 {
            tokio::task::yield_now().await;
        }
        gate_tx.send_replace(true);
        assert_eq!(first.await.ok().and_then(Result::ok), Some(10));
        for (key, task) in (2..=10).zip(rest) {
            assert_eq!(task.await.ok().and_then(Result::ok), Some(key * 10));
        }
        assert_eq!(
            batches.load(Ordering::SeqCst),
            2,
            "nine requests, one statement"
        );
    }

    #[tokio::test]
    async fn a_failed_batch_fails_each_request() {
        let batcher: Batcher<u32, u32> =
            Batcher::spawn(2, |_keys| async { Err(DbErr::Custom("down".to_owned())) });
        let err = batcher.call(1).await.err().map(|err| err.to_string());
        assert!(err.is_some_and(|err| err.contains("down")));
    }

    #[tokio::test]
    async fn with_room_for_two_a_request_does_not_wait_for_a_running_batch() {
        let (gate_tx, gate_rx) = tokio::sync::watch::channel(false);
        let (started_tx, mut started_rx) = tokio::sync::watch::channel(false);
        let batcher = Batcher::spawn(2, move |keys: Vec<u32>| {
            let mut gate = gate_rx.clone();
            let started = started_tx.clone();
            async move {
                // Key 1's batch waits for the gate; key 2's is answered meanwhile.
                if keys.contains(&1) {
                    started.send_replace(true);
                    let _ = gate.wait_for(|open| *open).await;
                }
                Ok(keys)
            }
        });
        let first = tokio::spawn({
            let batcher = batcher.clone();
            async move { batcher.call(1).await }
        });
        let _ = started_rx.wait_for(|started| *started).await;
        assert_eq!(batcher.call(2).await.ok(), Some(2));
        gate_tx.send_replace(true);
        assert_eq!(first.await.ok().and_then(Result::ok), Some(1));
    }
}
