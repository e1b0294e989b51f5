//! The inline buttons of queues (callback prefix `q`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database, and a queue id of another group is "not found".

use uuid::Uuid;

use super::form::Field;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// The largest list offset a button may carry (a queue holds at most a few hundred).
const MAX_OFFSET: i64 = 10_000;
/// The largest position a button may carry.
const MAX_POSITION: i64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show the queue («🔄 Обновить» too).
    Open { queue: Uuid },
    /// Attach a new queue to the event (leader/assistant).
    Create { event: Uuid },
    /// «Встать в очередь».
    Join { queue: Uuid },
    /// «Выйти из очереди».
    Leave { queue: Uuid },
    /// «Следующий»: the first participant leaves.
    Next { queue: Uuid },
    /// «Удалить участника»: the participants to choose from, from the `from`-th.
    RemoveList { queue: Uuid, from: u32 },
    /// Remove this participant.
    Remove { participant: Uuid },
    /// «Переместить»: the participants to choose from, from the `from`-th.
    MoveList { queue: Uuid, from: u32 },
    /// The positions to move this participant to, from the `from`-th.
    MovePick { participant: Uuid, from: u32 },
    /// Move this participant to `position`.
    MoveTo { participant: Uuid, position: i32 },
    /// «Закрыть» / «Открыть».
    SetClosed { queue: Uuid, closed: bool },
    /// «Очистить»: asks to confirm.
    Clear { queue: Uuid },
    /// «Очистить»: confirmed.
    ClearConfirmed { queue: Uuid },
    /// «✏️»: which field to edit.
    EditMenu { queue: Uuid },
    /// Edit one field (asks for the new value).
    Edit { queue: Uuid, field: Field },
    /// «🗑»: asks to confirm.
    Delete { queue: Uuid },
    /// «🗑»: confirmed.
    DeleteConfirmed { queue: Uuid },
    /// «📄 CSV».
    Export { queue: Uuid },
    /// A form step's «Пропустить» / «Оставить как есть» / «Без ограничения».
    Skip,
    /// A form's «❌ Отмена».
    Cancel,
}

fn field_tag(field: Field) -> &'static str {
    match field {
        Field::Title => "t",
        Field::Description => "d",
        Field::Max => "m",
    }
}

