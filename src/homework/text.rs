//! `HomeworkBody`: what a task asks, as the leader, an assistant or a member typed it.

pub use crate::text::TextError;
use crate::text::bounded_text;

bounded_text!(
    /// A task's text: 1–2000 characters, line breaks allowed.
    HomeworkBody, max = 2000, controls = LineBreaksAndTabs, refused = TextError
);

#[cfg(test)]
mod tests {
    use super::TextError::*;
    use super::*;
    use crate::text::{Controls, assert_limits};

    #[test]
    fn a_body_has_its_limits() {
        let long = [
            Empty,
            TooLong {
                length: 2001,
                max: 2000,
            },
        ];
        let lines = Some((Controls::LineBreaksAndTabs, ControlCharacters));
        assert_limits(HomeworkBody::parse, 2000, long, lines);
    }
}
