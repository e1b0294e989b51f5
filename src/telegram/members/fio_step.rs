//! The ФИО step: asked from the profile («✏️ Изменить ФИО») and once right after joining a
//! group (skippable: «Пропустить» or `/skip`), then the typed ФИО checked and saved.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use super::action::ProfileAction;
use crate::members::Fio;
use crate::members::service;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Flow, label, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Ctx, HandlerResult, Session, common, keyboards, send};

/// Right after joining (the joining flow has shown the member menu): asks for the ФИО once,
/// skippable, unless the user already gave it.
pub async fn ask_after_join(ctx: &Ctx, session: &Session) -> HandlerResult {
    let profile = service::profile(&ctx.db, session.user_id).await?;
    if profile.has_full_name {
        return Ok(());
    }
    dialogue::save(
        &ctx.db,
        session.user_id,
        &Dialogue::Fio { after_join: true },
    )
    .await?;
    let locale = session.locale;
    let skip =
        InlineKeyboardMarkup::new([[label(locale, "profile-btn-skip", ProfileAction::SkipFio)]]);
    let text = locale.text("profile-ask-fio-after-join");
    screen::show(ctx, Target::New(session.chat), &text, skip).await
}

/// «✏️ Изменить ФИО»: asks for it, with «Отмена».
pub async fn ask(ctx: &Ctx, session: &Session) -> Flow {
    let fio = Dialogue::Fio { after_join: false };
    dialogue::save(&ctx.db, session.user_id, &fio).await?;
    let locale = session.locale;
    let cancel = keyboards::cancel_only(locale);
    say(ctx, session, &locale.text("profile-ask-fio"), Some(cancel)).await
}

/// «Пропустить» under the question asked after joining: the menu instead.
pub async fn skip(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let locale = session.locale;
    if session.dialogue != (Dialogue::Fio { after_join: true }) {
        return outdated(locale);
    }
    dialogue::clear(&ctx.db, session.user_id).await?;
    let skipped = locale.text("profile-fio-skipped");
    screen::show(ctx, target, &skipped, InlineKeyboardMarkup::default()).await?;
    let mut session = session.clone();
    session.membership = service::membership(&ctx.db, session.user_id).await?;
    common::show_menu(ctx, &session).await?;
    Ok(None)
}

/// The typed ФИО: an invalid one is explained and the step kept; a valid one is saved. Right
/// after joining, `/skip` skips it.
pub async fn receive(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let after_join = matches!(session.dialogue, Dialogue::Fio { after_join: true });
    let Some(text) = message.text() else {
        return explain(&ctx, &session, &locale.text("profile-fio-not-text")).await;
    };
    if after_join && is_skip(text) {
        dialogue::clear(&ctx.db, session.user_id).await?;
        return common::show_menu_with(&ctx, &session, &locale.text("profile-fio-skipped")).await;
    }
    let fio = match Fio::parse(text) {
        Ok(fio) => fio,
        Err(err) => return explain(&ctx, &session, &err.user_message(locale)?).await,
    };
    let saved = ctx
        .write(session.user_id, |uow| {
            Box::pin(service::set_full_name(uow, &fio))
        })
        .await;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = match saved {
        Ok(()) => locale.text_with(
            "profile-fio-saved",
            &Args::new().user("name", &fio.to_string()),
        ),
        Err(err) => err.user_message(locale)?,
    };
    common::show_menu_with(&ctx, &session, &text).await
}

/// Why the text is not a ФИО; the step goes on.
async fn explain(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    send::html(ctx, session.chat, text, None).await?;
    Ok(())
}

/// `/skip`, also as `/skip@bot`.
fn is_skip(text: &str) -> bool {
    let text = text.trim();
    text == "/skip" || text.starts_with("/skip@")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_is_recognised() {
        assert!(is_skip("/skip"));
        assert!(is_skip(" /skip "));
        assert!(is_skip("/skip@study_bot"));
        assert!(!is_skip("/skipper"));
        assert!(!is_skip("skip"));
    }
}
