//! The Telegram side of events: «📅 События и Бронь» and /calendar, the day and upcoming lists,
//! /deadlines, event cards, and the forms (create an event, edit a field, add a deadline).
//!
//! Navigation edits the pressed message in place; every callback query is answered (a refusal
//! or an outdated button with a toast). Form steps typed as text get new messages.

use chrono::{Datelike, NaiveDate, Utc};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, ReplyMarkup};
use uuid::Uuid;

use super::action::Action;
use super::form::{EventForm, Field};
use super::{keyboards, render};
use crate::events::calendar::Month;
use crate::events::date::EventDate;
use crate::events::deadline::DeadlineAt;
use crate::events::service::{self, Edit, EventError, NewEvent};
use crate::events::text::{DeadlineText, Description, EventTitle, Subject, TextInput};
use crate::notifications::{self, Note, Notice, Screen, Text};
use crate::telegram::callback;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerError, HandlerResult, Locale, MenuButton, Session, common,
    keyboards as menus, send,
};

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
        .branch(
            dptree::filter(|message: Message| {
                message.text().and_then(MenuButton::parse) == Some(MenuButton::Events)
            })
            .endpoint(on_events_button),
        )
}

/// Inline buttons with prefix `e`.
pub fn callbacks() -> Branch {
    callback::filter::<Action>().endpoint(on_action)
}

/// `/calendar`.
pub async fn on_calendar_command(ctx: Ctx, session: Session) -> HandlerResult {
    on_events_button(ctx, session).await
}

/// `/deadlines`.
pub async fn on_deadlines_command(ctx: Ctx, session: Session) -> HandlerResult {
    let target = Target::New(session.chat);
    let flow = show_deadlines(&ctx, &session, target, 0).await;
    finish_message(&ctx, &session, flow).await
}

/// «📅 События и Бронь»: the calendar at the current month.
async fn on_events_button(ctx: Ctx, session: Session) -> HandlerResult {
    let target = Target::New(session.chat);
    let flow = show_calendar(&ctx, &session, target, None).await;
    finish_message(&ctx, &session, flow).await
}

// ----- outcomes -----------------------------------------------------------------------------

/// Why handling stopped: a refusal the user is told about, or an infrastructure failure.
enum Stop {
    Refused(EventError),
    Failed(HandlerError),
}

impl From<EventError> for Stop {
    fn from(err: EventError) -> Self {
        Stop::Refused(err)
    }
}

impl From<HandlerError> for Stop {
    fn from(err: HandlerError) -> Self {
        Stop::Failed(err)
    }
}

impl From<sea_orm::DbErr> for Stop {
    fn from(err: sea_orm::DbErr) -> Self {
        Stop::Failed(err.into())
    }
}

impl From<teloxide::RequestError> for Stop {
    fn from(err: teloxide::RequestError) -> Self {
        Stop::Failed(err.into())
    }
}

/// `Ok(Some(toast))` answers a callback with a toast.
type Flow = Result<Option<String>, Stop>;

/// The end of a message handler: a refusal leaves any event form and shows the menu.
async fn finish_message(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    match flow {
        Ok(_) => Ok(()),
        Err(Stop::Refused(err)) => leave_with(ctx, session, err).await,
        Err(Stop::Failed(err)) => Err(err),
    }
}

/// Tells the user why, ends the event form they are in, and shows the menu for their role as
/// it is now.
async fn leave_with(ctx: &Ctx, session: &Session, err: EventError) -> HandlerResult {
    let text = err.user_message(session.locale)?;
    let mut session = session.clone();
    if matches!(session.dialogue, Dialogue::Event(_)) {
        dialogue::clear(&ctx.db, session.user_id).await?;
        session.dialogue = Dialogue::Idle;
    }
    session.membership = crate::members::service::membership(&ctx.db, session.user_id).await?;
    common::show_menu_with(ctx, &session, &text).await
}

