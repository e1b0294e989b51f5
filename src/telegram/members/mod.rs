//! The Telegram side of `crate::members`: its screens, buttons and forms.

pub mod action;
pub mod fio_step;
pub mod handlers;
pub mod profile;
pub mod render;

pub use handlers::{branch, callbacks};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::telegram::{Args, Locale};

    fn ids(ftl: &str) -> BTreeSet<&str> {
        ftl.lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
            .collect()
    }

    #[test]
    fn both_locales_have_every_members_text() {
        let ru = ids(include_str!("../../../locales/ru/members.ftl"));
        let en = ids(include_str!("../../../locales/en/members.ftl"));
        assert_eq!(ru, en);
        assert!(ru.len() > 50, "{ru:?}");
        for id in &ru {
            assert!(
                id.starts_with("members-") || id.starts_with("profile-"),
                "{id}"
            );
            for locale in Locale::ALL {
                let args = Args::new()
                    .user("group", "ИВТ-21")
                    .user("name", "Иванов Иван")
                    .user("username", "@ivan")
                    .user("role", "участник")
                    .user("joined", "01.09.2026")
                    .user("word", "Иван2")
                    .user("language", "Русский")
                    .num("count", 3)
                    .num("page", 1)
                    .num("pages", 2)
                    .num("length", 65)
                    .num("max", 64);
                let text = locale.text_with(id, &args);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{id} in {locale:?}: {text}"
                );
            }
        }
    }
}
