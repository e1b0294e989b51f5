//! The Telegram side of `crate::members`: its screens, buttons and forms.

pub mod action;
pub mod fio_step;
pub mod handlers;
pub mod profile;
pub mod render;

pub use handlers::{branch, callbacks};

#[cfg(test)]
mod tests {
    use crate::telegram::Args;
    use crate::telegram::texts::testing::{assert_renders, message_ids};

    #[test]
    fn both_locales_have_every_members_text() {
        let ru = message_ids("members.ftl");
        assert!(ru.len() > 50, "{ru:?}");
        for id in &ru {
            assert!(
                id.starts_with("members-") || id.starts_with("profile-"),
                "{id}"
            );
        }
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
        assert_renders(ru.iter().map(String::as_str), &args);
    }
}
