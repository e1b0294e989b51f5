//! The typed inputs of a timetable, parsed once where the leader types them: the texts of a
//! class, a class line of a bulk paste, a date change's line and the semester's dates.
//!
//! The bulk format, one class a line, fields separated by `|`:
//!
//! ```text
//! <day> <pair> | <subject> | <kind> [| <teacher> [| <room> [| <weeks> [| <subgroup>]]]]
//! пн 1 | Математический анализ | лекция | Иванов И. И. | 301 | нечёт | 1
//! ```
//!
//! `day`: пн вт ср чт пт сб вс (or the full name, or mon … sun); `pair`: 1–10; `kind`: лекция,
//! практика, лабораторная (лек, пр, лаб; lecture, practice, lab); `teacher` and `room`: empty or
//! `-` for none; `weeks`: empty or «все» (every week), «нечёт»/«числитель» (odd weeks),
//! «чёт»/«знаменатель» (even weeks), or dates `15.09, 29.09`; `subgroup`: empty or «все» (the
//! whole group), or 1–9. Every line is checked; an error names its line, and nothing is saved
//! unless all lines are valid.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::week::{ClassKind, Pair, Semester, Subgroup, Weeks};
pub use crate::text::TextError;
use crate::text::bounded_text;

bounded_text!(
    /// The subject (дисциплина) of a class: 1–100 characters, one line.
    ClassSubject, max = 100, controls = None, refused = TextError
);

bounded_text!(
    /// Who teaches a class: 1–100 characters, one line.
    Teacher, max = 100, controls = None, refused = TextError
);

bounded_text!(
    /// Where a class is held: 1–30 characters, one line.
    Room, max = 30, controls = None, refused = TextError
);

/// The most classes one paste may hold.
pub const MAX_LINES: usize = 100;

/// A class as the leader defined it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSpec {
    pub weekday: Weekday,
    pub pair: Pair,
    pub subject: ClassSubject,
    pub kind: ClassKind,
    pub teacher: Option<Teacher>,
    pub room: Option<Room>,
    pub weeks: Weeks,
    pub subgroup: Option<Subgroup>,
}

/// An extra class on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraSpec {
    pub date: NaiveDate,
    pub pair: Pair,
    pub subject: ClassSubject,
    pub kind: ClassKind,
    pub teacher: Option<Teacher>,
    pub room: Option<Room>,
    pub subgroup: Option<Subgroup>,
}

/// Where a class moves to: a date, a pair, and a room (else the class's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveSpec {
    pub date: NaiveDate,
    pub pair: Pair,
    pub room: Option<Room>,
}

/// What is wrong with one field of a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("a line needs at least the day and pair, the subject and the kind")]
    Fields,
    #[error("not a day of the week")]
    Weekday,
    #[error("not a date")]
    Date,
    #[error("not a pair number")]
    Pair,
    #[error("subject: {0}")]
    Subject(TextError),
    #[error("not a kind of class")]
    Kind,
    #[error("teacher: {0}")]
    Teacher(TextError),
    #[error("room: {0}")]
    Room(TextError),
    #[error("not a weeks rule")]
    Weeks,
    #[error("a date of the list is not on the class's day")]
    DateNotOnWeekday,
    #[error("not a subgroup")]
    Subgroup,
    #[error("too many fields")]
    TooManyFields,
}

/// A refused line, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LineError {
    pub line: usize,
    pub problem: Problem,
}

/// Why a paste was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("no classes in the text")]
    Empty,
    #[error("more than {max} classes")]
    TooMany { max: usize },
    /// Each refused line (the first few are shown).
    #[error("{} lines refused", .0.len())]
    Lines(Vec<LineError>),
}

/// What dates without a year mean: the semester's (or this year's, without one).
#[derive(Debug, Clone, Copy)]
pub struct DateContext {
    pub today: NaiveDate,
    pub semester: Option<Semester>,
}

impl DateContext {
    /// `dd.mm` or `dd.mm.yyyy`; without a year, the first such date from the semester's start
    /// (or this year's, without a semester).
    pub fn date(&self, raw: &str) -> Option<NaiveDate> {
        let mut parts = raw.trim().split('.');
        let day: u32 = parts.next()?.trim().parse().ok()?;
        let month: u32 = parts.next()?.trim().parse().ok()?;
        let year = parts.next().map(|y| y.trim().parse::<i32>());
        if parts.next().is_some() {
            return None;
        }
        match year {
            Some(Ok(year)) if (1970..=2200).contains(&year) => {
                NaiveDate::from_ymd_opt(year, month, day)
            }
            Some(_) => None,
            None => {
                let Some(semester) = self.semester else {
                    return NaiveDate::from_ymd_opt(self.today.year(), month, day);
                };
                let start = semester.first_day;
                let this = NaiveDate::from_ymd_opt(start.year(), month, day);
                match this {
                    Some(date) if date >= start => Some(date),
                    _ => NaiveDate::from_ymd_opt(start.year() + 1, month, day),
                }
            }
        }
    }
}

