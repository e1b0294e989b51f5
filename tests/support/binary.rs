//! The bot's binary as a process of its own, for what only a process can show: SIGKILL,
//! SIGTERM, several instances on one database.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};

use super::fake_api::FakeTelegram;

/// A running bot binary; killed if the test ends (or fails) while it runs.
pub struct BotProcess {
    child: Option<Child>,
}

impl BotProcess {
    /// Starts the binary against the fake Bot API and `database_url` in `dir`, polling, logging
    /// warnings only, its HTTP server on any free port.
    pub fn spawn(tg: &FakeTelegram, database_url: &str, dir: &Path) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_study-group-bot"))
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BOT_TOKEN", tg.token())
            .env("TELEGRAM_API_URL", tg.api_url())
            .env("DATABASE_URL", database_url)
            .env("HTTP_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the bot's binary starts");
        Self { child: Some(child) }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// SIGKILL: the process dies at once, in the middle of whatever it does.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            let _ = child.wait();
        }
    }

    /// SIGTERM, then waits for the process to exit; its exit status.
    pub async fn stop(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(term.success());
        tokio::task::spawn_blocking(move || child.wait())
            .await
            .expect("waiting for the bot")
            .expect("the bot's exit status")
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
