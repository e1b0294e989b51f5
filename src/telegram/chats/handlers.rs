//! The Telegram side of the group's chat.
//!
//! Updates from group chats do not go through the private handler tree: [`handle_group`] gets
//! them (see `telegram::updates`). In a group the bot reacts only to its commands (`/bind`,
//! `/help`, optionally `@bot`-addressed), its own buttons, and the chat's service events (the
//! bot added or removed, the chat becoming a supergroup); other messages are ignored, no
//! session or dialogue is loaded, so nothing said in the group touches anyone's private forms.
//! Replies in the group carry inline buttons only (never a reply keyboard), and refusals go
//! to the presser alone (callback answers).
//!
//! Binding: anyone may send `/bind`; the bot answers with «✅ Привязать к моей группе». The
//! press binds the presser's group if, in the database, they lead one and the chat is not
//! another group's; the bot's own membership of the chat is checked with getChatMember.

use teloxide::payloads::GetChatMember;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQuery, ChatMemberStatus, InlineKeyboardMarkup, Me, ReplyMarkup, UpdateKind, User,
};
use uuid::Uuid;

pub use super::action::Action;
use super::live;
use super::render;
use crate::chats::service::{self, Binding, ChatError};
use crate::chats::{LiveKind, live as live_rules};
use crate::queues::QueueError;
use crate::telegram::api::Api;
use crate::telegram::callback;
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop};
use crate::telegram::screen::{self, Target};
use crate::telegram::session::user_id;
use crate::telegram::{Args, Branch, Ctx, HandlerError, HandlerResult, Locale, Session, send};
use crate::topics::TopicError;
use crate::uow::{self, Step, Uow};

/// How long a command's reply in a group waits for the group's rate-limit slot.
const COMMAND_PATIENCE: std::time::Duration = std::time::Duration::from_millis(3_500);

/// Inline buttons with prefix `c` pressed in a private chat («📣 Опубликовать в чат»).
pub fn callbacks() -> Branch {
    kit::buttons::<Action>(|ctx, session, target, action| {
        Box::pin(on_private_action(ctx, session, target, action))
    })
}

/// Whether `update` happened in a group chat (the bot's chats other than private ones).
pub fn is_group_update(update: &Update) -> bool {
    update.chat().is_some_and(|chat| !chat.is_private())
}

/// Handles one update from a group chat.
pub async fn handle_group(ctx: &Ctx, me: &Me, update: &Update) -> HandlerResult {
    let Some(chat) = update.chat() else {
        return Ok(());
    };
    if chat.is_channel() {
        return Ok(());
    }
    let chat_id = chat.id.0;
    match &update.kind {
        UpdateKind::Message(message) => {
            if let Some(to) = message.migrate_to_chat_id() {
                migrated(ctx, chat_id, to.0).await?;
            } else if let Some(from) = message.migrate_from_chat_id() {
                migrated(ctx, from.0, chat_id).await?;
            } else if let Some(command) = message.text().and_then(|text| command(text, me)) {
                on_command(ctx, message, command).await?;
            }
            Ok(())
        }
        UpdateKind::MyChatMember(change) if change.new_chat_member.user.id == me.id => {
            let gone = |status| matches!(status, ChatMemberStatus::Left | ChatMemberStatus::Banned);
            let (old, new) = (
                change.old_chat_member.status(),
                change.new_chat_member.status(),
            );
            if gone(new) {
                let remover = Some(user_id(&change.from));
                if let Some(group) = bot_removed(ctx, chat_id, remover).await? {
                    tracing::info!(chat = chat_id, %group, "bot removed from a bound chat; unbound");
                }
            } else if gone(old) {
                // Just added: say how to bind.
                let text = locale_of_user(&change.from).text("chat-help");
                send::html(ctx, chat.id, &text, None).await?;
            }
            Ok(())
        }
        UpdateKind::CallbackQuery(query) => on_chat_action(ctx, me, query, chat_id).await,
        _ => Ok(()),
    }
}

/// Runs a change nobody pressed for (the chat changed under the bot) as a unit of work
/// without an actor, then its reactions.
async fn as_system<'env, T>(
    ctx: &Ctx,
    use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, sea_orm::DbErr>,
) -> Result<T, sea_orm::DbErr> {
    let fence = ctx.claim.as_deref().map(|claim| claim as &dyn uow::Fence);
    let done = uow::run_fenced(&ctx.db, &ctx.notifier.clock(), None, fence, use_case).await?;
    ctx.after_commit(done.committed).await;
    Ok(done.value)
}

