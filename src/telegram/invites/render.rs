//! The texts and keyboards of the invitations screens: the options, a new link, the active
//! links.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::Action;
use crate::invites::{Invite, Validity};
use crate::telegram::callback;
use crate::telegram::kit::label;
use crate::telegram::{Args, Locale};

/// At most this many active links are listed (each with its own «Отозвать» button).
pub const MAX_LISTED: usize = 20;
/// Characters of the token shown in the short form of a link.
const SHORT_TOKEN_CHARS: usize = 8;

fn days_label(locale: Locale, validity: Validity) -> String {
    locale.text_with("invite-days", &Args::new().num("days", validity.days()))
}

/// The invitations screen: validity, the single-use toggle, «Создать ссылку», «Активные ссылки».
pub fn menu_screen(
    locale: Locale,
    validity: Validity,
    single_use: bool,
) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "invite-menu",
        &Args::new()
            .num("days", validity.days())
            .num("single", i64::from(single_use)),
    );
    let validity_row = Validity::ALL
        .into_iter()
        .map(|choice| {
            let days = days_label(locale, choice);
            let days = if choice == validity {
                format!("✅ {days}")
            } else {
                days
            };
            let action = Action::Options {
                validity: choice,
                single_use,
            };
            callback::button(days, &action)
        })
        .collect::<Vec<_>>();
    let toggle_id = if single_use {
        "invite-btn-single-use-on"
    } else {
        "invite-btn-single-use-off"
    };
    let toggle = Action::Options {
        validity,
        single_use: !single_use,
    };
    let create = Action::Create {
        validity,
        single_use,
    };
    let keyboard = InlineKeyboardMarkup::new([
        validity_row,
        vec![label(locale, toggle_id, toggle)],
        vec![label(locale, "invite-btn-create", create)],
        vec![label(locale, "invite-btn-list", Action::List)],
    ]);
    (text, keyboard)
}

