//! `Description`: the validated description of a study group.

use std::fmt;

/// A group description: trimmed, 1–1000 characters, line breaks allowed, no other control
/// characters. Markup is kept verbatim (escaped whenever it is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptionError {
    #[error("the description is empty")]
    Empty,
    #[error("the description has {length} characters, more than {max}")]
    TooLong { length: usize, max: usize },
    #[error("the description contains control characters")]
    ControlCharacters,
}

impl Description {
    pub const MAX_CHARS: usize = 1000;
    /// Typed instead of a description: remove the description.
    pub const CLEAR: &'static str = "-";

    /// Reads what the user typed: `Ok(None)` for [`Self::CLEAR`] (no description), otherwise
    /// the validated description. Windows line breaks count as plain ones.
    pub fn parse(raw: &str) -> Result<Option<Self>, DescriptionError> {
        let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        let text = normalised.trim();
        if text == Self::CLEAR {
            return Ok(None);
        }
        if text.is_empty() {
            return Err(DescriptionError::Empty);
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(DescriptionError::ControlCharacters);
        }
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(DescriptionError::TooLong {
                length,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Some(Self(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(raw: &str) -> Result<Option<String>, DescriptionError> {
        Description::parse(raw).map(|d| d.map(|d| d.0))
    }

    #[test]
    fn accepts_lines_and_trims() {
        assert_eq!(
            text("  Группа ИВТ\nкафедра ВТ  "),
            Ok(Some("Группа ИВТ\nкафедра ВТ".into()))
        );
        assert_eq!(text("a\r\nb"), Ok(Some("a\nb".into())));
        assert_eq!(text("<b>&"), Ok(Some("<b>&".into())));
        assert!(text(&"я".repeat(1000)).is_ok_and(|d| d.is_some()));
    }

    #[test]
    fn a_dash_clears() {
        assert_eq!(text("-"), Ok(None));
        assert_eq!(text("  - \n"), Ok(None));
        assert_eq!(text("--"), Ok(Some("--".into())));
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert_eq!(text(" \n\t "), Err(DescriptionError::Empty));
        assert_eq!(
            text(&"я".repeat(1001)),
            Err(DescriptionError::TooLong {
                length: 1001,
                max: 1000
            })
        );
        assert_eq!(text("a\tb"), Err(DescriptionError::ControlCharacters));
        assert_eq!(text("a\u{0}b"), Err(DescriptionError::ControlCharacters));
        assert_eq!(text("a\u{1b}b"), Err(DescriptionError::ControlCharacters));
    }

    proptest! {
        #[test]
        fn valid_descriptions_are_trimmed_short_and_clean(raw in "(\\PC|\\n|\\r|\\t){0,1100}") {
            if let Ok(Some(description)) = Description::parse(&raw) {
                let s = description.as_str();
                prop_assert_eq!(s, s.trim());
                prop_assert!(!s.is_empty());
                prop_assert!(s.chars().count() <= Description::MAX_CHARS);
                prop_assert!(!s.chars().any(|c| c.is_control() && c != '\n'));
            }
        }

        #[test]
        fn printable_lines_are_kept(lines in proptest::collection::vec("[^\\p{C}\\s][^\\p{C}]{0,40}[^\\p{C}\\s]", 1..5)) {
            let raw = lines.join("\n");
            prop_assert_eq!(text(&raw), Ok(Some(raw.clone())));
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic_and_idempotently(raw in any::<String>()) {
            if let Ok(Some(description)) = Description::parse(&raw) {
                let s = description.as_str();
                prop_assert_eq!(s, s.trim());
                prop_assert!(!s.is_empty() && s.chars().count() <= Description::MAX_CHARS);
                prop_assert!(!s.chars().any(|c| c.is_control() && c != '\n'));
                prop_assert_eq!(Description::parse(s), Ok(Some(description.clone())));
            }
        }

        #[test]
        fn too_long_is_refused(n in (Description::MAX_CHARS + 1)..3000) {
            let refused = matches!(Description::parse(&"ы".repeat(n)), Err(DescriptionError::TooLong { length, .. }) if length == n);
            prop_assert!(refused);
        }
    }
}