fn fold(raw: &str) -> String {
    raw.trim().to_lowercase().replace('ё', "е")
}

pub(super) fn parse_weekday(raw: &str) -> Option<Weekday> {
    let raw = fold(raw);
    let days: [(&[&str], Weekday); 7] = [
        (&["пн", "понедельник", "mon", "monday"], Weekday::Mon),
        (&["вт", "вторник", "tue", "tuesday"], Weekday::Tue),
        (&["ср", "среда", "wed", "wednesday"], Weekday::Wed),
        (&["чт", "четверг", "thu", "thursday"], Weekday::Thu),
        (&["пт", "пятница", "fri", "friday"], Weekday::Fri),
        (&["сб", "суббота", "sat", "saturday"], Weekday::Sat),
        (&["вс", "воскресенье", "sun", "sunday"], Weekday::Sun),
    ];
    days.iter()
        .find(|(names, _)| names.contains(&raw.as_str()))
        .map(|&(_, day)| day)
}

pub(super) fn parse_pair(raw: &str) -> Result<Pair, Problem> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .and_then(Pair::new)
        .ok_or(Problem::Pair)
}

/// лекция / практика / лабораторная, short or in English.
pub fn parse_kind(raw: &str) -> Option<ClassKind> {
    let raw = fold(raw);
    let kinds: [(&[&str], ClassKind); 3] = [
        (
            &["лекция", "лек", "лк", "lecture", "lec"],
            ClassKind::Lecture,
        ),
        (
            &["практика", "пр", "сем", "семинар", "practice", "seminar"],
            ClassKind::Practice,
        ),
        (&["лабораторная", "лаб", "лр", "lab"], ClassKind::Lab),
    ];
    kinds
        .iter()
        .find(|(names, _)| names.contains(&raw.as_str()))
        .map(|&(_, kind)| kind)
}

pub(super) fn optional(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim)
        .filter(|raw| !raw.is_empty() && *raw != "-")
}

pub(super) fn parse_subgroup(raw: Option<&str>) -> Result<Option<Subgroup>, Problem> {
    match optional(raw).map(fold).as_deref() {
        None | Some("все" | "all") => Ok(None),
        Some(number) => number
            .parse::<u8>()
            .ok()
            .and_then(Subgroup::new)
            .map(Some)
            .ok_or(Problem::Subgroup),
    }
}

pub(super) fn parse_weeks(
    raw: Option<&str>,
    day: Weekday,
    ctx: &DateContext,
) -> Result<Weeks, Problem> {
    let Some(raw) = optional(raw) else {
        return Ok(Weeks::Every);
    };
    match fold(raw).as_str() {
        "все" | "каждую" | "every" | "all" | "*" => return Ok(Weeks::Every),
        "нечет" | "нечетные" | "числитель" | "odd" => return Ok(Weeks::Odd),
        "чет" | "четные" | "знаменатель" | "even" => return Ok(Weeks::Even),
        _ => {}
    }
    let mut dates = Vec::new();
    for part in raw.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
        let date = ctx.date(part).ok_or(Problem::Weeks)?;
        if date.weekday() != day {
            return Err(Problem::DateNotOnWeekday);
        }
        dates.push(date);
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(Weeks::Dates(dates))
}

fn texts(
    fields: &[&str],
) -> Result<(ClassSubject, ClassKind, Option<Teacher>, Option<Room>), Problem> {
    let subject = ClassSubject::parse(fields.first().copied().unwrap_or_default())
        .map_err(Problem::Subject)?;
    let kind = fields
        .get(1)
        .and_then(|raw| parse_kind(raw))
        .ok_or(Problem::Kind)?;
    let teacher = optional(fields.get(2).copied())
        .map(Teacher::parse)
        .transpose()
        .map_err(Problem::Teacher)?;
    let room = optional(fields.get(3).copied())
        .map(Room::parse)
        .transpose()
        .map_err(Problem::Room)?;
    Ok((subject, kind, teacher, room))
}

