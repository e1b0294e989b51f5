//! The timetable forms' typed steps — the semester's days, a paste of classes, the bells, where
//! a class moves, an extra class (the class form's steps are in `steps`) — and the texts that
//! explain a refused line or field.

use teloxide::types::InlineKeyboardMarkup;

use super::action::Action;
use super::form::TimetableForm;
use super::handlers::leave_with;
use super::steps;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::kit::{Flow, inline, label, say};
use crate::telegram::{Args, Ctx, Locale, Session};
use crate::timetable::input::{self, PasteError, Problem, TextError};
use crate::timetable::service;
use crate::timetable::week::{Parity, Semester};

/// The most refused lines a reply lists.
const SHOWN_ERRORS: usize = 15;

/// A typed answer to the timetable form the user is in.
pub(super) async fn step(ctx: &Ctx, session: &Session, form: TimetableForm, text: &str) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match form {
        TimetableForm::SemesterDays => {
            let Some((first, last)) = input::parse_semester_days(text) else {
                return say(ctx, session, &locale.text("timetable-semester-bad"), None).await;
            };
            if let Err(err) = Semester::new(first, last, Parity::Odd) {
                let id = match err {
                    crate::timetable::week::SemesterError::EndsBeforeStart => {
                        "timetable-semester-ends-before-start"
                    }
                    crate::timetable::week::SemesterError::TooLong => "timetable-semester-too-long",
                };
                return say(ctx, session, &locale.text(id), None).await;
            }
            let form = Dialogue::Timetable(TimetableForm::SemesterParity { first, last });
            dialogue::save(&ctx.db, user, &form).await?;
            parity_question(ctx, session).await
        }
        TimetableForm::SemesterParity { .. } => parity_question(ctx, session).await,
        TimetableForm::Paste => {
            let context = service::date_context(&ctx.db, user, ctx.notifier.now()).await?;
            let classes = match input::parse_paste(text, &context) {
                Ok(classes) => classes,
                Err(err) => return say(ctx, session, &paste_refused(locale, err), None).await,
            };
            let added = ctx
                .write(user, |uow| Box::pin(service::add_classes(uow, &classes)))
                .await?;
            let count = i64::try_from(added.len()).unwrap_or(i64::MAX);
            let saved = locale.text_with("timetable-paste-saved", &Args::new().num("count", count));
            leave_with(ctx, session, &saved).await?;
            Ok(None)
        }
        TimetableForm::Move { class, date } => {
            let context = service::date_context(&ctx.db, user, ctx.notifier.now()).await?;
            let to = match input::parse_move(text, &context) {
                Ok(to) => to,
                Err(problem) => {
                    return say(ctx, session, &problem_text(locale, &problem), None).await;
                }
            };
            ctx.write(user, |uow| {
                Box::pin(service::move_class(uow, class, date, &to))
            })
            .await?;
            leave_with(ctx, session, &locale.text("timetable-moved")).await?;
            Ok(None)
        }
        form @ (TimetableForm::NewClass { .. }
        | TimetableForm::EditClass { .. }
        | TimetableForm::ClassSummary { .. }) => steps::take(ctx, session, form, text).await,
        TimetableForm::Bells => {
            let bells = match crate::timetable::fields::parse_bells(text) {
                Ok(bells) => bells,
                Err(err) => return say(ctx, session, &bells_refused(locale, err), None).await,
            };
            ctx.write(user, |uow| Box::pin(service::set_bells(uow, &bells)))
                .await?;
            let count = i64::try_from(bells.len()).unwrap_or(i64::MAX);
            let saved = locale.text_with("timetable-bells-saved", &Args::new().num("count", count));
            leave_with(ctx, session, &saved).await?;
            Ok(None)
        }
        TimetableForm::Ics => say(ctx, session, &locale.text("timetable-ics-not-file"), None).await,
        TimetableForm::IcsPreview { .. } => {
            say(ctx, session, &locale.text("timetable-hint-save"), None).await
        }
        TimetableForm::Extra => {
            let context = service::date_context(&ctx.db, user, ctx.notifier.now()).await?;
            let extra = match input::parse_extra(text, &context) {
                Ok(extra) => extra,
                Err(problem) => {
                    return say(ctx, session, &problem_text(locale, &problem), None).await;
                }
            };
            ctx.write(user, |uow| Box::pin(service::add_extra(uow, &extra)))
                .await?;
            leave_with(ctx, session, &locale.text("timetable-extra-saved")).await?;
            Ok(None)
        }
    }
}

