//! The inline buttons of the notification settings screen (callback prefix `n`); the profile
//! links to the screen with [`NotifyAction::Show`].

use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of the settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyAction {
    Show,
    NewEvents,
    Deadline1d,
    Deadline3h,
    Evening,
    QueueTurn,
    Announcements,
}

const TAGS: [(NotifyAction, &str); 7] = [
    (NotifyAction::Show, "s"),
    (NotifyAction::NewEvents, "e"),
    (NotifyAction::Deadline1d, "d1"),
    (NotifyAction::Deadline3h, "d3"),
    (NotifyAction::Evening, "v"),
    (NotifyAction::QueueTurn, "q"),
    (NotifyAction::Announcements, "a"),
];

impl CallbackAction for NotifyAction {
    const PREFIX: &'static str = "n";

    fn write(&self, out: &mut Writer) {
        if let Some((_, tag)) = TAGS.iter().find(|(a, _)| a == self) {
            out.tag(tag);
        }
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let tag = fields.tag()?;
        TAGS.iter().find(|(_, t)| *t == tag).map(|(a, _)| *a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    #[test]
    fn every_action_round_trips_and_fits() {
        for (action, _) in TAGS {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES);
            assert_eq!(decode::<NotifyAction>(&data), Some(action));
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("n", &["s", "e", "d1", "d3", "v", "q", "a"])) {
                testing::assert_exact::<NotifyAction>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<NotifyAction>(&data)?;
            }
        }
    }
}
