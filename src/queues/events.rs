//! What happens to a queue, and what follows from it: the change-log row, who is told (the
//! new first and second after a departure, a moved or removed participant), and the published
//! queue message to refresh.

use serde_json::json;
use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::{About, Kind, Note, Notice, Screen, Text};
use crate::storage::entities::queues;
use crate::uow::{DomainEvent, Live};

use super::fair::SwapOutcome;

/// The template naming a queue stored without a title (see `QueueTitle`).
pub const UNNAMED: &str = "queue-default-title";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// They left themselves.
    Left,
    /// «Следующий»: their turn is over.
    Served,
    /// The leader or an assistant took them out.
    Removed,
}

/// One field of a queue, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: serde_json::Value,
    pub to: serde_json::Value,
}

#[derive(Debug, Clone)]
pub enum QueueEvent {
    Created {
        group: Uuid,
        queue: queues::Model,
    },
    Edited {
        group: Uuid,
        queue: Uuid,
        change: FieldChange,
    },
    Closed {
        group: Uuid,
        queue: Uuid,
        closed: bool,
    },
    Cleared {
        group: Uuid,
        queue: Uuid,
        removed: u64,
    },
    /// `standing` stood in it (they are told).
    Deleted {
        group: Uuid,
        queue: queues::Model,
        about: About,
        participants: i32,
        standing: Vec<i64>,
    },
    Joined {
        group: Uuid,
        queue: Uuid,
        user: i64,
        position: i32,
    },
    /// Someone came out of the queue; `first` and `second` stand there now.
    Exited {
        group: Uuid,
        queue: queues::Model,
        about: About,
        how: Exit,
        user: i64,
        position: i32,
        first: Option<i64>,
        second: Option<i64>,
    },
    Moved {
        group: Uuid,
        queue: queues::Model,
        about: About,
        user: i64,
        from: i32,
        to: i32,
    },
    /// The lottery drew the order of the presses: `before` (the order they reached the
    /// database), shuffled with `seed` into `after` (see `queues::lottery`).
    Drawn {
        group: Uuid,
        queue: queues::Model,
        about: About,
        seed: i64,
        before: Vec<i64>,
        after: Vec<i64>,
    },
    /// «🚶 Отошёл» (`away`) or back.
    Away {
        group: Uuid,
        queue: Uuid,
        user: i64,
        away: bool,
    },
    /// `from` (user, place) asked `to` (user, place) to swap places.
    SwapAsked {
        group: Uuid,
        queue: queues::Model,
        about: About,
        swap: Uuid,
        from: (i64, i32),
        to: (i64, i32),
        from_name: String,
    },
    /// `to` answered the request of `from`.
    SwapAnswered {
        group: Uuid,
        queue: queues::Model,
        about: About,
        from: (i64, i32),
        to: (i64, i32),
        to_name: String,
        outcome: SwapOutcome,
    },
    /// «Следующий» passed an away participant: `turns_left` more before they go to the end, or
    /// they went there (`moved_to`).
    Skipped {
        group: Uuid,
        queue: queues::Model,
        about: About,
        user: i64,
        turns_left: i32,
        moved_to: Option<i32>,
    },
}

impl QueueEvent {
    fn group_and_queue(&self) -> (Uuid, Uuid) {
        match self {
            QueueEvent::Created { group, queue }
            | QueueEvent::Deleted { group, queue, .. }
            | QueueEvent::Exited { group, queue, .. }
            | QueueEvent::Moved { group, queue, .. }
            | QueueEvent::Drawn { group, queue, .. }
            | QueueEvent::Skipped { group, queue, .. }
            | QueueEvent::SwapAsked { group, queue, .. }
            | QueueEvent::SwapAnswered { group, queue, .. } => (*group, queue.id),
            QueueEvent::Edited { group, queue, .. }
            | QueueEvent::Closed { group, queue, .. }
            | QueueEvent::Cleared { group, queue, .. }
            | QueueEvent::Joined { group, queue, .. }
            | QueueEvent::Away { group, queue, .. } => (*group, *queue),
        }
    }

