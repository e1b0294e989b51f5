//! The inline buttons of the timetable (callback prefix `tt`).
//!
//! Buttons carry what to show or do, never a permission: every press that changes something is
//! checked by the service against the database, and a class id of another group is "not
//! found".

use chrono::NaiveDate;
use uuid::Uuid;

use crate::telegram::callback;

/// The largest list offset a button may carry.
const MAX_OFFSET: i64 = 10_000;

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "tt" {
        /// One date's timetable.
        Day { date: NaiveDate } = "d",
        /// The week holding a date.
        Week { date: NaiveDate } = "w",
        /// «👥 Подгруппа»: the choice.
        Subgroups = "sg",
        /// A subgroup chosen (0: all).
        SetSubgroup { number: u8 in 0..=9 } = "ss",
        /// «⚙️ Изменить расписание».
        Manage = "m",
        /// «📆 Семестр»: asks for its dates.
        Semester = "s",
        /// The parity of the semester's first week, answered.
        FirstWeek { odd: bool } = "fw",
        /// «📋 Вставить занятия»: asks for the lines.
        Paste = "p",
        /// «📚 Занятия»: the list of classes, from the `from`-th.
        Classes { from: u32 in 0..=MAX_OFFSET } = "c",
        /// A class to delete: asks to confirm.
        DeleteClass { class: Uuid } = "rm",
        /// Delete a class: confirmed.
        DeleteClassYes { class: Uuid } = "ry",
        /// «✏️ Изменения на этот день».
        DayChanges { date: NaiveDate } = "dc",
        /// Cancel a class on a date: asks to confirm.
        CancelClass { class: Uuid, date: NaiveDate } = "cc",
        /// Cancel a class on a date: confirmed.
        CancelClassYes { class: Uuid, date: NaiveDate } = "cy",
        /// Move a class from a date: asks where.
        MoveClass { class: Uuid, date: NaiveDate } = "mv",
        /// An extra class: asks for its line.
        Extra = "ex",
        /// «❌ Отмена» of a form.
        Cancel = "x",
        /// «👥 Подгруппа» on a member's card (the leader's): the choice.
        MemberSubgroup { member: Uuid } = "ms",
        /// The leader chose a member's subgroup (0: none).
        SetMemberSubgroup { member: Uuid, number: u8 in 0..=9 } = "sm",
        /// «➕ Добавить занятие»: the class form's first step.
        NewClass = "n",
        /// A button answering the class form's step: a weekday (1–7), pair, kind (0–2), weeks
        /// rule (0–2), subgroup (0: all) or «нет» (0) — read by the step the user is at.
        Answer { value: u8 in 0..=10 } = "a",
        /// «✅ Сохранить» under a class or a calendar file's preview.
        Save = "sv",
        /// A class's card (from the list).
        Class { class: Uuid } = "cl",
        /// «✏️ …» on a class's card: asks for the field's new value.
        EditClass { class: Uuid, field: u8 in 0..=7 } = "ef",
        /// «📥 Загрузить .ics»: asks for the file.
        Ics = "ic",
        /// «👥 Подгруппа в расписании» in the member's own profile: the choice.
        ProfileSubgroups = "pg",
        /// Posting the next day's changes to the group chat turned on or off.
        PostChanges { on: bool } = "pc",
        /// The evening digest posted to the group chat, on or off.
        PostDigest { on: bool } = "pd",
        /// «🔔 Звонки»: shows the bell schedule and asks for a new one.
        Bells = "b",
        /// An extra class to remove: asks to confirm.
        RemoveExtra { change: Uuid } = "re",
        /// Remove an extra class: confirmed.
        RemoveExtraYes { change: Uuid } = "rx",
        /// A subgroup chosen in the profile (0: all); back to the profile after.
        SetProfileSubgroup { number: u8 in 0..=9 } = "pn",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "1|tt|zz 1|tt|d|2026|2|30 1|tt|ss|10 1|tt|a|11 1|tt|ef|AAAAAAAAAAAAAAAAAAAAAA|8 1|tt|pn|10 1|tt|ss|-1 1|tt|fw|2 1|tt|rm|not-a-uuid 1|e|d|2026|1|1 \
     1|tt|cc|{id} 1|tt|w|1969|1|1",
    keeps "1|tt|d|2026|9|7 1|tt|ss|0 1|tt|cy|AAAAAAAAAAAAAAAAAAAAAA|2026|9|7 1|tt|x \
     1|tt|a|10 1|tt|ef|AAAAAAAAAAAAAAAAAAAAAA|7 1|tt|sv 1|tt|ic 1|tt|pg 1|tt|pn|9");
