//! The texts and inline keyboards of queues.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use super::form::Field;
use crate::queues::service::{Participant, QueueView};
use crate::telegram::callback::button;
use crate::telegram::escape::html;
use crate::telegram::{Args, Locale};

/// Telegram's limit for a message is 4096 characters; the list stops well before it.
const TEXT_BUDGET: usize = 3800;
/// Participants per page when choosing one.
pub const CHOICE_PAGE: usize = 10;
/// Positions per page when moving someone.
pub const POSITION_PAGE: usize = 20;
/// A name on a button is cut to this many characters.
const LABEL_NAME_CHARS: usize = 40;

type Row = Vec<InlineKeyboardButton>;

fn text_button(locale: Locale, id: &str, action: Action) -> InlineKeyboardButton {
    button(locale.text(id), &action)
}

/// How many characters Telegram counts for `text` in HTML parse mode: tags count nothing,
/// an entity counts one.
pub fn visible_len(text: &str) -> usize {
    let mut count = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            }
            '&' => {
                for c in chars.by_ref() {
                    if c == ';' {
                        break;
                    }
                }
                count += 1;
            }
            _ => count += 1,
        }
    }
    count
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn participant_line(locale: Locale, p: &Participant, own: bool) -> String {
    let args = Args::new()
        .num("position", i64::from(p.position))
        .user("name", &p.name);
    let mut line = locale.text_with(if own { "queue-line-own" } else { "queue-line" }, &args);
    if p.away_since.is_some() {
        line.push(' ');
        line.push_str(&locale.text("queue-away-mark"));
    }
    line
}

