//! `Timezone`: the validated IANA time zone of a study group.

use std::fmt;

use chrono::{DateTime, Offset, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};

/// An IANA time zone name known to the bundled tz database, always in its canonical spelling
/// (`"europe/moscow"` is read as `Europe/Moscow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(Tz);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimezoneError {
    #[error("the time zone is empty")]
    Empty,
    /// `input` is what was typed, cut to [`Timezone::MAX_INPUT_CHARS`] characters.
    #[error("unknown time zone «{input}»")]
    Unknown { input: String },
}

/// Zones offered as quick buttons: Russia from west to east. A button carries an index into
/// this list, never the name itself.
pub const QUICK: [Tz; 12] = [
    Tz::Europe__Kaliningrad,
    Tz::Europe__Moscow,
    Tz::Europe__Samara,
    Tz::Asia__Yekaterinburg,
    Tz::Asia__Omsk,
    Tz::Asia__Novosibirsk,
    Tz::Asia__Krasnoyarsk,
    Tz::Asia__Irkutsk,
    Tz::Asia__Yakutsk,
    Tz::Asia__Vladivostok,
    Tz::Asia__Magadan,
    Tz::Asia__Kamchatka,
];

/// Everyday names accepted besides the IANA names (compared in lower case).
const ALIASES: [(&str, Tz); 17] = [
    ("мск", Tz::Europe__Moscow),
    ("msk", Tz::Europe__Moscow),
    ("москва", Tz::Europe__Moscow),
    ("moscow", Tz::Europe__Moscow),
    ("санкт-петербург", Tz::Europe__Moscow),
    ("калининград", Tz::Europe__Kaliningrad),
    ("самара", Tz::Europe__Samara),
    ("екатеринбург", Tz::Asia__Yekaterinburg),
    ("омск", Tz::Asia__Omsk),
    ("новосибирск", Tz::Asia__Novosibirsk),
    ("красноярск", Tz::Asia__Krasnoyarsk),
    ("иркутск", Tz::Asia__Irkutsk),
    ("якутск", Tz::Asia__Yakutsk),
    ("владивосток", Tz::Asia__Vladivostok),
    ("магадан", Tz::Asia__Magadan),
    ("камчатка", Tz::Asia__Kamchatka),
    ("петропавловск-камчатский", Tz::Asia__Kamchatka),
];

/// The zone of groups whose stored zone cannot be read (`DEFAULT_TIMEZONE`, set at start-up).
static DEFAULT: std::sync::RwLock<Option<Timezone>> = std::sync::RwLock::new(None);

impl Default for Timezone {
    /// `DEFAULT_TIMEZONE` as the running bot was configured (Moscow before start-up).
    fn default() -> Self {
        let set = *DEFAULT
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        set.unwrap_or(Self(Tz::Europe__Moscow))
    }
}

impl Timezone {
    /// Makes `zone` the default: new groups start with it, and a stored zone that cannot be
    /// read (only a hand-edited row has one) is taken as it.
    pub fn set_default(zone: Timezone) {
        *DEFAULT
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(zone);
    }

    /// The zone a group row stores; [`Timezone::default`] if it is not a zone name.
    pub fn stored(name: &str) -> Self {
        Self::parse(name).unwrap_or_else(|_| {
            let zone = Self::default();
            tracing::warn!(
                stored = name,
                using = zone.name(),
                "unreadable group time zone"
            );
            zone
        })
    }

    /// Longer input is certainly not a zone name; an error quotes at most this much of it.
    pub const MAX_INPUT_CHARS: usize = 64;

    /// Reads an IANA name in any letter case, with spaces for underscores
    /// (`"america/new york"`), or one of a few everyday Russian names (`Москва`, `МСК`).
    pub fn parse(raw: &str) -> Result<Self, TimezoneError> {
        let input = raw.trim();
        if input.is_empty() {
            return Err(TimezoneError::Empty);
        }
        let unknown = || TimezoneError::Unknown {
            input: input.chars().take(Self::MAX_INPUT_CHARS).collect(),
        };
        if input.chars().count() > Self::MAX_INPUT_CHARS {
            return Err(unknown());
        }
        let name = input.replace(' ', "_");
        if let Ok(tz) = name.parse::<Tz>() {
            return Ok(Self(tz));
        }
        if let Some(tz) = TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(&name))
        {
            return Ok(Self(*tz));
        }
        let lower = input.to_lowercase();
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map(|(_, tz)| Self(*tz))
            .ok_or_else(unknown)
    }

    /// The quick-button zone number `index` of [`QUICK`].
    pub fn quick(index: usize) -> Option<Self> {
        QUICK.get(index).copied().map(Self)
    }

    /// The canonical IANA name, e.g. `Europe/Moscow`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// The wall-clock time in this zone at `at`, `HH:MM`.
    pub fn local_time(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).format("%H:%M").to_string()
    }

    /// The offset from UTC at `at`: `UTC+3`, `UTC-3:30`, `UTC+0`.
    pub fn offset_label(self, at: DateTime<Utc>) -> String {
        let seconds = at.with_timezone(&self.0).offset().fix().local_minus_utc();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        match (minutes / 60, minutes % 60) {
            (hours, 0) => format!("UTC{sign}{hours}"),
            (hours, rest) => format!("UTC{sign}{hours}:{rest:02}"),
        }
    }
}