fn outdated(locale: Locale) -> Flow {
    Ok(Some(locale.text("callback-outdated")))
}

/// Sends `text` (HTML) as a new message.
async fn say(ctx: &Ctx, session: &Session, text: &str, markup: Option<ReplyMarkup>) -> Flow {
    send::html(&ctx.bot, session.chat, text, markup).await?;
    Ok(None)
}

/// Explains a refused input; the step stays.
async fn explain(ctx: &Ctx, session: &Session, err: impl UserFacing) -> Flow {
    let text = err.user_message(session.locale)?;
    say(ctx, session, &text, None).await
}

fn inline(keyboard: InlineKeyboardMarkup) -> Option<ReplyMarkup> {
    Some(ReplyMarkup::InlineKeyboard(keyboard))
}

// ----- screens ------------------------------------------------------------------------------

async fn show_calendar(ctx: &Ctx, session: &Session, target: Target, month: Option<Month>) -> Flow {
    let view = service::calendar(&ctx.db, session.user_id, month, Utc::now()).await?;
    let locale = session.locale;
    let text = render::calendar_text(locale, &view);
    let keyboard = keyboards::calendar(
        locale,
        view.month,
        view.today,
        &view.days,
        view.viewer.role.can_manage(),
    );
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_day(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    date: NaiveDate,
    from: u32,
) -> Flow {
    let list = service::day(&ctx.db, session.user_id, date, Utc::now()).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::day_text(locale, date, &list.events, from);
    let keyboard = keyboards::event_list(locale, &list.events, from, Month::of(date), |from| {
        Action::Day { date, from }
    });
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_upcoming(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let list = service::upcoming(&ctx.db, session.user_id, Utc::now()).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::upcoming_text(locale, &list.events, from);
    let keyboard =
        keyboards::event_list(locale, &list.events, from, Month::of(list.today), |from| {
            Action::Upcoming { from }
        });
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_deadlines(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let now = Utc::now();
    let list = service::deadlines(&ctx.db, session.user_id, now).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::deadlines_text(locale, &list, from);
    let back_to = Month::of(list.viewer.today(now));
    let keyboard = keyboards::deadline_list(locale, from, list.deadlines.len(), back_to);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// The event card (opening it marks the event seen).
async fn show_card(ctx: &Ctx, session: &Session, target: Target, event: Uuid) -> Flow {
    let card = service::open(&ctx.db, session.user_id, event).await?;
    let locale = session.locale;
    let text = render::card_text(locale, &card);
    screen::show(ctx, target, &text, keyboards::card(locale, &card)).await?;
    Ok(None)
}

// ----- inline buttons -----------------------------------------------------------------------

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let locale = session.locale;
    let target = Target::of_query(&query, session.chat);
    let toast = match run_action(&ctx, &session, target, action).await {
        Ok(toast) => toast,
        Err(Stop::Refused(err)) => {
            if is_form_action(action) && matches!(session.dialogue, Dialogue::Event(_)) {
                // The form cannot go on (the role changed, the event is gone): leave it.
                screen::answer(&ctx, &query, None).await?;
                return leave_with(&ctx, &session, err).await;
            }
            Some(err.user_message(locale)?)
        }
        Err(Stop::Failed(err)) => {
            if matches!(err, HandlerError::Telegram(_)) {
                // The pipeline answers only database failures; stop the spinner here.
                let _ = screen::answer(&ctx, &query, None).await;
            }
            return Err(err);
        }
    };
    screen::answer(&ctx, &query, toast.as_deref()).await
}

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
    let locale = session.locale;
    let form = match &session.dialogue {
        Dialogue::Event(form) => Some(form.clone()),
        _ => None,
    };
    match action {
        Action::Noop => Ok(None),
        Action::Month { month } => show_calendar(ctx, session, target, Some(month)).await,
        Action::Day { date, from } => show_day(ctx, session, target, date, from).await,
        Action::Upcoming { from } => show_upcoming(ctx, session, target, from).await,
        Action::Deadlines { from } => show_deadlines(ctx, session, target, from).await,
        Action::Open { event } => show_card(ctx, session, target, event).await,
        Action::New => {
            service::may_create(&ctx.db, session.user_id).await?;
            ask_title(ctx, session).await
        }
        Action::Skip => match form {
            Some(form @ (EventForm::Subject { .. } | EventForm::Description { .. })) => {
                step(ctx, session, target, form, Input::Skip).await
            }
            Some(
                form @ EventForm::Edit {
                    field: Field::Subject | Field::Description,
                    ..
                },
            ) => step(ctx, session, target, form, Input::Skip).await,
            _ => outdated(locale),
        },
        Action::PickMonth { month } => match form {
            Some(form) if form.wants_date() => {
                show_date_picker(ctx, session, target, &form, Some(month)).await
            }
            _ => outdated(locale),
        },
        Action::PickDay { date } => match form {
            Some(form) if form.wants_date() => {
                let viewer = service::viewer(&ctx.db, session.user_id).await?;
                let in_past = date < viewer.today(Utc::now());
                take_date(ctx, session, target, form, date, in_past).await
            }
            _ => outdated(locale),
        },
        Action::ConfirmPast { yes } => match form {
            Some(form @ (EventForm::PastDate { .. } | EventForm::EditPastDate { .. })) => {
                step(ctx, session, target, form, Input::Answer(yes)).await
            }
            _ => outdated(locale),
        },
        Action::Important { yes } => match form {
            Some(form @ EventForm::Important { .. }) => {
                step(ctx, session, target, form, Input::Answer(yes)).await
            }
            _ => outdated(locale),
        },
        Action::Save => match form {
            Some(EventForm::Summary { event }) => save(ctx, session, target, event).await,
            _ => outdated(locale),
        },
        Action::Cancel => match form {
            Some(_) => {
                dialogue::clear(&ctx.db, session.user_id).await?;
                let text = locale.text("cancelled");
                screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
                let mut session = session.clone();
                session.dialogue = Dialogue::Idle;
                common::show_menu_with(ctx, &session, &locale.text("main-menu")).await?;
                Ok(None)
            }
            None => outdated(locale),
        },
        Action::Edit { event, field } => {
            let stored = service::editable(&ctx.db, session.user_id, event).await?;
            let form = EventForm::Edit { event, field };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Event(form.clone())).await?;
            let max = |n: usize| n as i64;
            match field {
                Field::Title => {
                    let text = locale.text_with(
                        "event-edit-ask-title",
                        &Args::new()
                            .num("max", max(EventTitle::MAX_CHARS))
                            .user("current", &stored.title),
                    );
                    say(ctx, session, &text, Some(menus::cancel_only(locale))).await
                }
                Field::Subject => {
                    let text = locale.text_with(
                        "event-edit-ask-subject",
                        &Args::new().num("max", max(Subject::MAX_CHARS)),
                    );
                    say(ctx, session, &text, inline(keyboards::skip(locale, true))).await
                }
                Field::Description => {
                    let text = locale.text_with(
                        "event-edit-ask-description",
                        &Args::new().num("max", max(Description::MAX_CHARS)),
                    );
                    say(ctx, session, &text, inline(keyboards::skip(locale, true))).await
                }
                Field::Date => {
                    let month = Some(Month::of(stored.event_date));
                    let new = Target::New(session.chat);
                    show_date_picker(ctx, session, new, &form, month).await
                }
            }
        }
        Action::SetImportant { event, yes } => {
            service::edit(
                &ctx.db,
                session.user_id,
                event,
                Edit::Important(yes),
                ctx.notifier.now(),
            )
            .await?;
            show_card(ctx, session, target, event).await?;
            Ok(Some(locale.text("event-saved-toast")))
        }
        Action::Delete { event } => {
            let stored = service::editable(&ctx.db, session.user_id, event).await?;
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
            let deleted = service::delete(&ctx.db, session.user_id, event).await?;
            let month = Some(Month::of(deleted.date));
            show_calendar(ctx, session, target, month).await?;
            Ok(Some(locale.text("event-deleted-toast")))
        }
        Action::AddDeadline { event } => {
            let stored = service::editable(&ctx.db, session.user_id, event).await?;
            let form = EventForm::DeadlineText { event };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Event(form)).await?;
            let text = locale.text_with(
                "deadline-ask-text",
                &Args::new()
                    .user("event", &stored.title)
                    .num("max", DeadlineText::MAX_CHARS as i64),
            );
            say(ctx, session, &text, Some(menus::cancel_only(locale))).await
        }
        Action::EventDeadlines { event } => {
            service::editable(&ctx.db, session.user_id, event).await?;
            let card = service::open(&ctx.db, session.user_id, event).await?;
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
            let removed = service::remove_deadline(&ctx.db, session.user_id, deadline).await?;
            show_card(ctx, session, target, removed.event_id).await?;
            Ok(Some(locale.text("deadline-removed-toast")))
        }
    }
}

