//! `EventDate`: the date of an event as a student types it.

use chrono::{Datelike, Duration, NaiveDate};

/// A parsed event date, and whether it lies before today (the bot then asks to confirm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDate {
    pub date: NaiveDate,
    pub in_past: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventDateError {
    #[error("not a date: expected ДД.ММ.ГГГГ, ДД.ММ, «сегодня» or «завтра»")]
    Format,
    #[error("no such day in the calendar")]
    NoSuchDay,
    #[error("the date is too far from today")]
    OutOfRange,
}

/// Dates further than this from today are refused as typos.
const MAX_YEARS_AWAY: i32 = 5;

impl EventDate {
    /// Parses a date as people write it: `ДД.ММ.ГГГГ`, `ДД.ММ.ГГ`, `ДД.ММ` (the next such day
    /// from `today` on; `.`, `/` and `-` separate the parts), a day and a month's name in any
    /// case or form with an optional year («15 декабря», «15 Дек 2026», «15 december»), a
    /// weekday (the next one from today on: «пн», «в пятницу», «friday»), and the words
    /// «сегодня», «завтра», «послезавтра» (today, tomorrow). A leading «до», «к», «в», «во»
    /// (by, on) is read past; spaces and letter case do not matter.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Self, EventDateError> {
        let text = text.trim().to_lowercase();
        let text = strip_preposition(&text);
        let relative = match text {
            "сегодня" | "today" => Some(0),
            "завтра" | "tomorrow" => Some(1),
            "послезавтра" => Some(2),
            _ => weekday(text).map(|day| {
                let from = today.weekday().num_days_from_monday();
                i64::from((7 + day.num_days_from_monday() - from) % 7)
            }),
        };
        if let Some(days) = relative {
            return Ok(Self {
                date: today + Duration::days(days),
                in_past: false,
            });
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let number = |part: &str, max_len: usize| -> Result<u32, EventDateError> {
            if part.is_empty() || part.len() > max_len || !part.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(EventDateError::Format);
            }
            part.parse().map_err(|_| EventDateError::Format)
        };
        let year = |year: &str| -> Result<i32, EventDateError> {
            match year.len() {
                2 => Ok(2000 + number(year, 2)? as i32),
                4 => Ok(number(year, 4)? as i32),
                _ => Err(EventDateError::Format),
            }
        };
        // «15 декабря [2026]»: a day, a month's name, a year perhaps.
        let named = match words.as_slice() {
            [day, name] => Some((day, name, None)),
            [day, name, y] => Some((day, name, Some(y))),
            _ => None,
        };
        let (day, month, year) = match named {
            Some((day, name, y)) => {
                let month = month_of(name).ok_or(EventDateError::Format)?;
                (number(day, 2)?, month, y.map(|y| year(y)).transpose()?)
            }
            None => {
                let parts: Vec<&str> = text.split(['.', '/', '-']).collect();
                match parts.as_slice() {
                    [day, month] => (number(day, 2)?, number(month, 2)?, None),
                    [day, month, y] => (number(day, 2)?, number(month, 2)?, Some(year(y)?)),
                    _ => return Err(EventDateError::Format),
                }
            }
        };
        let date = match year {
            Some(year) => {
                NaiveDate::from_ymd_opt(year, month, day).ok_or(EventDateError::NoSuchDay)?
            }
            None => match NaiveDate::from_ymd_opt(today.year(), month, day) {
                Some(date) if date >= today => date,
                // Already past this year (or 29.02 of a common year): the next one.
                _ => next_occurrence(today, month, day).ok_or(EventDateError::NoSuchDay)?,
            },
        };
        if (date.year() - today.year()).abs() > MAX_YEARS_AWAY {
            return Err(EventDateError::OutOfRange);
        }
        Ok(Self {
            date,
            in_past: date < today,
        })
    }
}

