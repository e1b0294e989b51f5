//! The inline buttons of the member list and cards (callback prefix `m`) and of the profile
//! (prefix `p`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database. Group settings link to the member list with
//! [`Action::Page`], the notification settings back to the profile with
//! [`ProfileAction::Show`].

use uuid::Uuid;

use crate::telegram::Locale;
use crate::telegram::callback::{self, CallbackField, Reader, Writer};

/// The highest page number a button may carry.
const MAX_PAGE: i64 = 1000;

callback::actions! {
    /// Inline buttons of the member list and member cards. Every action names the list page to
    /// return to; member ids are membership ids (`groupmembers.id`).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Action = "m" {
        /// A page of the member list.
        Page { page: i64 in 0..=MAX_PAGE } = "p",
        /// A member's card (leader).
        Card { member: Uuid, page: i64 in 0..=MAX_PAGE } = "c",
        Appoint { member: Uuid, page: i64 in 0..=MAX_PAGE } = "a",
        Revoke { member: Uuid, page: i64 in 0..=MAX_PAGE } = "r",
        /// Asks to confirm the removal.
        Remove { member: Uuid, page: i64 in 0..=MAX_PAGE } = "d",
        RemoveConfirmed { member: Uuid, page: i64 in 0..=MAX_PAGE } = "dy",
        /// Asks to confirm the transfer of leadership.
        Transfer { member: Uuid, page: i64 in 0..=MAX_PAGE } = "t",
        TransferConfirmed { member: Uuid, page: i64 in 0..=MAX_PAGE } = "ty",
        /// The member list as a CSV document (leader, assistants).
        Export = "e",
    }
}

/// The language's code (`ru`, `en`).
impl CallbackField for Locale {
    fn write(&self, out: &mut Writer) {
        out.tag(self.code());
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let code = fields.tag()?;
        Locale::ALL.into_iter().find(|locale| locale.code() == code)
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        Locale::ALL.to_vec()
    }
}

callback::actions! {
    /// Inline buttons of the profile.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ProfileAction = "p" {
        /// The profile screen (back from a confirmation).
        Show = "s",
        /// «✏️ Изменить ФИО»: asks for the ФИО.
        EditFio = "f",
        /// Skips the ФИО asked right after joining.
        SkipFio = "k",
        Language { locale: Locale } = "l",
        /// «🚪 Покинуть группу»: asks to confirm.
        Leave = "q",
        LeaveConfirmed = "qy",
    }
}

callback::codec_test!(the_member_codec_is_exact: Action, refuses
    "1|m|p|-1 1|m|p|1001 1|m|x 1|m|c|{id}| 1|m|c|{id}x|0 1|m|a|123|0 1|p|c|{id}|0",
    keeps "1|m|p|0 1|m|e");
callback::codec_test!(the_profile_codec_is_exact: ProfileAction, refuses
    "1|p|l|de 1|p|l|EN 1|p|qq 1|m|s",
    keeps "1|p|l|en 1|p|l|ru 1|p|s");
