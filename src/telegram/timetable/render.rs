//! The timetable's screens as text and keyboards: a day, a week, the management screen.

use chrono::{Datelike, Duration, NaiveDate};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::Action;
use crate::telegram::escape::html;
use crate::telegram::kit::label;
use crate::telegram::{Args, Locale};
use crate::timetable::schedule::{Occurrence, Status};
use crate::timetable::service::{Day, Days};
use crate::timetable::week::{Bells, ClassKind, Parity, Semester, Subgroup};

/// Telegram refuses longer messages (4096); a screen stops adding lines before this.
const MAX_TEXT: usize = 3900;

pub fn format_date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn short_date(date: NaiveDate) -> String {
    date.format("%d.%m").to_string()
}

pub fn weekday_name(locale: Locale, date: NaiveDate) -> String {
    let name = locale.text(&format!(
        "calendar-weekday-{}",
        date.weekday().number_from_monday()
    ));
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

pub fn parity(locale: Locale, parity: Parity) -> String {
    locale.text(match parity {
        Parity::Odd => "timetable-parity-odd",
        Parity::Even => "timetable-parity-even",
    })
}

pub fn kind(locale: Locale, kind: ClassKind) -> String {
    locale.text(match kind {
        ClassKind::Lecture => "timetable-kind-lecture",
        ClassKind::Practice => "timetable-kind-practice",
        ClassKind::Lab => "timetable-kind-lab",
    })
}

/// `неделя 3, числитель` or `вне семестра`.
fn week_note(locale: Locale, day: &Day) -> String {
    match day.week {
        Some(week) => locale.text_with(
            "timetable-week-of",
            &Args::new()
                .num("number", i64::from(week.number))
                .user("parity", &parity(locale, week.parity)),
        ),
        None => locale.text("timetable-outside-semester"),
    }
}

fn occurrence(locale: Locale, bells: &Bells, held: &Occurrence) -> String {
    let time = bells
        .pair(held.pair)
        .map(|bell| {
            locale.text_with(
                "timetable-time",
                &Args::new()
                    .user("start", &bell.start.format("%H:%M").to_string())
                    .user("end", &bell.end.format("%H:%M").to_string()),
            )
        })
        .unwrap_or_default();
    let mut line = locale.text_with(
        "timetable-class",
        &Args::new()
            .num("pair", i64::from(held.pair.number()))
            .user("time", &time)
            .user("subject", &held.subject)
            .user("kind", &kind(locale, held.kind)),
    );
    let mut details = Vec::new();
    if let Some(teacher) = &held.teacher {
        details.push(html(teacher));
    }
    if let Some(room) = &held.room {
        details.push(locale.text_with("timetable-room", &Args::new().user("room", room)));
    }
    if let Some(subgroup) = held.subgroup {
        details.push(locale.text_with(
            "timetable-subgroup",
            &Args::new().num("subgroup", i64::from(subgroup.number())),
        ));
    }
    match held.status {
        Status::Regular => {}
        Status::Moved { from, .. } => details.push(locale.text_with(
            "timetable-moved-here",
            &Args::new().user("date", &short_date(from)),
        )),
        Status::Extra => details.push(locale.text("timetable-extra")),
    }
    for detail in details {
        line.push_str(" · ");
        line.push_str(&detail);
    }
    line
}

/// The lines of one date: classes, cancelled and moved ones, events, deadlines.
fn day_lines(locale: Locale, days: &Days, day: &Day) -> Vec<String> {
    let mut lines = Vec::new();
    let task = |task: &crate::homework::reads::DayTask| {
        let mark = if task.done { "✅ " } else { "" };
        let body = format!(
            "{mark}{}",
            crate::homework::text::first_line(&task.body, 60)
        );
        locale.text_with("homework-in-timetable", &Args::new().user("body", &body))
    };
    for held in &day.plan.held {
        lines.push(occurrence(locale, &days.bells, held));
        let on_class = day
            .homework
            .iter()
            .filter(|t| t.class_id.is_some() && t.class_id == held.class);
        lines.extend(on_class.map(task));
    }
    for dropped in &day.plan.dropped {
        let args = Args::new()
            .num("pair", i64::from(dropped.pair.number()))
            .user("subject", &dropped.subject);
        lines.push(match dropped.moved_to {
            None => locale.text_with("timetable-cancelled", &args),
            Some((date, pair)) => locale.text_with(
                "timetable-moved-away",
                &args
                    .user("date", &short_date(date))
                    .num("to_pair", i64::from(pair.number())),
            ),
        });
    }
    if day.plan.held.is_empty() && day.plan.dropped.is_empty() {
        lines.push(locale.text("timetable-no-classes"));
    }
    // Tasks on a plain date, or on a class not held that day, stand under the day.
    let under_day = day.homework.iter().filter(|t| {
        t.class_id
            .is_none_or(|class| !day.plan.held.iter().any(|held| held.class == Some(class)))
    });
    lines.extend(under_day.map(task));
    for event in &day.events {
        let id = if event.important {
            "timetable-event-important"
        } else {
            "timetable-event"
        };
        lines.push(locale.text_with(id, &Args::new().user("title", &event.title)));
    }
    for deadline in &day.deadlines {
        let time = deadline.at.with_timezone(&days.viewer.tz).format("%H:%M");
        lines.push(
            locale.text_with(
                "timetable-deadline",
                &Args::new()
                    .user("time", &time.to_string())
                    .user("text", &deadline.text),
            ),
        );
    }
    lines
}

/// Joins `lines` under `head`, stopping (with a note) before Telegram's limit.
fn fit(locale: Locale, head: String, lines: Vec<String>) -> String {
    let mut text = head;
    let more = locale.text("timetable-more");
    for line in lines {
        if text.len() + line.len() + more.len() + 2 > MAX_TEXT {
            text.push('\n');
            text.push_str(&more);
            return text;
        }
        text.push('\n');
        text.push_str(&line);
    }
    text
}

fn semester_note(locale: Locale, days: &Days) -> Option<String> {
    if days.semester.is_some() {
        return None;
    }
    let id = if days.viewer.role.can_manage() {
        "timetable-no-semester-manager"
    } else {
        "timetable-no-semester"
    };
    Some(locale.text(id))
}

/// One date's screen.
pub fn day_text(locale: Locale, days: &Days) -> String {
    let Some(day) = days.days.first() else {
        return locale.text("timetable-no-classes");
    };
    let title = locale.text_with(
        "timetable-day-title",
        &Args::new()
            .user("weekday", &weekday_name(locale, day.date))
            .user("date", &format_date(day.date)),
    );
    let mut head = format!("{title} · {}", week_note(locale, day));
    if let Some(note) = semester_note(locale, days) {
        head = format!("{head}\n{note}");
    }
    fit(locale, format!("{head}\n"), day_lines(locale, days, day))
}

/// A week's screen: each day with classes, events or deadlines (an empty day is left out).
pub fn week_text(locale: Locale, days: &Days) -> String {
    let (Some(first), Some(last)) = (days.days.first(), days.days.last()) else {
        return locale.text("timetable-no-classes");
    };
    let title = locale.text_with(
        "timetable-week-title",
        &Args::new()
            .user("from", &short_date(first.date))
            .user("to", &short_date(last.date)),
    );
    let mut head = format!("{title} · {}", week_note(locale, first));
    if let Some(note) = semester_note(locale, days) {
        head = format!("{head}\n{note}");
    }
    let mut lines = Vec::new();
    for day in &days.days {
        let empty = day.plan.held.is_empty()
            && day.plan.dropped.is_empty()
            && day.homework.is_empty()
            && day.events.is_empty()
            && day.deadlines.is_empty();
        if empty {
            continue;
        }
        lines.push(String::new());
        lines.push(
            locale.text_with(
                "timetable-weekday-heading",
                &Args::new()
                    .user("weekday", &weekday_name(locale, day.date))
                    .user("date", &short_date(day.date)),
            ),
        );
        lines.extend(day_lines(locale, days, day));
    }
    if lines.is_empty() {
        lines.push(locale.text("timetable-no-classes"));
    }
    fit(locale, head, lines)
}

pub fn subgroup_label(locale: Locale, subgroup: Option<Subgroup>) -> String {
    match subgroup {
        Some(s) => s.number().to_string(),
        None => locale.text("timetable-subgroup-all"),
    }
}

/// The navigation under a day or week: today, tomorrow, this week; for a week the weeks before
/// and after; the subgroup; for the leader and assistants, the changes and the management.
pub fn view_keyboard(
    locale: Locale,
    days: &Days,
    today: NaiveDate,
    week: Option<NaiveDate>,
    day: Option<NaiveDate>,
) -> InlineKeyboardMarkup {
    let mut rows = vec![vec![
        label(locale, "timetable-btn-today", Action::Day { date: today }),
        label(
            locale,
            "timetable-btn-tomorrow",
            Action::Day {
                date: today + Duration::days(1),
            },
        ),
        label(locale, "timetable-btn-week", Action::Week { date: today }),
    ]];
    if let Some(monday) = week {
        rows.push(vec![
            label(
                locale,
                "timetable-btn-prev-week",
                Action::Week {
                    date: monday - Duration::days(7),
                },
            ),
            label(
                locale,
                "timetable-btn-next-week",
                Action::Week {
                    date: monday + Duration::days(7),
                },
            ),
        ]);
    }
    let subgroup = locale.text_with(
        "timetable-btn-subgroup",
        &Args::new().plain("subgroup", &subgroup_label(locale, days.viewer.subgroup)),
    );
    rows.push(vec![crate::telegram::callback::button(
        subgroup,
        &Action::Subgroups,
    )]);
    if days.viewer.role.can_manage() {
        if let Some(date) = day {
            rows.push(vec![label(
                locale,
                "timetable-btn-day-changes",
                Action::DayChanges { date },
            )]);
        }
        rows.push(vec![label(locale, "timetable-btn-manage", Action::Manage)]);
    }
    InlineKeyboardMarkup::new(rows)
}

/// The subgroup choice: «все» and 1…`count`.
pub fn subgroup_keyboard(locale: Locale, count: u8) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![subgroup_row(locale, count, |number| {
        Action::SetSubgroup { number }
    })])
}

