//! The Telegram side of members: the member list «👥 Участники группы», member cards and the
//! leader's actions on them, the CSV export. The profile lives in [`super::profile`].

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ParseMode};
use uuid::Uuid;

use super::profile;
use crate::members::csv::Csv;
use crate::members::service::{
    self, MemberCard, MemberChange, MemberError, MemberInfo, MemberPage,
};
use crate::members::{Membership, Role};
use crate::notifications::{Kind, Note, Notice, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer};
use crate::telegram::errors::UserFacing;
use crate::telegram::escape::html;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, Dialogue, HandlerResult, Locale, MenuButton, Session, common, keyboards,
    send,
};

/// Inline buttons of the member list and member cards. Every action names the list page to
/// return to; member ids are membership ids (`groupmembers.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A page of the member list.
    Page {
        page: i64,
    },
    /// A member's card (leader).
    Card {
        member: Uuid,
        page: i64,
    },
    Appoint {
        member: Uuid,
        page: i64,
    },
    Revoke {
        member: Uuid,
        page: i64,
    },
    /// Asks to confirm the removal.
    Remove {
        member: Uuid,
        page: i64,
    },
    RemoveConfirmed {
        member: Uuid,
        page: i64,
    },
    /// Asks to confirm the transfer of leadership.
    Transfer {
        member: Uuid,
        page: i64,
    },
    TransferConfirmed {
        member: Uuid,
        page: i64,
    },
    /// The member list as a CSV document (leader, assistants).
    Export,
}

/// The highest page number a button may carry.
const MAX_PAGE: i64 = 1000;

impl CallbackAction for Action {
    const PREFIX: &'static str = "m";

    fn write(&self, out: &mut Writer) {
        let (tag, member, page) = match self {
            Action::Page { page } => {
                out.tag("p").int(*page);
                return;
            }
            Action::Export => {
                out.tag("e");
                return;
            }
            Action::Card { member, page } => ("c", member, page),
            Action::Appoint { member, page } => ("a", member, page),
            Action::Revoke { member, page } => ("r", member, page),
            Action::Remove { member, page } => ("d", member, page),
            Action::RemoveConfirmed { member, page } => ("dy", member, page),
            Action::Transfer { member, page } => ("t", member, page),
            Action::TransferConfirmed { member, page } => ("ty", member, page),
        };
        out.tag(tag).uuid(*member).int(*page);
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let tag = fields.tag()?;
        let on_member: fn(Uuid, i64) -> Action = match tag {
            "p" => {
                return Some(Action::Page {
                    page: fields.int(0..=MAX_PAGE)?,
                });
            }
            "e" => return Some(Action::Export),
            "c" => |member, page| Action::Card { member, page },
            "a" => |member, page| Action::Appoint { member, page },
            "r" => |member, page| Action::Revoke { member, page },
            "d" => |member, page| Action::Remove { member, page },
            "dy" => |member, page| Action::RemoveConfirmed { member, page },
            "t" => |member, page| Action::Transfer { member, page },
            "ty" => |member, page| Action::TransferConfirmed { member, page },
            _ => return None,
        };
        let member = fields.uuid()?;
        let page = fields.int(0..=MAX_PAGE)?;
        Some(on_member(member, page))
    }
}

/// Messages: «👥 Участники группы», «👤 Профиль», the ФИО step.
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter(|session: Session| matches!(session.dialogue, Dialogue::Fio { .. }))
                .endpoint(profile::receive_fio),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::Members)
            })
            .endpoint(on_members_button),
        )
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::Profile)
            })
            .endpoint(profile::on_profile_button),
        )
}

/// Inline buttons with prefix `m` (members) and `p` (profile).
pub fn callbacks() -> Branch {
    dptree::entry()
        .branch(callback::filter::<Action>().endpoint(on_action))
        .branch(callback::filter::<profile::ProfileAction>().endpoint(profile::on_action))
}

/// `/profile`.
pub async fn on_profile_command(ctx: Ctx, session: Session) -> HandlerResult {
    profile::show_new(&ctx, &session).await
}

/// Right after joining a group, once the joining flow has shown the member menu: asks once for
/// the ФИО (skippable: «Пропустить» or /skip), unless it was entered before.
pub async fn ask_fio_after_join(ctx: Ctx, session: Session) -> HandlerResult {
    profile::ask_after_join(ctx, session).await
}

