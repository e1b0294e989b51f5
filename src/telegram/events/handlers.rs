//! The Telegram side of events: «📅 События и Бронь» and /calendar, the day and upcoming lists,
//! /deadlines, event cards and their management, and the forms (in `steps`).
//!
//! Navigation edits the pressed message in place; every callback query is answered (a refusal
//! or an outdated button with a toast). Form steps typed as text get new messages.

use teloxide::prelude::*;

use super::action::Action;
use super::form::{EventForm, Field};
use super::steps::{self, Input};
use super::{keyboards, render, screens};
use crate::events::calendar::Month;
use crate::events::service::{self, Edit};
use crate::telegram::dialogue::Dialogue;
use crate::telegram::kit::{self, Flow, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, MenuButton, Session, common};

/// Messages: the steps of the event forms, then «📅 События и Бронь».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter_map(|session: Session| match session.dialogue {
                Dialogue::Event(form) => Some(form),
                _ => None,
            })
            .endpoint(on_form_message),
        )
        .branch(kit::menu_button(MenuButton::Events).endpoint(on_events_button))
}

/// Inline buttons with prefix `e`.
pub fn callbacks() -> Branch {
    kit::form_buttons::<Action>(
        |ctx, session, target, action| Box::pin(run_action(ctx, session, target, action)),
        |session, action| is_form_action(*action) && matches!(session.dialogue, Dialogue::Event(_)),
        |ctx, session, text| Box::pin(leave_with(ctx, session, text)),
    )
}

/// `/calendar`.
pub async fn on_calendar_command(ctx: Ctx, session: Session) -> HandlerResult {
    on_events_button(ctx, session).await
}

/// `/deadlines`.
pub async fn on_deadlines_command(ctx: Ctx, session: Session) -> HandlerResult {
    let target = Target::New(session.chat);
    let flow = screens::deadlines(&ctx, &session, target, 0).await;
    finish_message(&ctx, &session, flow).await
}

/// «📅 События и Бронь»: the calendar at the current month.
async fn on_events_button(ctx: Ctx, session: Session) -> HandlerResult {
    let target = Target::New(session.chat);
    let flow = screens::calendar(&ctx, &session, target, None).await;
    finish_message(&ctx, &session, flow).await
}

async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: EventForm,
) -> HandlerResult {
    let flow = match message.text() {
        Some(text) => {
            let target = Target::New(session.chat);
            steps::step(&ctx, &session, target, form, Input::of(text)).await
        }
        None => say(&ctx, &session, &session.locale.text("event-not-text"), None).await,
    };
    finish_message(&ctx, &session, flow).await
}

/// Whether the user is in a event form.
fn in_form(dialogue: &Dialogue) -> bool {
    matches!(dialogue, Dialogue::Event(_))
}

/// The end of a message handler: a refusal leaves any event form and shows the menu.
async fn finish_message(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    common::finish_form_message(ctx, session, flow, in_form).await
}

/// Tells the user `text`, ends the event form they are in, and shows the menu.
async fn leave_with(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    common::leave_form_with(ctx, session, text, in_form).await
}

// ----- inline buttons -----------------------------------------------------------------------

/// Buttons that belong to a form step.
fn is_form_action(action: Action) -> bool {
    matches!(
        action,
        Action::Skip
            | Action::PickMonth { .. }
            | Action::PickDay { .. }
            | Action::ConfirmPast { .. }
            | Action::Important { .. }
            | Action::Save
            | Action::Cancel
    )
}

async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let form = match &session.dialogue {
        Dialogue::Event(form) => Some(form.clone()),
        _ => None,
    };
    match action {
        Action::Noop => Ok(None),
        Action::Month { month } => screens::calendar(ctx, session, target, Some(month)).await,
        Action::Day { date, from } => screens::day(ctx, session, target, date, from).await,
        Action::Upcoming { from } => screens::upcoming(ctx, session, target, from).await,
        Action::Deadlines { from } => screens::deadlines(ctx, session, target, from).await,
        Action::Open { event } => screens::card(ctx, session, target, event).await,
        Action::New => {
            service::may_create(&ctx.db, session.user_id).await?;
            steps::ask_title(ctx, session).await
        }
        action if is_form_action(action) => form_button(ctx, session, target, form, action).await,
        Action::Edit { event, field } => steps::ask_edit(ctx, session, event, field).await,
        Action::AddDeadline { event } => steps::ask_deadline(ctx, session, event).await,
        other => manage(ctx, session, target, other).await,
    }
}

