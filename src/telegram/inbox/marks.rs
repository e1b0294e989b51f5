//! The statements behind the batched marks (`batch`): each serves a whole batch of updates at
//! once and answers every one of them.

use chrono::Utc;
use sea_orm::{DatabaseConnection, DbBackend, DbErr, FromQueryResult, Value};

use super::{Claimed, LEASE, actor_of, later, placeholders, statement};

/// Stores `updates` in one statement; for each, whether it was stored now (not before, and
/// not earlier in the same batch).
pub(super) async fn store_many(
    db: &DatabaseConnection,
    updates: Vec<(i64, serde_json::Value)>,
) -> Result<Vec<bool>, DbErr> {
    #[derive(FromQueryResult)]
    struct Stored {
        update_id: i64,
    }
    let mut first = std::collections::HashSet::new();
    let mut is_first = Vec::with_capacity(updates.len());
    let mut rows = Vec::new();
    let mut values: Vec<Value> = vec![Utc::now().into()];
    for (update_id, payload) in &updates {
        let new = first.insert(*update_id);
        is_first.push(new);
        if new {
            let n = values.len();
            rows.push(format!("(${}, ${}, ${}, $1)", n + 1, n + 2, n + 3));
            values.extend([
                Value::from(*update_id),
                actor_of(payload).into(),
                payload.clone().into(),
            ]);
        }
    }
    let sql = format!(
        "INSERT INTO inbox (update_id, actor, payload, received_at) VALUES {} \
         ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
        rows.join(", ")
    );
    let stored: std::collections::HashSet<i64> =
        Stored::find_by_statement(statement(db.get_database_backend(), &sql, values))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.update_id)
            .collect();
    Ok(updates
        .iter()
        .zip(is_first)
        .map(|((update_id, _), first)| first && stored.contains(update_id))
        .collect())
}

/// Marks the rows `ids` handled where this instance still holds them (one statement); for
/// each id, whether it is held.
pub(super) async fn decide_many(
    db: &DatabaseConnection,
    instance: &str,
    ids: &[i64],
) -> Result<Vec<bool>, DbErr> {
    #[derive(FromQueryResult)]
    struct Decided {
        update_id: i64,
    }
    let sql = format!(
        "UPDATE inbox SET handled_at = COALESCE(handled_at, $1) \
         WHERE update_id IN ({}) AND claimed_by = $2 AND done_at IS NULL \
         RETURNING update_id",
        placeholders(3, ids.len())
    );
    let mut values: Vec<Value> = vec![Utc::now().into(), instance.into()];
    values.extend(ids.iter().map(|&id| Value::from(id)));
    let backend = db.get_database_backend();
    let decided: std::collections::HashSet<i64> =
        Decided::find_by_statement(statement(backend, &sql, values))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.update_id)
            .collect();
    Ok(ids.iter().map(|id| decided.contains(id)).collect())
}

/// Finishes the rows `ids` (as far as this instance holds them) and claims each one's actor's
/// next row, if one is waiting and free; for each id, the next row claimed. On PostgreSQL one
/// statement: the next row is claimed the moment its predecessor is finished, so no other
/// instance can slip in between. (One actor never has two rows in hand, so no row of `ids`
/// is another's next; the statement makes sure of it anyway.)
pub(super) async fn finish_many(
    db: &DatabaseConnection,
    instance: &str,
    ids: &[i64],
) -> Result<Vec<Option<Claimed>>, DbErr> {
    #[derive(FromQueryResult)]
    struct Next {
        after: i64,
        update_id: i64,
        payload: serde_json::Value,
    }
    let now = Utc::now();
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = vec![now.into(), instance.into(), later(now, LEASE).into()];
    values.extend(ids.iter().map(|&id| Value::from(id)));
    let list = placeholders(4, ids.len());
    let next: Vec<Next> = if backend == DbBackend::Postgres {
        let sql = format!(
            "WITH finished AS ( \
               UPDATE inbox SET done_at = $1, handled_at = COALESCE(handled_at, $1), \
                 claimed_until = NULL \
               WHERE update_id IN ({list}) AND claimed_by = $2 AND done_at IS NULL \
               RETURNING actor, update_id), \
             following AS ( \
               SELECT f.update_id AS after, \
                 (SELECT min(n.update_id) FROM inbox AS n \
                   WHERE n.actor = f.actor AND n.update_id > f.update_id \
                     AND n.done_at IS NULL \
                     AND n.update_id NOT IN (SELECT update_id FROM finished)) AS next_id \
               FROM finished AS f) \
             UPDATE inbox SET claimed_by = $2, claimed_until = $3 \
             FROM following \
             WHERE inbox.update_id = following.next_id AND inbox.handled_at IS NULL \
               AND (inbox.claimed_until IS NULL OR inbox.claimed_until < $1) \
             RETURNING following.after AS after, inbox.update_id AS update_id, \
               inbox.payload AS payload"
        );
        Next::find_by_statement(statement(backend, &sql, values))
            .all(db)
            .await?
    } else {
        // SQLite has no data-modifying CTE: finish, then claim each actor's next row.
        #[derive(FromQueryResult)]
        struct Finished {
            actor: i64,
            update_id: i64,
        }
        let sql = format!(
            "UPDATE inbox SET done_at = $1, handled_at = COALESCE(handled_at, $1), \
               claimed_until = NULL \
             WHERE update_id IN ({list}) AND claimed_by = $2 AND done_at IS NULL \
             RETURNING actor, update_id"
        );
        let finished = Finished::find_by_statement(statement(backend, &sql, values))
            .all(db)
            .await?;
        let mut next = Vec::new();
        for Finished { actor, update_id } in finished {
            let claimed = Claimed::find_by_statement(statement(
                backend,
                "UPDATE inbox SET claimed_by = $1, claimed_until = $2 \
                 WHERE update_id = (SELECT min(update_id) FROM inbox \
                     WHERE actor = $3 AND update_id > $4 AND done_at IS NULL) \
                   AND handled_at IS NULL AND (claimed_until IS NULL OR claimed_until < $5) \
                 RETURNING update_id, payload",
                vec![
                    instance.into(),
                    later(now, LEASE).into(),
                    actor.into(),
                    update_id.into(),
                    now.into(),
                ],
            ))
            .one(db)
            .await?;
            next.extend(claimed.map(|row| Next {
                after: update_id,
                update_id: row.update_id,
                payload: row.payload,
            }));
        }
        next
    };
    let mut by_predecessor: std::collections::HashMap<i64, Claimed> = next
        .into_iter()
        .map(|row| {
            let claimed = Claimed {
                update_id: row.update_id,
                payload: row.payload,
            };
            (row.after, claimed)
        })
        .collect();
    Ok(ids.iter().map(|id| by_predecessor.remove(id)).collect())
}