impl From<Tz> for Timezone {
    fn from(tz: Tz) -> Self {
        Self(tz)
    }
}

impl fmt::Display for Timezone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;
    use proptest::prelude::*;

    fn parsed(raw: &str) -> Result<&'static str, TimezoneError> {
        Timezone::parse(raw).map(Timezone::name)
    }

    #[test]
    fn canonical_names_in_any_case_and_everyday_aliases() {
        for (typed, zone) in [
            ("Europe/Moscow", "Europe/Moscow"),
            ("  europe/moscow ", "Europe/Moscow"),
            ("ASIA/NOVOSIBIRSK", "Asia/Novosibirsk"),
            ("america/new york", "America/New_York"),
            ("utc", "UTC"),
            ("Москва", "Europe/Moscow"),
            ("МСК", "Europe/Moscow"),
            ("msk", "Europe/Moscow"),
            ("Новосибирск", "Asia/Novosibirsk"),
        ] {
            assert_eq!(parsed(typed), Ok(zone), "{typed:?}");
        }
    }

    #[test]
    fn refuses_unknown_and_empty() {
        assert_eq!(parsed("   "), Err(TimezoneError::Empty));
        assert_eq!(
            parsed("Mars/Base"),
            Err(TimezoneError::Unknown {
                input: "Mars/Base".into()
            })
        );
        assert!(parsed("Europe/").is_err());
        assert!(parsed("Europe/Moscow/").is_err());
        assert!(parsed("+03:00").is_err());
        let long = "x".repeat(500);
        assert_eq!(
            parsed(&long),
            Err(TimezoneError::Unknown {
                input: "x".repeat(Timezone::MAX_INPUT_CHARS)
            })
        );
    }

    #[test]
    fn quick_zones_are_russian_and_bounded() {
        assert_eq!(
            Timezone::quick(0).map(Timezone::name),
            Some("Europe/Kaliningrad")
        );
        assert_eq!(
            Timezone::quick(1).map(Timezone::name),
            Some("Europe/Moscow")
        );
        assert_eq!(
            Timezone::quick(11).map(Timezone::name),
            Some("Asia/Kamchatka")
        );
        assert_eq!(Timezone::quick(12), None);
    }

    #[test]
    fn local_time_and_offset() {
        let at = Utc.with_ymd_and_hms(2026, 1, 15, 9, 5, 0).unwrap();
        let tz = |name| Timezone::parse(name).unwrap();
        assert_eq!(tz("Europe/Moscow").local_time(at), "12:05");
        assert_eq!(tz("Europe/Moscow").offset_label(at), "UTC+3");
        assert_eq!(tz("Asia/Kolkata").offset_label(at), "UTC+5:30");
        assert_eq!(tz("America/St_Johns").offset_label(at), "UTC-3:30");
        assert_eq!(tz("UTC").offset_label(at), "UTC+0");
    }

    proptest! {
        #[test]
        fn every_iana_name_is_found_in_any_case(index in 0..TZ_VARIANTS.len(), mask in any::<u64>()) {
            let name = TZ_VARIANTS[index].name();
            let mangled: String = name
                .chars()
                .enumerate()
                .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            prop_assert_eq!(parsed(&mangled), Ok(name));
            prop_assert_eq!(parsed(&format!("  {name}\t")), Ok(name));
        }

        #[test]
        fn anything_accepted_is_canonical(raw in "\\PC{0,40}") {
            if let Ok(tz) = Timezone::parse(&raw) {
                prop_assert_eq!(tz.name().parse::<Tz>(), Ok(tz.tz()));
                prop_assert_eq!(Timezone::parse(tz.name()), Ok(tz));
            }
        }

        #[test]
        fn never_panics_and_quotes_little(raw in ".{0,200}") {
            if let Err(TimezoneError::Unknown { input }) = Timezone::parse(&raw) {
                prop_assert!(input.chars().count() <= Timezone::MAX_INPUT_CHARS);
            }
        }

        #[test]
        fn made_up_regions_are_refused(city in "[A-Z][a-z]{3,12}") {
            let raw = format!("Mars/{city}");
            prop_assert!(
                matches!(Timezone::parse(&raw), Err(TimezoneError::Unknown { .. })),
                "{} was accepted", raw
            );
        }
    }

    proptest! {
        #[test]
        fn any_string_is_parsed_without_panic(raw in any::<String>()) {
            if let Ok(tz) = Timezone::parse(&raw) {
                prop_assert_eq!(Timezone::parse(tz.name()), Ok(tz));
            }
        }
    }
}
