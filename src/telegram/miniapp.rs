//! Opening the Mini App from Telegram: the bot's menu button and the «📱 Открыть» button under
//! the timetable and queue screens. Both need an `https` `PUBLIC_URL` (Telegram opens Mini
//! Apps over https only); without one the bot shows neither.

use teloxide::payloads::{SetChatMenuButton, SetChatMenuButtonSetters as _};
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MenuButton, WebAppInfo};

use super::api::Api;
use super::screen::Target;
use super::{Ctx, Locale};

/// The Mini App's address, `<PUBLIC_URL>/app/`, when `PUBLIC_URL` is https.
pub fn url(ctx: &Ctx) -> Option<url::Url> {
    let base = ctx.public_url.as_deref()?;
    if !base.starts_with("https://") {
        return None;
    }
    url::Url::parse(&format!("{base}/app/")).ok()
}

/// Makes the bot's menu button (beside the message field in every private chat) open the Mini
/// App.
pub async fn set_menu_button(api: &Api, url: &url::Url) -> Result<(), teloxide::RequestError> {
    let button = MenuButton::WebApp {
        text: Locale::Ru.text("miniapp-menu"),
        web_app: WebAppInfo { url: url.clone() },
    };
    api.call(SetChatMenuButton::new().menu_button(button))
        .await?;
    Ok(())
}

/// `keyboard` with «📱 Открыть» as its last row, if the Mini App can be opened and the screen
/// goes to a private chat (Telegram refuses a Mini App button anywhere else).
pub fn with_open_button(
    ctx: &Ctx,
    target: &Target,
    locale: Locale,
    keyboard: InlineKeyboardMarkup,
) -> InlineKeyboardMarkup {
    with_open_button_in(ctx, target.chat(), locale, keyboard)
}

/// [`with_open_button`] for a message in `chat` (a screen edited outside a press).
pub fn with_open_button_in(
    ctx: &Ctx,
    chat: ChatId,
    locale: Locale,
    keyboard: InlineKeyboardMarkup,
) -> InlineKeyboardMarkup {
    match url(ctx) {
        Some(url) if chat.is_user() => keyboard.append_row([InlineKeyboardButton::web_app(
            locale.text("miniapp-open"),
            WebAppInfo { url },
        )]),
        _ => keyboard,
    }
}
