//! The inline buttons of topic lists (callback prefix `t`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database, and an id of another group is "not found".

use uuid::Uuid;

use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// The most pages a button may name (200 topics / 10).
pub(super) const MAX_PAGE: i64 = 100;

/// Inline buttons of topic lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show the topic list (the browser, first page).
    Open { list: Uuid },
    /// Attach a new topic list to the event (leader/assistant).
    Create { event: Uuid },
    /// A page of the browser.
    Page { list: Uuid, page: u32 },
    /// Pick a topic (the browser stays at `page`).
    Pick { topic: Uuid, page: u32 },
    /// The viewer's own choice.
    Mine { list: Uuid },
    /// Give up one's unconfirmed pick.
    Unpick { list: Uuid },
    /// The distribution (leader/assistant) at a page.
    Dist { list: Uuid, page: u32 },
    /// One topic's picks with confirm/reject buttons.
    Topic { topic: Uuid },
    /// Confirm one pick.
    Confirm { selection: Uuid },
    /// Confirm every pick of the list.
    ConfirmAll { list: Uuid },
    /// Reject a pick.
    Reject { selection: Uuid },
    /// The CSV export.
    Export { list: Uuid },
    /// Add topics (asks for them).
    Add { list: Uuid },
    /// The topics of a page as remove buttons.
    RemoveMenu { list: Uuid, page: u32 },
    /// Remove a topic: asks to confirm.
    Remove { topic: Uuid },
    /// Remove a topic: confirmed.
    RemoveConfirmed { topic: Uuid },
    /// Delete the list: asks to confirm.
    Delete { list: Uuid },
    /// Delete the list: confirmed.
    DeleteConfirmed { list: Uuid },
}