/// Telegram turned the chat `from` into the supergroup `to`: the binding follows.
async fn migrated(ctx: &Ctx, from: i64, to: i64) -> Result<bool, sea_orm::DbErr> {
    as_system(ctx, |uow| Box::pin(service::chat_migrated(uow, from, to))).await
}

/// The bot is out of `chat`: the binding goes.
async fn bot_removed(
    ctx: &Ctx,
    chat: i64,
    remover: Option<i64>,
) -> Result<Option<Uuid>, sea_orm::DbErr> {
    as_system(ctx, |uow| {
        Box::pin(service::bot_removed(uow, chat, remover))
    })
    .await
}

/// The bot's commands in a group: `/bind`, `/help` (also `/start`), with or without
/// `@<bot>`; a command addressed to another bot, or anything else, is `None`.
fn command<'a>(text: &'a str, me: &Me) -> Option<&'a str> {
    let word = text.split_whitespace().next()?.strip_prefix('/')?;
    let (name, addressee) = match word.split_once('@') {
        Some((name, bot)) => (name, Some(bot)),
        None => (word, None),
    };
    if addressee.is_some_and(|bot| !bot.eq_ignore_ascii_case(me.username())) {
        return None;
    }
    ["bind", "help", "start"]
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(name))
}

fn locale_of_user(user: &User) -> Locale {
    Locale::resolve(None, user.language_code.as_deref())
}

async fn on_command(ctx: &Ctx, message: &Message, command: &str) -> HandlerResult {
    let locale = message
        .from
        .as_ref()
        .map(locale_of_user)
        .unwrap_or_default();
    let chat = message.chat.id;
    let (text, keyboard) = match command {
        "bind" => {
            match service::binding_seen_by(&ctx.db, chat.0, message.from.as_ref().map(user_id))
                .await?
            {
                Some((binding, leader_here)) => {
                    if leader_here {
                        render::binding(locale, &binding)
                    } else {
                        let (text, _) = render::binding(locale, &binding);
                        (text, InlineKeyboardMarkup::new(Vec::<Vec<_>>::new()))
                    }
                }
                None => render::bind_prompt(locale),
            }
        }
        _ => (
            locale.text("chat-help"),
            InlineKeyboardMarkup::new(Vec::<Vec<_>>::new()),
        ),
    };
    // A group takes 20 messages a minute: a reply that cannot go soon is dropped (someone is
    // flooding the chat with commands), never queued behind the group's posts.
    if !ctx
        .notifier
        .limiter()
        .try_acquire(chat.0, COMMAND_PATIENCE)
        .await
    {
        tracing::info!(chat = chat.0, "group chat busy; a command reply is dropped");
        return Ok(());
    }
    let markup =
        (!keyboard.inline_keyboard.is_empty()).then_some(ReplyMarkup::InlineKeyboard(keyboard));
    send::html(ctx, chat, &text, markup).await?;
    Ok(())
}

/// Answers a press in the chat: a toast, or an alert (`alert = true`) for refusals only the
/// presser should notice.
async fn answer(ctx: &Ctx, query: &CallbackQuery, text: &str, alert: bool) -> HandlerResult {
    let toast = kit::toast(text);
    ctx.api.answer(&query.id, Some(&toast), alert).await?;
    Ok(())
}

/// The presser's language: their stored choice if they use the bot, else their client's.
async fn presser_locale(ctx: &Ctx, user: &User) -> Result<Locale, HandlerError> {
    let stored = service::language_of(&ctx.db, user_id(user)).await?;
    Ok(stored.unwrap_or_else(|| locale_of_user(user)))
}

