//! The calendar rules of a timetable, pure: the semester and its weeks (числитель/знаменатель),
//! which weeks a class meets, the bell schedule, and a class's occurrences on a date after the
//! changes to that date. Nothing here reads the database.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// Odd weeks are «числитель», even weeks «знаменатель».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Parity {
    Odd,
    Even,
}

impl Parity {
    pub fn as_str(self) -> &'static str {
        match self {
            Parity::Odd => "odd",
            Parity::Even => "even",
        }
    }

    fn flip(self) -> Self {
        match self {
            Parity::Odd => Parity::Even,
            Parity::Even => Parity::Odd,
        }
    }
}

/// The semester: its first and last day, and the parity of the week holding its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Semester {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub first_week: Parity,
}

/// Why a semester is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SemesterError {
    #[error("the last day is before the first")]
    EndsBeforeStart,
    #[error("a semester lasts at most a year")]
    TooLong,
}

/// A week of the semester: its number (1 for the week of the first day) and parity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub number: u32,
    pub parity: Parity,
    pub monday: NaiveDate,
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl Semester {
    pub fn new(
        first_day: NaiveDate,
        last_day: NaiveDate,
        first_week: Parity,
    ) -> Result<Self, SemesterError> {
        if last_day < first_day {
            return Err(SemesterError::EndsBeforeStart);
        }
        if last_day - first_day > Duration::days(366) {
            return Err(SemesterError::TooLong);
        }
        Ok(Self {
            first_day,
            last_day,
            first_week,
        })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.first_day..=self.last_day).contains(&date)
    }

    /// The week of the semester holding `date`; `None` outside the semester. Weeks run Monday
    /// to Sunday; the first may be short (a semester starting on a Wednesday).
    pub fn week(&self, date: NaiveDate) -> Option<Week> {
        if !self.contains(date) {
            return None;
        }
        let monday = monday_of(date);
        let weeks = (monday - monday_of(self.first_day)).num_days() / 7;
        let number = u32::try_from(weeks).ok()? + 1;
        let parity = if number % 2 == 1 {
            self.first_week
        } else {
            self.first_week.flip()
        };
        Some(Week {
            number,
            parity,
            monday,
        })
    }
}

/// The weeks a class meets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "weeks", content = "dates", rename_all = "snake_case")]
pub enum Weeks {
    Every,
    Odd,
    Even,
    /// Only on these dates (each on the class's weekday).
    Dates(Vec<NaiveDate>),
}

impl Weeks {
    /// The stored name of the rule (`every`, `odd`, `even`, `dates`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Weeks::Every => "every",
            Weeks::Odd => "odd",
            Weeks::Even => "even",
            Weeks::Dates(_) => "dates",
        }
    }

    /// The rule from its stored name and dates; an unknown name (a hand-edited row) is `Every`.
    pub fn stored(name: &str, dates: Option<Vec<NaiveDate>>) -> Self {
        match name {
            "odd" => Weeks::Odd,
            "even" => Weeks::Even,
            "dates" => Weeks::Dates(dates.unwrap_or_default()),
            _ => Weeks::Every,
        }
    }

    /// Whether a class with this rule meets on `date` of `week` (the weekday already matched).
    pub fn meets(&self, date: NaiveDate, week: Week) -> bool {
        match self {
            Weeks::Every => true,
            Weeks::Odd => week.parity == Parity::Odd,
            Weeks::Even => week.parity == Parity::Even,
            Weeks::Dates(dates) => dates.contains(&date),
        }
    }
}

/// What kind of class: лекция, практика, лабораторная.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassKind {
    Lecture,
    Practice,
    Lab,
}

impl ClassKind {
    pub const ALL: [ClassKind; 3] = [ClassKind::Lecture, ClassKind::Practice, ClassKind::Lab];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassKind::Lecture => "lecture",
            ClassKind::Practice => "practice",
            ClassKind::Lab => "lab",
        }
    }

    /// The kind from its stored name; an unknown name (a hand-edited row) is a lecture.
    pub fn stored(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .unwrap_or(ClassKind::Lecture)
    }
}

/// A subgroup: 1–9. A class without one is for the whole group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Subgroup(u8);

impl Subgroup {
    pub const MAX: u8 = 9;

