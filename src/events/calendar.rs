//! The month grid of the calendar screen: Monday-first weeks, month navigation.

use chrono::{Datelike, Duration, NaiveDate};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `None` for a month outside 1..=12 or a year chrono cannot represent.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Self { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// The first day of the next month: the exclusive end of this month's date range.
    pub fn end(self) -> NaiveDate {
        self.next().first_day()
    }

    /// How many days the month has (28–31).
    pub fn day_count(self) -> u32 {
        (self.end() - self.first_day()).num_days() as u32
    }

    /// Monday-first weeks covering the month; days of other months are `None`.
    pub fn weeks(self) -> Vec<[Option<NaiveDate>; 7]> {
        let first = self.first_day();
        let lead = first.weekday().num_days_from_monday() as i64;
        let cells = lead + i64::from(self.day_count());
        let rows = (cells + 6) / 7;
        (0..rows)
            .map(|row| {
                std::array::from_fn(|col| {
                    let offset = row * 7 + col as i64 - lead;
                    let day = first + Duration::days(offset);
                    (Month::of(day) == self).then_some(day)
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_crosses_years() {
        let december = Month::new(2026, 12).expect("valid");
        assert_eq!(
            december.next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(december.next().prev(), december);
        assert_eq!(Month::new(2027, 1).expect("valid").prev(), december);
        assert_eq!(Month::new(2026, 13), None);
        assert_eq!(Month::new(2026, 0), None);
    }

    #[test]
    fn february_lengths() {
        assert_eq!(Month::new(2028, 2).expect("valid").day_count(), 29);
        assert_eq!(Month::new(2027, 2).expect("valid").day_count(), 28);
        assert_eq!(Month::new(2100, 2).expect("valid").day_count(), 28);
        assert_eq!(Month::new(2000, 2).expect("valid").day_count(), 29);
    }

    #[test]
    fn weeks_start_on_monday_and_cover_every_day() {
        // November 2026 starts on a Sunday: six rows, the first with one day.
        let november = Month::new(2026, 11).expect("valid");
        let weeks = november.weeks();
        assert_eq!(weeks.len(), 6);
        assert_eq!(weeks[0][..6], [None; 6]);
        assert_eq!(weeks[0][6], NaiveDate::from_ymd_opt(2026, 11, 1));
        let days: Vec<NaiveDate> = weeks.iter().flatten().flatten().copied().collect();
        assert_eq!(days.len(), 30);
        assert!(days.windows(2).all(|w| w[1] - w[0] == Duration::days(1)));
        // February 2027 starts on a Monday and has exactly four weeks.
        assert_eq!(Month::new(2027, 2).expect("valid").weeks().len(), 4);
    }
}
