//! The Telegram side of the administration: `/admin <code>` and `/admin`, the panel's inline
//! screens, its two typed steps (a group search, a broadcast's text), and the leader's
//! «📜 История изменений».
//!
//! To anyone who is not an admin the panel does not exist: `/admin` is answered like any
//! unknown text and the panel's buttons like outdated ones.

use teloxide::payloads::{DeleteMessage, SetMyCommands, SetMyCommandsSetters as _};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, InlineKeyboardMarkup, Recipient};

use super::action::Action;
use super::render;
use crate::admin::access::{self, Redeemed};
use crate::admin::broadcast::{self, Audience, BroadcastText};
use crate::admin::code::CodeLifetime;
use crate::admin::service::{self, AdminError};
use crate::telegram::api::Api;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop, label, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Locale, Session, common, notes, send};

/// Messages: the search and broadcast steps of an admin's dialogue.
pub fn branch() -> Branch {
    dptree::entry()
        .branch(kit::in_dialogue(Dialogue::AdminSearch).endpoint(receive_search))
        .branch(
            dptree::filter(|session: Session| {
                matches!(
                    session.dialogue,
                    Dialogue::AdminBroadcast { .. } | Dialogue::AdminBroadcastPreview { .. }
                )
            })
            .endpoint(receive_broadcast),
        )
}

/// Inline buttons with prefix `a`.
pub fn callbacks() -> Branch {
    kit::buttons::<Action>(|ctx, session, target, action| {
        Box::pin(run_action(ctx, session, target, action))
    })
}

/// `/admin` (the panel, for admins) and `/admin <code>` (redemption).
pub async fn on_admin_command(
    ctx: Ctx,
    session: Session,
    message: Message,
    code: String,
) -> HandlerResult {
    let locale = session.locale;
    if code.trim().is_empty() {
        if access::is_admin(&ctx.db, session.user_id).await? {
            if let Err(stop) = show_panel(&ctx, Target::New(session.chat), locale, None).await {
                stop.message(locale)?;
            }
            return Ok(());
        }
        // Exactly what any unknown text gets.
        let text = locale.text("unknown-text");
        return common::show_menu_with(&ctx, &session, &text).await;
    }
    // The code should not stay readable in the chat: best effort, the answer matters more.
    if let Err(err) = ctx
        .api
        .call(DeleteMessage::new(session.chat, message.id))
        .await
    {
        tracing::debug!(%err, "could not delete the message with an admin code");
    }
    if let Err(stop) = redeem(&ctx, &session, &code).await {
        // Told without the menu: the panel stays where it was.
        let text = stop.message(locale)?;
        send::html(&ctx, session.chat, &text, None).await?;
    }
    Ok(())
}

/// `/admin <code>`: the panel with what the code did, or why it did nothing.
async fn redeem(ctx: &Ctx, session: &Session, code: &str) -> Flow {
    let locale = session.locale;
    let redeemed = ctx
        .write(session.user_id, |uow| Box::pin(access::redeem(uow, code)))
        .await?;
    let notice = match redeemed {
        Redeemed::Granted => {
            if let Err(err) = register_commands(&ctx.api, session.chat, locale).await {
                tracing::warn!(%err, "could not add /admin to the admin's command list");
            }
            "admin-granted"
        }
        Redeemed::AlreadyAdmin => "admin-already",
        Redeemed::WrongCode => return Err(AdminError::WrongCode.into()),
        Redeemed::TooManyAttempts => return Err(AdminError::TooManyAttempts.into()),
    };
    let notice = locale.text(notice);
    show_panel(ctx, Target::New(session.chat), locale, Some(&notice)).await
}

/// The commands of this admin's chat: everyone's, plus `/admin`.
async fn register_commands(
    api: &Api,
    chat: ChatId,
    locale: Locale,
) -> Result<(), teloxide::RequestError> {
    let mut commands = crate::telegram::commands::public_commands(locale);
    commands.push(teloxide::types::BotCommand::new(
        "admin",
        locale.text("cmd-admin"),
    ));
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(chat),
    };
    api.call(SetMyCommands::new(commands).scope(scope)).await?;
    Ok(())
}

