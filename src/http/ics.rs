//! `GET /ics/<secret>.ics`: a group's calendar as iCalendar (RFC 5545).
//!
//! Events are all-day VEVENTs (`DTSTART;VALUE=DATE`, `DTEND` the next day). Deadlines are
//! timed VEVENTs in UTC (`…Z`): an instant in UTC is unambiguous for every client, which shows
//! it in the viewer's own zone, and it needs no VTIMEZONE (one built from the tz database would
//! have to carry each zone's offset history to stay correct). The group's zone is announced
//! with `X-WR-TIMEZONE`, and each deadline's description names its local time there.
//! UIDs are stable: `event-<uuid>@study-group-bot`, `deadline-<uuid>@study-group-bot`.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Days, NaiveDate, Utc};

use super::HttpState;
use crate::groups::feed::{self, Feed};

/// The feed, or a bare 404 for anything that is not a current secret.
pub async fn serve(State(state): State<HttpState>, Path(file): Path<String>) -> Response {
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    match feed::feed(&state.db, secret).await {
        Ok(Some(feed)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            render(&feed),
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(err) => {
            tracing::warn!(%err, "calendar feed: database unavailable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// The whole calendar. Every DTSTAMP is the event's creation time, so the output is stable
/// between fetches while nothing changes.
pub fn render(feed: &Feed) -> String {
    let mut out = Writer::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Study Group Bot//Calendar feed//RU");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.prop_text("X-WR-CALNAME", &feed.group_name);
    out.prop_text("X-WR-TIMEZONE", feed.timezone.name());
    for event in &feed.events {
        let stamp = utc(event.created_at);
        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:event-{}@study-group-bot", event.id));
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!("DTSTART;VALUE=DATE:{}", date(event.date)));
        let end = event
            .date
            .checked_add_days(Days::new(1))
            .unwrap_or(event.date);
        out.line(&format!("DTEND;VALUE=DATE:{}", date(end)));
        out.prop_text("SUMMARY", &event.title);
        let mut description = Vec::new();
        if let Some(subject) = &event.subject {
            description.push(subject.clone());
        }
        if let Some(text) = &event.description {
            description.push(text.clone());
        }
        if !description.is_empty() {
            out.prop_text("DESCRIPTION", &description.join("\n\n"));
        }
        out.line("TRANSP:TRANSPARENT");
        out.line("END:VEVENT");
        for deadline in &event.deadlines {
            let at = utc(deadline.at);
            let local = format!(
                "{} ({})",
                deadline
                    .at
                    .with_timezone(&feed.timezone.tz())
                    .format("%d.%m.%Y %H:%M"),
                feed.timezone
            );
            out.line("BEGIN:VEVENT");
            out.line(&format!("UID:deadline-{}@study-group-bot", deadline.id));
            out.line(&format!("DTSTAMP:{stamp}"));
            out.line(&format!("DTSTART:{at}"));
            out.line(&format!("DTEND:{at}"));
            out.prop_text(
                "SUMMARY",
                &format!("⏰ {}: {}", event.title, deadline.description),
            );
            out.prop_text("DESCRIPTION", &format!("{}\n{local}", deadline.description));
            out.line("END:VEVENT");
        }
    }
    out.line("END:VCALENDAR");
    out.0
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// Content lines: CRLF-terminated, folded to at most 75 octets (a continuation line starts
/// with one space), never inside a UTF-8 character.
#[derive(Default)]
struct Writer(String);

impl Writer {
    const MAX_OCTETS: usize = 75;

    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = Self::MAX_OCTETS;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.0.push_str(&rest[..cut]);
            self.0.push_str("\r\n ");
            rest = &rest[cut..];
            limit = Self::MAX_OCTETS - 1; // the leading space counts
        }
        self.0.push_str(rest);
        self.0.push_str("\r\n");
    }

    fn prop_text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

/// TEXT value escaping: `\` `;` `,` and newlines; other control characters are dropped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = Writer::default();
        let long = format!("SUMMARY:{}", "ж".repeat(100));
        out.line(&long);
        let lines: Vec<&str> = out.0.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }
}
