//! The typed inputs of topic lists: the list's title, the capacity of a topic, the topics
//! themselves (one per line, typed or from a `.txt` document) and the document's bytes.
//! Each is parsed once, where the leader types or sends it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::text::{Controls, TextError, bounded, bounded_text, text_error};

text_error!(
    /// Why a list title was refused.
    ListTitleError,
    "title"
);

bounded_text!(
    /// A topic list's title: 1–100 characters, one line, trimmed.
    ListTitle, max = 100, controls = None, refused = ListTitleError
);

/// Why a capacity was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error("not a whole number")]
    NotANumber,
    #[error("out of range")]
    OutOfRange { min: u32, max: u32 },
}

/// How many students may take one topic: 1–50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Capacity(u32);

impl Capacity {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 50;

    pub fn parse(raw: &str) -> Result<Self, CapacityError> {
        let text = raw.trim();
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(CapacityError::NotANumber);
        }
        let out_of_range = CapacityError::OutOfRange {
            min: Self::MIN,
            max: Self::MAX,
        };
        let value: u32 = text.parse().map_err(|_| out_of_range)?;
        Self::try_from(value)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Capacity {
    type Error = CapacityError;
    fn try_from(value: u32) -> Result<Self, CapacityError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(CapacityError::OutOfRange {
                min: Self::MIN,
                max: Self::MAX,
            })
        }
    }
}

impl From<Capacity> for u32 {
    fn from(value: Capacity) -> u32 {
        value.0
    }
}

/// Why a list of topics was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicLinesError {
    #[error("no topics")]
    Empty,
    #[error("{count} topics, more than {max}")]
    TooMany { count: usize, max: usize },
    #[error("topic on line {line} has {length} characters, more than {max}")]
    TooLong {
        line: usize,
        length: usize,
        max: usize,
    },
    #[error("topic on line {line} contains control characters")]
    ControlCharacters { line: usize },
    /// The same topic (ignoring case and surrounding spaces) more than once.
    #[error("duplicate topics: {0:?}")]
    Duplicates(Vec<String>),
}

/// Topics, one per line: trimmed, empty lines skipped, each 1–200 characters without control
/// characters, at most 200, no duplicates (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct TopicLines(Vec<String>);

impl TopicLines {
    pub const MAX_TOPICS: usize = 200;
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Self, TopicLinesError> {
        let mut topics = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            match bounded(raw, Self::MAX_CHARS, Controls::None) {
                Ok(topic) => topics.push(topic.to_owned()),
                Err(TextError::Empty) => continue,
                Err(TextError::ControlCharacters) => {
                    return Err(TopicLinesError::ControlCharacters { line });
                }
                Err(TextError::TooLong { length, max }) => {
                    return Err(TopicLinesError::TooLong { line, length, max });
                }
            }
        }
        Self::from_topics(topics)
    }

    fn from_topics(topics: Vec<String>) -> Result<Self, TopicLinesError> {
        if topics.is_empty() {
            return Err(TopicLinesError::Empty);
        }
        if topics.len() > Self::MAX_TOPICS {
            return Err(TopicLinesError::TooMany {
                count: topics.len(),
                max: Self::MAX_TOPICS,
            });
        }
        let mut seen = HashSet::new();
        let mut duplicates: Vec<String> = Vec::new();
        for topic in &topics {
            if !seen.insert(fold(topic)) && !duplicates.iter().any(|d| fold(d) == fold(topic)) {
                duplicates.push(topic.clone());
            }
        }
        if !duplicates.is_empty() {
            return Err(TopicLinesError::Duplicates(duplicates));
        }
        Ok(Self(topics))
    }

    pub fn topics(&self) -> &[String] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The key two topics are compared by: trimmed, lower case.
pub fn fold(topic: &str) -> String {
    topic.trim().to_lowercase()
}

impl TryFrom<Vec<String>> for TopicLines {
    type Error = TopicLinesError;
    fn try_from(topics: Vec<String>) -> Result<Self, TopicLinesError> {
        Self::parse(&topics.join("\n")).and_then(|parsed| {
            if parsed.len() == topics.len() {
                Ok(parsed)
            } else {
                Err(TopicLinesError::Empty)
            }
        })
    }
}

