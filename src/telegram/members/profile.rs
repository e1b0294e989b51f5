//! The profile «👤 Профиль» / `/profile`: ФИО, language, group and role; changing the ФИО (also
//! asked once right after joining), switching the language, leaving the group.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::handlers::role_name;
use crate::members::service::{self, Left, MemberError};
use crate::members::{Fio, Membership};
use crate::notifications::{Kind, Notice, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Ctx, HandlerError, HandlerResult, Locale, Session, common, keyboards, send,
};

/// Inline buttons of the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileAction {
    /// The profile screen (back from a confirmation).
    Show,
    /// «✏️ Изменить ФИО»: asks for the ФИО.
    EditFio,
    /// Skips the ФИО asked right after joining.
    SkipFio,
    Language {
        locale: Locale,
    },
    /// «🚪 Покинуть группу»: asks to confirm.
    Leave,
    LeaveConfirmed,
}

impl CallbackAction for ProfileAction {
    const PREFIX: &'static str = "p";

    fn write(&self, out: &mut Writer) {
        match self {
            ProfileAction::Show => out.tag("s"),
            ProfileAction::EditFio => out.tag("f"),
            ProfileAction::SkipFio => out.tag("k"),
            ProfileAction::Language { locale } => out.tag("l").tag(locale.code()),
            ProfileAction::Leave => out.tag("q"),
            ProfileAction::LeaveConfirmed => out.tag("qy"),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "s" => ProfileAction::Show,
            "f" => ProfileAction::EditFio,
            "k" => ProfileAction::SkipFio,
            "l" => {
                let code = fields.tag()?;
                let locale = Locale::ALL.into_iter().find(|l| l.code() == code)?;
                ProfileAction::Language { locale }
            }
            "q" => ProfileAction::Leave,
            "qy" => ProfileAction::LeaveConfirmed,
            _ => return None,
        })
    }
}

/// `/profile`: the profile as a new message.
pub async fn show_new(ctx: &Ctx, session: &Session) -> HandlerResult {
    let (text, keyboard) = profile_screen(ctx, session.user_id, session.locale).await?;
    screen::show(ctx, Target::New(session.chat), &text, keyboard).await
}

/// «👤 Профиль».
pub async fn on_profile_button(ctx: Ctx, session: Session) -> HandlerResult {
    show_new(&ctx, &session).await
}

/// Right after joining (the joining flow has shown the member menu): asks for the ФИО once,
/// skippable, unless the user already gave it.
pub async fn ask_after_join(ctx: Ctx, session: Session) -> HandlerResult {
    let profile = service::profile(&ctx.db, session.user_id).await?;
    if profile.has_full_name {
        return Ok(());
    }
    dialogue::save(
        &ctx.db,
        session.user_id,
        &Dialogue::Fio { after_join: true },
    )
    .await?;
    let locale = session.locale;
    let skip = InlineKeyboardMarkup::new([[callback::button(
        locale.text("profile-btn-skip"),
        &ProfileAction::SkipFio,
    )]]);
    screen::show(
        &ctx,
        Target::New(session.chat),
        &locale.text("profile-ask-fio-after-join"),
        skip,
    )
    .await
}

/// The ФИО step: an invalid ФИО is explained and the step kept; a valid one is saved. Right
/// after joining, `/skip` skips it.
pub async fn receive_fio(ctx: Ctx, session: Session, message: Message) -> HandlerResult {
    let locale = session.locale;
    let after_join = matches!(session.dialogue, Dialogue::Fio { after_join: true });
    let Some(text) = message.text() else {
        send::html(
            &ctx.bot,
            session.chat,
            &locale.text("profile-fio-not-text"),
            None,
        )
        .await?;
        return Ok(());
    };
    if after_join && is_skip(text) {
        dialogue::clear(&ctx.db, session.user_id).await?;
        return common::show_menu_with(&ctx, &session, &locale.text("profile-fio-skipped")).await;
    }
    let fio = match Fio::parse(text) {
        Ok(fio) => fio,
        Err(err) => {
            let explanation = err.user_message(locale)?;
            send::html(&ctx.bot, session.chat, &explanation, None).await?;
            return Ok(());
        }
    };
    let saved = service::set_full_name(&ctx.db, session.user_id, &fio).await;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = match saved {
        Ok(()) => locale.text_with(
            "profile-fio-saved",
            &Args::new().user("name", &fio.to_string()),
        ),
        Err(err) => err.user_message(locale)?,
    };
    common::show_menu_with(&ctx, &session, &text).await
}

