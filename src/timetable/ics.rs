//! A timetable read from a calendar file (`.ics`, iCalendar), pure: each event becomes a weekly
//! class of the semester, or is skipped with a reason.
//!
//! An event's start, converted to the group's zone (from its `TZID`, UTC, or taken as local),
//! gives the weekday and the pair (the bell starting nearest, within an hour). `SUMMARY` is the
//! subject, `LOCATION` the room; the kind is a word of `DESCRIPTION` or `SUMMARY` (лекция,
//! практика, лаб …, else a lecture), the teacher a `DESCRIPTION` line «Преподаватель: …».
//! A weekly `RRULE` (`INTERVAL` 1 or 2, ending by `UNTIL`, `COUNT` or not at all) that covers
//! the semester is every week, or with an interval of 2 the odd or even weeks — the parity of
//! its first meeting's week; its `EXDATE`s become cancellations. A rule that starts late or
//! ends early, and a single event, become the list of their dates (single events alike in all
//! but the date are one class). The file's iCalendar syntax is read by the `icalendar` crate.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike, Property};

use super::input::{ClassSpec, ClassSubject, MAX_LINES, Room, Teacher, parse_kind};
use super::week::{Bells, ClassKind, Semester, Weeks};

/// The largest file accepted.
pub const MAX_ICS_BYTES: usize = 1024 * 1024;

/// How far from a pair's start an event may begin and still be that pair.
const PAIR_WITHIN_MINUTES: i64 = 60;

/// Why a file is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    #[error("the file is larger than the limit")]
    TooBig { max_kib: usize },
    #[error("not UTF-8 text")]
    NotText,
    #[error("not an iCalendar file")]
    NotCalendar,
    #[error("no events in the file")]
    NoEvents,
    #[error("more than {max} classes")]
    TooMany { max: usize },
}

/// Why one event was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// No start, or one that cannot be read.
    NoStart,
    /// An all-day event (no time, so no pair).
    AllDay,
    /// No subject (`SUMMARY`).
    NoSubject,
    /// A recurrence other than weekly every one or two weeks on one day.
    Recurrence,
    /// Starts more than an hour away from every pair.
    NoPair,
    /// No meeting within the semester.
    OutsideSemester,
    /// A change to one date of a recurring event (`RECURRENCE-ID`).
    Override,
}

/// An event left out, by its summary (or UID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub name: String,
    pub reason: SkipReason,
}

/// What a file holds for the timetable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub classes: Vec<ClassSpec>,
    /// A class (its index in `classes`) does not meet on a date (an `EXDATE`).
    pub cancelled: Vec<(usize, NaiveDate)>,
    pub skipped: Vec<Skipped>,
}

