//! The typed texts of an event: `EventTitle`, `Subject`, `Description` and a deadline's
//! `DeadlineText`. Each is parsed once, where the student types it; inside the bot only the
//! validated types travel (also through the stored dialogue: deserialising re-validates).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a typed text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text has {length} characters, more than {max}")]
    TooLong { length: usize, max: usize },
    #[error("the text contains control characters")]
    ControlCharacters,
}

/// Which typed text a [`TextError`] is about (the explanation names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextInput {
    Title,
    Subject,
    Description,
    DeadlineText,
}

/// A refused text, with what it was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{input:?}: {error}")]
pub struct TextInputError {
    pub input: TextInput,
    pub error: TextError,
}

impl TextInput {
    pub fn refused(self, error: TextError) -> TextInputError {
        TextInputError { input: self, error }
    }
}

/// Trims `raw` and checks it: not empty, at most `max` characters, no control characters
/// (line breaks and tabs only where `multiline`).
fn validate(raw: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextError::ControlCharacters);
    }
    let length = text.chars().count();
    if length > max {
        return Err(TextError::TooLong { length, max });
    }
    Ok(text.to_owned())
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, multiline = $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, TextError> {
                validate(raw, Self::MAX_CHARS, $multiline).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(raw: String) -> Result<Self, TextError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_newtype!(
    /// An event's title: 1–100 characters, one line.
    EventTitle,
    max = 100,
    multiline = false
);

text_newtype!(
    /// The subject (дисциплина) an event belongs to: 1–100 characters, one line. Optional on
    /// the event (`/skip`).
    Subject,
    max = 100,
    multiline = false
);

text_newtype!(
    /// An event's description: 1–2000 characters, line breaks allowed. Optional on the event.
    Description,
    max = 2000,
    multiline = true
);

text_newtype!(
    /// What is due at a deadline: 1–200 characters, one line.
    DeadlineText,
    max = 200,
    multiline = false
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            EventTitle::parse("  Лаба 3 ").map(String::from),
            Ok("Лаба 3".into())
        );
        assert!(EventTitle::parse(&"я".repeat(100)).is_ok());
        assert_eq!(
            EventTitle::parse(&"я".repeat(101)),
            Err(TextError::TooLong {
                length: 101,
                max: 100
            })
        );
        assert_eq!(EventTitle::parse(""), Err(TextError::Empty));
        assert_eq!(EventTitle::parse(" \n\t "), Err(TextError::Empty));
        assert_eq!(EventTitle::parse("a\nb"), Err(TextError::ControlCharacters));
        // Markup is kept verbatim; it is escaped wherever it is shown.
        assert_eq!(
            EventTitle::parse("<b>&").map(String::from),
            Ok("<b>&".into())
        );
    }

    #[test]
    fn subjects_and_deadline_texts() {
        assert!(Subject::parse(&"s".repeat(100)).is_ok());
        assert!(matches!(
            Subject::parse(&"s".repeat(101)),
            Err(TextError::TooLong { length: 101, .. })
        ));
        assert!(DeadlineText::parse(&"d".repeat(200)).is_ok());
        assert!(DeadlineText::parse(&"d".repeat(201)).is_err());
        assert_eq!(DeadlineText::parse("   "), Err(TextError::Empty));
    }

    #[test]
    fn descriptions_keep_line_breaks() {
        let text = "Первая строка\n\tвторая";
        assert_eq!(Description::parse(text).map(String::from), Ok(text.into()));
        assert!(Description::parse(&"д".repeat(2000)).is_ok());
        assert_eq!(
            Description::parse(&"д".repeat(2001)),
            Err(TextError::TooLong {
                length: 2001,
                max: 2000
            })
        );
        assert_eq!(
            Description::parse("a\u{7}b"),
            Err(TextError::ControlCharacters)
        );
    }

    #[test]
    fn deserialising_validates() {
        let title: Result<EventTitle, _> = serde_json::from_value(serde_json::json!("Экзамен"));
        assert_eq!(title.map(String::from).ok(), Some("Экзамен".into()));
        let bad: Result<EventTitle, _> = serde_json::from_value(serde_json::json!(""));
        assert!(bad.is_err());
        let round = serde_json::to_value(EventTitle::parse("x").expect("valid"));
        assert_eq!(round.ok(), Some(serde_json::json!("x")));
    }

    proptest! {
        #[test]
        fn valid_titles_are_trimmed_short_and_clean(raw in "\\PC{0,120}") {
            if let Ok(title) = EventTitle::parse(&raw) {
                let s = title.as_str();
                prop_assert_eq!(s, s.trim());
                prop_assert!(!s.is_empty());
                prop_assert!(s.chars().count() <= EventTitle::MAX_CHARS);
                prop_assert!(!s.chars().any(char::is_control));
            }
        }

        #[test]
        fn any_printable_title_within_the_limit_is_kept(
            raw in "[^\\p{C}\\s][^\\p{C}]{0,98}[^\\p{C}\\s]"
        ) {
            prop_assert_eq!(EventTitle::parse(&raw).map(String::from), Ok(raw.clone()));
            prop_assert_eq!(Subject::parse(&raw).map(String::from), Ok(raw.clone()));
        }

        #[test]
        fn length_decides_between_ok_and_too_long(n in 1usize..2100) {
            let raw = "ж".repeat(n);
            prop_assert_eq!(Description::parse(&raw).is_ok(), n <= Description::MAX_CHARS);
            prop_assert_eq!(EventTitle::parse(&raw).is_ok(), n <= EventTitle::MAX_CHARS);
            prop_assert_eq!(DeadlineText::parse(&raw).is_ok(), n <= DeadlineText::MAX_CHARS);
        }

        #[test]
        fn descriptions_never_lose_inner_text(raw in "\\PC[\\PC\\n]{0,300}\\PC") {
            if let Ok(description) = Description::parse(&raw) {
                prop_assert_eq!(description.as_str(), raw.trim());
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic_and_idempotently(raw in any::<String>()) {
            if let Ok(t) = EventTitle::parse(&raw) {
                prop_assert_eq!(t.as_str(), raw.trim());
                prop_assert!(!t.as_str().chars().any(char::is_control));
                prop_assert_eq!(EventTitle::parse(t.as_str()), Ok(t.clone()));
            }
            if let Ok(s) = Subject::parse(&raw) {
                prop_assert!(s.as_str().chars().count() <= Subject::MAX_CHARS);
                prop_assert_eq!(Subject::parse(s.as_str()), Ok(s.clone()));
            }
            if let Ok(d) = Description::parse(&raw) {
                prop_assert!(!d.as_str().is_empty() && d.as_str().chars().count() <= Description::MAX_CHARS);
                prop_assert_eq!(Description::parse(d.as_str()), Ok(d.clone()));
            }
            if let Ok(d) = DeadlineText::parse(&raw) {
                prop_assert!(d.as_str().chars().count() <= DeadlineText::MAX_CHARS);
                prop_assert_eq!(DeadlineText::parse(d.as_str()), Ok(d.clone()));
            }
        }

        #[test]
        fn line_breaks_are_refused_on_one_line_texts(a in "[a-zа-я]{1,10}", b in "[a-zа-я]{1,10}") {
            let raw = format!("{a}\n{b}");
            prop_assert!(EventTitle::parse(&raw).is_err());
            prop_assert!(Subject::parse(&raw).is_err());
            prop_assert!(DeadlineText::parse(&raw).is_err());
            prop_assert!(Description::parse(&raw).is_ok());
        }
    }
}
