//! The profile «👤 Профиль» / `/profile`: ФИО, language, group and role; changing the ФИО (see
//! [`super::fio_step`]), switching the language, leaving the group.

use teloxide::types::InlineKeyboardMarkup;

pub use super::action::ProfileAction;
use super::handlers::shown;
use super::{fio_step, render};
use crate::members::service::{self, MemberError};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Flow, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Ctx, HandlerError, HandlerResult, Locale, Session, common, keyboards};

/// `/profile`: the profile as a new message.
pub async fn show_new(ctx: &Ctx, session: &Session) -> HandlerResult {
    let (text, keyboard) = profile_screen(ctx, session.user_id, session.locale).await?;
    screen::show(ctx, Target::New(session.chat), &text, keyboard).await
}

/// «👤 Профиль».
pub async fn on_profile_button(ctx: Ctx, session: Session) -> HandlerResult {
    show_new(&ctx, &session).await
}

/// A press of a profile button.
pub(super) async fn run_action(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    action: ProfileAction,
) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        ProfileAction::Show => shown(ctx, target, profile_screen(ctx, user, locale).await?).await,
        ProfileAction::EditFio => fio_step::ask(ctx, session).await,
        ProfileAction::SkipFio => fio_step::skip(ctx, session, target).await,
        ProfileAction::Language { locale: chosen } => {
            ctx.write(user, |uow| {
                Box::pin(service::set_language(uow, Some(chosen)))
            })
            .await?;
            let (text, keyboard) = profile_screen(ctx, user, chosen).await?;
            screen::show(ctx, target, &text, keyboard).await?;
            let membership = service::membership(&ctx.db, user).await?;
            let menu = keyboards::main_menu(chosen, membership.as_ref());
            say(
                ctx,
                session,
                &chosen.text("profile-language-changed"),
                Some(menu),
            )
            .await
        }
        ProfileAction::Leave => {
            let back = render::back_to_profile(locale);
            let screen = match service::membership(&ctx.db, user).await? {
                None => (locale.text("access-not-in-group"), back),
                Some(membership) if membership.role.is_leader() => {
                    (MemberError::LeaderCannotLeave.user_message(locale)?, back)
                }
                Some(membership) => render::leave_confirmation(locale, &membership),
            };
            shown(ctx, target, screen).await
        }
        ProfileAction::LeaveConfirmed => {
            let left = match ctx.write(user, |uow| Box::pin(service::leave(uow))).await {
                Ok(left) => left,
                Err(err) => {
                    let text = err.user_message(locale)?;
                    return shown(ctx, target, (text, render::back_to_profile(locale))).await;
                }
            };
            let text =
                locale.text_with("profile-left", &Args::new().user("group", &left.group_name));
            screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
            let mut session = session.clone();
            session.membership = None;
            common::show_menu(ctx, &session).await?;
            Ok(None)
        }
    }
}

/// The profile screen in `locale`, read from the database.
async fn profile_screen(
    ctx: &Ctx,
    user: i64,
    locale: Locale,
) -> Result<(String, InlineKeyboardMarkup), HandlerError> {
    let profile = service::profile(&ctx.db, user).await?;
    Ok(render::profile_screen(locale, &profile))
}
