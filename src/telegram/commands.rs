//! Slash commands: parsing (teloxide's `BotCommands`) and their registration with
//! `setMyCommands` in every locale.

use teloxide::payloads::{SetMyCommands, SetMyCommandsSetters as _};
use teloxide::types::BotCommand;
use teloxide::utils::command::BotCommands;

use super::api::Api;
use super::texts::Locale;

#[derive(Debug, Clone, PartialEq, Eq, BotCommands)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// `/start` or `/start <invite token>` (a deep link).
    Start(String),
    Help,
    Menu,
    Calendar,
    Deadlines,
    Invite,
    Profile,
    Cancel,
    /// `/admin` (the panel, for admins) or `/admin <code>` (redeem an access code).
    Admin(String),
}

/// The commands shown in Telegram's menu, in the order shown.
const PUBLIC: [(&str, &str); 8] = [
    ("start", "cmd-start"),
    ("help", "cmd-help"),
    ("menu", "cmd-menu"),
    ("calendar", "cmd-calendar"),
    ("deadlines", "cmd-deadlines"),
    ("invite", "cmd-invite"),
    ("profile", "cmd-profile"),
    ("cancel", "cmd-cancel"),
];

pub fn public_commands(locale: Locale) -> Vec<BotCommand> {
    PUBLIC
        .iter()
        .map(|(command, text_id)| BotCommand::new(*command, locale.text(text_id)))
        .collect()
}

/// Registers the command list: Russian as the default, plus one list per locale.
pub async fn register(api: &Api) -> Result<(), teloxide::RequestError> {
    api.call(SetMyCommands::new(public_commands(Locale::Ru)))
        .await?;
    for locale in Locale::ALL {
        api.call(SetMyCommands::new(public_commands(locale)).language_code(locale.code()))
            .await?;
    }
    Ok(())
}
