//! The forms' typed answers, parsed once: a class's fields one at a time (the class form, with
//! the same rules as a line of the bulk paste) and the bell schedule.

use chrono::{Datelike, Weekday};
use serde::{Deserialize, Serialize};

use super::input::{
    ClassSpec, ClassSubject, DateContext, Problem, Room, Teacher, TextError, optional, parse_kind,
    parse_pair, parse_subgroup, parse_weekday, parse_weeks,
};
use super::week::{Bell, Bells, BellsError, ClassKind, Pair, Subgroup, Weeks};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable::input::tests::{ctx, d};

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
}
