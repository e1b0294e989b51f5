//! The inline buttons of the calendar, event cards and event forms (callback prefix `e`).
//!
//! Buttons carry what to show or do, never a permission: every press that changes something is
//! checked by the service against the database, and an event id from another group is "not
//! found".

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::form::Field;
use crate::events::calendar::Month;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Years a button may name (anything else is refused as forged).
const YEARS: std::ops::RangeInclusive<i64> = 1970..=2200;
/// The largest list offset a button may carry.
const MAX_OFFSET: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A button that does nothing (weekday names, empty cells, the month title).
    Noop,
    /// The calendar at a month.
    Month { month: Month },
    /// The events of a day, from the `from`-th.
    Day { date: NaiveDate, from: u32 },
    /// «Ближайшие», from the `from`-th.
    Upcoming { from: u32 },
    /// «⏰ Дедлайны», from the `from`-th.
    Deadlines { from: u32 },
    /// An event card.
    Open { event: Uuid },
    /// «➕ Новое событие».
    New,
    /// «Пропустить» (subject, description) or «Убрать» (when editing them).
    Skip,
    /// The date picker of a form at a month.
    PickMonth { month: Month },
    /// A day tapped in the date picker of a form.
    PickDay { date: NaiveDate },
    /// The answer to «this date has passed — keep it?».
    ConfirmPast { yes: bool },
    /// The answer to «important?».
    Important { yes: bool },
    /// «Сохранить» under the summary.
    Save,
    /// «❌ Отмена» of a form.
    Cancel,
    /// Edit a field of an event (asks for the new value).
    Edit { event: Uuid, field: Field },
    /// Mark an event important or not.
    SetImportant { event: Uuid, yes: bool },
    /// Delete an event: asks to confirm.
    Delete { event: Uuid },
    /// Delete an event: confirmed.
    DeleteConfirmed { event: Uuid },
    /// Add a deadline to an event (asks for its text).
    AddDeadline { event: Uuid },
    /// The deadlines of an event, each with a remove button.
    EventDeadlines { event: Uuid },
    /// Remove a deadline.
    RemoveDeadline { deadline: Uuid },
}

fn field_tag(field: Field) -> &'static str {
    match field {
        Field::Title => "t",
        Field::Subject => "s",
        Field::Date => "d",
        Field::Description => "n",
    }
}

fn write_date(out: &mut Writer, date: NaiveDate) {
    out.int(i64::from(date.year()))
        .int(i64::from(date.month()))
        .int(i64::from(date.day()));
}

