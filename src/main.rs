//! `study-group-bot`: run the bot (default), or `migrate`.

use std::process::ExitCode;

use clap::Parser;
use study_group_bot::config::{Cli, Command, LogFormat};
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
    let runtime = match tokio::runtime::Runtime::new() {
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
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
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
