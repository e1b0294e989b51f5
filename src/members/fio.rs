//! `Fio`: a student's full name (ФИО) as they enter it in the profile — last name, first name
//! and an optional middle name.

use std::fmt;

/// A validated ФИО: 2–3 words (last, first, optional middle), whitespace collapsed. A word is
/// letters of any alphabet; hyphens and apostrophes may join letters inside a word
/// («Салтыков-Щедрин», «д'Артаньян»). Letters are kept as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fio {
    last: String,
    first: String,
    middle: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FioError {
    #[error("a full name needs at least the last and the first name")]
    TooFewWords,
    #[error("a full name has at most three words, got {count}")]
    TooManyWords { count: usize },
    #[error("«{word}» is not a name: letters, and hyphens or apostrophes between them")]
    BadCharacters { word: String },
    #[error("a word has {length} characters, more than {max}")]
    WordTooLong { length: usize, max: usize },
}

impl Fio {
    /// The longest word, in characters.
    pub const MAX_WORD_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, FioError> {
        let words: Vec<&str> = raw.split_whitespace().collect();
        match words.len() {
            0 | 1 => return Err(FioError::TooFewWords),
            2 | 3 => {}
            count => return Err(FioError::TooManyWords { count }),
        }
        for word in &words {
            if !is_name_word(word) {
                return Err(FioError::BadCharacters {
                    word: (*word).to_owned(),
                });
            }
            let length = word.chars().count();
            if length > Self::MAX_WORD_CHARS {
                return Err(FioError::WordTooLong {
                    length,
                    max: Self::MAX_WORD_CHARS,
                });
            }
        }
        Ok(Self {
            last: words[0].to_owned(),
            first: words[1].to_owned(),
            middle: words.get(2).map(|&w| w.to_owned()),
        })
    }

    pub fn last(&self) -> &str {
        &self.last
    }

    pub fn first(&self) -> &str {
        &self.first
    }

    pub fn middle(&self) -> Option<&str> {
        self.middle.as_deref()
    }
}

impl fmt::Display for Fio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.last, self.first)?;
        if let Some(middle) = &self.middle {
            write!(f, " {middle}")?;
        }
        Ok(())
    }
}

/// Hyphen, and the apostrophes people type in names (ASCII, typographic, modifier letter).
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | 'ʼ')
}

