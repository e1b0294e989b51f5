//! The text of a broadcast, as the admin typed it: checked once, at the edge.

/// A broadcast's text: not blank, at most [`BroadcastText::MAX_CHARS`] characters (so that the
/// header and escaping still fit Telegram's 4096).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastText(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BroadcastTextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text has {length} characters, at most {max} fit")]
    TooLong { length: usize, max: usize },
}

impl BroadcastText {
    pub const MAX_CHARS: usize = 3500;

    pub fn parse(raw: &str) -> Result<Self, BroadcastTextError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(BroadcastTextError::Empty);
        }
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(BroadcastTextError::TooLong {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn limits() {
        assert_eq!(
            BroadcastText::parse("  \n "),
            Err(BroadcastTextError::Empty)
        );
        assert_eq!(
            BroadcastText::parse(" Привет ").map(|t| t.0),
            Ok("Привет".into())
        );
        let long = "я".repeat(3501);
        assert_eq!(
            BroadcastText::parse(&long),
            Err(BroadcastTextError::TooLong {
                length: 3501,
                max: 3500
            })
        );
        assert!(BroadcastText::parse(&"я".repeat(3500)).is_ok());
    }

    proptest! {
        #[test]
        fn accepted_texts_are_trimmed_and_bounded(raw in ".{0,4000}") {
            if let Ok(text) = BroadcastText::parse(&raw) {
                prop_assert_eq!(text.as_str(), text.as_str().trim());
                prop_assert!(!text.as_str().is_empty());
                prop_assert!(text.as_str().chars().count() <= BroadcastText::MAX_CHARS);
            }
        }
    }
}
