//! The Telegram side of topic lists: what each button and form message does. The student's
//! screens are in `screens`, the leader's in `manage`, the forms in `form`.
//!
//! Navigation edits the pressed message in place; every callback query is answered (an outcome
//! or a refusal with a toast). Buttons carry ids, never permissions: the use case checks every
//! press.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

pub use super::action::Action;
use super::form::{on_form_message, start_adding, start_list, start_preferences};
use super::manage::{self, show_distribution, show_topic};
use super::screens::{Here, back_to_event, show_browser, show_mine};
use crate::telegram::callback;
use crate::telegram::dialogue::Dialogue;
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, toast};
use crate::telegram::screen::Target;
use crate::telegram::{Args, Branch, Ctx, Session};
use crate::topics::service::{self, TopicError};
use crate::topics::{preferences, reads};

/// Messages: the steps of the topic-list forms.
pub fn branch() -> Branch {
    dptree::filter_map(|session: Session| match session.dialogue {
        Dialogue::Topics(form) => Some(form),
        _ => None,
    })
    .endpoint(on_form_message)
}

/// Inline buttons with prefix `t`: each press is answered, with a toast (plain text of at most
/// 200 characters) or a refusal.
pub fn callbacks() -> Branch {
    callback::filter::<Action>().endpoint(
        |ctx: Ctx, session: Session, query: CallbackQuery, action: Action| async move {
            let target = Target::of_query(&query, session.chat);
            let here = Here {
                ctx: &ctx,
                session: &session,
                target,
            };
            let flow = run_action(here, action).await;
            let flow = flow.map(|text| text.map(|text| toast(&text)));
            kit::answer(&ctx, &query, session.locale, flow).await
        },
    )
}

async fn run_action(here: Here<'_>, action: Action) -> Flow {
    let (ctx, session, locale, user) = (here.ctx, here.session, here.locale(), here.user());
    match action {
        Action::Open { list } => show_browser(here, list, 0).await,
        Action::Page { list, page } => show_browser(here, list, page).await,
        Action::Create { event } => start_list(ctx, session, event).await,
        Action::Pick { topic, page } => pick(here, topic, page).await,
        Action::Rank { topic, page } => {
            let ranked = ctx
                .write(user, |uow| Box::pin(preferences::rank(uow, topic)))
                .await;
            let (list, toast) = match ranked {
                Ok((list, title, rank)) => {
                    let args = Args::new()
                        .plain("title", &title)
                        .num("rank", i64::from(rank));
                    (list, locale.text_with("topics-ranked-toast", &args))
                }
                Err(
                    err @ (TopicError::AlreadyRanked { .. }
                    | TopicError::TooManyChoices { .. }
                    | TopicError::NotCollecting),
                ) => {
                    let list = reads::list_of_topic(here.db(), &here.viewer()?, topic).await?;
                    (list, err.user_message(locale)?)
                }
                Err(err) => return Err(err.into()),
            };
            show_browser(here, list, page).await?;
            Ok(Some(toast))
        }
        Action::ClearRanking { list } => {
            ctx.write(user, |uow| Box::pin(preferences::clear_ranking(uow, list)))
                .await?;
            show_browser(here, list, 0).await?;
            Ok(Some(locale.text("topics-ranking-cleared-toast")))
        }
        Action::ByPreference { list } => start_preferences(ctx, session, list).await,
        Action::Mine { list } => show_mine(here, list).await,
        Action::Unpick { list } => {
            let title = ctx
                .write(user, |uow| Box::pin(service::unpick(uow, list)))
                .await?;
            show_browser(here, list, 0).await?;
            let args = Args::new().plain("title", &title);
            Ok(Some(locale.text_with("topics-unpicked", &args)))
        }
        Action::Dist { list, page } => show_distribution(here, list, page).await,
        Action::Topic { topic } => show_topic(here, topic).await,
        Action::Confirm { selection } | Action::Reject { selection } => {
            let confirm = matches!(action, Action::Confirm { .. });
            let decided = ctx
                .write(user, |uow| {
                    Box::pin(async move {
                        if confirm {
                            service::confirm(uow, selection).await
                        } else {
                            service::reject(uow, selection).await
                        }
                    })
                })
                .await?;
            show_topic(here, decided.topic).await?;
            let toast = if confirm {
                "topics-confirmed-toast"
            } else {
                "topics-rejected-toast"
            };
            Ok(Some(locale.text(toast)))
        }
        Action::ConfirmAll { list } => {
            let count = ctx
                .write(user, |uow| Box::pin(service::confirm_all(uow, list)))
                .await?;
            show_distribution(here, list, 0).await?;
            let args = Args::new().num("count", count as i64);
            Ok(Some(locale.text_with("topics-confirmed-all-toast", &args)))
        }
        Action::Export { list } => manage::export(here, list).await,
        Action::Add { list } => start_adding(ctx, session, list).await,
        Action::RemoveMenu { list, page } => manage::show_remove_menu(here, list, page).await,
        Action::Remove { topic } => manage::ask_remove(here, topic).await,
        Action::RemoveConfirmed { topic } => {
            let removed = ctx
                .write(user, |uow| Box::pin(service::remove_topic(uow, topic)))
                .await?;
            show_distribution(here, removed.list, 0).await?;
            Ok(Some(locale.text("topics-removed-toast")))
        }
        Action::Delete { list } => manage::ask_delete(here, list).await,
        Action::DeleteConfirmed { list } => {
            let deleted = ctx
                .write(user, |uow| Box::pin(service::delete_list(uow, list)))
                .await?;
            let args = Args::new().user("title", &deleted.title);
            let text = locale.text_with("topics-deleted", &args);
            let keyboard = InlineKeyboardMarkup::new([[back_to_event(locale, deleted.event)]]);
            here.show((text, keyboard)).await
        }
    }
}

/// A pick: the browser as it is now, with the outcome (or why not) as the toast.
async fn pick(here: Here<'_>, topic: uuid::Uuid, page: u32) -> Flow {
    let (ctx, locale) = (here.ctx, here.locale());
    let picked = ctx
        .write(here.user(), |uow| Box::pin(service::pick(uow, topic)))
        .await;
    let (list, toast) = match picked {
        Ok(picked) => {
            let text = match &picked.replaced {
                Some(old) => locale.text_with(
                    "topics-picked-replaced",
                    &Args::new().plain("title", &picked.title).plain("old", old),
                ),
                None => {
                    locale.text_with("topics-picked", &Args::new().plain("title", &picked.title))
                }
            };
            (picked.list, text)
        }
        Err(
            err @ (TopicError::Full { .. }
            | TopicError::AlreadyYours { .. }
            | TopicError::Confirmed { .. }),
        ) => {
            let list = reads::list_of_topic(here.db(), &here.viewer()?, topic).await?;
            (list, err.user_message(locale)?)
        }
        Err(err) => return Err(err.into()),
    };
    show_browser(here, list, page).await?;
    Ok(Some(toast))
}
