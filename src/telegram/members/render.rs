//! The texts and keyboards of the member list, the member cards, their confirmations and the
//! profile.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::{Action, ProfileAction};
use crate::members::service::{MemberCard, MemberInfo, MemberPage, Profile};
use crate::members::{Membership, Role};
use crate::telegram::callback;
use crate::telegram::escape::html;
use crate::telegram::kit::label;
use crate::telegram::{Args, Locale};

pub fn role_name(locale: Locale, role: Role) -> String {
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

/// A page of the member list: the leader gets a card button per member, the leader and
/// assistants the invitations, the export and an announcement.
pub fn list_screen(locale: Locale, page: &MemberPage) -> (String, InlineKeyboardMarkup) {
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
            let text = format!("{}. {}", page.first_position + i, member.name());
            let card = Action::Card {
                member: member.id,
                page: page.page,
            };
            rows.push(vec![callback::button(button_label(&text), &card)]);
        }
    }
    if page.pages > 1 {
        rows.push(page_buttons(page.page, page.pages));
    }
    if page.viewer.role.can_manage() {
        rows.push(vec![
            label(
                locale,
                "members-btn-invite",
                crate::telegram::invites::Action::Menu,
            ),
            label(locale, "members-btn-export", Action::Export),
        ]);
        rows.push(vec![
            crate::telegram::notifications::announce::compose_button(locale),
        ]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// The one pager (`kit::pager`): «◀️ 2/3 ▶️».
fn page_buttons(page: i64, pages: i64) -> Vec<InlineKeyboardButton> {
    let page = usize::try_from(page).unwrap_or(0);
    let pages = usize::try_from(pages).unwrap_or(0);
    crate::telegram::kit::pager(page, pages, |page| Action::Page {
        page: i64::from(page),
    })
    .unwrap_or_default()
}

/// «3. ⭐ Петров Пётр @petrov»
fn member_line(position: usize, member: &MemberInfo) -> String {
    let mut line = format!(
        "{position}. {}{}",
        role_mark(member.role),
        html(&member.name().full())
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
    let joined = member.joined_on(card.timezone);
    let joined = match locale {
        Locale::Ru => joined.format("%d.%m.%Y").to_string(),
        Locale::En => joined.format("%Y-%m-%d").to_string(),
    };
    locale.text_with(
        "members-card",
        &Args::new()
            .user("name", &member.name().full())
            .user("username", &username)
            .user("role", &role_name(locale, member.role))
            .user("joined", &joined),
    )
}

/// A member's card with the leader's actions on them (none on his own card).
pub fn card_screen(locale: Locale, card: &MemberCard, page: i64) -> (String, InlineKeyboardMarkup) {
    let mut text = card_text(locale, card);
    let member = card.member.id;
    let mut rows = Vec::new();
    if card.is_self {
        text.push_str("\n\n");
        text.push_str(&locale.text("members-card-self"));
    } else {
        let role_button = match card.member.role {
            Role::Assistant => label(
                locale,
                "members-btn-revoke",
                Action::Revoke { member, page },
            ),
            _ => label(
                locale,
                "members-btn-appoint",
                Action::Appoint { member, page },
            ),
        };
        rows.push(vec![role_button]);
        rows.push(vec![label(
            locale,
            "members-btn-transfer",
            Action::Transfer { member, page },
        )]);
        rows.push(vec![label(
            locale,
            "members-btn-remove",
            Action::Remove { member, page },
        )]);
        rows.push(vec![label(
            locale,
            "timetable-btn-member-subgroup",
            crate::telegram::timetable::Action::MemberSubgroup { member },
        )]);
    }
    rows.push(vec![label(
        locale,
        "members-btn-back",
        Action::Page { page },
    )]);
    (text, InlineKeyboardMarkup::new(rows))
}

/// «Удалить …?» or «Передать роль старосты …?», with «Да» and «Нет, назад».
pub fn confirm_screen(
    locale: Locale,
    card: &MemberCard,
    page: i64,
    transfer: bool,
) -> (String, InlineKeyboardMarkup) {
    let member = card.member.id;
    let args = Args::new()
        .user("name", &card.member.name().full())
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
        vec![label(locale, yes, action)],
        vec![label(
            locale,
            "members-btn-no",
            Action::Card { member, page },
        )],
    ];
    (text, InlineKeyboardMarkup::new(rows))
}

/// The profile: name, language, group and role, with its buttons.
pub fn profile_screen(locale: Locale, profile: &Profile) -> (String, InlineKeyboardMarkup) {
    let name_id = if profile.has_full_name {
        "profile-name"
    } else {
        "profile-name-from-telegram"
    };
    let name = locale.text_with(name_id, &Args::new().user("name", &profile.full_name));
    let group = match &profile.membership {
        Some(membership) => locale.text_with(
            "profile-group",
            &Args::new()
                .user("group", &membership.group_name)
                .user("role", &role_name(locale, membership.role)),
        ),
        None => locale.text("profile-no-group"),
    };
    let language = locale.text_with(
        "profile-language",
        &Args::new().user("language", &locale.text("profile-language-name")),
    );
    let title = locale.text("profile-title");
    let text = format!("{title}\n\n{name}\n{language}\n{group}");
    let languages = Locale::ALL
        .into_iter()
        .map(|l| {
            let name = l.text("profile-language-name");
            let name = if l == locale {
                format!("✅ {name}")
            } else {
                name
            };
            callback::button(name, &ProfileAction::Language { locale: l })
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = vec![
        vec![label(locale, "profile-btn-fio", ProfileAction::EditFio)],
        languages,
        vec![label(
            locale,
            "notify-btn-open",
            crate::telegram::notifications::action::NotifyAction::Show,
        )],
    ];
    if profile.membership.is_some() {
        rows.push(vec![label(
            locale,
            "timetable-btn-member-subgroup",
            crate::telegram::timetable::Action::ProfileSubgroups,
        )]);
        rows.push(vec![label(
            locale,
            "profile-btn-leave",
            ProfileAction::Leave,
        )]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// «◀️ Назад» to the profile.
pub fn back_to_profile(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[label(locale, "profile-btn-back", ProfileAction::Show)]])
}

/// «Покинуть группу …?», with «Да» and «Назад».
pub fn leave_confirmation(
    locale: Locale,
    membership: &Membership,
) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "profile-confirm-leave",
        &Args::new().user("group", &membership.group_name),
    );
    let keyboard = InlineKeyboardMarkup::new([
        [label(
            locale,
            "profile-btn-confirm-leave",
            ProfileAction::LeaveConfirmed,
        )],
        [label(locale, "profile-btn-back", ProfileAction::Show)],
    ]);
    (text, keyboard)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

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
}
