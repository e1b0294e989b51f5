//! Callback data: a compact, versioned, typed encoding for inline buttons.
//!
//! `"1|<domain>|<field>|<field>…"` — the version, a short domain prefix, then the action's
//! fields: short tags, decimal integers, UUIDs as 22 characters of base64url. Telegram allows at
//! most 64 bytes; every action of every domain is checked against that in its tests.
//!
//! Callback data comes from the client and can be forged: decoding is strict (unknown version,
//! prefix, tag or a malformed field → `None`, which the bot answers as an outdated button), and
//! the codec never decides permissions — the services do, from the database.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use teloxide::dptree;
use teloxide::types::{CallbackQuery, InlineKeyboardButton};
use uuid::Uuid;

use super::Branch;

/// The current encoding version. Buttons of an older version are answered as outdated.
pub const VERSION: &str = "1";
/// Telegram's limit for `callback_data`.
pub const MAX_BYTES: usize = 64;
const SEPARATOR: char = '|';

/// An action a domain's inline buttons carry.
pub trait CallbackAction: Sized + Send + Sync + Clone + 'static {
    /// The domain's prefix: short, unique among domains, without `|`.
    const PREFIX: &'static str;
    fn write(&self, out: &mut Writer);
    fn read(fields: &mut Reader<'_>) -> Option<Self>;
}

/// Encodes `action` as callback data.
pub fn encode<A: CallbackAction>(action: &A) -> String {
    let mut out = Writer(format!("{VERSION}{SEPARATOR}{}", A::PREFIX));
    action.write(&mut out);
    debug_assert!(
        out.0.len() <= MAX_BYTES,
        "callback data too long: {}",
        out.0
    );
    out.0
}

/// Decodes callback data of domain `A`; `None` for anything else or anything malformed.
pub fn decode<A: CallbackAction>(data: &str) -> Option<A> {
    if data.len() > MAX_BYTES {
        return None;
    }
    let mut parts = data.split(SEPARATOR);
    if parts.next()? != VERSION || parts.next()? != A::PREFIX {
        return None;
    }
    let mut reader = Reader(parts);
    let action = A::read(&mut reader)?;
    reader.0.next().is_none().then_some(action)
}

/// An inline button carrying `action`.
pub fn button<A: CallbackAction>(text: impl Into<String>, action: &A) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, encode(action))
}

/// The handler-tree filter for domain `A`'s buttons: injects the decoded `A`.
pub fn filter<A: CallbackAction>() -> Branch {
    dptree::filter_map(|query: CallbackQuery| query.data.as_deref().and_then(decode::<A>))
}

/// Builds callback data field by field.
pub struct Writer(String);

impl Writer {
    pub fn tag(&mut self, tag: &str) -> &mut Self {
        debug_assert!(!tag.contains(SEPARATOR) && !tag.is_empty());
        self.0.push(SEPARATOR);
        self.0.push_str(tag);
        self
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        self.0.push(SEPARATOR);
        self.0.push_str(&value.to_string());
        self
    }

    pub fn uuid(&mut self, id: Uuid) -> &mut Self {
        self.0.push(SEPARATOR);
        self.0.push_str(&base64url(id.as_bytes()));
        self
    }
}

/// Reads callback data field by field; every method returns `None` on a malformed field.
pub struct Reader<'a>(std::str::Split<'a, char>);

impl Reader<'_> {
    pub fn tag(&mut self) -> Option<&str> {
        self.0.next().filter(|tag| !tag.is_empty())
    }

    /// A decimal integer in `range` (canonical form only: no sign on zero, no leading zeros).
    pub fn int(&mut self, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        let raw = self.0.next()?;
        let value: i64 = raw.parse().ok()?;
        (value.to_string() == raw && range.contains(&value)).then_some(value)
    }

    pub fn uuid(&mut self) -> Option<Uuid> {
        let bytes = from_base64url(self.0.next()?)?;
        Uuid::from_slice(&bytes).ok()
    }
}

