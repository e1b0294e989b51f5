//! «📚 Домашка» and a task's card as text and keyboards, the form's choices, and what a refused
//! homework action tells the user.

use chrono::NaiveDate;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::Action;
use crate::homework::HomeworkError;
use crate::homework::reads::{Card, Task};
use crate::homework::service::ClassDate;
use crate::telegram::callback;
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, label};
use crate::telegram::{Args, HandlerError, Locale};
use crate::text::TextError;

/// Tasks on one page of the list.
pub const PAGE: usize = 8;
/// Characters of a task's text a list line or button shows.
const LINE_CHARS: usize = 80;
const BUTTON_CHARS: usize = 24;

fn short(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > max || text.trim().lines().nth(1).is_some() {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_owned()
    }
}

fn day_month(date: NaiveDate) -> String {
    date.format("%d.%m").to_string()
}

fn subject(locale: Locale, task: &Task) -> String {
    task.subject
        .clone()
        .unwrap_or_else(|| locale.text("homework-no-subject"))
}

/// The list: every task of the page with its text, a button for each, the pager and «➕».
pub fn list(
    locale: Locale,
    tasks: &[Task],
    from: usize,
    manager: bool,
) -> (String, InlineKeyboardMarkup) {
    let mut text = locale.text("homework-title");
    let mut rows = Vec::new();
    if tasks.is_empty() {
        text.push_str("\n\n");
        text.push_str(&locale.text("homework-empty"));
    }
    let from = if from >= tasks.len() { 0 } else { from };
    for task in tasks.iter().skip(from).take(PAGE) {
        let mark = mark(task);
        let line = locale.text_with(
            "homework-line",
            &Args::new()
                .plain("mark", &mark)
                .user("date", &day_month(task.due_date))
                .user("subject", &subject(locale, task))
                .user("body", &short(&task.body, LINE_CHARS)),
        );
        text.push_str("\n\n");
        text.push_str(&line);
        let name = task.subject.as_deref().unwrap_or(&task.body);
        let label = format!("{mark}{} {}", day_month(task.due_date), name);
        rows.push(vec![callback::button(
            short(&label, BUTTON_CHARS),
            &Action::Open { task: task.id },
        )]);
    }
    if let Some(pager) = kit::pager_from(from, tasks.len(), PAGE, |from| Action::List { from }) {
        rows.push(pager);
    }
    let new = if manager {
        "homework-btn-new"
    } else {
        "homework-btn-propose"
    };
    rows.push(vec![label(locale, new, Action::New)]);
    (text, InlineKeyboardMarkup::new(rows))
}

/// ✅ for one's own ticked task, 🕓 for a proposal.
fn mark(task: &Task) -> String {
    if !task.published {
        "🕓 ".to_owned()
    } else if task.done {
        "✅ ".to_owned()
    } else {
        String::new()
    }
}

/// A task's card.
pub fn card(locale: Locale, card: &Card) -> (String, InlineKeyboardMarkup) {
    let task = &card.task;
    let head = match &task.subject {
        Some(_) => locale.text_with(
            "homework-card-class",
            &Args::new()
                .user("subject", &subject(locale, task))
                .user("date", &task.due_date.format("%d.%m.%Y").to_string())
                .user(
                    "time",
                    &task
                        .due_at
                        .with_timezone(&card.viewer.tz)
                        .format("%H:%M")
                        .to_string(),
                ),
        ),
        None => locale.text_with(
            "homework-card-date",
            &Args::new().user("date", &task.due_date.format("%d.%m.%Y").to_string()),
        ),
    };
    let mut text = format!("{head}\n\n{}", crate::telegram::escape::html(&task.body));
    let mut notes = Vec::new();
    if let Some(subgroup) = task.subgroup {
        notes.push(locale.text_with(
            "homework-card-subgroup",
            &Args::new().num("subgroup", i64::from(subgroup.number())),
        ));
    }
    if !card.files.is_empty() {
        notes.push(locale.text_with(
            "homework-card-files",
            &Args::new().num("count", card.files.len() as i64),
        ));
    }
    if !task.published {
        notes.push(locale.text("homework-card-proposed"));
    } else if task.done {
        notes.push(locale.text("homework-card-done"));
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join("\n"));
    }
    let id = task.id;
    let mut rows = Vec::new();
    if task.published {
        rows.push(vec![if task.done {
            label(
                locale,
                "homework-btn-undo",
                Action::Done {
                    task: id,
                    yes: false,
                },
            )
        } else {
            label(
                locale,
                "homework-btn-done",
                Action::Done {
                    task: id,
                    yes: true,
                },
            )
        }]);
    }
    if card.viewer.role.can_manage() {
        if !task.published {
            rows.push(vec![
                label(locale, "homework-btn-approve", Action::Approve { task: id }),
                label(locale, "homework-btn-reject", Action::Reject { task: id }),
            ]);
        }
        rows.push(vec![
            label(locale, "homework-btn-edit", Action::Edit { task: id }),
            label(locale, "homework-btn-delete", Action::Delete { task: id }),
        ]);
    }
    rows.push(vec![label(
        locale,
        "homework-btn-back",
        Action::List { from: 0 },
    )]);
    (text, InlineKeyboardMarkup::new(rows))
}

