//! The Telegram side of notifications: the «🔔 Уведомления» settings screen (callback prefix
//! "n").

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

pub use super::action::NotifyAction;
use crate::notifications::settings::{self, NewEvents, NotificationSettings};
use crate::telegram::callback;
use crate::telegram::screen::{self, Target};
use crate::telegram::{Branch, Ctx, HandlerError, HandlerResult, Locale, Session};

/// Messages: the text of an announcement being written (settings are reached from the
/// profile).
pub fn branch() -> Branch {
    super::announce::branch()
}

pub fn callbacks() -> Branch {
    dptree::entry()
        .branch(callback::filter::<NotifyAction>().endpoint(on_action))
        .branch(super::announce::callbacks())
}

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: NotifyAction,
) -> HandlerResult {
    screen::answer(&ctx, &query, None).await?;
    let mut current = settings::load(&ctx.db, session.user_id).await?;
    match action {
        NotifyAction::Show => {}
        NotifyAction::NewEvents => current.new_events = current.new_events.next(),
        NotifyAction::Deadline1d => current.deadline_1d = !current.deadline_1d,
        NotifyAction::Deadline3h => current.deadline_3h = !current.deadline_3h,
        NotifyAction::Evening => current.event_evening = !current.event_evening,
        NotifyAction::QueueTurn => current.queue_turn = !current.queue_turn,
        NotifyAction::QueueOpening => current.queue_opening = !current.queue_opening,
        NotifyAction::Announcements => current.announcements = !current.announcements,
    }
    if action != NotifyAction::Show {
        settings::save(&ctx.db, session.user_id, &current).await?;
    }
    let (text, keyboard) = settings_screen(session.locale, &current);
    screen::show(
        &ctx,
        Target::of_query(&query, session.chat),
        &text,
        keyboard,
    )
    .await
}

/// The settings screen.
pub fn settings_screen(
    locale: Locale,
    current: &NotificationSettings,
) -> (String, InlineKeyboardMarkup) {
    // ❌ means cancel everywhere; an "off" is an empty box.
    let mark = |on: bool| if on { "✅" } else { "⬜" };
    let new_events = match current.new_events {
        NewEvents::All => locale.text("notify-new-events-all"),
        NewEvents::ImportantOnly => locale.text("notify-new-events-important"),
        NewEvents::Off => locale.text("notify-new-events-off"),
    };
    let toggle = |on: bool, id: &str, action: NotifyAction| -> Vec<InlineKeyboardButton> {
        vec![callback::button(
            format!("{} {}", mark(on), locale.text(id)),
            &action,
        )]
    };
    let rows = vec![
        vec![callback::button(
            format!("{}: {new_events}", locale.text("notify-btn-new-events")),
            &NotifyAction::NewEvents,
        )],
        toggle(
            current.deadline_1d,
            "notify-btn-deadline-1d",
            NotifyAction::Deadline1d,
        ),
        toggle(
            current.deadline_3h,
            "notify-btn-deadline-3h",
            NotifyAction::Deadline3h,
        ),
        toggle(
            current.event_evening,
            "notify-btn-evening",
            NotifyAction::Evening,
        ),
        toggle(
            current.queue_turn,
            "notify-btn-queue",
            NotifyAction::QueueTurn,
        ),
        toggle(
            current.queue_opening,
            "notify-btn-queue-opening",
            NotifyAction::QueueOpening,
        ),
        toggle(
            current.announcements,
            "notify-btn-announcements",
            NotifyAction::Announcements,
        ),
        vec![callback::button(
            locale.text("notify-btn-back"),
            &crate::telegram::members::profile::ProfileAction::Show,
        )],
    ];
    (
        locale.text("notify-settings-title"),
        InlineKeyboardMarkup::new(rows),
    )
}

/// For the profile: the settings screen of `user`.
pub async fn screen_for(
    ctx: &Ctx,
    user: i64,
    locale: Locale,
) -> Result<(String, InlineKeyboardMarkup), HandlerError> {
    let current = settings::load(&ctx.db, user).await?;
    Ok(settings_screen(locale, &current))
}
