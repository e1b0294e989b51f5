//! The typed inputs of a queue: `QueueTitle`, `QueueDescription` and `MaxParticipants`. Each is
//! parsed once, where the student types it; the stored dialogue re-validates on load.

use serde::{Deserialize, Serialize};

use crate::text::bounded_text;

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
    #[error("not a number of minutes in {min}..={max}")]
    LotteryNotANumber { min: i32, max: i32 },
}

bounded_text!(
    /// A queue's title: 1–100 characters, one line.
    QueueTitle, max = 100, controls = None,
    refused = QueueInputError { TitleEmpty, TitleTooLong, TitleControl }
);

/// What a queue stores as its title: the typed one, or — none typed — an empty title, which
/// every screen and notice names «Очередь» / "Queue" in its reader's language
/// (`queues::events::UNNAMED`), never in the language of the leader who created it.
pub fn stored_title(title: Option<&QueueTitle>) -> String {
    title.map_or_else(String::new, |title| title.as_str().to_owned())
}

bounded_text!(
    /// A queue's description: 1–1000 characters, line breaks and tabs allowed.
    QueueDescription, max = 1000, controls = LineBreaksAndTabs,
    refused = QueueInputError { DescriptionEmpty, DescriptionTooLong, DescriptionControl }
);

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

/// How long after the opening the presses go into the lottery: 1..=60 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LotteryMinutes(i32);

impl LotteryMinutes {
    pub const MIN: i32 = 1;
    pub const MAX: i32 = 60;

    pub fn parse(raw: &str) -> Result<Self, QueueInputError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (Self::MIN..=Self::MAX).contains(n))
            .map(Self)
            .ok_or(QueueInputError::LotteryNotANumber {
                min: Self::MIN,
                max: Self::MAX,
            })
    }

    pub fn get(self) -> i32 {
        self.0
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
    use crate::text::{Controls, assert_limits};
    use proptest::prelude::*;

    #[test]
    fn titles_and_descriptions() {
        use QueueInputError::*;
        assert_limits(
            QueueTitle::parse,
            100,
            [
                TitleEmpty,
                TitleTooLong {
                    length: 101,
                    max: 100,
                },
            ],
            Some((Controls::None, TitleControl)),
        );
        assert_limits(
            QueueDescription::parse,
            1000,
            [
                DescriptionEmpty,
                DescriptionTooLong {
                    length: 1001,
                    max: 1000,
                },
            ],
            Some((Controls::LineBreaksAndTabs, DescriptionControl)),
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
        assert_eq!(LotteryMinutes::parse(" 5 ").map(LotteryMinutes::get), Ok(5));
        for bad in ["0", "61", "-1", "пять", ""] {
            assert!(LotteryMinutes::parse(bad).is_err(), "{bad}");
        }
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
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(raw in any::<String>(), len in 0i32..600) {
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
