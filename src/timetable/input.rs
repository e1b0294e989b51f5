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

use super::week::{Bell, Bells, BellsError, ClassKind, Pair, Semester, Subgroup, Weeks};
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

fn parse_weekday(raw: &str) -> Option<Weekday> {
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

fn parse_pair(raw: &str) -> Result<Pair, Problem> {
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

fn optional(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim)
        .filter(|raw| !raw.is_empty() && *raw != "-")
}

fn parse_subgroup(raw: Option<&str>) -> Result<Option<Subgroup>, Problem> {
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

fn parse_weeks(raw: Option<&str>, day: Weekday, ctx: &DateContext) -> Result<Weeks, Problem> {
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

/// A field of a class, as the form asks for it (in this order when a class is added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassField {
    Weekday,
    Pair,
    Subject,
    Kind,
    Teacher,
    Room,
    Weeks,
    Subgroup,
}

impl ClassField {
    pub const ALL: [ClassField; 8] = [
        ClassField::Weekday,
        ClassField::Pair,
        ClassField::Subject,
        ClassField::Kind,
        ClassField::Teacher,
        ClassField::Room,
        ClassField::Weeks,
        ClassField::Subgroup,
    ];

    /// The field's number (for a button).
    pub fn number(self) -> u8 {
        Self::ALL
            .iter()
            .position(|&f| f == self)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or_default()
    }

    pub fn from_number(number: u8) -> Option<Self> {
        Self::ALL.get(usize::from(number)).copied()
    }

    /// The field asked after this one when a class is added.
    pub fn next(self) -> Option<Self> {
        Self::from_number(self.number() + 1)
    }
}

/// One field of a class, answered and parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Weekday(Weekday),
    Pair(Pair),
    Subject(ClassSubject),
    Kind(ClassKind),
    Teacher(Option<Teacher>),
    Room(Option<Room>),
    Weeks(Weeks),
    Subgroup(Option<Subgroup>),
}

/// The answer `raw` to the question for `field` of a class meeting on `day` (the weeks' dates
/// must fall on it). Teacher and room take «-» (or nothing) for none.
pub fn parse_field(
    field: ClassField,
    raw: &str,
    day: Weekday,
    ctx: &DateContext,
) -> Result<FieldValue, Problem> {
    fn text<T>(
        raw: &str,
        parse: fn(&str) -> Result<T, TextError>,
        wrap: fn(TextError) -> Problem,
    ) -> Result<Option<T>, Problem> {
        optional(Some(raw)).map(parse).transpose().map_err(wrap)
    }
    Ok(match field {
        ClassField::Weekday => FieldValue::Weekday(parse_weekday(raw).ok_or(Problem::Weekday)?),
        ClassField::Pair => FieldValue::Pair(parse_pair(raw)?),
        ClassField::Subject => {
            FieldValue::Subject(ClassSubject::parse(raw).map_err(Problem::Subject)?)
        }
        ClassField::Kind => FieldValue::Kind(parse_kind(raw).ok_or(Problem::Kind)?),
        ClassField::Teacher => FieldValue::Teacher(text(raw, Teacher::parse, Problem::Teacher)?),
        ClassField::Room => FieldValue::Room(text(raw, Room::parse, Problem::Room)?),
        ClassField::Weeks => {
            if optional(Some(raw)).is_none() {
                return Err(Problem::Weeks);
            }
            FieldValue::Weeks(parse_weeks(Some(raw), day, ctx)?)
        }
        ClassField::Subgroup => FieldValue::Subgroup(parse_subgroup(Some(raw))?),
    })
}

impl ClassSpec {
    /// The class with one field replaced; a new weekday must keep the listed dates on it.
    pub fn with(mut self, value: FieldValue) -> Result<Self, Problem> {
        match value {
            FieldValue::Weekday(day) => {
                if let Weeks::Dates(dates) = &self.weeks
                    && dates.iter().any(|d| d.weekday() != day)
                {
                    return Err(Problem::DateNotOnWeekday);
                }
                self.weekday = day;
            }
            FieldValue::Pair(pair) => self.pair = pair,
            FieldValue::Subject(subject) => self.subject = subject,
            FieldValue::Kind(kind) => self.kind = kind,
            FieldValue::Teacher(teacher) => self.teacher = teacher,
            FieldValue::Room(room) => self.room = room,
            FieldValue::Weeks(weeks) => self.weeks = weeks,
            FieldValue::Subgroup(subgroup) => self.subgroup = subgroup,
        }
        Ok(self)
    }
}

/// A class being added field by field: the fields before the one asked are answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDraft {
    pub weekday: Option<Weekday>,
    pub pair: Option<Pair>,
    pub subject: Option<ClassSubject>,
    pub kind: Option<ClassKind>,
    pub teacher: Option<Teacher>,
    pub room: Option<Room>,
    pub weeks: Option<Weeks>,
}

impl ClassDraft {
    /// The day the weeks' dates must fall on (Monday until the weekday is answered).
    pub fn day(&self) -> Weekday {
        self.weekday.unwrap_or(Weekday::Mon)
    }

    /// The draft with `value` taken.
    pub fn with(mut self, value: FieldValue) -> Self {
        match value {
            FieldValue::Weekday(day) => self.weekday = Some(day),
            FieldValue::Pair(pair) => self.pair = Some(pair),
            FieldValue::Subject(subject) => self.subject = Some(subject),
            FieldValue::Kind(kind) => self.kind = Some(kind),
            FieldValue::Teacher(teacher) => self.teacher = teacher,
            FieldValue::Room(room) => self.room = room,
            FieldValue::Weeks(weeks) => self.weeks = Some(weeks),
            // The last field: see `finish`.
            FieldValue::Subgroup(_) => {}
        }
        self
    }

