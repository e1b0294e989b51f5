//! The inline buttons of the group settings screens (callback prefix `g`).

use uuid::Uuid;

use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of the group settings screens (prefix `g`). They carry no permission: every
/// press is checked by the service against the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The settings screen (also «back» from any settings question).
    Settings,
    /// Ask for a new name.
    Rename,
    /// Ask for a new description.
    Description,
    /// Remove the description.
    ClearDescription,
    /// Ask for a time zone.
    Timezone,
    /// Set the quick time zone number `index` of [`crate::groups::timezone::QUICK`].
    SetTimezone { index: u8 },
    /// Ask to confirm deleting the group.
    Delete,
    /// Delete the group `group` (only if it is the presser's own group, as stored).
    DeleteConfirm { group: Uuid },
    /// Show the calendar feed link (made on first request).
    Feed,
    /// Ask to confirm replacing the feed link.
    FeedRegenerate,
    /// Replace the feed link of group `group` (only the presser's own group, as stored).
    FeedRegenerateConfirm { group: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "g";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Settings => out.tag("s"),
            Action::Rename => out.tag("r"),
            Action::Description => out.tag("d"),
            Action::ClearDescription => out.tag("dc"),
            Action::Timezone => out.tag("t"),
            Action::SetTimezone { index } => out.tag("tz").int(i64::from(*index)),
            Action::Delete => out.tag("x"),
            Action::DeleteConfirm { group } => out.tag("xy").uuid(*group),
            Action::Feed => out.tag("f"),
            Action::FeedRegenerate => out.tag("fr"),
            Action::FeedRegenerateConfirm { group } => out.tag("fy").uuid(*group),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        const LAST_QUICK: i64 = crate::groups::timezone::QUICK.len() as i64 - 1;
        match fields.tag()? {
            "s" => Some(Action::Settings),
            "r" => Some(Action::Rename),
            "d" => Some(Action::Description),
            "dc" => Some(Action::ClearDescription),
            "t" => Some(Action::Timezone),
            "tz" => Some(Action::SetTimezone {
                index: u8::try_from(fields.int(0..=LAST_QUICK)?).ok()?,
            }),
            "x" => Some(Action::Delete),
            "xy" => Some(Action::DeleteConfirm {
                group: fields.uuid()?,
            }),
            "f" => Some(Action::Feed),
            "fr" => Some(Action::FeedRegenerate),
            "fy" => Some(Action::FeedRegenerateConfirm {
                group: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};
    use proptest::prelude::*;

    fn every_action() -> Vec<Action> {
        let mut actions = vec![
            Action::Settings,
            Action::Rename,
            Action::Description,
            Action::ClearDescription,
            Action::Timezone,
            Action::Delete,
            Action::DeleteConfirm {
                group: Uuid::from_u128(u128::MAX),
            },
            Action::DeleteConfirm { group: Uuid::nil() },
            Action::Feed,
            Action::FeedRegenerate,
            Action::FeedRegenerateConfirm {
                group: Uuid::from_u128(u128::MAX),
            },
        ];
        let quick = crate::groups::timezone::QUICK.len();
        actions.extend((0..quick).map(|i| Action::SetTimezone {
            index: u8::try_from(i).unwrap(),
        }));
        actions
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is too long");
            assert!(data.starts_with("1|g|"), "{data}");
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::DeleteConfirm {
            group: Uuid::new_v4(),
        });
        let raw_id = id.rsplit('|').next().unwrap().to_owned();
        for forged in [
            "",
            "1|g",
            "1|g|",
            "2|g|s",
            "0|g|s",
            "1|m|s",
            "1|G|s",
            "1|g|S",
            "1|g|q",
            "1|g|s|1",
            "1|g|tz",
            "1|g|tz|12",
            "1|g|tz|-1",
            "1|g|tz|01",
            "1|g|tz|1.5",
            "1|g|tz|Europe/Moscow",
            "1|g|xy",
            "1|g|xy|short",
            &format!("1|g|xy|{raw_id}|x"),
            &format!("1|g|xy|{raw_id}="),
            &format!("1|g|x|{raw_id}"),
        ] {
            assert_eq!(decode::<Action>(forged), None, "{forged:?}");
        }
    }

    proptest! {
        #[test]
        fn any_group_id_fits(id in any::<u128>()) {
            let action = Action::DeleteConfirm { group: Uuid::from_u128(id) };
            let data = encode(&action);
            prop_assert!(data.len() <= MAX_BYTES);
            prop_assert_eq!(decode::<Action>(&data), Some(action));
        }

        #[test]
        fn decoding_never_panics(data in "1\\|g\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("g", &["s", "r", "d", "dc", "t", "tz", "x", "xy", "f", "fr", "fy"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