/// A press under one of the bot's messages in a group chat.
async fn on_chat_action(ctx: &Ctx, me: &Me, query: &CallbackQuery, chat: i64) -> HandlerResult {
    let locale = presser_locale(ctx, &query.from).await?;
    let Some(action) = query.data.as_deref().and_then(callback::decode::<Action>) else {
        return answer(ctx, query, &locale.text("callback-outdated"), false).await;
    };
    let user = user_id(&query.from);
    match action {
        Action::Bind => on_bind(ctx, me, query, locale, chat).await,
        Action::Reminders { on } => {
            let set = ctx.write(user, |uow| {
                Box::pin(service::set_post_reminders(uow, chat, on))
            });
            let changed = set.await;
            show_binding(ctx, query, locale, chat, changed, "chat-reminders-toast").await
        }
        Action::Unbind => match ctx
            .write(user, |uow| Box::pin(service::unbind(uow, chat)))
            .await
        {
            Ok(()) => {
                let text = chat_locale(locale).text("chat-unbound");
                show_here(
                    ctx,
                    query,
                    chat,
                    &text,
                    InlineKeyboardMarkup::new(Vec::<Vec<_>>::new()),
                )
                .await?;
                answer(ctx, query, &text, false).await
            }
            Err(err) => refuse(ctx, query, locale, err).await,
        },
        Action::Join { queue } => {
            let outcome = ctx
                .write(user, |uow| {
                    Box::pin(crate::queues::service::join(uow, queue))
                })
                .await;
            let text = match outcome {
                Ok(joined) if joined.draw_at.is_some() => locale.text("chat-joined-lottery"),
                Ok(joined) => locale.text_with(
                    "chat-joined",
                    &Args::new().num("position", i64::from(joined.position)),
                ),
                Err(err) => return refuse_queue(ctx, query, locale, err).await,
            };
            answer(ctx, query, &text, false).await
        }
        Action::Leave { queue } => {
            let outcome = ctx
                .write(user, |uow| {
                    Box::pin(crate::queues::service::leave(uow, queue))
                })
                .await;
            match outcome {
                Ok(_) => answer(ctx, query, &locale.text("chat-left"), false).await,
                Err(err) => refuse_queue(ctx, query, locale, err).await,
            }
        }
        Action::Pick { topic } => match ctx
            .write(user, |uow| {
                Box::pin(crate::topics::service::pick(uow, topic))
            })
            .await
        {
            Ok(picked) => {
                let text =
                    locale.text_with("chat-picked", &Args::new().plain("title", &picked.title));
                answer(ctx, query, &text, false).await
            }
            Err(err) => {
                let alert = matches!(
                    err,
                    TopicError::NotFound
                        | TopicError::Access(crate::members::service::AccessError::NotInGroup)
                );
                if alert {
                    return answer(ctx, query, &locale.text("chat-not-member"), true).await;
                }
                if matches!(err, TopicError::Full { .. }) {
                    // Someone was faster: make sure the message stops offering the topic.
                    if let Some(list) = service::list_of_topic(&ctx.db, topic).await? {
                        live::touch(ctx, LiveKind::Topics, list).await;
                    }
                }
                let text = err.user_message(locale)?;
                answer(ctx, query, &text, false).await
            }
        },
        Action::Publish { .. } => {
            answer(ctx, query, &locale.text("callback-outdated"), false).await
        }
    }
}

/// What is shown to the whole chat stays in the chat's language (the presser's choice would
/// switch it for everyone): the bot's default.
fn chat_locale(_presser: Locale) -> Locale {
    live::chat_locale()
}

async fn refuse_queue(
    ctx: &Ctx,
    query: &CallbackQuery,
    locale: Locale,
    err: QueueError,
) -> HandlerResult {
    let outsider = matches!(
        err,
        QueueError::NotFound | QueueError::Access(crate::members::service::AccessError::NotInGroup)
    );
    if outsider {
        return answer(ctx, query, &locale.text("chat-not-member"), true).await;
    }
    let text = err.user_message(locale)?;
    answer(ctx, query, &text, false).await
}

/// A refused binding action, told to the presser alone.
async fn refuse(ctx: &Ctx, query: &CallbackQuery, locale: Locale, err: ChatError) -> HandlerResult {
    let text = match err {
        ChatError::Access(_) => locale.text("chat-bind-only-leader"),
        err => err.user_message(locale)?,
    };
    answer(ctx, query, &text, true).await
}

