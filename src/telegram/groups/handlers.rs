//! The Telegram side of groups: «🚀 Создать группу» and the name step; «⚙️ Настройки группы»
//! with renaming, the description, the time zone and deleting the group.

use chrono::Utc;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use uuid::Uuid;

use super::keyboards as settings_keyboards;
use crate::groups::service::{self, GroupError, Settings};
use crate::groups::{Description, GroupName, Timezone};
use crate::notifications::{Kind, Note, Notice, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common, keyboards, send,
};

/// Inline buttons of the group settings screens (prefix `g`). They carry no permission: every
/// press is checked by the service against the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The settings screen (also «back» from any settings question).
    Settings,
    /// Ask for a new name.
    Rename,
    /// Ask for a new description.
    Description,
    /// Remove the description.
    ClearDescription,
    /// Ask for a time zone.
    Timezone,
    /// Set the quick time zone number `index` of [`crate::groups::timezone::QUICK`].
    SetTimezone { index: u8 },
    /// Ask to confirm deleting the group.
    Delete,
    /// Delete the group `group` (only if it is the presser's own group, as stored).
    DeleteConfirm { group: Uuid },
    /// Show the calendar feed link (made on first request).
    Feed,
    /// Ask to confirm replacing the feed link.
    FeedRegenerate,
    /// Replace the feed link of group `group` (only the presser's own group, as stored).
    FeedRegenerateConfirm { group: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "g";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Settings => out.tag("s"),
            Action::Rename => out.tag("r"),
            Action::Description => out.tag("d"),
            Action::ClearDescription => out.tag("dc"),
            Action::Timezone => out.tag("t"),
            Action::SetTimezone { index } => out.tag("tz").int(i64::from(*index)),
            Action::Delete => out.tag("x"),
            Action::DeleteConfirm { group } => out.tag("xy").uuid(*group),
            Action::Feed => out.tag("f"),
            Action::FeedRegenerate => out.tag("fr"),
            Action::FeedRegenerateConfirm { group } => out.tag("fy").uuid(*group),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        const LAST_QUICK: i64 = crate::groups::timezone::QUICK.len() as i64 - 1;
        match fields.tag()? {
            "s" => Some(Action::Settings),
            "r" => Some(Action::Rename),
            "d" => Some(Action::Description),
            "dc" => Some(Action::ClearDescription),
            "t" => Some(Action::Timezone),
            "tz" => Some(Action::SetTimezone {
                index: u8::try_from(fields.int(0..=LAST_QUICK)?).ok()?,
            }),
            "x" => Some(Action::Delete),
            "xy" => Some(Action::DeleteConfirm {
                group: fields.uuid()?,
            }),
            "f" => Some(Action::Feed),
            "fr" => Some(Action::FeedRegenerate),
            "fy" => Some(Action::FeedRegenerateConfirm {
                group: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

/// Messages: the dialogue steps of creating a group and of its settings, then the menu buttons
/// «🚀 Создать группу» and «⚙️ Настройки группы».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::CreateGroupName)
                .endpoint(receive_name),
        )
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::GroupRename)
                .endpoint(receive_rename),
        )
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::GroupDescription)
                .endpoint(receive_description),
        )
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::GroupTimezone)
                .endpoint(receive_timezone),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::CreateGroup)
            })
            .endpoint(start_creation),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::Settings)
            })
            .endpoint(open_settings),
        )
}

/// «🚀 Создать группу»: refused for members of a group, otherwise asks for the name.
async fn start_creation(ctx: Ctx, session: Session) -> HandlerResult {
    let locale = session.locale;
    if let Some(membership) = &session.membership {
        let refusal = service::GroupError::AlreadyInGroup {
            group: membership.group_name.clone(),
        };
        let text = refusal.user_message(locale)?;
        return crate::telegram::common::show_menu_with(&ctx, &session, &text).await;
    }
    dialogue::save(&ctx.db, session.user_id, &Dialogue::CreateGroupName).await?;
    let text = locale.text("group-ask-name");
    send::html(
        &ctx.bot,
        session.chat,
        &text,
        Some(keyboards::cancel_only(locale)),
    )
    .await?;
    Ok(())
}