/// One class line (see the module's format).
pub fn parse_class_line(line: &str, ctx: &DateContext) -> Result<ClassSpec, Problem> {
    let fields: Vec<&str> = line.split('|').collect();
    if fields.len() < 3 {
        return Err(Problem::Fields);
    }
    if fields.len() > 7 {
        return Err(Problem::TooManyFields);
    }
    let mut head = fields[0].split_whitespace();
    let weekday = head
        .next()
        .and_then(parse_weekday)
        .ok_or(Problem::Weekday)?;
    let pair = parse_pair(head.next().unwrap_or_default())?;
    if head.next().is_some() {
        return Err(Problem::Pair);
    }
    let (subject, kind, teacher, room) = texts(&fields[1..])?;
    let weeks = parse_weeks(fields.get(5).copied(), weekday, ctx)?;
    let subgroup = parse_subgroup(fields.get(6).copied())?;
    Ok(ClassSpec {
        weekday,
        pair,
        subject,
        kind,
        teacher,
        room,
        weeks,
        subgroup,
    })
}

/// A paste of class lines: every non-empty line a class; all valid, or every refused line.
pub fn parse_paste(text: &str, ctx: &DateContext) -> Result<Vec<ClassSpec>, PasteError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(PasteError::Empty);
    }
    if lines.len() > MAX_LINES {
        return Err(PasteError::TooMany { max: MAX_LINES });
    }
    let mut classes = Vec::new();
    let mut errors = Vec::new();
    for (line, text) in lines {
        match parse_class_line(text, ctx) {
            Ok(class) => classes.push(class),
            Err(problem) => errors.push(LineError { line, problem }),
        }
    }
    if errors.is_empty() {
        Ok(classes)
    } else {
        Err(PasteError::Lines(errors))
    }
}

/// `<date> <pair> | <subject> | <kind> [| <teacher> [| <room> [| <subgroup>]]]`: an extra class.
pub fn parse_extra(line: &str, ctx: &DateContext) -> Result<ExtraSpec, Problem> {
    let fields: Vec<&str> = line.trim().split('|').collect();
    if fields.len() < 3 {
        return Err(Problem::Fields);
    }
    if fields.len() > 6 {
        return Err(Problem::TooManyFields);
    }
    let mut head = fields[0].split_whitespace();
    let date = head
        .next()
        .and_then(|raw| ctx.date(raw))
        .ok_or(Problem::Date)?;
    let pair = parse_pair(head.next().unwrap_or_default())?;
    let (subject, kind, teacher, room) = texts(&fields[1..])?;
    let subgroup = parse_subgroup(fields.get(5).copied())?;
    Ok(ExtraSpec {
        date,
        pair,
        subject,
        kind,
        teacher,
        room,
        subgroup,
    })
}

/// `<date> <pair> [<room>]`: where a class moves.
pub fn parse_move(line: &str, ctx: &DateContext) -> Result<MoveSpec, Problem> {
    let mut parts = line.split_whitespace();
    let date = parts
        .next()
        .and_then(|raw| ctx.date(raw))
        .ok_or(Problem::Date)?;
    let pair = parse_pair(parts.next().unwrap_or_default())?;
    let rest = parts.collect::<Vec<_>>().join(" ");
    let room = optional(Some(&rest))
        .map(Room::parse)
        .transpose()
        .map_err(Problem::Room)?;
    Ok(MoveSpec { date, pair, room })
}

