//! `Description`: the validated description of a study group.

use crate::text::{bounded_text, text_error};

text_error!(DescriptionError, "description");

bounded_text!(
    /// A group description: trimmed, 1–1000 characters, line breaks allowed, no other control
    /// characters. Markup is kept verbatim (escaped whenever it is shown).
    Description, max = 1000, controls = LineBreaks, refused = DescriptionError, parse by hand
);

impl Description {
    /// Typed instead of a description: remove the description.
    pub const CLEAR: &'static str = "-";

    /// Reads what the user typed: `Ok(None)` for [`Self::CLEAR`] (no description), otherwise
    /// the validated description. Windows line breaks count as plain ones.
    pub fn parse(raw: &str) -> Result<Option<Self>, DescriptionError> {
        let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        if normalised.trim() == Self::CLEAR {
            return Ok(None);
        }
        Self::checked(&normalised).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::DescriptionError::*;
    use super::*;
    use crate::text::{Controls, assert_limits};

    fn text(raw: &str) -> Result<Option<String>, DescriptionError> {
        Description::parse(raw).map(|d| d.map(String::from))
    }

    #[test]
    fn descriptions_are_lines_of_at_most_1000() {
        assert_limits(
            |raw| text(raw).map(Option::unwrap_or_default),
            1000,
            [
                Empty,
                TooLong {
                    length: 1001,
                    max: 1000,
                },
            ],
            Some((Controls::LineBreaks, ControlCharacters)),
        );
        let windows = "  Группа ИВТ\r\nкафедра ВТ\rауд. 301  ";
        assert_eq!(
            text(windows),
            Ok(Some("Группа ИВТ\nкафедра ВТ\nауд. 301".into()))
        );
    }

    #[test]
    fn a_dash_clears() {
        assert_eq!(text("-"), Ok(None));
        assert_eq!(text("  - \n"), Ok(None));
        assert_eq!(text("--"), Ok(Some("--".into())));
    }
}