fn read_offset(fields: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(fields.int(0..=MAX_OFFSET)?).ok()
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "q";

    fn write(&self, out: &mut Writer) {
        match *self {
            Action::Open { queue } => out.tag("o").uuid(queue),
            Action::Create { event } => out.tag("n").uuid(event),
            Action::Join { queue } => out.tag("j").uuid(queue),
            Action::Leave { queue } => out.tag("l").uuid(queue),
            Action::Next { queue } => out.tag("x").uuid(queue),
            Action::RemoveList { queue, from } => out.tag("rl").uuid(queue).int(i64::from(from)),
            Action::Remove { participant } => out.tag("r").uuid(participant),
            Action::MoveList { queue, from } => out.tag("ml").uuid(queue).int(i64::from(from)),
            Action::MovePick { participant, from } => {
                out.tag("mp").uuid(participant).int(i64::from(from))
            }
            Action::MoveTo {
                participant,
                position,
            } => out.tag("m").uuid(participant).int(i64::from(position)),
            Action::SetClosed { queue, closed } => out.tag("c").uuid(queue).int(i64::from(closed)),
            Action::Clear { queue } => out.tag("z").uuid(queue),
            Action::ClearConfirmed { queue } => out.tag("zy").uuid(queue),
            Action::EditMenu { queue } => out.tag("e").uuid(queue),
            Action::Edit { queue, field } => out.tag("ef").uuid(queue).tag(field_tag(field)),
            Action::Delete { queue } => out.tag("d").uuid(queue),
            Action::DeleteConfirmed { queue } => out.tag("dy").uuid(queue),
            Action::Export { queue } => out.tag("csv").uuid(queue),
            Action::Skip => out.tag("s"),
            Action::Cancel => out.tag("k"),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "o" => Action::Open {
                queue: fields.uuid()?,
            },
            "n" => Action::Create {
                event: fields.uuid()?,
            },
            "j" => Action::Join {
                queue: fields.uuid()?,
            },
            "l" => Action::Leave {
                queue: fields.uuid()?,
            },
            "x" => Action::Next {
                queue: fields.uuid()?,
            },
            "rl" => Action::RemoveList {
                queue: fields.uuid()?,
                from: read_offset(fields)?,
            },
            "r" => Action::Remove {
                participant: fields.uuid()?,
            },
            "ml" => Action::MoveList {
                queue: fields.uuid()?,
                from: read_offset(fields)?,
            },
            "mp" => Action::MovePick {
                participant: fields.uuid()?,
                from: read_offset(fields)?,
            },
            "m" => Action::MoveTo {
                participant: fields.uuid()?,
                position: i32::try_from(fields.int(1..=MAX_POSITION)?).ok()?,
            },
            "c" => Action::SetClosed {
                queue: fields.uuid()?,
                closed: fields.int(0..=1)? == 1,
            },
            "z" => Action::Clear {
                queue: fields.uuid()?,
            },
            "zy" => Action::ClearConfirmed {
                queue: fields.uuid()?,
            },
            "e" => Action::EditMenu {
                queue: fields.uuid()?,
            },
            "ef" => Action::Edit {
                queue: fields.uuid()?,
                field: match fields.tag()? {
                    "t" => Field::Title,
                    "d" => Field::Description,
                    "m" => Field::Max,
                    _ => return None,
                },
            },
            "d" => Action::Delete {
                queue: fields.uuid()?,
            },
            "dy" => Action::DeleteConfirmed {
                queue: fields.uuid()?,
            },
            "csv" => Action::Export {
                queue: fields.uuid()?,
            },
            "s" => Action::Skip,
            "k" => Action::Cancel,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};
    use proptest::prelude::*;

    fn every_variant(id: Uuid, n: u32, position: i32) -> Vec<Action> {
        vec![
            Action::Open { queue: id },
            Action::Create { event: id },
            Action::Join { queue: id },
            Action::Leave { queue: id },
            Action::Next { queue: id },
            Action::RemoveList { queue: id, from: n },
            Action::Remove { participant: id },
            Action::MoveList { queue: id, from: n },
            Action::MovePick {
                participant: id,
                from: n,
            },
            Action::MoveTo {
                participant: id,
                position,
            },
            Action::SetClosed {
                queue: id,
                closed: true,
            },
            Action::SetClosed {
                queue: id,
                closed: false,
            },
            Action::Clear { queue: id },
            Action::ClearConfirmed { queue: id },
            Action::EditMenu { queue: id },
            Action::Edit {
                queue: id,
                field: Field::Title,
            },
            Action::Edit {
                queue: id,
                field: Field::Description,
            },
            Action::Edit {
                queue: id,
                field: Field::Max,
            },
            Action::Delete { queue: id },
            Action::DeleteConfirmed { queue: id },
            Action::Export { queue: id },
            Action::Skip,
            Action::Cancel,
        ]
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_variant(Uuid::from_u128(u128::MAX), 10_000, 100_000) {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forgeries_decode_to_nothing() {
        let id = encode(&Action::Open {
            queue: Uuid::new_v4(),
        });
        let uuid = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "".to_owned(),
            "1|q".to_owned(),
            "2|q|s".to_owned(),
            "1|t|s".to_owned(),
            "1|q|s|extra".to_owned(),
            "1|q|?".to_owned(),
            "1|q|o|short".to_owned(),
            format!("1|q|o|{uuid}|1"),
            format!("1|q|rl|{uuid}"),
            format!("1|q|rl|{uuid}|-1"),
            format!("1|q|rl|{uuid}|10001"),
            format!("1|q|m|{uuid}|0"),
            format!("1|q|m|{uuid}|01"),
            format!("1|q|c|{uuid}|2"),
            format!("1|q|ef|{uuid}|x"),
            format!("1|q|ef|{uuid}"),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged:?}");
        }
    }

    proptest! {
        #[test]
        fn any_ids_round_trip(id in any::<u128>(), n in 0u32..=10_000, position in 1i32..=100_000) {
            for action in every_variant(Uuid::from_u128(id), n, position) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES);
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_never_panics(data in "1\\|q\\|.{0,70}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("q", &["o", "n", "j", "l", "x", "rl", "r", "ml", "mp", "m", "c", "z", "zy", "e", "ef", "t", "d", "dy", "csv", "s", "k"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
