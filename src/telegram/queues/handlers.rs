//! The Telegram side of queues: the queue screen, joining and leaving, running the queue; the
//! forms' steps are in `steps.rs`, the CSV export in `export.rs`.
//!
//! Navigation edits the pressed message in place; every callback query is answered, outcomes
//! with a short toast. Form steps typed as text get new messages.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use uuid::Uuid;

pub use super::action::Action;
use super::form::{Field, QueueForm};
use super::render;
use super::steps::{self, Input, save_form};
use crate::queues::fair;
use crate::queues::service::{self, QueueError, QueueView};
use crate::queues::text::{LotteryMinutes, MaxParticipants, QueueDescription, QueueTitle};
use crate::telegram::callback;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{self, Flow, Stop, inline, outdated, say, toast};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Session, common};

/// Messages: the steps of the queue forms.
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter_map(|session: Session| match session.dialogue {
                Dialogue::Queue(form) => Some(form),
                _ => None,
            })
            .endpoint(steps::on_form_message),
        )
        .branch(super::mine::branch())
}

/// Inline buttons with prefix `q`.
pub fn callbacks() -> Branch {
    let export = |action: Action| match action {
        Action::Export { queue } => Some(Export(queue)),
        _ => None,
    };
    let on_export = |ctx: Ctx, session: Session, query: CallbackQuery, Export(queue): Export| async move {
        super::export::on_export(&ctx, &session, &query, queue).await
    };
    dptree::entry()
        .branch(
            callback::filter::<Action>()
                .filter_map(export)
                .endpoint(on_export),
        )
        .branch(kit::form_buttons::<Action>(
            |ctx, session, target, action| Box::pin(run_action(ctx, session, target, action)),
            |session, action| {
                matches!(action, Action::Skip | Action::MoveTo { .. })
                    && matches!(session.dialogue, Dialogue::Queue(_))
            },
            |ctx, session, text| Box::pin(leave_form_with(ctx, session, text)),
        ))
}

/// «📄 CSV» of a queue: sent as a document, the press answered by the export.
#[derive(Clone)]
struct Export(Uuid);

/// Ends the queue form the user is in (if any) and shows the menu with `text`.
pub(super) async fn leave_form_with(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    let mut session = session.clone();
    if matches!(session.dialogue, Dialogue::Queue(_)) {
        dialogue::clear(&ctx.db, session.user_id).await?;
        session.dialogue = Dialogue::Idle;
    }
    session.membership = crate::members::service::membership(&ctx.db, session.user_id).await?;
    common::show_menu_with(ctx, &session, text).await
}

// ----- screens ------------------------------------------------------------------------------

