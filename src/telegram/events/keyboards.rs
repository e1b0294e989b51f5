//! The inline keyboards of the events screens: the month grid (also the forms' date picker),
//! lists, the event card and the form steps.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use super::form::Field;
use super::render::{self, PAGE};
use crate::events::calendar::Month;
use crate::events::service::{DayMark, Deadline, EventCard, EventSummary};
use crate::telegram::callback::button;
use crate::telegram::{Args, Locale};

type Row = Vec<InlineKeyboardButton>;

fn text_button(locale: Locale, id: &str, action: Action) -> InlineKeyboardButton {
    button(locale.text(id), &action)
}

fn noop(label: &str) -> InlineKeyboardButton {
    button(label, &Action::Noop)
}

/// A day's label: the number, `•` when it has events, `❗` when one is important; today in
/// brackets.
pub fn day_label(day: u32, mark: Option<&DayMark>, today: bool) -> String {
    let suffix = match mark {
        Some(mark) if mark.important => "❗",
        Some(mark) if mark.events > 0 => "•",
        _ => "",
    };
    if today {
        format!("[{day}{suffix}]")
    } else {
        format!("{day}{suffix}")
    }
}

/// The month grid: navigation, weekday names, Monday-first weeks. A day opens its events,
/// or, in a form's date picker (`picking`), is the date chosen.
fn month_grid(
    locale: Locale,
    month: Month,
    today: NaiveDate,
    days: &BTreeMap<NaiveDate, DayMark>,
    picking: bool,
) -> Vec<Row> {
    // A day with exactly one event opens its card; with more, the day's list.
    let open = |date| match days.get(&date).and_then(|mark| mark.only) {
        _ if picking => Action::PickDay { date },
        Some(event) => Action::Open { event },
        None => Action::Day { date, from: 0 },
    };
    let navigate = |month| {
        if picking {
            Action::PickMonth { month }
        } else {
            Action::Month { month }
        }
    };
    let mut rows = vec![vec![
        button("◀️", &navigate(month.prev())),
        noop(&render::month_title(locale, month)),
        button("▶️", &navigate(month.next())),
    ]];
    let names = locale.text("calendar-weekdays");
    let names: Vec<&str> = names.split_whitespace().collect();
    if names.len() == 7 {
        rows.push(names.into_iter().map(noop).collect());
    }
    for week in month.weeks() {
        rows.push(
            week.iter()
                .map(|cell| match cell {
                    Some(day) => button(
                        day_label(day.day(), days.get(day), *day == today),
                        &open(*day),
                    ),
                    None => noop(" "),
                })
                .collect(),
        );
    }
    rows
}

/// The calendar screen: the grid, «Ближайшие», «⏰ Дедлайны», and «➕ Новое событие» for those
/// who may create events.
pub fn calendar(
    locale: Locale,
    month: Month,
    today: NaiveDate,
    days: &BTreeMap<NaiveDate, DayMark>,
    can_create: bool,
) -> InlineKeyboardMarkup {
    let mut rows = month_grid(locale, month, today, days, false);
    rows.push(vec![
        text_button(
            locale,
            "calendar-btn-upcoming",
            Action::Upcoming { from: 0 },
        ),
        text_button(
            locale,
            "calendar-btn-deadlines",
            Action::Deadlines { from: 0 },
        ),
    ]);
    if can_create {
        rows.push(vec![text_button(locale, "event-btn-new", Action::New)]);
    }
    InlineKeyboardMarkup::new(rows)
}

