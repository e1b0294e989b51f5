//! The interface language a person reads the bot in.

use serde::{Deserialize, Serialize};

use crate::storage::entities::users;

/// The interface language of one user (Russian unless they chose English or their Telegram
/// client speaks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Ru,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Ru, Language::En];

    /// The user's explicit choice wins; otherwise English for English-speaking Telegram
    /// clients, Russian for everyone else.
    pub fn resolve(chosen: Option<&str>, telegram_language: Option<&str>) -> Self {
        match chosen.or(telegram_language) {
            Some(code) if code.to_ascii_lowercase().starts_with("en") => Language::En,
            _ => Language::Ru,
        }
    }

    /// The language of a stored user: their choice, else their Telegram client's language.
    pub fn of_user(user: &users::Model) -> Self {
        Self::resolve(user.language.as_deref(), user.telegram_language.as_deref())
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_wins_then_the_telegram_client() {
        assert_eq!(Language::resolve(None, Some("en-US")), Language::En);
        assert_eq!(Language::resolve(None, Some("ru")), Language::Ru);
        assert_eq!(Language::resolve(None, Some("de")), Language::Ru);
        assert_eq!(Language::resolve(Some("ru"), Some("en")), Language::Ru);
        assert_eq!(Language::resolve(None, None), Language::Ru);
    }
}