/// `/skip`, also as `/skip@bot`.
fn is_skip(text: &str) -> bool {
    let text = text.trim();
    text == "/skip" || text.starts_with("/skip@")
}

pub async fn on_action(
    ctx: Ctx,
    mut session: Session,
    query: CallbackQuery,
    action: ProfileAction,
) -> HandlerResult {
    let locale = session.locale;
    let target = Target::of_query(&query, session.chat);
    match action {
        ProfileAction::Show => {
            screen::answer(&ctx, &query, None).await?;
            let (text, keyboard) = profile_screen(&ctx, session.user_id, locale).await?;
            screen::show(&ctx, target, &text, keyboard).await
        }
        ProfileAction::EditFio => {
            screen::answer(&ctx, &query, None).await?;
            dialogue::save(
                &ctx.db,
                session.user_id,
                &Dialogue::Fio { after_join: false },
            )
            .await?;
            send::html(
                &ctx.bot,
                session.chat,
                &locale.text("profile-ask-fio"),
                Some(keyboards::cancel_only(locale)),
            )
            .await?;
            Ok(())
        }
        ProfileAction::SkipFio => {
            if session.dialogue != (Dialogue::Fio { after_join: true }) {
                let toast = locale.text("callback-outdated");
                return screen::answer(&ctx, &query, Some(&toast)).await;
            }
            dialogue::clear(&ctx.db, session.user_id).await?;
            screen::answer(&ctx, &query, None).await?;
            let skipped = locale.text("profile-fio-skipped");
            screen::show(&ctx, target, &skipped, InlineKeyboardMarkup::default()).await?;
            session.membership = service::membership(&ctx.db, session.user_id).await?;
            common::show_menu(&ctx, &session).await
        }
        ProfileAction::Language { locale: chosen } => {
            if let Err(err) = service::set_language(&ctx.db, session.user_id, Some(chosen)).await {
                let text = err.user_message(locale)?;
                return screen::answer(&ctx, &query, Some(&text)).await;
            }
            screen::answer(&ctx, &query, None).await?;
            let (text, keyboard) = profile_screen(&ctx, session.user_id, chosen).await?;
            screen::show(&ctx, target, &text, keyboard).await?;
            let membership = service::membership(&ctx.db, session.user_id).await?;
            let menu = keyboards::main_menu(chosen, membership.as_ref());
            let changed = chosen.text("profile-language-changed");
            send::html(&ctx.bot, session.chat, &changed, Some(menu)).await?;
            Ok(())
        }
        ProfileAction::Leave => {
            screen::answer(&ctx, &query, None).await?;
            let (text, keyboard) = match service::membership(&ctx.db, session.user_id).await? {
                None => (locale.text("access-not-in-group"), back_only(locale)),
                Some(membership) if membership.role.is_leader() => {
                    let text = MemberError::LeaderCannotLeave.user_message(locale)?;
                    (text, back_only(locale))
                }
                Some(membership) => leave_confirmation(locale, &membership),
            };
            screen::show(&ctx, target, &text, keyboard).await
        }
        ProfileAction::LeaveConfirmed => {
            // The leader is told who left, in the leader's language.
            let told = |left: &Left| {
                let Some(leader) = left.leader else {
                    return Vec::new();
                };
                let note = Text::new("members-notify-left")
                    .user("name", left.member.full_name())
                    .user("group", &left.group_name);
                vec![Notice::new(leader, Kind::Notice, note)]
            };
            let now = ctx.notifier.now();
            let left = match service::leave(&ctx.db, session.user_id, now, told).await {
                Ok(left) => left,
                Err(err) => {
                    screen::answer(&ctx, &query, None).await?;
                    let text = err.user_message(locale)?;
                    return screen::show(&ctx, target, &text, back_only(locale)).await;
                }
            };
            screen::answer(&ctx, &query, None).await?;
            let text =
                locale.text_with("profile-left", &Args::new().user("group", &left.group_name));
            screen::show(&ctx, target, &text, InlineKeyboardMarkup::default()).await?;
            session.membership = None;
            common::show_menu(&ctx, &session).await?;
            ctx.deliver(&left.notices).await;
            Ok(())
        }
    }
}