/// The member's own subgroup choice from the profile: «все» and 1…`count`, and back to the
/// profile (the last row).
pub fn profile_subgroup_keyboard(locale: Locale, count: u8) -> InlineKeyboardMarkup {
    let row = subgroup_row(locale, count, |number| Action::SetProfileSubgroup {
        number,
    });
    InlineKeyboardMarkup::new(vec![row, vec![back_to_profile(locale)]])
}

/// «все» (0) and the subgroups 1…`count`, each pressing `choose(number)`.
fn subgroup_row(
    locale: Locale,
    count: u8,
    choose: impl Fn(u8) -> Action,
) -> Vec<InlineKeyboardButton> {
    let mut row = vec![label(locale, "timetable-subgroup-all", choose(0))];
    for number in 1..=count.clamp(2, Subgroup::MAX) {
        row.push(crate::telegram::callback::button(
            number.to_string(),
            &choose(number),
        ));
    }
    row
}

/// «◀ Назад» to the profile.
pub fn back_to_profile(locale: Locale) -> InlineKeyboardButton {
    label(
        locale,
        "timetable-btn-back",
        crate::telegram::members::action::ProfileAction::Show,
    )
}

/// The leader's subgroup choice for the membership `member`: «все» and 1…`count`.
pub fn member_subgroup_keyboard(
    locale: Locale,
    member: uuid::Uuid,
    count: u8,
) -> InlineKeyboardMarkup {
    let mut row = vec![label(
        locale,
        "timetable-subgroup-all",
        Action::SetMemberSubgroup { member, number: 0 },
    )];
    for number in 1..=count.clamp(2, Subgroup::MAX) {
        row.push(crate::telegram::callback::button(
            number.to_string(),
            &Action::SetMemberSubgroup { member, number },
        ));
    }
    InlineKeyboardMarkup::new(vec![row])
}

