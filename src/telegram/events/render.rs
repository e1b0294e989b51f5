//! The texts of the events screens (HTML, every user value escaped through `Args::user`), kept
//! under Telegram's 4096-character limit: lists are paged with every line bounded (the event
//! card is in `card`).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::events::calendar::Month;
use crate::events::service::{CalendarView, DeadlineList, EventSummary, UPCOMING_DAYS};
use crate::telegram::{Args, Locale};

/// Telegram's limit for a message's text (after entities are parsed), in UTF-16 code units.
pub const MESSAGE_LIMIT: usize = 4096;
/// Room kept free below the limit.
pub const SAFETY_MARGIN: usize = 64;
/// Events or deadlines per page of a list.
pub const PAGE: usize = 10;
/// Lengths (UTF-16 units) user texts are cut to in lists and on buttons.
const LIST_TITLE: usize = 60;
const LIST_SUBJECT: usize = 40;
const LIST_DEADLINE: usize = 100;
pub const BUTTON_TITLE: usize = 40;

pub const NEW_MARK: &str = "🆕 ";
pub const IMPORTANT_MARK: &str = "❗ ";

/// The length Telegram counts for HTML made by the bot: UTF-16 units of the text outside
/// tags, each entity (`&lt;`…) one character.
pub fn visible_len(html: &str) -> usize {
    let mut length = 0;
    let (mut in_tag, mut in_entity) = (false, false);
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                in_entity = true;
                length += 1;
            }
            ';' if in_entity => in_entity = false,
            _ if in_entity => {}
            c => length += c.len_utf16(),
        }
    }
    length
}

