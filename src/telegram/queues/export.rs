//! «📄 CSV»: a queue as a spreadsheet for its leader.

use teloxide::types::CallbackQuery;
use uuid::Uuid;

use crate::members::csv::Csv;
use crate::queues::service::{self, QueueView};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Stop, toast};
use crate::telegram::{Args, Ctx, HandlerResult, Session, screen, send};

/// «📄 CSV»: the press is answered first (a document takes a moment), then the file is sent.
pub(super) async fn on_export(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    queue: Uuid,
) -> HandlerResult {
    let view = match async {
        service::manageable(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await
    }
    .await
    {
        Ok(view) => view,
        Err(err) => {
            let text = err.user_message(session.locale)?;
            return screen::answer(ctx, query, Some(&toast(&text))).await;
        }
    };
    screen::answer(ctx, query, None).await?;
    match export(ctx, session, &view).await {
        Ok(()) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            send::html(ctx, session.chat, &text, None).await?;
            Ok(())
        }
    }
}

/// «📄 CSV»: position, name, username, joined at (group time zone).
async fn export(ctx: &Ctx, session: &Session, view: &QueueView) -> Result<(), Stop> {
    let locale = session.locale;
    let mut csv = Csv::new();
    csv.row([
        locale.text("queue-csv-position"),
        locale.text("queue-csv-name"),
        locale.text("queue-csv-username"),
        locale.text("queue-csv-joined"),
    ]);
    for p in &view.participants {
        csv.row([
            p.position.to_string(),
            p.name.clone(),
            p.username.clone().unwrap_or_default(),
            p.joined_at
                .with_timezone(&view.tz)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        ]);
    }
    let bytes = csv.into_bytes();
    let file_name = format!(
        "queue-{}.csv",
        send::file_safe(&super::render::title(locale, &view.queue.title), "queue")
    );
    let caption = locale.text_with(
        "queue-export-caption",
        &Args::new()
            .user("title", &super::render::title(locale, &view.queue.title))
            .num("count", view.participants.len() as i64),
    );
    ctx.api
        .send_document(session.chat, &file_name, bytes, &caption)
        .await?;
    Ok(())
}
