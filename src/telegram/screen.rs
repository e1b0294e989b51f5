//! Inline "screens": a message with an inline keyboard that navigation edits in place instead of
//! sending new messages, and callback answers. Messages to other users are notices written with
//! the change that causes them (`crate::notifications::notice`).

use teloxide::types::{
    CallbackQuery, ChatId, InlineKeyboardButtonKind, InlineKeyboardMarkup, Message, MessageId,
    ReplyMarkup,
};
use teloxide::{ApiError, RequestError};

use super::{Ctx, HandlerResult, send};

/// Where a screen goes: a new message, or the message whose button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    New(ChatId),
    /// The pressed message, with what it showed when pressed (if Telegram sent it along).
    Edit(ChatId, MessageId, Shown),
}

/// What a message shows — its text without formatting and its buttons — as a fingerprint: a
/// screen that would show the same is not sent again (Telegram refuses such an edit with
/// "message is not modified"). A change of formatting alone is not seen; no screen changes
/// only its formatting. Also whether it is a screen the bot keeps current (see [`KEPT_MARKS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    print: Option<u64>,
    kept: bool,
}

/// The screens the bot keeps current after they are shown (a student's queue screen follows
/// their place) carry a button whose callback data starts with one of these; when such a
/// message is replaced by another screen, it is no longer kept.
const KEPT_MARKS: [&str; 1] = [super::queues::action::KEPT_MARK];

fn is_kept(keyboard: Option<&InlineKeyboardMarkup>) -> bool {
    keyboard.is_some_and(|keyboard| {
        keyboard.inline_keyboard.iter().flatten().any(|button| {
            matches!(&button.kind, InlineKeyboardButtonKind::CallbackData(data)
                if KEPT_MARKS.iter().any(|mark| data.starts_with(mark)))
        })
    })
}

impl Shown {
    /// Unknown: the edit is always sent.
    pub const UNKNOWN: Shown = Shown {
        print: None,
        kept: false,
    };

    fn of(text: &str, keyboard: Option<&InlineKeyboardMarkup>) -> Shown {
        Shown {
            print: Some(fingerprint(text, keyboard)),
            kept: is_kept(keyboard),
        }
    }

    /// What the pressed message shows.
    fn of_message(message: &Message) -> Shown {
        match message.text().or(message.caption()) {
            Some(text) => Shown::of(text, message.reply_markup()),
            None => Shown {
                kept: is_kept(message.reply_markup()),
                ..Shown::UNKNOWN
            },
        }
    }

    /// What a screen of `html` and `keyboard` would show.
    fn of_screen(html: &str, keyboard: &InlineKeyboardMarkup) -> Shown {
        Shown::of(&plain_text(html), Some(keyboard))
    }

    fn is_same(self, other: Shown) -> bool {
        self.print.is_some() && self.print == other.print
    }
}

/// The fingerprint of a screen of `html` and `keyboard`, as [`Shown`] compares them.
pub fn screen_fingerprint(html: &str, keyboard: &InlineKeyboardMarkup) -> u64 {
    fingerprint(&plain_text(html), Some(keyboard))
}

/// A fingerprint of a message's text and buttons (Telegram trims the text it shows).
pub fn fingerprint(text: &str, keyboard: Option<&InlineKeyboardMarkup>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.trim().hash(&mut hasher);
    serde_json::to_string(&keyboard)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

/// The text Telegram shows for `html` (the bot's own markup: tags dropped, the four escapes
/// undone).
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find('>')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

impl Target {
    /// The message a callback query came from (edited in place), or a new message in `chat`.
    pub fn of_query(query: &CallbackQuery, chat: ChatId) -> Self {
        match &query.message {
            Some(message) => Target::Edit(
                message.chat().id,
                message.id(),
                message
                    .regular_message()
                    .map_or(Shown::UNKNOWN, Shown::of_message),
            ),
            None => Target::New(chat),
        }
    }

    /// The chat the screen goes to.
    pub fn chat(&self) -> ChatId {
        match self {
            Target::New(chat) | Target::Edit(chat, ..) => *chat,
        }
    }
}

/// Shows `text` with an inline keyboard at `target`. A pressed message that already shows
/// exactly this is left as it is.
pub async fn show(
    ctx: &Ctx,
    target: Target,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> HandlerResult {
    show_at(ctx, target, text, keyboard).await.map(|_| ())
}

/// [`show`], returning the message that shows the screen (unknown if it went through the
/// outbox or could not be shown). A kept screen replaced by another is no longer kept.
pub async fn show_at(
    ctx: &Ctx,
    target: Target,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> Result<Option<(ChatId, MessageId)>, super::HandlerError> {
    if let Target::Edit(chat, message, shown) = target
        && shown.kept
        && !is_kept(Some(&keyboard))
    {
        crate::queues::screens::forget_message(&ctx.db, chat.0, message.0).await?;
    }
    match target {
        Target::New(chat) => {
            let markup = Some(ReplyMarkup::InlineKeyboard(keyboard));
            let sent = send::html_sent(ctx, chat, text, markup).await?;
            return Ok(sent.map(|message| (chat, message)));
        }
        Target::Edit(chat, message, shown) if shown.is_same(Shown::of_screen(text, &keyboard)) => {
            return Ok(Some((chat, message)));
        }
        Target::Edit(chat, message, _) => {
            let edited = ctx
                .api
                .edit_html(chat, message, text, keyboard.clone())
                .await;
            match edited {
                // Not modified: the message changed back meanwhile (or only its formatting).
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    return Ok(Some((chat, message)));
                }
                // The message is too old to edit or was deleted: show the screen anew.
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => {
                    let markup = ReplyMarkup::InlineKeyboard(keyboard);
                    let sent = send::html_sent(ctx, chat, text, Some(markup)).await?;
                    return Ok(sent.map(|message| (chat, message)));
                }
                // Telegram failing for longer than the retries: the screen is not shown; the
                // user's next press renders it again.
                Err(err) => {
                    tracing::warn!(%err, chat = chat.0, "a screen could not be edited; given up");
                }
            }
        }
    }
    Ok(None)
}

/// Answers a callback query (stops the client's spinner), optionally with a short toast.
pub async fn answer(ctx: &Ctx, query: &CallbackQuery, toast: Option<&str>) -> HandlerResult {
    // Answered too late (the user waited more than Telegram keeps a query) is no error.
    ctx.api.answer(&query.id, toast, false).await?;
    Ok(())
}
