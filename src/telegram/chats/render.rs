//! The texts and inline keyboards of the group's chat: the binding screen and the live
//! messages. Everything shown in the chat is shared with all its members, so it never
//! carries anyone's private data beyond the names a queue or topic list shows anyway.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use crate::chats::LiveKind;
use crate::chats::live::{QueueState, TopicsState};
use crate::chats::service::Binding;
use crate::telegram::callback::button;
use crate::telegram::queues::render::visible_len;
use crate::telegram::{Args, Locale};

/// Telegram's limit for a message is 4096 characters; the lists stop well before it.
const TEXT_BUDGET: usize = 3800;
/// Telegram allows at most 100 buttons under a message; a topic list offers up to this many.
const MAX_TOPIC_BUTTONS: usize = 90;
/// A topic's title on a button is cut to this many characters.
const BUTTON_CHARS: usize = 40;

type Row = Vec<InlineKeyboardButton>;

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn text_button(locale: Locale, id: &str, action: Action) -> InlineKeyboardButton {
    button(locale.text(id), &action)
}

/// The answer to `/bind`: a button only the leader's press acts on.
pub fn bind_prompt(locale: Locale) -> (String, InlineKeyboardMarkup) {
    (
        locale.text("chat-bind-prompt"),
        InlineKeyboardMarkup::new([vec![text_button(locale, "chat-btn-bind", Action::Bind)]]),
    )
}

/// The binding screen in the chat: which group, whether reminders are posted; the leader's
/// buttons to toggle reminders and to unbind.
pub fn binding(locale: Locale, binding: &Binding) -> (String, InlineKeyboardMarkup) {
    let mut text = locale.text_with(
        "chat-bound",
        &Args::new().user("group", &binding.group_name),
    );
    text.push('\n');
    text.push_str(&locale.text(if binding.post_reminders {
        "chat-reminders-on"
    } else {
        "chat-reminders-off"
    }));
    let toggle = if binding.post_reminders {
        text_button(
            locale,
            "chat-btn-reminders-off",
            Action::Reminders { on: false },
        )
    } else {
        text_button(
            locale,
            "chat-btn-reminders-on",
            Action::Reminders { on: true },
        )
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![toggle],
        vec![text_button(locale, "chat-btn-unbind", Action::Unbind)],
    ]);
    (text, keyboard)
}

/// Appends `lines` to `text` while they fit, then «…и ещё N».
fn push_lines(locale: Locale, text: &mut String, lines: &[String]) {
    let mut used = visible_len(text);
    for (shown, line) in lines.iter().enumerate() {
        let len = visible_len(line) + 1;
        if used + len + 120 > TEXT_BUDGET {
            text.push('\n');
            text.push_str(&locale.text_with(
                "chat-more",
                &Args::new().num("count", count(lines.len() - shown)),
            ));
            return;
        }
        text.push('\n');
        text.push_str(line);
        used += len;
    }
}

/// A queue's live message.
pub fn queue(locale: Locale, state: &QueueState) -> (String, InlineKeyboardMarkup) {
    let mut text = locale.text_with(
        "chat-queue-title",
        &Args::new()
            .user(
                "title",
                &crate::telegram::queues::render::title(locale, &state.title),
            )
            .user("event", &state.event_title),
    );
    let n = count(state.names.len());
    let status = match (state.is_closed, state.max) {
        (true, _) => locale.text_with("chat-queue-closed", &Args::new().num("count", n)),
        (false, None) => locale.text_with("chat-queue-open", &Args::new().num("count", n)),
        (false, Some(max)) => locale.text_with(
            "chat-queue-open-max",
            &Args::new().num("count", n).num("max", i64::from(max)),
        ),
    };
    text.push_str("\n\n");
    text.push_str(&status);
    if let Some((at, zone)) = state.opens_at {
        let local = at.with_timezone(&zone.tz()).format("%d.%m.%Y %H:%M");
        let args = Args::new().plain("at", &local.to_string());
        text.push('\n');
        text.push_str(&locale.text_with("chat-queue-opening", &args));
    }
    text.push('\n');
    if state.names.is_empty() {
        text.push('\n');
        text.push_str(&locale.text("chat-queue-empty"));
    } else {
        let lines: Vec<String> = state
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                locale.text_with(
                    "chat-queue-line",
                    &Args::new().num("position", count(i + 1)).user("name", name),
                )
            })
            .collect();
        push_lines(locale, &mut text, &lines);
    }
    let queue = state.id;
    let keyboard = InlineKeyboardMarkup::new([vec![
        text_button(locale, "chat-btn-join", Action::Join { queue }),
        text_button(locale, "chat-btn-leave", Action::Leave { queue }),
    ]]);
    (text, keyboard)
}

/// A topic list's live message: every topic with its places; a button per free topic.
pub fn topics(locale: Locale, state: &TopicsState) -> (String, InlineKeyboardMarkup) {
    let capacity = state.capacity.max(0);
    let mut text = locale.text_with(
        "chat-topics-title",
        &Args::new()
            .user("title", &state.title)
            .user("event", &state.event_title)
            .num("capacity", i64::from(capacity)),
    );
    text.push('\n');
    let is_free = |taken: u32| i64::from(taken) < i64::from(capacity);
    let lines: Vec<String> = state
        .topics
        .iter()
        .enumerate()
        .map(|(i, (_, title, taken))| {
            let args = Args::new()
                .num("n", count(i + 1))
                .user("title", title)
                .num("taken", i64::from(*taken))
                .num("capacity", i64::from(capacity));
            let id = if is_free(*taken) {
                "chat-topic-line"
            } else {
                "chat-topic-line-full"
            };
            locale.text_with(id, &args)
        })
        .collect();
    push_lines(locale, &mut text, &lines);
    let free: Vec<(usize, &(uuid::Uuid, String, u32))> = state
        .topics
        .iter()
        .enumerate()
        .filter(|(_, (_, _, taken))| is_free(*taken))
        .collect();
    if free.is_empty() {
        text.push_str("\n\n");
        text.push_str(&locale.text("chat-topics-none-free"));
    } else if free.len() > MAX_TOPIC_BUTTONS {
        text.push_str("\n\n");
        text.push_str(&locale.text_with(
            "chat-topics-more-free",
            &Args::new().num("count", count(free.len() - MAX_TOPIC_BUTTONS)),
        ));
    }
    let rows: Vec<Row> = free
        .iter()
        .take(MAX_TOPIC_BUTTONS)
        .map(|(i, (id, title, _))| {
            let title: String = title.chars().take(BUTTON_CHARS).collect();
            vec![button(
                format!("{}. {title}", i + 1),
                &Action::Pick { topic: *id },
            )]
        })
        .collect();
    (text, InlineKeyboardMarkup::new(rows))
}

/// What a live message shows once its queue or list is gone: the text, no buttons.
pub fn gone(locale: Locale, id: &str) -> (String, InlineKeyboardMarkup) {
    (
        locale.text(id),
        InlineKeyboardMarkup::new(Vec::<Row>::new()),
    )
}

/// The button under a queue or topic list that publishes it (leader, assistants).
pub fn publish_button(locale: Locale, kind: LiveKind, target: Uuid) -> InlineKeyboardButton {
    text_button(locale, "chat-btn-publish", Action::Publish { kind, target })
}
