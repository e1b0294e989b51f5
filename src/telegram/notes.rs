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
    pub fn render(self, locale: Locale) -> Rendered {
        match self {
            Stored::Note(note) => render(&note, locale),
            Stored::Rendered { text, markup } => Rendered { text, markup },
        }
    }
}

/// The text of `text` in `locale`: user arguments escaped, numbers as plural selectors,
/// dates and times in the given zone, nested templates in the same language.
pub fn text(locale: Locale, text: &Text) -> String {
    let mut args = Args::new();
    for (name, arg) in &text.args {
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
        };
    }
    locale.text_with(&text.id, &args)
}

/// The callback data of the button that opens `screen`.
fn open(screen: Screen) -> String {
    match screen {
        Screen::Event(event) => {
            super::callback::encode(&crate::telegram::events::action::Action::Open { event })
        }
        Screen::Queue(queue) => {
            super::callback::encode(&crate::telegram::queues::action::Action::Open { queue })
        }
        Screen::QueueSwap(swap) => {
            super::callback::encode(&crate::telegram::queues::action::Action::SwapShow { swap })
        }
        Screen::TopicList(list) => {
            super::callback::encode(&crate::telegram::topics::handlers::Action::Open { list })
        }
    }
}

/// `note` as the recipient sees it.
pub fn render(note: &Note, locale: Locale) -> Rendered {
    let rows: Vec<_> = note
        .buttons
        .iter()
        .map(|b| {
            vec![InlineKeyboardButton::callback(
                text(locale, &b.label),
                open(b.screen),
            )]
        })
        .collect();
    Rendered {
        text: text(locale, &note.text),
        markup: (!rows.is_empty())
            .then(|| ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(rows))),
    }
}
