//! The inline buttons of «📚 Домашка», task cards and the task form (callback prefix `hw`).
//!
//! Buttons carry what to show or do, never a permission: every press that changes something is
//! checked by the service against the database, and a task id from another group is "not
//! found".

use chrono::NaiveDate;
use uuid::Uuid;

use crate::telegram::callback;

/// The largest list offset a button may carry.
const MAX_OFFSET: i64 = 10_000;

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "hw" {
        /// «📚 Домашка» from the `from`-th task.
        List { from: u32 in 0..=MAX_OFFSET } = "l",
        /// A task's card, its attachments sent first.
        Open { task: Uuid } = "o",
        /// The card again (after a change), without the attachments.
        Card { task: Uuid } = "c",
        /// «✅ Сделано» (`yes`) or «↩️ Не сделано».
        Done { task: Uuid, yes: bool } = "d",
        /// Change a task's text (asks for the new one).
        Edit { task: Uuid } = "ed",
        /// Delete a task: asks to confirm.
        Delete { task: Uuid } = "rm",
        /// Delete a task: confirmed.
        DeleteConfirmed { task: Uuid } = "ry",
        /// Publish a proposed task.
        Approve { task: Uuid } = "ap",
        /// Turn a proposed task down.
        Reject { task: Uuid } = "rj",
        /// «➕ Добавить задание» / «➕ Предложить задание».
        New = "n",
        /// The form's subjects again.
        Subjects = "s",
        /// The next dates of the subject of `class`.
        Subject { class: Uuid } = "sb",
        /// A class held on a date, chosen.
        PickClass { class: Uuid, date: NaiveDate } = "pc",
        /// «✅ Сохранить» under the attachments.
        Save = "sv",
        /// «❌ Отмена» of the form.
        Cancel = "x",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "1|hw|zz 1|hw|l|-1 1|hw|l|10001 1|hw|o|not-a-uuid 1|hw|d|{id}|2 1|hw|pc|{id}|2026|2|30 \
     1|hw|n|1 1|e|n",
    keeps "1|hw|l|0 1|hw|n 1|hw|sv 1|hw|x 1|hw|s");
