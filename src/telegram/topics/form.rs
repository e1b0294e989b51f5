//! The topic-list forms: attach a list to an event (title, capacity, topics) and add topics to
//! a list (typed, or as a `.txt` document). The steps are stored in the user's dialogue between
//! messages; each carries what the earlier steps collected, already validated, and nothing
//! reaches the database before the last step.

use crate::events::DeadlineAt;
use crate::topics::preferences::{self, Choices};
use serde::{Deserialize, Serialize};
use teloxide::payloads::GetFile;
use teloxide::prelude::*;
use teloxide::types::Document;
use uuid::Uuid;

use super::screens::{Here, show_browser};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Flow, Stop, say};
use crate::telegram::screen::Target;
use crate::telegram::{Args, Ctx, HandlerResult, Session, common, keyboards as menus};
use crate::topics::input::{
    Capacity, DocumentError, ListTitle, MAX_DOCUMENT_BYTES, TopicLines, document_text,
};
use crate::topics::reads;
use crate::topics::service::{self, NewList, TopicError};

/// Where a user is in a topic-list form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum TopicForm {
    /// Attaching a topic list to `event`: waiting for its title.
    Title { event: Uuid },
    /// … the maximum number of students per topic.
    Capacity { event: Uuid, title: ListTitle },
    /// … the topics (a message, one per line, or a `.txt` document).
    Topics {
        event: Uuid,
        title: ListTitle,
        capacity: Capacity,
    },
    /// Adding topics to an existing list: waiting for them.
    AddTopics { list: Uuid },
    /// Setting a list to collect rankings: waiting for «N ДД.ММ ЧЧ:ММ».
    Preferences { list: Uuid },
}

impl TopicForm {
    /// The step takes topics (so a document is welcome).
    pub fn wants_topics(&self) -> bool {
        matches!(self, TopicForm::Topics { .. } | TopicForm::AddTopics { .. })
    }
}

async fn save_form(ctx: &Ctx, session: &Session, form: TopicForm) -> Result<(), Stop> {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Topics(form)).await?;
    Ok(())
}

/// Explains a refused input; the step stays.
async fn explain(ctx: &Ctx, session: &Session, err: impl UserFacing) -> Flow {
    let text = err.user_message(session.locale)?;
    say(ctx, session, &text, None).await
}

/// Starts `form` by asking `text` (with «❌ Отмена»).
async fn ask(ctx: &Ctx, session: &Session, form: TopicForm, text: &str) -> Flow {
    save_form(ctx, session, form).await?;
    say(ctx, session, text, Some(menus::cancel_only(session.locale))).await
}

/// «➕ Список тем» on an event: asks for the list's title.
pub(super) async fn start_list(ctx: &Ctx, session: &Session, event: Uuid) -> Flow {
    let stored = reads::may_create(&ctx.db, session.user_id, event).await?;
    let args = Args::new()
        .user("event", &stored.title)
        .num("max", ListTitle::MAX_CHARS as i64);
    let text = session.locale.text_with("topics-ask-title", &args);
    ask(ctx, session, TopicForm::Title { event }, &text).await
}

/// «➕ Добавить темы»: asks for the topics to add.
pub(super) async fn start_adding(ctx: &Ctx, session: &Session, list: Uuid) -> Flow {
    let stored = reads::editable(&ctx.db, session.user_id, list).await?;
    let args = Args::new()
        .user("title", &stored.title)
        .num("max", TopicLines::MAX_TOPICS as i64)
        .num("chars", TopicLines::MAX_CHARS as i64);
    let text = session.locale.text_with("topics-ask-more", &args);
    ask(ctx, session, TopicForm::AddTopics { list }, &text).await
}

