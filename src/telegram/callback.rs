//! Callback data: a compact, versioned, typed encoding for inline buttons.
//!
//! `"1|<domain>|<field>|<field>…"` — the version, a short domain prefix, then the action's
//! fields: short tags, decimal integers, UUIDs as 22 characters of base64url. Telegram allows at
//! most 64 bytes; every action of every domain is checked against that in its tests.
//!
//! Callback data comes from the client and can be forged: decoding is strict (unknown version,
//! prefix, tag or a malformed field → `None`, which the bot answers as an outdated button), and
//! the codec never decides permissions — the services do, from the database.

use std::ops::RangeInclusive;

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
    /// One of every kind of action, for the codec's tests.
    #[cfg(test)]
    fn examples() -> Vec<Self>;
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
    pub fn int(&mut self, range: RangeInclusive<i64>) -> Option<i64> {
        let raw = self.0.next()?;
        let value: i64 = raw.parse().ok()?;
        (value.to_string() == raw && range.contains(&value)).then_some(value)
    }

    pub fn uuid(&mut self) -> Option<Uuid> {
        let bytes = from_base64url(self.0.next()?)?;
        Uuid::from_slice(&bytes).ok()
    }

    /// A decimal integer in `range` (as [`Reader::int`]), as a `T`.
    pub fn number<T: TryFrom<i64>>(&mut self, range: RangeInclusive<i64>) -> Option<T> {
        T::try_from(self.int(range)?).ok()
    }
}

/// A value an action carries that encodes itself: an id, a flag, a choice among tags, a date.
pub trait CallbackField: Sized {
    fn write(&self, out: &mut Writer);
    fn read(fields: &mut Reader<'_>) -> Option<Self>;
    /// The widest, the narrowest and some other values, for the codec's tests.
    #[cfg(test)]
    fn examples() -> Vec<Self>;
}

impl CallbackField for Uuid {
    fn write(&self, out: &mut Writer) {
        out.uuid(*self);
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        fields.uuid()
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        vec![Uuid::max(), Uuid::nil(), Uuid::new_v4()]
    }
}

/// `0` or `1`.
impl CallbackField for bool {
    fn write(&self, out: &mut Writer) {
        out.int(i64::from(*self));
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(fields.int(0..=1)? == 1)
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        vec![false, true]
    }
}

/// Declares a domain's action enum and its codec: each variant names its tag, and its fields
/// are written in order — an integer as `name: u32 in 0..=MAX` (decoded only within the
/// range), anything else through its [`CallbackField`].
///
/// ```ignore
/// callback::actions! {
///     pub enum Action = "q" {
///         Open { queue: Uuid } = "o",
///         RemoveList { queue: Uuid, from: u32 in 0..=MAX_OFFSET } = "rl",
///         Cancel = "k",
///     }
/// }
/// ```
macro_rules! actions {
    (@write $out:ident, $value:ident, $ty:ident, $range:expr) => {
        $out.int(i64::from(*$value))
    };
    (@write $out:ident, $value:ident, $ty:ident) => {
        $crate::telegram::callback::CallbackField::write($value, $out)
    };
    (@read $fields:ident, $ty:ident, $range:expr) => {
        $fields.number::<$ty>($range)
    };
    (@read $fields:ident, $ty:ident) => {
        <$ty as $crate::telegram::callback::CallbackField>::read($fields)
    };
    (@examples $ty:ident, $range:expr) => {
        $crate::telegram::callback::testing::numbers::<$ty>($range)
    };
    (@examples $ty:ident) => {
        <$ty as $crate::telegram::callback::CallbackField>::examples()
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident = $prefix:literal {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident
                $({ $($field:ident: $ty:ident $(in $range:expr)?),+ $(,)? })?
                = $tag:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $variant $({ $($field: $ty),+ })?,
            )+
        }

        impl $crate::telegram::callback::CallbackAction for $name {
            const PREFIX: &'static str = $prefix;

            fn write(&self, out: &mut $crate::telegram::callback::Writer) {
                match self {
                    $(
                        $name::$variant $({ $($field),+ })? => {
                            out.tag($tag);
                            $($(
                                $crate::telegram::callback::actions!(
                                    @write out, $field, $ty $(, $range)?
                                );
                            )+)?
                        }
                    )+
                }
            }

            fn read(fields: &mut $crate::telegram::callback::Reader<'_>) -> Option<Self> {
                match fields.tag()? {
                    $(
                        $tag => Some($name::$variant $({ $(
                            $field: $crate::telegram::callback::actions!(
                                @read fields, $ty $(, $range)?
                            )?,
                        )+ })?),
                    )+
                    _ => None,
                }
            }

            #[cfg(test)]
            fn examples() -> Vec<Self> {
                let mut all = Vec::new();
                $(
                    $($(
                        let $field = $crate::telegram::callback::actions!(
                            @examples $ty $(, $range)?
                        );
                    )+)?
                    let count = 1 $($(.max($field.len()))+)?;
                    for _i in 0..count {
                        all.push($name::$variant $({ $(
                            $field: $crate::telegram::callback::testing::pick(&$field, _i),
                        )+ })?);
                    }
                )+
                all
            }
        }
    };
}
pub(crate) use actions;

