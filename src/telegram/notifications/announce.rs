//! The Telegram side of «📢 Объявление» (callback prefix "an"): the leader or an assistant
//! presses it on the members screen, types the text, sees it as the members will, and sends it
//! with «✅ Отправить». The rules live in [`crate::notifications::announcements`].

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, ReplyMarkup};
use uuid::Uuid;

use crate::notifications::announcements::{self, AnnouncementError, AnnouncementText, Audience};
use crate::notifications::{Kind, Notice, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Locale, Session, common, keyboards, send};

/// The buttons of the announcement flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnounceAction {
    /// «📢 Объявление»: start writing one.
    Compose,
    /// «✅ Отправить» under the preview of announcement `id`.
    Send { id: Uuid },
    /// «❌ Отмена» under the preview.
    Cancel,
}

impl CallbackAction for AnnounceAction {
    const PREFIX: &'static str = "an";

    fn write(&self, out: &mut Writer) {
        match self {
            AnnounceAction::Compose => out.tag("c"),
            AnnounceAction::Send { id } => out.tag("s").uuid(*id),
            AnnounceAction::Cancel => out.tag("x"),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        match fields.tag()? {
            "c" => Some(AnnounceAction::Compose),
            "s" => Some(AnnounceAction::Send { id: fields.uuid()? }),
            "x" => Some(AnnounceAction::Cancel),
            _ => None,
        }
    }
}

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

/// The announcement as a member receives it.
fn message_note(audience: &Audience) -> Text {
    Text::new("announce-message")
        .user("group", &audience.group_name)
        .user("author", &audience.author_name)
        .user("text", audience.text.as_str())
}

/// The announcement as a member receives it, in `locale`.
pub fn message_text(locale: Locale, audience: &Audience) -> String {
    locale.text_with(
        "announce-message",
        &Args::new()
            .user("group", &audience.group_name)
            .user("author", &audience.author_name)
            .user("text", audience.text.as_str()),
    )
}

/// One notice per member (their settings decide) and one for the group's chat.
pub fn notices(audience: &Audience) -> Vec<Notice> {
    audience
        .members
        .iter()
        .copied()
        .chain(audience.chat)
        .map(|chat| Notice::new(chat, Kind::Announcement, message_note(audience)))
        .collect()
}

async fn receive_text(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let text = match message.text().map(AnnouncementText::parse) {
        Some(Ok(text)) => text,
        Some(Err(err)) => {
            let reply = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &reply, None).await?;
            return Ok(());
        }
        None => {
            let reply = locale.text("announce-empty");
            send::html(&ctx.bot, session.chat, &reply, None).await?;
            return Ok(());
        }
    };
    let (group_name, author_name) = match announcements::draft(&ctx.db, session.user_id).await {
        Ok(names) => names,
        Err(err) => return refuse(&ctx, &session, err).await,
    };
    let id = Uuid::new_v4();
    dialogue::save(
        &ctx.db,
        session.user_id,
        &Dialogue::AnnouncementPreview {
            id,
            text: text.as_str().to_owned(),
        },
    )
    .await?;
    let preview = message_text(
        locale,
        &Audience {
            id,
            group_name,
            author_name,
            text,
            members: Vec::new(),
            chat: None,
        },
    );
    let intro = locale.text("announce-preview");
    let keyboard = InlineKeyboardMarkup::new(vec![vec![
        callback::button(
            locale.text("announce-btn-send"),
            &AnnounceAction::Send { id },
        ),
        callback::button(locale.text("announce-btn-cancel"), &AnnounceAction::Cancel),
    ]]);
    send::html(
        &ctx.bot,
        session.chat,
        &format!("{intro}\n\n{preview}"),
        Some(ReplyMarkup::InlineKeyboard(keyboard)),
    )
    .await?;
    Ok(())
}

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: AnnounceAction,
) -> HandlerResult {
    let locale = session.locale;
    let target = Target::of_query(&query, session.chat);
    match action {
        AnnounceAction::Compose => {
            screen::answer(&ctx, &query, None).await?;
            let (group_name, _) = match announcements::draft(&ctx.db, session.user_id).await {
                Ok(names) => names,
                Err(err) => return refuse(&ctx, &session, err).await,
            };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Announcement).await?;
            let text = locale.text_with(
                "announce-ask",
                &Args::new()
                    .user("group", &group_name)
                    .num("max", AnnouncementText::MAX_CHARS as i64),
            );
            send::html(
                &ctx.bot,
                session.chat,
                &text,
                Some(keyboards::cancel_only(locale)),
            )
            .await?;
            Ok(())
        }
        AnnounceAction::Send { id } => {
            let Dialogue::AnnouncementPreview {
                id: previewed,
                text,
            } = &session.dialogue
            else {
                return outdated(&ctx, &session, &query, target).await;
            };
            let Ok(text) = AnnouncementText::parse(text) else {
                return outdated(&ctx, &session, &query, target).await;
            };
            if *previewed != id {
                return outdated(&ctx, &session, &query, target).await;
            }
            let sent = match announcements::send(
                &ctx.db,
                session.user_id,
                id,
                &text,
                ctx.notifier.now(),
                notices,
            )
            .await
            {
                Ok(sent) => sent,
                Err(AnnouncementError::AlreadySent) => {
                    return outdated(&ctx, &session, &query, target).await;
                }
                Err(err) => {
                    screen::answer(&ctx, &query, None).await?;
                    return refuse(&ctx, &session, err).await;
                }
            };
            screen::answer(&ctx, &query, None).await?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            ctx.deliver(&sent.notices).await;
            let done = if sent.members == 0 {
                locale.text("announce-sent-nobody")
            } else {
                locale.text_with(
                    "announce-sent",
                    &Args::new().num("count", i64::try_from(sent.members).unwrap_or(i64::MAX)),
                )
            };
            screen::show(&ctx, target, &done, InlineKeyboardMarkup::default()).await?;
            back_to_menu(&ctx, &session).await
        }
        AnnounceAction::Cancel => {
            screen::answer(&ctx, &query, None).await?;
            if !matches!(
                session.dialogue,
                Dialogue::Announcement | Dialogue::AnnouncementPreview { .. }
            ) {
                return outdated(&ctx, &session, &query, target).await;
            }
            dialogue::clear(&ctx.db, session.user_id).await?;
            let text = locale.text("announce-cancelled");
            screen::show(&ctx, target, &text, InlineKeyboardMarkup::default()).await?;
            back_to_menu(&ctx, &session).await
        }
    }
}

/// The main menu again (the form replaced it with «❌ Отмена»).
async fn back_to_menu(ctx: &Ctx, session: &Session) -> HandlerResult {
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu(ctx, &session).await
}

/// A press on a preview that was sent, cancelled or replaced: said so, nothing sent.
async fn outdated(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    target: Target,
) -> HandlerResult {
    let text = session.locale.text("announce-outdated");
    screen::answer(ctx, query, Some(&text)).await?;
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await
}

/// The user may not (or no longer) send announcements: told why, the form closed.
async fn refuse(ctx: &Ctx, session: &Session, err: AnnouncementError) -> HandlerResult {
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = err.user_message(session.locale)?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, &text).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_and_fits() {
        for action in [
            AnnounceAction::Compose,
            AnnounceAction::Send { id: Uuid::new_v4() },
            AnnounceAction::Cancel,
        ] {
            let data = callback::encode(&action);
            assert!(data.len() <= callback::MAX_BYTES, "{data}");
            assert_eq!(callback::decode::<AnnounceAction>(&data), Some(action));
        }
        assert_eq!(callback::decode::<AnnounceAction>("1|an|s|short"), None);
        assert_eq!(callback::decode::<AnnounceAction>("1|an|c|extra"), None);
    }
}
