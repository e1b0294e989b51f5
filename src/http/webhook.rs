//! The webhook endpoint: Telegram posts each update here. The update is stored in the inbox
//! *before* the 200 answer (which is what makes Telegram forget it), and handled by the inbox
//! worker afterwards — never the other way round, so a crash loses nothing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tokio::sync::Notify;

use super::HttpState;
use crate::telegram::inbox;
use crate::telegram::updates::Processor;

/// The header Telegram sends the `secret_token` of `setWebhook` in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// A webhook secret token: 1–256 characters of `A-Z a-z 0-9 _ -` (Telegram's rule). Never
/// printed.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("WEBHOOK_SECRET must be 1–256 characters of A-Z, a-z, 0-9, '_' and '-'")]
pub struct WebhookSecretError;

impl WebhookSecret {
    pub fn parse(raw: &str) -> Result<Self, WebhookSecretError> {
        let valid = (1..=256).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(WebhookSecretError)
        }
    }

    /// 32 random bytes in base64url: a new secret for this start.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes[..]);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares in time independent of where the first difference is.
    fn matches(&self, given: &[u8]) -> bool {
        let expected = self.0.as_bytes();
        expected.len() == given.len()
            && expected
                .iter()
                .zip(given)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// What the endpoint needs.
pub struct Webhook {
    path: String,
    secret: WebhookSecret,
    processor: Arc<Processor>,
    inbox: inbox::Inbox,
    /// Wakes the inbox worker of this instance.
    pub wake: Arc<Notify>,
}

impl Webhook {
    pub fn new(
        path: String,
        secret: WebhookSecret,
        processor: Arc<Processor>,
        inbox: inbox::Inbox,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            path,
            secret,
            processor,
            inbox,
            wake,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// `POST <webhook path>`: 401 for a wrong secret; 400 for a body that is no update; otherwise
/// the update is stored (once per `update_id`) and 200 answered.
pub async fn receive(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(webhook) = &state.webhook else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let authorised = headers
        .get(SECRET_HEADER)
        .is_some_and(|given| webhook.secret.matches(given.as_bytes()));
    if !authorised {
        tracing::warn!("webhook call without the right secret token; refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Some(update_id) = payload.get("update_id").and_then(serde_json::Value::as_i64) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match webhook.inbox.store(update_id, payload.clone()).await {
        Ok(stored) => {
            if stored {
                webhook.wake.notify_one();
            } else {
                tracing::info!(
                    update_id,
                    "webhook delivered an update again; already stored"
                );
            }
            StatusCode::OK.into_response()
        }
        Err(err) => {
            // Same as polling with the database down: the user hears "try again" now rather
            // than an answer minutes later, and Telegram does not keep re-posting.
            tracing::error!(update_id, %err, "cannot store a webhook update; telling the user to retry");
            if let Ok(update) = inbox::parse_update(&payload) {
                webhook.processor.tell_to_retry(&update).await;
            }
            StatusCode::OK.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_follow_telegrams_rule() {
        assert!(WebhookSecret::parse("abc_DEF-123").is_ok());
        assert!(WebhookSecret::parse("").is_err());
        assert!(WebhookSecret::parse("a b").is_err());
        assert!(WebhookSecret::parse(&"a".repeat(257)).is_err());
        let generated = WebhookSecret::generate();
        assert!(WebhookSecret::parse(generated.expose()).is_ok());
        assert!(!format!("{generated:?}").contains(generated.expose()));
    }

    #[test]
    fn only_the_exact_secret_matches() {
        let secret = WebhookSecret::parse("s3cret").expect("valid");
        assert!(secret.matches(b"s3cret"));
        assert!(!secret.matches(b"s3cre"));
        assert!(!secret.matches(b"s3creT"));
    }
}
