//! `DeadlineAt`: the moment a deadline is due, typed as a local date and time in the group's
//! time zone and kept in UTC.

use chrono::{DateTime, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::date::{EventDate, EventDateError};

/// A parsed deadline moment (UTC), never in the past at the time it was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineAt(DateTime<Utc>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineAtError {
    #[error("not a date and time: expected ДД.ММ.ГГГГ ЧЧ:ММ or ДД.ММ ЧЧ:ММ")]
    Format,
    #[error("no such day in the calendar")]
    NoSuchDay,
    #[error("no such time")]
    NoSuchTime,
    /// The local time falls into a daylight-saving gap (clocks jump over it).
    #[error("this local time does not exist on that day (the clocks are moved)")]
    SkippedByClockChange,
    #[error("the date is too far from today")]
    OutOfRange,
    #[error("the moment has already passed")]
    InPast,
}

impl DeadlineAt {
    /// Parses `<date> [в] <time>` where the date is anything [`EventDate::parse`] accepts
    /// (`ДД.ММ.ГГГГ`, `ДД.ММ`, «15 декабря», «в пятницу», «до 14 декабря», «сегодня», …) and
    /// the time is `ЧЧ:ММ` (or `Ч:ММ`, `ЧЧ.ММ`). Both are read in `tz`; "today" is today in `tz` at `now`. A local time that
    /// occurs twice (clocks moved back) means the earlier one.
    pub fn parse(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<Self, DeadlineAtError> {
        let text = text.trim();
        let (date_part, time_part) = text
            .rsplit_once(char::is_whitespace)
            .ok_or(DeadlineAtError::Format)?;
        let time = parse_time(time_part.trim())?;
        // «14.12 в 18:00»: the «в» before the time.
        let date_part = date_part.trim_end();
        let date_part = ["в", "во", "at", "В"]
            .iter()
            .find_map(|word| {
                let rest = date_part.strip_suffix(word)?;
                rest.ends_with(char::is_whitespace).then(|| rest.trim_end())
            })
            .unwrap_or(date_part);
        let today = now.with_timezone(&tz).date_naive();
        let date = EventDate::parse(date_part.trim(), today).map_err(|err| match err {
            EventDateError::Format => DeadlineAtError::Format,
            EventDateError::NoSuchDay => DeadlineAtError::NoSuchDay,
            EventDateError::OutOfRange => DeadlineAtError::OutOfRange,
        })?;
        let local = NaiveDateTime::new(date.date, time);
        let at = match tz.from_local_datetime(&local) {
            LocalResult::Single(at) => at,
            LocalResult::Ambiguous(earlier, _) => earlier,
            LocalResult::None => return Err(DeadlineAtError::SkippedByClockChange),
        }
        .with_timezone(&Utc);
        if at < now {
            return Err(DeadlineAtError::InPast);
        }
        Ok(Self(at))
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }
}

/// `ЧЧ:ММ`, `Ч:ММ` or with a dot; hours 0–23, minutes 0–59.
fn parse_time(text: &str) -> Result<NaiveTime, DeadlineAtError> {
    let (hours, minutes) = text.split_once([':', '.']).ok_or(DeadlineAtError::Format)?;
    let number = |part: &str, min_len: usize| -> Result<u32, DeadlineAtError> {
        if !(min_len..=2).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DeadlineAtError::Format);
        }
        part.parse().map_err(|_| DeadlineAtError::Format)
    };
    let (hours, minutes) = (number(hours, 1)?, number(minutes, 2)?);
    NaiveTime::from_hms_opt(hours, minutes, 0).ok_or(DeadlineAtError::NoSuchTime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, Offset, Timelike};
    use chrono_tz::{Asia, Europe};
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid test moment")
    }

    fn parse(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, DeadlineAtError> {
        DeadlineAt::parse(text, now, tz).map(DeadlineAt::utc)
    }

    #[test]
    fn wall_clock_times_in_the_groups_zone() {
        use DeadlineAtError::*;
        let now = utc(2026, 11, 25, 9, 0);
        // 23:30 UTC on 25 November is already 26 November in Vladivostok (UTC+10).
        let late = utc(2026, 11, 25, 23, 30);
        let (moscow, berlin) = (Europe::Moscow, Europe::Berlin);
        for (text, now, tz, expected) in [
            // Moscow is three hours ahead all year.
            ("01.12.2026 18:00", now, moscow, Ok(utc(2026, 12, 1, 15, 0))),
            ("01.07.2027 18:00", now, moscow, Ok(utc(2027, 7, 1, 15, 0))),
            ("  30.11   9:05 ", now, moscow, Ok(utc(2026, 11, 30, 6, 5))),
            // Berlin: winter UTC+1, summer UTC+2.
            ("15.01.2027 12:00", now, berlin, Ok(utc(2027, 1, 15, 11, 0))),
            ("15.07.2027 12:00", now, berlin, Ok(utc(2027, 7, 15, 10, 0))),
            // 28 March 2027, 02:30 does not exist in Berlin.
            ("28.03.2027 02:30", now, berlin, Err(SkippedByClockChange)),
            // 31 October 2027, 02:30 happens twice: the earlier (still summer time) is meant.
            (
                "31.10.2027 02:30",
                now,
                berlin,
                Ok(utc(2027, 10, 31, 0, 30)),
            ),
            // Today and tomorrow are the zone's.
            (
                "сегодня 18:00",
                late,
                Asia::Vladivostok,
                Ok(utc(2026, 11, 26, 8, 0)),
            ),
            ("завтра 10:00", late, moscow, Ok(utc(2026, 11, 27, 7, 0))),
            // Today, but the time has passed.
            ("25.11 10:00", now, moscow, Err(InPast)),
            ("31.02.2027 10:00", now, moscow, Err(NoSuchDay)),
            ("01.12.2026 24:00", now, moscow, Err(NoSuchTime)),
            ("01.12.2026 12:60", now, moscow, Err(NoSuchTime)),
            ("20.11.2026 12:00", now, moscow, Err(InPast)),
            ("01.01.2099 12:00", now, moscow, Err(OutOfRange)),
            // As people write it.
            (
                "до 14 декабря 18:00",
                now,
                moscow,
                Ok(utc(2026, 12, 14, 15, 0)),
            ),
            ("14.12 в 18:00", now, moscow, Ok(utc(2026, 12, 14, 15, 0))),
            ("14.12 18.00", now, moscow, Ok(utc(2026, 12, 14, 15, 0))),
            (
                "в пятницу в 9:30",
                now,
                moscow,
                Ok(utc(2026, 11, 27, 6, 30)),
            ),
            ("15 Декабря 10:00", now, moscow, Ok(utc(2026, 12, 15, 7, 0))),
        ] {
            assert_eq!(parse(text, now, tz), expected, "{text:?} in {tz}");
        }
    }

    #[test]
    fn malformed_texts_are_refused() {
        let now = utc(2026, 11, 25, 9, 0);
        for bad in [
            "",
            "01.12.2026",
            "18:00",
            "01.12.2026 1800",
            "01.12.2026 18:0",
            "01.12.2026 018:00",
            "01.12.2026 -1:00",
            "01.12.2026 18:00:00",
            "завтрa 18:00",
        ] {
            let refused = parse(bad, now, Europe::Moscow);
            assert_eq!(refused, Err(DeadlineAtError::Format), "{bad:?}");
        }
    }

    fn typed(local: NaiveDateTime) -> String {
        local.format("%d.%m.%Y %H:%M").to_string()
    }

    proptest! {
        #[test]
        fn wall_clock_times_round_trip(minutes in 1i64..(3 * 366 * 24 * 60)) {
            let now = utc(2026, 1, 1, 0, 0);
            // Moscow is three hours ahead of UTC all year, Berlin one or two.
            for (tz, hours_ahead) in [(Europe::Moscow, &[3][..]), (Europe::Berlin, &[1, 2][..])] {
                let local = (now + Duration::minutes(minutes))
                    .with_timezone(&tz)
                    .naive_local()
                    .with_second(0)
                    .expect("zero seconds");
                let at = parse(&typed(local), now - Duration::hours(1), tz)
                    .expect("an existing wall time parses");
                let back = at.with_timezone(&tz);
                prop_assert_eq!(back.naive_local(), local);
                let hours = back.offset().fix().local_minus_utc() / 3600;
                prop_assert!(hours_ahead.contains(&hours), "{tz}: UTC{hours:+}");
            }
        }

        #[test]
        fn parsed_moments_are_never_in_the_past(
            d in 1u32..=31, mo in 1u32..=12, h in 0u32..24, mi in 0u32..60,
            now_minutes in 0i64..(5 * 365 * 24 * 60),
        ) {
            let now = utc(2025, 1, 1, 0, 0) + Duration::minutes(now_minutes);
            for tz in [Europe::Moscow, Europe::Berlin, Asia::Vladivostok] {
                if let Ok(at) = parse(&format!("{d}.{mo} {h}:{mi:02}"), now, tz) {
                    prop_assert!(at >= now);
                    prop_assert!(at - now <= Duration::days(366 * 8));
                }
            }
        }

        #[test]
        fn never_panics(text in ".{0,30}") {
            let _ = DeadlineAt::parse(&text, utc(2026, 6, 1, 12, 0), Europe::Berlin);
        }
    }

    #[test]
    fn dates_compose_with_event_date_rules() {
        // 29.02 without a year waits for the next leap year, like event dates.
        let now = utc(2026, 11, 25, 9, 0);
        let at = parse("29.02 12:00", now, Europe::Moscow).expect("valid");
        assert_eq!(
            at.with_timezone(&Europe::Moscow).date_naive(),
            NaiveDate::from_ymd_opt(2028, 2, 29).expect("leap day")
        );
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(text in any::<String>(), zone in 0usize..crate::groups::timezone::QUICK.len()) {
            let now = utc(2026, 6, 1, 12, 0);
            if let Ok(at) = DeadlineAt::parse(&text, now, crate::groups::timezone::QUICK[zone]) {
                prop_assert!(at.utc() >= now);
            }
        }

        #[test]
        fn impossible_times_are_refused(h in 24u32..100, m in 0u32..60) {
            let refused = DeadlineAt::parse(&format!("01.07.2026 {h}:{m:02}"), utc(2026, 6, 1, 12, 0), Europe::Moscow);
            prop_assert!(refused.is_err());
        }

        #[test]
        fn past_moments_are_refused(minutes in 1i64..(300 * 24 * 60)) {
            let now = utc(2026, 6, 1, 12, 0);
            let local = (now - Duration::minutes(minutes)).with_timezone(&Europe::Moscow).naive_local();
            let text = local.format("%d.%m.%Y %H:%M").to_string();
            prop_assert_eq!(DeadlineAt::parse(&text, now, Europe::Moscow), Err(DeadlineAtError::InPast));
        }
    }
}
