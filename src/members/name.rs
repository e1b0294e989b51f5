//! How a person is named everywhere: «Фамилия Имя Отчество» — the ФИО once they entered it,
//! else their Telegram names (last name first, no patronymic).

use crate::storage::entities::users;

/// A person's name parts, borrowed from wherever they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonName<'a> {
    last: Option<&'a str>,
    first: &'a str,
    middle: Option<&'a str>,
}

impl<'a> PersonName<'a> {
    pub fn new(last: Option<&'a str>, first: &'a str, middle: Option<&'a str>) -> Self {
        Self {
            last,
            first,
            middle,
        }
    }

    /// A stored user's name: the patronymic only counts once they entered their ФИО.
    pub fn of(user: &'a users::Model) -> Self {
        Self::new(
            user.last_name.as_deref(),
            &user.first_name,
            user.middle_name.as_deref().filter(|_| user.has_full_name),
        )
    }

    /// «Фамилия Имя Отчество» from the parts there are: lists, cards, exports, the log.
    pub fn full(&self) -> String {
        joined([self.last, Some(self.first), self.middle])
    }

    /// «Имя Фамилия», as Telegram shows a person: in a message about them to others.
    pub fn informal(&self) -> String {
        joined([Some(self.first), self.last])
    }
}

/// The parts there are, trimmed, with single spaces.
fn joined<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl std::fmt::Display for PersonName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_first_middle_from_the_parts_there_are() {
        assert_eq!(
            PersonName::new(Some("Иванов"), "Иван", Some("Иванович")).full(),
            "Иванов Иван Иванович"
        );
        assert_eq!(PersonName::new(None, "Ivan", None).full(), "Ivan");
        assert_eq!(
            PersonName::new(Some(" "), " Ivan ", Some("")).full(),
            "Ivan"
        );
        assert_eq!(
            PersonName::new(Some("Иванов"), "Иван", Some("Иванович")).informal(),
            "Иван Иванов"
        );
        assert_eq!(PersonName::new(Some(""), "Ivan", None).informal(), "Ivan");
    }
}