/// `text` cut to at most `max` UTF-16 units (an ellipsis marks the cut).
pub fn clip(text: &str, max: usize) -> String {
    let units: usize = text.chars().map(char::len_utf16).sum();
    if units <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + c.len_utf16() + 1 > max {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

pub fn format_date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A moment as the group's clock shows it.
pub fn format_at(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

pub fn weekday(locale: Locale, date: NaiveDate) -> String {
    let number = date.weekday().number_from_monday();
    locale.text(&format!("calendar-weekday-{number}"))
}

pub fn month_title(locale: Locale, month: Month) -> String {
    let name = locale.text(&format!("calendar-month-{}", month.month));
    locale.text_with(
        "calendar-month-title",
        &Args::new()
            .user("month", &name)
            .user("year", &month.year.to_string()),
    )
}

/// The 🆕/❗ marks before a title.
pub fn marks(unseen: bool, important: bool) -> String {
    let mut out = String::new();
    if unseen {
        out.push_str(NEW_MARK);
    }
    if important {
        out.push_str(IMPORTANT_MARK);
    }
    out
}

/// A button label for an event: marks and the (cut) title.
pub fn event_button(event: &EventSummary) -> String {
    format!(
        "{}{}",
        marks(event.unseen, event.important),
        clip(&event.title, BUTTON_TITLE)
    )
}

/// One line of an event list.
fn event_line(locale: Locale, event: &EventSummary) -> String {
    let args = Args::new()
        .user("marks", &marks(event.unseen, event.important))
        .user("title", &clip(&event.title, LIST_TITLE));
    match &event.subject {
        Some(subject) => locale.text_with(
            "event-line-with-subject",
            &args.user("subject", &clip(subject, LIST_SUBJECT)),
        ),
        None => locale.text_with("event-line", &args),
    }
}

/// `text` with «Показаны 11–20 из 35.» below when the list has more than one page.
fn with_page_line(
    mut text: String,
    locale: Locale,
    from: usize,
    shown: usize,
    total: usize,
) -> String {
    if total > PAGE {
        text.push_str("\n\n");
        text.push_str(
            &locale.text_with(
                "calendar-page",
                &Args::new()
                    .num("first", (from + 1) as i64)
                    .num("last", (from + shown) as i64)
                    .num("total", total as i64),
            ),
        );
    }
    text
}

/// Where a page starting at `from` really starts in a list of `total`: a button from an older,
/// longer list shows the last page.
pub fn page_start(from: usize, total: usize) -> usize {
    if from >= total {
        total.saturating_sub(1) / PAGE * PAGE
    } else {
        from
    }
}

/// The page of `items` starting at `from` (clamped into the list).
pub fn page<T>(items: &[T], from: usize) -> (usize, &[T]) {
    let from = page_start(from, items.len());
    let end = (from + PAGE).min(items.len());
    (from, &items[from..end])
}

pub fn calendar_text(locale: Locale, view: &CalendarView) -> String {
    let mut parts = vec![locale.text_with(
        "calendar-title",
        &Args::new().user("group", &view.viewer.group_name),
    )];
    if view.unseen > 0 {
        parts.push(locale.text_with(
            "calendar-unseen",
            &Args::new().num("count", i64::try_from(view.unseen).unwrap_or(i64::MAX)),
        ));
    }
    parts.push(locale.text("calendar-legend"));
    parts.join("\n\n")
}

/// A day's events, the page from `from`.
pub fn day_text(locale: Locale, date: NaiveDate, events: &[EventSummary], from: usize) -> String {
    let title = locale.text_with(
        "calendar-day-title",
        &Args::new()
            .user("date", &format_date(date))
            .user("weekday", &weekday(locale, date)),
    );
    if events.is_empty() {
        return format!("{title}\n\n{}", locale.text("calendar-day-empty"));
    }
    let (from, shown) = page(events, from);
    let mut text = format!(
        "{title}\n\n{}\n",
        locale.text_with(
            "calendar-day-count",
            &Args::new().num("count", events.len() as i64)
        )
    );
    for event in shown {
        text.push('\n');
        text.push_str(&event_line(locale, event));
    }
    with_page_line(text, locale, from, shown.len(), events.len())
}

/// The next 14 days, grouped by date, the page from `from`.
pub fn upcoming_text(locale: Locale, events: &[EventSummary], from: usize) -> String {
    let title = locale.text_with(
        "calendar-upcoming-title",
        &Args::new().num("days", UPCOMING_DAYS),
    );
    if events.is_empty() {
        return format!("{title}\n\n{}", locale.text("calendar-upcoming-empty"));
    }
    let (from, shown) = page(events, from);
    let mut text = title;
    let mut last_date = None;
    for event in shown {
        if last_date != Some(event.date) {
            last_date = Some(event.date);
            text.push_str("\n\n");
            text.push_str(
                &locale.text_with(
                    "calendar-upcoming-day",
                    &Args::new()
                        .user("date", &format_date(event.date))
                        .user("weekday", &weekday(locale, event.date)),
                ),
            );
        }
        text.push('\n');
        text.push_str(&event_line(locale, event));
    }
    with_page_line(text, locale, from, shown.len(), events.len())
}

/// Upcoming deadlines in time order, the page from `from`.
pub fn deadlines_text(
    locale: Locale,
    list: &DeadlineList,
    from: usize,
    now: DateTime<Utc>,
) -> String {
    let tz = list.viewer.tz;
    let zone = crate::telegram::groups::render::zone_label(locale, tz.into(), now);
    let title = locale.text_with("deadline-list-title", &Args::new().user("timezone", &zone));
    if list.deadlines.is_empty() {
        return format!("{title}\n\n{}", locale.text("deadline-list-empty"));
    }
    let (from, shown) = page(&list.deadlines, from);
    let mut text = format!("{title}\n");
    for item in shown {
        text.push('\n');
        text.push_str(
            &locale.text_with(
                "deadline-list-line",
                &Args::new()
                    .user("at", &format_at(item.deadline.at, tz))
                    .user("text", &clip(&item.deadline.text, LIST_DEADLINE))
                    .user("event", &clip(&item.event_title, LIST_SUBJECT)),
            ),
        );
    }
    with_page_line(text, locale, from, shown.len(), list.deadlines.len())
}

#[cfg(test)]
pub(super) mod fixtures {
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    use crate::events::service::Viewer;
    use crate::members::Role;

    pub fn viewer() -> Viewer {
        Viewer {
            user_id: 1,
            group_id: Uuid::new_v4(),
            group_name: "𝔊".repeat(50),
            role: Role::Leader,
            tz: chrono_tz::Europe::Moscow,
        }
    }

    pub fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid")
    }

    /// A deadline's instant: 18:00 in Moscow.
    pub fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0)
            .single()
            .expect("valid")
    }

    /// The widest text a user can store: astral characters count twice, `<` is escaped.
    pub fn widest(n: usize) -> String {
        "𝔄<".repeat(n / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{at, date, viewer, widest};
    use super::*;
    use crate::events::service::{Deadline, UpcomingDeadline};
    use crate::telegram::texts::testing::{assert_renders, message_ids};
    use chrono::Duration;
    use uuid::Uuid;

    fn summary(i: usize) -> EventSummary {
        EventSummary {
            id: Uuid::new_v4(),
            title: widest(100),
            subject: Some(widest(100)),
            date: date() + Duration::days(i as i64 % 3),
            important: true,
            unseen: true,
        }
    }

    #[test]
    fn both_locales_have_every_text() {
        let ru = message_ids("events.ftl");
        for id in &ru {
            assert!(
                ["event-", "calendar-", "deadline-"]
                    .iter()
                    .any(|prefix| id.starts_with(prefix)),
                "{id}"
            );
        }
        let mut args = Args::new();
        for name in ["count", "days", "length", "max", "first", "last", "total"] {
            args = args.num(name, 2);
        }
        for name in ["queues", "topics"] {
            args = args.num(name, 1);
        }
        for name in [
            "button",
            "current",
            "date",
            "description",
            "event",
            "group",
            "marks",
            "month",
            "now",
            "subject",
            "text",
            "timezone",
            "title",
            "weekday",
            "year",
            "at",
        ] {
            args = args.user(name, "x");
        }
        assert_renders(ru.iter().map(String::as_str), &args);
    }

    #[test]
    fn russian_counts_are_declined() {
        let unseen = |n| Locale::Ru.text_with("calendar-unseen", &Args::new().num("count", n));
        assert!(
            unseen(1).contains("1 новое событие — откройте его"),
            "{}",
            unseen(1)
        );
        assert!(unseen(3).contains("3 новых события — откройте их"));
        assert!(unseen(11).contains("11 новых событий"));
        assert!(unseen(21).contains("21 новое событие"));
        let count = |n| Locale::Ru.text_with("calendar-day-count", &Args::new().num("count", n));
        assert_eq!(count(2), "2 события:");
        assert_eq!(count(5), "5 событий:");
        let en = Locale::En.text_with("calendar-unseen", &Args::new().num("count", 1));
        assert!(en.contains("1 new event —"), "{en}");
    }

    #[test]
    fn visible_length_counts_what_telegram_counts() {
        assert_eq!(visible_len("<b>ab</b> &lt;c&gt;"), 6);
        assert_eq!(visible_len("𝔄"), 2);
        assert_eq!(visible_len("🆕 x"), 4);
    }

    #[test]
    fn clipping_keeps_within_the_limit() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcdef", 4), "abc…");
        let clipped = clip(&"𝔄".repeat(10), 5);
        assert_eq!(clipped, "𝔄𝔄…");
        assert!(visible_len(&clipped) <= 5);
    }

    #[test]
    fn lists_of_the_widest_events_fit() {
        let events: Vec<EventSummary> = (0..35).map(summary).collect();
        for locale in Locale::ALL {
            for from in [0, 10, 30, 1000] {
                let day = day_text(locale, date(), &events, from);
                assert!(visible_len(&day) <= MESSAGE_LIMIT, "{}", visible_len(&day));
                let upcoming = upcoming_text(locale, &events, from);
                assert!(visible_len(&upcoming) <= MESSAGE_LIMIT);
            }
            assert!(day_text(locale, date(), &events, 30).contains("31–35"));
        }
    }

    #[test]
    fn deadline_lists_fit() {
        let at = at();
        let list = DeadlineList {
            viewer: viewer(),
            deadlines: (0..40)
                .map(|_| UpcomingDeadline {
                    deadline: Deadline {
                        id: Uuid::new_v4(),
                        event_id: Uuid::new_v4(),
                        text: widest(200),
                        at,
                    },
                    event_title: widest(100),
                })
                .collect(),
        };
        let text = deadlines_text(Locale::Ru, &list, 0, Utc::now());
        assert!(visible_len(&text) <= MESSAGE_LIMIT);
        assert!(text.contains("01.12.2026 18:00"), "Moscow time: {text}");
    }
}