/// `at` in the group's time zone, as the queue screen shows moments.
pub fn local_time(at: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

/// A queue's title as `locale` names it: a queue stored without one is «Очередь» / "Queue"
/// in the reader's language. Plain text (escape it, or pass it as a user argument).
pub fn title(locale: Locale, stored: &str) -> String {
    if stored.trim().is_empty() {
        locale.text(crate::queues::events::UNNAMED)
    } else {
        stored.to_owned()
    }
}

/// The queue screen.
pub fn view_text(locale: Locale, view: &QueueView) -> String {
    let queue = &view.queue;
    let mut text = locale.text_with(
        "queue-view-title",
        &Args::new()
            .user("title", &title(locale, &queue.title))
            .user("event", &view.event_title),
    );
    if let Some(description) = &queue.description {
        text.push_str("\n\n");
        text.push_str(&html(description));
    }
    let n = count(view.participants.len());
    let status = match (queue.is_closed, queue.max_participants) {
        (false, None) => locale.text_with("queue-status-open", &Args::new().num("count", n)),
        (false, Some(max)) => locale.text_with(
            "queue-status-open-max",
            &Args::new()
                .num("count", n)
                .num("max", i64::from(max))
                .num("free", (i64::from(max) - n).max(0)),
        ),
        (true, None) => locale.text_with("queue-status-closed", &Args::new().num("count", n)),
        (true, Some(max)) => locale.text_with(
            "queue-status-closed-max",
            &Args::new().num("count", n).num("max", i64::from(max)),
        ),
    };
    text.push_str("\n\n");
    match view.opens_at {
        // Not open yet: when it opens instead of the status.
        Some(opens_at) => {
            let args = Args::new().plain("at", &local_time(opens_at, view.tz));
            text.push_str(&locale.text_with("queue-opens-at", &args));
        }
        None => text.push_str(&status),
    }
    if let Some(wait) = view.own_wait() {
        // Whole minutes, rounded up, at least one.
        let minutes = (wait.num_seconds() + 59) / 60;
        let args = Args::new().num("minutes", minutes.max(1));
        text.push('\n');
        text.push_str(&locale.text_with("queue-wait-estimate", &args));
    }
    if let Some(draw_at) = view.draw_at {
        let args = Args::new().plain("at", &local_time(draw_at, view.tz));
        text.push('\n');
        text.push_str(&locale.text_with("queue-draw-at", &args));
    }
    if view.participants.is_empty() {
        text.push_str("\n\n");
        text.push_str(&locale.text("queue-empty"));
        return text;
    }
    text.push('\n');
    let mut used = visible_len(&text);
    let own_line = view
        .participants
        .iter()
        .find(|p| p.user_id == view.viewer_id)
        .map(|p| participant_line(locale, p, true));
    // Room for «…и ещё N» and the viewer's own line, should they be cut.
    let reserve = 40 + own_line.as_deref().map_or(0, visible_len);
    let mut shown = 0;
    let mut own_shown = false;
    for p in &view.participants {
        let own = p.user_id == view.viewer_id;
        let line = participant_line(locale, p, own);
        let len = visible_len(&line) + 1;
        if used + len + reserve > TEXT_BUDGET {
            break;
        }
        text.push('\n');
        text.push_str(&line);
        used += len;
        shown += 1;
        own_shown |= own;
    }
    let rest = view.participants.len() - shown;
    if rest > 0 {
        text.push('\n');
        text.push_str(&locale.text_with("queue-more", &Args::new().num("count", count(rest))));
        if let (Some(line), false) = (own_line, own_shown) {
            text.push('\n');
            text.push_str(&line);
        }
    }
    text
}

/// The buttons under the queue screen.
pub fn view_keyboard(locale: Locale, view: &QueueView) -> InlineKeyboardMarkup {
    let queue = view.queue.id;
    let mut rows: Vec<Row> = Vec::new();
    let own = view
        .participants
        .iter()
        .find(|p| p.user_id == view.viewer_id);
    let own_row = match own {
        Some(own) => {
            let away = if own.away_since.is_some() {
                text_button(
                    locale,
                    "queue-btn-back-here",
                    Action::Away { queue, away: false },
                )
            } else {
                text_button(locale, "queue-btn-away", Action::Away { queue, away: true })
            };
            rows.push(vec![text_button(
                locale,
                "queue-btn-leave",
                Action::Leave { queue },
            )]);
            let mut row = vec![away];
            if view.participants.len() > 1 {
                row.push(text_button(
                    locale,
                    "queue-btn-swap",
                    Action::SwapList { queue, from: 0 },
                ));
            }
            row
        }
        None => vec![text_button(
            locale,
            "queue-btn-join",
            Action::Join { queue },
        )],
    };
    rows.push(own_row);
    rows.push(vec![text_button(
        locale,
        "queue-btn-refresh",
        Action::Refresh { queue },
    )]);
    if view.role.can_manage() {
        rows.push(vec![
            text_button(locale, "queue-btn-next", Action::Next { queue }),
            text_button(
                locale,
                "queue-btn-remove",
                Action::RemoveList { queue, from: 0 },
            ),
        ]);
        if let Some(first) = view.participants.first() {
            rows.push(vec![text_button(
                locale,
                "queue-btn-no-show",
                Action::NoShow {
                    participant: first.id,
                },
            )]);
        }
        let (id, closed) = if view.queue.is_closed {
            ("queue-btn-open", false)
        } else {
            ("queue-btn-close", true)
        };
        rows.push(vec![
            text_button(
                locale,
                "queue-btn-move",
                Action::MoveList { queue, from: 0 },
            ),
            text_button(locale, id, Action::SetClosed { queue, closed }),
            text_button(locale, "queue-btn-clear", Action::Clear { queue }),
        ]);
        rows.push(vec![
            text_button(locale, "queue-btn-edit", Action::EditMenu { queue }),
            text_button(locale, "queue-btn-delete", Action::Delete { queue }),
            text_button(locale, "queue-btn-csv", Action::Export { queue }),
        ]);
        let publish = crate::telegram::chats::render::publish_button;
        rows.push(vec![publish(locale, crate::chats::LiveKind::Queue, queue)]);
    }
    rows.push(vec![back_to_event(locale, view.queue.event_id)]);
    InlineKeyboardMarkup::new(rows)
}

pub fn back_to_event(locale: Locale, event: Uuid) -> InlineKeyboardButton {
    button(
        locale.text("queue-btn-back-to-event"),
        &crate::telegram::events::Action::Open { event },
    )
}

fn back_to_queue(locale: Locale, queue: Uuid) -> Row {
    vec![text_button(
        locale,
        "queue-btn-back",
        Action::Open { queue },
    )]
}

fn label(p: &Participant) -> String {
    let name: String = p.name.chars().take(LABEL_NAME_CHARS).collect();
    format!("{}. {}", p.position, name)
}

/// The one pager (`kit::pager`) over a list shown from the `from`-th item.
fn pager(
    _locale: Locale,
    from: usize,
    total: usize,
    page: usize,
    at: impl Fn(u32) -> Action,
) -> Option<Row> {
    crate::telegram::kit::pager_from(from, total, page, at)
}

/// Participants to pick one from (to remove or to move), a page at a time.
pub fn choose_participant(
    locale: Locale,
    view: &QueueView,
    from: usize,
    pick: impl Fn(Uuid) -> Action,
    page: impl Fn(u32) -> Action,
) -> InlineKeyboardMarkup {
    let mut rows: Vec<Row> = view
        .participants
        .iter()
        .skip(from)
        .take(CHOICE_PAGE)
        .map(|p| vec![button(label(p), &pick(p.id))])
        .collect();
    rows.extend(pager(
        locale,
        from,
        view.participants.len(),
        CHOICE_PAGE,
        page,
    ));
    rows.push(back_to_queue(locale, view.queue.id));
    InlineKeyboardMarkup::new(rows)
}

/// Positions 1..=len to move a participant to, a page at a time (the current one omitted).
pub fn choose_position(
    locale: Locale,
    queue: Uuid,
    participant: &Participant,
    len: i32,
    from: usize,
) -> InlineKeyboardMarkup {
    let total = usize::try_from(len).unwrap_or(0);
    let positions: Vec<i32> = (1..=len).skip(from).take(POSITION_PAGE).collect();
    let mut rows: Vec<Row> = positions
        .chunks(5)
        .map(|chunk| {
            chunk
                .iter()
                .map(|&position| {
                    let text = if position == participant.position {
                        format!("· {position} ·")
                    } else {
                        position.to_string()
                    };
                    button(
                        text,
                        &Action::MoveTo {
                            participant: participant.id,
                            position,
                        },
                    )
                })
                .collect()
        })
        .collect();
    rows.extend(pager(locale, from, total, POSITION_PAGE, |from| {
        Action::MovePick {
            participant: participant.id,
            from,
        }
    }));
    rows.push(back_to_queue(locale, queue));
    InlineKeyboardMarkup::new(rows)
}

/// A swap request: accept, decline, or just look at the queue.
pub fn swap_answer(locale: Locale, swap: Uuid, queue: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            text_button(
                locale,
                "queue-btn-swap-accept",
                Action::SwapAnswer { swap, accept: true },
            ),
            text_button(
                locale,
                "queue-btn-swap-decline",
                Action::SwapAnswer {
                    swap,
                    accept: false,
                },
            ),
        ],
        back_to_queue(locale, queue),
    ])
}

