//! The inline buttons of the group settings screens (callback prefix `g`).

use uuid::Uuid;

use crate::telegram::callback;

/// The last index of [`crate::groups::timezone::QUICK`].
const LAST_QUICK: i64 = crate::groups::timezone::QUICK.len() as i64 - 1;

callback::actions! {
    /// Inline buttons of the group settings screens (prefix `g`). They carry no permission: every
    /// press is checked by the service against the database.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Action = "g" {
        /// The settings screen (also «back» from any settings question).
        Settings = "s",
        /// Ask for a new name.
        Rename = "r",
        /// Ask for a new description.
        Description = "d",
        /// Remove the description.
        ClearDescription = "dc",
        /// Ask for a time zone.
        Timezone = "t",
        /// Set the quick time zone number `index` of [`crate::groups::timezone::QUICK`].
        SetTimezone { index: u8 in 0..=LAST_QUICK } = "tz",
        /// Ask to confirm deleting the group.
        Delete = "x",
        /// Delete the group `group` (only if it is the presser's own group, as stored).
        DeleteConfirm { group: Uuid } = "xy",
        /// Show the calendar feed link (made on first request).
        Feed = "f",
        /// Ask to confirm replacing the feed link.
        FeedRegenerate = "fr",
        /// Replace the feed link of group `group` (only the presser's own group, as stored).
        FeedRegenerateConfirm { group: Uuid } = "fy",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "2|g|s 1|m|s 1|G|s 1|g|S 1|g|q 1|g|tz|12 1|g|tz|-1 1|g|tz|01 1|g|tz|1.5 1|g|tz|Europe/Moscow \
     1|g|xy|short 1|g|xy|{id}= 1|g|x|{id}",
    keeps "1|g|s 1|g|tz|11");
