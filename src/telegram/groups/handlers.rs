//! The Telegram side of groups: «🚀 Создать группу» and the name step; «⚙️ Настройки группы»
//! with renaming, the description, the time zone, the calendar feed and deleting the group.
//!
//! Every press is answered: with a toast when refused, silently otherwise. Buttons carry no
//! permission: each press is checked by the service against the database.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use uuid::Uuid;

use super::action::Action;
use super::keyboards as settings_keyboards;
use super::render::{feed_text, members_count, settings_text, with_notice};
use crate::groups::service::{self, GroupError, Settings};
use crate::groups::{Description, GroupName, Timezone, feed};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common, keyboards,
};

/// Messages: the dialogue steps of creating a group and of its settings, then the menu buttons
/// «🚀 Создать группу» and «⚙️ Настройки группы».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(kit::in_dialogue(Dialogue::CreateGroupName).endpoint(receive_name))
        .branch(
            dptree::filter(|session: Session| is_settings_dialogue(&session.dialogue))
                .endpoint(receive_answer),
        )
        .branch(kit::menu_button(MenuButton::CreateGroup).endpoint(start_creation))
        .branch(kit::menu_button(MenuButton::Settings).endpoint(open_settings))
}

/// Inline buttons with prefix `g` (group settings).
pub fn callbacks() -> Branch {
    kit::buttons::<Action>(|ctx, session, target, action| {
        Box::pin(run_action(ctx, session, target, action))
    })
}

