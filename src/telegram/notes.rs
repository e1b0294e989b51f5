//! Rendering a [`Note`] (template id, arguments, buttons) for one recipient, in their language,
//! at the moment it is sent.

use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, ReplyMarkup};

use super::{Args, Locale};
use crate::groups::Timezone;
use crate::notifications::note::{Arg, Note, Screen, Text};

/// A message ready for `sendMessage`: HTML text and an optional keyboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub markup: Option<ReplyMarkup>,
}

/// What an outbox row holds: a note, or (rows written before notes existed) text already
/// rendered.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Stored {
    Note(Note),
    Rendered {
        text: String,
        #[serde(default)]
        markup: Option<ReplyMarkup>,
    },
}

impl Stored {
    /// Rendered in `locale` (a link button left out: see [`Stored::render_with`]).
    pub fn render(self, locale: Locale) -> Rendered {
        self.render_with(locale, "")
    }

    /// Rendered in `locale`; `bot` is the bot's username, for buttons that are links.
    pub fn render_with(self, locale: Locale, bot: &str) -> Rendered {
        match self {
            Stored::Note(note) => render_with(&note, locale, bot),
            Stored::Rendered { text, markup } => Rendered { text, markup },
        }
    }
}

/// The text of `text` in `locale`: user arguments escaped, numbers as plural selectors,
/// dates and times in the given zone, nested templates in the same language.
pub fn text(locale: Locale, template: &Text) -> String {
    let mut args = Args::new();
    for (name, arg) in &template.args {
        args = match arg {
            Arg::User(value) => args.user_owned(name, value),
            Arg::Num(n) => args.value(name, FluentValue::from(*n)),
            Arg::Date(date) => args.value(name, date.format("%d.%m.%Y").to_string().into()),
            Arg::Time { at, tz } => {
                let tz = Timezone::stored(tz);
                let local = at.with_timezone(&tz.tz()).format("%d.%m.%Y %H:%M");
                args.value(name, local.to_string().into())
            }
            Arg::Msg(id) => args.value(name, locale.text(id).into()),
            Arg::List(lines) => {
                let lines: Vec<String> = lines.iter().map(|line| text(locale, line)).collect();
                args.value(name, lines.join("\n").into())
            }
        };
    }
    locale.text_with(&template.id, &args)
}

/// The button labelled `label` that opens `screen`; a link needs the bot's username `bot`.
fn open(label: String, screen: Screen, bot: &str) -> Option<InlineKeyboardButton> {
    use super::callback::encode;
    let data = match screen {
        Screen::Event(event) => encode(&crate::telegram::events::action::Action::Open { event }),
        Screen::EventLink(event) => {
            let url = crate::telegram::events::link::url(bot, event)?;
            return Some(InlineKeyboardButton::url(label, url));
        }
        Screen::Queue(queue) => encode(&crate::telegram::queues::action::Action::Open { queue }),
        Screen::QueueSwap(swap) => {
            encode(&crate::telegram::queues::action::Action::SwapShow { swap })
        }
        Screen::TopicList(list) => {
            encode(&crate::telegram::topics::handlers::Action::Open { list })
        }
        Screen::Homework(task) => encode(&crate::telegram::homework::Action::Open { task }),
    };
    Some(InlineKeyboardButton::callback(label, data))
}

/// `note` as the recipient sees it (a link button left out: see [`render_with`]).
pub fn render(note: &Note, locale: Locale) -> Rendered {
    render_with(note, locale, "")
}

/// `note` as the recipient sees it, with link buttons to the bot `bot`.
pub fn render_with(note: &Note, locale: Locale, bot: &str) -> Rendered {
    let rows: Vec<_> = note
        .buttons
        .iter()
        .filter_map(|b| open(text(locale, &b.label), b.screen, bot))
        .map(|button| vec![button])
        .collect();
    Rendered {
        text: text(locale, &note.text),
        markup: (!rows.is_empty())
            .then(|| ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(rows))),
    }
}