/// `<first day> <last day>` (`01.09.2026 30.12.2026`, or with a dash between).
pub fn parse_semester_days(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-' || c == '—' || c == '–')
        .filter(|p| !p.is_empty())
        .collect();
    let [first, last] = parts.as_slice() else {
        return None;
    };
    let full = |raw: &str| {
        let mut it = raw.split('.');
        let day = it.next()?.parse().ok()?;
        let month = it.next()?.parse().ok()?;
        let year = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day)
    };
    Some((full(first)?, full(last)?))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::timetable::week::Parity;

    pub(in crate::timetable) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// Today 1 September 2026, the first day of an autumn semester that starts odd.
    pub(in crate::timetable) fn ctx() -> DateContext {
        DateContext {
            today: d(2026, 9, 1),
            semester: Semester::new(d(2026, 9, 1), d(2027, 1, 20), Parity::Odd).ok(),
        }
    }

    #[test]
    fn a_full_line() {
        let class = parse_class_line(
            "пн 1 | Математический анализ | лекция | Иванов И. И. | 301 | нечёт | 1",
            &ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(class.weekday, Weekday::Mon);
        assert_eq!(class.pair.number(), 1);
        assert_eq!(class.subject.as_str(), "Математический анализ");
        assert_eq!(class.kind, ClassKind::Lecture);
        assert_eq!(
            class.teacher.map(String::from).as_deref(),
            Some("Иванов И. И.")
        );
        assert_eq!(class.room.map(String::from).as_deref(), Some("301"));
        assert_eq!(class.weeks, Weeks::Odd);
        assert_eq!(class.subgroup, Subgroup::new(1));
    }

    #[test]
    fn a_short_line_is_every_week_for_everyone() {
        let class =
            parse_class_line("Ср 3 | Физика | лаб", &ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(class.weekday, Weekday::Wed);
        assert_eq!(class.kind, ClassKind::Lab);
        assert_eq!((class.teacher, class.room), (None, None));
        assert_eq!(class.weeks, Weeks::Every);
        assert_eq!(class.subgroup, None);
        let even = parse_class_line(
            "thu 2 | History | practice | - | - | знаменатель | все",
            &ctx(),
        );
        assert_eq!(even.map(|c| (c.weeks, c.subgroup)), Ok((Weeks::Even, None)));
    }

    #[test]
    fn dates_without_a_year_belong_to_the_semester() {
        // 14.09.2026 and 11.01.2027 are Mondays.
        let class = parse_class_line("пн 2 | Химия | пр | | | 14.09, 11.01", &ctx());
        assert_eq!(
            class.map(|c| c.weeks),
            Ok(Weeks::Dates(vec![d(2026, 9, 14), d(2027, 1, 11)]))
        );
        let wrong_day = parse_class_line("пн 2 | Химия | пр | | | 15.09", &ctx());
        assert_eq!(wrong_day, Err(Problem::DateNotOnWeekday));
    }

    #[test]
    fn each_bad_field_is_named() {
        let c = ctx();
        let problem = |line: &str| parse_class_line(line, &c).err();
        assert_eq!(problem("пн 1 | Физика"), Some(Problem::Fields));
        assert_eq!(problem("xx 1 | Физика | лек"), Some(Problem::Weekday));
        assert_eq!(problem("пн 0 | Физика | лек"), Some(Problem::Pair));
        assert_eq!(problem("пн 11 | Физика | лек"), Some(Problem::Pair));
        assert_eq!(problem("пн | Физика | лек"), Some(Problem::Pair));
        assert_eq!(
            problem("пн 1 |  | лек"),
            Some(Problem::Subject(TextError::Empty))
        );
        assert_eq!(problem("пн 1 | Физика | зачёт"), Some(Problem::Kind));
        assert_eq!(
            problem("пн 1 | Физика | лек | | | иногда"),
            Some(Problem::Weeks)
        );
        assert_eq!(
            problem("пн 1 | Физика | лек | | | | 10"),
            Some(Problem::Subgroup)
        );
        assert_eq!(
            problem("пн 1 | a | лек | | | | | |"),
            Some(Problem::TooManyFields)
        );
        let long_room = format!("пн 1 | Физика | лек | | {}", "9".repeat(31));
        assert!(matches!(
            problem(&long_room),
            Some(Problem::Room(TextError::TooLong { .. }))
        ));
    }

    #[test]
    fn a_paste_is_all_or_nothing_with_line_numbers() {
        let c = ctx();
        let good = "пн 1 | Физика | лек\n\nвт 2 | Химия | пр\n";
        assert_eq!(parse_paste(good, &c).map(|v| v.len()), Ok(2));
        let bad = "пн 1 | Физика | лек\nвт 2 | Химия\n\nxx 3 | Био | лаб";
        let Err(PasteError::Lines(errors)) = parse_paste(bad, &c) else {
            panic!("refused")
        };
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4]);
        assert_eq!(parse_paste(" \n ", &c), Err(PasteError::Empty));
        let many = "пн 1 | Физика | лек\n".repeat(MAX_LINES + 1);
        assert_eq!(
            parse_paste(&many, &c),
            Err(PasteError::TooMany { max: MAX_LINES })
        );
    }

    #[test]
    fn moves_extras_and_semesters() {
        let c = ctx();
        let moved = parse_move("16.09 4 ауд. 210", &c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((moved.date, moved.pair.number()), (d(2026, 9, 16), 4));
        assert_eq!(moved.room.map(String::from).as_deref(), Some("ауд. 210"));
        assert_eq!(parse_move("16.09", &c), Err(Problem::Pair));
        assert_eq!(parse_move("32.09 1", &c), Err(Problem::Date));
        let extra = parse_extra("17.09.2026 5 | Консультация | пр | | 101 | 2", &c);
        assert_eq!(
            extra.map(|e| (e.date, e.subgroup)),
            Ok((d(2026, 9, 17), Subgroup::new(2)))
        );
        assert_eq!(
            parse_semester_days("01.09.2026 - 30.12.2026"),
            Some((d(2026, 9, 1), d(2026, 12, 30)))
        );
        assert_eq!(parse_semester_days("01.09.2026"), None);
    }
}