fn read_page(fields: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(fields.int(0..=MAX_PAGE)?).ok()
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "t";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Open { list } => out.tag("o").uuid(*list),
            Action::Create { event } => out.tag("n").uuid(*event),
            Action::Page { list, page } => out.tag("p").uuid(*list).int(i64::from(*page)),
            Action::Pick { topic, page } => out.tag("k").uuid(*topic).int(i64::from(*page)),
            Action::Mine { list } => out.tag("m").uuid(*list),
            Action::Unpick { list } => out.tag("u").uuid(*list),
            Action::Dist { list, page } => out.tag("d").uuid(*list).int(i64::from(*page)),
            Action::Topic { topic } => out.tag("v").uuid(*topic),
            Action::Confirm { selection } => out.tag("c").uuid(*selection),
            Action::ConfirmAll { list } => out.tag("ca").uuid(*list),
            Action::Reject { selection } => out.tag("r").uuid(*selection),
            Action::Export { list } => out.tag("x").uuid(*list),
            Action::Add { list } => out.tag("a").uuid(*list),
            Action::RemoveMenu { list, page } => out.tag("rm").uuid(*list).int(i64::from(*page)),
            Action::Remove { topic } => out.tag("rt").uuid(*topic),
            Action::RemoveConfirmed { topic } => out.tag("ry").uuid(*topic),
            Action::Delete { list } => out.tag("dl").uuid(*list),
            Action::DeleteConfirmed { list } => out.tag("dy").uuid(*list),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "o" => Action::Open {
                list: fields.uuid()?,
            },
            "n" => Action::Create {
                event: fields.uuid()?,
            },
            "p" => Action::Page {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "k" => Action::Pick {
                topic: fields.uuid()?,
                page: read_page(fields)?,
            },
            "m" => Action::Mine {
                list: fields.uuid()?,
            },
            "u" => Action::Unpick {
                list: fields.uuid()?,
            },
            "d" => Action::Dist {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "v" => Action::Topic {
                topic: fields.uuid()?,
            },
            "c" => Action::Confirm {
                selection: fields.uuid()?,
            },
            "ca" => Action::ConfirmAll {
                list: fields.uuid()?,
            },
            "r" => Action::Reject {
                selection: fields.uuid()?,
            },
            "x" => Action::Export {
                list: fields.uuid()?,
            },
            "a" => Action::Add {
                list: fields.uuid()?,
            },
            "rm" => Action::RemoveMenu {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "rt" => Action::Remove {
                topic: fields.uuid()?,
            },
            "ry" => Action::RemoveConfirmed {
                topic: fields.uuid()?,
            },
            "dl" => Action::Delete {
                list: fields.uuid()?,
            },
            "dy" => Action::DeleteConfirmed {
                list: fields.uuid()?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    fn every_action() -> Vec<Action> {
        let id = Uuid::from_u128(u128::MAX);
        let page = MAX_PAGE as u32;
        vec![
            Action::Open { list: id },
            Action::Create { event: id },
            Action::Page { list: id, page },
            Action::Pick { topic: id, page },
            Action::Mine { list: id },
            Action::Unpick { list: id },
            Action::Dist { list: id, page },
            Action::Topic { topic: id },
            Action::Confirm { selection: id },
            Action::ConfirmAll { list: id },
            Action::Reject { selection: id },
            Action::Export { list: id },
            Action::Add { list: id },
            Action::RemoveMenu { list: id, page },
            Action::Remove { topic: id },
            Action::RemoveConfirmed { topic: id },
            Action::Delete { list: id },
            Action::DeleteConfirmed { list: id },
        ]
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(decode::<Action>(&data), Some(action));
        }
    }

    #[test]
    fn forged_payloads_are_refused() {
        let id = encode(&Action::Open {
            list: Uuid::new_v4(),
        });
        let raw_id = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "1|t".to_owned(),
            "1|t|zz".to_owned(),
            format!("1|t|o|{raw_id}|1"),
            format!("1|t|p|{raw_id}"),
            format!("1|t|p|{raw_id}|101"),
            format!("1|t|p|{raw_id}|-1"),
            format!("1|t|k|{raw_id}|01"),
            format!("1|t|c|{raw_id}x"),
            format!("1|q|o|{raw_id}"),
            format!("2|t|o|{raw_id}"),
            "1|t|o|short".to_owned(),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged}");
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("t", &["o", "n", "p", "k", "m", "u", "d", "v", "c", "ca", "r", "x", "a", "rm", "rt", "ry", "dl", "dy"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn any_action_round_trips(id in proptest::prelude::any::<u128>(), page in 0u32..=MAX_PAGE as u32) {
                let id = Uuid::from_u128(id);
                for action in every_action() {
                    let action = match action {
                        Action::Open { .. } => Action::Open { list: id },
                        Action::Create { .. } => Action::Create { event: id },
                        Action::Page { .. } => Action::Page { list: id, page },
                        Action::Pick { .. } => Action::Pick { topic: id, page },
                        Action::Mine { .. } => Action::Mine { list: id },
                        Action::Unpick { .. } => Action::Unpick { list: id },
                        Action::Dist { .. } => Action::Dist { list: id, page },
                        Action::Topic { .. } => Action::Topic { topic: id },
                        Action::Confirm { .. } => Action::Confirm { selection: id },
                        Action::ConfirmAll { .. } => Action::ConfirmAll { list: id },
                        Action::Reject { .. } => Action::Reject { selection: id },
                        Action::Export { .. } => Action::Export { list: id },
                        Action::Add { .. } => Action::Add { list: id },
                        Action::RemoveMenu { .. } => Action::RemoveMenu { list: id, page },
                        Action::Remove { .. } => Action::Remove { topic: id },
                        Action::RemoveConfirmed { .. } => Action::RemoveConfirmed { topic: id },
                        Action::Delete { .. } => Action::Delete { list: id },
                        Action::DeleteConfirmed { .. } => Action::DeleteConfirmed { list: id },
                    };
                    testing::assert_round_trip(&action)?;
                }
            }
        }
    }
}
