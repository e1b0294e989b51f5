//! The Telegram side of invitations: `/invite` and its inline screens (create a link, list and
//! revoke active links), and joining — by a deep link `/start <token>` or by «🔗 Присоединиться
//! по ссылке» and pasting the link or token.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use crate::invites::service::{self, Invite, InviteError, Joined, Validity};
use crate::invites::token::InviteToken;
use crate::members::{Membership, Role};
use crate::notifications::{Kind, Notice, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common, keyboards, send,
};

/// At most this many active links are listed (each with its own «Отозвать» button).
const MAX_LISTED: usize = 20;
/// Characters of the token shown in the short form of a link.
const SHORT_TOKEN_CHARS: usize = 8;

/// Inline buttons of the invitations screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The invitations screen with the default options (7 days, reusable).
    Menu,
    /// The invitations screen with these options chosen.
    Options {
        validity: Validity,
        single_use: bool,
    },
    /// Create a link with these options.
    Create {
        validity: Validity,
        single_use: bool,
    },
    /// The active links of the group.
    List,
    /// Revoke one link (of the presser's own group — the service checks).
    Revoke { invite: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "i";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Menu => out.tag("m"),
            Action::Options {
                validity,
                single_use,
            } => out
                .tag("o")
                .int(validity.days())
                .int(i64::from(*single_use)),
            Action::Create {
                validity,
                single_use,
            } => out
                .tag("c")
                .int(validity.days())
                .int(i64::from(*single_use)),
            Action::List => out.tag("l"),
            Action::Revoke { invite } => out.tag("r").uuid(*invite),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        fn options(fields: &mut Reader<'_>) -> Option<(Validity, bool)> {
            let validity = Validity::from_days(fields.int(1..=30)?)?;
            let single_use = fields.int(0..=1)? == 1;
            Some((validity, single_use))
        }
        match fields.tag()? {
            "m" => Some(Action::Menu),
            "o" => {
                let (validity, single_use) = options(fields)?;
                Some(Action::Options {
                    validity,
                    single_use,
                })
            }
            "c" => {
                let (validity, single_use) = options(fields)?;
                Some(Action::Create {
                    validity,
                    single_use,
                })
            }
            "l" => Some(Action::List),
            "r" => Some(Action::Revoke {
                invite: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

/// Messages: the pasted link while waiting for one, and «🔗 Присоединиться по ссылке».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| session.dialogue == Dialogue::JoinToken)
                .endpoint(receive_token),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::JoinByLink)
            })
            .endpoint(start_joining),
        )
}

/// Inline buttons with prefix `i`.
pub fn callbacks() -> Branch {
    callback::filter::<Action>().endpoint(on_action)
}

/// `/start <token>`: joining by a deep link. A start parameter that cannot be a token is an
/// unknown invitation as far as the user is concerned.
pub async fn on_start_token(ctx: Ctx, session: Session, token: String) -> HandlerResult {
    match InviteToken::parse_pasted(&token, &ctx.bot_username) {
        Ok(token) => join(ctx, session, token).await,
        Err(_) => {
            let text = InviteError::Unknown.user_message(session.locale)?;
            common::show_menu_with(&ctx, &session, &text).await
        }
    }
}

/// `/invite`: the invitations screen, for the leader and assistants.
pub async fn on_invite_command(ctx: Ctx, session: Session) -> HandlerResult {
    if let Err(refusal) = may_manage(&session) {
        let text = refusal.user_message(session.locale)?;
        return common::show_menu_with(&ctx, &session, &text).await;
    }
    let (text, keyboard) = menu_screen(session.locale, Validity::default(), false);
    screen::show(&ctx, Target::New(session.chat), &text, keyboard).await
}

