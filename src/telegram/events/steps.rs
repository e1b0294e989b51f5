//! The steps of the event forms: create an event (title, subject, date, description,
//! importance, summary, «Сохранить»), edit one field, add a deadline. Each step validates what
//! the user typed or pressed, keeps the step with an explanation, or saves the next one.

use chrono::NaiveDate;
use uuid::Uuid;

use super::form::{EventForm, Field};
use super::{card, keyboards, render, screens};
use crate::events::calendar::Month;
use crate::events::date::EventDate;
use crate::events::deadline::DeadlineAt;
use crate::events::service::{self, Edit, EventError, NewEvent};
use crate::events::text::{
    DeadlineText, Description, EventTitle, Subject, TextError, TextInput, TextInputError,
};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::kit::{Flow, Stop, inline, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Ctx, Session, common, keyboards as menus};

/// What the user answered a step with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    Text(&'a str),
    /// `/skip` or «Пропустить».
    Skip,
    /// A yes/no button.
    Answer(bool),
}

impl<'a> Input<'a> {
    pub fn of(text: &'a str) -> Self {
        // `/skip` or `/skip@bot`.
        let command = text.trim().split('@').next().unwrap_or_default();
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

/// Why a step does not take an input (the step stays).
enum Refused {
    Invalid(TextInputError),
    /// `/skip` where a value is required.
    SkipNotHere,
    /// A button of another step.
    Outdated,
}

/// A text the step requires.
fn required<T>(
    input: Input<'_>,
    which: TextInput,
    parse: fn(&str) -> Result<T, TextError>,
) -> Result<T, Refused> {
    match input {
        Input::Text(text) => parse(text).map_err(|err| Refused::Invalid(which.refused(err))),
        Input::Skip => Err(Refused::SkipNotHere),
        Input::Answer(_) => Err(Refused::Outdated),
    }
}

/// A text the step may go without (`/skip`).
fn optional<T>(
    input: Input<'_>,
    which: TextInput,
    parse: fn(&str) -> Result<T, TextError>,
) -> Result<Option<T>, Refused> {
    match input {
        Input::Skip => Ok(None),
        input => required(input, which, parse).map(Some),
    }
}

async fn refuse(ctx: &Ctx, session: &Session, refused: Refused) -> Flow {
    let locale = session.locale;
    match refused {
        Refused::Invalid(err) => explain(ctx, session, err).await,
        Refused::SkipNotHere => say(ctx, session, &locale.text("event-skip-not-here"), None).await,
        Refused::Outdated => outdated(locale),
    }
}

/// Explains a refused input; the step stays.
async fn explain(ctx: &Ctx, session: &Session, err: impl UserFacing) -> Flow {
    let text = err.user_message(session.locale)?;
    say(ctx, session, &text, None).await
}

pub async fn save_form(ctx: &Ctx, session: &Session, form: &EventForm) -> Result<(), Stop> {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Event(form.clone())).await?;
    Ok(())
}

/// One step of a form: validates the input, keeps the step with an explanation, or moves on.
pub async fn step(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    input: Input<'_>,
) -> Flow {
    let locale = session.locale;
    match (form, input) {
        (EventForm::Title, input) => match required(input, TextInput::Title, EventTitle::parse) {
            Ok(title) => {
                let form = EventForm::Subject { title };
                save_form(ctx, session, &form).await?;
                ask(ctx, session, target, form).await
            }
            Err(refused) => refuse(ctx, session, refused).await,
        },
        (EventForm::Subject { title }, input) => {
            let subject = match optional(input, TextInput::Subject, Subject::parse) {
                Ok(subject) => subject,
                Err(refused) => return refuse(ctx, session, refused).await,
            };
            let form = EventForm::Date { title, subject };
            save_form(ctx, session, &form).await?;
            ask(ctx, session, target, form).await
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
            let description = match optional(input, TextInput::Description, Description::parse) {
                Ok(description) => description,
                Err(refused) => return refuse(ctx, session, refused).await,
            };
            let form = EventForm::Important {
                title,
                subject,
                date,
                description,
            };
            save_form(ctx, session, &form).await?;
            ask(ctx, session, target, form).await
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
                let form = EventForm::Summary { event };
                save_form(ctx, session, &form).await?;
                ask(ctx, session, target, form).await
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
            let edit = match field {
                Field::Title => {
                    required(input, TextInput::Title, EventTitle::parse).map(Edit::Title)
                }
                Field::Subject => {
                    optional(input, TextInput::Subject, Subject::parse).map(Edit::Subject)
                }
                Field::Description => optional(input, TextInput::Description, Description::parse)
                    .map(Edit::Description),
                Field::Date => match input {
                    Input::Text(text) => return typed_date(ctx, session, target, form, text).await,
                    Input::Skip => Err(Refused::SkipNotHere),
                    Input::Answer(_) => Err(Refused::Outdated),
                },
            };
            match edit {
                Ok(edit) => apply_edit(ctx, session, event, edit).await,
                Err(refused) => refuse(ctx, session, refused).await,
            }
        }
        (EventForm::DeadlineText { event }, input) => {
            match required(input, TextInput::DeadlineText, DeadlineText::parse) {
                Ok(text) => {
                    let form = EventForm::DeadlineAt { event, text };
                    save_form(ctx, session, &form).await?;
                    ask(ctx, session, target, form).await
                }
                Err(refused) => refuse(ctx, session, refused).await,
            }
        }
        (EventForm::DeadlineAt { event, text }, Input::Text(typed)) => {
            add_deadline(ctx, session, event, &text, typed).await
        }
        (_, Input::Skip) => refuse(ctx, session, Refused::SkipNotHere).await,
        (_, _) => outdated(locale),
    }
}

/// The deadline's time typed: the deadline is added and the card shown anew.
async fn add_deadline(
    ctx: &Ctx,
    session: &Session,
    event: Uuid,
    text: &DeadlineText,
    typed: &str,
) -> Flow {
    let viewer = session.viewer()?;
    let at = match DeadlineAt::parse(typed, ctx.notifier.now(), viewer.tz) {
        Ok(at) => at,
        Err(err) => return explain(ctx, session, err).await,
    };
    let added = ctx
        .write(session.user_id, |uow| {
            Box::pin(service::add_deadline(uow, event, text, at))
        })
        .await?;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let confirmation = session.locale.text_with(
        "deadline-added",
        &Args::new()
            .user("at", &render::format_at(added.at, viewer.tz))
            .user("text", &added.text),
    );
    screens::back_to_card(ctx, session, event, &confirmation).await
}

/// A date typed at a date step.
async fn typed_date(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    text: &str,
) -> Flow {
    let viewer = session.viewer()?;
    match EventDate::parse(text, viewer.today(ctx.notifier.now())) {
        Ok(date) => take_date(ctx, session, target, form, date.date, date.in_past).await,
        Err(err) => explain(ctx, session, err).await,
    }
}

/// A chosen date: a past one asks for confirmation, otherwise the form moves on.
pub async fn take_date(
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
    ask(ctx, session, target, next).await
}

/// Asks the question of the step `form` is at: when the form moves on to it, and again when
/// the user comes back to an interrupted form or answers with something that is not text.
pub async fn ask(ctx: &Ctx, session: &Session, target: Target, form: EventForm) -> Flow {
    let locale = session.locale;
    let max = |n: usize| Args::new().num("max", n as i64);
    match form {
        EventForm::Title => {
            let text = locale.text_with("event-ask-title", &max(EventTitle::MAX_CHARS));
            say(ctx, session, &text, Some(menus::cancel_only(locale))).await
        }
        EventForm::Subject { .. } => {
            let text = locale.text_with("event-ask-subject", &max(Subject::MAX_CHARS));
            screen::show(ctx, target, &text, keyboards::skip(locale, false)).await?;
            Ok(None)
        }
        form @ EventForm::Date { .. } => {
            screens::date_picker(ctx, session, target, &form, None).await
        }
        EventForm::PastDate { date, .. } | EventForm::EditPastDate { date, .. } => {
            let text = locale.text_with(
                "event-confirm-past",
                &Args::new().user("date", &render::format_date(date)),
            );
            screen::show(ctx, target, &text, keyboards::confirm_past(locale)).await?;
            Ok(None)
        }
        EventForm::Description { .. } => {
            let text = locale.text_with("event-ask-description", &max(Description::MAX_CHARS));
            screen::show(ctx, target, &text, keyboards::skip(locale, false)).await?;
            Ok(None)
        }
        EventForm::Important { .. } => {
            let keyboard = keyboards::important(locale);
            screen::show(ctx, target, &locale.text("event-ask-important"), keyboard).await?;
            Ok(None)
        }
        EventForm::Summary { event } => {
            let text = card::summary_text(locale, &event);
            screen::show(ctx, target, &text, keyboards::summary(locale)).await?;
            Ok(None)
        }
        EventForm::Edit { event, field } => ask_edit(ctx, session, event, field).await,
        EventForm::DeadlineText { event } => ask_deadline(ctx, session, event).await,
        EventForm::DeadlineAt { .. } => {
            let viewer = session.viewer()?;
            let at = ctx.notifier.now();
            let now = render::format_at(at, viewer.tz);
            let zone = crate::telegram::groups::render::zone_label(locale, viewer.tz.into(), at);
            let prompt = locale.text_with(
                "deadline-ask-at",
                &Args::new().user("timezone", &zone).user("now", &now),
            );
            say(ctx, session, &prompt, None).await
        }
    }
}

/// The answer to «this date has passed — keep it?».
async fn confirm_past(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: EventForm,
    yes: bool,
) -> Flow {
    let (again, date) = match form {
        EventForm::PastDate {
            title,
            subject,
            date,
        } => {
            let form = EventForm::Date { title, subject };
            if yes {
                return take_date(ctx, session, target, form, date, false).await;
            }
            (form, date)
        }
        EventForm::EditPastDate { event, date } => {
            if yes {
                return apply_edit(ctx, session, event, Edit::Date(date)).await;
            }
            let form = EventForm::Edit {
                event,
                field: Field::Date,
            };
            (form, date)
        }
        _ => return outdated(session.locale),
    };
    // «No»: the date picker again, at the refused date's month.
    save_form(ctx, session, &again).await?;
    screens::date_picker(ctx, session, target, &again, Some(Month::of(date))).await
}

/// «➕ Новое событие»: the first step.
pub async fn ask_title(ctx: &Ctx, session: &Session) -> Flow {
    save_form(ctx, session, &EventForm::Title).await?;
    ask(ctx, session, Target::New(session.chat), EventForm::Title).await
}

/// «✏️ …»: asks for the new value of `field` of `event`.
pub async fn ask_edit(ctx: &Ctx, session: &Session, event: Uuid, field: Field) -> Flow {
    let locale = session.locale;
    let stored = service::editable(&ctx.db, session.user_id, event).await?;
    let form = EventForm::Edit { event, field };
    save_form(ctx, session, &form).await?;
    let max = |n: usize| Args::new().num("max", n as i64);
    let clear = inline(keyboards::skip(locale, true));
    match field {
        Field::Title => {
            let args = max(EventTitle::MAX_CHARS).user("current", &stored.title);
            let text = locale.text_with("event-edit-ask-title", &args);
            say(ctx, session, &text, Some(menus::cancel_only(locale))).await
        }
        Field::Subject => {
            let text = locale.text_with("event-edit-ask-subject", &max(Subject::MAX_CHARS));
            say(ctx, session, &text, clear).await
        }
        Field::Description => {
            let args = max(Description::MAX_CHARS);
            let text = locale.text_with("event-edit-ask-description", &args);
            say(ctx, session, &text, clear).await
        }
        Field::Date => {
            let month = Some(Month::of(stored.event_date));
            let new = Target::New(session.chat);
            screens::date_picker(ctx, session, new, &form, month).await
        }
    }
}

/// «➕ Дедлайн»: asks what is due.
pub async fn ask_deadline(ctx: &Ctx, session: &Session, event: Uuid) -> Flow {
    let locale = session.locale;
    let stored = service::editable(&ctx.db, session.user_id, event).await?;
    save_form(ctx, session, &EventForm::DeadlineText { event }).await?;
    let text = locale.text_with(
        "deadline-ask-text",
        &Args::new()
            .user("event", &stored.title)
            .num("max", DeadlineText::MAX_CHARS as i64),
    );
    say(ctx, session, &text, Some(menus::cancel_only(locale))).await
}

/// «Сохранить»: the event is created (the group is told), the summary becomes its card.
pub async fn save(ctx: &Ctx, session: &Session, target: Target, event: NewEvent) -> Flow {
    let locale = session.locale;
    let created = match ctx
        .write(session.user_id, |uow| {
            Box::pin(service::create(uow, &event))
        })
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
    screens::card(ctx, &session, target, created.event.id).await?;
    let args = Args::new().user("title", &created.event.title);
    let text = if created.told == 0 {
        locale.text_with("event-created", &args)
    } else {
        let count = i64::try_from(created.told).unwrap_or(i64::MAX);
        locale.text_with("event-created-notified", &args.num("count", count))
    };
    common::show_menu_with(ctx, &session, &text).await?;
    Ok(None)
}

/// Saves an edited field; the form ends with the card shown anew.
pub async fn apply_edit(ctx: &Ctx, session: &Session, event: Uuid, edit: Edit) -> Flow {
    ctx.write(session.user_id, |uow| {
        Box::pin(service::edit(uow, event, &edit))
    })
    .await?;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let text = session.locale.text("event-edited");
    screens::back_to_card(ctx, session, event, &text).await
}