    pub fn new(number: u8) -> Option<Self> {
        (1..=Self::MAX).contains(&number).then_some(Self(number))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// Whether a student of `member` sees a class of `class`: common classes are everyone's; a
    /// subgroup's class is shown to its members and to those who have not chosen a subgroup.
    pub fn sees(member: Option<Subgroup>, class: Option<Subgroup>) -> bool {
        match (member, class) {
            (_, None) | (None, _) => true,
            (Some(member), Some(class)) => member == class,
        }
    }
}

impl TryFrom<u8> for Subgroup {
    type Error = String;
    fn try_from(number: u8) -> Result<Self, String> {
        Self::new(number).ok_or_else(|| format!("no subgroup {number}"))
    }
}

impl From<Subgroup> for u8 {
    fn from(subgroup: Subgroup) -> u8 {
        subgroup.0
    }
}

/// One pair (пара) of the bell schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bell {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The bell schedule: the start and end of each pair, pair 1 first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bells(Vec<Bell>);

/// The most common schedule of Russian universities: 90-minute pairs from 9:00 with a long
/// break after the second.
const DEFAULT_BELLS: [(u32, u32, u32, u32); 7] = [
    (9, 0, 10, 30),
    (10, 40, 12, 10),
    (12, 40, 14, 10),
    (14, 20, 15, 50),
    (16, 0, 17, 30),
    (17, 40, 19, 10),
    (19, 20, 20, 50),
];

impl Default for Bells {
    fn default() -> Self {
        let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        Bells(
            DEFAULT_BELLS
                .iter()
                .map(|&(sh, sm, eh, em)| Bell {
                    start: time(sh, sm),
                    end: time(eh, em),
                })
                .collect(),
        )
    }
}

impl Bells {
    /// The most pairs a day can hold.
    pub const MAX_PAIRS: u8 = 10;

    /// The times of pair `pair` (1-based), if the schedule has it.
    pub fn pair(&self, pair: Pair) -> Option<Bell> {
        self.0
            .get(usize::from(pair.number()).checked_sub(1)?)
            .copied()
    }

