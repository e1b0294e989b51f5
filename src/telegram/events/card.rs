//! The text of an event card and of the creation form's summary: title, marks, subject,
//! date, then the description with whatever room the sections below it leave under
//! Telegram's limit (see [`render`](super::render)).

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::render::{
    MESSAGE_LIMIT, SAFETY_MARGIN, clip, format_at, format_date, marks, visible_len, weekday,
};
use crate::events::service::{Deadline, EventCard, NewEvent};
use crate::telegram::{Args, Locale};

/// Deadlines listed on an event card (the rest are counted).
const CARD_DEADLINES: usize = 10;

/// The fields every view of one event shows.
struct Fields<'a> {
    title: &'a str,
    subject: Option<&'a str>,
    date: NaiveDate,
    description: Option<&'a str>,
    important: bool,
}

/// Title, marks, subject, date, then the description with whatever room `after` (the sections
/// below it, already formatted) leaves under the limit.
fn event_text(locale: Locale, fields: &Fields<'_>, before: &[String], after: &[String]) -> String {
    let mut head: Vec<String> = before.to_vec();
    head.push(
        locale.text_with(
            "event-card-title",
            &Args::new()
                .user("marks", &marks(false, fields.important))
                .user("title", fields.title),
        ),
    );
    if fields.important {
        head.push(locale.text("event-card-important"));
    }
    if let Some(subject) = fields.subject {
        head.push(locale.text_with("event-card-subject", &Args::new().user("subject", subject)));
    }
    head.push(
        locale.text_with(
            "event-card-date",
            &Args::new()
                .user("date", &format_date(fields.date))
                .user("weekday", &weekday(locale, fields.date)),
        ),
    );
    let head = head.join("\n");
    let after = after.join("\n\n");
    let mut sections = vec![head];
    if let Some(description) = fields.description {
        let used = visible_len(&sections[0]) + visible_len(&after) + SAFETY_MARGIN;
        let frame = visible_len(&locale.text_with(
            "event-card-description",
            &Args::new().user("description", ""),
        ));
        let room = MESSAGE_LIMIT.saturating_sub(used + frame + 4);
        if room > 1 {
            sections.push(locale.text_with(
                "event-card-description",
                &Args::new().user("description", &clip(description, room)),
            ));
        }
    }
    if !after.is_empty() {
        sections.push(after);
    }
    sections.join("\n\n")
}

/// The deadlines section of a card: as many lines as fit in `room` (at most 10), then a count
/// of the rest.
fn deadlines_section(locale: Locale, deadlines: &[Deadline], tz: Tz, room: usize) -> String {
    if deadlines.is_empty() {
        return locale.text("event-card-no-deadlines");
    }
    let at = deadlines.first().map(|d| d.at).unwrap_or_default();
    let zone = crate::telegram::groups::render::zone_label(locale, tz.into(), at);
    let mut text = locale.text_with("event-card-deadlines", &Args::new().user("timezone", &zone));
    let more_room = 32;
    let mut shown = 0;
    for deadline in deadlines.iter().take(CARD_DEADLINES) {
        let line = locale.text_with(
            "event-card-deadline",
            &Args::new()
                .user("at", &format_at(deadline.at, tz))
                .user("text", &deadline.text),
        );
        if visible_len(&text) + visible_len(&line) + 1 + more_room > room {
            break;
        }
        text.push('\n');
        text.push_str(&line);
        shown += 1;
    }
    let rest = deadlines.len() - shown;
    if rest > 0 {
        text.push('\n');
        text.push_str(&locale.text_with("event-card-more", &Args::new().num("count", rest as i64)));
    }
    text
}

pub fn card_text(locale: Locale, card: &EventCard) -> String {
    let event = &card.event;
    let fields = Fields {
        title: &event.title,
        subject: event.subject.as_deref(),
        date: event.event_date,
        description: event.description.as_deref(),
        important: event.is_important,
    };
    let booking = if !card.queues.is_empty() || !card.topic_lists.is_empty() {
        locale.text_with(
            "event-card-booking",
            &Args::new()
                .num("queues", card.queues.len() as i64)
                .num("topics", card.topic_lists.len() as i64),
        )
    } else {
        locale.text("event-card-booking-soon")
    };
    // The fixed fields first; deadlines get what is left after a share kept for the
    // description (which is then cut to the room that remains).
    let head = event_text(
        locale,
        &Fields {
            description: None,
            ..fields
        },
        &[],
        &[],
    );
    let description_share = event
        .description
        .as_deref()
        .map_or(0, |d| visible_len(d).min(1000));
    let room = MESSAGE_LIMIT.saturating_sub(
        visible_len(&head) + visible_len(&booking) + description_share + SAFETY_MARGIN,
    );
    let deadlines = deadlines_section(locale, &card.deadlines, card.viewer.tz, room);
    event_text(locale, &fields, &[], &[deadlines, booking])
}

/// The summary of the creation form before «Сохранить».
pub fn summary_text(locale: Locale, event: &NewEvent) -> String {
    let fields = Fields {
        title: event.title.as_str(),
        subject: event.subject.as_ref().map(|s| s.as_str()),
        date: event.date,
        description: event.description.as_ref().map(|d| d.as_str()),
        important: event.important,
    };
    event_text(locale, &fields, &[locale.text("event-summary-title")], &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::service::Deadline;
    use crate::storage::entities::events;
    use crate::telegram::events::render::fixtures::{at, date, viewer, widest};
    use uuid::Uuid;

    #[test]
    fn the_widest_card_fits_and_keeps_every_field() {
        let at = at();
        let card = EventCard {
            viewer: viewer(),
            event: events::Model {
                id: Uuid::new_v4(),
                group_id: Uuid::new_v4(),
                created_by_user_id: None,
                title: widest(100),
                description: Some(widest(2000)),
                subject: Some(widest(100)),
                event_date: date(),
                is_important: true,
                created_at: at,
            },
            seen: true,
            deadlines: (0..30)
                .map(|_| Deadline {
                    id: Uuid::new_v4(),
                    event_id: Uuid::new_v4(),
                    text: widest(200),
                    at,
                })
                .collect(),
            queues: vec![],
            topic_lists: vec![],
        };
        for locale in Locale::ALL {
            let text = card_text(locale, &card);
            assert!(
                visible_len(&text) <= MESSAGE_LIMIT,
                "{}",
                visible_len(&text)
            );
            assert!(text.contains("📝"), "the description keeps a place");
            assert!(text.contains("25.11.2026"));
        }
        // An ordinary card is shown whole.
        let mut small = card.clone();
        small.event.description = Some("Принести отчёт".into());
        small.deadlines.truncate(2);
        let text = card_text(Locale::Ru, &small);
        assert!(text.contains("Принести отчёт") && !text.contains("и ещё"));
    }
}
