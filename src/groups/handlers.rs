//! The Telegram side of groups: «🚀 Создать группу» and the name step.

use teloxide::prelude::*;

use super::{GroupName, service};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::{Args, Branch, Ctx, HandlerResult, MenuButton, Session, keyboards, send};

pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::CreateGroupName)
                .endpoint(receive_name),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::CreateGroup)
            })
            .endpoint(start_creation),
        )
}

/// «🚀 Создать группу»: refused for members of a group, otherwise asks for the name.
async fn start_creation(ctx: Ctx, session: Session) -> HandlerResult {
    let locale = session.locale;
    if let Some(membership) = &session.membership {
        let refusal = service::GroupError::AlreadyInGroup {
            group: membership.group_name.clone(),
        };
        let text = refusal.user_message(locale)?;
        return crate::telegram::common::show_menu_with(&ctx, &session, &text).await;
    }
    dialogue::save(&ctx.db, session.user_id, &Dialogue::CreateGroupName).await?;
    let text = locale.text("group-ask-name");
    send::html(
        &ctx.bot,
        session.chat,
        &text,
        Some(keyboards::cancel_only(locale)),
    )
    .await?;
    Ok(())
}

/// The name step: an invalid name is explained and the step kept; a valid one creates the
/// group and shows the leader's menu.
async fn receive_name(ctx: Ctx, mut session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        let hint = locale.text("group-name-not-text");
        send::html(&ctx.bot, session.chat, &hint, None).await?;
        return Ok(());
    };
    let name = match GroupName::parse(text) {
        Ok(name) => name,
        Err(err) => {
            let explanation = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    let created = service::create(&ctx.db, session.user_id, &name, &ctx.default_timezone).await;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = match created {
        Ok(group) => {
            session.membership = Some(crate::members::Membership {
                group_id: group.id,
                group_name: group.name,
                role: crate::members::Role::Leader,
            });
            locale.text_with("group-created", &Args::new().user("name", name.as_str()))
        }
        Err(err) => {
            session.membership =
                crate::members::service::membership(&ctx.db, session.user_id).await?;
            err.user_message(locale)?
        }
    };
    crate::telegram::common::show_menu_with(&ctx, &session, &text).await
}

/// Inline buttons with prefix `g` (group settings).
pub fn callbacks() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}