/// «👥 Участники группы»: the first page of the list, as a new message.
async fn on_members_button(ctx: Ctx, session: Session) -> HandlerResult {
    match service::list(&ctx.db, session.user_id, 0).await {
        Ok(page) => {
            let (text, keyboard) = list_screen(session.locale, &page);
            screen::show(&ctx, Target::New(session.chat), &text, keyboard).await
        }
        Err(err) => {
            let text = err.user_message(session.locale)?;
            common::show_menu_with(&ctx, &session, &text).await
        }
    }
}

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let locale = session.locale;
    let target = Target::of_query(&query, session.chat);
    let actor = session.user_id;
    match action {
        Action::Page { page } => match service::list(&ctx.db, actor, page).await {
            Ok(page) => {
                screen::answer(&ctx, &query, None).await?;
                let (text, keyboard) = list_screen(locale, &page);
                screen::show(&ctx, target, &text, keyboard).await
            }
            Err(err) => refuse(&ctx, &session, &query, target, err, page).await,
        },
        Action::Card { member, page } => show_card(&ctx, &session, &query, member, page).await,
        Action::Remove { member, page } | Action::Transfer { member, page } => {
            let card = match service::card(&ctx.db, actor, member).await {
                Ok(card) if card.is_self => Err(MemberError::SelfAction),
                other => other,
            };
            let card = match card {
                Ok(card) => card,
                Err(err) => return refuse(&ctx, &session, &query, target, err, page).await,
            };
            screen::answer(&ctx, &query, None).await?;
            let transfer = matches!(action, Action::Transfer { .. });
            let (text, keyboard) = confirm_screen(locale, &card, page, transfer);
            screen::show(&ctx, target, &text, keyboard).await
        }
        Action::Appoint { member, page } | Action::Revoke { member, page } => {
            let appoint = matches!(action, Action::Appoint { .. });
            let now = ctx.notifier.now();
            let changed = if appoint {
                let told = |c: &MemberChange| vec![tell(c, "members-notify-appointed", false)];
                service::appoint_assistant(&ctx.db, actor, member, now, told).await
            } else {
                let told = |c: &MemberChange| vec![tell(c, "members-notify-revoked", false)];
                service::revoke_assistant(&ctx.db, actor, member, now, told).await
            };
            let change = match changed {
                Ok(change) => change,
                Err(err) => return refuse(&ctx, &session, &query, target, err, page).await,
            };
            let toast = locale.text(if appoint {
                "members-appointed"
            } else {
                "members-revoked"
            });
            screen::answer(&ctx, &query, Some(&toast)).await?;
            ctx.deliver(&change.notices).await;
            refresh_card(&ctx, &session, target, member, page).await
        }
        Action::RemoveConfirmed { member, page } => {
            // The removed student gets the menu of someone in no group.
            let told = |c: &MemberChange| vec![tell(c, "members-notify-removed", true)];
            let now = ctx.notifier.now();
            let change = match service::remove_member(&ctx.db, actor, member, now, told).await {
                Ok(change) => change,
                Err(err) => return refuse(&ctx, &session, &query, target, err, page).await,
            };
            let toast = locale.text_with(
                "members-removed",
                &Args::new().user("name", &change.member.full_name()),
            );
            screen::answer(&ctx, &query, Some(&toast_text(&toast))).await?;
            ctx.deliver(&change.notices).await;
            show_list_or_refusal(&ctx, &session, target, page).await
        }
        Action::TransferConfirmed { member, page } => {
            // The new leader: told, with the leader's keyboard.
            let told = |c: &MemberChange| {
                let note = Text::new("members-notify-leader")
                    .user("group", &c.group_name)
                    .user("name", &c.actor_name);
                vec![Notice::new(
                    c.member.user_id,
                    Kind::Notice,
                    Note::new(note).with_menu(),
                )]
            };
            let now = ctx.notifier.now();
            let change = match service::transfer_leadership(&ctx.db, actor, member, now, told).await
            {
                Ok(change) => change,
                Err(err) => return refuse(&ctx, &session, &query, target, err, page).await,
            };
            screen::answer(&ctx, &query, None).await?;
            show_list_or_refusal(&ctx, &session, target, page).await?;
            let as_role = |role| Membership {
                group_id: change.group_id,
                group_name: change.group_name.clone(),
                role,
            };
            // The former leader, now an assistant: their new keyboard.
            let text = locale.text_with(
                "members-transferred",
                &Args::new()
                    .user("name", &change.member.full_name())
                    .user("group", &change.group_name),
            );
            let menu = keyboards::main_menu(locale, Some(&as_role(Role::Assistant)));
            send::html(&ctx.bot, session.chat, &text, Some(menu)).await?;
            ctx.deliver(&change.notices).await;
            Ok(())
        }
        Action::Export => export(&ctx, &session, &query).await,
    }
}