    /// The class, once every required field is answered and the subgroup is given.
    pub fn finish(self, subgroup: Option<Subgroup>) -> Option<ClassSpec> {
        Some(ClassSpec {
            weekday: self.weekday?,
            pair: self.pair?,
            subject: self.subject?,
            kind: self.kind?,
            teacher: self.teacher,
            room: self.room,
            weeks: self.weeks?,
            subgroup,
        })
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

/// Why a typed bell schedule is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BellsInputError {
    /// A line (numbered from 1) that is not `[N] HH:MM-HH:MM`.
    #[error("line {line}: not a pair's times")]
    Line { line: usize },
    #[error(transparent)]
    Bells(#[from] BellsError),
}

fn time(raw: &str) -> Option<chrono::NaiveTime> {
    let (h, m) = raw.trim().split_once([':', '.'])?;
    chrono::NaiveTime::from_hms_opt(h.trim().parse().ok()?, m.trim().parse().ok()?, 0)
}

/// The bell schedule, one pair a line in order: `09:00-10:30` (a leading pair number `1`,
/// `1.` or `1)` allowed; `–` or `—` for the dash).
pub fn parse_bells(text: &str) -> Result<Bells, BellsInputError> {
    let mut bells = Vec::new();
    for (line, raw) in text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
    {
        let times = match raw.split_once(char::is_whitespace) {
            Some((number, rest))
                if number
                    .trim_end_matches(['.', ')'])
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                rest
            }
            _ => raw,
        };
        let (start, end) = times
            .split_once(['-', '–', '—'])
            .and_then(|(start, end)| Some((time(start)?, time(end)?)))
            .ok_or(BellsInputError::Line { line })?;
        bells.push(Bell { start, end });
    }
    Ok(Bells::new(bells)?)
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
mod tests {
    use super::*;
    use crate::timetable::week::Parity;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn ctx() -> DateContext {
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
    fn a_class_field_by_field() {
        let c = ctx();
        let field = |f, raw: &str| parse_field(f, raw, Weekday::Mon, &c);
        let mut draft = ClassDraft::default();
        for (f, raw) in [
            (ClassField::Weekday, "Пн"),
            (ClassField::Pair, "2"),
            (ClassField::Subject, "Физика"),
            (ClassField::Kind, "лаб"),
            (ClassField::Teacher, "-"),
            (ClassField::Room, "105"),
            (ClassField::Weeks, "14.09, 28.09"),
        ] {
            draft = draft.with(field(f, raw).unwrap_or_else(|e| panic!("{f:?}: {e}")));
        }
        let class = draft
            .finish(Subgroup::new(1))
            .unwrap_or_else(|| panic!("complete"));
        assert_eq!(class.weekday, Weekday::Mon);
        assert_eq!(class.teacher, None);
        assert_eq!(
            class.weeks,
            Weeks::Dates(vec![d(2026, 9, 14), d(2026, 9, 28)])
        );
        assert_eq!(field(ClassField::Pair, "0"), Err(Problem::Pair));
        assert_eq!(field(ClassField::Weekday, "день"), Err(Problem::Weekday));
        assert_eq!(field(ClassField::Kind, "зачёт"), Err(Problem::Kind));
        assert_eq!(field(ClassField::Weeks, " "), Err(Problem::Weeks));
        assert_eq!(field(ClassField::Subgroup, "12"), Err(Problem::Subgroup));
        assert_eq!(
            field(ClassField::Subject, ""),
            Err(Problem::Subject(TextError::Empty))
        );
        // A new weekday must keep the listed dates on it.
        let tuesday = field(ClassField::Weekday, "вт").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(class.clone().with(tuesday), Err(Problem::DateNotOnWeekday));
        let every = FieldValue::Weeks(Weeks::Every);
        let moved = class.with(every).and_then(|c| {
            c.with(field(ClassField::Weekday, "вт").unwrap_or_else(|e| panic!("{e}")))
        });
        assert_eq!(moved.map(|c| c.weekday), Ok(Weekday::Tue));
        assert_eq!(ClassField::from_number(7), Some(ClassField::Subgroup));
        assert_eq!(ClassField::Subgroup.next(), None);
        assert_eq!(ClassField::Weekday.next(), Some(ClassField::Pair));
    }

    #[test]
    fn bell_schedules_typed() {
        let bells = parse_bells("1. 08:30-10:00\n2) 10.10 – 11:40\n\n12:00—13:30");
        assert_eq!(bells.as_ref().map(Bells::len), Ok(3));
        let second = bells
            .ok()
            .and_then(|b| Pair::new(2).and_then(|p| b.pair(p)));
        assert_eq!(
            second.map(|b| b.start),
            chrono::NaiveTime::from_hms_opt(10, 10, 0)
        );
        assert_eq!(
            parse_bells("08:30-10:00\nполдень"),
            Err(BellsInputError::Line { line: 2 })
        );
        assert_eq!(
            parse_bells("10:00-09:00"),
            Err(BellsInputError::Bells(BellsError::EndsBeforeStart {
                pair: 1
            }))
        );
        assert_eq!(
            parse_bells(" "),
            Err(BellsInputError::Bells(BellsError::Empty))
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
