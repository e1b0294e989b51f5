//! Per-user notification settings, stored as JSON in `users.notification_settings`. A missing
//! column value or missing field means the default (everything on); unknown fields are ignored,
//! so older and newer rows both parse.

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use super::Kind;
use crate::storage::entities::users;

/// Which new events a user is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewEvents {
    #[default]
    All,
    ImportantOnly,
    Off,
}

impl NewEvents {
    /// The next choice when the button is pressed: all → important only → off → all.
    pub fn next(self) -> Self {
        match self {
            NewEvents::All => NewEvents::ImportantOnly,
            NewEvents::ImportantOnly => NewEvents::Off,
            NewEvents::Off => NewEvents::All,
        }
    }
}

fn on() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationSettings {
    pub new_events: NewEvents,
    /// A deadline reminder one day before.
    pub deadline_1d: bool,
    /// A deadline reminder three hours before.
    pub deadline_3h: bool,
    /// An event reminder at 18:00 (group time) the day before.
    pub event_evening: bool,
    pub queue_turn: bool,
    /// A queue of the group opens (at its set moment).
    pub queue_opening: bool,
    pub announcements: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self {
            new_events: NewEvents::All,
            deadline_1d: on(),
            deadline_3h: on(),
            event_evening: on(),
            queue_turn: on(),
            queue_opening: on(),
            announcements: on(),
        }
    }
}

impl NotificationSettings {
    /// The settings stored in a user row (defaults for anything missing or unreadable).
    pub fn of_user(user: &users::Model) -> Self {
        Self::from_json(user.notification_settings.as_ref())
    }

    pub fn from_json(value: Option<&serde_json::Value>) -> Self {
        value
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// Whether a notification of `kind` reaches this user.
    pub fn allows(&self, kind: Kind) -> bool {
        match kind {
            Kind::NewEvent => self.new_events == NewEvents::All,
            Kind::NewImportantEvent => self.new_events != NewEvents::Off,
            Kind::Deadline1d => self.deadline_1d,
            Kind::Deadline3h => self.deadline_3h,
            Kind::EventEvening => self.event_evening,
            Kind::QueueTurn => self.queue_turn,
            Kind::QueueOpening => self.queue_opening,
            Kind::Announcement => self.announcements,
            // The digests' own settings decide (`crate::digests::settings`).
            Kind::DigestEvening | Kind::DigestMorning | Kind::ClassPing => true,
            Kind::Notice => true,
        }
    }
}

/// The user's settings (defaults for an unknown user).
pub async fn load(db: &impl ConnectionTrait, user_id: i64) -> Result<NotificationSettings, DbErr> {
    let user = users::Entity::find_by_id(user_id).one(db).await?;
    Ok(user
        .as_ref()
        .map(NotificationSettings::of_user)
        .unwrap_or_default())
}

pub async fn save(
    db: &impl ConnectionTrait,
    user_id: i64,
    settings: &NotificationSettings,
) -> Result<(), DbErr> {
    let json = serde_json::to_value(settings).map_err(|e| DbErr::Json(e.to_string()))?;
    users::Entity::update_many()
        .set(users::ActiveModel {
            notification_settings: Set(Some(json)),
            ..Default::default()
        })
        .filter(users::Column::TelegramId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_settings_mean_everything_on() {
        let settings = NotificationSettings::from_json(None);
        assert_eq!(settings, NotificationSettings::default());
        assert_eq!(settings.new_events, NewEvents::All);
        assert!(settings.deadline_1d && settings.deadline_3h && settings.event_evening);
        assert!(settings.queue_turn && settings.announcements);
    }

    #[test]
    fn missing_fields_take_their_defaults_and_unknown_ones_are_ignored() {
        let stored = json!({"new_events": "important_only", "deadline_3h": false, "future": 1});
        let settings = NotificationSettings::from_json(Some(&stored));
        assert_eq!(settings.new_events, NewEvents::ImportantOnly);
        assert!(!settings.deadline_3h);
        assert!(settings.deadline_1d && settings.announcements);
        assert!(settings.allows(Kind::NewImportantEvent));
        assert!(!settings.allows(Kind::NewEvent));
    }

    #[test]
    fn unreadable_settings_fall_back_to_defaults() {
        let stored = json!("garbage");
        assert_eq!(
            NotificationSettings::from_json(Some(&stored)),
            NotificationSettings::default()
        );
    }

    #[test]
    fn settings_round_trip() {
        let settings = NotificationSettings {
            new_events: NewEvents::Off,
            announcements: false,
            ..Default::default()
        };
        let json = serde_json::to_value(settings).unwrap();
        assert_eq!(NotificationSettings::from_json(Some(&json)), settings);
        assert!(!settings.allows(Kind::NewImportantEvent));
        assert!(settings.allows(Kind::Notice));
    }

    use proptest::prelude::*;

    fn new_events() -> impl Strategy<Value = NewEvents> {
        prop_oneof![
            Just(NewEvents::All),
            Just(NewEvents::ImportantOnly),
            Just(NewEvents::Off)
        ]
    }

    fn any_settings() -> impl Strategy<Value = NotificationSettings> {
        (new_events(), any::<[bool; 6]>()).prop_map(|(new_events, b)| NotificationSettings {
            new_events,
            deadline_1d: b[0],
            deadline_3h: b[1],
            event_evening: b[2],
            queue_turn: b[3],
            announcements: b[4],
            queue_opening: b[5],
        })
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "(all|important_only|off|\\PC{0,8})".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    "(new_events|deadline_1d|deadline_3h|event_evening|queue_turn|announcements|[a-z]{1,6})",
                    inner,
                    0..7
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_settings_round_trip(settings in any_settings()) {
            let json = serde_json::to_value(settings).expect("serialises");
            prop_assert_eq!(NotificationSettings::from_json(Some(&json)), settings);
        }

        #[test]
        fn any_stored_json_reads_without_panic(value in any_json()) {
            let settings = NotificationSettings::from_json(Some(&value));
            // Whatever was read is itself stored and read back unchanged.
            let json = serde_json::to_value(settings).expect("serialises");
            prop_assert_eq!(NotificationSettings::from_json(Some(&json)), settings);
        }

        #[test]
        fn a_wrongly_typed_field_means_the_defaults(field in "(deadline_1d|deadline_3h|event_evening|queue_turn|announcements|new_events)", value in any::<i64>()) {
            let stored = serde_json::json!({ (field.clone()): value });
            prop_assert_eq!(NotificationSettings::from_json(Some(&stored)), NotificationSettings::default());
        }

        #[test]
        fn well_typed_subsets_keep_what_they_say(settings in any_settings(), keep in any::<[bool; 6]>()) {
            let full = serde_json::to_value(settings).expect("serialises");
            let mut partial = serde_json::Map::new();
            let names = ["new_events", "deadline_1d", "deadline_3h", "event_evening", "queue_turn", "announcements"];
            for (name, keep) in names.iter().zip(keep) {
                if keep {
                    partial.insert((*name).to_owned(), full[*name].clone());
                }
            }
            let read = NotificationSettings::from_json(Some(&serde_json::Value::Object(partial)));
            let default = NotificationSettings::default();
            prop_assert_eq!(read.new_events, if keep[0] { settings.new_events } else { default.new_events });
            prop_assert_eq!(read.deadline_1d, if keep[1] { settings.deadline_1d } else { default.deadline_1d });
            prop_assert_eq!(read.queue_turn, if keep[4] { settings.queue_turn } else { default.queue_turn });
            prop_assert_eq!(read.announcements, if keep[5] { settings.announcements } else { default.announcements });
        }
    }
}