/// Unpadded base64url (RFC 4648 §5).
fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict: the decoder refuses padding and non-canonical trailing bits.
fn from_base64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Property-test helpers shared by every domain's codec tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::fmt::Debug;

    use proptest::prelude::*;

    use super::*;

    /// One field as a forger might write it: tags, canonical and non-canonical integers,
    /// UUIDs (valid, truncated, padded, with bad trailing bits), empty and odd characters.
    fn field(tags: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(tags).prop_map(str::to_owned),
            3 => any::<u128>().prop_map(|n| base64url(&n.to_be_bytes())),
            2 => "(0|1|2|7|30|[1-9][0-9]{0,2})",
            1 => "[a-z]{1,3}",
            1 => "(en|ru|EN|r)",
            1 => "-?[0-9]{1,6}",
            1 => "(0|00|01|-0|\\+1| 1|1 |1000|10001|100000|2147483648|9223372036854775808)",
            1 => any::<u128>().prop_map(|n| {
                let mut s = base64url(&n.to_be_bytes());
                s.pop();
                s
            }),
            1 => any::<u128>().prop_map(|n| format!("{}==", base64url(&n.to_be_bytes()))),
            1 => "[A-Za-z0-9_-]{21}[B-Zb-z1-9]",
            1 => "[A-Za-z0-9+/=_-]{0,24}",
            1 => Just(String::new()),
            1 => "\\PC{0,4}",
        ]
    }

    /// Payloads of domain `prefix` (and a few of other versions or prefixes): a first field
    /// that is mostly one of the domain's `tags`, then zero to four fields.
    pub(crate) fn payloads(
        prefix: &'static str,
        tags: &'static [&'static str],
    ) -> impl Strategy<Value = String> {
        let head = prop_oneof![
            8 => Just(format!("{VERSION}{SEPARATOR}{prefix}")),
            1 => Just(format!("2{SEPARATOR}{prefix}")),
            1 => "[0-9]\\|[a-z]{1,2}",
        ];
        let tag = prop_oneof![
            4 => proptest::sample::select(tags).prop_map(str::to_owned),
            1 => "[a-z]{1,3}",
        ];
        (head, tag, proptest::collection::vec(field(tags), 0..5)).prop_map(|(head, tag, fields)| {
            let mut data = format!("{head}{SEPARATOR}{tag}");
            for field in fields {
                data.push(SEPARATOR);
                data.push_str(&field);
            }
            data
        })
    }

    /// Decoding is exact: whatever `data` decodes to encodes back to `data` byte for byte, and
    /// fits Telegram's limit. So a forged payload can only name an action a real button could
    /// carry, which the service then checks.
    pub(crate) fn assert_exact<A: CallbackAction + PartialEq + Debug>(
        data: &str,
    ) -> Result<(), TestCaseError> {
        if let Some(action) = decode::<A>(data) {
            let encoded = encode(&action);
            prop_assert_eq!(&encoded, data, "{:?}", action);
            prop_assert!(encoded.len() <= MAX_BYTES);
            prop_assert_eq!(decode::<A>(&encoded), Some(action));
        }
        Ok(())
    }

    /// `action` encodes within the limit and decodes back to itself.
    pub(crate) fn assert_round_trip<A: CallbackAction + PartialEq + Debug>(
        action: &A,
    ) -> Result<(), TestCaseError> {
        let data = encode(action);
        prop_assert!(data.len() <= MAX_BYTES, "{} is {} bytes", data, data.len());
        let decoded = decode::<A>(&data);
        prop_assert_eq!(decoded.as_ref(), Some(action));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    enum Demo {
        Open { id: Uuid, page: i64 },
        Close,
    }

    impl CallbackAction for Demo {
        const PREFIX: &'static str = "d";
        fn write(&self, out: &mut Writer) {
            match self {
                Demo::Open { id, page } => out.tag("o").uuid(*id).int(*page),
                Demo::Close => out.tag("c"),
            };
        }
        fn read(fields: &mut Reader<'_>) -> Option<Self> {
            match fields.tag()? {
                "o" => Some(Demo::Open {
                    id: fields.uuid()?,
                    page: fields.int(0..=999)?,
                }),
                "c" => Some(Demo::Close),
                _ => None,
            }
        }
    }

    #[test]
    fn round_trips_compactly() {
        let open = Demo::Open {
            id: Uuid::new_v4(),
            page: 12,
        };
        let data = encode(&open);
        assert_eq!(data.len(), "1|d|o|".len() + 22 + "|12".len());
        assert_eq!(decode::<Demo>(&data), Some(open));
        assert_eq!(decode::<Demo>("1|d|c"), Some(Demo::Close));
    }

    #[test]
    fn refuses_forgeries() {
        let id = base64url(Uuid::new_v4().as_bytes());
        for forged in [
            "",
            "1|d",
            "0|d|c",
            "2|d|c",
            "1|x|c",
            "1|d|c|extra",
            "1|d|z",
            "1|d|o|short|1",
            &format!("1|d|o|{id}|1000"),
            &format!("1|d|o|{id}|-1"),
            &format!("1|d|o|{id}|01"),
            &format!("1|d|o|{id}|+1"),
            &format!("1|d|o|{id}"),
            &format!("1|d|o|{id}x|1"),
        ] {
            assert_eq!(decode::<Demo>(forged), None, "{forged:?}");
        }
    }

    #[test]
    fn the_forgery_generator_often_writes_valid_payloads() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let strategy = testing::payloads("d", &["o", "c"]);
        let mut runner = TestRunner::deterministic();
        let valid = (0..2000)
            .filter(|_| {
                let data = strategy.new_tree(&mut runner).unwrap().current();
                decode::<Demo>(&data).is_some()
            })
            .count();
        assert!(valid >= 40, "only {valid} of 2000 decode");
    }

    proptest! {
        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(from_base64url(&base64url(&bytes)), Some(bytes));
        }

        #[test]
        fn decoding_never_panics(data in ".{0,80}") {
            let _ = decode::<Demo>(&data);
        }

        #[test]
        fn demo_decoding_is_exact(data in testing::payloads("d", &["o", "c"])) {
            testing::assert_exact::<Demo>(&data)?;
        }

        #[test]
        fn arbitrary_strings_decode_exactly_or_not_at_all(data in any::<String>()) {
            testing::assert_exact::<Demo>(&data)?;
        }

        #[test]
        fn every_demo_action_fits(id in any::<u128>(), page in 0i64..=999) {
            let data = encode(&Demo::Open { id: Uuid::from_u128(id), page });
            prop_assert!(data.len() <= MAX_BYTES);
        }
    }
}