/// A refused action: a short toast; when the member is gone, the list is shown again.
async fn refuse(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    target: Target,
    err: MemberError,
    page: i64,
) -> HandlerResult {
    let refresh = matches!(err, MemberError::NotFound);
    let text = err.user_message(session.locale)?;
    screen::answer(ctx, query, Some(&toast_text(&text))).await?;
    if refresh {
        show_list_or_refusal(ctx, session, target, page).await?;
    }
    Ok(())
}

/// Shows the list at `page` after an answered callback; a refusal only tells why in a message.
async fn show_list_or_refusal(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    page: i64,
) -> HandlerResult {
    match service::list(&ctx.db, session.user_id, page).await {
        Ok(page) => {
            let (text, keyboard) = list_screen(session.locale, &page);
            screen::show(ctx, target, &text, keyboard).await
        }
        Err(err) => {
            let text = err.user_message(session.locale)?;
            send::html(&ctx.bot, session.chat, &text, None).await?;
            Ok(())
        }
    }
}

async fn show_card(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    member: Uuid,
    page: i64,
) -> HandlerResult {
    let target = Target::of_query(query, session.chat);
    match service::card(&ctx.db, session.user_id, member).await {
        Ok(card) => {
            screen::answer(ctx, query, None).await?;
            let (text, keyboard) = card_screen(session.locale, &card, page);
            screen::show(ctx, target, &text, keyboard).await
        }
        Err(err) => refuse(ctx, session, query, target, err, page).await,
    }
}

/// The card again after a change (the callback is already answered).
async fn refresh_card(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    member: Uuid,
    page: i64,
) -> HandlerResult {
    match service::card(&ctx.db, session.user_id, member).await {
        Ok(card) => {
            let (text, keyboard) = card_screen(session.locale, &card, page);
            screen::show(ctx, target, &text, keyboard).await
        }
        Err(_) => {
            let page = service::list(&ctx.db, session.user_id, page).await;
            match page {
                Ok(page) => {
                    let (text, keyboard) = list_screen(session.locale, &page);
                    screen::show(ctx, target, &text, keyboard).await
                }
                Err(err) => {
                    let text = err.user_message(session.locale)?;
                    send::html(&ctx.bot, session.chat, &text, None).await?;
                    Ok(())
                }
            }
        }
    }
}

/// A notice to the member a change concerns: the message `id` about their group, with their
/// main menu as it is when sent if `menu`.
fn tell(change: &MemberChange, id: &'static str, menu: bool) -> Notice {
    let note = Note::new(Text::new(id).user("group", &change.group_name));
    let note = if menu { note.with_menu() } else { note };
    Notice::new(change.member.user_id, Kind::Notice, note)
}

/// The CSV export: ФИО, username, role, date joined (in the group's time zone).
async fn export(ctx: &Ctx, session: &Session, query: &CallbackQuery) -> HandlerResult {
    let locale = session.locale;
    let roster = match service::roster(&ctx.db, session.user_id).await {
        Ok(roster) => roster,
        Err(err) => {
            let text = err.user_message(locale)?;
            return screen::answer(ctx, query, Some(&toast_text(&text))).await;
        }
    };
    screen::answer(ctx, query, None).await?;
    let mut csv = Csv::new();
    csv.row([
        locale.text("members-csv-name"),
        locale.text("members-csv-username"),
        locale.text("members-csv-role"),
        locale.text("members-csv-joined"),
    ]);
    for member in &roster.members {
        let joined = service::local_date(member.joined_at, &roster.timezone);
        csv.row([
            member.full_name(),
            member.username.clone().unwrap_or_default(),
            role_name(locale, member.role),
            joined.format("%Y-%m-%d").to_string(),
        ]);
    }
    let bytes = csv.into_bytes();
    let file_name = format!("members-{}.csv", file_safe(&roster.group_name));
    let caption = locale.text_with(
        "members-export-caption",
        &Args::new()
            .user("group", &roster.group_name)
            .num("count", roster.members.len() as i64),
    );
    send::with_retries(|| {
        ctx.bot
            .send_document(
                session.chat,
                InputFile::memory(bytes.clone()).file_name(file_name.clone()),
            )
            .caption(caption.clone())
            .parse_mode(ParseMode::Html)
            .send()
    })
    .await?;
    Ok(())
}

