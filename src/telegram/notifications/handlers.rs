//! The Telegram side of notifications: the «🔔 Уведомления» settings screen (callback prefix
//! "n").

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

pub use super::action::NotifyAction;
use crate::digests::settings::{self as digest_settings, Digest, DigestSettings, PING_CHOICES};
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
    let target = Target::of_query(&query, session.chat);
    let digests = match action {
        NotifyAction::Digest { which } => {
            let current = digest_settings::load(&ctx.db, session.user_id).await?;
            let (text, keyboard) = digest_choice(session.locale, &current, which);
            return screen::show(&ctx, target, &text, keyboard).await;
        }
        NotifyAction::DigestAt { which, minute } => Some((which, Some(minute))),
        NotifyAction::DigestOff { which } => Some((which, None)),
        _ => None,
    };
    if let Some((which, at)) = digests {
        // Callback data is untrusted: a time the screen does not offer is refused.
        let mut current = digest_settings::load(&ctx.db, session.user_id).await?;
        let changed = match which {
            0 => current.set(Digest::Evening, at),
            1 => current.set(Digest::Morning, at),
            _ => current.set_ping(at),
        };
        if changed {
            digest_settings::save(&ctx.db, session.user_id, &current).await?;
        }
    }
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
        NotifyAction::Digest { .. }
        | NotifyAction::DigestAt { .. }
        | NotifyAction::DigestOff { .. } => {}
    }
    if digests.is_none() && action != NotifyAction::Show {
        settings::save(&ctx.db, session.user_id, &current).await?;
    }
    let digests = digest_settings::load(&ctx.db, session.user_id).await?;
    let (text, keyboard) = settings_screen(session.locale, &current, &digests);
    screen::show(&ctx, target, &text, keyboard).await
}

/// The evening digest's offered times.
const EVENING_TIMES: [u16; 5] = [18 * 60, 19 * 60, 20 * 60, 21 * 60, 22 * 60];
/// The morning digest's offered times.
const MORNING_TIMES: [u16; 5] = [6 * 60 + 30, 7 * 60, 7 * 60 + 30, 8 * 60, 9 * 60];

/// What a digest line shows: its time, how long before a class, or «выкл.».
fn digest_value(locale: Locale, current: &DigestSettings, which: u8) -> String {
    let at = match which {
        0 => current.evening,
        1 => current.morning,
        _ => {
            return match current.ping {
                Some(minutes) => locale.text_with(
                    "digest-ping-at",
                    &crate::telegram::Args::new().num("minutes", i64::from(minutes)),
                ),
                None => locale.text("digest-off"),
            };
        }
    };
    at.map_or_else(|| locale.text("digest-off"), digest_settings::clock)
}

/// The three digest lines of the settings screen.
fn digest_rows(locale: Locale, current: &DigestSettings) -> Vec<Vec<InlineKeyboardButton>> {
    [
        "digest-btn-evening",
        "digest-btn-morning",
        "digest-btn-ping",
    ]
    .into_iter()
    .zip(0u8..)
    .map(|(id, which)| {
        let at = digest_value(locale, current, which);
        let label = locale.text_with(id, &crate::telegram::Args::new().plain("at", &at));
        vec![callback::button(label, &NotifyAction::Digest { which })]
    })
    .collect()
}

/// The choice of times of one digest (or of the ping's lead): a handful of times, «Выключить»
/// and back.
pub fn digest_choice(
    locale: Locale,
    current: &DigestSettings,
    which: u8,
) -> (String, InlineKeyboardMarkup) {
    let (title, choices): (&str, Vec<(u16, String)>) = match which {
        0 => (
            "digest-evening-choose",
            EVENING_TIMES
                .iter()
                .map(|&m| (m, digest_settings::clock(m)))
                .collect(),
        ),
        1 => (
            "digest-morning-choose",
            MORNING_TIMES
                .iter()
                .map(|&m| (m, digest_settings::clock(m)))
                .collect(),
        ),
        _ => (
            "digest-ping-choose",
            PING_CHOICES
                .iter()
                .map(|&m| {
                    let args = crate::telegram::Args::new().num("minutes", i64::from(m));
                    (m, locale.text_with("digest-ping-at", &args))
                })
                .collect(),
        ),
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = choices
        .chunks(3)
        .map(|row| {
            row.iter()
                .map(|(minute, label)| {
                    let action = NotifyAction::DigestAt {
                        which,
                        minute: *minute,
                    };
                    callback::button(label.clone(), &action)
                })
                .collect()
        })
        .collect();
    rows.push(vec![callback::button(
        locale.text("digest-btn-off"),
        &NotifyAction::DigestOff { which },
    )]);
    rows.push(vec![callback::button(
        locale.text("digest-btn-back"),
        &NotifyAction::Show,
    )]);
    let at = digest_value(locale, current, which);
    let text = locale.text_with(title, &crate::telegram::Args::new().plain("at", &at));
    (text, InlineKeyboardMarkup::new(rows))
}

/// The settings screen.
pub fn settings_screen(
    locale: Locale,
    current: &NotificationSettings,
    digests: &DigestSettings,
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
    let mut rows = digest_rows(locale, digests);
    rows.extend([
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
    ]);
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
    let digests = digest_settings::load(&ctx.db, user).await?;
    Ok(settings_screen(locale, &current, &digests))
}
