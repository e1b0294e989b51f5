//! The Telegram side of «📢 Объявление» (callback prefix "an"): the leader or an assistant
//! presses it on the members screen, types the text, sees it as the members will, and sends it
//! with «✅ Отправить». The rules live in [`crate::notifications::announcements`].

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use uuid::Uuid;

use crate::notifications::announcements::{self, AnnouncementError, AnnouncementText};
use crate::telegram::callback;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop, inline, label, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerResult, Locale, Session, common, keyboards, notes,
};

callback::actions! {
    /// The buttons of the announcement flow.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AnnounceAction = "an" {
        /// «📢 Объявление»: start writing one.
        Compose = "c",
        /// «✅ Отправить» under the preview of announcement `id`.
        Send { id: Uuid } = "s",
        /// «❌ Отмена» under the preview.
        Cancel = "x",
    }
}

callback::codec_test!(the_codec_is_exact: AnnounceAction, refuses "1|an|s|short 1|an|x|{id}",
    keeps "1|an|c");

/// The «📢 Объявление» button (the members screen shows it to the leader and assistants).
pub fn compose_button(locale: Locale) -> teloxide::types::InlineKeyboardButton {
    callback::button(locale.text("announce-btn"), &AnnounceAction::Compose)
}

/// Messages: the announcement's text while one is being written or previewed.
pub fn branch() -> Branch {
    dptree::filter(|session: Session| {
        matches!(
            session.dialogue,
            Dialogue::Announcement | Dialogue::AnnouncementPreview { .. }
        )
    })
    .endpoint(receive_text)
}

pub fn callbacks() -> Branch {
    callback::filter::<AnnounceAction>().endpoint(on_action)
}

async fn receive_text(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let flow = preview(&ctx, &session, message.text()).await;
    finish(&ctx, &session, flow).await
}

/// The typed text as the members will see it, with «✅ Отправить» / «❌ Отмена»; another text
/// replaces it.
async fn preview(ctx: &Ctx, session: &Session, raw: Option<&str>) -> Flow {
    let locale = session.locale;
    let text = match raw.map(AnnouncementText::parse) {
        Some(Ok(text)) => text,
        Some(Err(err)) => return say(ctx, session, &err.user_message(locale)?, None).await,
        None => return say(ctx, session, &locale.text("announce-empty"), None).await,
    };
    let draft = announcements::draft(&ctx.db, session.user_id).await?;
    let id = Uuid::new_v4();
    let state = Dialogue::AnnouncementPreview {
        id,
        text: text.as_str().to_owned(),
    };
    dialogue::save(&ctx.db, session.user_id, &state).await?;
    let preview = notes::text(locale, &draft.message(&text));
    let intro = locale.text("announce-preview");
    let keyboard = InlineKeyboardMarkup::new(vec![vec![
        label(locale, "announce-btn-send", AnnounceAction::Send { id }),
        label(locale, "announce-btn-cancel", AnnounceAction::Cancel),
    ]]);
    say(
        ctx,
        session,
        &format!("{intro}\n\n{preview}"),
        inline(keyboard),
    )
    .await
}

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: AnnounceAction,
) -> HandlerResult {
    let target = Target::of_query(&query, session.chat);
    let flow = match action {
        AnnounceAction::Compose => compose(&ctx, &session).await,
        AnnounceAction::Send { id } => send(&ctx, &session, target, id).await,
        AnnounceAction::Cancel => cancel(&ctx, &session, target).await,
    };
    if let Err(Stop::Refused(_)) = flow {
        // The form cannot go on (the role changed): closed, the reason with the menu.
        screen::answer(&ctx, &query, None).await?;
        return finish(&ctx, &session, flow).await;
    }
    kit::answer(&ctx, &query, session.locale, flow).await
}

/// «📢 Объявление»: asks for the text.
async fn compose(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    let draft = announcements::draft(&ctx.db, session.user_id).await?;
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Announcement).await?;
    let text = locale.text_with(
        "announce-ask",
        &Args::new()
            .user("group", &draft.group_name)
            .num("max", AnnouncementText::MAX_CHARS as i64),
    );
    say(ctx, session, &text, Some(keyboards::cancel_only(locale))).await
}

/// «✅ Отправить» under the preview of announcement `id`.
async fn send(ctx: &Ctx, session: &Session, target: Target, id: Uuid) -> Flow {
    let locale = session.locale;
    let previewed = match &session.dialogue {
        Dialogue::AnnouncementPreview { id: shown, text } if *shown == id => {
            AnnouncementText::parse(text).ok()
        }
        _ => None,
    };
    let Some(text) = previewed else {
        return outdated(ctx, session, target).await;
    };
    let sent = ctx
        .write(session.user_id, |uow| {
            Box::pin(announcements::send(uow, id, &text))
        })
        .await;
    let sent = match sent {
        Ok(sent) => sent,
        Err(AnnouncementError::AlreadySent) => return outdated(ctx, session, target).await,
        Err(err) => return Err(err.into()),
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut done = if sent.reached == 0 {
        locale.text("announce-sent-nobody")
    } else {
        locale.text_with(
            "announce-sent",
            &Args::new().num("count", count(sent.reached)),
        )
    };
    if sent.muted > 0 {
        let muted = locale.text_with(
            "announce-sent-muted",
            &Args::new().num("count", count(sent.muted)),
        );
        done = format!("{done}\n{muted}");
    }
    // The preview keeps the announcement, its buttons gone; the outcome comes with the menu
    // keyboard back (no greeting re-sent just for the keyboard).
    let shown = locale.text("announce-preview-sent");
    screen::show(ctx, target, &shown, InlineKeyboardMarkup::default()).await?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, &done).await?;
    Ok(None)
}

/// «❌ Отмена» under the preview.
async fn cancel(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    if !matches!(
        session.dialogue,
        Dialogue::Announcement | Dialogue::AnnouncementPreview { .. }
    ) {
        return outdated(ctx, session, target).await;
    }
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = session.locale.text("announce-cancelled");
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    back_to_menu(ctx, session).await
}

/// The main menu again (the form replaced it with «❌ Отмена»).
async fn back_to_menu(ctx: &Ctx, session: &Session) -> Flow {
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu(ctx, &session).await?;
    Ok(None)
}

/// A press on a preview that was sent, cancelled or replaced: said so, nothing sent.
async fn outdated(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let text = session.locale.text("announce-outdated");
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    Ok(Some(text))
}

/// The user may not (or no longer) send announcements: told why, the form closed.
async fn finish(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    let Err(stop) = flow else {
        return Ok(());
    };
    let text = stop.message(session.locale)?;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, &text).await
}