/// «🗳 По предпочтениям»: asks for the number of choices and the deadline.
pub(super) async fn start_preferences(ctx: &Ctx, session: &Session, list: Uuid) -> Flow {
    let stored = reads::editable(&ctx.db, session.user_id, list).await?;
    let zone = preferences::zone(&ctx.db, session.user_id).await?;
    let args = Args::new()
        .user("title", &stored.title)
        .num("min", i64::from(Choices::MIN))
        .num("max", i64::from(Choices::MAX))
        .user("zone", zone.tz().name());
    let text = session.locale.text_with("topics-ask-preferences", &args);
    ask(ctx, session, TopicForm::Preferences { list }, &text).await
}

/// A message while the user is in a topic-list form.
pub(super) async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: TopicForm,
) -> HandlerResult {
    match step(&ctx, &session, &message, form).await {
        Ok(_) => Ok(()),
        Err(Stop::Refused(refusal)) => {
            // The form cannot go on (the role changed, the event or list is gone): leave it.
            let text = refusal.message(session.locale)?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            let mut session = session.clone();
            session.dialogue = Dialogue::Idle;
            session.membership =
                crate::members::service::membership(&ctx.db, session.user_id).await?;
            common::show_menu_with(&ctx, &session, &text).await
        }
        Err(Stop::Failed(err)) => Err(err),
    }
}

/// The text of the answer: typed, or — where topics are wanted — a `.txt` document.
async fn answer_text(
    ctx: &Ctx,
    message: &Message,
    form: &TopicForm,
) -> Result<Option<Result<String, DocumentError>>, Stop> {
    Ok(match (message.text(), message.document()) {
        (Some(text), _) => Some(Ok(text.to_owned())),
        (None, Some(document)) if form.wants_topics() => Some(read_document(ctx, document).await?),
        (None, _) => None,
    })
}

