//! Admin access codes: generation, the stored hash, the shape check before any query, and
//! the lifetimes the command line accepts (`30m`, `24h`, `7d`).

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Random bytes in a code: 144 bits, far beyond guessing (and beyond the reach of the wrong
/// code limit, which is only there to keep the log quiet).
const CODE_BYTES: usize = 18;
/// Characters of a code: base64url of [`CODE_BYTES`] bytes, no padding.
pub const CODE_CHARS: usize = 24;

/// A code in clear: shown once when created, then only its hash is kept. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode(String);

impl AccessCode {
    pub fn generate() -> Self {
        let mut bytes = [0u8; CODE_BYTES];
        rand::fill(&mut bytes[..]);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A typed code, if it has the shape of one (surrounding spaces ignored); anything else
    /// is refused before the database is asked.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let well_formed = raw.len() == CODE_CHARS
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && URL_SAFE_NO_PAD.decode(raw).is_ok();
        well_formed.then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database stores: the SHA-256 of the code, in hex. A plain hash is enough: the
    /// code is 144 random bits, so there is no dictionary to try and no need for a slow hash
    /// or a salt; a leaked table does not reveal a usable code.
    pub fn hash(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(***)")
    }
}

/// How long a code stays valid: minutes, hours or days (`30m`, `24h`, `7d`), up to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeLifetime {
    minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a duration such as 30m, 24h or 7d (at most 365d)")]
pub struct CodeLifetimeError;

impl CodeLifetime {
    const MAX_MINUTES: i64 = 365 * 24 * 60;

    pub fn hours(hours: i64) -> Self {
        Self {
            minutes: hours * 60,
        }
    }

    pub fn days(days: i64) -> Self {
        Self::hours(days * 24)
    }

    pub fn duration(self) -> chrono::Duration {
        chrono::Duration::minutes(self.minutes)
    }
}

impl FromStr for CodeLifetime {
    type Err = CodeLifetimeError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let unit = raw.chars().last().ok_or(CodeLifetimeError)?;
        let number = &raw[..raw.len() - unit.len_utf8()];
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || number.len() > 6 {
            return Err(CodeLifetimeError);
        }
        let n: i64 = number.parse().map_err(|_| CodeLifetimeError)?;
        let minutes = match unit {
            'm' => n,
            'h' => n * 60,
            'd' => n * 24 * 60,
            _ => return Err(CodeLifetimeError),
        };
        if minutes == 0 || minutes > Self::MAX_MINUTES {
            return Err(CodeLifetimeError);
        }
        Ok(Self { minutes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_codes_parse_and_hash_stably() {
        let code = AccessCode::generate();
        assert_eq!(code.expose().len(), CODE_CHARS);
        let typed = AccessCode::parse(&format!("  {}\n", code.expose()));
        assert_eq!(typed.as_ref(), Some(&code));
        assert_eq!(
            code.hash(),
            AccessCode::parse(code.expose()).unwrap().hash()
        );
        assert_eq!(code.hash().len(), 64);
        assert_ne!(code.hash(), AccessCode::generate().hash());
        assert!(!format!("{code:?}").contains(code.expose()));
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "abc",
            "x".repeat(25).as_str(),
            "абвгдеёжзийклмнопрстуфхц",
            "aaaaaaaaaaaaaaaaaaaaaaa=",
        ] {
            assert_eq!(AccessCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lifetimes() {
        assert_eq!("30m".parse(), Ok(CodeLifetime { minutes: 30 }));
        assert_eq!("24h".parse(), Ok(CodeLifetime::hours(24)));
        assert_eq!("7d".parse(), Ok(CodeLifetime::days(7)));
        for bad in [
            "", "d", "0h", "7", "7w", "-1d", "1.5h", "366d", " h", "+5m", "1000000m",
        ] {
            assert_eq!(
                bad.parse::<CodeLifetime>(),
                Err(CodeLifetimeError),
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn lifetime_parsing_never_panics(raw in ".{0,12}") {
            let _ = raw.parse::<CodeLifetime>();
        }

        #[test]
        fn code_parsing_never_panics(raw in ".{0,40}") {
            let _ = AccessCode::parse(&raw);
        }

        #[test]
        fn accepted_lifetimes_are_positive_and_bounded(n in 1i64..=400, unit in "[mhd]") {
            if let Ok(lifetime) = format!("{n}{unit}").parse::<CodeLifetime>() {
                prop_assert!(lifetime.duration() > chrono::Duration::zero());
                prop_assert!(lifetime.duration() <= chrono::Duration::days(365));
            }
        }
    }
}
