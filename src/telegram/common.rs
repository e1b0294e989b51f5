//! Handlers every user meets: `/start`, `/help`, `/menu`, `/cancel`, the main menu and the
//! fallbacks for anything unrecognised.

use teloxide::prelude::*;

use super::commands::Command;
use super::dialogue::{self, Dialogue};
use super::errors::UserFacing;
use super::keyboards::{self, MenuButton};
use super::texts::Args;
use super::{Branch, Ctx, HandlerResult, Session, send};
use crate::members::Role;

pub fn commands() -> Branch {
    teloxide::filter_command::<Command, _>().endpoint(on_command)
}

pub fn cancel_button() -> Branch {
    super::kit::menu_button(MenuButton::Cancel).endpoint(cancel)
}

/// Text nobody handled: a menu button of a section still to come, or unknown text.
pub fn fallback() -> Branch {
    dptree::endpoint(|ctx: Ctx, session: Session, message: Message| async move {
        let id = match message.text().and_then(MenuButton::parse) {
            Some(_) => "section-coming-soon",
            None => "unknown-text",
        };
        let text = session.locale.text(id);
        show_menu_with(&ctx, &session, &text).await
    })
}

async fn on_command(
    ctx: Ctx,
    session: Session,
    message: Message,
    command: Command,
) -> HandlerResult {
    match command {
        Command::Admin(code) => {
            crate::telegram::admin::handlers::on_admin_command(ctx, session, message, code).await
        }
        // A link under an event posted to the group's chat: its card (a malformed one is
        // the plain /start).
        Command::Start(payload) if crate::telegram::events::link::is_event_link(&payload) => {
            match crate::telegram::events::link::parse(&payload) {
                Some(event) => {
                    leave_dialogue(&ctx, &session).await?;
                    crate::telegram::events::handlers::on_event_link(ctx, session, event).await
                }
                None => {
                    leave_dialogue(&ctx, &session).await?;
                    show_menu(&ctx, &session).await
                }
            }
        }
        Command::Start(token) if !token.trim().is_empty() => {
            leave_dialogue(&ctx, &session).await?;
            crate::telegram::invites::handlers::on_start_token(ctx, session, token).await
        }
        Command::Start(_) | Command::Menu => {
            leave_dialogue(&ctx, &session).await?;
            show_menu(&ctx, &session).await
        }
        Command::Invite => {
            crate::telegram::invites::handlers::on_invite_command(ctx, session).await
        }
        Command::Profile => {
            crate::telegram::members::handlers::on_profile_command(ctx, session).await
        }
        Command::Help => {
            send::html(&ctx, session.chat, &session.locale.text("help"), None).await?;
            Ok(())
        }
        Command::Cancel => cancel(ctx, session).await,
        Command::Calendar => {
            crate::telegram::events::handlers::on_calendar_command(ctx, session).await
        }
        Command::Deadlines => {
            crate::telegram::events::handlers::on_deadlines_command(ctx, session).await
        }
    }
}

async fn cancel(ctx: Ctx, session: Session) -> HandlerResult {
    let id = if session.dialogue == Dialogue::Idle {
        "nothing-to-cancel"
    } else {
        dialogue::clear(&ctx.db, session.user_id).await?;
        "cancelled"
    };
    let text = session.locale.text(id);
    show_menu_with(&ctx, &session, &text).await
}

async fn leave_dialogue(ctx: &Ctx, session: &Session) -> HandlerResult {
    if session.dialogue != Dialogue::Idle {
        dialogue::clear(&ctx.db, session.user_id).await?;
    }
    Ok(())
}

/// The greeting for the user's role with the role's keyboard.
pub async fn show_menu(ctx: &Ctx, session: &Session) -> HandlerResult {
    let locale = session.locale;
    let text = match &session.membership {
        None => locale.text("welcome-unregistered"),
        Some(membership) => {
            let id = match membership.role {
                Role::Leader => "welcome-leader",
                Role::Assistant => "welcome-assistant",
                Role::Member => "welcome-member",
            };
            locale.text_with(id, &Args::new().user("group", &membership.group_name))
        }
    };
    show_menu_with(ctx, session, &text).await
}

/// The end of a form's message handler: a refusal leaves the form (the dialogue `in_form`
/// recognises) and shows the menu.
pub async fn finish_form_message(
    ctx: &Ctx,
    session: &Session,
    flow: super::kit::Flow,
    in_form: fn(&Dialogue) -> bool,
) -> HandlerResult {
    match flow {
        Ok(_) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            leave_form_with(ctx, session, &text, in_form).await
        }
    }
}

/// Tells the user `text`, ends the form they are in (the dialogue `in_form` recognises), and
/// shows the menu for their role as it is now.
pub async fn leave_form_with(
    ctx: &Ctx,
    session: &Session,
    text: &str,
    in_form: fn(&Dialogue) -> bool,
) -> HandlerResult {
    if in_form(&session.dialogue) {
        dialogue::clear(&ctx.db, session.user_id).await?;
    }
    let membership = crate::members::service::membership(&ctx.db, session.user_id).await?;
    let session = Session {
        membership,
        dialogue: Dialogue::Idle,
        ..session.clone()
    };
    show_menu_with(ctx, &session, text).await
}

/// A refusal's message, with the main menu.
pub async fn refuse(ctx: &Ctx, session: &Session, refusal: impl UserFacing) -> HandlerResult {
    let text = refusal.user_message(session.locale)?;
    show_menu_with(ctx, session, &text).await
}

/// `text` (already formatted HTML) with the main menu keyboard.
pub async fn show_menu_with(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    let menu = keyboards::main_menu(session.locale, session.membership.as_ref());
    send::html(ctx, session.chat, text, Some(menu)).await?;
    Ok(())
}

/// A button no domain recognised (an older version, a forged payload): answered as outdated,
/// so the client stops its spinner; nothing changes.
pub async fn outdated_callback(ctx: Ctx, session: Session, query: CallbackQuery) -> HandlerResult {
    let text = session.locale.text("callback-outdated");
    ctx.api.answer(&query.id, Some(&text), false).await?;
    Ok(())
}