// ----- the forms ----------------------------------------------------------------------------

/// What the user answered a step with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input<'a> {
    Text(&'a str),
    /// `/skip` or «Пропустить».
    Skip,
    /// A yes/no button.
    Answer(bool),
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

    /// A typed or pressed yes/no.
    fn yes_no(self) -> Option<bool> {
        match self {
            Input::Answer(yes) => Some(yes),
            Input::Text(text) => match text.trim().to_lowercase().as_str() {
                "да" | "д" | "yes" | "y" | "+" => Some(true),
                "нет" | "н" | "no" | "n" | "-" => Some(false),
                _ => None,
            },
            Input::Skip => None,
        }
    }
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
            step(&ctx, &session, target, form, Input::of(text)).await
        }
        None => say(&ctx, &session, &session.locale.text("event-not-text"), None).await,
    };
    finish_message(&ctx, &session, flow).await
}

async fn save_form(ctx: &Ctx, session: &Session, form: &EventForm) -> Result<(), Stop> {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Event(form.clone())).await?;
    Ok(())
}

/// One step of a form: validates the input, keeps the step with an explanation, or moves on.
async fn step(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    input: Input<'_>,
) -> Flow {
    let locale = session.locale;
    match (form, input) {
        (EventForm::Title, Input::Text(text)) => match EventTitle::parse(text) {
            Ok(title) => {
                let form = EventForm::Subject { title };
                save_form(ctx, session, &form).await?;
                let text = locale.text_with(
                    "event-ask-subject",
                    &Args::new().num("max", Subject::MAX_CHARS as i64),
                );
                let keyboard = keyboards::skip(locale, false);
                screen::show(ctx, target, &text, keyboard).await?;
                Ok(None)
            }
            Err(err) => explain(ctx, session, TextInput::Title.refused(err)).await,
        },
        (EventForm::Subject { title }, input) => {
            let subject = match input {
                Input::Skip => None,
                Input::Text(text) => match Subject::parse(text) {
                    Ok(subject) => Some(subject),
                    Err(err) => {
                        return explain(ctx, session, TextInput::Subject.refused(err)).await;
                    }
                },
                Input::Answer(_) => return outdated(locale),
            };
            let form = EventForm::Date { title, subject };
            save_form(ctx, session, &form).await?;
            show_date_picker(ctx, session, target, &form, None).await
        }
        (form @ EventForm::Date { .. }, Input::Text(text)) => {
            typed_date(ctx, session, target, form, text).await
        }
        (form @ (EventForm::PastDate { .. } | EventForm::EditPastDate { .. }), input) => {
            match (input.yes_no(), input) {
                (Some(yes), _) => confirm_past(ctx, session, target, form, yes).await,
                // Another date typed instead of an answer.
                (None, Input::Text(text)) => {
                    let form = match form {
                        EventForm::PastDate { title, subject, .. } => {
                            EventForm::Date { title, subject }
                        }
                        EventForm::EditPastDate { event, .. } => EventForm::Edit {
                            event,
                            field: Field::Date,
                        },
                        other => other,
                    };
                    typed_date(ctx, session, target, form, text).await
                }
                (None, _) => say(ctx, session, &locale.text("event-hint-yes-no"), None).await,
            }
        }
        (
            EventForm::Description {
                title,
                subject,
                date,
            },
            input,
        ) => {
            let description = match input {
                Input::Skip => None,
                Input::Text(text) => match Description::parse(text) {
                    Ok(description) => Some(description),
                    Err(err) => {
                        return explain(ctx, session, TextInput::Description.refused(err)).await;
                    }
                },
                Input::Answer(_) => return outdated(locale),
            };
            let form = EventForm::Important {
                title,
                subject,
                date,
                description,
            };
            save_form(ctx, session, &form).await?;
            let keyboard = keyboards::important(locale);
            screen::show(ctx, target, &locale.text("event-ask-important"), keyboard).await?;
            Ok(None)
        }
        (
            EventForm::Important {
                title,
                subject,
                date,
                description,
            },
            input,
        ) => match input.yes_no() {
            Some(important) => {
                let event = NewEvent {
                    id: Uuid::new_v4(),
                    title,
                    subject,
                    date,
                    description,
                    important,
                };
                let text = render::summary_text(locale, &event);
                save_form(ctx, session, &EventForm::Summary { event }).await?;
                screen::show(ctx, target, &text, keyboards::summary(locale)).await?;
                Ok(None)
            }
            None => say(ctx, session, &locale.text("event-hint-yes-no"), None).await,
        },
        (EventForm::Summary { event }, Input::Text(text))
            if ["сохранить", "save"].contains(&text.trim().to_lowercase().as_str()) =>
        {
            save(ctx, session, target, event).await
        }
        (EventForm::Summary { .. }, _) => {
            say(ctx, session, &locale.text("event-hint-summary"), None).await
        }
        (form @ EventForm::Edit { event, field }, input) => {
            let edit = match (field, input) {
                (Field::Title, Input::Text(text)) => match EventTitle::parse(text) {
                    Ok(title) => Edit::Title(title),
                    Err(err) => return explain(ctx, session, TextInput::Title.refused(err)).await,
                },
                (Field::Subject, Input::Skip) => Edit::Subject(None),
                (Field::Subject, Input::Text(text)) => match Subject::parse(text) {
                    Ok(subject) => Edit::Subject(Some(subject)),
                    Err(err) => {
                        return explain(ctx, session, TextInput::Subject.refused(err)).await;
                    }
                },
                (Field::Description, Input::Skip) => Edit::Description(None),
                (Field::Description, Input::Text(text)) => match Description::parse(text) {
                    Ok(description) => Edit::Description(Some(description)),
                    Err(err) => {
                        return explain(ctx, session, TextInput::Description.refused(err)).await;
                    }
                },
                (Field::Date, Input::Text(text)) => {
                    return typed_date(ctx, session, target, form, text).await;
                }
                (Field::Title | Field::Date, Input::Skip) => {
                    return say(ctx, session, &locale.text("event-skip-not-here"), None).await;
                }
                (_, Input::Answer(_)) => return outdated(locale),
            };
            apply_edit(ctx, session, event, edit).await
        }
        (EventForm::DeadlineText { event }, Input::Text(text)) => match DeadlineText::parse(text) {
            Ok(text) => {
                let viewer = service::viewer(&ctx.db, session.user_id).await?;
                save_form(ctx, session, &EventForm::DeadlineAt { event, text }).await?;
                let prompt = locale.text_with(
                    "deadline-ask-at",
                    &Args::new()
                        .user("timezone", viewer.tz.name())
                        .user("now", &render::format_at(Utc::now(), viewer.tz)),
                );
                say(ctx, session, &prompt, None).await
            }
            Err(err) => explain(ctx, session, TextInput::DeadlineText.refused(err)).await,
        },
        (EventForm::DeadlineAt { event, text }, Input::Text(typed)) => {
            let viewer = service::viewer(&ctx.db, session.user_id).await?;
            let at = match DeadlineAt::parse(typed, Utc::now(), viewer.tz) {
                Ok(at) => at,
                Err(err) => return explain(ctx, session, err).await,
            };
            let added = service::add_deadline(
                &ctx.db,
                session.user_id,
                event,
                &text,
                at,
                ctx.notifier.now(),
            )
            .await?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            let confirmation = locale.text_with(
                "deadline-added",
                &Args::new()
                    .user("at", &render::format_at(added.at, viewer.tz))
                    .user("text", &added.text),
            );
            back_to_card(ctx, session, event, &confirmation).await
        }
        (_, Input::Skip) => say(ctx, session, &locale.text("event-skip-not-here"), None).await,
        (_, _) => outdated(locale),
    }
}

