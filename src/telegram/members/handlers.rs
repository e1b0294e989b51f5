//! The Telegram side of members: the member list «👥 Участники группы», member cards and the
//! leader's actions on them, the CSV export. The profile lives in [`super::profile`], the ФИО
//! step in [`super::fio_step`].
//!
//! Navigation edits the pressed message in place; every callback query is answered, outcomes
//! with a short toast.

use teloxide::prelude::*;
use uuid::Uuid;

pub use super::action::Action;
use super::action::ProfileAction;
use super::{fio_step, profile, render};
use crate::members::csv::Csv;
use crate::members::service::{self, MemberError};
use crate::members::{Membership, Role};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop, say, toast};
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, Dialogue, HandlerResult, MenuButton, Session, common, keyboards, send,
};

/// Messages: «👥 Участники группы», «👤 Профиль», the ФИО step.
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| matches!(session.dialogue, Dialogue::Fio { .. }))
                .endpoint(fio_step::receive),
        )
        .branch(kit::menu_button(MenuButton::Members).endpoint(on_members_button))
        .branch(kit::menu_button(MenuButton::Profile).endpoint(profile::on_profile_button))
}

/// Inline buttons with prefix `m` (members) and `p` (profile).
pub fn callbacks() -> Branch {
    dptree::entry()
        .branch(kit::buttons::<Action>(|ctx, session, target, action| {
            Box::pin(run_action(ctx, session, target, action))
        }))
        .branch(kit::buttons::<ProfileAction>(
            |ctx, session, target, action| {
                Box::pin(profile::run_action(ctx, session, target, action))
            },
        ))
}

/// `/profile`.
pub async fn on_profile_command(ctx: Ctx, session: Session) -> HandlerResult {
    profile::show_new(&ctx, &session).await
}

/// «👥 Участники группы»: the first page of the list, as a new message.
async fn on_members_button(ctx: Ctx, session: Session) -> HandlerResult {
    match service::list(&ctx.db, session.user_id, 0).await {
        Ok(page) => {
            let (text, keyboard) = render::list_screen(session.locale, &page);
            screen::show(&ctx, Target::New(session.chat), &text, keyboard).await
        }
        Err(err) => common::refuse(&ctx, &session, err).await,
    }
}

async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Page { page } => {
            let page = service::list(&ctx.db, user, page).await?;
            shown(ctx, target, render::list_screen(locale, &page)).await
        }
        Action::Card { member, page } => {
            let card = service::card(&ctx.db, user, member).await;
            let card = unless_gone(ctx, session, target, page, card).await?;
            shown(ctx, target, render::card_screen(locale, &card, page)).await
        }
        Action::Remove { member, page } | Action::Transfer { member, page } => {
            let card = service::card(&ctx.db, user, member).await;
            let card = unless_gone(ctx, session, target, page, card).await?;
            if card.is_self {
                return Err(MemberError::SelfAction.into());
            }
            let transfer = matches!(action, Action::Transfer { .. });
            let screen = render::confirm_screen(locale, &card, page, transfer);
            shown(ctx, target, screen).await
        }
        Action::Appoint { member, page } | Action::Revoke { member, page } => {
            let appoint = matches!(action, Action::Appoint { .. });
            let done = ctx
                .write(user, |uow| {
                    Box::pin(service::set_assistant(uow, member, appoint))
                })
                .await;
            unless_gone(ctx, session, target, page, done).await?;
            refresh_card(ctx, session, target, member, page).await?;
            let id = if appoint {
                "members-appointed"
            } else {
                "members-revoked"
            };
            Ok(Some(locale.text(id)))
        }
        Action::RemoveConfirmed { member, page } => {
            let done = ctx
                .write(user, |uow| Box::pin(service::remove_member(uow, member)))
                .await;
            let change = unless_gone(ctx, session, target, page, done).await?;
            show_list_or_refusal(ctx, session, target, page).await?;
            let name = change.member.name().full();
            let text = locale.text_with("members-removed", &Args::new().user("name", &name));
            Ok(Some(toast(&text)))
        }
        Action::TransferConfirmed { member, page } => {
            let done = ctx
                .write(user, |uow| {
                    Box::pin(service::transfer_leadership(uow, member))
                })
                .await;
            let change = unless_gone(ctx, session, target, page, done).await?;
            show_list_or_refusal(ctx, session, target, page).await?;
            // The former leader, now an assistant: their new keyboard.
            let text = locale.text_with(
                "members-transferred",
                &Args::new()
                    .user("name", &change.member.name().full())
                    .user("group", &change.group_name),
            );
            let assistant = session.membership.clone().map(|membership| Membership {
                role: Role::Assistant,
                ..membership
            });
            let menu = keyboards::main_menu(locale, assistant.as_ref());
            say(ctx, session, &text, Some(menu)).await
        }
        Action::Export => export(ctx, session).await,
    }
}

/// A screen shown in place of the pressed message; the press is answered without a toast.
pub(super) async fn shown(
    ctx: &Ctx,
    target: Target,
    (text, keyboard): (String, teloxide::types::InlineKeyboardMarkup),
) -> Flow {
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// `result`, or its refusal; when the member is gone, the list is shown again first.
async fn unless_gone<T>(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    page: i64,
    result: Result<T, MemberError>,
) -> Result<T, Stop> {
    match result {
        Err(MemberError::NotFound) => {
            show_list_or_refusal(ctx, session, target, page).await?;
            Err(MemberError::NotFound.into())
        }
        other => Ok(other?),
    }
}

/// Shows the list at `page`; a refusal only tells why in a message.
async fn show_list_or_refusal(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    page: i64,
) -> HandlerResult {
    match service::list(&ctx.db, session.user_id, page).await {
        Ok(page) => {
            let (text, keyboard) = render::list_screen(session.locale, &page);
            screen::show(ctx, target, &text, keyboard).await
        }
        Err(err) => {
            let text = err.user_message(session.locale)?;
            send::html(ctx, session.chat, &text, None).await?;
            Ok(())
        }
    }
}

/// The card again after a change; the list if the card cannot be shown any more.
async fn refresh_card(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    member: Uuid,
    page: i64,
) -> HandlerResult {
    match service::card(&ctx.db, session.user_id, member).await {
        Ok(card) => {
            let (text, keyboard) = render::card_screen(session.locale, &card, page);
            screen::show(ctx, target, &text, keyboard).await
        }
        Err(_) => show_list_or_refusal(ctx, session, target, page).await,
    }
}

/// The CSV export: ФИО, username, role, date joined (in the group's time zone).
async fn export(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    let roster = service::roster(&ctx.db, session.user_id).await?;
    let mut csv = Csv::new();
    csv.row([
        locale.text("members-csv-name"),
        locale.text("members-csv-username"),
        locale.text("members-csv-role"),
        locale.text("members-csv-joined"),
    ]);
    for member in &roster.members {
        csv.row([
            member.name().full(),
            member.username.clone().unwrap_or_default(),
            render::role_name(locale, member.role),
            member
                .joined_on(roster.timezone)
                .format("%Y-%m-%d")
                .to_string(),
        ]);
    }
    let file_name = format!(
        "members-{}.csv",
        send::file_safe(&roster.group_name, "group")
    );
    let caption = locale.text_with(
        "members-export-caption",
        &Args::new()
            .user("group", &roster.group_name)
            .num("count", roster.members.len() as i64),
    );
    ctx.api
        .send_document(session.chat, &file_name, csv.into_bytes(), &caption)
        .await?;
    Ok(None)
}
