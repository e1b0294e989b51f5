//! `GET /ics/<secret>.ics`: a group's calendar as iCalendar (RFC 5545).
//!
//! Events are all-day VEVENTs (`DTSTART;VALUE=DATE`, `DTEND` the next day). Deadlines are
//! timed VEVENTs in UTC (`…Z`): an instant in UTC is unambiguous for every client, which shows
//! it in the viewer's own zone, and it needs no VTIMEZONE (one built from the tz database would
//! have to carry each zone's offset history to stay correct). The group's zone is announced
//! with `X-WR-TIMEZONE`, and each deadline's description names its local time there.
//! UIDs are stable: `event-<uuid>@study-group-bot`, `deadline-<uuid>@study-group-bot`.
//!
//! Classes are the exception to "UTC only": a weekly class must stay at 9:00 local across a
//! change of the clocks, so they are written in the group's zone (`TZID`) with a VTIMEZONE
//! that lists the zone's offsets over the semester, computed from the tz database
//! (`chrono-tz`) for those dates only. A class is one VEVENT with `RRULE:FREQ=WEEKLY`
//! (`INTERVAL=2` for odd or even weeks, `UNTIL` the semester's last day), or `RDATE`s for a
//! class on listed dates; a cancelled date is an `EXDATE`, a moved one an override VEVENT with
//! the same UID and its `RECURRENCE-ID` (so it appears once, at its new time). Extra classes
//! are single VEVENTs. UIDs: `class-<uuid>@…`, `extra-<uuid>@…`.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::HttpState;
use crate::groups::feed::{self, Feed};
use crate::timetable::schedule::{ChangeKind, Class, Recurrence, recurrence};
use crate::timetable::service::FeedTimetable;
use crate::timetable::week::{Bell, ClassKind, Pair};

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
    if let Some(timetable) = &feed.timetable {
        classes(&mut out, feed.timezone.tz(), timetable);
    }
    out.line("END:VCALENDAR");
    out.0
}

/// A local date and time in the group's zone, as written after `TZID=…:`.
fn local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

/// `+0300`.
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

fn offset_at(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The zone's VTIMEZONE for `from..=to`: its offset then, and each change of it within (found
/// in steps of a quarter of an hour, the finest any zone uses).
fn vtimezone(out: &mut Writer, tz: Tz, from: NaiveDate, to: NaiveDate) {
    let start = from.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::days(1);
    let end = to.and_time(chrono::NaiveTime::MIN).and_utc() + Duration::days(2);
    let first = offset_at(tz, start);
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{}", tz.name()));
    out.line("BEGIN:STANDARD");
    out.line("DTSTART:19700101T000000");
    out.line(&format!("TZOFFSETFROM:{}", offset(first)));
    out.line(&format!("TZOFFSETTO:{}", offset(first)));
    out.line("END:STANDARD");
    let (mut at, mut before) = (start, first);
    while at < end {
        let next = at + Duration::minutes(15);
        let after = offset_at(tz, next);
        if after != before {
            // The moment of the change, as the clocks showed it just before.
            let kind = if after > before {
                "DAYLIGHT"
            } else {
                "STANDARD"
            };
            let shown = next.naive_utc() + Duration::seconds(i64::from(before));
            out.line(&format!("BEGIN:{kind}"));
            out.line(&format!("DTSTART:{}", local(shown)));
            out.line(&format!("TZOFFSETFROM:{}", offset(before)));
            out.line(&format!("TZOFFSETTO:{}", offset(after)));
            out.line(&format!("END:{kind}"));
            before = after;
        }
        at = next;
    }
    out.line("END:VTIMEZONE");
}

fn kind_name(kind: ClassKind) -> &'static str {
    kind.as_str()
}

/// The start and end of `pair` on `date`, local.
fn slot(
    timetable: &FeedTimetable,
    date: NaiveDate,
    pair: Pair,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let Bell { start, end } = timetable.bells.pair(pair)?;
    Some((date.and_time(start), date.and_time(end)))
}

/// The common lines of a class's VEVENT: summary (with the subgroup), place, teacher, kind.
fn class_text(
    out: &mut Writer,
    subject: &str,
    kind: ClassKind,
    teacher: Option<&str>,
    room: Option<&str>,
    subgroup: Option<u8>,
) {
    let summary = match subgroup {
        Some(number) => format!("{subject} [{number}]"),
        None => subject.to_owned(),
    };
    out.prop_text("SUMMARY", &summary);
    if let Some(room) = room {
        out.prop_text("LOCATION", room);
    }
    if let Some(teacher) = teacher {
        out.prop_text("DESCRIPTION", teacher);
    }
    out.prop_text("CATEGORIES", kind_name(kind));
}