/// The management screen's text.
pub fn manage_text(locale: Locale, semester: Option<&Semester>, classes: usize) -> String {
    let semester = match semester {
        Some(s) => locale.text_with(
            "timetable-manage-semester",
            &Args::new()
                .user("from", &format_date(s.first_day))
                .user("to", &format_date(s.last_day))
                .user("parity", &parity(locale, s.first_week)),
        ),
        None => locale.text("timetable-manage-no-semester"),
    };
    locale.text_with(
        "timetable-manage",
        &Args::new()
            .value("semester", semester.into())
            .num("count", i64::try_from(classes).unwrap_or(i64::MAX)),
    )
}

/// The management buttons; `posts`: whether changes are posted to the group chat (`None`
/// without a semester: no toggle).
pub fn manage_keyboard(
    locale: Locale,
    today: NaiveDate,
    posts: Option<bool>,
) -> InlineKeyboardMarkup {
    let toggle = posts.map(|on| {
        let id = if on {
            "timetable-btn-post-off"
        } else {
            "timetable-btn-post-on"
        };
        vec![label(locale, id, Action::PostChanges { on: !on })]
    });
    let rows: Vec<Vec<InlineKeyboardButton>> = vec![
        vec![
            label(locale, "timetable-btn-semester", Action::Semester),
            label(locale, "timetable-btn-bells", Action::Bells),
        ],
        vec![
            label(locale, "timetable-btn-new-class", Action::NewClass),
            label(locale, "timetable-btn-paste", Action::Paste),
        ],
        vec![
            label(locale, "timetable-btn-classes", Action::Classes { from: 0 }),
            label(locale, "timetable-btn-ics", Action::Ics),
        ],
    ];
    let back = vec![label(
        locale,
        "timetable-btn-back",
        Action::Day { date: today },
    )];
    InlineKeyboardMarkup::new(rows.into_iter().chain(toggle).chain([back]))
}

/// A form's «❌ Отмена».
pub fn cancel_keyboard(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![label(
        locale,
        "timetable-btn-cancel",
        Action::Cancel,
    )]])
}

pub fn button(text: String, action: Action) -> InlineKeyboardButton {
    crate::telegram::callback::button(text, &action)
}