/// The name step: an invalid name is explained and the step kept; a valid one creates the
/// group and shows the leader's menu.
async fn receive_name(ctx: Ctx, mut session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        let hint = locale.text("group-name-not-text");
        send::html(&ctx.bot, session.chat, &hint, None).await?;
        return Ok(());
    };
    let name = match GroupName::parse(text) {
        Ok(name) => name,
        Err(err) => {
            let explanation = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    let created =
        service::create(&ctx.db, session.user_id, &name, ctx.default_timezone.name()).await;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = match created {
        Ok(group) => {
            session.membership = Some(crate::members::Membership {
                group_id: group.id,
                group_name: group.name,
                role: crate::members::Role::Leader,
            });
            locale.text_with("group-created", &Args::new().user("name", name.as_str()))
        }
        Err(err) => {
            session.membership =
                crate::members::service::membership(&ctx.db, session.user_id).await?;
            err.user_message(locale)?
        }
    };
    crate::telegram::common::show_menu_with(&ctx, &session, &text).await
}

/// Inline buttons with prefix `g` (group settings).
pub fn callbacks() -> Branch {
    callback::filter::<Action>().endpoint(on_action)
}

// ----- the settings screen ------------------------------------------------------------------

/// The settings screen's text; `notice` (already formatted) goes above it.
fn settings_text(locale: Locale, settings: &Settings, notice: Option<&str>) -> String {
    let now = Utc::now();
    let (time, offset) = match Timezone::parse(&settings.timezone) {
        Ok(zone) => (zone.local_time(now), zone.offset_label(now)),
        // Not reachable through the bot (every stored zone was validated), but never fatal.
        Err(_) => ("—".to_owned(), "—".to_owned()),
    };
    let members = members_count(locale, settings.member_count);
    let args = Args::new()
        .user("name", &settings.name)
        .user("members", &members)
        .user("timezone", &settings.timezone)
        .user("time", &time)
        .user("offset", &offset)
        .num("has_description", i64::from(settings.description.is_some()))
        .user(
            "description",
            settings.description.as_deref().unwrap_or_default(),
        );
    let screen = locale.text_with("settings-screen", &args);
    match notice {
        Some(notice) => format!("{notice}\n\n{screen}"),
        None => screen,
    }
}

/// «3 участника»: the number with its plural form.
fn members_count(locale: Locale, count: u64) -> String {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    locale.text_with("members-count", &Args::new().num("count", count))
}

async fn show_settings(
    ctx: &Ctx,
    locale: Locale,
    target: Target,
    settings: &Settings,
    notice: Option<&str>,
) -> HandlerResult {
    let text = settings_text(locale, settings, notice);
    screen::show(ctx, target, &text, settings_keyboards::settings(locale)).await
}

/// «⚙️ Настройки группы»: the settings screen, for the leader only.
async fn open_settings(ctx: Ctx, session: Session) -> HandlerResult {
    match service::settings(&ctx.db, session.user_id).await {
        Ok(settings) => {
            show_settings(
                &ctx,
                session.locale,
                Target::New(session.chat),
                &settings,
                None,
            )
            .await
        }
        Err(err) => refuse(&ctx, session, err).await,
    }
}

/// A refused message or dialogue step: the reason with the main menu (the role may have
/// changed, so the membership is read again). Any settings question is over.
async fn refuse(ctx: &Ctx, mut session: Session, err: GroupError) -> HandlerResult {
    let text = err.user_message(session.locale)?;
    leave_settings_dialogue(ctx, &mut session).await?;
    session.membership = crate::members::service::membership(&ctx.db, session.user_id).await?;
    common::show_menu_with(ctx, &session, &text).await
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

// ----- inline buttons -----------------------------------------------------------------------

/// Every press is answered: with a toast when refused, silently otherwise.
async fn on_action(
    ctx: Ctx,
    mut session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let target = Target::of_query(&query, session.chat);
    if let Action::DeleteConfirm { group } = action {
        return delete_group(&ctx, session, &query, target, group).await;
    }
    if matches!(
        action,
        Action::Feed | Action::FeedRegenerate | Action::FeedRegenerateConfirm { .. }
    ) {
        leave_settings_dialogue(&ctx, &mut session).await?;
        let refusal = match feed_action(&ctx, &session, target, action).await? {
            Ok(()) => None,
            Err(err) => Some(err.user_message(session.locale)?),
        };
        return screen::answer(&ctx, &query, refusal.as_deref()).await;
    }
    let refusal = match run_action(&ctx, &mut session, target, action).await? {
        Ok(()) => None,
        Err(err) => Some(err.user_message(session.locale)?),
    };
    screen::answer(&ctx, &query, refusal.as_deref()).await
}

/// The outer `Result` is a failure while showing the result; the inner one the service's
/// answer when it refused (or could not reach the database).
async fn run_action(
    ctx: &Ctx,
    session: &mut Session,
    target: Target,
    action: Action,
) -> Result<Result<(), GroupError>, crate::telegram::HandlerError> {
    let locale = session.locale;
    let actor = session.user_id;
    let outcome = match action {
        Action::Settings
        | Action::Rename
        | Action::Description
        | Action::Timezone
        | Action::Delete => service::settings(&ctx.db, actor).await,
        Action::ClearDescription => service::set_description(&ctx.db, actor, None).await,
        Action::SetTimezone { index } => match Timezone::quick(usize::from(index)) {
            Some(zone) => service::set_timezone(&ctx.db, actor, zone, ctx.notifier.now()).await,
            None => Err(GroupError::NotFound),
        },
        // Handled by `delete_group` and `feed_action`.
        Action::DeleteConfirm { .. }
        | Action::Feed
        | Action::FeedRegenerate
        | Action::FeedRegenerateConfirm { .. } => Err(GroupError::NotFound),
    };
    let settings = match outcome {
        Ok(settings) => settings,
        // Refusals, and database failures, which `user_message` hands back as such.
        Err(err) => return Ok(Err(err)),
    };
    match action {
        Action::Rename => {
            dialogue::save(&ctx.db, actor, &Dialogue::GroupRename).await?;
            let text = locale.text_with(
                "group-rename-ask",
                &Args::new()
                    .user("name", &settings.name)
                    .num("max", GroupName::MAX_CHARS as i64),
            );
            screen::show(ctx, target, &text, settings_keyboards::back_only(locale)).await?;
        }
        Action::Description => {
            dialogue::save(&ctx.db, actor, &Dialogue::GroupDescription).await?;
            let text = locale.text_with(
                "group-description-ask",
                &Args::new().num("max", Description::MAX_CHARS as i64),
            );
            screen::show(ctx, target, &text, settings_keyboards::description(locale)).await?;
        }
        Action::Timezone => {
            dialogue::save(&ctx.db, actor, &Dialogue::GroupTimezone).await?;
            let text = locale.text_with(
                "group-timezone-ask",
                &Args::new().user("timezone", &settings.timezone),
            );
            let keyboard = settings_keyboards::timezones(locale, Utc::now());
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::Delete => {
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
        }
        Action::Settings
        | Action::DeleteConfirm { .. }
        | Action::Feed
        | Action::FeedRegenerate
        | Action::FeedRegenerateConfirm { .. } => {
            leave_settings_dialogue(ctx, session).await?;
            show_settings(ctx, locale, target, &settings, None).await?;
        }
        Action::ClearDescription => {
            leave_settings_dialogue(ctx, session).await?;
            let notice = locale.text("group-description-cleared");
            show_settings(ctx, locale, target, &settings, Some(&notice)).await?;
        }
        Action::SetTimezone { .. } => {
            leave_settings_dialogue(ctx, session).await?;
            let notice = locale.text_with(
                "group-timezone-saved",
                &Args::new().user("timezone", &settings.timezone),
            );
            show_settings(ctx, locale, target, &settings, Some(&notice)).await?;
        }
    }
    Ok(Ok(()))
}

/// The calendar feed screens: the link (or why there is none), the confirmation of a new link,
/// and the new link. Only the leader gets past the service's checks.
async fn feed_action(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    action: Action,
) -> Result<Result<(), GroupError>, crate::telegram::HandlerError> {
    let locale = session.locale;
    let actor = session.user_id;
    let Some(public_url) = ctx.public_url.as_deref() else {
        // No link can work without the server's public address: say so instead.
        if let Err(err) = service::settings(&ctx.db, actor).await {
            return Ok(Err(err));
        }
        let text = locale.text("feed-no-public-url");
        screen::show(ctx, target, &text, settings_keyboards::back_only(locale)).await?;
        return Ok(Ok(()));
    };
    match action {
        Action::FeedRegenerate => {
            let settings = match service::settings(&ctx.db, actor).await {
                Ok(settings) => settings,
                Err(err) => return Ok(Err(err)),
            };
            let text = locale.text("feed-regenerate-confirm");
            let keyboard =
                settings_keyboards::feed_regenerate_confirmation(locale, settings.group_id);
            screen::show(ctx, target, &text, keyboard).await?;
        }
        Action::FeedRegenerateConfirm { group } => {
            let secret = match crate::groups::feed::regenerate(&ctx.db, actor, group).await {
                Ok(secret) => secret,
                Err(err) => return Ok(Err(err)),
            };
            let notice = locale.text("feed-regenerated");
            let text = feed_text(locale, public_url, &secret);
            let keyboard = settings_keyboards::feed(locale);
            screen::show(ctx, target, &format!("{notice}\n\n{text}"), keyboard).await?;
        }
        _ => {
            let secret = match crate::groups::feed::secret(&ctx.db, actor).await {
                Ok(secret) => secret,
                Err(err) => return Ok(Err(err)),
            };
            let text = feed_text(locale, public_url, &secret);
            screen::show(ctx, target, &text, settings_keyboards::feed(locale)).await?;
        }
    }
    Ok(Ok(()))
}

fn feed_text(locale: Locale, public_url: &str, secret: &str) -> String {
    let url = crate::groups::feed::feed_url(public_url, secret);
    locale.text_with("feed-screen", &Args::new().user("url", &url))
}

/// The confirmed deletion: the leader sees the unregistered menu; every former member is told,
/// gets it too and leaves any half-filled form.
async fn delete_group(
    ctx: &Ctx,
    session: Session,
    query: &CallbackQuery,
    target: Target,
    group: Uuid,
) -> HandlerResult {
    let locale = session.locale;
    let told = |deleted: &service::DeletedGroup| former_members(deleted, "group-deleted-notice");
    let now = ctx.notifier.now();
    let deleted = match service::delete(&ctx.db, session.user_id, group, now, told).await {
        Ok(deleted) => deleted,
        Err(err) => {
            let text = err.user_message(locale)?;
            return screen::answer(ctx, query, Some(&text)).await;
        }
    };
    if session.dialogue != Dialogue::Idle {
        dialogue::clear(&ctx.db, session.user_id).await?;
    }
    let name = Args::new().user("name", &deleted.name);
    let text = locale.text_with("group-deleted", &name);
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    screen::answer(ctx, query, None).await?;
    let text = locale.text_with("group-deleted-leader", &name);
    send::html(
        &ctx.bot,
        session.chat,
        &text,
        Some(keyboards::main_menu(locale, None)),
    )
    .await?;
    ctx.deliver(&deleted.notices).await;
    Ok(())
}

/// The notices of a deleted group: every former member is told (text `notice_id`, with the
/// group's `name`) and gets the menu of someone without a group.
pub(crate) fn former_members(
    deleted: &service::DeletedGroup,
    notice_id: &'static str,
) -> Vec<Notice> {
    deleted
        .former_members
        .iter()
        .map(|&member| {
            let note = Text::new(notice_id).user("name", &deleted.name);
            Notice::new(member, Kind::Notice, Note::new(note).with_menu())
        })
        .collect()
}

// ----- the settings questions ---------------------------------------------------------------

/// A new name: an invalid one is explained and the question kept.
async fn receive_rename(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        return reply(&ctx, &session, &locale.text("group-name-not-text")).await;
    };
    let name = match GroupName::parse(text) {
        Ok(name) => name,
        Err(err) => return reply(&ctx, &session, &err.user_message(locale)?).await,
    };
    let renamed = service::rename(&ctx.db, session.user_id, &name).await;
    settings_answer(ctx, session, renamed, "group-renamed").await
}

/// A new description, or `-` to remove it.
async fn receive_description(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        return reply(&ctx, &session, &locale.text("group-description-not-text")).await;
    };
    let description = match Description::parse(text) {
        Ok(description) => description,
        Err(err) => return reply(&ctx, &session, &err.user_message(locale)?).await,
    };
    let notice = match description {
        Some(_) => "group-description-saved",
        None => "group-description-cleared",
    };
    let saved = service::set_description(&ctx.db, session.user_id, description.as_ref()).await;
    settings_answer(ctx, session, saved, notice).await
}

/// A typed time zone name.
async fn receive_timezone(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        return reply(&ctx, &session, &locale.text("group-timezone-not-text")).await;
    };
    let zone = match Timezone::parse(text) {
        Ok(zone) => zone,
        Err(err) => return reply(&ctx, &session, &err.user_message(locale)?).await,
    };
    let saved = service::set_timezone(&ctx.db, session.user_id, zone, ctx.notifier.now()).await;
    settings_answer(ctx, session, saved, "group-timezone-saved").await
}