fn read_date(fields: &mut Reader<'_>) -> Option<NaiveDate> {
    let year = i32::try_from(fields.int(YEARS)?).ok()?;
    let month = u32::try_from(fields.int(1..=12)?).ok()?;
    let day = u32::try_from(fields.int(1..=31)?).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn read_month(fields: &mut Reader<'_>) -> Option<Month> {
    let year = i32::try_from(fields.int(YEARS)?).ok()?;
    let month = u32::try_from(fields.int(1..=12)?).ok()?;
    Month::new(year, month)
}

fn read_offset(fields: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(fields.int(0..=MAX_OFFSET)?).ok()
}

fn read_bool(fields: &mut Reader<'_>) -> Option<bool> {
    Some(fields.int(0..=1)? == 1)
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "e";

    fn write(&self, out: &mut Writer) {
        match *self {
            Action::Noop => {
                out.tag("_");
            }
            Action::Month { month } => {
                out.tag("m")
                    .int(i64::from(month.year))
                    .int(i64::from(month.month));
            }
            Action::Day { date, from } => {
                write_date(out.tag("d"), date);
                out.int(i64::from(from));
            }
            Action::Upcoming { from } => {
                out.tag("u").int(i64::from(from));
            }
            Action::Deadlines { from } => {
                out.tag("dl").int(i64::from(from));
            }
            Action::Open { event } => {
                out.tag("o").uuid(event);
            }
            Action::New => {
                out.tag("n");
            }
            Action::Skip => {
                out.tag("s");
            }
            Action::PickMonth { month } => {
                out.tag("pm")
                    .int(i64::from(month.year))
                    .int(i64::from(month.month));
            }
            Action::PickDay { date } => write_date(out.tag("pd"), date),
            Action::ConfirmPast { yes } => {
                out.tag("cp").int(i64::from(yes));
            }
            Action::Important { yes } => {
                out.tag("im").int(i64::from(yes));
            }
            Action::Save => {
                out.tag("sv");
            }
            Action::Cancel => {
                out.tag("x");
            }
            Action::Edit { event, field } => {
                out.tag("ed").uuid(event).tag(field_tag(field));
            }
            Action::SetImportant { event, yes } => {
                out.tag("si").uuid(event).int(i64::from(yes));
            }
            Action::Delete { event } => {
                out.tag("rm").uuid(event);
            }
            Action::DeleteConfirmed { event } => {
                out.tag("ry").uuid(event);
            }
            Action::AddDeadline { event } => {
                out.tag("da").uuid(event);
            }
            Action::EventDeadlines { event } => {
                out.tag("de").uuid(event);
            }
            Action::RemoveDeadline { deadline } => {
                out.tag("dr").uuid(deadline);
            }
        }
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "_" => Action::Noop,
            "m" => Action::Month {
                month: read_month(fields)?,
            },
            "d" => Action::Day {
                date: read_date(fields)?,
                from: read_offset(fields)?,
            },
            "u" => Action::Upcoming {
                from: read_offset(fields)?,
            },
            "dl" => Action::Deadlines {
                from: read_offset(fields)?,
            },
            "o" => Action::Open {
                event: fields.uuid()?,
            },
            "n" => Action::New,
            "s" => Action::Skip,
            "pm" => Action::PickMonth {
                month: read_month(fields)?,
            },
            "pd" => Action::PickDay {
                date: read_date(fields)?,
            },
            "cp" => Action::ConfirmPast {
                yes: read_bool(fields)?,
            },
            "im" => Action::Important {
                yes: read_bool(fields)?,
            },
            "sv" => Action::Save,
            "x" => Action::Cancel,
            "ed" => {
                let event = fields.uuid()?;
                let field = match fields.tag()? {
                    "t" => Field::Title,
                    "s" => Field::Subject,
                    "d" => Field::Date,
                    "n" => Field::Description,
                    _ => return None,
                };
                Action::Edit { event, field }
            }
            "si" => Action::SetImportant {
                event: fields.uuid()?,
                yes: read_bool(fields)?,
            },
            "rm" => Action::Delete {
                event: fields.uuid()?,
            },
            "ry" => Action::DeleteConfirmed {
                event: fields.uuid()?,
            },
            "da" => Action::AddDeadline {
                event: fields.uuid()?,
            },
            "de" => Action::EventDeadlines {
                event: fields.uuid()?,
            },
            "dr" => Action::RemoveDeadline {
                deadline: fields.uuid()?,
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

    fn every_variant(id: Uuid, date: NaiveDate, from: u32, yes: bool) -> Vec<Action> {
        let month = Month::of(date);
        let mut all = vec![
            Action::Noop,
            Action::Month { month },
            Action::Day { date, from },
            Action::Upcoming { from },
            Action::Deadlines { from },
            Action::Open { event: id },
            Action::New,
            Action::Skip,
            Action::PickMonth { month },
            Action::PickDay { date },
            Action::ConfirmPast { yes },
            Action::Important { yes },
            Action::Save,
            Action::Cancel,
            Action::SetImportant { event: id, yes },
            Action::Delete { event: id },
            Action::DeleteConfirmed { event: id },
            Action::AddDeadline { event: id },
            Action::EventDeadlines { event: id },
            Action::RemoveDeadline { deadline: id },
        ];
        for field in [
            Field::Title,
            Field::Subject,
            Field::Date,
            Field::Description,
        ] {
            all.push(Action::Edit { event: id, field });
        }
        all
    }

    #[test]
    fn every_variant_round_trips_within_64_bytes() {
        // The widest values a button can carry.
        let date = NaiveDate::from_ymd_opt(2200, 12, 31).expect("valid");
        let all = every_variant(Uuid::from_u128(u128::MAX), date, 10_000, true);
        assert_eq!(all.len(), 24);
        for action in all {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(decode::<Action>(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn refuses_forgeries() {
        let id = encode(&Action::Open {
            event: Uuid::new_v4(),
        });
        let id = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "1|e",
            "1|e|",
            "1|e|zz",
            "1|g|m|2026|11",
            "1|e|m|2026|13",
            "1|e|m|2026|0",
            "1|e|m|1969|1",
            "1|e|m|2026|011",
            "1|e|m|2026",
            "1|e|d|2026|2|30|0",
            "1|e|d|2026|2|28|-1",
            "1|e|d|2026|2|28|10001",
            "1|e|d|2026|2|28",
            "1|e|pd|2027|2|29",
            "1|e|cp|2",
            "1|e|im|",
            "1|e|sv|1",
            &format!("1|e|o|{id}|1"),
            &format!("1|e|ed|{id}|z"),
            &format!("1|e|ed|{id}"),
            &format!("1|e|si|{id}|3"),
            "1|e|o|not-a-uuid",
        ] {
            assert_eq!(decode::<Action>(forged), None, "{forged:?}");
        }
        assert_eq!(
            decode::<Action>("1|e|pd|2028|2|29"),
            NaiveDate::from_ymd_opt(2028, 2, 29).map(|date| Action::PickDay { date })
        );
    }

    proptest! {
        #[test]
        fn any_action_round_trips(
            id in any::<u128>(),
            days in 0i64..(230 * 366),
            from in 0u32..=10_000,
            yes in any::<bool>(),
        ) {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")
                + chrono::Duration::days(days);
            prop_assume!(date.year() <= 2200);
            for action in every_variant(Uuid::from_u128(id), date, from, yes) {
                let data = encode(&action);
                prop_assert!(data.len() <= MAX_BYTES);
                prop_assert_eq!(decode::<Action>(&data), Some(action));
            }
        }

        #[test]
        fn decoding_never_panics(data in "1\\|e\\|.{0,60}") {
            let _ = decode::<Action>(&data);
        }
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("e", &["m", "d", "u", "dl", "o", "n", "s", "pm", "pd", "cp", "im", "sv", "x", "ed", "t", "si", "rm", "ry", "da", "de", "dr"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }
        }
    }
}