/// Implements [`CallbackField`] for an enum written as one tag per value.
macro_rules! tags {
    ($ty:ident { $($value:ident = $tag:literal),+ $(,)? }) => {
        impl $crate::telegram::callback::CallbackField for $ty {
            fn write(&self, out: &mut $crate::telegram::callback::Writer) {
                out.tag(match self {
                    $($ty::$value => $tag,)+
                });
            }

            fn read(fields: &mut $crate::telegram::callback::Reader<'_>) -> Option<Self> {
                match fields.tag()? {
                    $($tag => Some($ty::$value),)+
                    _ => None,
                }
            }

            #[cfg(test)]
            fn examples() -> Vec<Self> {
                vec![$($ty::$value),+]
            }
        }
    };
}
pub(crate) use tags;

/// A test of a domain's codec (see `testing::check`): the payloads it `refuses`, and those it
/// `keeps` decoding.
macro_rules! codec_test {
    ($test:ident: $action:ty, refuses $forged:literal $(, keeps $kept:literal)?) => {
        #[cfg(test)]
        #[test]
        fn $test() {
            $crate::telegram::callback::testing::check::<$action>($forged, concat!("" $(, $kept)?));
        }
    };
}
pub(crate) use codec_test;

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
    fn field(tags: Vec<String>) -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(tags),
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
    pub(crate) fn payloads(prefix: &str, tags: &[&str]) -> impl Strategy<Value = String> {
        let tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
        let head = prop_oneof![
            8 => Just(format!("{VERSION}{SEPARATOR}{prefix}")),
            1 => Just(format!("2{SEPARATOR}{prefix}")),
            1 => "[0-9]\\|[a-z]{1,2}",
        ];
        let tag = prop_oneof![
            4 => proptest::sample::select(tags.clone()),
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

    /// Checks domain `A`'s codec. Every one of its examples fits Telegram's limit and decodes
    /// back to itself, but not without its last field, with one more, or of another version.
    /// The payloads in `forged` (separated by white space; `{id}` stands for an encoded UUID)
    /// decode to nothing; those in `kept` (buttons already sent) decode, to what encodes to
    /// them. Payloads forged from the examples' fields, and arbitrary strings, decode only to
    /// their own encoding.
    pub(crate) fn check<A: CallbackAction + PartialEq + Debug>(forged: &str, kept: &str) {
        for data in kept.split_whitespace() {
            let action = decode::<A>(data);
            assert_eq!(action.as_ref().map(encode), Some(data.to_owned()), "{data}");
        }
        let id = base64url(Uuid::new_v4().as_bytes());
        let head = format!("{VERSION}{SEPARATOR}{}", A::PREFIX);
        let mut refused: Vec<String> = forged
            .split_whitespace()
            .map(|data| data.replace("{id}", &id))
            .collect();
        refused.extend([String::new(), head.clone(), format!("{head}{SEPARATOR}")]);
        let mut fields = Vec::new();
        for action in A::examples() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(decode::<A>(&data), Some(action), "{data}");
            if let Some((shorter, _)) = data.rsplit_once(SEPARATOR) {
                refused.push(shorter.to_owned());
            }
            refused.push(format!("{data}{SEPARATOR}1"));
            refused.push(format!("0{}", &data[VERSION.len()..]));
            fields.extend(data.split(SEPARATOR).skip(2).map(str::to_owned));
        }
        for data in refused {
            assert_eq!(decode::<A>(&data), None, "{data:?}");
        }
        fields.sort();
        fields.dedup();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let mut runner = proptest::test_runner::TestRunner::default();
        let exact = |data: String| assert_exact::<A>(&data);
        let outcome = runner.run(&payloads(A::PREFIX, &fields), exact);
        assert!(outcome.is_ok(), "{outcome:?}");
        let outcome = runner.run(&any::<String>(), exact);
        assert!(outcome.is_ok(), "{outcome:?}");
    }

    /// The ends and the middle of `range`, for the codec's tests.
    pub(crate) fn numbers<T: TryFrom<i64>>(range: RangeInclusive<i64>) -> Vec<T> {
        let (start, end) = range.into_inner();
        [start, end, start + (end - start) / 2]
            .into_iter()
            .filter_map(|n| T::try_from(n).ok())
            .collect()
    }

    /// The `i`-th of `values`, round and round.
    pub(crate) fn pick<T: Clone>(values: &[T], i: usize) -> T {
        values[i % values.len()].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    actions! {
        #[derive(Debug, Clone, PartialEq)]
        enum Demo = "d" {
            Open { id: Uuid, page: i64 in 0..=999 } = "o",
            Close = "c",
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
    fn the_demo_codec_is_exact() {
        assert_eq!(Demo::examples().len(), 4);
        testing::check::<Demo>("1|d|o|{id}|1000 1|d|o|{id}|01 1|d|o|{id}|-1 1|d|x", "1|d|c");
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
        fn every_demo_action_fits(id in any::<u128>(), page in 0i64..=999) {
            let data = encode(&Demo::Open { id: Uuid::from_u128(id), page });
            prop_assert!(data.len() <= MAX_BYTES);
        }
    }
}