/// After a settings question: the question is over; the new settings with a notice, or the
/// refusal with the menu.
async fn settings_answer(
    ctx: Ctx,
    session: Session,
    outcome: Result<Settings, GroupError>,
    notice_id: &str,
) -> HandlerResult {
    let settings = match outcome {
        Ok(settings) => settings,
        Err(err) => return refuse(&ctx, session, err).await,
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    let locale = session.locale;
    let notice = locale.text_with(notice_id, &Args::new().user("timezone", &settings.timezone));
    show_settings(
        &ctx,
        locale,
        Target::New(session.chat),
        &settings,
        Some(&notice),
    )
    .await
}

/// A short reply in the private chat, keeping the current keyboard.
async fn reply(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    send::html(&ctx.bot, session.chat, text, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};
    use proptest::prelude::*;

    fn every_action() -> Vec<Action> {
        let mut actions = vec![
            Action::Settings,
            Action::Rename,
            Action::Description,
            Action::ClearDescription,
            Action::Timezone,
            Action::Delete,
            Action::DeleteConfirm {
                group: Uuid::from_u128(u128::MAX),
            },
            Action::DeleteConfirm { group: Uuid::nil() },
            Action::Feed,
            Action::FeedRegenerate,
            Action::FeedRegenerateConfirm {
                group: Uuid::from_u128(u128::MAX),
            },
        ];
        let quick = crate::groups::timezone::QUICK.len();
        actions.extend((0..quick).map(|i| Action::SetTimezone {
            index: u8::try_from(i).unwrap(),
        }));
        actions
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is too long");
            assert!(data.starts_with("1|g|"), "{data}");
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::DeleteConfirm {
            group: Uuid::new_v4(),
        });
        let raw_id = id.rsplit('|').next().unwrap().to_owned();
        for forged in [
            "",
            "1|g",
            "1|g|",
            "2|g|s",
            "0|g|s",
            "1|m|s",
            "1|G|s",
            "1|g|S",
            "1|g|q",
            "1|g|s|1",
            "1|g|tz",
            "1|g|tz|12",
            "1|g|tz|-1",
            "1|g|tz|01",
            "1|g|tz|1.5",
            "1|g|tz|Europe/Moscow",
            "1|g|xy",
            "1|g|xy|short",
            &format!("1|g|xy|{raw_id}|x"),
            &format!("1|g|xy|{raw_id}="),
            &format!("1|g|x|{raw_id}"),
        ] {
            assert_eq!(decode::<Action>(forged), None, "{forged:?}");
        }
    }

    fn settings(description: Option<&str>) -> Settings {
        Settings {
            group_id: Uuid::nil(),
            name: "<b>ИВТ</b>".into(),
            description: description.map(str::to_owned),
            timezone: "Asia/Novosibirsk".into(),
            member_count: 21,
        }
    }

    #[test]
    fn the_settings_screen_renders_escaped_in_both_locales() {
        let ru = settings_text(Locale::Ru, &settings(Some("a <i>\nb")), Some("✅"));
        assert!(ru.starts_with("✅\n\n⚙️ <b>Настройки группы</b>"), "{ru}");
        assert!(
            ru.contains("Название: <b>&lt;b&gt;ИВТ&lt;/b&gt;</b>"),
            "{ru}"
        );
        assert!(ru.contains("Участники: 21 участник\n"), "{ru}");
        assert!(ru.contains("Asia/Novosibirsk — сейчас там "), "{ru}");
        assert!(ru.contains("(UTC+7)"), "{ru}");
        assert!(ru.ends_with("Описание: a &lt;i&gt;\nb"), "{ru}");
        let none = settings_text(Locale::Ru, &settings(None), None);
        assert!(none.ends_with("Описание: <i>не задано</i>"), "{none}");
        let en = settings_text(Locale::En, &settings(None), None);
        assert!(en.contains("Members: 21 members"), "{en}");
        assert!(en.ends_with("Description: <i>not set</i>"), "{en}");
    }

    #[test]
    fn every_settings_text_exists_in_every_locale() {
        let ids = [
            "settings-screen",
            "settings-btn-rename",
            "settings-btn-description",
            "settings-btn-timezone",
            "settings-btn-transfer",
            "settings-btn-delete",
            "settings-btn-back",
            "settings-btn-clear-description",
            "settings-btn-delete-confirm",
            "settings-btn-delete-cancel",
            "group-rename-ask",
            "group-renamed",
            "group-description-ask",
            "group-description-saved",
            "group-description-cleared",
            "group-description-empty",
            "group-description-too-long",
            "group-description-control-chars",
            "group-description-not-text",
            "group-timezone-ask",
            "group-timezone-saved",
            "group-timezone-empty",
            "group-timezone-unknown",
            "group-timezone-not-text",
            "group-delete-confirm",
            "group-deleted",
            "group-deleted-leader",
            "group-deleted-notice",
            "group-not-found",
            "settings-btn-feed",
            "feed-screen",
            "feed-no-public-url",
            "feed-btn-regenerate",
            "feed-regenerate-confirm",
            "feed-btn-regenerate-confirm",
            "feed-btn-regenerate-cancel",
            "feed-regenerated",
        ];
        for locale in Locale::ALL {
            for id in ids {
                let args = Args::new()
                    .user("name", "n")
                    .user("members", "m")
                    .user("timezone", "UTC")
                    .user("time", "12:00")
                    .user("offset", "UTC+0")
                    .num("has_description", 1)
                    .user("description", "d")
                    .user("input", "i")
                    .num("max", 50)
                    .num("length", 51)
                    .user("url", "https://example.org/ics/x.ics");
                let text = locale.text_with(id, &args);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{locale:?} {id}: {text}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn any_group_id_fits(id in any::<u128>()) {
            let action = Action::DeleteConfirm { group: Uuid::from_u128(id) };
            let data = encode(&action);
            prop_assert!(data.len() <= MAX_BYTES);
            prop_assert_eq!(decode::<Action>(&data), Some(action));
        }

        #[test]
        fn decoding_never_panics(data in "1\\|g\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("g", &["s", "r", "d", "dc", "t", "tz", "x", "xy", "f", "fr", "fy"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