/// A date typed at a date step.
async fn typed_date(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    text: &str,
) -> Flow {
    let viewer = service::viewer(&ctx.db, session.user_id).await?;
    match EventDate::parse(text, viewer.today(Utc::now())) {
        Ok(date) => take_date(ctx, session, target, form, date.date, date.in_past).await,
        Err(err) => explain(ctx, session, err).await,
    }
}

/// A chosen date: a past one asks for confirmation, otherwise the form moves on.
async fn take_date(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    date: NaiveDate,
    in_past: bool,
) -> Flow {
    let locale = session.locale;
    let next = match form {
        EventForm::Edit { event, .. } if in_past => EventForm::EditPastDate { event, date },
        EventForm::Edit { event, .. } => {
            return apply_edit(ctx, session, event, Edit::Date(date)).await;
        }
        form => match form.with_date(date, in_past) {
            Some(next) => next,
            None => return outdated(locale),
        },
    };
    save_form(ctx, session, &next).await?;
    match next {
        EventForm::PastDate { .. } | EventForm::EditPastDate { .. } => {
            let text = locale.text_with(
                "event-confirm-past",
                &Args::new().user("date", &render::format_date(date)),
            );
            screen::show(ctx, target, &text, keyboards::confirm_past(locale)).await?;
        }
        _ => {
            let text = locale.text_with(
                "event-ask-description",
                &Args::new().num("max", Description::MAX_CHARS as i64),
            );
            screen::show(ctx, target, &text, keyboards::skip(locale, false)).await?;
        }
    }
    Ok(None)
}