    fn notices_now(&self) -> Vec<Notice> {
        match self {
            QueueEvent::Deleted {
                queue,
                about,
                standing,
                ..
            } => standing
                .iter()
                .map(|&user| {
                    let text =
                        Text::new("queue-deleted-notice").user_or("title", &queue.title, UNNAMED);
                    // The queue is gone: the button opens its event.
                    let note = Note::new(about.onto(text))
                        .button("event-btn-open", Screen::Event(queue.event_id));
                    Notice::new(user, Kind::Notice, note)
                })
                .collect(),
            QueueEvent::Exited {
                queue,
                about,
                how,
                user,
                position,
                first,
                second,
                ..
            } => {
                let mut notices = Vec::new();
                if *how == Exit::Removed {
                    notices.push(notice(
                        *user,
                        queue,
                        about,
                        Text::new("queue-removed-notice"),
                    ));
                }
                // The new first if the first place changed hands, the new second if the
                // second did.
                if *position == 1
                    && let Some(first) = first
                {
                    notices.push(notice(*first, queue, about, Text::new("queue-your-turn")));
                }
                if *position <= 2
                    && let Some(second) = second
                {
                    notices.push(notice(
                        *second,
                        queue,
                        about,
                        Text::new("queue-you-are-next"),
                    ));
                }
                notices
            }
            QueueEvent::Moved {
                queue,
                about,
                user,
                from,
                to,
                ..
            } if from != to => {
                let text = Text::new("queue-moved-notice").num("position", *to);
                vec![notice(*user, queue, about, text)]
            }
            QueueEvent::Drawn {
                queue,
                about,
                after,
                ..
            } => after
                .iter()
                .zip(1..)
                .map(|(user, position): (&i64, i32)| {
                    let text = Text::new("queue-drawn-notice").num("position", position);
                    notice(*user, queue, about, text)
                })
                .collect(),
            QueueEvent::SwapAsked {
                queue,
                about,
                swap,
                from,
                to,
                from_name,
                ..
            } => {
                let text = Text::new("queue-swap-asked")
                    .user("name", from_name)
                    .user_or("title", &queue.title, UNNAMED)
                    .num("theirs", from.1)
                    .num("yours", to.1);
                let note = Note::new(about.onto(text))
                    .button("queue-btn-swap-answer", Screen::QueueSwap(*swap))
                    .button("queue-btn-show", Screen::Queue(queue.id));
                vec![Notice::new(to.0, Kind::Notice, note)]
            }
            QueueEvent::SwapAnswered {
                queue,
                about,
                from,
                to,
                to_name,
                outcome,
                ..
            } => {
                let text = match outcome {
                    SwapOutcome::Swapped { .. } => {
                        Text::new("queue-swap-done").num("position", to.1)
                    }
                    SwapOutcome::Declined => Text::new("queue-swap-declined"),
                    SwapOutcome::Stale => Text::new("queue-swap-stale"),
                };
                vec![notice(from.0, queue, about, text.user("name", to_name))]
            }
            QueueEvent::Skipped {
                queue,
                about,
                user,
                turns_left,
                moved_to,
                ..
            } => {
                let text = match moved_to {
                    Some(position) => {
                        Text::new("queue-away-moved-notice").num("position", *position)
                    }
                    None => Text::new("queue-skipped-notice").num("turns", *turns_left),
                };
                vec![notice(*user, queue, about, text)]
            }
            _ => Vec::new(),
        }
    }
}

/// A notice to `user` about `queue`: `text` with the queue's title, its event's name and date,
/// and a button to open it.
fn notice(user: i64, queue: &queues::Model, about: &About, text: Text) -> Notice {
    let kind = match text.id.as_str() {
        "queue-your-turn" | "queue-you-are-next" => Kind::QueueTurn,
        _ => Kind::Notice,
    };
    let note = Note::new(about.onto(text.user_or("title", &queue.title, UNNAMED)))
        .button("queue-btn-show", Screen::Queue(queue.id));
    Notice::new(user, kind, note)
}

