//! The typed texts of an event: `EventTitle`, `Subject`, `Description` and a deadline's
//! `DeadlineText`. Each is parsed once, where the student types it; inside the bot only the
//! validated types travel (also through the stored dialogue: deserialising re-validates).

pub use crate::text::TextError;
use crate::text::bounded_text;

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

bounded_text!(
    /// An event's title: 1–100 characters, one line.
    EventTitle, max = 100, controls = None, refused = TextError
);

bounded_text!(
    /// The subject (дисциплина) an event belongs to: 1–100 characters, one line. Optional on
    /// the event (`/skip`).
    Subject, max = 100, controls = None, refused = TextError
);

bounded_text!(
    /// An event's description: 1–2000 characters, line breaks allowed. Optional on the event.
    Description, max = 2000, controls = LineBreaksAndTabs, refused = TextError
);

bounded_text!(
    /// What is due at a deadline: 1–200 characters, one line.
    DeadlineText, max = 200, controls = None, refused = TextError
);

#[cfg(test)]
mod tests {
    use super::TextError::*;
    use super::*;
    use crate::text::{Controls, assert_limits};

    #[test]
    fn each_text_has_its_limits() {
        let one_line = Some((Controls::None, ControlCharacters));
        let long = |max| {
            [
                Empty,
                TooLong {
                    length: max + 1,
                    max,
                },
            ]
        };
        assert_limits(EventTitle::parse, 100, long(100), one_line);
        assert_limits(Subject::parse, 100, long(100), one_line);
        assert_limits(DeadlineText::parse, 200, long(200), one_line);
        let lines = Some((Controls::LineBreaksAndTabs, ControlCharacters));
        assert_limits(Description::parse, 2000, long(2000), lines);
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
}