/// The answer to «this date has passed — keep it?».
async fn confirm_past(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    yes: bool,
) -> Flow {
    match form {
        EventForm::PastDate {
            title,
            subject,
            date,
        } => {
            if yes {
                let form = EventForm::Date { title, subject };
                take_date(ctx, session, target, form, date, false).await
            } else {
                let form = EventForm::Date { title, subject };
                save_form(ctx, session, &form).await?;
                show_date_picker(ctx, session, target, &form, Some(Month::of(date))).await
            }
        }
        EventForm::EditPastDate { event, date } => {
            if yes {
                apply_edit(ctx, session, event, Edit::Date(date)).await
            } else {
                let form = EventForm::Edit {
                    event,
                    field: Field::Date,
                };
                save_form(ctx, session, &form).await?;
                show_date_picker(ctx, session, target, &form, Some(Month::of(date))).await
            }
        }
        _ => outdated(session.locale),
    }
}

/// The date step's question with the inline month calendar (existing events marked).
async fn show_date_picker(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: &EventForm,
    month: Option<Month>,
) -> Flow {
    let locale = session.locale;
    let view = service::calendar(&ctx.db, session.user_id, month, Utc::now()).await?;
    let id = match form {
        EventForm::Edit { .. } => "event-edit-ask-date",
        _ => "event-ask-date",
    };
    let keyboard = keyboards::date_picker(locale, view.month, view.today, &view.days);
    screen::show(ctx, target, &locale.text(id), keyboard).await?;
    Ok(None)
}

