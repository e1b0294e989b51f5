//! `HomeworkBody`: what a task asks, as the leader, an assistant or a member typed it.

pub use crate::text::TextError;
use crate::text::bounded_text;

bounded_text!(
    /// A task's text: 1–2000 characters, line breaks allowed.
    HomeworkBody, max = 2000, controls = LineBreaksAndTabs, refused = TextError
);

/// A task's first line, cut to `max` characters, with «…» when anything was left out: how a
/// task is named where one line has room (the timetable, the history).
pub fn first_line(body: &str, max: usize) -> String {
    let line = body.lines().next().unwrap_or_default();
    if line.chars().count() > max || body.lines().nth(1).is_some() {
        let cut: String = line.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_owned()
    }
}

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

    #[test]
    fn a_first_line_says_when_more_was_left_out() {
        assert_eq!(first_line("№ 1–5", 10), "№ 1–5");
        assert_eq!(first_line("№ 1–5\nстр. 12", 10), "№ 1–5…");
        assert_eq!(first_line("Прочитать главу", 8), "Прочитат…");
    }
}