/// Combining diacritics (U+0300–U+036F): a decomposed «й» or «ё» is a letter and its mark.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Letters, with single joiners between letters; combining marks only right after a letter or
/// another mark.
fn is_name_word(word: &str) -> bool {
    let mut previous: Option<char> = None;
    for c in word.chars() {
        let fits = if c.is_alphabetic() {
            true
        } else if is_combining_mark(c) {
            previous.is_some_and(|p| !is_joiner(p))
        } else if is_joiner(c) {
            previous.is_some_and(|p| !is_joiner(p))
        } else {
            false
        };
        if !fits {
            return false;
        }
        previous = Some(c);
    }
    previous.is_some_and(|last| !is_joiner(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(raw: &str) -> Result<String, FioError> {
        Fio::parse(raw).map(|fio| fio.to_string())
    }

    #[test]
    fn accepts_real_names() {
        assert_eq!(
            parsed("  Иванов   Иван\tИванович "),
            Ok("Иванов Иван Иванович".into())
        );
        assert_eq!(
            parsed("Салтыков-Щедрин Михаил"),
            Ok("Салтыков-Щедрин Михаил".into())
        );
        assert_eq!(parsed("д'Артаньян Шарль"), Ok("д'Артаньян Шарль".into()));
        assert_eq!(parsed("Ёлкин Пётр Семёнович").map(|_| ()), Ok(()));
        assert_eq!(parsed("O’Brien Sean").map(|_| ()), Ok(()));
        assert_eq!(parsed("Müller Jürgen").map(|_| ()), Ok(()));
        // «й» typed as «и» + a combining breve.
        assert_eq!(parsed("Краи\u{306}нов Андреи\u{306}").map(|_| ()), Ok(()));
        let fio = Fio::parse("Петров Пётр").unwrap();
        assert_eq!(
            (fio.last(), fio.first(), fio.middle()),
            ("Петров", "Пётр", None)
        );
        let fio = Fio::parse("Петров Пётр Петрович").unwrap();
        assert_eq!(fio.middle(), Some("Петрович"));
    }

    #[test]
    fn counts_words() {
        assert_eq!(Fio::parse(""), Err(FioError::TooFewWords));
        assert_eq!(Fio::parse("   "), Err(FioError::TooFewWords));
        assert_eq!(Fio::parse("Иванов"), Err(FioError::TooFewWords));
        assert_eq!(
            Fio::parse("Иванов Иван Иванович Младший"),
            Err(FioError::TooManyWords { count: 4 })
        );
    }

    #[test]
    fn refuses_bad_characters() {
        for (raw, word) in [
            ("Иванов Иван2", "Иван2"),
            ("Иванов <b>Иван</b>", "<b>Иван</b>"),
            ("-Иванов Иван", "-Иванов"),
            ("Иванов- Иван", "Иванов-"),
            ("Салтыков--Щедрин Михаил", "Салтыков--Щедрин"),
            ("Иванов Иван.", "Иван."),
            ("Иванов ' Иван", "'"),
            ("Иванов \u{306}Иван", "\u{306}Иван"),
            ("/skip Иван", "/skip"),
        ] {
            assert_eq!(
                Fio::parse(raw),
                Err(FioError::BadCharacters { word: word.into() }),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn limits_word_length() {
        let long = "я".repeat(65);
        assert_eq!(
            Fio::parse(&format!("{long} Иван")),
            Err(FioError::WordTooLong {
                length: 65,
                max: 64
            })
        );
        assert!(Fio::parse(&format!("{} Иван", "я".repeat(64))).is_ok());
    }

    /// A word as the parser accepts it: letter runs joined by single hyphens/apostrophes.
    fn word() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-zA-Zа-яА-ЯёЁ]{1,8}", 1..4).prop_flat_map(|parts| {
            let joiners = proptest::collection::vec(
                prop_oneof![Just('-'), Just('\''), Just('’')],
                parts.len(),
            );
            (Just(parts), joiners).prop_map(|(parts, joiners)| {
                let mut word = String::new();
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        word.push(joiners[i]);
                    }
                    word.push_str(part);
                }
                word
            })
        })
    }

    proptest! {
        #[test]
        fn valid_names_round_trip_with_whitespace_collapsed(
            words in proptest::collection::vec(word(), 2..=3),
            gaps in proptest::collection::vec("[ \t\n]{1,3}", 4),
        ) {
            let mut raw = gaps[0].clone();
            for (i, w) in words.iter().enumerate() {
                raw.push_str(w);
                raw.push_str(&gaps[i + 1]);
            }
            let fio = Fio::parse(&raw);
            prop_assert_eq!(fio.map(|f| f.to_string()), Ok(words.join(" ")));
        }

        #[test]
        fn wrong_word_counts_are_refused(words in proptest::collection::vec(word(), 0..8)) {
            let result = Fio::parse(&words.join(" "));
            match words.len() {
                0 | 1 => prop_assert_eq!(result, Err(FioError::TooFewWords)),
                2 | 3 => prop_assert!(result.is_ok()),
                count => prop_assert_eq!(result, Err(FioError::TooManyWords { count })),
            }
        }

        #[test]
        fn a_digit_or_symbol_is_refused(
            words in proptest::collection::vec(word(), 2..=3),
            bad in "[0-9_.,!?@#<>&\"/]",
            at in 0usize..3,
        ) {
            let mut words = words;
            let at = at % words.len();
            words[at].push_str(&bad);
            let refused = matches!(Fio::parse(&words.join(" ")), Err(FioError::BadCharacters { .. }));
            prop_assert!(refused);
        }

        #[test]
        fn whatever_parses_is_clean(raw in "\\PC{0,80}") {
            if let Ok(fio) = Fio::parse(&raw) {
                let shown = fio.to_string();
                let words: Vec<&str> = shown.split(' ').collect();
                prop_assert!((2..=3).contains(&words.len()));
                for w in words {
                    prop_assert!(!w.is_empty());
                    prop_assert!(w.chars().count() <= Fio::MAX_WORD_CHARS);
                    prop_assert!(w.chars().all(|c| c.is_alphabetic() || is_joiner(c) || is_combining_mark(c)));
                    prop_assert!(!w.starts_with(is_joiner) && !w.ends_with(is_joiner));
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic_and_idempotently(raw in any::<String>()) {
            if let Ok(fio) = Fio::parse(&raw) {
                prop_assert_eq!(Fio::parse(&fio.to_string()), Ok(fio.clone()));
                prop_assert!(!fio.to_string().chars().any(char::is_control));
            }
        }

        #[test]
        fn too_long_words_are_refused(n in (Fio::MAX_WORD_CHARS + 1)..200) {
            let raw = format!("{} Иван", "Я".repeat(n));
            prop_assert_eq!(Fio::parse(&raw), Err(FioError::WordTooLong { length: n, max: Fio::MAX_WORD_CHARS }));
        }
    }
}