/// «➕ Новое событие»: the first step.
async fn ask_title(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Event(EventForm::Title)).await?;
    let text = locale.text_with(
        "event-ask-title",
        &Args::new().num("max", EventTitle::MAX_CHARS as i64),
    );
    say(ctx, session, &text, Some(menus::cancel_only(locale))).await
}

/// «Сохранить»: the event is created, the summary becomes its card, the group is told.
async fn save(ctx: &Ctx, session: &Session, target: Target, event: NewEvent) -> Flow {
    let locale = session.locale;
    let group = session
        .membership
        .as_ref()
        .map(|m| m.group_name.clone())
        .unwrap_or_default();
    let announce = |created: &service::Created| announcements(&group, created);
    let created = match service::create(
        &ctx.db,
        session.user_id,
        &event,
        ctx.notifier.now(),
        announce,
    )
    .await
    {
        Ok(created) => created,
        Err(EventError::AlreadySaved) => {
            dialogue::clear(&ctx.db, session.user_id).await?;
            return Ok(Some(locale.text("event-already-saved")));
        }
        Err(err) => return Err(err.into()),
    };
    dialogue::clear(&ctx.db, session.user_id).await?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    show_card(ctx, &session, target, created.event.id).await?;
    ctx.deliver(&created.notices).await;
    let args = Args::new().user("title", &created.event.title);
    let told = created
        .notices
        .len()
        .saturating_sub(usize::from(created.chat.is_some()));
    let text = if told == 0 {
        locale.text_with("event-created", &args)
    } else {
        let count = i64::try_from(told).unwrap_or(i64::MAX);
        locale.text_with("event-created-notified", &args.num("count", count))
    };
    common::show_menu_with(ctx, &session, &text).await?;
    Ok(None)
}

