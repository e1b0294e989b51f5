//! The Telegram side of members: the member list, leader actions, the profile.

use teloxide::dptree;

use crate::telegram::callback::{CallbackAction, Reader, Writer};
use crate::telegram::{Branch, Ctx, HandlerResult, Session, common};

/// Inline buttons of the member list and member cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A page of the member list.
    Page { page: i64 },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "m";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Page { page } => out.tag("p").int(*page),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        match fields.tag()? {
            "p" => Some(Action::Page {
                page: fields.int(0..=1000)?,
            }),
            _ => None,
        }
    }
}

/// Messages: «👥 Участники группы», «👤 Профиль», the ФИО step.
pub fn branch() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// Inline buttons with prefix `m` (members) and `p` (profile).
pub fn callbacks() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// `/profile`.
pub async fn on_profile_command(ctx: Ctx, session: Session) -> HandlerResult {
    let text = session.locale.text("section-coming-soon");
    common::show_menu_with(&ctx, &session, &text).await
}

/// Right after joining a group: asks once for the ФИО (skippable).
pub async fn ask_fio_after_join(ctx: Ctx, session: Session) -> HandlerResult {
    common::show_menu(&ctx, &session).await
}
