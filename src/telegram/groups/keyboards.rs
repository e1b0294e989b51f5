//! Inline keyboards of the group settings screens.

use chrono::{DateTime, Utc};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use crate::groups::timezone::{QUICK, Timezone};
use crate::telegram::callback;
use crate::telegram::texts::{Args, Locale};

/// Labels of the quick time-zone buttons, in the order of [`QUICK`].
const QUICK_LABELS: [&str; QUICK.len()] = [
    "settings-tz-kaliningrad",
    "settings-tz-moscow",
    "settings-tz-samara",
    "settings-tz-yekaterinburg",
    "settings-tz-omsk",
    "settings-tz-novosibirsk",
    "settings-tz-krasnoyarsk",
    "settings-tz-irkutsk",
    "settings-tz-yakutsk",
    "settings-tz-vladivostok",
    "settings-tz-magadan",
    "settings-tz-kamchatka",
];

fn button(locale: Locale, text_id: &str, action: &Action) -> InlineKeyboardButton {
    callback::button(locale.text(text_id), action)
}

fn back(locale: Locale) -> InlineKeyboardButton {
    button(locale, "settings-btn-back", &Action::Settings)
}

/// The settings screen: what the leader can change.
pub fn settings(locale: Locale) -> InlineKeyboardMarkup {
    let transfer = crate::telegram::members::action::Action::Page { page: 0 };
    InlineKeyboardMarkup::new([
        vec![
            button(locale, "settings-btn-rename", &Action::Rename),
            button(locale, "settings-btn-description", &Action::Description),
        ],
        vec![button(locale, "settings-btn-timezone", &Action::Timezone)],
        vec![button(locale, "settings-btn-feed", &Action::Feed)],
        vec![callback::button(
            locale.text("settings-btn-history"),
            &crate::telegram::admin::Action::History { page: 0 },
        )],
        vec![callback::button(
            locale.text("settings-btn-transfer"),
            &transfer,
        )],
        vec![button(locale, "settings-btn-delete", &Action::Delete)],
    ])
}

/// Under a question that waits for typed text: back to the settings.
pub fn back_only(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([vec![back(locale)]])
}

/// Under the description question: clear it, or go back.
pub fn description(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "settings-btn-clear-description",
            &Action::ClearDescription,
        )],
        vec![back(locale)],
    ])
}

/// The picker's name of `zone` with its offset at `at` («Новосибирск (UTC+7)»), if the picker
/// offers it.
pub(super) fn quick_label(locale: Locale, zone: Timezone, at: DateTime<Utc>) -> Option<String> {
    let index = crate::groups::timezone::QUICK
        .iter()
        .position(|tz| *tz == zone.tz())?;
    let label = QUICK_LABELS.get(index)?;
    Some(locale.text_with(label, &Args::new().user("offset", &zone.offset_label(at))))
}

/// Under the time-zone question: the common Russian zones with their offsets at `now`, two
/// per row, then back.
pub fn timezones(locale: Locale, now: DateTime<Utc>) -> InlineKeyboardMarkup {
    let buttons: Vec<InlineKeyboardButton> = QUICK_LABELS
        .iter()
        .enumerate()
        .filter_map(|(index, label)| {
            let zone = Timezone::quick(index)?;
            let index = u8::try_from(index).ok()?;
            let text =
                locale.text_with(label, &Args::new().user("offset", &zone.offset_label(now)));
            Some(callback::button(text, &Action::SetTimezone { index }))
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
    rows.push(vec![back(locale)]);
    InlineKeyboardMarkup::new(rows)
}

/// Under the calendar feed link: a new link, or back.
pub fn feed(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "feed-btn-regenerate",
            &Action::FeedRegenerate,
        )],
        vec![back(locale)],
    ])
}

/// The confirmation of replacing the feed link of group `group`.
pub fn feed_regenerate_confirmation(locale: Locale, group: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "feed-btn-regenerate-confirm",
            &Action::FeedRegenerateConfirm { group },
        )],
        vec![button(locale, "feed-btn-regenerate-cancel", &Action::Feed)],
    ])
}

/// The explicit confirmation of deleting the group `group`.
pub fn delete_confirmation(locale: Locale, group: Uuid) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "settings-btn-delete-confirm",
            &Action::DeleteConfirm { group },
        )],
        vec![button(
            locale,
            "settings-btn-delete-cancel",
            &Action::Settings,
        )],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quick_zone_has_a_label_in_every_locale() {
        let now = Utc::now();
        for locale in Locale::ALL {
            let keyboard = timezones(locale, now);
            let labels = crate::telegram::keyboards::labels(&keyboard);
            assert_eq!(labels.len(), QUICK.len() + 1, "{labels:?}");
            for label in labels {
                assert!(
                    !label.contains("Unknown localization") && label.len() < 40,
                    "{label}"
                );
            }
        }
        let ru = timezones(Locale::Ru, now);
        assert!(ru.inline_keyboard[0][1].text.starts_with("Москва (UTC+3)"));
    }
}
