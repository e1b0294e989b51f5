//! Wiring: database, Bot API client, handler tree, update source. Tests and benchmarks build
//! the same `App` in-process.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use teloxide::payloads::{DeleteWebhook, GetMe, SetWebhook, SetWebhookSetters as _};
use tokio::sync::{Notify, watch};

use crate::config::{Config, Mode};
use crate::http::{self, webhook::Webhook, webhook::WebhookSecret};
use crate::storage;
use crate::telegram::api::Api;
use crate::telegram::{self, Ctx, UpdateHandler, commands, inbox, updates};

pub struct App {
    processor: Arc<updates::Processor>,
    poll_timeout_secs: u32,
    /// The HTTP server's socket, bound in `build` (so its port is known before `run_until`).
    listener: tokio::net::TcpListener,
    http_addr: SocketAddr,
    /// Present in webhook mode: updates arrive on the HTTP server and go through the inbox.
    webhook: Option<Arc<Webhook>>,
    /// This instance's access to the inbox (its name in claims, its batched statements).
    inbox: inbox::Inbox,
    /// The Mini App's context (served by the HTTP server).
    webapp: Arc<http::webapp::WebApp>,
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
        let webhook_url = match (config.mode, &config.webhook_url) {
            (Mode::Webhook, None) => anyhow::bail!(
                "MODE=webhook needs WEBHOOK_URL: the public https:// URL Telegram posts updates to"
            ),
            (Mode::Webhook, Some(url)) => Some(url.clone()),
            (Mode::Polling, _) => None,
        };
        let webhook_secret = match &config.webhook_secret {
            Some(raw) => WebhookSecret::parse(raw)?,
            None => WebhookSecret::generate(),
        };
        let default_timezone = crate::groups::Timezone::parse(&config.default_timezone)
            .map_err(|err| {
                anyhow::anyhow!(
                    "DEFAULT_TIMEZONE is not a valid IANA time zone ({err}); use a name such as Europe/Moscow"
                )
            })?;
        crate::groups::Timezone::set_default(default_timezone);
        let db = connect_and_migrate(&config.database_url).await?;
        let api = Api::new(token.expose(), config.telegram_api_url.clone())
            .context("setting up the Bot API client")?;
        let me = introduce(&api).await?;
        commands::register(&api)
            .await
            .context("registering the command list (setMyCommands)")?;
        let listener = match tokio::net::TcpListener::bind(config.http_addr).await {
            Ok(listener) => listener,
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
                "HTTP_ADDR {} is in use by another program: set HTTP_ADDR to a free address",
                config.http_addr
            ),
            Err(err) => {
                return Err(err).with_context(|| {
                    format!("binding the HTTP server to HTTP_ADDR {}", config.http_addr)
                });
            }
        };
        let http_addr = listener.local_addr().context("the HTTP server's address")?;
        match &webhook_url {
            Some(url) => {
                let register = SetWebhook::new(url.clone())
                    .secret_token(webhook_secret.expose().to_owned())
                    .allowed_updates(updates::allowed_updates());
                api.call(register)
                    .await
                    .context("registering the webhook (setWebhook)")?;
            }
            None => {
                api.call(DeleteWebhook::new())
                    .await
                    .context("switching to polling (deleteWebhook)")?;
            }
        }
        tracing::info!(username = me.username(), mode = ?config.mode, %http_addr, "connected to the Bot API");
        let ctx = Ctx {
            db,
            api,
            bot_username: Arc::from(me.username()),
            default_timezone,
            notifier: crate::notifications::Notifier::default(),
            public_url: config
                .public_url
                .as_ref()
                .map(|url| Arc::from(url.as_str().trim_end_matches('/'))),
            claim: None,
            deferred: None,
        };
        if let Some(url) = telegram::miniapp::url(&ctx) {
            telegram::miniapp::set_menu_button(&ctx.api, &url)
                .await
                .context("setting the menu button to the Mini App (setChatMenuButton)")?;
        }
        let webapp = Arc::new(http::webapp::WebApp::new(ctx.clone(), token.expose()));
        let processor = Arc::new(updates::Processor::new(ctx, handler, me));
        let inbox = inbox::Inbox::new(processor.ctx().db.clone());
        let webhook = webhook_url.map(|url| {
            Arc::new(Webhook::new(
                url.path().to_owned(),
                webhook_secret,
                Arc::clone(&processor),
                inbox.clone(),
                Arc::new(Notify::new()),
            ))
        });
        // Install the metrics recorder before the first update is counted.
        let _ = http::metrics::handle();
        Ok(Self {
            processor,
            poll_timeout_secs: config.poll_timeout_secs,
            listener,
            http_addr,
            webhook,
            inbox,
            webapp,
        })
    }

    /// Where the HTTP server listens (with the real port when `HTTP_ADDR` asked for port 0).
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.processor.ctx().db
    }

    /// The notifications' clock, wake-up signal and rate limiter: tests swap in a manual clock
    /// (`Notifier::set_clock`) and wake the sender after moving it.
    pub fn notifier(&self) -> &crate::notifications::Notifier {
        &self.processor.ctx().notifier
    }

    /// Serves updates until `shutdown` completes, then finishes the updates in hand and returns.
    /// The HTTP server (`/healthz`, `/metrics`, `/ics/…`, the webhook) runs alongside and stops
    /// with it.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let state = http::HttpState {
            db: self.processor.ctx().db.clone(),
            webhook: self.webhook.clone(),
            webapp: Arc::clone(&self.webapp),
        };
        let mut server_stopped = stopped.clone();
        let server =
            axum::serve(self.listener, http::router(state)).with_graceful_shutdown(async move {
                let _ = server_stopped.wait_for(|stop| *stop).await;
            });
        let server = tokio::spawn(async move {
            if let Err(err) = server.await {
                tracing::error!(%err, "the HTTP server failed");
            }
        });
        let inbox = self.inbox.clone();
        let wake = match &self.webhook {
            Some(webhook) => Arc::clone(&webhook.wake),
            None => Arc::new(Notify::new()),
        };
        // Every instance handles the inbox; in polling mode the instance holding the poller
        // role also fills it, and hands its worker the rows it claimed while storing them.
        let (hand, handed) = inbox::handoff();
        let worker = tokio::spawn(inbox::work(
            Arc::clone(&self.processor),
            inbox.clone(),
            Arc::clone(&wake),
            handed,
            stopped.clone(),
        ));
        let updates = async {
            // Dropped when polling ends: the worker then knows nothing more will be handed.
            let hand = hand;
            if self.webhook.is_none() {
                updates::poll(
                    &self.processor,
                    &inbox,
                    &wake,
                    &hand,
                    self.poll_timeout_secs,
                    stopped,
                )
                .await;
            } else {
                let mut stopped = stopped;
                let _ = stopped.wait_for(|stop| *stop).await;
            }
        };
        // Only the instance holding the sender role sends notices and edits live messages.
        let sender = crate::telegram::notifications::elected::Task::spawn(
            crate::telegram::notifications::elected::serve(
                self.processor.ctx().clone(),
                stop.subscribe(),
            ),
        );
        tokio::pin!(updates);
        tokio::select! {
            () = &mut updates => {}
            () = shutdown => {
                tracing::info!("shutting down: finishing the updates in hand");
                let _ = stop.send(true);
                updates.await;
            }
        }
        let _ = stop.send(true);
        if let Err(err) = worker.await {
            tracing::error!(%err, "the inbox worker task failed");
        }
        // The sender finishes the sends in flight and gives its role up: nothing is left
        // half-sent by a graceful stop.
        if let Err(err) = sender.join().await {
            tracing::error!(%err, "the notification sender task failed");
        }
        if let Err(err) = server.await {
            tracing::error!(%err, "the HTTP server task failed");
        }
        self.processor.ctx().db.clone().close().await?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The Bot API refused the token: final, unlike a Bot API that cannot be reached yet.
