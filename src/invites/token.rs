//! `InviteToken`: the secret carried in an invite link `https://t.me/<bot>?start=<token>`.
//!
//! Generated tokens are 24 random bytes in unpadded base64url: 32 characters of
//! `[A-Za-z0-9_-]`, 192 bits. Telegram passes a start parameter of at most 64 characters from
//! that alphabet, so that is what a pasted token may look like; anything shorter than 16
//! characters cannot be one of ours and is refused before the database is asked.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::text::is_url_safe;

/// A syntactically valid invite token (it may still be unknown, expired or revoked).
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken(String);

/// Why a pasted text is not an invite link or token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteTokenError {
    /// Neither a link to this bot with a start parameter nor a bare token.
    #[error("not an invite link or token")]
    NotAnInvite,
    /// A well-formed deep link, but to another bot.
    #[error("a link to another bot, @{bot}")]
    OtherBot { bot: String },
}

impl InviteToken {
    /// Random bytes in a generated token.
    pub const RANDOM_BYTES: usize = 24;
    /// Length of a generated token: 24 bytes in unpadded base64.
    pub const GENERATED_LEN: usize = 32;
    /// Shortest token accepted when pasted.
    pub const MIN_LEN: usize = 16;
    /// Telegram's limit for a start parameter.
    pub const MAX_LEN: usize = 64;

    /// A new random token.
    pub fn generate() -> Self {
        let mut bytes = [0u8; Self::RANDOM_BYTES];
        rand::fill(&mut bytes[..]);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A bare token: 16–64 characters of `[A-Za-z0-9_-]`, nothing else.
    pub fn parse(raw: &str) -> Result<Self, InviteTokenError> {
        let valid_length = (Self::MIN_LEN..=Self::MAX_LEN).contains(&raw.len());
        let valid_chars = is_url_safe(raw);
        if valid_length && valid_chars {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InviteTokenError::NotAnInvite)
        }
    }

    /// What a user pasted: the bare token, or a link to `bot_username` carrying it —
    /// `https://t.me/<bot>?start=<token>` (also `http://`, without a scheme, or on
    /// `telegram.me`) or `tg://resolve?domain=<bot>&start=<token>` — with any surrounding
    /// whitespace. The bot's username is compared without regard to case, as Telegram does.
    pub fn parse_pasted(text: &str, bot_username: &str) -> Result<Self, InviteTokenError> {
        let text = text.trim();
        let (bot, token) = if let Some(query) = strip_prefix_ignore_case(text, "tg://resolve?") {
            let query = without_fragment(query);
            let domain = query_param(query, "domain").ok_or(InviteTokenError::NotAnInvite)?;
            let token = query_param(query, "start").ok_or(InviteTokenError::NotAnInvite)?;
            (domain, token)
        } else if let Some(rest) = web_link_path(text) {
            let (path, query) = rest.split_once('?').ok_or(InviteTokenError::NotAnInvite)?;
            let bot = path.strip_suffix('/').unwrap_or(path);
            let token = query_param(without_fragment(query), "start")
                .ok_or(InviteTokenError::NotAnInvite)?;
            (bot, token)
        } else {
            return Self::parse(text);
        };
        if !is_username(bot) {
            return Err(InviteTokenError::NotAnInvite);
        }
        if !bot.eq_ignore_ascii_case(bot_username) {
            return Err(InviteTokenError::OtherBot {
                bot: bot.to_owned(),
            });
        }
        Self::parse(token)
    }

    /// A token read back from the database (written by [`generate`](Self::generate)).
    pub(crate) fn from_stored(token: String) -> Self {
        Self(token)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The deep link that opens `bot_username` with this token.
    pub fn link(&self, bot_username: &str) -> String {
        format!("https://t.me/{bot_username}?start={}", self.0)
    }
}

/// Tokens are secrets: debug output shows only their beginning.
impl fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head: String = self.0.chars().take(4).collect();
        write!(f, "InviteToken({head}…)")
    }
}

