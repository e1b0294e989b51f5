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
    }
}

callback::codec_test!(the_codec_is_exact: NotifyAction, refuses "1|n|x 1|n|d2 1|n|S",
    keeps "1|n|s 1|n|d1 1|n|d3");