/// Edits the pressed message (in the chat) into `text` with `keyboard`.
async fn show_here(
    ctx: &Ctx,
    query: &CallbackQuery,
    chat: i64,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> HandlerResult {
    let target = Target::of_query(query, ChatId(chat));
    screen::show(ctx, target, text, keyboard).await
}

async fn on_bind(
    ctx: &Ctx,
    me: &Me,
    query: &CallbackQuery,
    locale: Locale,
    chat: i64,
) -> HandlerResult {
    // The bot may have been removed while the button stayed visible.
    let present = ctx
        .api
        .call(GetChatMember::new(ChatId(chat), me.id))
        .await
        .map(|member| member.is_present());
    match present {
        Ok(true) => {}
        Ok(false) | Err(teloxide::RequestError::Api(_)) => {
            return refuse(ctx, query, locale, ChatError::BotNotInChat).await;
        }
        Err(err) => {
            // The pipeline reports it; stop the presser's spinner here.
            let _ = answer(ctx, query, &locale.text("error-temporary"), false).await;
            return Err(err.into());
        }
    }
    let title = query
        .message
        .as_ref()
        .and_then(|m| m.chat().title().map(str::to_owned))
        .unwrap_or_default();
    let bound = ctx
        .write(user_id(&query.from), |uow| {
            Box::pin(service::bind(uow, chat, &title))
        })
        .await;
    show_binding(ctx, query, locale, chat, bound, "chat-bound-toast").await
}

/// After a leader's press in the chat: the binding screen for everyone there and `toast` for
/// the presser, or the refusal for the presser alone.
async fn show_binding(
    ctx: &Ctx,
    query: &CallbackQuery,
    locale: Locale,
    chat: i64,
    changed: Result<Binding, ChatError>,
    toast: &str,
) -> HandlerResult {
    match changed {
        Ok(binding) => {
            let (text, keyboard) = render::binding(chat_locale(locale), &binding);
            show_here(ctx, query, chat, &text, keyboard).await?;
            answer(ctx, query, &locale.text(toast), false).await
        }
        Err(err) => refuse(ctx, query, locale, err).await,
    }
}

// ----- private chat: publishing -------------------------------------------------------------

async fn on_private_action(ctx: &Ctx, session: &Session, _: Target, action: Action) -> Flow {
    let locale = session.locale;
    match action {
        Action::Publish { kind, target } => {
            let chat = publish(ctx, session.user_id, kind, target).await?;
            let args = Args::new().plain("chat", &chat);
            Ok(Some(kit::toast(&locale.text_with("chat-published", &args))))
        }
        // Chat buttons have no meaning in a private chat.
        _ => kit::outdated(locale),
    }
}

/// Posts `target`'s live message to the group's chat; returns the chat's title.
async fn publish(ctx: &Ctx, user: i64, kind: LiveKind, target: Uuid) -> Result<String, Stop> {
    let (_, chat) = live_rules::may_publish(&ctx.db, user, kind, target).await?;
    let Some((text, keyboard)) = live::render_now(ctx, kind, target).await? else {
        return Err(ChatError::TargetNotFound.into());
    };
    // A group chat takes 20 messages a minute: the post waits for its turn.
    ctx.notifier.limiter().acquire(chat).await;
    let markup = ReplyMarkup::InlineKeyboard(keyboard.clone());
    let sent = ctx
        .api
        .call(Api::html_message(ChatId(chat), &text, Some(markup)))
        .await;
    let message = match sent {
        Ok(message) => message,
        Err(teloxide::RequestError::MigrateToChatId(to)) => {
            // The binding follows the chat; publishing again goes to the supergroup.
            migrated(ctx, chat, to.0).await?;
            return Err(ChatError::NotBound.into());
        }
        Err(teloxide::RequestError::Api(
            teloxide::ApiError::BotKicked
            | teloxide::ApiError::BotKickedFromSupergroup
            | teloxide::ApiError::ChatNotFound,
        )) => {
            bot_removed(ctx, chat, None).await?;
            return Err(ChatError::BotNotInChat.into());
        }
        Err(err) => return Err(err.into()),
    };
    let message_id = message.id.0;
    let live_id = ctx
        .write(user, |uow| {
            Box::pin(live_rules::add_live_message(
                uow, chat, message_id, kind, target,
            ))
        })
        .await?;
    live::posted(live_id, &text, &keyboard);
    let title = service::binding_of_chat(&ctx.db, chat)
        .await?
        .map(|b| b.title)
        .unwrap_or_default();
    Ok(title)
}