/// `t.me/…` or `telegram.me/…`, with `https://`, `http://` or no scheme: the part after the
/// host's slash.
fn web_link_path(text: &str) -> Option<&str> {
    let without_scheme = strip_prefix_ignore_case(text, "https://")
        .or_else(|| strip_prefix_ignore_case(text, "http://"))
        .unwrap_or(text);
    ["t.me/", "telegram.me/", "www.t.me/", "www.telegram.me/"]
        .iter()
        .find_map(|host| strip_prefix_ignore_case(without_scheme, host))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn without_fragment(query: &str) -> &str {
    query.split_once('#').map_or(query, |(query, _)| query)
}

/// The value of `name` in a `a=1&b=2` query (the first occurrence).
fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A Telegram username: 4–32 characters of `[A-Za-z0-9_]` (bots' end in "bot").
fn is_username(name: &str) -> bool {
    (4..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BOT: &str = "study_group_test_bot";
    const TOKEN: &str = "AbCdEfGhIjKlMnOpQrStUvWxYz0123-_";

    fn pasted(text: &str) -> Result<String, InviteTokenError> {
        InviteToken::parse_pasted(text, BOT).map(|t| t.0)
    }

    #[test]
    fn generated_tokens_are_32_url_safe_characters_and_differ() {
        let a = InviteToken::generate();
        let b = InviteToken::generate();
        assert_eq!(a.as_str().len(), InviteToken::GENERATED_LEN);
        assert_ne!(a, b);
        assert_eq!(
            a.link(BOT),
            format!("https://t.me/study_group_test_bot?start={}", a.as_str())
        );
    }

    #[test]
    fn accepts_every_link_form() {
        for text in [
            TOKEN.to_owned(),
            format!("  {TOKEN}\n"),
            format!("https://t.me/{BOT}?start={TOKEN}"),
            format!("http://t.me/{BOT}?start={TOKEN}"),
            format!("t.me/{BOT}?start={TOKEN}"),
            format!("https://telegram.me/{BOT}?start={TOKEN}"),
            format!("HTTPS://T.ME/Study_Group_Test_Bot?start={TOKEN}"),
            format!("https://t.me/{BOT}/?start={TOKEN}"),
            format!("tg://resolve?domain={BOT}&start={TOKEN}"),
            format!("tg://resolve?start={TOKEN}&domain={BOT}"),
            format!("\t https://t.me/{BOT}?start={TOKEN}#top  "),
        ] {
            assert_eq!(pasted(&text), Ok(TOKEN.to_owned()), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_invite() {
        for text in [
            "",
            "   ",
            "привет",
            "short",
            &TOKEN[..15],
            &"a".repeat(65),
            &format!("{TOKEN}!"),
            &format!("{TOKEN} {TOKEN}"),
            &format!("https://t.me/{BOT}"),
            &format!("https://t.me/{BOT}?start="),
            &format!("https://t.me/{BOT}?begin={TOKEN}"),
            &format!("https://t.me/{BOT}?start={TOKEN}%21"),
            &format!("https://example.com/{BOT}?start={TOKEN}"),
            &format!("tg://resolve?domain={BOT}"),
            &format!("tg://resolve?start={TOKEN}"),
            &format!("https://t.me/a b?start={TOKEN}"),
            "https://t.me/?start=",
        ] {
            assert_eq!(pasted(text), Err(InviteTokenError::NotAnInvite), "{text:?}");
        }
    }

    #[test]
    fn a_link_to_another_bot_is_named() {
        assert_eq!(
            pasted(&format!("https://t.me/other_bot?start={TOKEN}")),
            Err(InviteTokenError::OtherBot {
                bot: "other_bot".into()
            })
        );
        assert_eq!(
            pasted(&format!("tg://resolve?domain=other_bot&start={TOKEN}")),
            Err(InviteTokenError::OtherBot {
                bot: "other_bot".into()
            })
        );
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = InviteToken::parse(TOKEN).unwrap();
        assert_eq!(format!("{token:?}"), "InviteToken(AbCd…)");
    }

    fn link_forms(token: &str, bot: &str) -> Vec<String> {
        vec![
            token.to_owned(),
            format!("https://t.me/{bot}?start={token}"),
            format!("http://t.me/{bot}?start={token}"),
            format!("t.me/{bot}?start={token}"),
            format!("https://telegram.me/{bot}?start={token}"),
            format!("tg://resolve?domain={bot}&start={token}"),
        ]
    }

    proptest! {
        #[test]
        fn generated_tokens_always_parse(_ in 0u8..8) {
            let token = InviteToken::generate();
            let text = token.as_str();
            prop_assert_eq!(text.len(), InviteToken::GENERATED_LEN);
            prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(InviteToken::parse(text), Ok(token.clone()));
            prop_assert_eq!(InviteToken::parse_pasted(&token.link(BOT), BOT), Ok(token));
        }

        #[test]
        fn any_link_to_a_valid_token_parses_back(
            token in "[A-Za-z0-9_-]{16,64}",
            form in 0usize..6,
            upper_bot in any::<bool>(),
            before in "[ \t\n]{0,3}",
            after in "[ \t\n]{0,3}",
        ) {
            let bot = if upper_bot { BOT.to_ascii_uppercase() } else { BOT.to_owned() };
            let text = format!("{before}{}{after}", link_forms(&token, &bot)[form]);
            prop_assert_eq!(pasted(&text), Ok(token));
        }

        #[test]
        fn garbage_never_panics(text in "\\PC{0,120}") {
            let _ = pasted(&text);
        }

        #[test]
        fn link_shaped_garbage_never_panics(
            prefix in prop::sample::select(vec!["https://t.me/", "tg://resolve?", "t.me/", "HTTP://TELEGRAM.ME/"]),
            rest in ".{0,100}",
        ) {
            if let Ok(token) = pasted(&format!("{prefix}{rest}")) {
                prop_assert!(InviteToken::parse(token.as_str()).is_ok());
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_parses_to_a_valid_token_or_nothing(raw in any::<String>(), bot in "[A-Za-z0-9_]{0,40}") {
            if let Ok(token) = InviteToken::parse(&raw) {
                prop_assert_eq!(token.as_str(), raw.as_str());
            }
            for bot in [BOT, bot.as_str()] {
                if let Ok(token) = InviteToken::parse_pasted(&raw, bot) {
                    let text = token.as_str();
                    prop_assert!((InviteToken::MIN_LEN..=InviteToken::MAX_LEN).contains(&text.len()));
                    prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
                    prop_assert!(raw.contains(text));
                }
            }
        }

        #[test]
        fn tokens_of_the_wrong_length_or_alphabet_are_refused(
            short in "[A-Za-z0-9_-]{0,15}",
            long in "[A-Za-z0-9_-]{65,90}",
            head in "[A-Za-z0-9_-]{8}",
            bad in "[^A-Za-z0-9_\\-\\s]",
            tail in "[A-Za-z0-9_-]{8}",
        ) {
            prop_assert_eq!(pasted(&short), Err(InviteTokenError::NotAnInvite));
            prop_assert_eq!(pasted(&long), Err(InviteTokenError::NotAnInvite));
            let mixed = format!("{head}{bad}{tail}");
            prop_assert_eq!(pasted(&mixed), Err(InviteTokenError::NotAnInvite));
            let link = format!("https://t.me/{BOT}?start={mixed}");
            prop_assert_eq!(pasted(&link), Err(InviteTokenError::NotAnInvite));
        }

        #[test]
        fn links_to_another_bot_are_refused(other in "[a-z][a-z0-9_]{3,20}bot", token in "[A-Za-z0-9_-]{16,64}") {
            prop_assume!(!other.eq_ignore_ascii_case(BOT));
            let refused = matches!(pasted(&format!("https://t.me/{other}?start={token}")), Err(InviteTokenError::OtherBot { .. }));
            prop_assert!(refused);
        }
    }
}
