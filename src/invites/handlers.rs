//! The Telegram side of invitations.

use teloxide::dptree;

use crate::telegram::callback::{CallbackAction, Reader, Writer};
use crate::telegram::{Branch, Ctx, HandlerResult, Session, common};

/// Inline buttons of the invitations screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The invitations screen: create a link, list active links.
    Menu,
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "i";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Menu => out.tag("m"),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        match fields.tag()? {
            "m" => Some(Action::Menu),
            _ => None,
        }
    }
}

/// Messages: «🔗 Присоединиться по ссылке» and the pasted link.
pub fn branch() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// Inline buttons with prefix `i`.
pub fn callbacks() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// `/start <token>`: joining by a deep link.
pub async fn on_start_token(ctx: Ctx, session: Session, _token: String) -> HandlerResult {
    common::show_menu(&ctx, &session).await
}

/// `/invite`.
pub async fn on_invite_command(ctx: Ctx, session: Session) -> HandlerResult {
    let text = session.locale.text("section-coming-soon");
    common::show_menu_with(&ctx, &session, &text).await
}