fn back_only(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[callback::button(
        locale.text("profile-btn-back"),
        &ProfileAction::Show,
    )]])
}

fn leave_confirmation(locale: Locale, membership: &Membership) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "profile-confirm-leave",
        &Args::new().user("group", &membership.group_name),
    );
    let keyboard = InlineKeyboardMarkup::new([
        [callback::button(
            locale.text("profile-btn-confirm-leave"),
            &ProfileAction::LeaveConfirmed,
        )],
        [callback::button(
            locale.text("profile-btn-back"),
            &ProfileAction::Show,
        )],
    ]);
    (text, keyboard)
}

/// The profile screen in `locale`, read from the database.
async fn profile_screen(
    ctx: &Ctx,
    user: i64,
    locale: Locale,
) -> Result<(String, InlineKeyboardMarkup), HandlerError> {
    let profile = service::profile(&ctx.db, user).await?;
    let name_id = if profile.has_full_name {
        "profile-name"
    } else {
        "profile-name-from-telegram"
    };
    let name = locale.text_with(name_id, &Args::new().user("name", &profile.full_name));
    let group = match &profile.membership {
        Some(membership) => locale.text_with(
            "profile-group",
            &Args::new()
                .user("group", &membership.group_name)
                .user("role", &role_name(locale, membership.role)),
        ),
        None => locale.text("profile-no-group"),
    };
    let language = locale.text_with(
        "profile-language",
        &Args::new().user("language", &locale.text("profile-language-name")),
    );
    let title = locale.text("profile-title");
    let text = format!("{title}\n\n{name}\n{language}\n{group}");
    let mut rows: Vec<Vec<InlineKeyboardButton>> = vec![
        vec![callback::button(
            locale.text("profile-btn-fio"),
            &ProfileAction::EditFio,
        )],
        Locale::ALL
            .into_iter()
            .map(|l| {
                let label = l.text("profile-language-name");
                let label = if l == locale {
                    format!("✅ {label}")
                } else {
                    label
                };
                callback::button(label, &ProfileAction::Language { locale: l })
            })
            .collect(),
    ];
    rows.push(vec![callback::button(
        locale.text("notify-btn-open"),
        &crate::telegram::notifications::handlers::NotifyAction::Show,
    )]);
    if profile.membership.is_some() {
        rows.push(vec![callback::button(
            locale.text("profile-btn-leave"),
            &ProfileAction::Leave,
        )]);
    }
    Ok((text, InlineKeyboardMarkup::new(rows)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    #[test]
    fn every_action_round_trips_and_fits() {
        let mut actions = vec![
            ProfileAction::Show,
            ProfileAction::EditFio,
            ProfileAction::SkipFio,
            ProfileAction::Leave,
            ProfileAction::LeaveConfirmed,
        ];
        actions.extend(
            Locale::ALL
                .into_iter()
                .map(|locale| ProfileAction::Language { locale }),
        );
        for action in actions {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data}");
            assert_eq!(decode::<ProfileAction>(&data), Some(action));
        }
        assert_eq!(
            encode(&ProfileAction::Language { locale: Locale::En }),
            "1|p|l|en"
        );
    }

    #[test]
    fn forged_payloads_decode_to_nothing() {
        for forged in [
            "1|p",
            "1|p|l",
            "1|p|l|de",
            "1|p|l|EN",
            "1|p|l|en|ru",
            "1|p|s|1",
            "1|p|qq",
            "1|m|s",
            "0|p|s",
        ] {
            assert_eq!(decode::<ProfileAction>(forged), None, "{forged:?}");
        }
    }

    #[test]
    fn skip_is_recognised() {
        assert!(is_skip("/skip"));
        assert!(is_skip(" /skip "));
        assert!(is_skip("/skip@study_bot"));
        assert!(!is_skip("/skipper"));
        assert!(!is_skip("skip"));
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("p", &["s", "f", "k", "l", "q", "qy", "en", "ru"])) {
                testing::assert_exact::<ProfileAction>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<ProfileAction>(&data)?;
            }
        }
    }
}
