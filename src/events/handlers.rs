//! The Telegram side of events: «📅 События и Бронь», the calendar, event cards, deadlines.

use teloxide::dptree;

use crate::telegram::{Branch, Ctx, HandlerResult, Session, common};

/// Messages: «📅 События и Бронь» and the steps of the event forms.
pub fn branch() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// Inline buttons with prefix `e`.
pub fn callbacks() -> Branch {
    dptree::filter(|| false)
}

/// `/calendar`.
pub async fn on_calendar_command(ctx: Ctx, session: Session) -> HandlerResult {
    let text = session.locale.text("section-coming-soon");
    common::show_menu_with(&ctx, &session, &text).await
}

/// `/deadlines`.
pub async fn on_deadlines_command(ctx: Ctx, session: Session) -> HandlerResult {
    let text = session.locale.text("section-coming-soon");
    common::show_menu_with(&ctx, &session, &text).await
}