/// The date picker of a form: the grid (existing events marked), «❌ Отмена».
pub fn date_picker(
    locale: Locale,
    month: Month,
    today: NaiveDate,
    days: &BTreeMap<NaiveDate, DayMark>,
) -> InlineKeyboardMarkup {
    let mut rows = month_grid(locale, month, today, days, true);
    rows.push(vec![text_button(
        locale,
        "event-btn-cancel",
        Action::Cancel,
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// The one pager (`kit::pager`) for a paged list, when it has more than one page.
fn pager(_locale: Locale, from: usize, total: usize, at: impl Fn(u32) -> Action) -> Option<Row> {
    crate::telegram::kit::pager_from(from, total, PAGE, at)
}

/// A page of events, one button each, the pager and «◀️ К календарю».
pub fn event_list(
    locale: Locale,
    events: &[EventSummary],
    from: usize,
    back_to: Month,
    at: impl Fn(u32) -> Action,
) -> InlineKeyboardMarkup {
    let (from, shown) = render::page(events, from);
    let mut rows: Vec<Row> = shown
        .iter()
        .map(|event| {
            vec![button(
                render::event_button(event),
                &Action::Open { event: event.id },
            )]
        })
        .collect();
    rows.extend(pager(locale, from, events.len(), at));
    rows.push(vec![text_button(
        locale,
        "calendar-btn-back",
        Action::Month { month: back_to },
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// The deadlines screen: the pager and «◀️ К календарю».
pub fn deadline_list(
    locale: Locale,
    from: usize,
    total: usize,
    back_to: Month,
) -> InlineKeyboardMarkup {
    let from = render::page_start(from, total);
    let mut rows: Vec<Row> = Vec::new();
    rows.extend(pager(locale, from, total, |from| Action::Deadlines {
        from,
    }));
    rows.push(vec![text_button(
        locale,
        "calendar-btn-back",
        Action::Month { month: back_to },
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// The event card: management buttons for leaders and assistants, «◀️ К календарю».
pub fn card(locale: Locale, card: &EventCard) -> InlineKeyboardMarkup {
    let event = card.event.id;
    let mut rows: Vec<Row> = Vec::new();
    if card.viewer.role.can_manage() {
        let edit = |id: &str, field: Field| text_button(locale, id, Action::Edit { event, field });
        rows.push(vec![
            edit("event-btn-edit-title", Field::Title),
            edit("event-btn-edit-subject", Field::Subject),
        ]);
        rows.push(vec![
            edit("event-btn-edit-date", Field::Date),
            edit("event-btn-edit-description", Field::Description),
        ]);
        let important = card.event.is_important;
        rows.push(vec![text_button(
            locale,
            if important {
                "event-btn-unmark-important"
            } else {
                "event-btn-mark-important"
            },
            Action::SetImportant {
                event,
                yes: !important,
            },
        )]);
        let mut deadlines = vec![text_button(
            locale,
            "event-btn-add-deadline",
            Action::AddDeadline { event },
        )];
        if !card.deadlines.is_empty() {
            deadlines.push(text_button(
                locale,
                "event-btn-remove-deadline",
                Action::EventDeadlines { event },
            ));
        }
        rows.push(deadlines);
        rows.push(vec![text_button(
            locale,
            "event-btn-delete",
            Action::Delete { event },
        )]);
    }
    for queue in &card.queues {
        let title = crate::telegram::queues::render::title(locale, &queue.title);
        let label = locale.text_with("event-btn-queue", &Args::new().plain("title", &title));
        let open = crate::telegram::queues::Action::Open { queue: queue.id };
        rows.push(vec![button(label, &open)]);
    }
    for list in &card.topic_lists {
        let label = locale.text_with("event-btn-topics", &Args::new().plain("title", &list.title));
        let open = crate::telegram::topics::Action::Open { list: list.id };
        rows.push(vec![button(label, &open)]);
    }
    if card.viewer.role.can_manage() {
        rows.push(vec![
            button(
                locale.text("event-btn-add-queue"),
                &crate::telegram::queues::Action::Create { event },
            ),
            button(
                locale.text("event-btn-add-topics"),
                &crate::telegram::topics::Action::Create { event },
            ),
        ]);
    }
    rows.push(vec![text_button(
        locale,
        "calendar-btn-back",
        Action::Month {
            month: Month::of(card.event.event_date),
        },
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// The deadlines of an event, each a remove button (at most 20), and «◀️ К событию».
pub fn remove_deadline(
    locale: Locale,
    event: Uuid,
    deadlines: &[Deadline],
    tz: chrono_tz::Tz,
) -> InlineKeyboardMarkup {
    let mut rows: Vec<Row> = deadlines
        .iter()
        .take(20)
        .map(|deadline| {
            let label = format!(
                "🗑 {} {}",
                render::format_at(deadline.at, tz),
                render::clip(&deadline.text, render::BUTTON_TITLE)
            );
            vec![button(
                label,
                &Action::RemoveDeadline {
                    deadline: deadline.id,
                },
            )]
        })
        .collect();
    rows.push(vec![text_button(
        locale,
        "event-btn-back-to-event",
        Action::Open { event },
    )]);
    InlineKeyboardMarkup::new(rows)
}

pub fn delete_confirmation(locale: Locale, event: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([vec![
        text_button(
            locale,
            "event-btn-delete-yes",
            Action::DeleteConfirmed { event },
        ),
        text_button(locale, "event-btn-delete-no", Action::Open { event }),
    ]])
}

/// «Пропустить» (or «🧹 Убрать» when editing) and «❌ Отмена».
pub fn skip(locale: Locale, clear: bool) -> InlineKeyboardMarkup {
    let skip = if clear {
        "event-btn-clear"
    } else {
        "event-btn-skip"
    };
    InlineKeyboardMarkup::new([vec![
        text_button(locale, skip, Action::Skip),
        text_button(locale, "event-btn-cancel", Action::Cancel),
    ]])
}

pub fn confirm_past(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            text_button(
                locale,
                "event-btn-past-yes",
                Action::ConfirmPast { yes: true },
            ),
            text_button(
                locale,
                "event-btn-past-no",
                Action::ConfirmPast { yes: false },
            ),
        ],
        vec![text_button(locale, "event-btn-cancel", Action::Cancel)],
    ])
}

pub fn important(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            text_button(locale, "event-btn-yes", Action::Important { yes: true }),
            text_button(locale, "event-btn-no", Action::Important { yes: false }),
        ],
        vec![text_button(locale, "event-btn-cancel", Action::Cancel)],
    ])
}

pub fn summary(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([vec![
        text_button(locale, "event-btn-save", Action::Save),
        text_button(locale, "event-btn-cancel", Action::Cancel),
    ]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_labels() {
        let plain = DayMark {
            events: 2,
            important: false,
            only: None,
        };
        let important = DayMark {
            important: true,
            ..plain
        };
        assert_eq!(day_label(5, None, false), "5");
        assert_eq!(day_label(5, Some(&plain), false), "5•");
        assert_eq!(day_label(5, Some(&important), false), "5❗");
        assert_eq!(day_label(5, Some(&important), true), "[5❗]");
        assert_eq!(day_label(12, None, true), "[12]");
    }

    #[test]
    fn the_grid_stays_within_telegrams_button_limit() {
        let month = Month::new(2026, 11).expect("valid");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid");
        let keyboard = calendar(Locale::Ru, month, today, &BTreeMap::new(), true);
        let count: usize = keyboard.inline_keyboard.iter().map(Vec::len).sum();
        assert!(count <= 100, "{count} buttons");
        // Title, weekdays, six weeks, the list buttons, «➕ Новое событие».
        assert_eq!(keyboard.inline_keyboard.len(), 10);
    }
}
