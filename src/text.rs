//! Bounded text: the one rule for what a person types as a name, a title or a description —
//! trimmed, not empty, at most so many characters, and no control characters but the line
//! breaks (and tabs) a text allows. Each validated text declares its limits and its refusals
//! with [`bounded_text!`]; markup is kept verbatim (it is escaped wherever it is shown).

/// Declares the error of a bounded text: empty, too long or with control characters, each
/// message naming what the text is.
macro_rules! text_error {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::thiserror::Error)]
        pub enum $name {
            #[error("the {} is empty", $what)]
            Empty,
            #[error("the {} has {length} characters, more than {max}", $what)]
            TooLong { length: usize, max: usize },
            #[error("the {} contains control characters", $what)]
            ControlCharacters,
        }
    };
}

pub(crate) use text_error;

text_error!(
    /// Why a typed text was refused.
    TextError,
    "text"
);

/// Why a text that may hold any character was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeError {
    Empty,
    TooLong { length: usize, max: usize },
}

impl From<SizeError> for TextError {
    fn from(error: SizeError) -> Self {
        match error {
            SizeError::Empty => TextError::Empty,
            SizeError::TooLong { length, max } => TextError::TooLong { length, max },
        }
    }
}

/// The control characters a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    /// None: the text is one line.
    None,
    /// Line breaks.
    LineBreaks,
    /// Line breaks and tabs.
    LineBreaksAndTabs,
}

impl Controls {
    fn allow(self, c: char) -> bool {
        match self {
            Controls::None => false,
            Controls::LineBreaks => c == '\n',
            Controls::LineBreaksAndTabs => c == '\n' || c == '\t',
        }
    }

    /// Whether `raw`, trimmed, holds a control character this does not allow.
    pub fn refuse(self, raw: &str) -> bool {
        raw.trim().chars().any(|c| c.is_control() && !self.allow(c))
    }
}

/// `raw` trimmed, if it is not empty and has at most `max` characters.
pub fn sized(raw: &str, max: usize) -> Result<&str, SizeError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(SizeError::Empty);
    }
    let length = text.chars().count();
    if length > max {
        return Err(SizeError::TooLong { length, max });
    }
    Ok(text)
}

/// `raw` trimmed, if it is not empty, holds no control character but those `controls` allows
/// and has at most `max` characters (refused for the first of these that fails).
pub fn bounded(raw: &str, max: usize, controls: Controls) -> Result<&str, TextError> {
    if controls.refuse(raw) {
        return Err(TextError::ControlCharacters);
    }
    Ok(sized(raw, max)?)
}