pub(super) async fn show_view(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    queue: Uuid,
) -> Result<QueueView, Stop> {
    let view = service::view(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
    show(ctx, session, target, &view).await?;
    Ok(view)
}

/// Shows `view` (already read); a student standing in the queue keeps this screen current
/// (`screens`).
async fn show(ctx: &Ctx, session: &Session, target: Target, view: &QueueView) -> Result<(), Stop> {
    let locale = session.locale;
    let text = render::view_text(locale, view);
    let keyboard = crate::telegram::miniapp::with_open_button(
        ctx,
        &target,
        locale,
        render::view_keyboard(locale, view),
    );
    let fingerprint = screen::screen_fingerprint(&text, &keyboard);
    let at = screen::show_at(ctx, target, &text, keyboard).await?;
    let user = session.user_id;
    let standing = view.participants.iter().any(|p| p.user_id == user);
    super::screens::shown(ctx, user, view.queue.id, standing, at, fingerprint).await?;
    Ok(())
}

/// Shows the queue again and answers with `toast`.
async fn refreshed(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    queue: Uuid,
    toast: String,
) -> Flow {
    show_view(ctx, session, target, queue).await?;
    Ok(Some(toast))
}

/// Shows the queue again after a change: with its toast, or with the refusal as a toast when
/// it is one the fresh queue explains (`shown`: already in it, full, empty…).
async fn refreshed_after(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    queue: Uuid,
    outcome: Result<String, QueueError>,
    shown: impl Fn(&QueueError) -> bool,
) -> Flow {
    let toast = match outcome {
        Ok(toast) => toast,
        Err(err) if shown(&err) => toast(&err.user_message(session.locale)?),
        Err(err) => return Err(err.into()),
    };
    refreshed(ctx, session, target, queue, toast).await
}

// ----- inline buttons -----------------------------------------------------------------------

/// Asks `question` about the queue (its title and number of participants), with the button
/// `yes` (its text id and action) and a way back.
async fn confirm(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    queue: Uuid,
    question: &str,
    (yes, action): (&str, Action),
) -> Flow {
    let locale = session.locale;
    let view = service::manageable(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
    let args = Args::new()
        .user("title", &render::title(locale, &view.queue.title))
        .num("count", view.participants.len() as i64);
    let text = locale.text_with(question, &args);
    let keyboard = render::confirmation(locale, yes, action, queue);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

fn queue_form(session: &Session) -> Option<QueueForm> {
    match &session.dialogue {
        Dialogue::Queue(form) => Some(form.clone()),
        _ => None,
    }
}

async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Open { queue } | Action::Refresh { queue } => {
            let now = ctx.notifier.now();
            let view = service::view(&ctx.db, &session.viewer()?, queue, now).await?;
            if view.draw_at.is_some_and(|at| at <= now) {
                // The lottery's moment has passed and nobody has pressed since: draw now,
                // then show the drawn order.
                ctx.write(user, |uow| Box::pin(fair::settle(uow, queue)))
                    .await?;
                show_view(ctx, session, target, queue).await?;
            } else {
                show(ctx, session, target, &view).await?;
            }
            Ok(None)
        }
        Action::Create { event } => {
            let title = service::may_attach(&ctx.db, user, event).await?;
            save_form(ctx, session, &QueueForm::Title { event }).await?;
            let text = locale.text_with(
                "queue-ask-title",
                &Args::new()
                    .user("event", &title)
                    .num("max", QueueTitle::MAX_CHARS as i64),
            );
            let keyboard = render::form_step(locale, Some("queue-btn-default-title"));
            say(ctx, session, &text, inline(keyboard)).await
        }
        Action::Join { queue } => {
            let joined = ctx
                .write(user, |uow| Box::pin(service::join(uow, queue)))
                .await;
            let tz = session.viewer()?.tz;
            let toast = match joined {
                Ok(service::Joined {
                    draw_at: Some(at), ..
                }) => {
                    let args = Args::new().plain("at", &render::local_time(at, tz));
                    Ok(locale.text_with("queue-joined-lottery-toast", &args))
                }
                Ok(joined) => {
                    let args = Args::new().num("position", i64::from(joined.position));
                    Ok(locale.text_with("queue-joined-toast", &args))
                }
                Err(QueueError::NotYetOpen { opens_at }) => {
                    // The screen already says when it opens: only the toast.
                    let args = Args::new().plain("at", &render::local_time(opens_at, tz));
                    return Ok(Some(locale.text_with("queue-not-yet-open-toast", &args)));
                }
                Err(err) => Err(err),
            };
            let shown = |err: &QueueError| {
                matches!(
                    err,
                    QueueError::AlreadyIn { .. } | QueueError::Full { .. } | QueueError::Closed
                )
            };
            refreshed_after(ctx, session, target, queue, toast, shown).await
        }
        Action::Leave { queue } => {
            let left = ctx
                .write(user, |uow| Box::pin(service::leave(uow, queue)))
                .await;
            let toast = left.map(|departure| {
                let args = Args::new().num("position", i64::from(departure.position));
                locale.text_with("queue-left-toast", &args)
            });
            let shown = |err: &QueueError| matches!(err, QueueError::NotIn);
            refreshed_after(ctx, session, target, queue, toast, shown).await
        }
        Action::Next { queue } => {
            let next = ctx
                .write(user, |uow| Box::pin(fair::next(uow, queue)))
                .await;
            let toast = next.map(|departure| {
                let args = Args::new().plain("name", &departure.name);
                locale.text_with("queue-next-toast", &args)
            });
            let shown = |err: &QueueError| matches!(err, QueueError::Empty);
            refreshed_after(ctx, session, target, queue, toast, shown).await
        }
        Action::Away { queue, away } => {
            let marked = ctx
                .write(user, |uow| Box::pin(fair::set_away(uow, queue, away)))
                .await;
            let id = if away {
                "queue-away-toast"
            } else {
                "queue-back-toast"
            };
            let toast = marked.map(|position| {
                locale.text_with(id, &Args::new().num("position", i64::from(position)))
            });
            let shown = |err: &QueueError| matches!(err, QueueError::NotIn);
            refreshed_after(ctx, session, target, queue, toast, shown).await
        }
        Action::NoShow { participant } => {
            let moved = ctx
                .write(user, |uow| Box::pin(fair::no_show(uow, participant, None)))
                .await?;
            let toast = locale.text_with(
                "queue-moved-toast",
                &Args::new()
                    .plain("name", &moved.name)
                    .num("position", i64::from(moved.to)),
            );
            if moved.from == moved.to {
                // Alone in the queue: nothing on the screen changed.
                return Ok(Some(toast));
            }
            refreshed(ctx, session, target, moved.queue.id, toast).await
        }
        Action::SwapList { queue, from } => {
            let view =
                service::view(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
            let others: Vec<_> = view
                .participants
                .iter()
                .filter(|p| p.user_id != user)
                .cloned()
                .collect();
            if view.own_position().is_none() || others.is_empty() {
                let toast = locale.text("queue-swap-nobody");
                return refreshed(ctx, session, target, queue, toast).await;
            }
            let from = (from as usize).min(others.len().saturating_sub(1));
            let text = locale.text_with(
                "queue-choose-swap",
                &Args::new().user("title", &render::title(locale, &view.queue.title)),
            );
            let choices = QueueView {
                participants: others,
                ..view
            };
            let keyboard = render::choose_participant(
                locale,
                &choices,
                from,
                |participant| Action::SwapAsk { participant },
                |from| Action::SwapList { queue, from },
            );
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::SwapAsk { participant } => {
            let asked = ctx
                .write(user, |uow| Box::pin(fair::ask_swap(uow, participant)))
                .await?;
            let queue = fair::participant_queue(&ctx.db, user, participant).await;
            let toast =
                locale.text_with("queue-swap-sent-toast", &Args::new().plain("name", &asked));
            match queue {
                Ok(queue) => refreshed(ctx, session, target, queue, toast).await,
                Err(_) => Ok(Some(toast)),
            }
        }
        Action::SwapShow { swap } => {
            let request = fair::swap_request(&ctx.db, user, swap).await?;
            let text = locale.text_with(
                "queue-swap-question",
                &Args::new()
                    .user("name", &request.from_name)
                    .user("title", &render::title(locale, &request.queue.title))
                    .num("theirs", i64::from(request.from_position))
                    .num("yours", i64::from(request.to_position)),
            );
            let keyboard = render::swap_answer(locale, request.id, request.queue.id);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::SwapAnswer { swap, accept } => {
            let request = fair::swap_request(&ctx.db, user, swap).await?;
            let outcome = ctx
                .write(user, |uow| Box::pin(fair::answer_swap(uow, swap, accept)))
                .await?;
            let toast = match outcome {
                fair::SwapOutcome::Swapped { position } => locale.text_with(
                    "queue-swap-done-toast",
                    &Args::new().num("position", i64::from(position)),
                ),
                fair::SwapOutcome::Declined => locale.text("queue-swap-declined-toast"),
                fair::SwapOutcome::Stale => locale.text("queue-swap-stale-toast"),
            };
            refreshed(ctx, session, target, request.queue.id, toast).await
        }
        Action::RemoveList { queue, from } | Action::MoveList { queue, from } => {
            let view =
                service::manageable(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
            if view.participants.is_empty() {
                return refreshed(
                    ctx,
                    session,
                    target,
                    queue,
                    locale.text("queue-empty-toast"),
                )
                .await;
            }
            let removing = matches!(action, Action::RemoveList { .. });
            let from = (from as usize).min(view.participants.len().saturating_sub(1));
            let id = if removing {
                "queue-choose-remove"
            } else {
                "queue-choose-move"
            };
            let text = locale.text_with(
                id,
                &Args::new().user("title", &render::title(locale, &view.queue.title)),
            );
            let keyboard = if removing {
                render::choose_participant(
                    locale,
                    &view,
                    from,
                    |participant| Action::Remove { participant },
                    |from| Action::RemoveList { queue, from },
                )
            } else {
                render::choose_participant(
                    locale,
                    &view,
                    from,
                    |participant| Action::MovePick {
                        participant,
                        from: 0,
                    },
                    |from| Action::MoveList { queue, from },
                )
            };
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::Remove { participant } => {
            let departure = ctx
                .write(user, |uow| Box::pin(service::remove(uow, participant)))
                .await?;
            let queue = departure.queue.id;
            let toast = locale.text_with(
                "queue-removed-toast",
                &Args::new().plain("name", &departure.name),
            );
            refreshed(ctx, session, target, queue, toast).await
        }
        Action::MovePick { participant, from } => {
            let found = service::move_target(&ctx.db, user, participant).await?;
            save_form(ctx, session, &QueueForm::MoveTo { participant }).await?;
            let from = (from as usize).min(usize::try_from(found.len - 1).unwrap_or(0));
            let text = locale.text_with(
                "queue-choose-position",
                &Args::new()
                    .user("name", &found.participant.name)
                    .num("position", i64::from(found.participant.position))
                    .num("count", i64::from(found.len)),
            );
            let keyboard = render::choose_position(
                locale,
                found.queue.id,
                &found.participant,
                found.len,
                from,
            );
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::MoveTo {
            participant,
            position,
        } => move_participant(ctx, session, target, participant, position).await,
        Action::SetClosed { queue, closed } => {
            ctx.write(user, |uow| {
                Box::pin(service::set_closed(uow, queue, closed))
            })
            .await?;
            let id = if closed {
                "queue-closed-toast"
            } else {
                "queue-opened-toast"
            };
            refreshed(ctx, session, target, queue, locale.text(id)).await
        }
        Action::Clear { queue } => {
            let yes = ("queue-btn-clear-yes", Action::ClearConfirmed { queue });
            confirm(ctx, session, target, queue, "queue-clear-confirm", yes).await
        }
        Action::ClearConfirmed { queue } => {
            let removed = ctx
                .write(user, |uow| Box::pin(service::clear(uow, queue)))
                .await?;
            let toast = locale.text_with(
                "queue-cleared-toast",
                &Args::new().num("count", i64::try_from(removed).unwrap_or(i64::MAX)),
            );
            refreshed(ctx, session, target, queue, toast).await
        }
        Action::EditMenu { queue } => {
            let view =
                service::manageable(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
            let text = locale.text_with(
                "queue-edit-menu",
                &Args::new().user("title", &render::title(locale, &view.queue.title)),
            );
            screen::show(ctx, target, &text, render::edit_menu(locale, queue)).await?;
            Ok(None)
        }
        Action::Edit { queue, field } => {
            let view =
                service::manageable(&ctx.db, &session.viewer()?, queue, ctx.notifier.now()).await?;
            save_form(ctx, session, &QueueForm::Edit { queue, field }).await?;
            let (text, skip) = match field {
                Field::Title => (
                    locale.text_with(
                        "queue-edit-ask-title",
                        &Args::new()
                            .user("current", &render::title(locale, &view.queue.title))
                            .num("max", QueueTitle::MAX_CHARS as i64),
                    ),
                    None,
                ),
                Field::Description => (
                    locale.text_with(
                        "queue-edit-ask-description",
                        &Args::new().num("max", QueueDescription::MAX_CHARS as i64),
                    ),
                    Some("queue-btn-remove-description"),
                ),
                Field::Max => (
                    locale.text_with(
                        "queue-edit-ask-max",
                        &Args::new()
                            .num("min", i64::from(MaxParticipants::MIN))
                            .num("max", i64::from(MaxParticipants::MAX)),
                    ),
                    Some("queue-btn-unlimited"),
                ),
                Field::Opening => {
                    let current = view.queue.opens_at.map_or_else(
                        || locale.text("queue-opening-none"),
                        |at| render::local_time(at, view.tz),
                    );
                    (
                        locale.text_with(
                            "queue-edit-ask-opening",
                            &Args::new()
                                .plain("current", &current)
                                .user("zone", view.tz.name()),
                        ),
                        Some("queue-btn-no-opening"),
                    )
                }
                Field::Lottery => (
                    locale.text_with(
                        "queue-edit-ask-lottery",
                        &Args::new()
                            .num("min", i64::from(LotteryMinutes::MIN))
                            .num("max", i64::from(LotteryMinutes::MAX)),
                    ),
                    Some("queue-btn-no-lottery"),
                ),
            };
            say(ctx, session, &text, inline(render::form_step(locale, skip))).await
        }
        Action::Delete { queue } => {
            let yes = ("queue-btn-delete-yes", Action::DeleteConfirmed { queue });
            confirm(ctx, session, target, queue, "queue-delete-confirm", yes).await
        }
        Action::DeleteConfirmed { queue } => {
            let deleted = ctx
                .write(user, |uow| Box::pin(service::delete(uow, queue)))
                .await?;
            let text = locale.text_with(
                "queue-deleted",
                &Args::new().user("title", &render::title(locale, &deleted.title)),
            );
            let keyboard =
                InlineKeyboardMarkup::new([vec![render::back_to_event(locale, deleted.event_id)]]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(Some(locale.text("queue-deleted-toast")))
        }
        // Answered in `on_action`, before the document is sent.
        Action::Export { .. } => Ok(None),
        Action::Mine => super::mine::show(ctx, session, target).await,
        Action::Skip => match queue_form(session) {
            Some(
                form @ (QueueForm::Title { .. }
                | QueueForm::Description { .. }
                | QueueForm::Max { .. }),
            ) => steps::step(ctx, session, form, Input::Skip).await,
            Some(
                form @ QueueForm::Edit {
                    field: Field::Description | Field::Max | Field::Opening | Field::Lottery,
                    ..
                },
            ) => steps::step(ctx, session, form, Input::Skip).await,
            _ => outdated(locale),
        },
        Action::Cancel => match queue_form(session) {
            Some(_) => kit::cancel_form(ctx, session, target).await,
            None => outdated(locale),
        },
    }
}

pub(super) async fn move_participant(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    participant: Uuid,
    position: i32,
) -> Flow {
    let locale = session.locale;
    let moved = ctx
        .write(session.user_id, |uow| {
            Box::pin(service::move_to(uow, participant, position))
        })
        .await?;
    if matches!(session.dialogue, Dialogue::Queue(QueueForm::MoveTo { .. })) {
        dialogue::clear(&ctx.db, session.user_id).await?;
    }
    let toast = locale.text_with(
        "queue-moved-toast",
        &Args::new()
            .plain("name", &moved.name)
            .num("position", i64::from(moved.to)),
    );
    refreshed(ctx, session, target, moved.queue.id, toast).await
}
