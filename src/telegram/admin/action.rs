//! The inline buttons of the admin panel and of a group's change history (callback prefix `a`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database (admin status, or the leader's own group for the history).

use uuid::Uuid;

use crate::admin::Audience;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// The largest page a button may carry.
const MAX_PAGE: i64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The panel's main screen.
    Panel,
    /// Statistics.
    Stats,
    /// The groups by name, page `page`.
    Groups { page: u32 },
    /// Asks for a part of a group's name.
    Search,
    /// One group's card.
    Group { group: Uuid },
    /// Asks to confirm deleting the group.
    Delete { group: Uuid },
    /// Deletes the group.
    DeleteConfirmed { group: Uuid },
    /// Asks for the text of a broadcast to `audience`.
    Broadcast { audience: Audience },
    /// Sends the previewed broadcast (its text is in the admin's dialogue, not here).
    BroadcastSend,
    /// Drops the composed broadcast.
    BroadcastCancel,
    /// The whole change log, page `page` (newest first).
    Log { page: u32 },
    /// One group's change log for the admin.
    GroupLog { group: Uuid, page: u32 },
    /// The access codes.
    Codes,
    /// Creates a code (one-time for a day, or reusable for a week).
    CodeCreate { one_time: bool },
    /// Deactivates a code.
    CodeDeactivate { code: Uuid },
    /// «📜 История изменений» of the leader's own group, page `page`.
    History { page: u32 },
}

fn page(fields: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(fields.int(0..=MAX_PAGE)?).ok()
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "a";

    fn write(&self, out: &mut Writer) {
        match *self {
            Action::Panel => out.tag("p"),
            Action::Stats => out.tag("s"),
            Action::Groups { page } => out.tag("g").int(i64::from(page)),
            Action::Search => out.tag("f"),
            Action::Group { group } => out.tag("o").uuid(group),
            Action::Delete { group } => out.tag("d").uuid(group),
            Action::DeleteConfirmed { group } => out.tag("dy").uuid(group),
            Action::Broadcast { audience } => out.tag("b").tag(match audience {
                Audience::All => "a",
                Audience::Leaders => "l",
            }),
            Action::BroadcastSend => out.tag("bs"),
            Action::BroadcastCancel => out.tag("bc"),
            Action::Log { page } => out.tag("l").int(i64::from(page)),
            Action::GroupLog { group, page } => out.tag("gl").uuid(group).int(i64::from(page)),
            Action::Codes => out.tag("c"),
            Action::CodeCreate { one_time } => out.tag("cn").int(i64::from(one_time)),
            Action::CodeDeactivate { code } => out.tag("cx").uuid(code),
            Action::History { page } => out.tag("h").int(i64::from(page)),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "p" => Action::Panel,
            "s" => Action::Stats,
            "g" => Action::Groups {
                page: page(fields)?,
            },
            "f" => Action::Search,
            "o" => Action::Group {
                group: fields.uuid()?,
            },
            "d" => Action::Delete {
                group: fields.uuid()?,
            },
            "dy" => Action::DeleteConfirmed {
                group: fields.uuid()?,
            },
            "b" => Action::Broadcast {
                audience: match fields.tag()? {
                    "a" => Audience::All,
                    "l" => Audience::Leaders,
                    _ => return None,
                },
            },
            "bs" => Action::BroadcastSend,
            "bc" => Action::BroadcastCancel,
            "l" => Action::Log {
                page: page(fields)?,
            },
            "gl" => Action::GroupLog {
                group: fields.uuid()?,
                page: page(fields)?,
            },
            "c" => Action::Codes,
            "cn" => Action::CodeCreate {
                one_time: fields.int(0..=1)? == 1,
            },
            "cx" => Action::CodeDeactivate {
                code: fields.uuid()?,
            },
            "h" => Action::History {
                page: page(fields)?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};
    use proptest::prelude::*;

    fn every_variant(id: Uuid, n: u32) -> Vec<Action> {
        vec![
            Action::Panel,
            Action::Stats,
            Action::Groups { page: n },
            Action::Search,
            Action::Group { group: id },
            Action::Delete { group: id },
            Action::DeleteConfirmed { group: id },
            Action::Broadcast {
                audience: Audience::All,
            },
            Action::Broadcast {
                audience: Audience::Leaders,
            },
            Action::BroadcastSend,
            Action::BroadcastCancel,
            Action::Log { page: n },
            Action::GroupLog { group: id, page: n },
            Action::Codes,
            Action::CodeCreate { one_time: true },
            Action::CodeCreate { one_time: false },
            Action::CodeDeactivate { code: id },
            Action::History { page: n },
        ]
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_variant(Uuid::from_u128(u128::MAX), 100_000) {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert!(data.starts_with("1|a|"), "{data}");
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forgeries_decode_to_nothing() {
        let data = encode(&Action::Group {
            group: Uuid::new_v4(),
        });
        let id = data.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "".to_owned(),
            "1|a".to_owned(),
            "2|a|p".to_owned(),
            "1|g|p".to_owned(),
            "1|a|p|1".to_owned(),
            "1|a|g".to_owned(),
            "1|a|g|-1".to_owned(),
            "1|a|g|01".to_owned(),
            "1|a|g|100001".to_owned(),
            "1|a|b|x".to_owned(),
            "1|a|cn|2".to_owned(),
            "1|a|o|short".to_owned(),
            format!("1|a|o|{id}|1"),
            format!("1|a|gl|{id}"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    proptest! {
        #[test]
        fn any_ids_round_trip(id in any::<u128>(), n in 0u32..=100_000) {
            for action in every_variant(Uuid::from_u128(id), n) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES);
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_never_panics(data in "1\\|a\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }
}
