//! The inline buttons of the group's chat (callback prefix `c`).
//!
//! Binding buttons carry no chat id: the chat is the one the pressed message is in. Live
//! buttons carry the queue or topic; who pressed is checked by the queue and topic services
//! against the database, so a forged payload can only do what the presser may do anyway.

use uuid::Uuid;

use crate::chats::LiveKind;
use crate::telegram::callback;

callback::tags!(LiveKind {
    Queue = "q",
    Topics = "t",
});

callback::actions! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "c" {
        /// In the chat: the leader confirms binding it to their group.
        Bind = "b",
        /// In the chat: the leader turns posting reminders to it on or off.
        Reminders { on: bool } = "r",
        /// In the chat: the leader unbinds it.
        Unbind = "u",
        /// In private: «📣 Опубликовать в чат» under a queue or a topic list.
        Publish { kind: LiveKind, target: Uuid } = "p",
        /// In the chat: «Встать в очередь».
        Join { queue: Uuid } = "j",
        /// In the chat: «Выйти».
        Leave { queue: Uuid } = "l",
        /// In the chat: take a topic.
        Pick { topic: Uuid } = "k",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "2|c|b 1|q|b 1|c|r|2 1|c|r|01 1|c|p|x|{id} 1|c|p|{id} 1|c|k|short",
    keeps "1|c|b 1|c|r|1");