/// A button of a form step: outdated unless the user is at a step it belongs to.
async fn form_button(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: Option<EventForm>,
    action: Action,
) -> Flow {
    let locale = session.locale;
    let Some(form) = form else {
        return outdated(locale);
    };
    match (action, form) {
        (
            Action::Skip,
            form @ (EventForm::Subject { .. }
            | EventForm::Description { .. }
            | EventForm::Edit {
                field: Field::Subject | Field::Description,
                ..
            }),
        ) => steps::step(ctx, session, target, form, Input::Skip).await,
        (Action::PickMonth { month }, form) if form.wants_date() => {
            screens::date_picker(ctx, session, target, &form, Some(month)).await
        }
        (Action::PickDay { date }, form) if form.wants_date() => {
            let viewer = session.viewer()?;
            let in_past = date < viewer.today(ctx.notifier.now());
            steps::take_date(ctx, session, target, form, date, in_past).await
        }
        (
            Action::ConfirmPast { yes },
            form @ (EventForm::PastDate { .. } | EventForm::EditPastDate { .. }),
        )
        | (Action::Important { yes }, form @ EventForm::Important { .. }) => {
            steps::step(ctx, session, target, form, Input::Answer(yes)).await
        }
        (Action::Save, EventForm::Summary { event }) => {
            steps::save(ctx, session, target, event).await
        }
        (Action::Cancel, _) => kit::cancel_form(ctx, session, target).await,
        _ => outdated(locale),
    }
}

/// The management buttons of an event card (leader and assistants; the service checks).
async fn manage(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::SetImportant { event, yes } => {
            let edit = Edit::Important(yes);
            ctx.write(user, |uow| Box::pin(service::edit(uow, event, &edit)))
                .await?;
            screens::card(ctx, session, target, event).await?;
            Ok(Some(locale.text("event-saved-toast")))
        }
        Action::Delete { event } => {
            let stored = service::editable(&ctx.db, user, event).await?;
            let text = locale.text_with(
                "event-delete-confirm",
                &Args::new()
                    .user("title", &stored.title)
                    .user("date", &render::format_date(stored.event_date)),
            );
            let keyboard = keyboards::delete_confirmation(locale, event);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::DeleteConfirmed { event } => {
            let deleted = ctx
                .write(user, |uow| Box::pin(service::delete(uow, event)))
                .await?;
            let month = Some(Month::of(deleted.date));
            screens::calendar(ctx, session, target, month).await?;
            Ok(Some(locale.text("event-deleted-toast")))
        }
        Action::EventDeadlines { event } => {
            service::editable(&ctx.db, user, event).await?;
            let card = screens::open(ctx, session, event).await?;
            let id = if card.deadlines.is_empty() {
                "deadline-remove-none"
            } else {
                "deadline-remove-title"
            };
            let keyboard =
                keyboards::remove_deadline(locale, event, &card.deadlines, card.viewer.tz);
            screen::show(ctx, target, &locale.text(id), keyboard).await?;
            Ok(None)
        }
        Action::RemoveDeadline { deadline } => {
            let removed = ctx
                .write(user, |uow| {
                    Box::pin(service::remove_deadline(uow, deadline))
                })
                .await?;
            screens::card(ctx, session, target, removed.event_id).await?;
            Ok(Some(locale.text("deadline-removed-toast")))
        }
        // The navigation and form buttons are handled in `run_action`.
        _ => outdated(locale),
    }
}

/// `/start ev_<id>` (the link under a new event in the group's chat): the event's card, or
/// the refusal with the menu (not a member, another group's event, a deleted one).
pub async fn on_event_link(ctx: Ctx, session: Session, event: uuid::Uuid) -> HandlerResult {
    let target = Target::New(session.chat);
    match screens::card(&ctx, &session, target, event).await {
        Ok(_) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            crate::telegram::common::show_menu_with(&ctx, &session, &text).await
        }
    }
}