/// Shows a rendered screen at `target`.
async fn show(ctx: &Ctx, target: Target, (text, keyboard): (String, InlineKeyboardMarkup)) -> Flow {
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// `notice` above `text`, if there is one.
fn with_notice(notice: Option<&str>, text: String) -> String {
    match notice {
        Some(notice) => format!("{notice}\n\n{text}"),
        None => text,
    }
}

/// The panel's main screen, `notice` above it.
async fn show_panel(ctx: &Ctx, target: Target, locale: Locale, notice: Option<&str>) -> Flow {
    let (text, keyboard) = render::panel(locale);
    show(ctx, target, (with_notice(notice, text), keyboard)).await
}

// ----- inline buttons -----------------------------------------------------------------------

/// Every press is answered. A refusal because the presser is not an admin is answered as an
/// outdated button (the panel does not exist for them); other refusals with their reason.
async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let actor = session.user_id;
    let now = ctx.notifier.now();
    // Any press leaves a half-typed search or broadcast, except the broadcast's own buttons.
    let keeps_dialogue = matches!(action, Action::BroadcastSend);
    if !keeps_dialogue
        && matches!(
            session.dialogue,
            Dialogue::AdminSearch
                | Dialogue::AdminBroadcast { .. }
                | Dialogue::AdminBroadcastPreview { .. }
        )
    {
        dialogue::clear(&ctx.db, actor).await?;
    }
    match action {
        Action::Panel => {
            access::check(&ctx.db, actor).await?;
            show_panel(ctx, target, locale, None).await
        }
        Action::Stats => {
            let stats = service::stats(&ctx.db, actor, now).await?;
            show(ctx, target, render::stats(locale, &stats)).await
        }
        Action::Groups { page } => {
            let page = service::groups_page(&ctx.db, actor, None, u64::from(page)).await?;
            show(ctx, target, render::groups(locale, &page, None)).await
        }
        Action::Search => {
            access::check(&ctx.db, actor).await?;
            dialogue::save(&ctx.db, actor, &Dialogue::AdminSearch).await?;
            let text = locale.text("admin-search-ask");
            show(ctx, target, (text, render::back_only(locale))).await
        }
        Action::Group { group } => {
            let card = service::group_card(&ctx.db, actor, group).await?;
            show(ctx, target, render::group_card(locale, &card)).await
        }
        Action::Delete { group } => {
            let card = service::group_card(&ctx.db, actor, group).await?;
            show(ctx, target, render::delete_confirmation(locale, &card)).await
        }
        Action::DeleteConfirmed { group } => {
            let deleted = ctx
                .write(actor, |uow| Box::pin(service::delete_group(uow, group)))
                .await?;
            let text = locale.text_with(
                "admin-group-deleted",
                &Args::new()
                    .user("name", &deleted.name)
                    .num("members", deleted.former_members.len() as i64),
            );
            let back = label(locale, "admin-btn-back", Action::Panel);
            show(ctx, target, (text, InlineKeyboardMarkup::new([vec![back]]))).await
        }
        Action::Broadcast { audience } => {
            access::check(&ctx.db, actor).await?;
            dialogue::save(&ctx.db, actor, &Dialogue::AdminBroadcast { audience }).await?;
            let text = locale.text_with(
                "admin-broadcast-ask",
                &Args::new().num("max", BroadcastText::MAX_CHARS as i64),
            );
            show(ctx, target, (text, render::back_only(locale))).await
        }
        Action::BroadcastSend => send_broadcast(ctx, session, target).await,
        Action::BroadcastCancel => {
            access::check(&ctx.db, actor).await?;
            let notice = locale.text("admin-broadcast-cancelled");
            show_panel(ctx, target, locale, Some(&notice)).await
        }
        Action::Log { page } => {
            let history = service::changelog(&ctx.db, actor, None, u64::from(page)).await?;
            show(
                ctx,
                target,
                render::admin_log(locale, &history, ctx.notifier.now()),
            )
            .await
        }
        Action::GroupLog { group, page } => {
            let page = u64::from(page);
            let history = service::changelog(&ctx.db, actor, Some(group), page).await?;
            show(
                ctx,
                target,
                render::admin_log(locale, &history, ctx.notifier.now()),
            )
            .await
        }
        Action::Codes => show_codes(ctx, target, locale, actor, None, None).await,
        Action::CodeCreate { one_time } => {
            let lifetime = if one_time {
                CodeLifetime::hours(24)
            } else {
                CodeLifetime::days(7)
            };
            let (_, code) = ctx
                .write(actor, |uow| {
                    Box::pin(access::create_code(uow, one_time, Some(lifetime)))
                })
                .await?;
            show_codes(ctx, target, locale, actor, Some(code.expose()), None).await
        }
        Action::CodeDeactivate { code } => {
            ctx.write(actor, |uow| Box::pin(access::deactivate_code(uow, code)))
                .await?;
            let notice = locale.text("admin-code-deactivated");
            show_codes(ctx, target, locale, actor, None, Some(&notice)).await
        }
        Action::History { page } => {
            let history = service::group_history(&ctx.db, actor, u64::from(page)).await?;
            show(
                ctx,
                target,
                render::group_history(locale, &history, ctx.notifier.now()),
            )
            .await
        }
    }
}

