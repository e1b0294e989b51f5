//! `study-group-bot`: run the bot (default), `migrate`, or `admin-code create`.

use std::process::ExitCode;

use clap::Parser;
use study_group_bot::config::{AdminCodeCommand, Cli, Command, LogFormat};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // A missing .env is normal; the environment alone is fine.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    let command = cli.command.unwrap_or(Command::Run);
    if command == Command::Run
        && let Err(err) = cli.config.token()
    {
        eprintln!("error: {err}");
        return ExitCode::from(2);
    }
    // One thread runs everything: updates, the outbox sender, the HTTP server. The work is
    // waiting on the database and Telegram, and with worker threads every socket wake-up crossed
    // threads (a fifth of the bot's CPU went to parking and waking them, BENCHMARKS.md, "Mixed
    // workload"). More capacity comes from more instances, not more threads.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match command {
            Command::Run => study_group_bot::app::run(cli.config).await,
            Command::Migrate => study_group_bot::app::connect_and_migrate(&cli.config.database_url)
                .await
                .map(|_| tracing::info!("migrations applied")),
            Command::AdminCode(AdminCodeCommand::Create { one_time, expires }) => {
                create_admin_code(&cli.config.database_url, one_time, expires).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            // Like a missing token: the configuration is wrong, trying again will not help.
            if err.is::<study_group_bot::app::TokenRefused>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Creates an admin access code and prints it on stdout, the only time it is ever shown.
async fn create_admin_code(
    database_url: &str,
    one_time: bool,
    expires: Option<study_group_bot::admin::CodeLifetime>,
) -> anyhow::Result<()> {
    let db = study_group_bot::app::connect_and_migrate(database_url).await?;
    let clock: std::sync::Arc<dyn study_group_bot::clock::Clock> =
        std::sync::Arc::new(study_group_bot::clock::SystemClock);
    let (info, code) = study_group_bot::uow::run(&db, &clock, None, |uow| {
        Box::pin(study_group_bot::admin::access::create_code(
            uow, one_time, expires,
        ))
    })
    .await
    .map_err(|err| anyhow::anyhow!("cannot create the code: {err}"))?
    .value;
    let expiry = info
        .expires_at
        .map_or_else(|| "never".to_owned(), |at| at.to_rfc3339());
    let kind = if one_time { "one-time" } else { "reusable" };
    println!("{}", code.expose());
    eprintln!("{kind} admin access code, expires: {expiry}; send `/admin <code>` to the bot");
    Ok(())
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