/// The file's text: UTF-8 (a BOM allowed), at most [`MAX_ICS_BYTES`].
pub fn decode(bytes: &[u8]) -> Result<&str, IcsError> {
    if bytes.len() > MAX_ICS_BYTES {
        return Err(IcsError::TooBig {
            max_kib: MAX_ICS_BYTES / 1024,
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|_| IcsError::NotText)
}

/// The classes of `text` for a group in `tz` with `semester` and `bells`.
pub fn read(text: &str, tz: Tz, semester: &Semester, bells: &Bells) -> Result<Imported, IcsError> {
    if !text
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCALENDAR")
    {
        return Err(IcsError::NotCalendar);
    }
    let calendar: icalendar::Calendar = text.parse().map_err(|_| IcsError::NotCalendar)?;
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    if events.is_empty() {
        return Err(IcsError::NoEvents);
    }
    let mut imported = Imported::default();
    for event in events {
        let name = event
            .get_summary()
            .or_else(|| event.get_uid())
            .unwrap_or("—")
            .trim()
            .to_owned();
        match class_of(event, tz, semester, bells) {
            Ok((spec, cancelled)) => add(&mut imported, spec, cancelled),
            Err(reason) => imported.skipped.push(Skipped { name, reason }),
        }
    }
    if imported.classes.len() > MAX_LINES {
        return Err(IcsError::TooMany { max: MAX_LINES });
    }
    Ok(imported)
}

/// Adds a class; a class on listed dates joins an earlier one alike in all but the dates.
fn add(imported: &mut Imported, spec: ClassSpec, cancelled: Vec<NaiveDate>) {
    if let Weeks::Dates(dates) = &spec.weeks {
        let alike = imported.classes.iter_mut().find(|c| {
            matches!(c.weeks, Weeks::Dates(_))
                && ClassSpec {
                    weeks: spec.weeks.clone(),
                    ..(*c).clone()
                } == spec
        });
        if let Some(Weeks::Dates(earlier)) = alike.map(|c| &mut c.weeks) {
            earlier.extend(dates.iter().copied());
            earlier.sort_unstable();
            earlier.dedup();
            return;
        }
    }
    let index = imported.classes.len();
    imported.classes.push(spec);
    imported
        .cancelled
        .extend(cancelled.into_iter().map(|date| (index, date)));
}

/// When an event starts, in the group's zone.
enum Start {
    At(NaiveDateTime),
    AllDay(NaiveDate),
}

/// The local date and time of a `DATE-TIME` in `tz`; a zone we do not know (a custom `TZID`)
/// is taken as the group's.
fn local(at: CalendarDateTime, tz: Tz) -> Option<NaiveDateTime> {
    let in_group = |utc: DateTime<Utc>| utc.with_timezone(&tz).naive_local();
    match at {
        CalendarDateTime::Floating(at) => Some(at),
        CalendarDateTime::Utc(at) => Some(in_group(at)),
        CalendarDateTime::WithTimezone { date_time, tzid } => {
            let name = tzid.trim_matches(|c| c == '"' || c == '/');
            match name.parse::<Tz>() {
                Ok(zone) => zone
                    .from_local_datetime(&date_time)
                    .earliest()
                    .map(|at| in_group(at.with_timezone(&Utc))),
                Err(_) => Some(date_time),
            }
        }
    }
}

fn start_of(property: &Property, tz: Tz) -> Option<Start> {
    match DatePerhapsTime::from_property(property)? {
        DatePerhapsTime::Date(date) => Some(Start::AllDay(date)),
        DatePerhapsTime::DateTime(at) => local(at, tz).map(Start::At),
    }
}

/// The local dates of every value of every `EXDATE`.
fn excluded(event: &icalendar::Event, tz: Tz) -> BTreeSet<NaiveDate> {
    let mut dates = BTreeSet::new();
    for property in event.multi_properties().get("EXDATE").into_iter().flatten() {
        for value in property.value().split(',') {
            let mut one = Property::new("EXDATE", value.trim());
            for (key, param) in property.params() {
                one.add_parameter(key, param.value());
            }
            match start_of(&one, tz) {
                Some(Start::At(at)) => dates.insert(at.date()),
                Some(Start::AllDay(date)) => dates.insert(date),
                None => false,
            };
        }
    }
    dates
}

/// A weekly rule: every `interval` weeks, up to a last date or a number of meetings.
struct Rule {
    interval: u32,
    until: Option<NaiveDate>,
    count: Option<usize>,
}

fn rule(raw: &str, day: chrono::Weekday, tz: Tz) -> Result<Rule, SkipReason> {
    let mut rule = Rule {
        interval: 1,
        until: None,
        count: None,
    };
    let mut weekly = false;
    for part in raw.split(';').filter(|p| !p.trim().is_empty()) {
        let (key, value) = part.split_once('=').ok_or(SkipReason::Recurrence)?;
        let value = value.trim();
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => weekly = value.eq_ignore_ascii_case("WEEKLY"),
            "INTERVAL" => {
                rule.interval = value.parse().map_err(|_| SkipReason::Recurrence)?;
            }
            "COUNT" => rule.count = Some(value.parse().map_err(|_| SkipReason::Recurrence)?),
            "UNTIL" => {
                let until = Property::new("UNTIL", value);
                rule.until = Some(match start_of(&until, tz) {
                    Some(Start::At(at)) => at.date(),
                    Some(Start::AllDay(date)) => date,
                    None => return Err(SkipReason::Recurrence),
                });
            }
            // Only the start's own day.
            "BYDAY" => {
                let code = match day {
                    chrono::Weekday::Mon => "MO",
                    chrono::Weekday::Tue => "TU",
                    chrono::Weekday::Wed => "WE",
                    chrono::Weekday::Thu => "TH",
                    chrono::Weekday::Fri => "FR",
                    chrono::Weekday::Sat => "SA",
                    chrono::Weekday::Sun => "SU",
                };
                if !value.eq_ignore_ascii_case(code) {
                    return Err(SkipReason::Recurrence);
                }
            }
            "WKST" => {}
            _ => return Err(SkipReason::Recurrence),
        }
    }
    if !weekly || !(1..=2).contains(&rule.interval) {
        return Err(SkipReason::Recurrence);
    }
    Ok(rule)
}

/// The kind named by a word of `texts` (лекция, практика, лаб …); a lecture if none.
fn kind_in(texts: &[&str]) -> ClassKind {
    texts
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .find_map(parse_kind)
        .unwrap_or(ClassKind::Lecture)
}

/// A `DESCRIPTION` line «Преподаватель: …» (or Teacher, Lecturer).
fn teacher_in(description: &str) -> Option<Teacher> {
    description.lines().find_map(|line| {
        let (key, name) = line.split_once(':')?;
        let key = key.trim().to_lowercase();
        ["преподаватель", "teacher", "lecturer", "instructor"]
            .contains(&key.as_str())
            .then(|| Teacher::parse(&clip(name, Teacher::MAX_CHARS)).ok())?
    })
}

fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

fn class_of(
    event: &icalendar::Event,
    tz: Tz,
    semester: &Semester,
    bells: &Bells,
) -> Result<(ClassSpec, Vec<NaiveDate>), SkipReason> {
    if event.properties().contains_key("RECURRENCE-ID") {
        return Err(SkipReason::Override);
    }
    let start = event
        .properties()
        .get("DTSTART")
        .and_then(|p| start_of(p, tz))
        .ok_or(SkipReason::NoStart)?;
    let start = match start {
        Start::At(at) => at,
        Start::AllDay(_) => return Err(SkipReason::AllDay),
    };
    let summary = event.get_summary().unwrap_or_default();
    let subject = ClassSubject::parse(&clip(summary, ClassSubject::MAX_CHARS))
        .map_err(|_| SkipReason::NoSubject)?;
    let pair = bells
        .nearest(start.time(), Duration::minutes(PAIR_WITHIN_MINUTES))
        .ok_or(SkipReason::NoPair)?;
    let description = event.get_description().unwrap_or_default();
    let room = event
        .get_location()
        .and_then(|room| Room::parse(&clip(room, Room::MAX_CHARS)).ok());
    let day = start.date();
    let (weeks, cancelled) = match event.property_value("RRULE") {
        None if semester.contains(day) => (Weeks::Dates(vec![day]), Vec::new()),
        None => return Err(SkipReason::OutsideSemester),
        Some(raw) => weekly(
            rule(raw, day.weekday(), tz)?,
            day,
            excluded(event, tz),
            semester,
        )?,
    };
    let spec = ClassSpec {
        weekday: day.weekday(),
        pair,
        subject,
        kind: kind_in(&[description, summary]),
        teacher: teacher_in(description),
        room,
        weeks,
        subgroup: None,
    };
    Ok((spec, cancelled))
}

/// The weeks of a weekly rule starting on `first` within the semester, and the dates it skips.
fn weekly(
    rule: Rule,
    first: NaiveDate,
    excluded: BTreeSet<NaiveDate>,
    semester: &Semester,
) -> Result<(Weeks, Vec<NaiveDate>), SkipReason> {
    let step = Duration::weeks(i64::from(rule.interval));
    let mut meetings = Vec::new();
    let mut date = first;
    let mut held = 0;
    while date <= semester.last_day
        && rule.until.is_none_or(|until| date <= until)
        && rule.count.is_none_or(|count| held < count)
    {
        if semester.contains(date) {
            meetings.push(date);
        }
        held += 1;
        date += step;
    }
    let (Some(&earliest), Some(&latest)) = (meetings.first(), meetings.last()) else {
        return Err(SkipReason::OutsideSemester);
    };
    let whole = earliest - step < semester.first_day && latest + step > semester.last_day;
    let week = semester.week(earliest).ok_or(SkipReason::OutsideSemester)?;
    if whole {
        let weeks = match (rule.interval, week.parity) {
            (1, _) => Weeks::Every,
            (_, super::week::Parity::Odd) => Weeks::Odd,
            (_, super::week::Parity::Even) => Weeks::Even,
        };
        let cancelled = meetings
            .into_iter()
            .filter(|d| excluded.contains(d))
            .collect();
        return Ok((weeks, cancelled));
    }
    let dates: Vec<NaiveDate> = meetings
        .into_iter()
        .filter(|d| !excluded.contains(d))
        .collect();
    if dates.is_empty() {
        return Err(SkipReason::OutsideSemester);
    }
    Ok((Weeks::Dates(dates), Vec::new()))
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::timetable::week::{Pair, Parity};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn semester() -> Semester {
        // Tuesday 1 September 2026, the first week odd; Monday 14 September is week 3 (odd).
        Semester::new(d(2026, 9, 1), d(2026, 12, 30), Parity::Odd).unwrap_or_else(|e| panic!("{e}"))
    }

    fn read_moscow(events: &str) -> Result<Imported, IcsError> {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n"
        )
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n");
        read(
            &text,
            chrono_tz::Europe::Moscow,
            &semester(),
            &Bells::default(),
        )
    }

    fn pair(n: u8) -> Pair {
        Pair::new(n).unwrap_or_else(|| panic!("pair {n}"))
    }

    #[test]
    fn weekly_biweekly_single_and_excluded_dates() {
        let imported = read_moscow(
            "BEGIN:VEVENT
UID:a
DTSTART;TZID=Europe/Moscow:20260907T090000
DTEND;TZID=Europe/Moscow:20260907T103000
RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20261231T000000Z
EXDATE;TZID=Europe/Moscow:20260921T090000,20260928T090000
SUMMARY:Математический анализ
LOCATION:301
DESCRIPTION:Лекция\\nПреподаватель: Иванов И. И.
END:VEVENT
BEGIN:VEVENT
UID:b
DTSTART:20260901T074000Z
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU
SUMMARY:Физика
DESCRIPTION:лаб
END:VEVENT
BEGIN:VEVENT
UID:c
DTSTART:20261001T122000
SUMMARY:Консультация
END:VEVENT
BEGIN:VEVENT
UID:d
DTSTART;VALUE=DATE:20261001
SUMMARY:День открытых дверей
END:VEVENT
BEGIN:VEVENT
UID:e
DTSTART:20260902T030000Z
SUMMARY:Ночная
END:VEVENT
BEGIN:VEVENT
UID:f
DTSTART;TZID=Europe/Moscow:20260908T090000
RRULE:FREQ=DAILY
SUMMARY:Каждый день
END:VEVENT
",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(imported.classes.len(), 3, "{imported:#?}");
        let calculus = &imported.classes[0];
        assert_eq!(
            (calculus.weekday, calculus.pair, &calculus.weeks),
            (Weekday::Mon, pair(1), &Weeks::Every)
        );
        assert_eq!(calculus.kind, ClassKind::Lecture);
        assert_eq!(
            calculus.teacher.as_ref().map(Teacher::as_str),
            Some("Иванов И. И.")
        );
        assert_eq!(calculus.room.as_ref().map(Room::as_str), Some("301"));
        assert_eq!(
            imported.cancelled,
            vec![(0, d(2026, 9, 21)), (0, d(2026, 9, 28))]
        );
        // 07:40 UTC is 10:40 in Moscow: pair 2; 1 September is in week 1, odd.
        let physics = &imported.classes[1];
        assert_eq!(
            (physics.weekday, physics.pair, &physics.weeks, physics.kind),
            (Weekday::Tue, pair(2), &Weeks::Odd, ClassKind::Lab)
        );
        let single = &imported.classes[2];
        assert_eq!(single.weeks, Weeks::Dates(vec![d(2026, 10, 1)]));
        assert_eq!(single.pair, pair(3));
        let reasons: Vec<SkipReason> = imported.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                SkipReason::AllDay,
                SkipReason::NoPair,
                SkipReason::Recurrence
            ]
        );
    }

    #[test]
    fn a_rule_that_ends_early_is_its_dates_and_singles_alike_are_one_class() {
        let imported = read_moscow(
            "BEGIN:VEVENT
DTSTART;TZID=Europe/Moscow:20260908T090000
RRULE:FREQ=WEEKLY;COUNT=3
EXDATE;TZID=Europe/Moscow:20260915T090000
SUMMARY:Спецкурс
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Moscow:20261006T164000
SUMMARY:Практикум
DESCRIPTION:практика
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Moscow:20261013T160000
SUMMARY:Практикум
DESCRIPTION:практика
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Moscow:20250908T090000
SUMMARY:Прошлый год
END:VEVENT
",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            imported.classes[0].weeks,
            Weeks::Dates(vec![d(2026, 9, 8), d(2026, 9, 22)])
        );
        assert_eq!(
            imported.classes[1].weeks,
            Weeks::Dates(vec![d(2026, 10, 6), d(2026, 10, 13)])
        );
        assert_eq!(imported.classes[1].kind, ClassKind::Practice);
        assert_eq!(imported.classes.len(), 2);
        assert!(imported.cancelled.is_empty());
        assert_eq!(imported.skipped[0].reason, SkipReason::OutsideSemester);
        assert_eq!(imported.skipped[0].name, "Прошлый год");
    }

    #[test]
    fn broken_files_are_refused() {
        let refused = |text: &str| read(text, chrono_tz::UTC, &semester(), &Bells::default());
        assert_eq!(refused("hello"), Err(IcsError::NotCalendar));
        assert_eq!(
            refused("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n"),
            Err(IcsError::NotCalendar)
        );
        assert_eq!(
            refused("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"),
            Err(IcsError::NoEvents)
        );
        assert_eq!(decode(b"\xff\xfe"), Err(IcsError::NotText));
        assert_eq!(
            decode(&vec![b'a'; MAX_ICS_BYTES + 1]),
            Err(IcsError::TooBig { max_kib: 1024 })
        );
    }
}