impl From<TopicLines> for Vec<String> {
    fn from(value: TopicLines) -> Vec<String> {
        value.0
    }
}

/// Why a `.txt` document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit")]
    TooBig { max_kib: usize },
    #[error("not a text file")]
    NotText,
    /// Text in another encoding (e.g. Windows-1251): refused with a hint to save it as UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// The document could not be fetched from Telegram (try again).
    #[error("download failed")]
    Download,
}

/// The largest `.txt` document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// The text of a `.txt` document: UTF-8 with or without a byte-order mark. Binary content
/// (NUL bytes, other control characters) and other encodings are refused.
pub fn document_text(bytes: &[u8]) -> Result<String, DocumentError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooBig {
            max_kib: MAX_DOCUMENT_BYTES / 1024,
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.contains(&0) {
        return Err(DocumentError::NotText);
    }
    let text = std::str::from_utf8(body).map_err(|_| DocumentError::NotUtf8)?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DocumentError::NotText);
    }
    if text.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::assert_limits;
    use proptest::prelude::*;

    #[test]
    fn titles_and_capacities() {
        use ListTitleError::*;
        let too_long = TooLong {
            length: 101,
            max: 100,
        };
        let control = Some((Controls::None, ControlCharacters));
        assert_limits(ListTitle::parse, 100, [Empty, too_long], control);
        assert_eq!(Capacity::parse(" 3 ").map(Capacity::get), Ok(3));
        assert_eq!(Capacity::parse("50").map(Capacity::get), Ok(50));
        assert!(matches!(
            Capacity::parse("0"),
            Err(CapacityError::OutOfRange { .. })
        ));
        assert!(matches!(
            Capacity::parse("51"),
            Err(CapacityError::OutOfRange { .. })
        ));
        assert!(matches!(
            Capacity::parse("99999999999999999999"),
            Err(CapacityError::OutOfRange { .. })
        ));
        assert_eq!(Capacity::parse("-1"), Err(CapacityError::NotANumber));
        assert_eq!(Capacity::parse("два"), Err(CapacityError::NotANumber));
        assert!(serde_json::from_str::<Capacity>("0").is_err());
    }

    #[test]
    fn lines_are_trimmed_and_empty_ones_skipped() {
        let lines = TopicLines::parse("  Первая \n\n\r\nВторая\r\n  ").expect("valid");
        assert_eq!(lines.topics(), ["Первая", "Вторая"]);
        assert_eq!(TopicLines::parse("\n \n"), Err(TopicLinesError::Empty));
    }

    #[test]
    fn duplicates_are_reported_once_each() {
        let err =
            TopicLines::parse("Алгебра\nгеометрия\n алгебра \nГеометрия\nАЛГЕБРА").unwrap_err();
        assert_eq!(
            err,
            TopicLinesError::Duplicates(vec!["алгебра".into(), "Геометрия".into()])
        );
    }

    #[test]
    fn limits() {
        let ok: Vec<String> = (1..=200).map(|i| format!("Тема {i}")).collect();
        assert_eq!(TopicLines::parse(&ok.join("\n")).map(|l| l.len()), Ok(200));
        let too_many: Vec<String> = (1..=201).map(|i| format!("Тема {i}")).collect();
        assert_eq!(
            TopicLines::parse(&too_many.join("\n")),
            Err(TopicLinesError::TooMany {
                count: 201,
                max: 200
            })
        );
        let long = format!("a\n{}", "ж".repeat(201));
        assert_eq!(
            TopicLines::parse(&long),
            Err(TopicLinesError::TooLong {
                line: 2,
                length: 201,
                max: 200
            })
        );
        assert_eq!(
            TopicLines::parse("a\tb"),
            Err(TopicLinesError::ControlCharacters { line: 1 })
        );
    }

    #[test]
    fn documents() {
        assert_eq!(document_text(b"\xEF\xBB\xBFa\nb").as_deref(), Ok("a\nb"));
        assert_eq!(document_text("Тема".as_bytes()).as_deref(), Ok("Тема"));
        assert_eq!(document_text(b""), Err(DocumentError::Empty));
        assert_eq!(document_text(b"\xEF\xBB\xBF \n"), Err(DocumentError::Empty));
        assert_eq!(
            document_text(b"PK\x03\x04\x00\x00"),
            Err(DocumentError::NotText)
        );
        assert_eq!(
            document_text(b"\xcf\xf0\xe8\xe2\xe5\xf2"),
            Err(DocumentError::NotUtf8)
        );
        assert!(matches!(
            document_text(&vec![b'a'; MAX_DOCUMENT_BYTES + 1]),
            Err(DocumentError::TooBig { .. })
        ));
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<TopicLines>("[]").is_err());
        assert!(serde_json::from_str::<TopicLines>(r#"["a","A"]"#).is_err());
        assert!(serde_json::from_str::<TopicLines>(r#"["a\nb"]"#).is_err());
        assert!(serde_json::from_str::<TopicLines>(r#"["a","b"]"#).is_ok());
        assert!(serde_json::from_str::<ListTitle>(r#"" ""#).is_err());
    }

    proptest! {
        #[test]
        fn parsed_topics_are_clean_unique_and_bounded(raw in "[\\PC\\n]{0,600}") {
            if let Ok(lines) = TopicLines::parse(&raw) {
                prop_assert!(!lines.is_empty() && lines.len() <= TopicLines::MAX_TOPICS);
                let mut seen = HashSet::new();
                for topic in lines.topics() {
                    prop_assert_eq!(topic.trim(), topic.as_str());
                    prop_assert!(!topic.is_empty());
                    prop_assert!(topic.chars().count() <= TopicLines::MAX_CHARS);
                    prop_assert!(!topic.chars().any(char::is_control));
                    prop_assert!(seen.insert(fold(topic)));
                }
            }
        }

        #[test]
        fn distinct_lines_round_trip(topics in proptest::collection::btree_set("[a-zа-я]{1,20}", 1..50)) {
            let topics: Vec<String> = topics.into_iter().collect();
            let text = topics.iter().map(|t| format!("  {t}  ")).collect::<Vec<_>>().join("\n\n");
            let lines = TopicLines::parse(&text).expect("valid");
            prop_assert_eq!(lines.topics(), topics.as_slice());
            let json = serde_json::to_string(&lines).expect("serialises");
            prop_assert_eq!(serde_json::from_str::<TopicLines>(&json).ok(), Some(lines));
        }

        #[test]
        fn documents_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = document_text(&bytes);
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(raw in any::<String>()) {
            if let Ok(capacity) = Capacity::parse(&raw) {
                prop_assert!((Capacity::MIN..=Capacity::MAX).contains(&capacity.get()));
            }
            if let Ok(lines) = TopicLines::parse(&raw) {
                prop_assert!(!lines.is_empty() && lines.len() <= TopicLines::MAX_TOPICS);
                prop_assert_eq!(TopicLines::parse(&lines.topics().join("\n")), Ok(lines.clone()));
                let json = serde_json::to_string(&lines).expect("serialises");
                prop_assert_eq!(serde_json::from_str::<TopicLines>(&json).ok(), Some(lines));
            }
        }

        #[test]
        fn any_document_is_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), bom in any::<bool>()) {
            let mut file = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            file.extend_from_slice(&bytes);
            if let Ok(text) = document_text(&file) {
                prop_assert!(!text.trim().is_empty());
                prop_assert!(!text.contains('\0'));
                let _ = TopicLines::parse(&text);
            }
        }

        #[test]
        fn text_documents_read_back_as_written(lines in proptest::collection::vec("[^\\p{C}]{1,30}", 1..20), crlf in any::<bool>()) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            prop_assume!(!text.trim().is_empty());
            prop_assert_eq!(document_text(text.as_bytes()), Ok(text.clone()));
        }

        #[test]
        fn duplicate_topics_are_refused(topic in "[a-zа-я]{1,20}", upper in any::<bool>()) {
            let again = if upper { topic.to_uppercase() } else { topic.clone() };
            let refused = matches!(TopicLines::parse(&format!("{topic}\n{again}")), Err(TopicLinesError::Duplicates(_)));
            prop_assert!(refused);
        }
    }
}