impl DomainEvent for QueueEvent {
    fn change(&self) -> Option<Change> {
        let (group, queue) = self.group_and_queue();
        let (action, details) = match self {
            QueueEvent::Created { queue, .. } => (
                "queue.create",
                json!({
                    "event_id": queue.event_id,
                    "title": queue.title,
                    "description": queue.description,
                    "max_participants": queue.max_participants,
                }),
            ),
            QueueEvent::Edited { change, .. } => (
                "queue.edit",
                json!({ "field": change.field, "from": change.from, "to": change.to }),
            ),
            QueueEvent::Closed { closed: true, .. } => ("queue.close", json!({})),
            QueueEvent::Closed { closed: false, .. } => ("queue.open", json!({})),
            QueueEvent::Cleared { removed, .. } => ("queue.clear", json!({ "removed": removed })),
            QueueEvent::Deleted {
                queue,
                participants,
                ..
            } => (
                "queue.delete",
                json!({
                    "event_id": queue.event_id,
                    "title": queue.title,
                    "participants": participants,
                }),
            ),
            QueueEvent::Joined { user, position, .. } => (
                "queue.join",
                json!({ "user_id": user, "position": position }),
            ),
            QueueEvent::Exited {
                how,
                user,
                position,
                ..
            } => (
                match how {
                    Exit::Left => "queue.leave",
                    Exit::Served => "queue.next",
                    Exit::Removed => "queue.remove",
                },
                json!({ "user_id": user, "position": position }),
            ),
            QueueEvent::Moved { from, to, .. } if from == to => return None,
            QueueEvent::Moved { user, from, to, .. } => (
                "queue.move",
                json!({ "user_id": user, "from": from, "to": to }),
            ),
            QueueEvent::Drawn {
                seed,
                before,
                after,
                queue,
                ..
            } => (
                "queue.draw",
                json!({
                    "seed": seed,
                    "rule": "splitmix64-fisher-yates",
                    "minutes": queue.lottery_minutes,
                    "before": before,
                    "after": after,
                }),
            ),
            QueueEvent::Away { user, away, .. } => (
                if *away { "queue.away" } else { "queue.back" },
                json!({ "user_id": user }),
            ),
            QueueEvent::SwapAsked { from, to, .. } => (
                "queue.swap_ask",
                json!({ "from": from.0, "from_position": from.1, "to": to.0, "to_position": to.1 }),
            ),
            QueueEvent::SwapAnswered {
                from, to, outcome, ..
            } => (
                match outcome {
                    SwapOutcome::Swapped { .. } => "queue.swap",
                    SwapOutcome::Declined => "queue.swap_decline",
                    SwapOutcome::Stale => "queue.swap_stale",
                },
                json!({ "from": from.0, "from_position": from.1, "to": to.0, "to_position": to.1 }),
            ),
            QueueEvent::Skipped {
                user,
                turns_left,
                moved_to,
                ..
            } => (
                "queue.skip",
                json!({ "user_id": user, "turns_left": turns_left, "moved_to": moved_to }),
            ),
        };
        Some(Change {
            actor: None,
            group: Some(group),
            action,
            entity_type: "queue",
            entity_id: queue.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        self.notices_now()
    }

    fn live(&self) -> Vec<Live> {
        let queue = self.group_and_queue().1;
        let places_changed = match self {
            QueueEvent::Exited { .. } | QueueEvent::Drawn { .. } | QueueEvent::Cleared { .. } => {
                true
            }
            QueueEvent::Moved { from, to, .. } => from != to,
            QueueEvent::SwapAnswered { outcome, .. } => {
                matches!(outcome, SwapOutcome::Swapped { .. })
            }
            QueueEvent::Skipped { moved_to, .. } => moved_to.is_some(),
            _ => false,
        };
        let mut live = vec![Live::Queue(queue)];
        if places_changed {
            live.push(Live::QueuePlaces(queue));
        }
        live
    }
}