fn classes(out: &mut Writer, tz: Tz, timetable: &FeedTimetable) {
    let zone = tz.name();
    let semester = &timetable.semester;
    vtimezone(out, tz, semester.first_day, semester.last_day);
    let stamp = utc(timetable.stamp);
    // The semester's last moment, in UTC (UNTIL with a TZID start must be UTC).
    let last = semester
        .last_day
        .and_hms_opt(23, 59, 59)
        .unwrap_or_default();
    let until = tz
        .from_local_datetime(&last)
        .earliest()
        .map(|at| utc(at.with_timezone(&Utc)))
        .unwrap_or_else(|| utc(last.and_utc()));
    for class in &timetable.classes {
        class_event(out, zone, &stamp, &until, timetable, class);
    }
    for change in &timetable.changes {
        let ChangeKind::Extra(extra) = &change.kind else {
            continue;
        };
        let Some((start, end)) = slot(timetable, extra.date, extra.pair) else {
            continue;
        };
        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:extra-{}@study-group-bot", change.id));
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!("DTSTART;TZID={zone}:{}", local(start)));
        out.line(&format!("DTEND;TZID={zone}:{}", local(end)));
        class_text(
            out,
            extra.subject.as_str(),
            extra.kind,
            extra.teacher.as_ref().map(|t| t.as_str()),
            extra.room.as_ref().map(|r| r.as_str()),
            extra.subgroup.map(|s| s.number()),
        );
        out.line("END:VEVENT");
    }
}

fn class_event(
    out: &mut Writer,
    zone: &str,
    stamp: &str,
    until: &str,
    timetable: &FeedTimetable,
    class: &Class,
) {
    let spec = &class.spec;
    let Some(recurs) = recurrence(class, &timetable.semester) else {
        return;
    };
    let first = match &recurs {
        Recurrence::Weekly { first, .. } => *first,
        Recurrence::Dates(dates) => match dates.first() {
            Some(first) => *first,
            None => return,
        },
    };
    let Some((start, end)) = slot(timetable, first, spec.pair) else {
        return;
    };
    let uid = format!("UID:class-{}@study-group-bot", class.id);
    let text = |out: &mut Writer, room: Option<&str>| {
        class_text(
            out,
            spec.subject.as_str(),
            spec.kind,
            spec.teacher.as_ref().map(|t| t.as_str()),
            room,
            spec.subgroup.map(|s| s.number()),
        );
    };
    let at = |date: NaiveDate| date.and_time(start.time());
    out.line("BEGIN:VEVENT");
    out.line(&uid);
    out.line(&format!("DTSTAMP:{stamp}"));
    out.line(&format!("DTSTART;TZID={zone}:{}", local(start)));
    out.line(&format!("DTEND;TZID={zone}:{}", local(end)));
    match &recurs {
        Recurrence::Weekly { interval, .. } => {
            out.line(&format!(
                "RRULE:FREQ=WEEKLY;INTERVAL={interval};UNTIL={until}"
            ));
        }
        Recurrence::Dates(dates) => {
            for date in dates.iter().skip(1) {
                out.line(&format!("RDATE;TZID={zone}:{}", local(at(*date))));
            }
        }
    }
    let mine = timetable
        .changes
        .iter()
        .filter(|change| change.class == Some(class.id));
    for change in mine.clone() {
        if change.kind == ChangeKind::Cancel {
            out.line(&format!("EXDATE;TZID={zone}:{}", local(at(change.on_date))));
        }
    }
    text(out, spec.room.as_ref().map(|r| r.as_str()));
    out.line("END:VEVENT");
    for change in mine {
        let ChangeKind::Move(to) = &change.kind else {
            continue;
        };
        let Some((new_start, new_end)) = slot(timetable, to.date, to.pair) else {
            continue;
        };
        out.line("BEGIN:VEVENT");
        out.line(&uid);
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!(
            "RECURRENCE-ID;TZID={zone}:{}",
            local(at(change.on_date))
        ));
        out.line(&format!("DTSTART;TZID={zone}:{}", local(new_start)));
        out.line(&format!("DTEND;TZID={zone}:{}", local(new_end)));
        let room = to.room.as_ref().or(spec.room.as_ref()).map(|r| r.as_str());
        text(out, room);
        out.line("END:VEVENT");
    }
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
    fn a_zone_with_summer_time_lists_its_changes() {
        let mut out = Writer::default();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        vtimezone(&mut out, chrono_tz::Europe::Berlin, day(9, 1), day(12, 30));
        // Berlin leaves summer time on 25 October 2026 at 03:00 local.
        assert!(out.0.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"), "{}", out.0);
        let mut moscow = Writer::default();
        vtimezone(
            &mut moscow,
            chrono_tz::Europe::Moscow,
            day(9, 1),
            day(12, 30),
        );
        assert_eq!(
            moscow.0.matches("TZOFFSETTO").count(),
            1,
            "no change in Moscow"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }
}
