//! A half-filled form survives interruptions. A main-menu button, `/start` or `/menu` pressed
//! in the middle of a form keeps the draft and asks «Продолжить или отменить?»; «Продолжить»
//! asks the step's question again, «Отменить» drops the draft and shows the menu. A sticker, a
//! photo or anything else that is no text (and no document, which some steps take) repeats the
//! step's question.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use super::callback;
use super::dialogue::Dialogue;
use super::kit::{self, Flow, inline, label, say};
use super::screen::{self, Target};
use super::{Branch, Ctx, HandlerResult, MenuButton, Session, keyboards};

callback::actions! {
    /// The buttons under «Продолжить или отменить?» (prefix `f`).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Action = "f" {
        /// Go on with the form: its step's question again.
        Resume = "r",
        /// Drop the draft.
        Discard = "d",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses "1|f|x 1|f 1|f|r|1 1|g|r",
    keeps "1|f|r 1|f|d");

/// The commands that leave for another screen (a `/start` with an invitation joins at once).
const NAVIGATING: [&str; 6] = [
    "/start",
    "/menu",
    "/calendar",
    "/deadlines",
    "/invite",
    "/profile",
];

/// Whether `text` leaves the form for another screen: a main-menu button other than
/// «❌ Отмена», or a navigating command without arguments.
fn navigates_away(text: &str) -> bool {
    if let Some(button) = MenuButton::parse(text) {
        return button != MenuButton::Cancel;
    }
    let mut words = text.split_whitespace();
    let command = words.next().unwrap_or_default();
    let command = command.split('@').next().unwrap_or_default();
    let bare = words.next().is_none();
    bare && NAVIGATING
        .iter()
        .any(|known| command.eq_ignore_ascii_case(known))
}

/// Whether the dialogue holds a draft worth asking about. The ФИО question asked once after
/// joining is skippable and holds nothing: leaving it is just navigating.
pub fn holds_draft(dialogue: &Dialogue) -> bool {
    !matches!(
        dialogue,
        Dialogue::Idle | Dialogue::Fio { after_join: true }
    )
}

/// Messages that interrupt a form: asked «Продолжить или отменить?», the draft kept. Mounted
/// before the commands, so `/start` does not drop the draft.
pub fn interruptions() -> Branch {
    dptree::filter(|session: Session, message: Message| {
        holds_draft(&session.dialogue) && message.text().is_some_and(navigates_away)
    })
    .endpoint(|ctx: Ctx, session: Session| async move { ask_resume(&ctx, &session).await })
}

/// Messages in a form that are no text and no document (a sticker, a photo, a voice): the
/// step's question again.
pub fn not_text() -> Branch {
    dptree::filter(|session: Session, message: Message| {
        session.dialogue != Dialogue::Idle
            && message.text().is_none()
            && message.document().is_none()
            && !(message.photo().is_some()
                && super::homework::handlers::takes_photos(&session.dialogue))
    })
    .endpoint(|ctx: Ctx, session: Session| async move {
        let flow = ask_again(&ctx, &session).await;
        finish(&ctx, &session, flow).await
    })
}

/// The buttons under «Продолжить или отменить?».
pub fn callbacks() -> Branch {
    kit::buttons::<Action>(|ctx, session, target, action| {
        Box::pin(async move {
            if !holds_draft(&session.dialogue) {
                // Finished or dropped meanwhile.
                screen::show(ctx, target, &session.locale.text("form-gone"), no_buttons()).await?;
                return Ok(None);
            }
            match action {
                Action::Resume => {
                    let text = session.locale.text("form-resumed");
                    screen::show(ctx, target, &text, no_buttons()).await?;
                    ask_again(ctx, session).await
                }
                Action::Discard => kit::cancel_form(ctx, session, target).await,
            }
        })
    })
}

fn no_buttons() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::default()
}

/// «✋ Форма не закончена. Продолжить или отменить?» with the two buttons.
async fn ask_resume(ctx: &Ctx, session: &Session) -> HandlerResult {
    let locale = session.locale;
    let keyboard = InlineKeyboardMarkup::new([[
        label(locale, "form-btn-resume", Action::Resume),
        label(locale, "form-btn-discard", Action::Discard),
    ]]);
    let flow = say(
        ctx,
        session,
        &locale.text("form-interrupted"),
        inline(keyboard),
    )
    .await;
    finish(ctx, session, flow).await
}

/// The question of the step the user's form is at, asked again.
async fn ask_again(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    let cancel = Some(keyboards::cancel_only(locale));
    match session.dialogue.clone() {
        Dialogue::Event(form) => {
            let target = Target::New(session.chat);
            super::events::steps::ask(ctx, session, target, form).await
        }
        Dialogue::CreateGroupName => {
            say(ctx, session, &locale.text("group-ask-name"), cancel).await
        }
        Dialogue::JoinToken => say(ctx, session, &locale.text("invite-ask-token"), cancel).await,
        Dialogue::Fio { after_join: false } => super::members::fio_step::ask(ctx, session).await,
        // The other steps' questions sit right above; the user is pointed back to them.
        _ => say(ctx, session, &locale.text("form-resume-above"), cancel).await,
    }
}

/// A failure stays a failure; a refusal (the form cannot go on) is told with the menu.
async fn finish(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    super::common::finish_form_message(ctx, session, flow, holds_draft).await
}

#[cfg(test)]
mod tests {
    use super::navigates_away;

    #[test]
    fn what_leaves_a_form() {
        assert!(navigates_away("/start"));
        assert!(navigates_away("/menu@study_bot"));
        assert!(navigates_away("👥 Участники группы"));
        assert!(navigates_away("📅 События и Бронь 🆕3"));
        assert!(!navigates_away("/start token123"));
        assert!(!navigates_away("❌ Отмена"));
        assert!(!navigates_away("/skip"));
        assert!(!navigates_away("Лаба 3"));
    }
}