/// «🔗 Присоединиться по ссылке»: asks for the link (a member of a group is told they are one).
async fn start_joining(ctx: Ctx, session: Session) -> HandlerResult {
    let locale = session.locale;
    if let Some(membership) = &session.membership {
        let refusal = InviteError::AlreadyInGroup {
            group: membership.group_name.clone(),
        };
        let text = refusal.user_message(locale)?;
        return common::show_menu_with(&ctx, &session, &text).await;
    }
    dialogue::save(&ctx.db, session.user_id, &Dialogue::JoinToken).await?;
    let text = locale.text("invite-ask-token");
    let cancel = keyboards::cancel_only(locale);
    send::html(&ctx.bot, session.chat, &text, Some(cancel)).await?;
    Ok(())
}

/// The pasted link or token. Text that is neither is explained and the bot keeps waiting; a
/// token ends the dialogue, whatever the database says about it.
async fn receive_token(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let Some(text) = message.text() else {
        send::html(
            &ctx.bot,
            session.chat,
            &locale.text("invite-not-text"),
            None,
        )
        .await?;
        return Ok(());
    };
    let token = match InviteToken::parse_pasted(text, &ctx.bot_username) {
        Ok(token) => token,
        Err(err) => {
            let explanation = InviteError::from(err).user_message(locale)?;
            send::html(&ctx.bot, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    join(ctx, session, token).await
}

/// Joins by `token` and tells the user (and the leader) how it went.
async fn join(ctx: Ctx, mut session: Session, token: InviteToken) -> HandlerResult {
    let locale = session.locale;
    let member = session.user_id;
    let told = |joined: &Joined| leader_notice(member, joined).into_iter().collect();
    match service::join(&ctx.db, member, &token, ctx.notifier.now(), told).await {
        Ok(joined) => {
            ctx.deliver(&joined.notices).await;
            let text = locale.text_with(
                "invite-joined",
                &Args::new().user("group", &joined.group_name),
            );
            session.membership = Some(Membership {
                group_id: joined.group_id,
                group_name: joined.group_name,
                role: Role::Member,
            });
            common::show_menu_with(&ctx, &session, &text).await?;
            crate::telegram::members::handlers::ask_fio_after_join(ctx, session).await
        }
        Err(err) => {
            if matches!(err, InviteError::AlreadyInGroup { .. }) {
                session.membership =
                    crate::members::service::membership(&ctx.db, session.user_id).await?;
            }
            let text = err.user_message(locale)?;
            common::show_menu_with(&ctx, &session, &text).await
        }
    }
}

/// The group's leader is told who joined, in the leader's language.
fn leader_notice(member: i64, joined: &Joined) -> Option<Notice> {
    let leader = joined.leader_id.filter(|&leader| leader != member)?;
    let note = Text::new("invite-member-joined")
        .user("name", &joined.member_name)
        .user("group", &joined.group_name);
    Some(Notice::new(leader, Kind::Notice, note))
}

/// Every press of an invitations button: answered, and authorised again by the service.
async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let locale = session.locale;
    let target = Target::of_query(&query, session.chat);
    match action {
        Action::Menu => show_menu(&ctx, &session, &query, Validity::default(), false).await,
        Action::Options {
            validity,
            single_use,
        } => show_menu(&ctx, &session, &query, validity, single_use).await,
        Action::Create {
            validity,
            single_use,
        } => match service::create(&ctx.db, session.user_id, validity, single_use).await {
            Ok(invite) => {
                screen::answer(&ctx, &query, None).await?;
                let text = created_text(locale, &ctx.bot_username, &invite, validity);
                send::html(&ctx.bot, session.chat, &text, None).await?;
                Ok(())
            }
            Err(err) => refuse(&ctx, &query, locale, err).await,
        },
        Action::List => match service::list_active(&ctx.db, session.user_id).await {
            Ok(invites) => {
                screen::answer(&ctx, &query, None).await?;
                let (text, keyboard) = list_screen(locale, &ctx.bot_username, &invites);
                screen::show(&ctx, target, &text, keyboard).await
            }
            Err(err) => refuse(&ctx, &query, locale, err).await,
        },
        Action::Revoke { invite } => {
            let listed = match service::revoke(&ctx.db, session.user_id, invite).await {
                Ok(()) => service::list_active(&ctx.db, session.user_id).await,
                Err(err) => Err(err),
            };
            match listed {
                Ok(invites) => {
                    let toast = locale.text("invite-revoke-done");
                    screen::answer(&ctx, &query, Some(&toast)).await?;
                    let (text, keyboard) = list_screen(locale, &ctx.bot_username, &invites);
                    screen::show(&ctx, target, &text, keyboard).await
                }
                Err(err) => refuse(&ctx, &query, locale, err).await,
            }
        }
    }
}

/// The invitations screen, edited into the pressed message.
async fn show_menu(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    validity: Validity,
    single_use: bool,
) -> HandlerResult {
    if let Err(refusal) = may_manage(session) {
        return refuse(ctx, query, session.locale, refusal).await;
    }
    screen::answer(ctx, query, None).await?;
    let (text, keyboard) = menu_screen(session.locale, validity, single_use);
    let target = Target::of_query(query, session.chat);
    screen::show(ctx, target, &text, keyboard).await
}

/// Answers the button with why it was refused; nothing else changes.
async fn refuse(
    ctx: &Ctx,
    query: &CallbackQuery,
    locale: Locale,
    err: InviteError,
) -> HandlerResult {
    let text = err.user_message(locale)?;
    screen::answer(ctx, query, Some(&text)).await
}

/// Whether the session's role (read from the database for this update) may see the
/// invitations screens. Only for showing screens: every change is re-checked by the service.
fn may_manage(session: &Session) -> Result<(), InviteError> {
    use crate::members::service::AccessError;
    match &session.membership {
        None => Err(AccessError::NotInGroup.into()),
        Some(membership) if !membership.role.can_manage() => Err(AccessError::Forbidden.into()),
        Some(_) => Ok(()),
    }
}

fn days_label(locale: Locale, validity: Validity) -> String {
    locale.text_with("invite-days", &Args::new().num("days", validity.days()))
}

/// The invitations screen: validity, the single-use toggle, «Создать ссылку», «Активные ссылки».
fn menu_screen(
    locale: Locale,
    validity: Validity,
    single_use: bool,
) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "invite-menu",
        &Args::new()
            .num("days", validity.days())
            .num("single", i64::from(single_use)),
    );
    let validity_row = Validity::ALL
        .into_iter()
        .map(|choice| {
            let label = days_label(locale, choice);
            let label = if choice == validity {
                format!("✅ {label}")
            } else {
                label
            };
            let action = Action::Options {
                validity: choice,
                single_use,
            };
            callback::button(label, &action)
        })
        .collect::<Vec<_>>();
    let toggle_id = if single_use {
        "invite-btn-single-use-on"
    } else {
        "invite-btn-single-use-off"
    };
    let toggle = Action::Options {
        validity,
        single_use: !single_use,
    };
    let create = Action::Create {
        validity,
        single_use,
    };
    let keyboard = InlineKeyboardMarkup::new([
        validity_row,
        vec![callback::button(locale.text(toggle_id), &toggle)],
        vec![callback::button(locale.text("invite-btn-create"), &create)],
        vec![callback::button(
            locale.text("invite-btn-list"),
            &Action::List,
        )],
    ]);
    (text, keyboard)
}

