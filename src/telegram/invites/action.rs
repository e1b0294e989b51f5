//! The inline buttons of the invitations screens (callback prefix `i`). The member list links
//! to them with [`Action::Menu`].
//!
//! Buttons carry what to show or do, never a permission: every change is checked by the
//! service against the database, and an invitation of another group is "not found".

use uuid::Uuid;

use crate::invites::Validity;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of the invitations screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The invitations screen with the default options (7 days, reusable).
    Menu,
    /// The invitations screen with these options chosen.
    Options {
        validity: Validity,
        single_use: bool,
    },
    /// Create a link with these options.
    Create {
        validity: Validity,
        single_use: bool,
    },
    /// The active links of the group.
    List,
    /// Revoke one link (of the presser's own group — the service checks).
    Revoke { invite: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "i";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Menu => out.tag("m"),
            Action::Options {
                validity,
                single_use,
            } => out
                .tag("o")
                .int(validity.days())
                .int(i64::from(*single_use)),
            Action::Create {
                validity,
                single_use,
            } => out
                .tag("c")
                .int(validity.days())
                .int(i64::from(*single_use)),
            Action::List => out.tag("l"),
            Action::Revoke { invite } => out.tag("r").uuid(*invite),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        fn options(fields: &mut Reader<'_>) -> Option<(Validity, bool)> {
            let validity = Validity::from_days(fields.int(1..=30)?)?;
            let single_use = fields.int(0..=1)? == 1;
            Some((validity, single_use))
        }
        match fields.tag()? {
            "m" => Some(Action::Menu),
            "o" => {
                let (validity, single_use) = options(fields)?;
                Some(Action::Options {
                    validity,
                    single_use,
                })
            }
            "c" => {
                let (validity, single_use) = options(fields)?;
                Some(Action::Create {
                    validity,
                    single_use,
                })
            }
            "l" => Some(Action::List),
            "r" => Some(Action::Revoke {
                invite: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    fn every_action() -> Vec<Action> {
        let mut actions = vec![
            Action::Menu,
            Action::List,
            Action::Revoke {
                invite: Uuid::new_v4(),
            },
            Action::Revoke {
                invite: Uuid::max(),
            },
        ];
        for validity in Validity::ALL {
            for single_use in [false, true] {
                actions.push(Action::Options {
                    validity,
                    single_use,
                });
                actions.push(Action::Create {
                    validity,
                    single_use,
                });
            }
        }
        actions
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is too long");
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
        assert_eq!(encode(&Action::Menu), "1|i|m");
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        let id = encode(&Action::Revoke {
            invite: Uuid::new_v4(),
        });
        let uuid_field = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "".to_owned(),
            "1|i".to_owned(),
            "1|i|x".to_owned(),
            "0|i|m".to_owned(),
            "1|m|m".to_owned(),
            "1|i|m|1".to_owned(),
            "1|i|o|2|0".to_owned(),
            "1|i|o|7|2".to_owned(),
            "1|i|o|7".to_owned(),
            "1|i|c|07|0".to_owned(),
            "1|i|c|-7|0".to_owned(),
            "1|i|c|31|1".to_owned(),
            "1|i|c|7|1|1".to_owned(),
            "1|i|r".to_owned(),
            "1|i|r|not-a-uuid".to_owned(),
            format!("1|i|r|{uuid_field}x"),
            format!("1|i|r|{uuid_field}|{uuid_field}"),
            format!("1|i|l|{uuid_field}"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_revoke_round_trips(id in proptest::prelude::any::<u128>()) {
            let action = Action::Revoke { invite: Uuid::from_u128(id) };
            let data = encode(&action);
            proptest::prop_assert!(data.len() <= MAX_BYTES);
            proptest::prop_assert_eq!(decode::<Action>(&data), Some(action));
        }

        #[test]
        fn decoding_never_panics(data in "(1\\|i\\|)?.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("i", &["m", "o", "c", "l", "r"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