async fn step(ctx: &Ctx, session: &Session, message: &Message, form: TopicForm) -> Flow {
    let locale = session.locale;
    let text = match answer_text(ctx, message, &form).await? {
        Some(Ok(text)) => text,
        Some(Err(err)) => return explain(ctx, session, err).await,
        None => return say(ctx, session, &locale.text("topics-not-text"), None).await,
    };
    match form {
        TopicForm::Title { event } => match ListTitle::parse(&text) {
            Ok(title) => {
                save_form(ctx, session, TopicForm::Capacity { event, title }).await?;
                let text = locale.text_with(
                    "topics-ask-capacity",
                    &Args::new()
                        .num("min", i64::from(Capacity::MIN))
                        .num("max", i64::from(Capacity::MAX)),
                );
                say(ctx, session, &text, None).await
            }
            Err(err) => explain(ctx, session, err).await,
        },
        TopicForm::Capacity { event, title } => match Capacity::parse(&text) {
            Ok(capacity) => {
                let next = TopicForm::Topics {
                    event,
                    title,
                    capacity,
                };
                save_form(ctx, session, next).await?;
                let text = locale.text_with(
                    "topics-ask-topics",
                    &Args::new()
                        .num("max", TopicLines::MAX_TOPICS as i64)
                        .num("chars", TopicLines::MAX_CHARS as i64)
                        .num("kib", (MAX_DOCUMENT_BYTES / 1024) as i64),
                );
                say(ctx, session, &text, None).await
            }
            Err(err) => explain(ctx, session, err).await,
        },
        TopicForm::Topics {
            event,
            title,
            capacity,
        } => {
            let new = match TopicLines::parse(&text) {
                Ok(lines) => NewList {
                    title,
                    capacity,
                    lines,
                },
                Err(err) => return explain(ctx, session, err).await,
            };
            let list = ctx
                .write(session.user_id, |uow| {
                    Box::pin(service::create_list(uow, event, &new))
                })
                .await?;
            let text = locale.text_with(
                "topics-created",
                &Args::new()
                    .user("title", &list.title)
                    .num("count", new.lines.len() as i64),
            );
            finish_form(ctx, session, &text, list.id).await
        }
        TopicForm::Preferences { list } => {
            let zone = preferences::zone(&ctx.db, session.user_id).await?;
            let now = ctx.notifier.now();
            let (number, moment) = text
                .trim()
                .split_once(char::is_whitespace)
                .unwrap_or((&text, ""));
            let Some(choices) = number.parse().ok().and_then(Choices::new) else {
                let args = Args::new()
                    .num("min", i64::from(Choices::MIN))
                    .num("max", i64::from(Choices::MAX));
                let text = locale.text_with("topics-preferences-invalid", &args);
                return say(ctx, session, &text, None).await;
            };
            let deadline = match DeadlineAt::parse(moment, now, zone.tz()) {
                Ok(at) => at.utc(),
                Err(err) => return explain(ctx, session, err).await,
            };
            ctx.write(session.user_id, |uow| {
                Box::pin(preferences::set_by_preference(uow, list, choices, deadline))
            })
            .await?;
            let text = locale.text("topics-preferences-set");
            finish_form(ctx, session, &text, list).await
        }
        TopicForm::AddTopics { list } => {
            let lines = match TopicLines::parse(&text) {
                Ok(lines) => lines,
                Err(err) => return explain(ctx, session, err).await,
            };
            let added = ctx
                .write(session.user_id, |uow| {
                    Box::pin(service::add_topics(uow, list, &lines))
                })
                .await;
            match added {
                Ok((stored, total)) => {
                    let text = locale.text_with(
                        "topics-added",
                        &Args::new()
                            .user("title", &stored.title)
                            .num("count", lines.len() as i64)
                            .num("total", total as i64),
                    );
                    finish_form(ctx, session, &text, list).await
                }
                Err(err @ (TopicError::Duplicates(_) | TopicError::TooManyTopics { .. })) => {
                    explain(ctx, session, err).await
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// The form is done: back to the main menu, and the list's browser as a new message.
async fn finish_form(ctx: &Ctx, session: &Session, text: &str, list: Uuid) -> Flow {
    dialogue::clear(&ctx.db, session.user_id).await?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, text).await?;
    let target = Target::New(session.chat);
    let here = Here {
        ctx,
        session: &session,
        target,
    };
    show_browser(here, list, 0).await
}

/// Downloads a `.txt` document (refusing big ones before downloading) and decodes it. A
/// download that fails is reported as a refusal the user may retry.
async fn read_document(
    ctx: &Ctx,
    document: &Document,
) -> Result<Result<String, DocumentError>, Stop> {
    let size = document.file.size as usize;
    if size > MAX_DOCUMENT_BYTES {
        return Ok(Err(DocumentError::TooBig {
            max_kib: MAX_DOCUMENT_BYTES / 1024,
        }));
    }
    let file = ctx.api.call(GetFile::new(document.file.id.clone())).await?;
    match ctx.api.download(&file.path, MAX_DOCUMENT_BYTES).await {
        Ok(bytes) => Ok(document_text(&bytes)),
        Err(err) => {
            tracing::warn!(%err, "could not download a topics document");
            Ok(Err(DocumentError::Download))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::Dialogue;

    #[test]
    fn every_step_survives_the_database() {
        let title = ListTitle::parse("Доклады").expect("valid");
        let capacity = Capacity::parse("2").expect("valid");
        let event = Uuid::new_v4();
        let steps = [
            TopicForm::Title { event },
            TopicForm::Capacity {
                event,
                title: title.clone(),
            },
            TopicForm::Topics {
                event,
                title,
                capacity,
            },
            TopicForm::AddTopics {
                list: Uuid::new_v4(),
            },
            TopicForm::Preferences {
                list: Uuid::new_v4(),
            },
        ];
        crate::telegram::dialogue::assert_round_trips(steps.map(Dialogue::Topics));
    }

    #[test]
    fn tampered_state_does_not_load() {
        let json = serde_json::json!({
            "step": "topics", "form": "topics", "event": Uuid::nil(), "title": "x", "capacity": 0
        });
        assert!(serde_json::from_value::<Dialogue>(json).is_err());
    }
}