    /// The pair starting nearest to `time`, if one starts within `within` of it.
    pub fn nearest(&self, time: NaiveTime, within: Duration) -> Option<Pair> {
        let (index, bell) = self
            .0
            .iter()
            .enumerate()
            .min_by_key(|(_, bell)| (bell.start - time).abs())?;
        if (bell.start - time).abs() > within {
            return None;
        }
        Pair::new(u8::try_from(index + 1).ok()?)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a bell schedule is refused: the pair (1-based) at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BellsError {
    #[error("no pairs")]
    Empty,
    #[error("more than {max} pairs")]
    TooMany { max: u8 },
    #[error("pair {pair} ends before it starts")]
    EndsBeforeStart { pair: usize },
    #[error("pair {pair} starts before the one before it ends")]
    Overlaps { pair: usize },
}

impl Bells {
    /// A schedule of 1–[`Bells::MAX_PAIRS`] pairs, each ending after it starts and starting
    /// no earlier than the one before ends.
    pub fn new(bells: Vec<Bell>) -> Result<Self, BellsError> {
        if bells.is_empty() {
            return Err(BellsError::Empty);
        }
        if bells.len() > usize::from(Self::MAX_PAIRS) {
            return Err(BellsError::TooMany {
                max: Self::MAX_PAIRS,
            });
        }
        for (i, bell) in bells.iter().enumerate() {
            if bell.end <= bell.start {
                return Err(BellsError::EndsBeforeStart { pair: i + 1 });
            }
            if i > 0 && bells[i - 1].end > bell.start {
                return Err(BellsError::Overlaps { pair: i + 1 });
            }
        }
        Ok(Bells(bells))
    }

    /// The pairs, pair 1 first.
    pub fn iter(&self) -> impl Iterator<Item = &Bell> {
        self.0.iter()
    }
}

/// A pair's number in the day: 1–[`Bells::MAX_PAIRS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Pair(u8);

impl Pair {
    pub fn new(number: u8) -> Option<Self> {
        (1..=Bells::MAX_PAIRS)
            .contains(&number)
            .then_some(Self(number))
    }

    pub fn number(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Pair {
    type Error = String;
    fn try_from(number: u8) -> Result<Self, String> {
        Self::new(number).ok_or_else(|| format!("no pair {number}"))
    }
}

impl From<Pair> for u8 {
    fn from(pair: Pair) -> u8 {
        pair.0
    }
}

/// The weekday from its ISO number (1 = Monday).
pub fn weekday(number: u8) -> Option<Weekday> {
    match number {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn autumn() -> Semester {
        // 1 September 2026 is a Tuesday.
        Semester::new(d(2026, 9, 1), d(2026, 12, 30), Parity::Odd).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_first_week_holds_the_first_day_even_when_it_is_short() {
        let s = autumn();
        let first = s.week(d(2026, 9, 1)).map(|w| (w.number, w.parity));
        assert_eq!(first, Some((1, Parity::Odd)));
        // Sunday 6 September is still week 1; Monday 7 September starts week 2.
        assert_eq!(s.week(d(2026, 9, 6)).map(|w| w.number), Some(1));
        let second = s
            .week(d(2026, 9, 7))
            .map(|w| (w.number, w.parity, w.monday));
        assert_eq!(second, Some((2, Parity::Even, d(2026, 9, 7))));
        assert_eq!(s.week(d(2026, 9, 14)).map(|w| w.parity), Some(Parity::Odd));
    }

    #[test]
    fn parity_follows_the_stated_first_week() {
        let s = Semester {
            first_week: Parity::Even,
            ..autumn()
        };
        assert_eq!(s.week(d(2026, 9, 2)).map(|w| w.parity), Some(Parity::Even));
        assert_eq!(s.week(d(2026, 9, 8)).map(|w| w.parity), Some(Parity::Odd));
    }

    #[test]
    fn no_week_outside_the_semester() {
        let s = autumn();
        assert_eq!(s.week(d(2026, 8, 31)), None);
        assert_eq!(s.week(d(2026, 12, 31)), None);
        assert!(s.week(d(2026, 12, 30)).is_some());
    }

    #[test]
    fn across_the_semester_boundary_the_next_semester_counts_anew() {
        // Spring starts on Monday 8 February 2027 with an odd week, whatever autumn ended with.
        let autumn = autumn();
        let spring = Semester::new(d(2027, 2, 8), d(2027, 6, 30), Parity::Odd)
            .unwrap_or_else(|e| panic!("{e}"));
        let last = autumn.week(d(2026, 12, 28)).map(|w| (w.number, w.parity));
        assert_eq!(last, Some((18, Parity::Even)));
        assert_eq!(autumn.week(d(2027, 2, 8)), None);
        let first = spring.week(d(2027, 2, 8)).map(|w| (w.number, w.parity));
        assert_eq!(first, Some((1, Parity::Odd)));
    }

    #[test]
    fn semesters_are_checked() {
        assert_eq!(
            Semester::new(d(2026, 9, 1), d(2026, 8, 1), Parity::Odd),
            Err(SemesterError::EndsBeforeStart)
        );
        assert_eq!(
            Semester::new(d(2026, 9, 1), d(2027, 12, 1), Parity::Odd),
            Err(SemesterError::TooLong)
        );
    }

    #[test]
    fn weeks_rules() {
        let s = autumn();
        let week = |date| s.week(date).unwrap_or_else(|| panic!("in the semester"));
        let odd_day = d(2026, 9, 1);
        let even_day = d(2026, 9, 8);
        assert!(Weeks::Every.meets(odd_day, week(odd_day)));
        assert!(Weeks::Odd.meets(odd_day, week(odd_day)));
        assert!(!Weeks::Odd.meets(even_day, week(even_day)));
        assert!(Weeks::Even.meets(even_day, week(even_day)));
        let only = Weeks::Dates(vec![even_day]);
        assert!(only.meets(even_day, week(even_day)));
        assert!(!only.meets(odd_day, week(odd_day)));
        assert_eq!(Weeks::stored("odd", None), Weeks::Odd);
        assert_eq!(Weeks::stored("junk", None), Weeks::Every);
    }

    #[test]
    fn a_subgroup_sees_its_classes_and_the_common_ones() {
        let one = Subgroup::new(1);
        let two = Subgroup::new(2);
        assert!(Subgroup::sees(one, None));
        assert!(Subgroup::sees(one, one));
        assert!(!Subgroup::sees(one, two));
        assert!(Subgroup::sees(None, two), "no subgroup chosen: everything");
        assert_eq!(Subgroup::new(0), None);
        assert_eq!(Subgroup::new(10), None);
    }

    #[test]
    fn bell_schedules_are_checked() {
        let bell = |sh, sm, eh, em| Bell {
            start: NaiveTime::from_hms_opt(sh, sm, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(eh, em, 0).unwrap_or_default(),
        };
        assert_eq!(Bells::new(vec![]), Err(BellsError::Empty));
        assert_eq!(
            Bells::new(vec![bell(9, 0, 10, 30), bell(10, 0, 11, 0)]),
            Err(BellsError::Overlaps { pair: 2 })
        );
        assert_eq!(
            Bells::new(vec![bell(9, 0, 8, 30)]),
            Err(BellsError::EndsBeforeStart { pair: 1 })
        );
        assert_eq!(
            Bells::new(vec![bell(9, 0, 9, 10); 11]).map(|b| b.len()),
            Err(BellsError::TooMany { max: 10 })
        );
        let bells = Bells::new(vec![bell(8, 30, 10, 0), bell(10, 10, 11, 40)]);
        let nearest = bells.map(|b| b.nearest(bell(10, 0, 0, 0).start, Duration::minutes(60)));
        assert_eq!(nearest, Ok(Pair::new(2)));
    }

    #[test]
    fn the_default_bells() {
        let bells = Bells::default();
        let first = Pair::new(1).and_then(|p| bells.pair(p));
        assert_eq!(first.map(|b| b.start), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(Pair::new(8).and_then(|p| bells.pair(p)), None);
        assert_eq!(Pair::new(11), None);
    }
}
