//! A user's digests and class pings, stored in `digestsettings` (no row: the defaults — the
//! evening digest at 20:00 group time, no morning digest, no pings).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::notifications::Kind;
use crate::storage::entities::{digestsettings, groupchats, timetables};

/// The evening digest's default minute (20:00 group time).
pub const DEFAULT_EVENING: u16 = 20 * 60;
/// The morning digest's minute when it is turned on without a choice (07:30 group time).
pub const DEFAULT_MORNING: u16 = 7 * 60 + 30;
/// How many minutes before a class a ping may come.
pub const PING_CHOICES: [u16; 4] = [10, 15, 30, 60];
/// Minutes in a day: a digest's minute is below this.
pub const DAY_MINUTES: u16 = 24 * 60;

/// Which digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Digest {
    /// Tomorrow's day, in the evening.
    Evening,
    /// Today's day, in the morning.
    Morning,
}

impl Digest {
    pub fn kind(self) -> Kind {
        match self {
            Digest::Evening => Kind::DigestEvening,
            Digest::Morning => Kind::DigestMorning,
        }
    }
}

/// A user's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestSettings {
    /// The evening digest's minute of the day (group time); `None`: off.
    pub evening: Option<u16>,
    /// The morning digest's minute of the day (group time); `None`: off.
    pub morning: Option<u16>,
    /// A ping this many minutes before each class; `None`: off.
    pub ping: Option<u16>,
}

impl Default for DigestSettings {
    fn default() -> Self {
        Self {
            evening: Some(DEFAULT_EVENING),
            morning: None,
            ping: None,
        }
    }
}

fn minute(on: bool, minute: i16) -> Option<u16> {
    u16::try_from(minute)
        .ok()
        .filter(|m| on && *m < DAY_MINUTES)
}

impl DigestSettings {
    /// The settings a stored row holds (`None`: the defaults).
    pub fn of_row(row: Option<&digestsettings::Model>) -> Self {
        let Some(row) = row else {
            return Self::default();
        };
        Self::of_columns(
            row.evening_on,
            row.evening_minute,
            row.morning_on,
            row.morning_minute,
            row.ping_minutes,
        )
    }

    /// The settings of the stored columns.
    pub fn of_columns(
        evening_on: bool,
        evening_minute: i16,
        morning_on: bool,
        morning_minute: i16,
        ping: Option<i16>,
    ) -> Self {
        Self {
            evening: minute(evening_on, evening_minute),
            morning: minute(morning_on, morning_minute),
            ping: ping
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| PING_CHOICES.contains(p)),
        }
    }

    /// The minute of `digest`, if it is on.
    pub fn minute(&self, digest: Digest) -> Option<u16> {
        match digest {
            Digest::Evening => self.evening,
            Digest::Morning => self.morning,
        }
    }

    /// Whether a digest or ping of `kind` still goes out (checked again when it is sent).
    pub fn allows(&self, kind: Kind) -> bool {
        match kind {
            Kind::DigestEvening => self.evening.is_some(),
            Kind::DigestMorning => self.morning.is_some(),
            Kind::ClassPing => self.ping.is_some(),
            _ => true,
        }
    }

    /// `digest` at `at` (a minute of the day), or off with `None`; a minute out of the day is
    /// refused (`false`).
    pub fn set(&mut self, digest: Digest, at: Option<u16>) -> bool {
        if at.is_some_and(|m| m >= DAY_MINUTES) {
            return false;
        }
        match digest {
            Digest::Evening => self.evening = at,
            Digest::Morning => self.morning = at,
        }
        true
    }

    /// The ping `minutes` before each class, or off with `None`; only [`PING_CHOICES`].
    pub fn set_ping(&mut self, minutes: Option<u16>) -> bool {
        if minutes.is_some_and(|m| !PING_CHOICES.contains(&m)) {
            return false;
        }
        self.ping = minutes;
        true
    }
}

/// `HH:MM` of a minute of the day.
pub fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The settings of `user` (the defaults without a row).
pub async fn load(conn: &impl ConnectionTrait, user: i64) -> Result<DigestSettings, DbErr> {
    let row = digestsettings::Entity::find_by_id(user).one(conn).await?;
    Ok(DigestSettings::of_row(row.as_ref()))
}

/// Whether the group bound to `chat` still has the evening digest posted there (checked again
/// when a planned post is sent).
pub async fn chat_takes_digest(conn: &impl ConnectionTrait, chat: i64) -> Result<bool, DbErr> {
    let Some(binding) = groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(conn)
        .await?
    else {
        return Ok(false);
    };
    let timetable = timetables::Entity::find_by_id(binding.group_id)
        .one(conn)
        .await?;
    Ok(timetable.is_some_and(|t| t.post_digest))
}

/// Stores the settings of `user`.
pub async fn save(
    conn: &impl ConnectionTrait,
    user: i64,
    settings: &DigestSettings,
) -> Result<(), DbErr> {
    let small = |m: u16| i16::try_from(m).unwrap_or_default();
    let row = digestsettings::ActiveModel {
        user_id: Set(user),
        evening_on: Set(settings.evening.is_some()),
        evening_minute: Set(small(settings.evening.unwrap_or(DEFAULT_EVENING))),
        morning_on: Set(settings.morning.is_some()),
        morning_minute: Set(small(settings.morning.unwrap_or(DEFAULT_MORNING))),
        ping_minutes: Set(settings.ping.map(small)),
    };
    digestsettings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(digestsettings::Column::UserId)
                .update_columns([
                    digestsettings::Column::EveningOn,
                    digestsettings::Column::EveningMinute,
                    digestsettings::Column::MorningOn,
                    digestsettings::Column::MorningMinute,
                    digestsettings::Column::PingMinutes,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_row_means_the_evening_at_20_only() {
        let settings = DigestSettings::of_row(None);
        assert_eq!(settings.evening, Some(20 * 60));
        assert_eq!(settings.morning, None);
        assert!(settings.allows(Kind::DigestEvening));
        assert!(!settings.allows(Kind::DigestMorning));
        assert!(!settings.allows(Kind::ClassPing));
    }

    #[test]
    fn a_stored_row_turned_off_keeps_nothing_on() {
        let settings = DigestSettings::of_columns(false, 1200, true, 450, Some(15));
        assert_eq!(settings.evening, None);
        assert_eq!(settings.morning, Some(450));
        assert_eq!(settings.ping, Some(15));
        assert_eq!(
            DigestSettings::of_columns(true, 5000, false, 0, Some(7)),
            DigestSettings {
                evening: None,
                morning: None,
                ping: None
            }
        );
    }

    #[test]
    fn choices_out_of_range_are_refused() {
        let mut settings = DigestSettings::default();
        assert!(!settings.set(Digest::Evening, Some(DAY_MINUTES)));
        assert!(!settings.set_ping(Some(20)));
        assert!(settings.set(Digest::Morning, Some(480)));
        assert_eq!(settings.morning, Some(480));
    }

    #[test]
    fn a_minute_reads_as_a_clock() {
        assert_eq!(clock(425), "07:05");
        assert_eq!(clock(DEFAULT_EVENING), "20:00");
    }
}