async fn parity_question(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    let keyboard = InlineKeyboardMarkup::new(vec![
        vec![
            label(
                locale,
                "timetable-btn-first-odd",
                Action::FirstWeek { odd: true },
            ),
            label(
                locale,
                "timetable-btn-first-even",
                Action::FirstWeek { odd: false },
            ),
        ],
        vec![label(locale, "timetable-btn-cancel", Action::Cancel)],
    ]);
    let text = locale.text("timetable-semester-parity-ask");
    say(ctx, session, &text, inline(keyboard)).await
}

fn reason(locale: Locale, error: TextError) -> String {
    match error {
        TextError::Empty => locale.text("timetable-text-empty"),
        TextError::TooLong { length, max } => locale.text_with(
            "timetable-text-too-long",
            &Args::new()
                .num("length", i64::try_from(length).unwrap_or(i64::MAX))
                .num("max", i64::try_from(max).unwrap_or(i64::MAX)),
        ),
        TextError::ControlCharacters => locale.text("timetable-text-control-chars"),
    }
}

/// What is wrong with a line, in the user's language.
pub fn problem_text(locale: Locale, problem: &Problem) -> String {
    let with_reason = |id: &str, error: TextError| {
        locale.text_with(
            id,
            &Args::new().value("reason", reason(locale, error).into()),
        )
    };
    match problem {
        Problem::Fields => locale.text("timetable-problem-fields"),
        Problem::Weekday => locale.text("timetable-problem-weekday"),
        Problem::Date => locale.text("timetable-problem-date"),
        Problem::Pair => locale.text("timetable-problem-pair"),
        Problem::Subject(error) => with_reason("timetable-problem-subject", *error),
        Problem::Kind => locale.text("timetable-problem-kind"),
        Problem::Teacher(error) => with_reason("timetable-problem-teacher", *error),
        Problem::Room(error) => with_reason("timetable-problem-room", *error),
        Problem::Weeks => locale.text("timetable-problem-weeks"),
        Problem::DateNotOnWeekday => locale.text("timetable-problem-date-not-on-weekday"),
        Problem::Subgroup => locale.text("timetable-problem-subgroup"),
        Problem::TooManyFields => locale.text("timetable-problem-too-many-fields"),
    }
}

/// A refused bell schedule: which line or pair, and why.
fn bells_refused(locale: Locale, err: crate::timetable::fields::BellsInputError) -> String {
    use crate::timetable::week::BellsError;
    let n = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    match err {
        crate::timetable::fields::BellsInputError::Line { line } => locale.text_with(
            "timetable-bells-bad-line",
            &Args::new().num("line", n(line)),
        ),
        crate::timetable::fields::BellsInputError::Bells(BellsError::Empty) => {
            locale.text("timetable-bells-empty")
        }
        crate::timetable::fields::BellsInputError::Bells(BellsError::TooMany { max }) => locale
            .text_with(
                "timetable-bells-too-many",
                &Args::new().num("max", i64::from(max)),
            ),
        crate::timetable::fields::BellsInputError::Bells(BellsError::EndsBeforeStart { pair }) => {
            locale.text_with(
                "timetable-bells-ends-before-start",
                &Args::new().num("pair", n(pair)),
            )
        }
        crate::timetable::fields::BellsInputError::Bells(BellsError::Overlaps { pair }) => {
            locale.text_with("timetable-bells-overlap", &Args::new().num("pair", n(pair)))
        }
    }
}

/// A refused paste: what was wrong, line by line (the first few).
fn paste_refused(locale: Locale, err: PasteError) -> String {
    match err {
        PasteError::Empty => locale.text("timetable-paste-empty"),
        PasteError::TooMany { max } => locale.text_with(
            "timetable-paste-too-many",
            &Args::new().num("max", i64::try_from(max).unwrap_or(i64::MAX)),
        ),
        PasteError::Lines(errors) => {
            let mut lines: Vec<String> = errors
                .iter()
                .take(SHOWN_ERRORS)
                .map(|error| {
                    locale.text_with(
                        "timetable-line-error",
                        &Args::new()
                            .num("line", i64::try_from(error.line).unwrap_or(i64::MAX))
                            .value("problem", problem_text(locale, &error.problem).into()),
                    )
                })
                .collect();
            let hidden = errors.len().saturating_sub(SHOWN_ERRORS);
            if hidden > 0 {
                lines.push(locale.text_with(
                    "timetable-paste-more-errors",
                    &Args::new().num("count", i64::try_from(hidden).unwrap_or(i64::MAX)),
                ));
            }
            let count = i64::try_from(errors.len()).unwrap_or(i64::MAX);
            locale.text_with(
                "timetable-paste-errors",
                &Args::new()
                    .num("count", count)
                    .value("lines", lines.join("\n").into()),
            )
        }
    }
}
