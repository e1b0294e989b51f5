//! The inline buttons of the group's chat (callback prefix `c`).
//!
//! Binding buttons carry no chat id: the chat is the one the pressed message is in. Live
//! buttons carry the queue or topic; who pressed is checked by the queue and topic services
//! against the database, so a forged payload can only do what the presser may do anyway.

use uuid::Uuid;

use crate::chats::LiveKind;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// In the chat: the leader confirms binding it to their group.
    Bind,
    /// In the chat: the leader turns posting reminders to it on or off.
    Reminders { on: bool },
    /// In the chat: the leader unbinds it.
    Unbind,
    /// In private: «📣 Опубликовать в чат» under a queue or a topic list.
    Publish { kind: LiveKind, target: Uuid },
    /// In the chat: «Встать в очередь».
    Join { queue: Uuid },
    /// In the chat: «Выйти».
    Leave { queue: Uuid },
    /// In the chat: take a topic.
    Pick { topic: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "c";

    fn write(&self, out: &mut Writer) {
        match *self {
            Action::Bind => out.tag("b"),
            Action::Reminders { on } => out.tag("r").int(i64::from(on)),
            Action::Unbind => out.tag("u"),
            Action::Publish { kind, target } => out
                .tag("p")
                .tag(match kind {
                    LiveKind::Queue => "q",
                    LiveKind::Topics => "t",
                })
                .uuid(target),
            Action::Join { queue } => out.tag("j").uuid(queue),
            Action::Leave { queue } => out.tag("l").uuid(queue),
            Action::Pick { topic } => out.tag("k").uuid(topic),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "b" => Action::Bind,
            "r" => Action::Reminders {
                on: fields.int(0..=1)? == 1,
            },
            "u" => Action::Unbind,
            "p" => Action::Publish {
                kind: match fields.tag()? {
                    "q" => LiveKind::Queue,
                    "t" => LiveKind::Topics,
                    _ => return None,
                },
                target: fields.uuid()?,
            },
            "j" => Action::Join {
                queue: fields.uuid()?,
            },
            "l" => Action::Leave {
                queue: fields.uuid()?,
            },
            "k" => Action::Pick {
                topic: fields.uuid()?,
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

    fn every_variant(id: Uuid) -> Vec<Action> {
        vec![
            Action::Bind,
            Action::Reminders { on: true },
            Action::Reminders { on: false },
            Action::Unbind,
            Action::Publish {
                kind: LiveKind::Queue,
                target: id,
            },
            Action::Publish {
                kind: LiveKind::Topics,
                target: id,
            },
            Action::Join { queue: id },
            Action::Leave { queue: id },
            Action::Pick { topic: id },
        ]
    }

    #[test]
    fn forgeries_decode_to_nothing() {
        let data = encode(&Action::Join {
            queue: Uuid::new_v4(),
        });
        let uuid = data.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "".to_owned(),
            "1|c".to_owned(),
            "2|c|b".to_owned(),
            "1|q|b".to_owned(),
            "1|c|b|x".to_owned(),
            "1|c|r|2".to_owned(),
            "1|c|r|01".to_owned(),
            "1|c|r".to_owned(),
            format!("1|c|p|x|{uuid}"),
            format!("1|c|p|{uuid}"),
            format!("1|c|j|{uuid}|1"),
            "1|c|k|short".to_owned(),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    proptest! {
        #[test]
        fn every_action_fits_and_round_trips(id in any::<u128>()) {
            for action in every_variant(Uuid::from_u128(id)) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES);
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_never_panics(data in "1\\|c\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }

        #[test]
        fn forged_payloads_decode_only_to_their_own_encoding(
            data in crate::telegram::callback::testing::payloads("c", &["b", "r", "u", "p", "j", "l", "k"])
        ) {
            crate::telegram::callback::testing::assert_exact::<Action>(&data)?;
        }
    }
}