#[derive(Debug, thiserror::Error)]
#[error(
    "the Bot API refused BOT_TOKEN (Unauthorized): check the token @BotFather gave (and TELEGRAM_API_URL, if set)"
)]
pub struct TokenRefused;

/// The longest pause between two tries to reach the Bot API at start.
const MAX_START_PAUSE: std::time::Duration = std::time::Duration::from_secs(30);

/// Asks the Bot API who the bot is (`getMe`) until it answers: at start the network or DNS may
/// not be up yet, so failures are logged and retried with a doubling pause (at most
/// [`MAX_START_PAUSE`]). A refused token is not retried.
async fn introduce(api: &Api) -> anyhow::Result<teloxide::types::Me> {
    use teloxide::{ApiError, RequestError};
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        let wait = match api.call_once(GetMe::new()).await {
            Ok(me) => return Ok(me),
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(TokenRefused.into()),
            Err(RequestError::RetryAfter(after)) => after.duration(),
            Err(err) => {
                let wait = pause;
                pause = (pause * 2).min(MAX_START_PAUSE);
                tracing::warn!(%err, ?wait, "the Bot API cannot be reached (getMe); retrying");
                wait
            }
        };
        tokio::time::sleep(wait).await;
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
    // Listened for from the first moment: a stop asked for while starting (the Bot API not
    // reachable yet, say) ends the start at once — also as a container's PID 1, whose signals
    // without a handler the kernel drops.
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let app = tokio::select! {
        app = App::build(config) => app?,
        () = &mut shutdown => {
            tracing::info!("stopped while starting");
            return Ok(());
        }
    };
    app.run_until(shutdown).await
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