/// Whether `text` holds only letters, digits, `_` and `-` (ASCII: the URL-safe base64
/// alphabet of tokens).
pub fn is_url_safe(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Declares a validated text: the newtype, `MAX_CHARS`, `parse` (trim, then [`bounded`] with
/// `controls`, or [`sized`] where `controls = Any`), `as_str`, `Display`, and serde through
/// `String` (deserialising re-validates). `refused` names the error type's variants for empty,
/// too long and control characters (by default those of [`text_error!`]). With `parse by hand`
/// the type writes its own `parse` on top of the generated `checked`.
macro_rules! bounded_text {
    (
        $(#[$doc:meta])* $name:ident, max = $max:expr, controls = $controls:ident,
        refused = $error:ident $(, parse by $hand:ident)?
    ) => {
        $crate::text::bounded_text!(
            $(#[$doc])* $name, max = $max, controls = $controls,
            refused = $error { Empty, TooLong, ControlCharacters } $(, parse by $hand)?
        );
    };
    (
        $(#[$doc:meta])* $name:ident, max = $max:expr, controls = $controls:ident,
        refused = $error:ident { $empty:ident, $too_long:ident, $control:ident }
        $(, parse by $hand:ident)?
    ) => {
        $crate::text::bounded_text!(
            @type $(#[$doc])* $name, $max, $error { $empty, $too_long } $(, $hand)?
        );

        impl $name {
            fn checked(raw: &str) -> Result<Self, $error> {
                if $crate::text::Controls::$controls.refuse(raw) {
                    return Err($error::$control);
                }
                Self::sized(raw)
            }
        }
    };
    (
        $(#[$doc:meta])* $name:ident, max = $max:expr, controls = Any,
        refused = $error:ident { $empty:ident, $too_long:ident }
    ) => {
        $crate::text::bounded_text!(@type $(#[$doc])* $name, $max, $error { $empty, $too_long });

        impl $name {
            fn checked(raw: &str) -> Result<Self, $error> {
                Self::sized(raw)
            }
        }
    };
    (@type $(#[$doc:meta])* $name:ident, $max:expr, $error:ident $refusals:tt) => {
        $crate::text::bounded_text!(@type $(#[$doc])* $name, $max, $error $refusals, generated);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, $error> {
                Self::checked(raw)
            }
        }
    };
    (
        @type $(#[$doc:meta])* $name:ident, $max:expr,
        $error:ident { $empty:ident, $too_long:ident }, $parse:ident
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn as_str(&self) -> &str {
                &self.0
            }

            fn sized(raw: &str) -> Result<Self, $error> {
                match $crate::text::sized(raw, $max) {
                    Ok(text) => Ok(Self(text.to_owned())),
                    Err($crate::text::SizeError::Empty) => Err($error::$empty),
                    Err($crate::text::SizeError::TooLong { length, max }) => {
                        Err($error::$too_long { length, max })
                    }
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(raw: String) -> Result<Self, $error> {
                Self::checked(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub(crate) use bounded_text;

/// For a bounded text's tests: `parse` trims and keeps `max` characters and markup, refuses a
/// blank text and one character more with `[empty, too_long]`, and a control character that
/// `controls` does not allow with its refusal (every one is kept where `controls` is `None`).
#[cfg(test)]
pub(crate) fn assert_limits<T: Into<String>, E: PartialEq + Clone + std::fmt::Debug>(
    parse: impl Fn(&str) -> Result<T, E>,
    max: usize,
    [empty, too_long]: [E; 2],
    controls: Option<(Controls, E)>,
) {
    let parsed = |raw: &str| parse(raw).map(Into::into);
    let longest = "я".repeat(max);
    assert_eq!(parsed(&format!(" \n {longest}\t ")), Ok(longest.clone()));
    assert_eq!(parsed("<b>&"), Ok("<b>&".to_owned()));
    assert_eq!(parsed(" \t\n "), Err(empty));
    assert_eq!(parsed(&format!("{longest}ж")), Err(too_long));
    for c in ['\n', '\t', '\u{7}', '\u{85}'] {
        let raw = format!("a{c}b");
        match &controls {
            Some((allowed, refused)) if !allowed.allow(c) => {
                assert_eq!(parsed(&raw), Err(refused.clone()), "{raw:?}");
            }
            _ => assert_eq!(parsed(&raw), Ok(raw.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn checks_in_order_empty_control_length() {
        assert_eq!(bounded("  a b ", 3, Controls::None), Ok("a b"));
        assert_eq!(bounded(" \t\n ", 3, Controls::None), Err(TextError::Empty));
        assert_eq!(
            bounded(&"я".repeat(4), 3, Controls::None),
            Err(TextError::TooLong { length: 4, max: 3 })
        );
        assert_eq!(
            bounded("a\nbcdef", 3, Controls::None),
            Err(TextError::ControlCharacters)
        );
        assert_eq!(bounded("<b>&", 4, Controls::None), Ok("<b>&"));
    }

    #[test]
    fn controls_allow_what_they_name() {
        for (text, none, breaks, tabs) in [
            ("a\nb", false, true, true),
            ("a\tb", false, false, true),
            ("a\rb", false, false, false),
            ("a\u{7}b", false, false, false),
            ("a\u{85}b", false, false, false),
        ] {
            assert_eq!(bounded(text, 9, Controls::None).is_ok(), none, "{text:?}");
            assert_eq!(
                bounded(text, 9, Controls::LineBreaks).is_ok(),
                breaks,
                "{text:?}"
            );
            assert_eq!(
                bounded(text, 9, Controls::LineBreaksAndTabs).is_ok(),
                tabs,
                "{text:?}"
            );
        }
        assert_eq!(sized(" a\u{7}\tb ", 4), Ok("a\u{7}\tb"));
        assert_eq!(sized(" \n", 4), Err(SizeError::Empty));
    }

    proptest! {
        #[test]
        fn any_string_is_checked_without_panic_and_idempotently(raw in any::<String>(), max in 1usize..60) {
            for controls in [Controls::None, Controls::LineBreaks, Controls::LineBreaksAndTabs] {
                if let Ok(text) = bounded(&raw, max, controls) {
                    prop_assert_eq!(text, raw.trim());
                    prop_assert!(!text.is_empty() && text.chars().count() <= max);
                    prop_assert!(!text.chars().any(|c| c.is_control() && !controls.allow(c)));
                    prop_assert_eq!(bounded(text, max, controls), Ok(text));
                }
            }
            if let Ok(text) = sized(&raw, max) {
                prop_assert_eq!(text, raw.trim());
                prop_assert!(!text.is_empty() && text.chars().count() <= max);
            }
        }

        #[test]
        fn length_decides_between_ok_and_too_long(n in 1usize..200, max in 1usize..150) {
            let raw = "ж".repeat(n);
            let expected = if n <= max { Ok(raw.as_str()) } else { Err(TextError::TooLong { length: n, max }) };
            prop_assert_eq!(bounded(&raw, max, Controls::None), expected);
        }

        #[test]
        fn any_printable_line_is_kept(raw in "[^\\p{C}\\s][^\\p{C}]{0,48}[^\\p{C}\\s]") {
            prop_assert_eq!(bounded(&raw, 50, Controls::None), Ok(raw.as_str()));
        }

        #[test]
        fn a_control_character_inside_is_refused(a in "[a-zа-я]{1,10}", b in "[a-zа-я]{1,10}", c in "[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f\\u{80}-\\u{9f}\\r]") {
            let raw = format!("{a}{c}{b}");
            prop_assert_eq!(bounded(&raw, 50, Controls::LineBreaksAndTabs), Err(TextError::ControlCharacters));
        }
    }
}