/// «Удалить задание?» with yes and back.
pub fn delete_confirmation(locale: Locale, task: &Task) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "homework-delete-confirm",
        &Args::new().user("body", &short(&task.body, LINE_CHARS)),
    );
    let keyboard = InlineKeyboardMarkup::new([[
        label(
            locale,
            "homework-btn-delete-yes",
            Action::DeleteConfirmed { task: task.id },
        ),
        label(
            locale,
            "homework-btn-delete-no",
            Action::Card { task: task.id },
        ),
    ]]);
    (text, keyboard)
}

fn cancel(locale: Locale) -> Vec<InlineKeyboardButton> {
    vec![label(locale, "homework-btn-cancel", Action::Cancel)]
}

/// The form's first question: a subject (one a row), or a typed date.
pub fn subjects(
    locale: Locale,
    subjects: &[(uuid::Uuid, String)],
) -> (String, InlineKeyboardMarkup) {
    let id = if subjects.is_empty() {
        "homework-ask-due-no-classes"
    } else {
        "homework-ask-due"
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = subjects
        .iter()
        .map(|(class, name)| {
            vec![callback::button(
                short(name, kit::ROW_CHARS),
                &Action::Subject { class: *class },
            )]
        })
        .collect();
    rows.push(cancel(locale));
    (locale.text(id), InlineKeyboardMarkup::new(rows))
}

/// The next dates of a subject: the nearest first.
pub fn dates(locale: Locale, subject: &str, dates: &[ClassDate]) -> (String, InlineKeyboardMarkup) {
    let args = Args::new().user("subject", subject);
    let text = if dates.is_empty() {
        locale.text_with("homework-no-dates", &args)
    } else {
        locale.text_with("homework-ask-date", &args)
    };
    let mut rows = Vec::new();
    for (n, date) in dates.iter().enumerate() {
        let when = format!(
            "{} {}",
            crate::telegram::timetable::render::weekday_name(locale, date.date),
            day_month(date.date)
        );
        let id = if n == 0 {
            "homework-btn-next"
        } else {
            "homework-btn-date"
        };
        let text = locale.text_with(id, &Args::new().plain("date", &when));
        let action = Action::PickClass {
            class: date.class,
            date: date.date,
        };
        rows.push(vec![callback::button(text, &action)]);
    }
    rows.push(vec![label(
        locale,
        "homework-btn-subjects",
        Action::Subjects,
    )]);
    rows.push(cancel(locale));
    (text, InlineKeyboardMarkup::new(rows))
}

/// «Пришлите фото или файлы…» with «✅ Сохранить».
pub fn save_keyboard(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![label(locale, "homework-btn-save", Action::Save)],
        cancel(locale),
    ])
}

impl UserFacing for HomeworkError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        match self {
            HomeworkError::Access(err) => err.user_message(locale),
            HomeworkError::NotFound => Ok(locale.text("homework-not-found")),
            HomeworkError::NoSuchClass => Ok(locale.text("homework-no-such-class")),
            HomeworkError::AlreadySaved => Ok(locale.text("homework-already-saved")),
            HomeworkError::NotProposed => Ok(locale.text("homework-not-proposed")),
            HomeworkError::TooManyFiles => Ok(locale.text("homework-too-many")),
            HomeworkError::Db(err) => Err(err.into()),
        }
    }
}

/// Why a task's text was refused.
pub fn body_refused(locale: Locale, error: TextError) -> String {
    match error {
        TextError::Empty => locale.text("homework-body-empty"),
        TextError::TooLong { length, max } => locale.text_with(
            "homework-body-too-long",
            &Args::new()
                .num("length", length as i64)
                .num("max", max as i64),
        ),
        TextError::ControlCharacters => locale.text("homework-body-control-chars"),
    }
}
