//! `GroupName`: the validated name of a study group.

use crate::text::{bounded_text, text_error};

text_error!(GroupNameError, "name");

bounded_text!(
    /// A group name: trimmed, 1–50 characters, no control characters. Markup is allowed and
    /// kept verbatim (it is escaped whenever the name is shown).
    GroupName, max = 50, controls = None, refused = GroupNameError
);

#[cfg(test)]
mod tests {
    use super::GroupNameError::*;
    use super::*;
    use crate::text::{Controls, assert_limits};

    #[test]
    fn names_are_one_line_of_at_most_50() {
        assert_limits(
            GroupName::parse,
            50,
            [
                Empty,
                TooLong {
                    length: 51,
                    max: 50,
                },
            ],
            Some((Controls::None, ControlCharacters)),
        );
        let name = GroupName::parse("  ИВТ-21 ").map(String::from);
        assert_eq!(name.as_deref(), Ok("ИВТ-21"));
    }
}
