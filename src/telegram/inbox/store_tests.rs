//! The inbox statements on both databases: a fresh SQLite file, and a fresh PostgreSQL database
//! on the tests' server (`storage::testing::postgres_server`), where there is one.

use serde_json::json;

use super::*;
use crate::storage::{connect, migrate, testing};

struct Databases {
    all: Vec<DatabaseConnection>,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

async fn databases() -> Databases {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = connect(&format!("sqlite://{}", dir.path().join("bot.db").display()))
        .await
        .unwrap();
    let mut all = vec![sqlite];
    let mut postgres = None;
    if let Some(server) = testing::postgres_server() {
        let url = testing::fresh_postgres_database(server)
            .await
            .unwrap_or_else(|err| panic!("PostgreSQL at {server}: {err}"));
        all.push(connect(&url).await.unwrap());
        postgres = Some((server.to_owned(), url));
    }
    for db in &all {
        migrate(db).await.unwrap();
    }
    Databases {
        all,
        _dir: dir,
        postgres,
    }
}

impl Databases {
    async fn finish(self) {
        for db in self.all {
            db.close().await.unwrap();
        }
        if let Some((server, url)) = self.postgres {
            testing::drop_postgres_database(&server, &url)
                .await
                .unwrap();
        }
    }
}

/// A message from `actor`.
fn update(update_id: i64, actor: i64) -> (i64, serde_json::Value) {
    let payload = json!({
        "update_id": update_id,
        "message": {"message_id": 1, "date": 0, "from": {"id": actor}, "chat": {"id": actor}},
    });
    (update_id, payload)
}

fn ids(rows: &[Claimed]) -> Vec<i64> {
    rows.iter().map(|row| row.update_id).collect()
}

#[tokio::test]
async fn a_polled_batch_is_claimed_as_stored_only_for_users_with_nothing_unfinished() {
    let dbs = databases().await;
    for db in &dbs.all {
        let inbox = Inbox::new(db.clone());
        // User 1 has an update waiting from before.
        let (id, payload) = update(1, 1);
        assert!(store(db, id, payload).await.unwrap());
        let batch = vec![update(2, 2), update(3, 2), update(4, 1), update(5, 3)];
        let stored = inbox.store_and_claim(batch, 10).await.unwrap();
        // User 2's first and user 3's only update; user 2's second waits for the first, user
        // 1's for the earlier one (whoever holds that one follows it with this one).
        let backend = db.get_database_backend();
        assert_eq!(ids(&stored.claimed), vec![2, 5], "{backend:?}");
        assert_eq!(stored.waiting, vec![1]);
        assert!(!stored.left);
        // What was left is claimed in order by the ordinary claim: user 1's first update only.
        assert_eq!(ids(&inbox.claim(10).await.unwrap()), vec![1]);
        // Once it is finished, the user's next one is there for the taking (as when it was
        // stored while the finish ran).
        db.execute_unprepared("UPDATE inbox SET done_at = received_at WHERE update_id = 1")
            .await
            .unwrap();
        let next = inbox.claim_next_of(1).await.unwrap();
        assert_eq!(next.map(|row| row.update_id), Some(4));
        assert!(
            inbox.claim_next_of(1).await.unwrap().is_none(),
            "4 is claimed already"
        );
        // Updates delivered again are not stored again, nor claimed.
        let again = inbox
            .store_and_claim(vec![update(1, 1), update(2, 2)], 10)
            .await
            .unwrap();
        assert!(again.claimed.is_empty() && again.waiting.is_empty() && !again.left);
        // With room for one more update only, the rest is left to any instance's claim.
        let batch = vec![update(20, 20), update(21, 21), update(22, 22)];
        let stored = inbox.store_and_claim(batch, 1).await.unwrap();
        assert_eq!(ids(&stored.claimed), vec![20]);
        assert!(stored.left);
    }
    dbs.finish().await;
}

#[tokio::test]
async fn marks_asked_for_together_answer_each_update() {
    let dbs = databases().await;
    for db in &dbs.all {
        let inbox = Inbox::new(db.clone());
        let other = Inbox::new(db.clone());
        let batch = vec![update(10, 1), update(11, 1), update(12, 2), update(13, 3)];
        let stored = inbox.store_and_claim(batch, 64).await.unwrap();
        assert_eq!(ids(&stored.claimed), vec![10, 12, 13]);
        // Row 13 is taken over by another instance (its lease ran out, say).
        db.execute_unprepared("UPDATE inbox SET claimed_by = 'elsewhere' WHERE update_id = 13")
            .await
            .unwrap();
        let claims: Vec<_> = [10, 12, 13]
            .into_iter()
            .map(|id| Claim::new(inbox.clone(), id))
            .collect();
        let opened = futures::future::join_all(claims.iter().map(Claim::open)).await;
        assert_eq!(
            opened.iter().map(Result::is_ok).collect::<Vec<_>>(),
            vec![true, true, false],
            "only the rows still held are decided"
        );
        // Finishing 10 and 12 together: user 1's next update (11) comes with 10; 13 is not
        // this instance's to finish.
        let (after_10, after_12, after_13) =
            tokio::join!(inbox.finish(10), inbox.finish(12), inbox.finish(13));
        assert_eq!(after_10.unwrap().map(|row| row.update_id), Some(11));
        assert!(after_12.unwrap().is_none());
        assert!(after_13.unwrap().is_none());
        assert!(other.finish(11).await.unwrap().is_none(), "11 is held here");
        assert_eq!(pending(db).await.unwrap(), 2, "11 and 13 are unfinished");
    }
    dbs.finish().await;
}