/// `text` without a leading «до», «к», «в», «во», «by», «on», «until».
fn strip_preposition(text: &str) -> &str {
    for word in ["до", "к", "ко", "в", "во", "by", "on", "until"] {
        if let Some(rest) = text.strip_prefix(word)
            && rest.starts_with(char::is_whitespace)
        {
            return rest.trim_start();
        }
    }
    text
}

/// A month's name in any form (lower case): «декабря», «декабрь», «дек», «dec», «december».
fn month_of(name: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &["января", "январь", "янв", "jan", "january"],
        &["февраля", "февраль", "фев", "feb", "february"],
        &["марта", "март", "мар", "mar", "march"],
        &["апреля", "апрель", "апр", "apr", "april"],
        &["мая", "май", "may"],
        &["июня", "июнь", "июн", "jun", "june"],
        &["июля", "июль", "июл", "jul", "july"],
        &["августа", "август", "авг", "aug", "august"],
        &[
            "сентября",
            "сентябрь",
            "сен",
            "сент",
            "sep",
            "sept",
            "september",
        ],
        &["октября", "октябрь", "окт", "oct", "october"],
        &["ноября", "ноябрь", "ноя", "нояб", "nov", "november"],
        &["декабря", "декабрь", "дек", "dec", "december"],
    ];
    let name = name.trim_end_matches('.');
    (1..)
        .zip(NAMES)
        .find(|(_, names)| names.contains(&name))
        .map(|(month, _)| month)
}

/// A weekday's name or abbreviation in any form (lower case): «пн», «пятницу», «fri».
fn weekday(text: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    let days = [
        (Mon, &["пн", "пон", "понедельник", "mon", "monday"][..]),
        (Tue, &["вт", "вторник", "tue", "tues", "tuesday"][..]),
        (Wed, &["ср", "среда", "среду", "wed", "wednesday"][..]),
        (Thu, &["чт", "четверг", "thu", "thurs", "thursday"][..]),
        (Fri, &["пт", "пятница", "пятницу", "fri", "friday"][..]),
        (Sat, &["сб", "суббота", "субботу", "sat", "saturday"][..]),
        (Sun, &["вс", "воскресенье", "sun", "sunday"][..]),
    ];
    let text = text.trim_end_matches('.');
    days.iter()
        .find(|(_, names)| names.contains(&text))
        .map(|(day, _)| *day)
}

