//! The inline buttons of the admin panel and of a group's change history (callback prefix `a`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database (admin status, or the leader's own group for the history).

use uuid::Uuid;

use crate::admin::Audience;
use crate::telegram::callback;

/// The largest page a button may carry.
const MAX_PAGE: i64 = 100_000;

callback::tags!(Audience {
    All = "a",
    Leaders = "l",
});

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "a" {
        /// The panel's main screen.
        Panel = "p",
        /// Statistics.
        Stats = "s",
        /// The groups by name, page `page`.
        Groups { page: u32 in 0..=MAX_PAGE } = "g",
        /// Asks for a part of a group's name.
        Search = "f",
        /// One group's card.
        Group { group: Uuid } = "o",
        /// Asks to confirm deleting the group.
        Delete { group: Uuid } = "d",
        /// Deletes the group.
        DeleteConfirmed { group: Uuid } = "dy",
        /// Asks for the text of a broadcast to `audience`.
        Broadcast { audience: Audience } = "b",
        /// Sends the previewed broadcast (its text is in the admin's dialogue, not here).
        BroadcastSend = "bs",
        /// Drops the composed broadcast.
        BroadcastCancel = "bc",
        /// The whole change log, page `page` (newest first).
        Log { page: u32 in 0..=MAX_PAGE } = "l",
        /// One group's change log for the admin.
        GroupLog { group: Uuid, page: u32 in 0..=MAX_PAGE } = "gl",
        /// The access codes.
        Codes = "c",
        /// Creates a code (one-time for a day, or reusable for a week).
        CodeCreate { one_time: bool } = "cn",
        /// Deactivates a code.
        CodeDeactivate { code: Uuid } = "cx",
        /// «📜 История изменений» of the leader's own group, page `page`.
        History { page: u32 in 0..=MAX_PAGE } = "h",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "2|a|p 1|g|p 1|a|g|-1 1|a|g|01 1|a|g|100001 1|a|b|x 1|a|cn|2 1|a|o|short",
    keeps "1|a|p 1|a|g|100000 1|a|b|l");
