//! Configuration: command-line flags with environment fallbacks (a `.env` file is read too).
//!
//! The bot token is secret: it is never printed, neither in `--help` nor in errors nor in logs.

use std::fmt;
use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};
use url::Url;

use crate::text::is_url_safe;

/// The default database: an embedded SQLite file next to the binary, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://study_group_bot.db?mode=rwc";

#[derive(Debug, Parser)]
#[command(
    name = "study-group-bot",
    version,
    about = "Telegram bot for a university study group: calendar, deadlines, queues, topics, reminders"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Start the bot (the default).
    Run,
    /// Apply database migrations and exit.
    Migrate,
    /// Bot administrator access codes.
    #[command(subcommand)]
    AdminCode(AdminCodeCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum AdminCodeCommand {
    /// Create an access code and print it (once: only its hash is stored). A user becomes a
    /// bot administrator by sending `/admin <code>` to the bot.
    Create {
        /// The code can be redeemed once (by default any number of times).
        #[arg(long)]
        one_time: bool,
        /// How long the code stays valid: `30m`, `24h`, `7d` (by default until deactivated).
        #[arg(long)]
        expires: Option<crate::admin::CodeLifetime>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Bot token from @BotFather, `<digits>:<characters>`. Required to run the bot.
    #[arg(long, env = "BOT_TOKEN", hide_env_values = true)]
    pub bot_token: Option<String>,

    /// Database: `sqlite://file.db?mode=rwc` (embedded) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Bot API server: Telegram's, a self-hosted one, or a test double.
    #[arg(
        long,
        env = "TELEGRAM_API_URL",
        default_value = "https://api.telegram.org"
    )]
    pub telegram_api_url: Url,

    /// How updates arrive: long polling (default) or a webhook.
    #[arg(long, env = "MODE", value_enum, default_value_t = Mode::Polling)]
    pub mode: Mode,

    /// Public URL Telegram posts updates to, in webhook mode.
    #[arg(long, env = "WEBHOOK_URL")]
    pub webhook_url: Option<Url>,

    /// Secret token Telegram sends with every webhook call (1–256 of `A-Za-z0-9_-`). Generated
    /// per start if unset; set it when several instances share one webhook.
    #[arg(long, env = "WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,

    /// Address of the HTTP server (webhook, /healthz, /metrics, calendar feeds). Loopback by
    /// default: a reverse proxy (or a container's port mapping, `0.0.0.0:8080`) exposes it.
    #[arg(long, env = "HTTP_ADDR", default_value = "127.0.0.1:8080")]
    pub http_addr: SocketAddr,

    /// Public base URL of the HTTP server, used in calendar feed links.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<Url>,

    /// Time zone of new groups (IANA name).
    #[arg(long, env = "DEFAULT_TIMEZONE", default_value = "Europe/Moscow")]
    pub default_timezone: String,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Seconds a getUpdates long poll waits for new updates.
    #[arg(long, env = "POLL_TIMEOUT", default_value_t = 10, hide = true)]
    pub poll_timeout_secs: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Polling,
    Webhook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// A syntactically valid bot token. `Debug` and `Display` hide the secret part.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BotTokenError {
    #[error(
        "BOT_TOKEN is not set: get a token from @BotFather and put it into the environment or .env"
    )]
    Missing,
    #[error("BOT_TOKEN is malformed: expected <digits>:<characters>, as @BotFather gives it")]
    Malformed,
}

impl BotToken {
    /// Accepts `<bot id digits>:<secret of letters, digits, '_' and '-'>`.
    pub fn parse(raw: Option<&str>) -> Result<Self, BotTokenError> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty());
        let token = raw.ok_or(BotTokenError::Missing)?;
        let (id, secret) = token.split_once(':').ok_or(BotTokenError::Malformed)?;
        let id_ok = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
        let secret_ok = !secret.is_empty() && secret.len() <= 128 && is_url_safe(secret);
        if id_ok && secret_ok {
            Ok(Self(token.to_owned()))
        } else {
            Err(BotTokenError::Malformed)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotToken(***)")
    }
}

impl Config {
    /// The validated token; running the bot needs one, `migrate` does not.
    pub fn token(&self) -> Result<BotToken, BotTokenError> {
        BotToken::parse(self.bot_token.as_deref())
    }

    /// A configuration for tests and benchmarks: everything default but the given parts.
    pub fn for_tests(token: &str, telegram_api_url: Url, database_url: &str) -> Self {
        Self {
            bot_token: Some(token.to_owned()),
            database_url: database_url.to_owned(),
            telegram_api_url,
            mode: Mode::Polling,
            webhook_url: None,
            webhook_secret: None,
            http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            default_timezone: "Europe/Moscow".to_owned(),
            log_format: LogFormat::Text,
            poll_timeout_secs: 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_http_server_listens_on_loopback_unless_told_otherwise() {
        let cli = Cli::try_parse_from(["study-group-bot", "--http-addr", "0.0.0.0:9000"]);
        let exposed = cli.map(|cli| cli.config.http_addr.ip().is_loopback());
        assert!(matches!(exposed, Ok(false)));
        let default = <Cli as clap::CommandFactory>::command()
            .get_arguments()
            .find(|arg| arg.get_id() == "http_addr")
            .map(|arg| arg.get_default_values().to_vec());
        assert_eq!(default, Some(vec!["127.0.0.1:8080".into()]));
    }

    #[test]
    fn accepts_botfather_tokens() {
        assert!(BotToken::parse(Some("123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11")).is_ok());
        assert!(BotToken::parse(Some(" 1:a ")).is_ok());
    }

    #[test]
    fn refuses_missing_and_malformed_tokens() {
        assert_eq!(BotToken::parse(None), Err(BotTokenError::Missing));
        assert_eq!(BotToken::parse(Some("  ")), Err(BotTokenError::Missing));
        for bad in [
            "abc",
            "123",
            ":abc",
            "12a:abc",
            "123:",
            "123:a b",
            "123:абв",
            "1:a:b",
        ] {
            assert_eq!(
                BotToken::parse(Some(bad)),
                Err(BotTokenError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let token = BotToken::parse(Some("42:secret")).expect("valid token");
        assert!(!format!("{token:?}").contains("secret"));
    }

    proptest! {
        #[test]
        fn digits_colon_word_is_always_valid(id in "[0-9]{1,12}", secret in "[A-Za-z0-9_-]{1,60}") {
            let raw = format!("{id}:{secret}");
            prop_assert_eq!(BotToken::parse(Some(&raw)).map(|t| t.expose().to_owned()), Ok(raw.clone()));
        }

        #[test]
        fn never_panics(raw in ".*") {
            let _ = BotToken::parse(Some(&raw));
        }
    }
}