/// The first `day.month` after `today`, within the next eight years (29.02 waits for a leap year).
fn next_occurrence(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (1..=8)
        .filter_map(|ahead| NaiveDate::from_ymd_opt(today.year() + ahead, month, day))
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn parse(text: &str, today: NaiveDate) -> Result<NaiveDate, EventDateError> {
        EventDate::parse(text, today).map(|d| d.date)
    }

    #[test]
    fn words_and_dates() {
        let (today, new_years_eve) = (day(2026, 11, 25), day(2026, 12, 31));
        for (text, today, date) in [
            ("сегодня", new_years_eve, new_years_eve),
            ("  Завтра ", new_years_eve, day(2027, 1, 1)),
            ("послезавтра", new_years_eve, day(2027, 1, 2)),
            ("tomorrow", new_years_eve, day(2027, 1, 1)),
            ("01.12.2026", today, day(2026, 12, 1)),
            ("1.12.26", today, day(2026, 12, 1)),
            ("01/12/2026", today, day(2026, 12, 1)),
            ("30.11", today, day(2026, 11, 30)),
            ("25.11", today, today),
            // Already past this year: next year's.
            ("10.01", today, day(2027, 1, 10)),
            // 29 February waits for the next leap year.
            ("29.02", today, day(2028, 2, 29)),
            ("29.02.2028", today, day(2028, 2, 29)),
            // Month names in any case and form, with or without a year.
            ("15 декабря", today, day(2026, 12, 15)),
            ("15 Декабря 2027", today, day(2027, 12, 15)),
            ("1 дек.", today, day(2026, 12, 1)),
            ("3 мая", today, day(2027, 5, 3)),
            ("8 марта", today, day(2027, 3, 8)),
            ("15 december", today, day(2026, 12, 15)),
            ("до 14 декабря", today, day(2026, 12, 14)),
            // Weekdays: the next one from today on (25.11.2026 is a Wednesday).
            ("пн", today, day(2026, 11, 30)),
            ("в пятницу", today, day(2026, 11, 27)),
            ("во вторник", today, day(2026, 12, 1)),
            ("ср", today, today),
            ("Friday", today, day(2026, 11, 27)),
        ] {
            assert_eq!(parse(text, today), Ok(date), "{text:?}");
        }
    }

    #[test]
    fn past_dates_are_flagged() {
        let today = day(2026, 11, 25);
        let past = EventDate::parse("20.11.2026", today).expect("valid");
        assert!(past.in_past);
        assert!(
            !EventDate::parse("25.11.2026", today)
                .expect("valid")
                .in_past
        );
    }

    #[test]
    fn refusals() {
        let today = day(2026, 11, 25);
        assert_eq!(parse("31.02.2027", today), Err(EventDateError::NoSuchDay));
        assert_eq!(parse("29.02.2027", today), Err(EventDateError::NoSuchDay));
        assert_eq!(parse("32.01", today), Err(EventDateError::NoSuchDay));
        assert_eq!(parse("01.13.2026", today), Err(EventDateError::NoSuchDay));
        for bad in [
            "",
            "завтрa",
            "1",
            "1.2.3.4",
            "aa.bb",
            "+1.02",
            "001.02",
            "1.2.202",
            "15 марсиан",
            "15 декабря 20266",
            "в",
            "мар",
        ] {
            assert_eq!(parse(bad, today), Err(EventDateError::Format), "{bad:?}");
        }
        assert_eq!(parse("01.01.2099", today), Err(EventDateError::OutOfRange));
        assert_eq!(parse("01.01.1999", today), Err(EventDateError::OutOfRange));
    }

    proptest! {
        #[test]
        fn any_formatted_date_round_trips(offset in -1000i64..1000, today_offset in 0i64..3650) {
            let today = day(2024, 1, 1) + Duration::days(today_offset);
            let date = today + Duration::days(offset);
            let typed = date.format("%d.%m.%Y").to_string();
            let parsed = EventDate::parse(&typed, today).expect("a formatted date parses");
            prop_assert_eq!(parsed.date, date);
            prop_assert_eq!(parsed.in_past, offset < 0);
        }

        #[test]
        fn short_dates_are_never_in_the_past(d in 1u32..=31, m in 1u32..=12, today_offset in 0i64..3650) {
            let today = day(2024, 1, 1) + Duration::days(today_offset);
            if let Ok(parsed) = EventDate::parse(&format!("{d}.{m}"), today) {
                prop_assert!(parsed.date >= today && !parsed.in_past);
                prop_assert!(parsed.date - today <= Duration::days(366 * 8));
            }
        }

        #[test]
        fn never_panics(text in ".{0,20}") {
            let _ = EventDate::parse(&text, day(2026, 1, 1));
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(text in any::<String>(), today_offset in -40_000i64..40_000) {
            let today = day(2026, 1, 1) + Duration::days(today_offset);
            if let Ok(parsed) = EventDate::parse(&text, today) {
                prop_assert_eq!(parsed.in_past, parsed.date < today);
                prop_assert!((parsed.date.year() - today.year()).abs() <= 8);
            }
        }

        #[test]
        fn impossible_days_are_refused(d in 32u32..100, m in 1u32..=12, y in 2020i32..2030) {
            prop_assert_eq!(
                EventDate::parse(&format!("{d}.{m}.{y}"), day(2026, 1, 1)),
                Err(EventDateError::NoSuchDay)
            );
        }

        #[test]
        fn far_years_are_refused(y in 2032i32..9999) {
            prop_assert_eq!(
                EventDate::parse(&format!("01.01.{y}"), day(2026, 1, 1)),
                Err(EventDateError::OutOfRange)
            );
        }
    }
}
