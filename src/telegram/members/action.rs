//! The inline buttons of the member list and cards (callback prefix `m`) and of the profile
//! (prefix `p`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database. Group settings link to the member list with
//! [`Action::Page`], the notification settings back to the profile with
//! [`ProfileAction::Show`].

use uuid::Uuid;

use crate::telegram::Locale;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of the member list and member cards. Every action names the list page to
/// return to; member ids are membership ids (`groupmembers.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A page of the member list.
    Page {
        page: i64,
    },
    /// A member's card (leader).
    Card {
        member: Uuid,
        page: i64,
    },
    Appoint {
        member: Uuid,
        page: i64,
    },
    Revoke {
        member: Uuid,
        page: i64,
    },
    /// Asks to confirm the removal.
    Remove {
        member: Uuid,
        page: i64,
    },
    RemoveConfirmed {
        member: Uuid,
        page: i64,
    },
    /// Asks to confirm the transfer of leadership.
    Transfer {
        member: Uuid,
        page: i64,
    },
    TransferConfirmed {
        member: Uuid,
        page: i64,
    },
    /// The member list as a CSV document (leader, assistants).
    Export,
}

/// The highest page number a button may carry.
const MAX_PAGE: i64 = 1000;

impl CallbackAction for Action {
    const PREFIX: &'static str = "m";

    fn write(&self, out: &mut Writer) {
        let (tag, member, page) = match self {
            Action::Page { page } => {
                out.tag("p").int(*page);
                return;
            }
            Action::Export => {
                out.tag("e");
                return;
            }
            Action::Card { member, page } => ("c", member, page),
            Action::Appoint { member, page } => ("a", member, page),
            Action::Revoke { member, page } => ("r", member, page),
            Action::Remove { member, page } => ("d", member, page),
            Action::RemoveConfirmed { member, page } => ("dy", member, page),
            Action::Transfer { member, page } => ("t", member, page),
            Action::TransferConfirmed { member, page } => ("ty", member, page),
        };
        out.tag(tag).uuid(*member).int(*page);
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let tag = fields.tag()?;
        let on_member: fn(Uuid, i64) -> Action = match tag {
            "p" => {
                return Some(Action::Page {
                    page: fields.int(0..=MAX_PAGE)?,
                });
            }
            "e" => return Some(Action::Export),
            "c" => |member, page| Action::Card { member, page },
            "a" => |member, page| Action::Appoint { member, page },
            "r" => |member, page| Action::Revoke { member, page },
            "d" => |member, page| Action::Remove { member, page },
            "dy" => |member, page| Action::RemoveConfirmed { member, page },
            "t" => |member, page| Action::Transfer { member, page },
            "ty" => |member, page| Action::TransferConfirmed { member, page },
            _ => return None,
        };
        let member = fields.uuid()?;
        let page = fields.int(0..=MAX_PAGE)?;
        Some(on_member(member, page))
    }
}

/// Inline buttons of the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileAction {
    /// The profile screen (back from a confirmation).
    Show,
    /// «✏️ Изменить ФИО»: asks for the ФИО.
    EditFio,
    /// Skips the ФИО asked right after joining.
    SkipFio,
    Language {
        locale: Locale,
    },
    /// «🚪 Покинуть группу»: asks to confirm.
    Leave,
    LeaveConfirmed,
}

impl CallbackAction for ProfileAction {
    const PREFIX: &'static str = "p";