/// When `invite` expires, in its group's time zone.
fn expiry(invite: &Invite) -> String {
    invite
        .expires_at
        .with_timezone(&invite.timezone)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The message with a new link, easy to copy (inside `<code>`).
fn created_text(locale: Locale, bot_username: &str, invite: &Invite, validity: Validity) -> String {
    let args = Args::new()
        .user("link", &invite.token.link(bot_username))
        .num("days", validity.days())
        .user("until", &expiry(invite))
        .user("timezone", invite.timezone.name())
        .num("single", i64::from(invite.single_use));
    locale.text_with("invite-created", &args)
}

/// The active links, each with its own «Отозвать» button.
fn list_screen(
    locale: Locale,
    bot_username: &str,
    invites: &[Invite],
) -> (String, InlineKeyboardMarkup) {
    let new_link = vec![callback::button(
        locale.text("invite-btn-new-link"),
        &Action::Menu,
    )];
    let Some(first) = invites.first() else {
        let keyboard = InlineKeyboardMarkup::new([new_link]);
        return (locale.text("invite-list-empty"), keyboard);
    };
    let mut lines = vec![
        locale.text_with(
            "invite-list-title",
            &Args::new()
                .num("count", invites.len() as i64)
                .user("timezone", first.timezone.name()),
        ),
    ];
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for (index, invite) in invites.iter().take(MAX_LISTED).enumerate() {
        let number = index as i64 + 1;
        let head: String = invite
            .token
            .as_str()
            .chars()
            .take(SHORT_TOKEN_CHARS)
            .collect();
        let short = format!("t.me/{bot_username}?start={head}…");
        let args = Args::new()
            .num("n", number)
            .user("link", &short)
            .user("until", &expiry(invite))
            .num("single", i64::from(invite.single_use))
            .num("uses", i64::from(invite.use_count));
        lines.push(locale.text_with("invite-list-item", &args));
        let label = locale.text_with("invite-btn-revoke", &Args::new().num("n", number));
        rows.push(vec![callback::button(
            label,
            &Action::Revoke { invite: invite.id },
        )]);
    }
    if invites.len() > MAX_LISTED {
        let more = (invites.len() - MAX_LISTED) as i64;
        lines.push(locale.text_with("invite-list-more", &Args::new().num("count", more)));
    }
    rows.push(new_link);
    (lines.join("\n\n"), InlineKeyboardMarkup::new(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    fn every_action() -> Vec<Action> {
        let mut actions = vec![
            Action::Menu,
            Action::List,
            Action::Revoke {
                invite: Uuid::new_v4(),
            },
            Action::Revoke {
                invite: Uuid::max(),
            },
        ];
        for validity in Validity::ALL {
            for single_use in [false, true] {
                actions.push(Action::Options {
                    validity,
                    single_use,
                });
                actions.push(Action::Create {
                    validity,
                    single_use,
                });
            }
        }
        actions
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is too long");
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
        assert_eq!(encode(&Action::Menu), "1|i|m");
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::Revoke {
            invite: Uuid::new_v4(),
        });
        let uuid_field = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "".to_owned(),
            "1|i".to_owned(),
            "1|i|x".to_owned(),
            "0|i|m".to_owned(),
            "1|m|m".to_owned(),
            "1|i|m|1".to_owned(),
            "1|i|o|2|0".to_owned(),
            "1|i|o|7|2".to_owned(),
            "1|i|o|7".to_owned(),
            "1|i|c|07|0".to_owned(),
            "1|i|c|-7|0".to_owned(),
            "1|i|c|31|1".to_owned(),
            "1|i|c|7|1|1".to_owned(),
            "1|i|r".to_owned(),
            "1|i|r|not-a-uuid".to_owned(),
            format!("1|i|r|{uuid_field}x"),
            format!("1|i|r|{uuid_field}|{uuid_field}"),
            format!("1|i|l|{uuid_field}"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_revoke_round_trips(id in proptest::prelude::any::<u128>()) {
            let action = Action::Revoke { invite: Uuid::from_u128(id) };
            let data = encode(&action);
            proptest::prop_assert!(data.len() <= MAX_BYTES);
            proptest::prop_assert_eq!(decode::<Action>(&data), Some(action));
        }

        #[test]
        fn decoding_never_panics(data in "(1\\|i\\|)?.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    /// The message ids defined in a Fluent file.
    fn ids(ftl: &str) -> Vec<&str> {
        let mut ids: Vec<&str> = ftl
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id))
            .collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn both_locales_define_the_same_invite_texts() {
        let ru = ids(include_str!("../../../locales/ru/invites.ftl"));
        let en = ids(include_str!("../../../locales/en/invites.ftl"));
        assert_eq!(ru, en);
        assert!(ru.iter().all(|id| id.starts_with("invite-")), "{ru:?}");
        for locale in Locale::ALL {
            for id in &ru {
                let args = ["link", "until", "timezone", "bot", "group", "name"]
                    .into_iter()
                    .fold(Args::new(), |args, name| args.user(name, "x"));
                let args = ["days", "single", "count", "n", "uses"]
                    .into_iter()
                    .fold(args, |args, name| args.num(name, 2));
                let text = locale.text_with(id, &args);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{id}: {text}"
                );
            }
        }
    }

    #[test]
    fn every_text_exists_in_both_locales() {
        for locale in Locale::ALL {
            let (menu, _) = menu_screen(locale, Validity::SevenDays, true);
            let (empty, _) = list_screen(locale, "bot", &[]);
            for text in [menu, empty] {
                assert!(!text.contains("Unknown localization"), "{text}");
            }
        }
    }

    fn sample_invite(single_use: bool, use_count: i32) -> Invite {
        use chrono::TimeZone;
        Invite {
            id: Uuid::new_v4(),
            token: InviteToken::parse("AbCdEfGhIjKlMnOpQrStUvWxYz0123-_").unwrap(),
            expires_at: chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap(),
            single_use,
            use_count,
            timezone: chrono_tz::Europe::Moscow,
        }
    }

    #[test]
    fn a_created_link_is_shown_in_full_with_its_expiry_in_the_groups_zone() {
        let invite = sample_invite(false, 0);
        let text = created_text(Locale::Ru, "my_bot", &invite, Validity::SevenDays);
        assert!(
            text.contains(
                "<code>https://t.me/my_bot?start=AbCdEfGhIjKlMnOpQrStUvWxYz0123-_</code>"
            ),
            "{text}"
        );
        assert!(
            text.contains("Действует 7 дней — до 02.12.2026 12:30 (Europe/Moscow)."),
            "{text}"
        );
        assert!(text.contains("Многоразовая"), "{text}");
        let single = sample_invite(true, 0);
        let text = created_text(Locale::En, "my_bot", &single, Validity::OneDay);
        assert!(
            text.contains("Valid for 1 day — until 02.12.2026 12:30"),
            "{text}"
        );
        assert!(text.contains("Single-use"), "{text}");
    }

    #[test]
    fn the_list_shows_short_links_uses_and_a_button_each() {
        let invites = [
            sample_invite(true, 0),
            sample_invite(false, 3),
            sample_invite(false, 5),
        ];
        let (text, keyboard) = list_screen(Locale::Ru, "my_bot", &invites);
        assert!(
            text.starts_with("<b>Активные ссылки-приглашения: 3</b>"),
            "{text}"
        );
        assert!(text.contains("1. t.me/my_bot?start=AbCdEfGh…\nдо 02.12.2026 12:30, одноразовая, еще не использована"), "{text}");
        assert!(text.contains("многоразовая, использована 3 раза"), "{text}");
        assert!(text.contains("использована 5 раз"), "{text}");
        let labels: Vec<&str> = keyboard
            .inline_keyboard
            .iter()
            .flatten()
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "Отозвать №1",
                "Отозвать №2",
                "Отозвать №3",
                "➕ Новая ссылка"
            ]
        );
        let many: Vec<Invite> = (0..MAX_LISTED + 2)
            .map(|_| sample_invite(false, 1))
            .collect();
        let (text, keyboard) = list_screen(Locale::Ru, "my_bot", &many);
        assert!(text.contains("…и еще 2 ссылки."), "{text}");
        assert_eq!(keyboard.inline_keyboard.len(), MAX_LISTED + 1);
        let (text, _) = list_screen(Locale::En, "my_bot", &invites[1..2]);
        assert!(text.contains("reusable, used 3 times"), "{text}");
    }

    #[test]
    fn russian_day_counts_agree() {
        assert_eq!(days_label(Locale::Ru, Validity::OneDay), "1 день");
        assert_eq!(days_label(Locale::Ru, Validity::SevenDays), "7 дней");
        assert_eq!(days_label(Locale::Ru, Validity::ThirtyDays), "30 дней");
        assert_eq!(days_label(Locale::En, Validity::OneDay), "1 day");
        assert_eq!(days_label(Locale::En, Validity::ThirtyDays), "30 days");
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("i", &["m", "o", "c", "l", "r"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
