//! Reply keyboards of the main menu, by role, and the buttons' texts in every locale.

use teloxide::types::{KeyboardButton, KeyboardMarkup, ReplyMarkup};

use super::texts::Locale;
use crate::members::{Membership, Role};

/// A button of a reply keyboard. Its text is part of the stable interface (the Russian texts
/// quoted in the specification); a press is recognised in any locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuButton {
    CreateGroup,
    JoinByLink,
    Events,
    Timetable,
    /// «📚 Домашка»: the tasks due today and later.
    Homework,
    /// «🙋 Мои очереди и темы»: one's places at a glance.
    MyPlaces,
    Members,
    Settings,
    Profile,
    Cancel,
}

impl MenuButton {
    const ALL: [MenuButton; 10] = [
        MenuButton::CreateGroup,
        MenuButton::JoinByLink,
        MenuButton::Events,
        MenuButton::Timetable,
        MenuButton::Homework,
        MenuButton::MyPlaces,
        MenuButton::Members,
        MenuButton::Settings,
        MenuButton::Profile,
        MenuButton::Cancel,
    ];

    fn text_id(self) -> &'static str {
        match self {
            MenuButton::CreateGroup => "btn-create-group",
            MenuButton::JoinByLink => "btn-join-by-link",
            MenuButton::Events => "btn-events",
            MenuButton::Timetable => "btn-timetable",
            MenuButton::Homework => "btn-homework",
            MenuButton::MyPlaces => "btn-my-places",
            MenuButton::Members => "btn-members",
            MenuButton::Settings => "btn-settings",
            MenuButton::Profile => "btn-profile",
            MenuButton::Cancel => "btn-cancel",
        }
    }

    pub fn text(self, locale: Locale) -> String {
        locale.text(self.text_id())
    }

    /// The button whose text (in any locale) is `text`. The events entry may carry the count of
    /// new events after its text (`📅 События и Бронь 🆕3`): keyboards sent before the count
    /// left the menu are still on phones.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let find = |text: &str| {
            Self::ALL
                .into_iter()
                .find(|button| Locale::ALL.iter().any(|&l| button.text(l) == text))
        };
        find(text).or_else(|| {
            let (entry, count) = text.rsplit_once(" 🆕")?;
            let is_count = !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit());
            (is_count && find(entry) == Some(MenuButton::Events)).then_some(MenuButton::Events)
        })
    }
}

fn keyboard(locale: Locale, rows: &[&[MenuButton]]) -> ReplyMarkup {
    let rows = rows.iter().map(|row| {
        row.iter()
            .map(|&button| KeyboardButton::new(button.text(locale)))
            .collect::<Vec<_>>()
    });
    ReplyMarkup::Keyboard(KeyboardMarkup::new(rows).resize_keyboard().persistent())
}

/// The main menu for a user with this membership. Its labels never change with the data: a
/// reply keyboard cannot be edited, so a count on it would go stale (how many events are new
/// is the events screen's heading, rendered whenever it is shown).
pub fn main_menu(locale: Locale, membership: Option<&Membership>) -> ReplyMarkup {
    use MenuButton::*;
    match membership.map(|m| m.role) {
        None => keyboard(locale, &[&[CreateGroup], &[JoinByLink]]),
        Some(Role::Leader) => keyboard(
            locale,
            &[
                &[Events, Timetable],
                &[Homework, MyPlaces],
                &[Members, Settings],
                &[Profile],
            ],
        ),
        Some(Role::Assistant | Role::Member) => {
            let rows: &[&[MenuButton]] = &[
                &[Events, Timetable],
                &[Homework, MyPlaces],
                &[Members, Profile],
            ];
            keyboard(locale, rows)
        }
    }
}

/// Shown while a dialogue waits for typed input.
pub fn cancel_only(locale: Locale) -> ReplyMarkup {
    keyboard(locale, &[&[MenuButton::Cancel]])
}

/// The labels of an inline keyboard's buttons, row after row (for tests).
#[cfg(test)]
pub(crate) fn labels(keyboard: &teloxide::types::InlineKeyboardMarkup) -> Vec<&str> {
    let buttons = keyboard.inline_keyboard.iter().flatten();
    buttons.map(|button| button.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_are_recognised_in_both_locales() {
        assert_eq!(
            MenuButton::parse("🚀 Создать группу"),
            Some(MenuButton::CreateGroup)
        );
        assert_eq!(
            MenuButton::parse("🚀 Create a group"),
            Some(MenuButton::CreateGroup)
        );
        assert_eq!(
            MenuButton::parse("📅 События и Бронь"),
            Some(MenuButton::Events)
        );
        assert_eq!(MenuButton::parse("Создать группу"), None);
        assert_eq!(
            MenuButton::parse("📅 События и Бронь 🆕12"),
            Some(MenuButton::Events)
        );
        assert_eq!(
            MenuButton::parse("📅 Events and booking 🆕1"),
            Some(MenuButton::Events)
        );
        assert_eq!(MenuButton::parse("📅 События и Бронь 🆕"), None);
        assert_eq!(MenuButton::parse("👤 Профиль 🆕2"), None);
    }

    #[test]
    fn stable_russian_texts() {
        let ru = |b: MenuButton| b.text(Locale::Ru);
        assert_eq!(ru(MenuButton::CreateGroup), "🚀 Создать группу");
        assert_eq!(ru(MenuButton::JoinByLink), "🔗 Присоединиться по ссылке");
        assert_eq!(ru(MenuButton::Events), "📅 События и Бронь");
        assert_eq!(ru(MenuButton::Members), "👥 Участники группы");
        assert_eq!(ru(MenuButton::Settings), "⚙️ Настройки группы");
        assert_eq!(ru(MenuButton::Profile), "👤 Профиль");
        assert_eq!(ru(MenuButton::Timetable), "🗓 Расписание");
    }
}
