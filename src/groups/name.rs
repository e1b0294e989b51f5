//! `GroupName`: the validated name of a study group.

use std::fmt;

/// A group name: trimmed, 1–50 characters, no control characters. Markup is allowed and kept
/// verbatim (it is escaped whenever the name is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupNameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name has {length} characters, more than {max}")]
    TooLong { length: usize, max: usize },
    #[error("the name contains control characters")]
    ControlCharacters,
}

impl GroupName {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, GroupNameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(GroupNameError::Empty);
        }
        if name.chars().any(char::is_control) {
            return Err(GroupNameError::ControlCharacters);
        }
        let length = name.chars().count();
        if length > Self::MAX_CHARS {
            return Err(GroupNameError::TooLong {
                length,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_names_and_trims() {
        assert_eq!(
            GroupName::parse("  ИВТ-21 ").map(|n| n.0),
            Ok("ИВТ-21".into())
        );
        assert_eq!(GroupName::parse("<b>&").map(|n| n.0), Ok("<b>&".into()));
        assert!(GroupName::parse(&"я".repeat(50)).is_ok());
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert_eq!(GroupName::parse(""), Err(GroupNameError::Empty));
        assert_eq!(GroupName::parse(" \t\n "), Err(GroupNameError::Empty));
        assert_eq!(
            GroupName::parse(&"я".repeat(51)),
            Err(GroupNameError::TooLong {
                length: 51,
                max: 50
            })
        );
        assert_eq!(
            GroupName::parse("a\u{7}b"),
            Err(GroupNameError::ControlCharacters)
        );
        assert_eq!(
            GroupName::parse("a\nb"),
            Err(GroupNameError::ControlCharacters)
        );
    }

    proptest! {
        #[test]
        fn valid_names_are_trimmed_short_and_clean(raw in "\\PC{0,60}") {
            if let Ok(name) = GroupName::parse(&raw) {
                let s = name.as_str();
                prop_assert_eq!(s, s.trim());
                prop_assert!(!s.is_empty());
                prop_assert!(s.chars().count() <= GroupName::MAX_CHARS);
                prop_assert!(!s.chars().any(char::is_control));
            }
        }

        #[test]
        fn any_short_printable_name_is_accepted(raw in "[^\\p{C}\\s][^\\p{C}]{0,48}[^\\p{C}\\s]") {
            prop_assert_eq!(GroupName::parse(&raw).map(|n| n.0), Ok(raw.clone()));
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic_and_idempotently(raw in any::<String>()) {
            if let Ok(name) = GroupName::parse(&raw) {
                let s = name.as_str();
                prop_assert_eq!(s, raw.trim());
                prop_assert!(!s.is_empty() && s.chars().count() <= GroupName::MAX_CHARS);
                prop_assert!(!s.chars().any(char::is_control));
                prop_assert_eq!(GroupName::parse(s), Ok(name.clone()));
            }
        }

        #[test]
        fn a_control_character_inside_is_refused(a in "[a-zа-я]{1,10}", b in "[a-zа-я]{1,10}", c in "[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f\\u{80}-\\u{9f}\\n\\r]") {
            prop_assert_eq!(GroupName::parse(&format!("{a}{c}{b}")), Err(GroupNameError::ControlCharacters));
        }

        #[test]
        fn blank_names_are_refused(raw in "\\s{0,10}") {
            prop_assert_eq!(GroupName::parse(&raw), Err(GroupNameError::Empty));
        }
    }
}