/// The codes screen: `new_code` shown this once, `notice` above.
async fn show_codes(
    ctx: &Ctx,
    target: Target,
    locale: Locale,
    actor: i64,
    new_code: Option<&str>,
    notice: Option<&str>,
) -> Flow {
    let codes = access::codes(&ctx.db, actor, ctx.notifier.now()).await?;
    let (text, keyboard) = render::codes(locale, &codes, new_code);
    show(ctx, target, (with_notice(notice, text), keyboard)).await
}

/// «✅ Отправить» under a broadcast's preview: the previewed text goes out (the sender worker
/// takes it from the outbox).
async fn send_broadcast(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let locale = session.locale;
    let actor = session.user_id;
    let Dialogue::AdminBroadcastPreview { audience, text } = &session.dialogue else {
        // Refused as a non-admin first: the panel does not exist for them.
        access::check(&ctx.db, actor).await?;
        return Err(AdminError::NothingToSend.into());
    };
    let message = BroadcastText::parse(text).map_err(|_| AdminError::NothingToSend)?;
    let audience = *audience;
    let sent = ctx
        .write(actor, |uow| {
            Box::pin(broadcast::broadcast(uow, audience, &message))
        })
        .await?;
    dialogue::clear(&ctx.db, actor).await?;
    ctx.notifier.wake();
    let text = locale.text_with(
        "admin-broadcast-sent",
        &Args::new().num("count", sent as i64),
    );
    show_panel(ctx, target, locale, Some(&text)).await
}

// ----- typed steps --------------------------------------------------------------------------

/// A part of a group's name: the matching groups (the search is over).
async fn receive_search(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let flow = search(&ctx, &session, message.text()).await;
    finish(&ctx, &session, flow).await
}

async fn search(ctx: &Ctx, session: &Session, text: Option<&str>) -> Flow {
    let locale = session.locale;
    let Some(query) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return say(ctx, session, &locale.text("admin-search-ask"), None).await;
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    let page = service::groups_page(&ctx.db, session.user_id, Some(query), 0)
        .await
        .map_err(step_refusal)?;
    let target = Target::New(session.chat);
    show(ctx, target, render::groups(locale, &page, Some(query))).await
}

/// A broadcast's text: checked, then previewed with «Отправить» / «Отмена». Another text
/// replaces it.
async fn receive_broadcast(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let flow = preview(&ctx, &session, message.text()).await;
    finish(&ctx, &session, flow).await
}

async fn preview(ctx: &Ctx, session: &Session, raw: Option<&str>) -> Flow {
    let locale = session.locale;
    let audience = match &session.dialogue {
        Dialogue::AdminBroadcast { audience }
        | Dialogue::AdminBroadcastPreview { audience, .. } => *audience,
        _ => Audience::All,
    };
    let text = match raw.map(BroadcastText::parse) {
        Some(Ok(text)) => text,
        Some(Err(err)) => return say(ctx, session, &err.user_message(locale)?, None).await,
        None => return say(ctx, session, &locale.text("admin-broadcast-not-text"), None).await,
    };
    // The step belongs to admins only; a lost status ends it.
    access::check(&ctx.db, session.user_id)
        .await
        .map_err(step_refusal)?;
    let preview_state = Dialogue::AdminBroadcastPreview {
        audience,
        text: text.as_str().to_owned(),
    };
    dialogue::save(&ctx.db, session.user_id, &preview_state).await?;
    let preview = notes::text(locale, &broadcast::message(&text));
    let target = Target::New(session.chat);
    show(
        ctx,
        target,
        render::broadcast_preview(locale, audience, &preview),
    )
    .await
}

/// What a non-admin typing into an admin's step is told: what any unknown text gets.
struct UnknownText;

impl UserFacing for UnknownText {
    fn user_message(self, locale: Locale) -> Result<String, crate::telegram::HandlerError> {
        Ok(locale.text("unknown-text"))
    }
}

/// A typed step's refusal: the panel does not exist for a non-admin.
fn step_refusal(err: AdminError) -> Stop {
    match err {
        AdminError::NotAdmin => UnknownText.into(),
        other => other.into(),
    }
}

/// A typed step refused: the dialogue ends, the reason comes with the main menu.
async fn finish(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    let Err(stop) = flow else {
        return Ok(());
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = stop.message(session.locale)?;
    common::show_menu_with(ctx, session, &text).await
}