/// The typed input `text` parsed by `parse`, or `None` once the user has been told why it is
/// not one (`not_text`: the message for something that is not text); the step stays.
async fn typed<T, E: UserFacing>(
    ctx: &Ctx,
    session: &Session,
    text: Option<&str>,
    not_text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, Stop> {
    let reply = match text.map(parse) {
        Some(Ok(value)) => return Ok(Some(value)),
        Some(Err(err)) => err.user_message(session.locale)?,
        None => session.locale.text(not_text),
    };
    say(ctx, session, &reply, None).await?;
    Ok(None)
}

// ----- creating a group ---------------------------------------------------------------------

/// «🚀 Создать группу»: refused for members of a group, otherwise asks for the name.
async fn start_creation(ctx: Ctx, session: Session) -> HandlerResult {
    let locale = session.locale;
    if let Some(membership) = &session.membership {
        let group = membership.group_name.clone();
        return common::refuse(&ctx, &session, GroupError::AlreadyInGroup { group }).await;
    }
    dialogue::save(&ctx.db, session.user_id, &Dialogue::CreateGroupName).await?;
    let text = locale.text("group-ask-name");
    let flow = say(&ctx, &session, &text, Some(keyboards::cancel_only(locale))).await;
    finish(&ctx, session, flow).await
}

/// The name step: an invalid name is explained and the step kept; a valid one creates the
/// group and shows the leader's menu.
async fn receive_name(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let flow = create(&ctx, &session, message.text()).await;
    finish(&ctx, session, flow).await
}

async fn create(ctx: &Ctx, session: &Session, text: Option<&str>) -> Flow {
    let locale = session.locale;
    let Some(name) = typed(ctx, session, text, "group-name-not-text", GroupName::parse).await?
    else {
        return Ok(None);
    };
    let (zone, user) = (ctx.default_timezone, session.user_id);
    // The form ends in the creation's own transaction; a refused creation ends it after.
    let created = ctx
        .write(user, |uow| {
            let name = &name;
            Box::pin(async move {
                let group = service::create(uow, name, zone).await?;
                dialogue::clear(uow.db(), user).await?;
                Ok::<_, GroupError>(group)
            })
        })
        .await;
    if created.is_err() {
        dialogue::clear(&ctx.db, user).await?;
    }
    let group = created?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    session.membership = Some(crate::members::Membership {
        group_id: group.id,
        group_name: group.name,
        role: crate::members::Role::Leader,
        timezone: zone,
    });
    let text = locale.text_with("group-created", &Args::new().user("name", name.as_str()));
    common::show_menu_with(ctx, &session, &text).await?;
    Ok(None)
}

/// After a typed step: a refusal is told with the main menu (the role may have changed, so
/// the membership is read again), and any settings question is over.
async fn finish(ctx: &Ctx, mut session: Session, flow: Flow) -> HandlerResult {
    let Err(stop) = flow else {
        return Ok(());
    };
    let text = stop.message(session.locale)?;
    leave_settings_dialogue(ctx, &mut session).await?;
    session.membership = crate::members::service::membership(&ctx.db, session.user_id).await?;
    common::show_menu_with(ctx, &session, &text).await
}

// ----- the settings screen ------------------------------------------------------------------

async fn show_settings(
    ctx: &Ctx,
    locale: Locale,
    target: Target,
    settings: &Settings,
    notice: Option<&str>,
) -> Flow {
    let text = settings_text(locale, settings, notice, ctx.notifier.now());
    screen::show(ctx, target, &text, settings_keyboards::settings(locale)).await?;
    Ok(None)
}

/// «⚙️ Настройки группы»: the settings screen, for the leader only.
async fn open_settings(ctx: Ctx, session: Session) -> HandlerResult {
    let flow = match service::settings(&ctx.db, session.user_id).await {
        Ok(settings) => {
            let target = Target::New(session.chat);
            show_settings(&ctx, session.locale, target, &settings, None).await
        }
        Err(err) => Err(err.into()),
    };
    finish(&ctx, session, flow).await
}

fn is_settings_dialogue(dialogue: &Dialogue) -> bool {
    matches!(
        dialogue,
        Dialogue::GroupRename | Dialogue::GroupDescription | Dialogue::GroupTimezone
    )
}

/// Ends a settings question the user is in (other forms are left alone).
async fn leave_settings_dialogue(ctx: &Ctx, session: &mut Session) -> HandlerResult {
    if is_settings_dialogue(&session.dialogue) {
        dialogue::clear(&ctx.db, session.user_id).await?;
        session.dialogue = Dialogue::Idle;
    }
    Ok(())
}

/// Asks a settings question: the dialogue waits for the answer under `text`.
async fn ask(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    question: Dialogue,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> Flow {
    dialogue::save(&ctx.db, session.user_id, &question).await?;
    screen::show(ctx, target, text, keyboard).await?;
    Ok(None)
}

// ----- inline buttons -----------------------------------------------------------------------

async fn run_action(ctx: &Ctx, session: &mut Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Settings => {
            let settings = service::settings(&ctx.db, user).await?;
            leave_settings_dialogue(ctx, session).await?;
            show_settings(ctx, locale, target, &settings, None).await
        }
        Action::Rename => {
            let settings = service::settings(&ctx.db, user).await?;
            let text = locale.text_with(
                "group-rename-ask",
                &Args::new()
                    .user("name", &settings.name)
                    .num("max", GroupName::MAX_CHARS as i64),
            );
            let keyboard = settings_keyboards::back_only(locale);
            ask(ctx, session, target, Dialogue::GroupRename, &text, keyboard).await
        }
        Action::Description => {
            service::settings(&ctx.db, user).await?;
            let text = locale.text_with(
                "group-description-ask",
                &Args::new().num("max", Description::MAX_CHARS as i64),
            );
            let keyboard = settings_keyboards::description(locale);
            ask(
                ctx,
                session,
                target,
                Dialogue::GroupDescription,
                &text,
                keyboard,
            )
            .await
        }
        Action::Timezone => {
            let settings = service::settings(&ctx.db, user).await?;
            let text = locale.text_with(
                "group-timezone-ask",
                &Args::new().user("timezone", settings.timezone.name()),
            );
            let keyboard = settings_keyboards::timezones(locale, ctx.notifier.now());
            ask(
                ctx,
                session,
                target,
                Dialogue::GroupTimezone,
                &text,
                keyboard,
            )
            .await
        }
        Action::ClearDescription => {
            let settings = ctx
                .write(user, |uow| Box::pin(service::set_description(uow, None)))
                .await?;
            leave_settings_dialogue(ctx, session).await?;
            let notice = locale.text("group-description-cleared");
            show_settings(ctx, locale, target, &settings, Some(&notice)).await
        }
        Action::SetTimezone { index } => {
            let zone = Timezone::quick(usize::from(index)).ok_or(GroupError::NotFound)?;
            let settings = ctx
                .write(user, |uow| Box::pin(service::set_timezone(uow, zone)))
                .await?;
            leave_settings_dialogue(ctx, session).await?;
            let notice = locale.text_with(
                "group-timezone-saved",
                &Args::new().user("timezone", settings.timezone.name()),
            );
            show_settings(ctx, locale, target, &settings, Some(&notice)).await
        }
        Action::Delete => {
            let settings = service::settings(&ctx.db, user).await?;
            leave_settings_dialogue(ctx, session).await?;
            let members = members_count(locale, settings.member_count);
            let text = locale.text_with(
                "group-delete-confirm",
                &Args::new()
                    .user("name", &settings.name)
                    .user("members", &members),
            );
            let keyboard = settings_keyboards::delete_confirmation(locale, settings.group_id);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::DeleteConfirm { group } => delete_group(ctx, session, target, group).await,
        Action::Feed | Action::FeedRegenerate | Action::FeedRegenerateConfirm { .. } => {
            leave_settings_dialogue(ctx, session).await?;
            feed_action(ctx, session, target, action).await
        }
    }
}

/// The calendar feed screens: the link (or why there is none), the confirmation of a new link,
/// and the new link. Only the leader gets past the service's checks.
async fn feed_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    let Some(public_url) = ctx.public_url.as_deref() else {
        // No link can work without the server's public address: say so instead.
        service::settings(&ctx.db, user).await?;
        let text = locale.text("feed-no-public-url");
        screen::show(ctx, target, &text, settings_keyboards::back_only(locale)).await?;
        return Ok(None);
    };
    let (text, keyboard) = match action {
        Action::FeedRegenerate => {
            let settings = service::settings(&ctx.db, user).await?;
            let keyboard =
                settings_keyboards::feed_regenerate_confirmation(locale, settings.group_id);
            (locale.text("feed-regenerate-confirm"), keyboard)
        }
        Action::FeedRegenerateConfirm { group } => {
            let secret = ctx
                .write(user, |uow| Box::pin(feed::regenerate(uow, group)))
                .await?;
            let notice = locale.text("feed-regenerated");
            let text = with_notice(Some(&notice), feed_text(locale, public_url, &secret));
            (text, settings_keyboards::feed(locale))
        }
        _ => {
            let secret = ctx.write(user, |uow| Box::pin(feed::secret(uow))).await?;
            let text = feed_text(locale, public_url, &secret);
            (text, settings_keyboards::feed(locale))
        }
    };
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// The confirmed deletion: the leader sees the unregistered menu; every former member is told
/// (the deletion's notices), gets it too and leaves any half-filled form.
async fn delete_group(ctx: &Ctx, session: &Session, target: Target, group: Uuid) -> Flow {
    let locale = session.locale;
    let deleted = ctx
        .write(session.user_id, |uow| Box::pin(service::delete(uow, group)))
        .await?;
    if session.dialogue != Dialogue::Idle {
        dialogue::clear(&ctx.db, session.user_id).await?;
    }
    let name = Args::new().user("name", &deleted.name);
    let text = locale.text_with("group-deleted", &name);
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    let text = locale.text_with("group-deleted-leader", &name);
    say(
        ctx,
        session,
        &text,
        Some(keyboards::main_menu(locale, None)),
    )
    .await
}

// ----- the settings questions ---------------------------------------------------------------

/// The answer to a settings question: a new name, a new description (or `-` to remove it),
/// a typed time zone. An invalid one is explained and the question kept.
async fn receive_answer(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let flow = answer(&ctx, &session, message.text()).await;
    finish(&ctx, session, flow).await
}

async fn answer(ctx: &Ctx, session: &Session, text: Option<&str>) -> Flow {
    let user = session.user_id;
    let (settings, notice) = match session.dialogue {
        Dialogue::GroupRename => {
            let parsed = typed(ctx, session, text, "group-name-not-text", GroupName::parse);
            let Some(name) = parsed.await? else {
                return Ok(None);
            };
            let write = ctx.write(user, |uow| Box::pin(service::rename(uow, &name)));
            (write.await?, "group-renamed")
        }
        Dialogue::GroupDescription => {
            let not_text = "group-description-not-text";
            let parsed = typed(ctx, session, text, not_text, Description::parse);
            let Some(description) = parsed.await? else {
                return Ok(None);
            };
            let notice = match description {
                Some(_) => "group-description-saved",
                None => "group-description-cleared",
            };
            let write = ctx.write(user, |uow| {
                Box::pin(service::set_description(uow, description.as_ref()))
            });
            (write.await?, notice)
        }
        _ => {
            let parsed = typed(
                ctx,
                session,
                text,
                "group-timezone-not-text",
                Timezone::parse,
            );
            let Some(zone) = parsed.await? else {
                return Ok(None);
            };
            let write = ctx.write(user, |uow| Box::pin(service::set_timezone(uow, zone)));
            (write.await?, "group-timezone-saved")
        }
    };
    dialogue::clear(&ctx.db, user).await?;
    let locale = session.locale;
    let notice = locale.text_with(
        notice,
        &Args::new().user("timezone", settings.timezone.name()),
    );
    let target = Target::New(session.chat);
    show_settings(ctx, locale, target, &settings, Some(&notice)).await
}
