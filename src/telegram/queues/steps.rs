//! The queue forms' steps: a new queue's title, description and size; a field edited; a
//! participant moved to a typed position.

use teloxide::prelude::*;
use uuid::Uuid;

use super::form::{Field, QueueForm};
use super::handlers::{leave_form_with, move_participant, show_view};
use super::render;
use crate::events::DeadlineAt;
use crate::queues::service::{self, Edit, NewQueue};
use crate::queues::text::{
    LotteryMinutes, MaxParticipants, QueueDescription, QueueTitle, parse_position,
};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Flow, Stop, inline, say};
use crate::telegram::screen::Target;
use crate::telegram::{Args, Ctx, HandlerResult, Session, common};

/// What the user answered a step with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Input<'a> {
    Text(&'a str),
    /// `/skip` or the step's skip button.
    Skip,
}

impl<'a> Input<'a> {
    fn of(text: &'a str) -> Self {
        let command = text.trim();
        let command = command.split('@').next().unwrap_or(command);
        if command.eq_ignore_ascii_case("/skip") {
            Input::Skip
        } else {
            Input::Text(text)
        }
    }
}

pub(super) async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: QueueForm,
) -> HandlerResult {
    let flow = match message.text() {
        Some(text) => step(&ctx, &session, form, Input::of(text)).await,
        None => say(&ctx, &session, &session.locale.text("queue-not-text"), None).await,
    };
    match flow {
        Ok(_) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            leave_form_with(&ctx, &session, &text).await
        }
    }
}

pub(super) async fn save_form(ctx: &Ctx, session: &Session, form: &QueueForm) -> Result<(), Stop> {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Queue(form.clone())).await?;
    Ok(())
}

/// Explains a refused input; the step stays.
async fn explain(ctx: &Ctx, session: &Session, err: impl UserFacing) -> Flow {
    let text = err.user_message(session.locale)?;
    say(ctx, session, &text, None).await
}

/// One step of a form: validates the input, keeps the step with an explanation, or moves on.
pub(super) async fn step(ctx: &Ctx, session: &Session, form: QueueForm, input: Input<'_>) -> Flow {
    let locale = session.locale;
    match form {
        QueueForm::Title { event } => {
            let title = match input {
                Input::Skip => None,
                Input::Text(text) => match QueueTitle::parse(text) {
                    Ok(title) => Some(title),
                    Err(err) => return explain(ctx, session, err).await,
                },
            };
            save_form(ctx, session, &QueueForm::Description { event, title }).await?;
            let text = locale.text_with(
                "queue-ask-description",
                &Args::new().num("max", QueueDescription::MAX_CHARS as i64),
            );
            let keyboard = render::form_step(locale, Some("queue-btn-skip"));
            say(ctx, session, &text, inline(keyboard)).await
        }
        QueueForm::Description { event, title } => {
            let description = match input {
                Input::Skip => None,
                Input::Text(text) => match QueueDescription::parse(text) {
                    Ok(description) => Some(description),
                    Err(err) => return explain(ctx, session, err).await,
                },
            };
            save_form(
                ctx,
                session,
                &QueueForm::Max {
                    event,
                    title,
                    description,
                },
            )
            .await?;
            let text = locale.text_with(
                "queue-ask-max",
                &Args::new()
                    .num("min", i64::from(MaxParticipants::MIN))
                    .num("max", i64::from(MaxParticipants::MAX)),
            );
            let keyboard = render::form_step(locale, Some("queue-btn-unlimited"));
            say(ctx, session, &text, inline(keyboard)).await
        }
        QueueForm::Max {
            event,
            title,
            description,
        } => {
            let max = match input {
                Input::Skip => None,
                Input::Text(text) => match MaxParticipants::parse(text) {
                    Ok(max) => Some(max),
                    Err(err) => return explain(ctx, session, err).await,
                },
            };
            let new = NewQueue {
                title,
                description,
                max,
            };
            let queue = ctx
                .write(session.user_id, |uow| {
                    Box::pin(service::create(uow, event, &new))
                })
                .await?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            let title = render::title(locale, &queue.title);
            let text = locale.text_with("queue-created", &Args::new().user("title", &title));
            back_to_view(ctx, session, queue.id, &text).await
        }
        QueueForm::Edit { queue, field } => {
            let edit = match (field, input) {
                (Field::Title, Input::Text(text)) => match QueueTitle::parse(text) {
                    Ok(title) => Edit::Title(title),
                    Err(err) => return explain(ctx, session, err).await,
                },
                (Field::Title, Input::Skip) => {
                    return say(ctx, session, &locale.text("queue-skip-not-here"), None).await;
                }
                (Field::Description, Input::Skip) => Edit::Description(None),
                (Field::Description, Input::Text(text)) => match QueueDescription::parse(text) {
                    Ok(description) => Edit::Description(Some(description)),
                    Err(err) => return explain(ctx, session, err).await,
                },
                (Field::Max, Input::Skip) => Edit::Max(None),
                (Field::Max, Input::Text(text)) => match MaxParticipants::parse(text) {
                    Ok(max) => Edit::Max(Some(max)),
                    Err(err) => return explain(ctx, session, err).await,
                },
                (Field::Opening, Input::Skip) => Edit::Opening(None),
                (Field::Opening, Input::Text(text)) => {
                    let viewer = session.viewer()?;
                    let view =
                        service::manageable(&ctx.db, &viewer, queue, ctx.notifier.now()).await?;
                    match DeadlineAt::parse(text, ctx.notifier.now(), view.tz) {
                        Ok(at) => Edit::Opening(Some(at.utc())),
                        Err(err) => return explain(ctx, session, err).await,
                    }
                }
                (Field::Lottery, Input::Skip) => Edit::Lottery(None),
                (Field::Lottery, Input::Text(text)) => match LotteryMinutes::parse(text) {
                    Ok(minutes) => Edit::Lottery(Some(minutes)),
                    Err(err) => return explain(ctx, session, err).await,
                },
            };
            ctx.write(session.user_id, |uow| {
                Box::pin(service::edit(uow, queue, &edit))
            })
            .await?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            back_to_view(ctx, session, queue, &locale.text("queue-edited")).await
        }
        QueueForm::MoveTo { participant } => match input {
            Input::Skip => say(ctx, session, &locale.text("queue-skip-not-here"), None).await,
            Input::Text(text) => {
                let found = service::move_target(&ctx.db, session.user_id, participant).await?;
                match parse_position(text, found.len) {
                    Ok(position) => {
                        let target = Target::New(session.chat);
                        move_participant(ctx, session, target, participant, position).await?;
                        Ok(None)
                    }
                    Err(err) => explain(ctx, session, err).await,
                }
            }
        },
    }
}

/// After a form: `text` with the main menu, then the queue screen.
async fn back_to_view(ctx: &Ctx, session: &Session, queue: Uuid, text: &str) -> Flow {
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, text).await?;
    show_view(ctx, &session, Target::New(session.chat), queue).await?;
    Ok(None)
}
