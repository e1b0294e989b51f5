//! A deep link that opens an event's card in the private chat:
//! `https://t.me/<bot>?start=ev_<id>` — the button under a new event posted to the group's
//! chat (a callback button there cannot open a private screen).
//!
//! The start parameter is `ev_` and the event's id in unpadded base64url (22 characters): 25
//! characters of Telegram's alphabet for it (`A-Za-z0-9_-`, at most 64), never the length of an
//! invite token (32). It is decoded strictly (exactly that shape, the canonical encoding of 16
//! bytes); what it names is still authorised from the database like any press.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

const PREFIX: &str = "ev_";
const ID_LEN: usize = 22;

/// The start parameter that opens `event`.
pub fn payload(event: Uuid) -> String {
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(event.as_bytes()))
}

/// The link that opens `event` in a private chat with the bot `bot` (its username).
pub fn url(bot: &str, event: Uuid) -> Option<url::Url> {
    if bot.is_empty() || !crate::text::is_url_safe(bot) {
        return None;
    }
    url::Url::parse(&format!("https://t.me/{bot}?start={}", payload(event))).ok()
}

/// Whether a start parameter is meant as an event link (well formed or not).
pub fn is_event_link(payload: &str) -> bool {
    payload.trim().starts_with(PREFIX)
}

/// The event a start parameter names, if it is exactly an event link.
pub fn parse(payload: &str) -> Option<Uuid> {
    let encoded = payload.trim().strip_prefix(PREFIX)?;
    if encoded.len() != ID_LEN || !crate::text::is_url_safe(encoded) {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    let id = Uuid::from_slice(&bytes).ok()?;
    // Only the canonical spelling: the last character's unused bits are zero.
    (URL_SAFE_NO_PAD.encode(id.as_bytes()) == encoded).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_link_round_trips_and_is_decoded_strictly() {
        let id = Uuid::new_v4();
        let payload = payload(id);
        assert_eq!(payload.len(), 25);
        assert!(crate::text::is_url_safe(&payload));
        assert_eq!(parse(&payload), Some(id));
        assert!(is_event_link(&payload));
        let link = url("study_bot", id).map(String::from);
        assert_eq!(
            link,
            Some(format!("https://t.me/study_bot?start={payload}"))
        );
        for bad in [
            "",
            "ev_",
            "ev_short",
            &format!("{payload}A"),
            &payload[1..],
            &payload.replace("ev_", "EV_"),
            "ev_AAAAAAAAAAAAAAAAAAAAA/",
            // The last character's unused bits set: not the canonical spelling.
            "ev_AAAAAAAAAAAAAAAAAAAAAB",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse("ev_AAAAAAAAAAAAAAAAAAAAAA"), Some(Uuid::nil()));
        assert_eq!(url("", id), None);
        assert_eq!(url("bad/bot", id), None);
    }
}
