//! The Telegram side of invitations: `/invite` and its inline screens (create a link, list and
//! revoke active links), and joining — by a deep link `/start <token>` or by «🔗 Присоединиться
//! по ссылке» and pasting the link or token.

use teloxide::prelude::*;

pub use super::action::Action;
use super::render;
use crate::invites::service::{self, InviteError, Validity};
use crate::invites::token::InviteToken;
use crate::members::service::AccessError;
use crate::members::{Membership, Role};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, say};
use crate::telegram::members::fio_step;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerResult, MenuButton, Session, common, keyboards, send,
};

/// Messages: the pasted link while waiting for one, and «🔗 Присоединиться по ссылке».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(kit::in_dialogue(Dialogue::JoinToken).endpoint(receive_token))
        .branch(kit::menu_button(MenuButton::JoinByLink).endpoint(start_joining))
}

/// Inline buttons with prefix `i`.
pub fn callbacks() -> Branch {
    kit::buttons::<Action>(|ctx, session, target, action| {
        Box::pin(run_action(ctx, session, target, action))
    })
}

/// `/start <token>`: joining by a deep link. A start parameter that cannot be a token is an
/// unknown invitation as far as the user is concerned.
pub async fn on_start_token(ctx: Ctx, session: Session, token: String) -> HandlerResult {
    match InviteToken::parse_pasted(&token, &ctx.bot_username) {
        Ok(token) => join(ctx, session, token).await,
        Err(_) => common::refuse(&ctx, &session, InviteError::Unknown).await,
    }
}

/// `/invite`: the invitations screen, for the leader and assistants.
pub async fn on_invite_command(ctx: Ctx, session: Session) -> HandlerResult {
    if let Err(refusal) = may_manage(&session) {
        return common::refuse(&ctx, &session, refusal).await;
    }
    match create_default(&ctx, &session).await {
        Ok(_) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            common::show_menu_with(&ctx, &session, &text).await
        }
    }
}

/// `/invite`: the default link (reusable, 7 days) at once, the options for another one as
/// buttons under it.
async fn create_default(ctx: &Ctx, session: &Session) -> Flow {
    let validity = Validity::default();
    let invite = ctx
        .write(session.user_id, |uow| {
            Box::pin(service::create(uow, validity, false))
        })
        .await?;
    let text = render::created_text(session.locale, &ctx.bot_username, &invite, validity);
    let (_, keyboard) = render::menu_screen(session.locale, validity, false);
    screen::show(ctx, Target::New(session.chat), &text, keyboard).await?;
    Ok(None)
}

/// «🔗 Присоединиться по ссылке»: asks for the link (a member of a group is told they are one).
async fn start_joining(ctx: Ctx, session: Session) -> HandlerResult {
    let locale = session.locale;
    if let Some(membership) = &session.membership {
        let group = membership.group_name.clone();
        return common::refuse(&ctx, &session, InviteError::AlreadyInGroup { group }).await;
    }
    dialogue::save(&ctx.db, session.user_id, &Dialogue::JoinToken).await?;
    let text = locale.text("invite-ask-token");
    let cancel = keyboards::cancel_only(locale);
    send::html(&ctx, session.chat, &text, Some(cancel)).await?;
    Ok(())
}

/// The pasted link or token. Text that is neither is explained and the bot keeps waiting; a
/// token ends the dialogue, whatever the database says about it.
async fn receive_token(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let parsed = match message.text() {
        None => Err(locale.text("invite-not-text")),
        Some(text) => match InviteToken::parse_pasted(text, &ctx.bot_username) {
            Ok(token) => Ok(token),
            Err(err) => Err(InviteError::from(err).user_message(locale)?),
        },
    };
    let token = match parsed {
        Ok(token) => token,
        Err(explanation) => {
            send::html(&ctx, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    join(ctx, session, token).await
}

/// Joins by `token` and tells the user how it went (the leader is told by the join's notice);
/// then asks for the ФИО once.
async fn join(ctx: Ctx, mut session: Session, token: InviteToken) -> HandlerResult {
    let locale = session.locale;
    let joined = ctx
        .write(session.user_id, |uow| Box::pin(service::join(uow, &token)))
        .await;
    match joined {
        Ok(joined) => {
            let text = locale.text_with(
                "invite-joined",
                &Args::new().user("group", &joined.group_name),
            );
            session.membership = Some(Membership {
                group_id: joined.group_id,
                group_name: joined.group_name,
                role: Role::Member,
                timezone: joined.timezone,
            });
            common::show_menu_with(&ctx, &session, &text).await?;
            fio_step::ask_after_join(&ctx, &session).await
        }
        Err(err) => {
            if matches!(err, InviteError::AlreadyInGroup { .. }) {
                session.membership =
                    crate::members::service::membership(&ctx.db, session.user_id).await?;
            }
            common::refuse(&ctx, &session, err).await
        }
    }
}

/// Every press of an invitations button: answered, and authorised again by the service.
async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Menu => show_menu(ctx, session, target, Validity::default(), false).await,
        Action::Options {
            validity,
            single_use,
        } => show_menu(ctx, session, target, validity, single_use).await,
        Action::Create {
            validity,
            single_use,
        } => {
            let invite = ctx
                .write(user, |uow| {
                    Box::pin(service::create(uow, validity, single_use))
                })
                .await?;
            let text = render::created_text(locale, &ctx.bot_username, &invite, validity);
            say(ctx, session, &text, None).await
        }
        Action::List => show_list(ctx, session, target).await,
        Action::Revoke { invite } => {
            ctx.write(user, |uow| Box::pin(service::revoke(uow, invite)))
                .await?;
            show_list(ctx, session, target).await?;
            Ok(Some(locale.text("invite-revoke-done")))
        }
    }
}

/// The invitations screen with these options, edited into the pressed message.
async fn show_menu(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    validity: Validity,
    single_use: bool,
) -> Flow {
    may_manage(session)?;
    let (text, keyboard) = render::menu_screen(session.locale, validity, single_use);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// The active links, edited into the pressed message.
async fn show_list(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let now = ctx.notifier.now();
    let invites = service::list_active(&ctx.db, session.user_id, now).await?;
    let (text, keyboard) = render::list_screen(session.locale, &ctx.bot_username, &invites);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// Whether the session's role (read from the database for this update) may see the
/// invitations screens. Only for showing screens: every change is re-checked by the service.
fn may_manage(session: &Session) -> Result<(), AccessError> {
    match &session.membership {
        None => Err(AccessError::NotInGroup),
        Some(membership) if !membership.role.can_manage() => Err(AccessError::Forbidden),
        Some(_) => Ok(()),
    }
}
