//! The inline buttons of the notification settings screen (callback prefix `n`); the profile
//! links to the screen with [`NotifyAction::Show`].

use crate::telegram::callback;

callback::actions! {
    /// Inline buttons of the settings screen.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum NotifyAction = "n" {
        Show = "s",
        NewEvents = "e",
        Deadline1d = "d1",
        Deadline3h = "d3",
        Evening = "v",
        QueueTurn = "q",
        QueueOpening = "qo",
        Announcements = "a",
        /// A digest's choice of times: 0 the evening one, 1 the morning one, 2 the class ping.
        Digest { which: u8 in 0..=2 } = "g",
        /// A digest at a minute of the day (for the ping: so many minutes before).
        DigestAt { which: u8 in 0..=2, minute: u16 in 0..=1439 } = "gt",
        DigestOff { which: u8 in 0..=2 } = "go",
    }
}

callback::codec_test!(the_codec_is_exact: NotifyAction, refuses "1|n|x 1|n|d2 1|n|S 1|n|g|3 1|n|gt|0|1440 1|n|go",
    keeps "1|n|s 1|n|d1 1|n|d3 1|n|g|2");
