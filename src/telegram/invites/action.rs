//! The inline buttons of the invitations screens (callback prefix `i`). The member list links
//! to them with [`Action::Menu`].
//!
//! Buttons carry what to show or do, never a permission: every change is checked by the
//! service against the database, and an invitation of another group is "not found".

use uuid::Uuid;

use crate::invites::Validity;
use crate::telegram::callback::{self, CallbackField, Reader, Writer};

/// The validity in days.
impl CallbackField for Validity {
    fn write(&self, out: &mut Writer) {
        out.int(self.days());
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Validity::from_days(fields.int(1..=30)?)
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        Validity::ALL.to_vec()
    }
}

callback::actions! {
    /// Inline buttons of the invitations screens.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Action = "i" {
        /// The invitations screen with the default options (7 days, reusable).
        Menu = "m",
        /// The invitations screen with these options chosen.
        Options { validity: Validity, single_use: bool } = "o",
        /// Create a link with these options.
        Create { validity: Validity, single_use: bool } = "c",
        /// The active links of the group.
        List = "l",
        /// Revoke one link (of the presser's own group — the service checks).
        Revoke { invite: Uuid } = "r",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "1|i|x 1|m|m 1|i|o|2|0 1|i|o|7|2 1|i|c|07|0 1|i|c|-7|0 1|i|c|31|1 1|i|r|not-a-uuid 1|i|r|{id}x",
    keeps "1|i|m 1|i|c|30|1");
