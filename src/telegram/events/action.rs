//! The inline buttons of the calendar, event cards and event forms (callback prefix `e`).
//!
//! Buttons carry what to show or do, never a permission: every press that changes something is
//! checked by the service against the database, and an event id from another group is "not
//! found".

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::form::Field;
use crate::events::calendar::Month;
use crate::telegram::callback::{self, CallbackField, Reader, Writer};

/// Years a button may name (anything else is refused as forged).
const YEARS: std::ops::RangeInclusive<i64> = 1970..=2200;
/// The largest list offset a button may carry.
const MAX_OFFSET: i64 = 10_000;

callback::tags!(Field {
    Title = "t",
    Subject = "s",
    Date = "d",
    Description = "n",
});

/// `year|month|day`.
impl CallbackField for NaiveDate {
    fn write(&self, out: &mut Writer) {
        out.int(i64::from(self.year()))
            .int(i64::from(self.month()))
            .int(i64::from(self.day()));
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let year = fields.number(YEARS)?;
        let month = fields.number(1..=12)?;
        NaiveDate::from_ymd_opt(year, month, fields.number(1..=31)?)
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        [(2200, 12, 31), (1970, 1, 1), (2028, 2, 29)]
            .into_iter()
            .filter_map(|(year, month, day)| NaiveDate::from_ymd_opt(year, month, day))
            .collect()
    }
}

/// `year|month`.
impl CallbackField for Month {
    fn write(&self, out: &mut Writer) {
        out.int(i64::from(self.year)).int(i64::from(self.month));
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        let year = fields.number(YEARS)?;
        Month::new(year, fields.number(1..=12)?)
    }

    #[cfg(test)]
    fn examples() -> Vec<Self> {
        [(2200, 12), (1970, 1), (2026, 7)]
            .into_iter()
            .filter_map(|(year, month)| Month::new(year, month))
            .collect()
    }
}

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "e" {
        /// A button that does nothing (weekday names, empty cells, the month title).
        Noop = "_",
        /// The calendar at a month.
        Month { month: Month } = "m",
        /// The events of a day, from the `from`-th.
        Day { date: NaiveDate, from: u32 in 0..=MAX_OFFSET } = "d",
        /// «Ближайшие», from the `from`-th.
        Upcoming { from: u32 in 0..=MAX_OFFSET } = "u",
        /// «⏰ Дедлайны», from the `from`-th.
        Deadlines { from: u32 in 0..=MAX_OFFSET } = "dl",
        /// An event card.
        Open { event: Uuid } = "o",
        /// «➕ Новое событие».
        New = "n",
        /// «Пропустить» (subject, description) or «Убрать» (when editing them).
        Skip = "s",
        /// The date picker of a form at a month.
        PickMonth { month: Month } = "pm",
        /// A day tapped in the date picker of a form.
        PickDay { date: NaiveDate } = "pd",
        /// The answer to «this date has passed — keep it?».
        ConfirmPast { yes: bool } = "cp",
        /// The answer to «important?».
        Important { yes: bool } = "im",
        /// «Сохранить» under the summary.
        Save = "sv",
        /// «❌ Отмена» of a form.
        Cancel = "x",
        /// Edit a field of an event (asks for the new value).
        Edit { event: Uuid, field: Field } = "ed",
        /// Mark an event important or not.
        SetImportant { event: Uuid, yes: bool } = "si",
        /// Delete an event: asks to confirm.
        Delete { event: Uuid } = "rm",
        /// Delete an event: confirmed.
        DeleteConfirmed { event: Uuid } = "ry",
        /// Add a deadline to an event (asks for its text).
        AddDeadline { event: Uuid } = "da",
        /// The deadlines of an event, each with a remove button.
        EventDeadlines { event: Uuid } = "de",
        /// Remove a deadline.
        RemoveDeadline { deadline: Uuid } = "dr",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "1|e|zz 1|g|m|2026|11 1|e|m|2026|13 1|e|m|2026|0 1|e|m|1969|1 1|e|m|2026|011 \
     1|e|d|2026|2|30|0 1|e|d|2026|2|28|-1 1|e|d|2026|2|28|10001 1|e|pd|2027|2|29 \
     1|e|pd|2201|1|1 1|e|cp|2 1|e|im| 1|e|ed|{id}|z 1|e|si|{id}|3 1|e|o|not-a-uuid",
    keeps "1|e|pd|2028|2|29 1|e|m|2026|11 1|e|d|2026|2|28|0 1|e|_");