/// The text announcing a new event.
fn announcement(group: &str, event: &crate::storage::entities::events::Model) -> Text {
    let id = if event.is_important {
        "event-announce-important"
    } else {
        "event-announce"
    };
    let weekday = event.event_date.weekday().number_from_monday();
    Text::new(id)
        .user("group", group)
        .user("title", &event.title)
        .date("date", event.event_date)
        .msg("weekday", format!("calendar-weekday-{weekday}"))
}

/// The new event's announcements: each member of the group (but the creator, and those who
/// blocked the bot or turned such events off) in their language, with a button to open it.
fn announcements(group: &str, created: &service::Created) -> Vec<Notice> {
    let kind = if created.event.is_important {
        notifications::Kind::NewImportantEvent
    } else {
        notifications::Kind::NewEvent
    };
    let mut notices: Vec<Notice> = created
        .recipients
        .iter()
        .map(|&user| {
            let note = Note::new(announcement(group, &created.event))
                .button("event-btn-open", Screen::Event(created.event.id));
            Notice::new(user, kind, note)
        })
        .collect();
    // The group's chat gets the same text, without the private card's button.
    if let Some(chat) = created.chat {
        notices.push(Notice::new(chat, kind, announcement(group, &created.event)));
    }
    notices
}

/// Saves an edited field; the form ends with the card shown anew.
async fn apply_edit(ctx: &Ctx, session: &Session, event: Uuid, edit: Edit) -> Flow {
    service::edit(&ctx.db, session.user_id, event, edit, ctx.notifier.now()).await?;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = session.locale.text("event-edited");
    back_to_card(ctx, session, event, &text).await
}

/// After a form: `text` with the main menu, then the event's card.
async fn back_to_card(ctx: &Ctx, session: &Session, event: Uuid, text: &str) -> Flow {
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, text).await?;
    show_card(ctx, &session, Target::New(session.chat), event).await
}
