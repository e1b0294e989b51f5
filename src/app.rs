//! Wiring: database, Bot API client, handler tree, update source. Tests and benchmarks build
//! the same `App` in-process.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use teloxide::prelude::*;
use tokio::sync::watch;

use crate::config::{Config, Mode};
use crate::storage;
use crate::telegram::{self, Ctx, UpdateHandler, commands, send, updates};

pub struct App {
    processor: updates::Processor,
    poll_timeout_secs: u32,
}

impl App {
    /// Connects and migrates the database, introduces the bot to Telegram (`getMe`,
    /// `setMyCommands`) and prepares the handler tree.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with(config, telegram::schema()).await
    }

    /// [`App::build`] serving `handler` instead of the bot's own handler tree (tests use this to
    /// check the update pipeline itself, e.g. that a panicking handler does not stop the bot).
    pub async fn build_with(config: Config, handler: UpdateHandler) -> anyhow::Result<Self> {
        let token = config.token()?;
        if config.mode == Mode::Webhook {
            anyhow::bail!("MODE=webhook is not available yet; use MODE=polling");
        }
        let default_timezone = crate::groups::Timezone::parse(&config.default_timezone)
            .map_err(|err| {
                anyhow::anyhow!(
                    "DEFAULT_TIMEZONE is not a valid IANA time zone ({err}); use a name such as Europe/Moscow"
                )
            })?;
        let db = connect_and_migrate(&config.database_url).await?;
        let bot = Bot::new(token.expose()).set_api_url(config.telegram_api_url.clone());
        let me = send::with_retries(|| bot.get_me().send())
            .await
            .context("asking the Bot API who the bot is (getMe)")?;
        commands::register(&bot)
            .await
            .context("registering the command list (setMyCommands)")?;
        send::with_retries(|| bot.delete_webhook().send())
            .await
            .context("switching to polling (deleteWebhook)")?;
        tracing::info!(username = me.username(), "connected to the Bot API");
        let ctx = Ctx {
            db,
            bot,
            bot_username: Arc::from(me.username()),
            default_timezone: Arc::from(default_timezone.name()),
        };
        Ok(Self {
            processor: updates::Processor::new(ctx, handler, me),
            poll_timeout_secs: config.poll_timeout_secs,
        })
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.processor.ctx().db
    }

    /// Serves updates until `shutdown` completes, then finishes the updates in hand and returns.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let polling = updates::poll(&self.processor, self.poll_timeout_secs, stopped);
        tokio::pin!(polling);
        tokio::select! {
            () = &mut polling => return Ok(()),
            () = shutdown => {
                tracing::info!("shutting down: finishing the updates in hand");
                let _ = stop.send(true);
            }
        }
        polling.await;
        self.processor.ctx().db.clone().close().await?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Opens the database and applies pending migrations.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = storage::connect(url)
        .await
        .with_context(|| format!("connecting to the database {}", redact(url)))?;
    storage::migrate(&db).await.context("applying migrations")?;
    Ok(db)
}

/// Runs the bot until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    App::build(config).await?.run_until(shutdown_signal()).await
}

/// Completes on SIGINT (Ctrl+C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl+C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}
