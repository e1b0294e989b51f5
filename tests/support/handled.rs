//! Waiting until the bot has handled an update: its inbox row is finished.

use std::time::Duration;

use sea_orm::{DatabaseConnection, EntityTrait};
use study_group_bot::storage::entities::inbox;

/// How often the row is looked at when no bot in this process reports progress (the bot runs
/// as a separate process).
const LOOK_EVERY: Duration = Duration::from_millis(10);

/// Waits until update `update_id` is handled and finished by the bot on `db`.
pub async fn wait_handled(
    db: &DatabaseConnection,
    update_id: i64,
    timeout: Duration,
) -> Result<(), String> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut finished = study_group_bot::telegram::inbox::finished();
    loop {
        finished.borrow_and_update();
        // An error is "not yet": a bot in another process may still be creating its database.
        let row = inbox::Entity::find_by_id(update_id).one(db).await;
        if let Ok(Some(row)) = &row
            && row.done_at.is_some()
        {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "update {update_id} not handled within {timeout:?} (last read: {row:?})"
            ));
        }
        tokio::select! {
            _ = finished.changed() => {}
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}
