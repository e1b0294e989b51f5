//! The Mini App's launch data (`initData`), checked as Telegram specifies: the fields of a
//! query string, signed with a key derived from the bot token. Only a signed, fresh launch
//! names a user.
//!
//! ```text
//! secret_key       = HMAC-SHA-256(key = "WebAppData", message = bot token)
//! data_check_string = every field but `hash`, sorted by name, "name=value" joined by '\n'
//! hash             = hex(HMAC-SHA-256(key = secret_key, message = data_check_string))
//! ```

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How old a launch may be: Telegram signs `auth_date` when the app is opened.
pub const MAX_AGE: Duration = Duration::hours(24);

/// How far ahead of our clock a launch may be dated (clocks differ a little).
const MAX_SKEW: Duration = Duration::minutes(5);

/// The longest launch data accepted (Telegram's is well under 2 KB).
const MAX_LEN: usize = 4096;

/// The key launch data is checked with, derived once from the bot token.
#[derive(Clone)]
pub struct LaunchKey([u8; 32]);

impl std::fmt::Debug for LaunchKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LaunchKey(***)")
    }
}

/// Why launch data was refused (never told to the caller: every case is a bare 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("malformed launch data")]
    Malformed,
    #[error("the signature does not match")]
    Forged,
    #[error("the launch is older than a day, or dated ahead")]
    Stale,
}

/// What a checked launch says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launch {
    pub user_id: i64,
    pub auth_date: DateTime<Utc>,
}

impl LaunchKey {
    pub fn new(bot_token: &str) -> Self {
        Self(hmac_of(b"WebAppData", bot_token.as_bytes()))
    }

    /// Checks `raw` (the `initData` query string) at `now`: the signature first, then the
    /// age; the user's id comes from the signed `user` field only.
    pub fn check(&self, raw: &str, now: DateTime<Utc>) -> Result<Launch, Refused> {
        if raw.is_empty() || raw.len() > MAX_LEN {
            return Err(Refused::Malformed);
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut hash = None;
        for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            if name.is_empty() || fields.iter().any(|(n, _)| *n == name) {
                return Err(Refused::Malformed);
            }
            if name == "hash" {
                if hash.is_some() {
                    return Err(Refused::Malformed);
                }
                hash = Some(decode_hex(&value).ok_or(Refused::Malformed)?);
            } else {
                fields.push((name.into_owned(), value.into_owned()));
            }
        }
        let hash = hash.ok_or(Refused::Malformed)?;
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        let check_string = fields
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut mac = HmacSha256::new_from_slice(&self.0).map_err(|_| Refused::Malformed)?;
        mac.update(check_string.as_bytes());
        // Compared in constant time.
        mac.verify_slice(&hash).map_err(|_| Refused::Forged)?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let auth_date = field("auth_date")
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .ok_or(Refused::Malformed)?;
        if auth_date < now - MAX_AGE || auth_date > now + MAX_SKEW {
            return Err(Refused::Stale);
        }
        let user: LaunchUser = field("user")
            .and_then(|json| serde_json::from_str(json).ok())
            .ok_or(Refused::Malformed)?;
        if user.id <= 0 {
            return Err(Refused::Malformed);
        }
        Ok(Launch {
            user_id: user.id,
            auth_date,
        })
    }

    /// Signs `fields` as Telegram would (tests and benchmarks make launches with it).
    pub fn sign(&self, fields: &[(&str, &str)]) -> String {
        let mut sorted: Vec<&(&str, &str)> = fields.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let check_string = sorted
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("\n");
        let hash = hmac_of(&self.0, check_string.as_bytes());
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            query.append_pair(name, value);
        }
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        query.append_pair("hash", &hex);
        query.finish()
    }
}

/// The signed `user` field: only its id is used.
#[derive(serde::Deserialize)]
struct LaunchUser {
    id: i64,
}

fn hmac_of(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // HMAC takes a key of any length.
    if let Ok(mut mac) = HmacSha256::new_from_slice(key) {
        mac.update(message);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// 64 lower-case hex digits → 32 bytes; anything else is `None`.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:ABC-test-token";

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    fn launch(key: &LaunchKey, at: DateTime<Utc>) -> String {
        let date = at.timestamp().to_string();
        key.sign(&[
            ("query_id", "AAE"),
            (
                "user",
                r#"{"id":42,"first_name":"Анна","language_code":"ru"}"#,
            ),
            ("auth_date", &date),
        ])
    }

    #[test]
    fn a_signed_fresh_launch_names_its_user() {
        let key = LaunchKey::new(TOKEN);
        let raw = launch(&key, now() - Duration::hours(23));
        let checked = key.check(&raw, now());
        assert_eq!(checked.map(|l| l.user_id), Ok(42));
    }

    #[test]
    fn another_bots_signature_is_forged() {
        let raw = launch(&LaunchKey::new("999:other"), now());
        assert_eq!(
            LaunchKey::new(TOKEN).check(&raw, now()),
            Err(Refused::Forged)
        );
    }

    #[test]
    fn a_changed_field_breaks_the_signature() {
        let key = LaunchKey::new(TOKEN);
        let raw = launch(&key, now()).replace("%22id%22%3A42", "%22id%22%3A43");
        assert_eq!(key.check(&raw, now()), Err(Refused::Forged));
    }

    #[test]
    fn old_and_future_launches_are_stale() {
        let key = LaunchKey::new(TOKEN);
        let old = launch(&key, now() - Duration::hours(24) - Duration::seconds(1));
        assert_eq!(key.check(&old, now()), Err(Refused::Stale));
        let ahead = launch(&key, now() + Duration::hours(1));
        assert_eq!(key.check(&ahead, now()), Err(Refused::Stale));
    }

    #[test]
    fn malformed_launches_are_refused() {
        let key = LaunchKey::new(TOKEN);
        let good = launch(&key, now());
        for raw in [
            String::new(),
            "hash=zz".to_owned(),
            good.replace("hash=", "hash=A"),
            format!("{good}&hash=00"),
            format!("{good}&user=1"),
            "a".repeat(5000),
        ] {
            assert!(key.check(&raw, now()).is_err(), "{raw}");
        }
        let no_user = key.sign(&[("auth_date", &now().timestamp().to_string())]);
        assert_eq!(key.check(&no_user, now()), Err(Refused::Malformed));
    }
}