/// When `invite` expires, in its group's time zone.
fn expiry(invite: &Invite) -> String {
    invite
        .expires_at
        .with_timezone(&invite.timezone.tz())
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The message with a new link, easy to copy (inside `<code>`).
pub fn created_text(
    locale: Locale,
    bot_username: &str,
    invite: &Invite,
    validity: Validity,
) -> String {
    let args = Args::new()
        .user("link", &invite.token.link(bot_username))
        .num("days", validity.days())
        .user("until", &expiry(invite))
        .user("timezone", invite.timezone.name())
        .num("single", i64::from(invite.single_use));
    locale.text_with("invite-created", &args)
}

/// The active links, each with its own «Отозвать» button.
pub fn list_screen(
    locale: Locale,
    bot_username: &str,
    invites: &[Invite],
) -> (String, InlineKeyboardMarkup) {
    let new_link = vec![label(locale, "invite-btn-new-link", Action::Menu)];
    let Some(first) = invites.first() else {
        let keyboard = InlineKeyboardMarkup::new([new_link]);
        return (locale.text("invite-list-empty"), keyboard);
    };
    let mut lines = vec![
        locale.text_with(
            "invite-list-title",
            &Args::new()
                .num("count", invites.len() as i64)
                .user("timezone", first.timezone.name()),
        ),
    ];
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for (index, invite) in invites.iter().take(MAX_LISTED).enumerate() {
        let number = index as i64 + 1;
        let head: String = invite
            .token
            .as_str()
            .chars()
            .take(SHORT_TOKEN_CHARS)
            .collect();
        let short = format!("t.me/{bot_username}?start={head}…");
        let args = Args::new()
            .num("n", number)
            .user("link", &short)
            .user("until", &expiry(invite))
            .num("single", i64::from(invite.single_use))
            .num("uses", i64::from(invite.use_count));
        lines.push(locale.text_with("invite-list-item", &args));
        let label = locale.text_with("invite-btn-revoke", &Args::new().num("n", number));
        rows.push(vec![callback::button(
            label,
            &Action::Revoke { invite: invite.id },
        )]);
    }
    if invites.len() > MAX_LISTED {
        let more = (invites.len() - MAX_LISTED) as i64;
        lines.push(locale.text_with("invite-list-more", &Args::new().num("count", more)));
    }
    rows.push(new_link);
    (lines.join("\n\n"), InlineKeyboardMarkup::new(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::Timezone;
    use crate::invites::InviteToken;
    use crate::telegram::texts::testing::{assert_renders, message_ids};
    use uuid::Uuid;

    #[test]
    fn both_locales_define_the_same_invite_texts() {
        let ru = message_ids("invites.ftl");
        assert!(ru.iter().all(|id| id.starts_with("invite-")), "{ru:?}");
        let args = ["link", "until", "timezone", "bot", "group", "name"]
            .into_iter()
            .fold(Args::new(), |args, name| args.user(name, "x"));
        let args = ["days", "single", "count", "n", "uses"]
            .into_iter()
            .fold(args, |args, name| args.num(name, 2));
        assert_renders(ru.iter().map(String::as_str), &args);
    }

    #[test]
    fn every_text_exists_in_both_locales() {
        for locale in Locale::ALL {
            let (menu, _) = menu_screen(locale, Validity::SevenDays, true);
            let (empty, _) = list_screen(locale, "bot", &[]);
            for text in [menu, empty] {
                assert!(!text.contains("Unknown localization"), "{text}");
            }
        }
    }

    fn sample_invite(single_use: bool, use_count: i32) -> Invite {
        use chrono::TimeZone;
        Invite {
            id: Uuid::new_v4(),
            token: InviteToken::parse("AbCdEfGhIjKlMnOpQrStUvWxYz0123-_").unwrap(),
            expires_at: chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap(),
            single_use,
            use_count,
            timezone: Timezone::stored("Europe/Moscow"),
        }
    }

    #[test]
    fn a_created_link_is_shown_in_full_with_its_expiry_in_the_groups_zone() {
        let invite = sample_invite(false, 0);
        let text = created_text(Locale::Ru, "my_bot", &invite, Validity::SevenDays);
        assert!(
            text.contains(
                "<code>https://t.me/my_bot?start=AbCdEfGhIjKlMnOpQrStUvWxYz0123-_</code>"
            ),
            "{text}"
        );
        assert!(
            text.contains("Действует 7 дней — до 02.12.2026 12:30 (Europe/Moscow)."),
            "{text}"
        );
        assert!(text.contains("Многоразовая"), "{text}");
        let single = sample_invite(true, 0);
        let text = created_text(Locale::En, "my_bot", &single, Validity::OneDay);
        assert!(
            text.contains("Valid for 1 day — until 02.12.2026 12:30"),
            "{text}"
        );
        assert!(text.contains("Single-use"), "{text}");
    }

    #[test]
    fn the_list_shows_short_links_uses_and_a_button_each() {
        let invites = [
            sample_invite(true, 0),
            sample_invite(false, 3),
            sample_invite(false, 5),
        ];
        let (text, keyboard) = list_screen(Locale::Ru, "my_bot", &invites);
        assert!(
            text.starts_with("<b>Активные ссылки-приглашения: 3</b>"),
            "{text}"
        );
        assert!(text.contains("1. t.me/my_bot?start=AbCdEfGh…\nдо 02.12.2026 12:30, одноразовая, ещё не использована"), "{text}");
        assert!(text.contains("многоразовая, использована 3 раза"), "{text}");
        assert!(text.contains("использована 5 раз"), "{text}");
        let labels = crate::telegram::keyboards::labels(&keyboard);
        assert_eq!(
            labels,
            [
                "Отозвать №1",
                "Отозвать №2",
                "Отозвать №3",
                "➕ Новая ссылка"
            ]
        );
        let many: Vec<Invite> = (0..MAX_LISTED + 2)
            .map(|_| sample_invite(false, 1))
            .collect();
        let (text, keyboard) = list_screen(Locale::Ru, "my_bot", &many);
        assert!(text.contains("…и ещё 2 ссылки."), "{text}");
        assert_eq!(keyboard.inline_keyboard.len(), MAX_LISTED + 1);
        let (text, _) = list_screen(Locale::En, "my_bot", &invites[1..2]);
        assert!(text.contains("reusable, used 3 times"), "{text}");
    }

    #[test]
    fn russian_day_counts_agree() {
        assert_eq!(days_label(Locale::Ru, Validity::OneDay), "1 день");
        assert_eq!(days_label(Locale::Ru, Validity::SevenDays), "7 дней");
        assert_eq!(days_label(Locale::Ru, Validity::ThirtyDays), "30 дней");
        assert_eq!(days_label(Locale::En, Validity::OneDay), "1 day");
        assert_eq!(days_label(Locale::En, Validity::ThirtyDays), "30 days");
    }
}
