//! The typed inputs of a queue: `QueueTitle`, `QueueDescription` and `MaxParticipants`. Each is
//! parsed once, where the student types it; the stored dialogue re-validates on load.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a typed queue input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueueInputError {
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title has {length} characters, more than {max}")]
    TitleTooLong { length: usize, max: usize },
    #[error("the title contains control characters")]
    TitleControl,
    #[error("the description is empty")]
    DescriptionEmpty,
    #[error("the description has {length} characters, more than {max}")]
    DescriptionTooLong { length: usize, max: usize },
    #[error("the description contains control characters")]
    DescriptionControl,
    #[error("not a number in {min}..={max}")]
    MaxNotANumber { min: i32, max: i32 },
    #[error("not a position in 1..={max}")]
    PositionNotANumber { max: i32 },
}

/// A queue's title: 1–100 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QueueTitle(String);

impl QueueTitle {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, QueueInputError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(QueueInputError::TitleEmpty);
        }
        if text.chars().any(char::is_control) {
            return Err(QueueInputError::TitleControl);
        }
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(QueueInputError::TitleTooLong {
                length,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// «Очередь», the title a queue gets when none is typed.
    pub fn fallback() -> Self {
        Self("Очередь".to_owned())
    }
}

impl TryFrom<String> for QueueTitle {
    type Error = QueueInputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<QueueTitle> for String {
    fn from(value: QueueTitle) -> String {
        value.0
    }
}

impl fmt::Display for QueueTitle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A queue's description: 1–1000 characters, line breaks and tabs allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QueueDescription(String);

impl QueueDescription {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &str) -> Result<Self, QueueInputError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(QueueInputError::DescriptionEmpty);
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(QueueInputError::DescriptionControl);
        }
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(QueueInputError::DescriptionTooLong {
                length,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for QueueDescription {
    type Error = QueueInputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<QueueDescription> for String {
    fn from(value: QueueDescription) -> String {
        value.0
    }
}

/// The capacity of a queue: 1..=500 participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct MaxParticipants(i32);

impl MaxParticipants {
    pub const MIN: i32 = 1;
    pub const MAX: i32 = 500;

    pub fn parse(raw: &str) -> Result<Self, QueueInputError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .and_then(|n| Self::new(n).ok())
            .ok_or(QueueInputError::MaxNotANumber {
                min: Self::MIN,
                max: Self::MAX,
            })
    }

    pub fn new(value: i32) -> Result<Self, QueueInputError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(QueueInputError::MaxNotANumber {
                min: Self::MIN,
                max: Self::MAX,
            })
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for MaxParticipants {
    type Error = QueueInputError;
    fn try_from(value: i32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<MaxParticipants> for i32 {
    fn from(value: MaxParticipants) -> i32 {
        value.0
    }
}

/// A typed position in a queue of `len` participants (1..=len).
pub fn parse_position(raw: &str, len: i32) -> Result<i32, QueueInputError> {
    raw.trim()
        .trim_start_matches('№')
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=len).contains(n))
        .ok_or(QueueInputError::PositionNotANumber { max: len })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn titles() {
        assert_eq!(
            QueueTitle::parse("  Защита лаб ").map(String::from),
            Ok("Защита лаб".into())
        );
        assert!(QueueTitle::parse(&"я".repeat(100)).is_ok());
        assert_eq!(
            QueueTitle::parse(&"я".repeat(101)),
            Err(QueueInputError::TitleTooLong {
                length: 101,
                max: 100
            })
        );
        assert_eq!(QueueTitle::parse(" "), Err(QueueInputError::TitleEmpty));
        assert_eq!(
            QueueTitle::parse("a\nb"),
            Err(QueueInputError::TitleControl)
        );
        assert_eq!(
            QueueTitle::parse("<b>&").map(String::from),
            Ok("<b>&".into())
        );
    }

    #[test]
    fn descriptions() {
        assert!(QueueDescription::parse("строка\nещё").is_ok());
        assert!(QueueDescription::parse(&"д".repeat(1000)).is_ok());
        assert!(matches!(
            QueueDescription::parse(&"д".repeat(1001)),
            Err(QueueInputError::DescriptionTooLong { length: 1001, .. })
        ));
        assert_eq!(
            QueueDescription::parse("a\u{7}"),
            Err(QueueInputError::DescriptionControl)
        );
    }

    #[test]
    fn capacities_and_positions() {
        assert_eq!(MaxParticipants::parse(" 10 ").map(i32::from), Ok(10));
        assert!(MaxParticipants::parse("500").is_ok());
        for bad in ["0", "501", "-1", "abc", "", "1.5"] {
            assert!(MaxParticipants::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_position("3", 5), Ok(3));
        assert_eq!(parse_position("№ 2", 5), Ok(2));
        assert!(parse_position("6", 5).is_err());
        assert!(parse_position("0", 5).is_err());
        let bad: Result<MaxParticipants, _> = serde_json::from_value(serde_json::json!(0));
        assert!(bad.is_err());
        let bad: Result<QueueTitle, _> = serde_json::from_value(serde_json::json!(""));
        assert!(bad.is_err());
    }

    proptest! {
        #[test]
        fn any_number_decides_by_range(n in -1000i32..2000) {
            prop_assert_eq!(MaxParticipants::parse(&n.to_string()).is_ok(), (1..=500).contains(&n));
        }

        #[test]
        fn titles_are_clean(raw in "\\PC{0,120}") {
            if let Ok(title) = QueueTitle::parse(&raw) {
                prop_assert!(title.as_str().chars().count() <= 100);
                prop_assert_eq!(title.as_str(), title.as_str().trim());
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(raw in any::<String>(), len in 0i32..600) {
            if let Ok(title) = QueueTitle::parse(&raw) {
                prop_assert_eq!(title.as_str(), raw.trim());
                prop_assert!(!title.as_str().is_empty());
                prop_assert!(!title.as_str().chars().any(char::is_control));
                prop_assert_eq!(QueueTitle::parse(title.as_str()), Ok(title.clone()));
            }
            if let Ok(description) = QueueDescription::parse(&raw) {
                let s = description.as_str();
                prop_assert!(!s.is_empty() && s.chars().count() <= QueueDescription::MAX_CHARS);
                prop_assert_eq!(s, s.trim());
                prop_assert_eq!(QueueDescription::parse(s), Ok(description.clone()));
            }
            if let Ok(max) = MaxParticipants::parse(&raw) {
                prop_assert!((MaxParticipants::MIN..=MaxParticipants::MAX).contains(&max.get()));
            }
            if let Ok(position) = parse_position(&raw, len) {
                prop_assert!((1..=len).contains(&position));
            }
        }

        #[test]
        fn typed_positions_decide_by_range(n in -10i32..700, len in 0i32..600, spaces in "[ ]{0,2}", numbered in any::<bool>()) {
            let raw = format!("{spaces}{}{n}{spaces}", if numbered { "№" } else { "" });
            prop_assert_eq!(parse_position(&raw, len).ok(), (1..=len).contains(&n).then_some(n));
        }
    }
}
