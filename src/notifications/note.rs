//! A message as data: the id of its text template and the arguments, plus buttons that open a
//! screen. This is what an outbox row stores; the Telegram side renders it in the recipient's
//! language when it sends, so a reminder scheduled weeks ago speaks the language its recipient
//! uses today. Nothing here knows Telegram or Fluent.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::groups::Timezone;
use crate::storage::entities::events;

/// One argument of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Arg {
    /// Text someone typed (a title, a name): escaped when rendered.
    User(String),
    /// A number: picks plural forms.
    Num(i64),
    /// A calendar date (`15.12.2026`).
    Date(NaiveDate),
    /// An instant, shown as date and time in `tz` (`15.12.2026 18:00`).
    Time { at: DateTime<Utc>, tz: String },
    /// Another template without arguments, in the same language (a role's name, say).
    Msg(String),
    /// Lines, each a template with its arguments, rendered in the same language and joined
    /// by newlines (a digest's classes, tasks and deadlines).
    List(Vec<Text>),
}

/// A template id with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

impl Text {
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            args: BTreeMap::new(),
        }
    }

    fn arg(mut self, name: &str, value: Arg) -> Self {
        self.args.insert(name.to_owned(), value);
        self
    }

    /// Text someone typed.
    pub fn user(self, name: &str, value: impl Into<String>) -> Self {
        self.arg(name, Arg::User(value.into()))
    }

    pub fn num(self, name: &str, value: impl TryInto<i64>) -> Self {
        self.arg(name, Arg::Num(value.try_into().unwrap_or(i64::MAX)))
    }

    /// Text someone typed, or — when they left it empty (a queue without a title of its own)
    /// — the template `fallback` in the recipient's language.
    pub fn user_or(self, name: &str, value: &str, fallback: &str) -> Self {
        if value.trim().is_empty() {
            self.msg(name, fallback)
        } else {
            self.user(name, value)
        }
    }

    pub fn date(self, name: &str, value: NaiveDate) -> Self {
        self.arg(name, Arg::Date(value))
    }

    pub fn time(self, name: &str, at: DateTime<Utc>, tz: Timezone) -> Self {
        self.arg(
            name,
            Arg::Time {
                at,
                tz: tz.name().to_owned(),
            },
        )
    }

    pub fn msg(self, name: &str, id: impl Into<String>) -> Self {
        self.arg(name, Arg::Msg(id.into()))
    }

    /// Lines of text, joined by newlines when rendered.
    pub fn list(self, name: &str, lines: Vec<Text>) -> Self {
        self.arg(name, Arg::List(lines))
    }
}

/// What a notice is about: an event's name (its subject first, if it has one) and date, given
/// to a template as `event` and `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    pub event: String,
    pub date: NaiveDate,
}

impl About {
    pub fn of(event: &events::Model) -> Self {
        let title = event.title.trim();
        let name = match event.subject.as_deref().map(str::trim) {
            Some(subject) if !subject.is_empty() && subject != title => {
                format!("{subject}: {title}")
            }
            _ => title.to_owned(),
        };
        Self {
            event: name,
            date: event.event_date,
        }
    }

    /// `text` with the event's name and date.
    pub fn onto(&self, text: Text) -> Text {
        text.user("event", &self.event).date("date", self.date)
    }
}

/// A screen a button opens, named in the rules' terms; the Telegram side turns it into
/// callback data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "open", content = "id", rename_all = "snake_case")]
pub enum Screen {
    Event(Uuid),
    /// An event's card in the private chat, from a group chat (where a button cannot open a
    /// private screen): a link that starts the bot with the event.
    EventLink(Uuid),
    Queue(Uuid),
    TopicList(Uuid),
    /// A swap request in a queue, to answer.
    QueueSwap(Uuid),
    /// A homework task's card.
    Homework(Uuid),
}

/// A button under a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: Text,
    pub screen: Screen,
}

/// A whole message: text and buttons (one per row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Comes with the recipient's main menu as it is when sent (their role changed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub menu: bool,
}

impl Note {
    pub fn new(text: Text) -> Self {
        Self {
            text,
            buttons: Vec::new(),
            menu: false,
        }
    }

    /// Sends the recipient's main menu with the message.
    pub fn with_menu(mut self) -> Self {
        self.menu = true;
        self
    }

    /// Adds a button labelled with the template `label` that opens `screen`.
    pub fn button(mut self, label: &str, screen: Screen) -> Self {
        self.buttons.push(Button {
            label: Text::new(label),
            screen,
        });
        self
    }
}

impl From<Text> for Note {
    fn from(text: Text) -> Self {
        Note::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_survives_the_outbox_column() {
        let note = Note::new(
            Text::new("queue-your-turn")
                .user("title", "Лаба <1>")
                .num("count", 3)
                .date(
                    "date",
                    NaiveDate::from_ymd_opt(2026, 12, 15).unwrap_or_default(),
                )
                .msg("role", "role-assistant")
                .list(
                    "lines",
                    vec![Text::new("digest-homework").user("body", "§1")],
                ),
        )
        .button("queue-btn-open", Screen::Queue(Uuid::nil()));
        let json = serde_json::to_value(&note).unwrap_or_default();
        let back: Note = serde_json::from_value(json).unwrap_or_else(|_| Note::new(Text::new("")));
        assert_eq!(back, note);
    }
}