    fn write(&self, out: &mut Writer) {
        match self {
            ProfileAction::Show => out.tag("s"),
            ProfileAction::EditFio => out.tag("f"),
            ProfileAction::SkipFio => out.tag("k"),
            ProfileAction::Language { locale } => out.tag("l").tag(locale.code()),
            ProfileAction::Leave => out.tag("q"),
            ProfileAction::LeaveConfirmed => out.tag("qy"),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "s" => ProfileAction::Show,
            "f" => ProfileAction::EditFio,
            "k" => ProfileAction::SkipFio,
            "l" => {
                let code = fields.tag()?;
                let locale = Locale::ALL.into_iter().find(|l| l.code() == code)?;
                ProfileAction::Language { locale }
            }
            "q" => ProfileAction::Leave,
            "qy" => ProfileAction::LeaveConfirmed,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode, testing};
    use proptest::prelude::*;

    fn every_action(member: Uuid, page: i64) -> Vec<Action> {
        vec![
            Action::Page { page },
            Action::Card { member, page },
            Action::Appoint { member, page },
            Action::Revoke { member, page },
            Action::Remove { member, page },
            Action::RemoveConfirmed { member, page },
            Action::Transfer { member, page },
            Action::TransferConfirmed { member, page },
            Action::Export,
        ]
    }

    #[test]
    fn the_page_action_keeps_its_encoding() {
        // Group settings link to the list with this payload.
        assert_eq!(encode(&Action::Page { page: 0 }), "1|m|p|0");
        assert_eq!(encode(&Action::Export), "1|m|e");
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::Card {
            member: Uuid::nil(),
            page: 0,
        });
        let uuid_part = id.split('|').nth(3).unwrap().to_owned();
        for forged in [
            "1|m".to_owned(),
            "1|m|p".to_owned(),
            "1|m|p|-1".to_owned(),
            "1|m|p|1001".to_owned(),
            "1|m|p|1|2".to_owned(),
            "1|m|e|1".to_owned(),
            "1|m|x".to_owned(),
            "1|m|c".to_owned(),
            format!("1|m|c|{uuid_part}"),
            format!("1|m|c|{uuid_part}|"),
            format!("1|m|c|{uuid_part}x|0"),
            "1|m|a|123|0".to_owned(),
            format!("1|p|c|{uuid_part}|0"),
            format!("2|m|c|{uuid_part}|0"),
            format!("1|m|dy|{uuid_part}|0|0"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    #[test]
    fn every_profile_action_round_trips_and_fits() {
        let mut actions = vec![
            ProfileAction::Show,
            ProfileAction::EditFio,
            ProfileAction::SkipFio,
            ProfileAction::Leave,
            ProfileAction::LeaveConfirmed,
        ];
        actions.extend(
            Locale::ALL
                .into_iter()
                .map(|locale| ProfileAction::Language { locale }),
        );
        for action in actions {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data}");
            assert_eq!(decode::<ProfileAction>(&data), Some(action));
        }
        assert_eq!(
            encode(&ProfileAction::Language { locale: Locale::En }),
            "1|p|l|en"
        );
    }

    #[test]
    fn forged_profile_payloads_decode_to_nothing() {
        for forged in [
            "1|p",
            "1|p|l",
            "1|p|l|de",
            "1|p|l|EN",
            "1|p|l|en|ru",
            "1|p|s|1",
            "1|p|qq",
            "1|m|s",
            "0|p|s",
        ] {
            assert_eq!(decode::<ProfileAction>(forged), None, "{forged:?}");
        }
    }

    proptest! {
        #[test]
        fn every_action_round_trips_and_fits(id in any::<u128>(), page in 0i64..=MAX_PAGE) {
            for action in every_action(Uuid::from_u128(id), page) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES, "{} is {} bytes", data, data.len());
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_anything_never_panics(data in "1\\|m\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }

        #[test]
        fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("m", &["p", "e", "c", "a", "r", "d", "dy", "t", "ty"])) {
            testing::assert_exact::<Action>(&data)?;
        }

        #[test]
        fn forged_profile_payloads_decode_only_to_their_own_encoding(data in testing::payloads("p", &["s", "f", "k", "l", "q", "qy", "en", "ru"])) {
            testing::assert_exact::<ProfileAction>(&data)?;
        }

        #[test]
        fn arbitrary_strings_decode_exactly_or_not_at_all(data in any::<String>()) {
            testing::assert_exact::<Action>(&data)?;
            testing::assert_exact::<ProfileAction>(&data)?;
        }
    }
}