/// Letters, digits, `-` and `_` of a group name, for a file name.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if safe.is_empty() {
        "group".to_owned()
    } else {
        safe
    }
}

pub(super) fn role_name(locale: Locale, role: Role) -> String {
    locale.text(match role {
        Role::Leader => "members-role-leader",
        Role::Assistant => "members-role-assistant",
        Role::Member => "members-role-member",
    })
}

fn role_mark(role: Role) -> &'static str {
    match role {
        Role::Leader => "👑 ",
        Role::Assistant => "⭐ ",
        Role::Member => "",
    }
}

/// A callback toast from one of our texts: plain text (the entities escaping put into user
/// arguments are turned back) within Telegram's 200 characters.
fn toast_text(text: &str) -> String {
    const MAX: usize = 200;
    let plain = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    if plain.chars().count() <= MAX {
        plain
    } else {
        let mut cut: String = plain.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

/// Button texts are plain and short.
fn button_label(text: &str) -> String {
    const MAX: usize = 48;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

fn list_screen(locale: Locale, page: &MemberPage) -> (String, InlineKeyboardMarkup) {
    let header = locale.text_with(
        "members-header",
        &Args::new()
            .user("group", &page.group_name)
            .num("count", page.total as i64),
    );
    let lines: Vec<String> = page
        .members
        .iter()
        .enumerate()
        .map(|(i, member)| member_line(page.first_position + i, member))
        .collect();
    let mut sections = vec![header, lines.join("\n")];
    if page.pages > 1 {
        sections.push(
            locale.text_with(
                "members-page",
                &Args::new()
                    .num("page", page.page + 1)
                    .num("pages", page.pages),
            ),
        );
    }
    let leader = page.viewer.role.is_leader();
    if leader {
        sections.push(locale.text("members-hint-leader"));
    }
    let text = sections.join("\n\n");

    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if leader {
        for (i, member) in page.members.iter().enumerate() {
            let label = format!("{}. {}", page.first_position + i, member.full_name());
            rows.push(vec![callback::button(
                button_label(&label),
                &Action::Card {
                    member: member.id,
                    page: page.page,
                },
            )]);
        }
    }
    if page.pages > 1 {
        let mut nav = Vec::new();
        if page.page > 0 {
            nav.push(callback::button(
                "◀️",
                &Action::Page {
                    page: page.page - 1,
                },
            ));
        }
        nav.push(callback::button(
            format!("{}/{}", page.page + 1, page.pages),
            &Action::Page { page: page.page },
        ));
        if page.page + 1 < page.pages {
            nav.push(callback::button(
                "▶️",
                &Action::Page {
                    page: page.page + 1,
                },
            ));
        }
        rows.push(nav);
    }
    if page.viewer.role.can_manage() {
        rows.push(vec![
            callback::button(
                locale.text("members-btn-invite"),
                &crate::telegram::invites::Action::Menu,
            ),
            callback::button(locale.text("members-btn-export"), &Action::Export),
        ]);
        rows.push(vec![
            crate::telegram::notifications::announce::compose_button(locale),
        ]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// «3. ⭐ Петров Пётр @petrov»
fn member_line(position: usize, member: &MemberInfo) -> String {
    let mut line = format!(
        "{position}. {}{}",
        role_mark(member.role),
        html(&member.full_name())
    );
    if let Some(username) = &member.username {
        line.push_str(" @");
        line.push_str(&html(username));
    }
    line
}

fn card_text(locale: Locale, card: &MemberCard) -> String {
    let member = &card.member;
    let username = match &member.username {
        Some(username) => format!("@{username}"),
        None => locale.text("members-no-username"),
    };
    let joined = service::local_date(member.joined_at, &card.timezone);
    let joined = match locale {
        Locale::Ru => joined.format("%d.%m.%Y").to_string(),
        Locale::En => joined.format("%Y-%m-%d").to_string(),
    };
    locale.text_with(
        "members-card",
        &Args::new()
            .user("name", &member.full_name())
            .user("username", &username)
            .user("role", &role_name(locale, member.role))
            .user("joined", &joined),
    )
}

fn card_screen(locale: Locale, card: &MemberCard, page: i64) -> (String, InlineKeyboardMarkup) {
    let mut text = card_text(locale, card);
    let member = card.member.id;
    let mut rows = Vec::new();
    if card.is_self {
        text.push_str("\n\n");
        text.push_str(&locale.text("members-card-self"));
    } else {
        let role_button = match card.member.role {
            Role::Assistant => callback::button(
                locale.text("members-btn-revoke"),
                &Action::Revoke { member, page },
            ),
            _ => callback::button(
                locale.text("members-btn-appoint"),
                &Action::Appoint { member, page },
            ),
        };
        rows.push(vec![role_button]);
        rows.push(vec![callback::button(
            locale.text("members-btn-transfer"),
            &Action::Transfer { member, page },
        )]);
        rows.push(vec![callback::button(
            locale.text("members-btn-remove"),
            &Action::Remove { member, page },
        )]);
    }
    rows.push(vec![callback::button(
        locale.text("members-btn-back"),
        &Action::Page { page },
    )]);
    (text, InlineKeyboardMarkup::new(rows))
}

fn confirm_screen(
    locale: Locale,
    card: &MemberCard,
    page: i64,
    transfer: bool,
) -> (String, InlineKeyboardMarkup) {
    let member = card.member.id;
    let args = Args::new()
        .user("name", &card.member.full_name())
        .user("group", &card.group_name);
    let (question, yes, action) = if transfer {
        (
            "members-confirm-transfer",
            "members-btn-confirm-transfer",
            Action::TransferConfirmed { member, page },
        )
    } else {
        (
            "members-confirm-remove",
            "members-btn-confirm-remove",
            Action::RemoveConfirmed { member, page },
        )
    };
    let text = locale.text_with(question, &args);
    let rows = vec![
        vec![callback::button(locale.text(yes), &action)],
        vec![callback::button(
            locale.text("members-btn-no"),
            &Action::Card { member, page },
        )],
    ];
    (text, InlineKeyboardMarkup::new(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};
    use proptest::prelude::*;

    fn every_action(member: Uuid, page: i64) -> Vec<Action> {
        vec![
            Action::Page { page },
            Action::Card { member, page },
            Action::Appoint { member, page },
            Action::Revoke { member, page },
            Action::Remove { member, page },
            Action::RemoveConfirmed { member, page },
            Action::Transfer { member, page },
            Action::TransferConfirmed { member, page },
            Action::Export,
        ]
    }

    #[test]
    fn the_page_action_keeps_its_encoding() {
        // Group settings link to the list with this payload.
        assert_eq!(encode(&Action::Page { page: 0 }), "1|m|p|0");
        assert_eq!(encode(&Action::Export), "1|m|e");
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::Card {
            member: Uuid::nil(),
            page: 0,
        });
        let uuid_part = id.split('|').nth(3).unwrap().to_owned();
        for forged in [
            "1|m".to_owned(),
            "1|m|p".to_owned(),
            "1|m|p|-1".to_owned(),
            "1|m|p|1001".to_owned(),
            "1|m|p|1|2".to_owned(),
            "1|m|e|1".to_owned(),
            "1|m|x".to_owned(),
            "1|m|c".to_owned(),
            format!("1|m|c|{uuid_part}"),
            format!("1|m|c|{uuid_part}|"),
            format!("1|m|c|{uuid_part}x|0"),
            "1|m|a|123|0".to_owned(),
            format!("1|p|c|{uuid_part}|0"),
            format!("2|m|c|{uuid_part}|0"),
            format!("1|m|dy|{uuid_part}|0|0"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    #[test]
    fn list_lines_escape_names() {
        let member = MemberInfo {
            id: Uuid::nil(),
            user_id: 1,
            first_name: "<b>Ваня</b>".into(),
            last_name: Some("Иванов".into()),
            middle_name: None,
            username: Some("ivan".into()),
            role: Role::Assistant,
            joined_at: chrono::Utc::now(),
        };
        assert_eq!(
            member_line(3, &member),
            "3. ⭐ Иванов &lt;b&gt;Ваня&lt;/b&gt; @ivan"
        );
    }

    #[test]
    fn toasts_are_plain_and_short() {
        assert_eq!(
            toast_text("Удалён: &lt;b&gt; &amp;lt; &quot;x&quot;"),
            "Удалён: <b> &lt; \"x\""
        );
        let long = toast_text(&"я".repeat(300));
        assert_eq!(long.chars().count(), 200);
        assert!(long.ends_with('…'));
    }

    proptest! {
        #[test]
        fn every_action_round_trips_and_fits(id in any::<u128>(), page in 0i64..=MAX_PAGE) {
            for action in every_action(Uuid::from_u128(id), page) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES, "{} is {} bytes", data, data.len());
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_anything_never_panics(data in "1\\|m\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("m", &["p", "e", "c", "a", "r", "d", "dy", "t", "ty"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
