//! The text of a broadcast: the same rules as an announcement's (not blank, at most 3500
//! characters, so the heading and escaping still fit Telegram's 4096), checked once at the edge.

pub use crate::notifications::announcements::{
    AnnouncementText as BroadcastText, AnnouncementTextError as BroadcastTextError,
};
