//! The Telegram side of the administration: `/admin <code>` and `/admin`, the panel's inline
//! screens, its two typed steps (a group search, a broadcast's text), and the leader's
//! «📜 История изменений».
//!
//! To anyone who is not an admin the panel does not exist: `/admin` is answered like any
//! unknown text and the panel's buttons like outdated ones.

use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, InlineKeyboardMarkup, Recipient};

use super::action::Action;
use super::render;
use crate::admin::broadcast::BroadcastText;
use crate::admin::code::CodeLifetime;
use crate::admin::service::{self, AdminError, Audience, Redeemed};
use crate::telegram::callback;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerError, HandlerResult, Locale, Session, common, send,
};

/// Messages: the search and broadcast steps of an admin's dialogue.
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::AdminSearch)
                .endpoint(receive_search),
        )
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
    callback::filter::<Action>().endpoint(on_action)
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
        if service::is_admin(&ctx.db, session.user_id).await? {
            return show_panel(&ctx, Target::New(session.chat), locale, None).await;
        }
        // Exactly what any unknown text gets.
        let text = locale.text("unknown-text");
        return common::show_menu_with(&ctx, &session, &text).await;
    }
    // The code should not stay readable in the chat: best effort, the answer matters more.
    if let Err(err) = ctx.bot.delete_message(session.chat, message.id).await {
        tracing::debug!(%err, "could not delete the message with an admin code");
    }
    match service::redeem(&ctx.db, session.user_id, &code).await {
        Ok(redeemed) => {
            if redeemed == Redeemed::Granted
                && let Err(err) = register_commands(&ctx.bot, session.chat, locale).await
            {
                tracing::warn!(%err, "could not add /admin to the admin's command list");
            }
            let notice = locale.text(match redeemed {
                Redeemed::Granted => "admin-granted",
                Redeemed::AlreadyAdmin => "admin-already",
            });
            show_panel(&ctx, Target::New(session.chat), locale, Some(&notice)).await
        }
        Err(err) => {
            let text = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &text, None).await?;
            Ok(())
        }
    }
}

/// The commands of this admin's chat: everyone's, plus `/admin`.
async fn register_commands(
    bot: &Bot,
    chat: ChatId,
    locale: Locale,
) -> Result<(), teloxide::RequestError> {
    let mut commands = crate::telegram::commands::public_commands(locale);
    commands.push(teloxide::types::BotCommand::new(
        "admin",
        locale.text("cmd-admin"),
    ));
    send::with_retries(|| {
        bot.set_my_commands(commands.clone())
            .scope(BotCommandScope::Chat {
                chat_id: Recipient::Id(chat),
            })
            .send()
    })
    .await?;
    Ok(())
}

async fn show_panel(
    ctx: &Ctx,
    target: Target,
    locale: Locale,
    notice: Option<&str>,
) -> HandlerResult {
    let (text, keyboard) = render::panel(locale);
    let text = match notice {
        Some(notice) => format!("{notice}\n\n{text}"),
        None => text,
    };
    screen::show(ctx, target, &text, keyboard).await
}

// ----- inline buttons -----------------------------------------------------------------------

/// Every press is answered. A refusal because the presser is not an admin is answered as an
/// outdated button (the panel does not exist for them); other refusals with their reason.
async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let target = Target::of_query(&query, session.chat);
    let locale = session.locale;
    let refusal = match run_action(&ctx, &session, target, action).await? {
        Ok(()) => None,
        Err(AdminError::NotAdmin) => {
            tracing::warn!(
                user = session.user_id,
                ?action,
                "admin button pressed by a non-admin"
            );
            Some(locale.text("callback-outdated"))
        }
        Err(err) => Some(err.user_message(locale)?),
    };
    screen::answer(&ctx, &query, refusal.as_deref()).await
}

