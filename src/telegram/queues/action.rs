//! The inline buttons of queues (callback prefix `q`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database, and a queue id of another group is "not found".

use uuid::Uuid;

use super::form::Field;
use crate::telegram::callback;

/// The largest list offset a button may carry (a queue holds at most a few hundred).
const MAX_OFFSET: i64 = 10_000;
/// The largest position a button may carry.
const MAX_POSITION: i64 = 100_000;

/// How the callback data of [`Action::Refresh`] starts: the message holding it is a student's
/// queue screen, kept current (`telegram::queues::screens`).
pub const KEPT_MARK: &str = "1|q|rf|";

callback::tags!(Field {
    Title = "t",
    Description = "d",
    Max = "m",
    Opening = "o",
    Lottery = "l",
});

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "q" {
        /// Show the queue.
        Open { queue: Uuid } = "o",
        /// «🔄 Обновить» under the queue screen; also what marks the screen as one the bot
        /// keeps current ([`KEPT_MARK`]).
        Refresh { queue: Uuid } = "rf",
        /// Attach a new queue to the event (leader/assistant).
        Create { event: Uuid } = "n",
        /// «Встать в очередь».
        Join { queue: Uuid } = "j",
        /// «Выйти из очереди».
        Leave { queue: Uuid } = "l",
        /// «Следующий»: the first participant leaves.
        Next { queue: Uuid } = "x",
        /// «🚶 Отошёл» (`away`) or «Вернулся».
        Away { queue: Uuid, away: bool } = "a",
        /// «⏭ Не пришёл»: this participant, if still first, goes to the end.
        NoShow { participant: Uuid } = "ns",
        /// «🔁 Поменяться»: the participants to ask, from the `from`-th.
        SwapList { queue: Uuid, from: u32 in 0..=MAX_OFFSET } = "wl",
        /// Ask this participant to swap places.
        SwapAsk { participant: Uuid } = "w",
        /// A swap request to answer (the button under its notice).
        SwapShow { swap: Uuid } = "ws",
        /// Accept or decline a swap request.
        SwapAnswer { swap: Uuid, accept: bool } = "wa",
        /// «Удалить участника»: the participants to choose from, from the `from`-th.
        RemoveList { queue: Uuid, from: u32 in 0..=MAX_OFFSET } = "rl",
        /// Remove this participant.
        Remove { participant: Uuid } = "r",
        /// «Переместить»: the participants to choose from, from the `from`-th.
        MoveList { queue: Uuid, from: u32 in 0..=MAX_OFFSET } = "ml",
        /// The positions to move this participant to, from the `from`-th.
        MovePick { participant: Uuid, from: u32 in 0..=MAX_OFFSET } = "mp",
        /// Move this participant to `position`.
        MoveTo { participant: Uuid, position: i32 in 1..=MAX_POSITION } = "m",
        /// «Закрыть» / «Открыть».
        SetClosed { queue: Uuid, closed: bool } = "c",
        /// «Очистить»: asks to confirm.
        Clear { queue: Uuid } = "z",
        /// «Очистить»: confirmed.
        ClearConfirmed { queue: Uuid } = "zy",
        /// «✏️»: which field to edit.
        EditMenu { queue: Uuid } = "e",
        /// Edit one field (asks for the new value).
        Edit { queue: Uuid, field: Field } = "ef",
        /// «🗑»: asks to confirm.
        Delete { queue: Uuid } = "d",
        /// «🗑»: confirmed.
        DeleteConfirmed { queue: Uuid } = "dy",
        /// «📄 CSV».
        Export { queue: Uuid } = "csv",
        /// A form step's «Пропустить» / «Оставить как есть» / «Без ограничения».
        /// «🔄 Обновить» on «🙋 Мои очереди и темы».
        Mine = "my",
        Skip = "s",
        /// A form's «❌ Отмена».
        Cancel = "k",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "2|q|s 1|t|s 1|q|? 1|q|o|short 1|q|rl|{id}|-1 1|q|rl|{id}|10001 1|q|m|{id}|0 1|q|m|{id}|01 \
     1|q|c|{id}|2 1|q|ef|{id}|x 1|q|a|{id}|x 1|q|ns|short 1|q|wa|{id}|yes 1|q|wl|{id}|-1");

#[test]
fn the_refresh_button_marks_a_kept_screen() {
    let data = callback::encode(&Action::Refresh {
        queue: Uuid::new_v4(),
    });
    assert!(data.starts_with(KEPT_MARK), "{data}");
    let open = callback::encode(&Action::Open {
        queue: Uuid::new_v4(),
    });
    assert!(!open.starts_with(KEPT_MARK), "{open}");
}