/// «Да, очистить» / «Да, удалить» and back.
pub fn confirmation(locale: Locale, id: &str, yes: Action, queue: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![text_button(locale, id, yes)],
        back_to_queue(locale, queue),
    ])
}

/// The fields «✏️» can edit.
pub fn edit_menu(locale: Locale, queue: Uuid) -> InlineKeyboardMarkup {
    let field = |id: &str, field: Field| text_button(locale, id, Action::Edit { queue, field });
    InlineKeyboardMarkup::new([
        vec![field("queue-btn-edit-title", Field::Title)],
        vec![field("queue-btn-edit-description", Field::Description)],
        vec![field("queue-btn-edit-max", Field::Max)],
        vec![field("queue-btn-edit-opening", Field::Opening)],
        vec![field("queue-btn-edit-lottery", Field::Lottery)],
        back_to_queue(locale, queue),
    ])
}

/// A form step's buttons: an optional skip (`skip_id` names it) and «❌ Отмена».
pub fn form_step(locale: Locale, skip_id: Option<&str>) -> InlineKeyboardMarkup {
    let mut row = Vec::new();
    if let Some(id) = skip_id {
        row.push(text_button(locale, id, Action::Skip));
    }
    row.push(text_button(locale, "queue-btn-cancel", Action::Cancel));
    InlineKeyboardMarkup::new([row])
}

/// One button opening the queue (under notifications).
pub fn open_button(locale: Locale, queue: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([vec![text_button(
        locale,
        "queue-btn-show",
        Action::Open { queue },
    )]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_screens_buttons_fit_a_phone() {
        use crate::members::Role;
        let queue = crate::storage::entities::queues::Model {
            id: Uuid::new_v4(),
            event_id: Uuid::new_v4(),
            title: String::new(),
            description: None,
            max_participants: None,
            created_at: chrono::Utc::now(),
            is_closed: false,
            opens_at: None,
            lottery_minutes: None,
            lottery_seed: None,
        };
        let participant = |user_id: i64, position: i32| Participant {
            id: Uuid::new_v4(),
            user_id,
            position,
            name: "Иванов Иван".into(),
            username: None,
            joined_at: chrono::Utc::now(),
            away_since: None,
        };
        for role in [Role::Leader, Role::Member] {
            for locale in Locale::ALL {
                let view = QueueView {
                    queue: queue.clone(),
                    event_title: "Лаба".into(),
                    viewer_id: 1,
                    role,
                    group_name: "ИВТ-21".into(),
                    tz: chrono_tz::Tz::UTC,
                    participants: vec![participant(1, 1), participant(2, 2)],
                    opens_at: None,
                    draw_at: None,
                    turn_every: None,
                };
                let keyboard = view_keyboard(locale, &view);
                crate::telegram::kit::assert_fits_a_phone(&keyboard);
            }
        }
    }

    #[test]
    fn visible_length_counts_like_telegram() {
        assert_eq!(visible_len("<b>ab</b> &amp; c"), 6);
        assert_eq!(visible_len("я"), 1);
    }
}