async fn run_action(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    action: Action,
) -> Result<Result<(), AdminError>, HandlerError> {
    let locale = session.locale;
    let actor = session.user_id;
    macro_rules! try_service {
        ($call:expr) => {
            match $call.await {
                Ok(value) => value,
                Err(err) => return Ok(Err(err)),
            }
        };
    }
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
            try_service!(service::stats(&ctx.db, actor));
            show_panel(ctx, target, locale, None).await?;
        }
        Action::Stats => {
            let stats = try_service!(service::stats(&ctx.db, actor));
            let (text, keyboard) = render::stats(locale, &stats);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::Groups { page } => {
            let page = try_service!(service::groups_page(&ctx.db, actor, None, u64::from(page)));
            let (text, keyboard) = render::groups(locale, &page, None);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::Search => {
            try_service!(service::stats(&ctx.db, actor));
            dialogue::save(&ctx.db, actor, &Dialogue::AdminSearch).await?;
            let text = locale.text("admin-search-ask");
            screen::show(ctx, target, &text, render::back_only(locale)).await?;
        }
        Action::Group { group } => {
            let card = try_service!(service::group_card(&ctx.db, actor, group));
            let (text, keyboard) = render::group_card(locale, &card);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::Delete { group } => {
            let card = try_service!(service::group_card(&ctx.db, actor, group));
            let (text, keyboard) = render::delete_confirmation(locale, &card);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::DeleteConfirmed { group } => {
            let told = |deleted: &crate::groups::service::DeletedGroup| {
                crate::telegram::groups::handlers::former_members(
                    deleted,
                    "admin-group-deleted-notice",
                )
            };
            let now = ctx.notifier.now();
            let deleted = try_service!(service::delete_group(&ctx.db, actor, group, now, told));
            let text = locale.text_with(
                "admin-group-deleted",
                &Args::new()
                    .user("name", &deleted.name)
                    .num("members", deleted.former_members.len() as i64),
            );
            let keyboard = InlineKeyboardMarkup::new([vec![callback::button(
                locale.text("admin-btn-back"),
                &Action::Panel,
            )]]);
            screen::show(ctx, target, &text, keyboard).await?;
            ctx.deliver(&deleted.notices).await;
        }
        Action::Broadcast { audience } => {
            try_service!(service::stats(&ctx.db, actor));
            dialogue::save(&ctx.db, actor, &Dialogue::AdminBroadcast { audience }).await?;
            let text = locale.text_with(
                "admin-broadcast-ask",
                &Args::new().num("max", BroadcastText::MAX_CHARS as i64),
            );
            screen::show(ctx, target, &text, render::back_only(locale)).await?;
        }
        Action::BroadcastSend => {
            let Dialogue::AdminBroadcastPreview { audience, text } = &session.dialogue else {
                // Refused as a non-admin first: the panel does not exist for them.
                try_service!(service::stats(&ctx.db, actor));
                return Ok(Err(AdminError::NothingToSend));
            };
            let message = match BroadcastText::parse(text) {
                Ok(message) => message,
                Err(_) => return Ok(Err(AdminError::NothingToSend)),
            };
            let sent = try_service!(service::broadcast(
                &ctx.db,
                actor,
                *audience,
                &message,
                ctx.notifier.now(),
            ));
            dialogue::clear(&ctx.db, actor).await?;
            ctx.notifier.wake();
            let text = locale.text_with(
                "admin-broadcast-sent",
                &Args::new().num("count", sent as i64),
            );
            show_panel(ctx, target, locale, Some(&text)).await?;
        }
        Action::BroadcastCancel => {
            try_service!(service::stats(&ctx.db, actor));
            let notice = locale.text("admin-broadcast-cancelled");
            show_panel(ctx, target, locale, Some(&notice)).await?;
        }
        Action::Log { page } => {
            let history = try_service!(service::changelog(&ctx.db, actor, None, u64::from(page)));
            let (text, keyboard) = render::admin_log(locale, &history);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::GroupLog { group, page } => {
            let history = try_service!(service::changelog(
                &ctx.db,
                actor,
                Some(group),
                u64::from(page)
            ));
            let (text, keyboard) = render::admin_log(locale, &history);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::Codes => {
            let codes = try_service!(service::codes(&ctx.db, actor));
            let (text, keyboard) = render::codes(locale, &codes, None);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::CodeCreate { one_time } => {
            let lifetime = if one_time {
                CodeLifetime::hours(24)
            } else {
                CodeLifetime::days(7)
            };
            let (_, code) = try_service!(service::create_code(
                &ctx.db,
                Some(actor),
                one_time,
                Some(lifetime)
            ));
            let codes = try_service!(service::codes(&ctx.db, actor));
            let (text, keyboard) = render::codes(locale, &codes, Some(code.expose()));
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::CodeDeactivate { code } => {
            try_service!(service::deactivate_code(&ctx.db, actor, code));
            let codes = try_service!(service::codes(&ctx.db, actor));
            let (text, keyboard) = render::codes(locale, &codes, None);
            let notice = locale.text("admin-code-deactivated");
            screen::show(ctx, target, &format!("{notice}\n\n{text}"), keyboard).await?;
        }
        Action::History { page } => {
            let history = try_service!(service::group_history(&ctx.db, actor, u64::from(page)));
            let (text, keyboard) = render::group_history(locale, &history);
            screen::show(ctx, target, &text, keyboard).await?;
        }
    }
    Ok(Ok(()))
}

/// The broadcast as a recipient reads it, in their language; the admin's text escaped.
pub fn broadcast_message(locale: Locale, text: &BroadcastText) -> String {
    locale.text_with(
        "admin-broadcast-message",
        &Args::new().user("text", text.as_str()),
    )
}

// ----- typed steps --------------------------------------------------------------------------

/// A part of a group's name: the matching groups (the search is over).
async fn receive_search(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(query) = message.text().map(str::trim).filter(|t| !t.is_empty()) else {
        send::html(
            &ctx.bot,
            session.chat,
            &locale.text("admin-search-ask"),
            None,
        )
        .await?;
        return Ok(());
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    match service::groups_page(&ctx.db, session.user_id, Some(query), 0).await {
        Ok(page) => {
            let (text, keyboard) = render::groups(locale, &page, Some(query));
            screen::show(&ctx, Target::New(session.chat), &text, keyboard).await
        }
        Err(err) => step_refused(&ctx, &session, err).await,
    }
}

/// A broadcast's text: checked, then previewed with «Отправить» / «Отмена». Another text
/// replaces it.
async fn receive_broadcast(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let audience = match &session.dialogue {
        Dialogue::AdminBroadcast { audience }
        | Dialogue::AdminBroadcastPreview { audience, .. } => *audience,
        _ => Audience::All,
    };
    let Some(raw) = message.text() else {
        send::html(
            &ctx.bot,
            session.chat,
            &locale.text("admin-broadcast-not-text"),
            None,
        )
        .await?;
        return Ok(());
    };
    let text = match BroadcastText::parse(raw) {
        Ok(text) => text,
        Err(err) => {
            let explanation = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    // The step belongs to admins only; a lost status ends it.
    if !service::is_admin(&ctx.db, session.user_id).await? {
        return step_refused(&ctx, &session, AdminError::NotAdmin).await;
    }
    let preview_state = Dialogue::AdminBroadcastPreview {
        audience,
        text: text.as_str().to_owned(),
    };
    dialogue::save(&ctx.db, session.user_id, &preview_state).await?;
    let preview = broadcast_message(locale, &text);
    let (screen_text, keyboard) = render::broadcast_preview(locale, audience, &preview);
    screen::show(&ctx, Target::New(session.chat), &screen_text, keyboard).await
}

/// A typed step refused: the dialogue ends; a non-admin hears what any unknown text gets.
async fn step_refused(ctx: &Ctx, session: &Session, err: AdminError) -> HandlerResult {
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = match err {
        AdminError::NotAdmin => session.locale.text("unknown-text"),
        other => other.user_message(session.locale)?,
    };
    common::show_menu_with(ctx, session, &text).await
}
