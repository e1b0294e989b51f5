//! The texts of the group settings screens.

use chrono::{DateTime, Utc};

use crate::groups::service::Settings;
use crate::telegram::{Args, Locale};

/// The settings screen's text at `now`; `notice` (already formatted) goes above it.
pub fn settings_text(
    locale: Locale,
    settings: &Settings,
    notice: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let zone = settings.timezone;
    let members = members_count(locale, settings.member_count);
    let args = Args::new()
        .user("name", &settings.name)
        .user("members", &members)
        .user("timezone", zone.name())
        .user("time", &zone.local_time(now))
        .user("offset", &zone.offset_label(now))
        .num("has_description", i64::from(settings.description.is_some()))
        .user(
            "description",
            settings.description.as_deref().unwrap_or_default(),
        );
    let screen = locale.text_with("settings-screen", &args);
    with_notice(notice, screen)
}

/// `notice` above `text`, if there is one.
pub fn with_notice(notice: Option<&str>, text: String) -> String {
    match notice {
        Some(notice) => format!("{notice}\n\n{text}"),
        None => text,
    }
}

/// «3 участника»: the number with its plural form.
pub fn members_count(locale: Locale, count: u64) -> String {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    locale.text_with("members-count", &Args::new().num("count", count))
}

/// The calendar feed screen: the link for `secret`.
pub fn feed_text(locale: Locale, public_url: &str, secret: &str) -> String {
    let url = crate::groups::feed::feed_url(public_url, secret);
    locale.text_with("feed-screen", &Args::new().user("url", &url))
}

/// A time zone as the zone picker names it, with its offset at `at`: «Новосибирск (UTC+7)»; a
/// zone the picker does not offer by its IANA name: «Europe/Berlin (UTC+1)». Every screen that
/// names the group's zone uses this.
pub fn zone_label(
    locale: Locale,
    zone: crate::groups::Timezone,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    super::keyboards::quick_label(locale, zone, at)
        .unwrap_or_else(|| format!("{} ({})", zone.name(), zone.offset_label(at)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::Timezone;
    use uuid::Uuid;

    fn settings(description: Option<&str>) -> Settings {
        Settings {
            group_id: Uuid::nil(),
            name: "<b>ИВТ</b>".into(),
            description: description.map(str::to_owned),
            timezone: Timezone::parse("Asia/Novosibirsk").unwrap(),
            member_count: 21,
        }
    }

    #[test]
    fn the_settings_screen_renders_escaped_in_both_locales() {
        let ru = settings_text(
            Locale::Ru,
            &settings(Some("a <i>\nb")),
            Some("✅"),
            Utc::now(),
        );
        assert!(ru.starts_with("✅\n\n⚙️ <b>Настройки группы</b>"), "{ru}");
        assert!(
            ru.contains("Название: <b>&lt;b&gt;ИВТ&lt;/b&gt;</b>"),
            "{ru}"
        );
        assert!(ru.contains("Участники: 21 участник\n"), "{ru}");
        assert!(ru.contains("Asia/Novosibirsk — сейчас там "), "{ru}");
        assert!(ru.contains("(UTC+7)"), "{ru}");
        assert!(ru.ends_with("Описание: a &lt;i&gt;\nb"), "{ru}");
        let none = settings_text(Locale::Ru, &settings(None), None, Utc::now());
        assert!(none.ends_with("Описание: <i>не задано</i>"), "{none}");
        let en = settings_text(Locale::En, &settings(None), None, Utc::now());
        assert!(en.contains("Members: 21 members"), "{en}");
        assert!(en.ends_with("Description: <i>not set</i>"), "{en}");
    }

    #[test]
    fn every_settings_text_exists_in_every_locale() {
        let ids = [
            "settings-screen",
            "settings-btn-rename",
            "settings-btn-description",
            "settings-btn-timezone",
            "settings-btn-transfer",
            "settings-btn-delete",
            "settings-btn-back",
            "settings-btn-clear-description",
            "settings-btn-delete-confirm",
            "settings-btn-delete-cancel",
            "group-rename-ask",
            "group-renamed",
            "group-description-ask",
            "group-description-saved",
            "group-description-cleared",
            "group-description-empty",
            "group-description-too-long",
            "group-description-control-chars",
            "group-description-not-text",
            "group-timezone-ask",
            "group-timezone-saved",
            "group-timezone-empty",
            "group-timezone-unknown",
            "group-timezone-not-text",
            "group-delete-confirm",
            "group-deleted",
            "group-deleted-leader",
            "group-deleted-notice",
            "group-not-found",
            "settings-btn-feed",
            "feed-screen",
            "feed-no-public-url",
            "feed-btn-regenerate",
            "feed-regenerate-confirm",
            "feed-btn-regenerate-confirm",
            "feed-btn-regenerate-cancel",
            "feed-regenerated",
        ];
        let args = Args::new()
            .user("name", "n")
            .user("members", "m")
            .user("timezone", "UTC")
            .user("time", "12:00")
            .user("offset", "UTC+0")
            .num("has_description", 1)
            .user("description", "d")
            .user("input", "i")
            .num("max", 50)
            .num("length", 51)
            .user("url", "https://example.org/ics/x.ics");
        crate::telegram::texts::testing::assert_renders(ids, &args);
    }
}
