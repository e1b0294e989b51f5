//! The Telegram side of the timetable: «🗓 Расписание» and its screens, the subgroup choice,
//! and the leader's and assistants' forms (semester, paste, a class moved, an extra class),
//! deleting classes and cancelling one date of a class.
//!
//! Navigation edits the pressed message in place; every callback query is answered. Form steps
//! typed as text get new messages; a refused change ends the form with the menu.

use chrono::NaiveDate;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use super::action::Action;
use super::form::TimetableForm;
use super::render::{self, format_date};
use super::{steps, upload};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::keyboards;
use crate::telegram::kit::{self, Flow, inline, label, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common};
use crate::timetable::input::{self, PasteError, Problem, TextError};
use crate::timetable::service;
use crate::timetable::week::{Parity, Semester, Subgroup};

/// The most refused lines a reply lists.
const SHOWN_ERRORS: usize = 15;
/// Classes on one page of the delete list (Telegram takes at most 100 buttons a message).
const CLASSES_PAGE: usize = 40;

/// Messages: the steps of the timetable forms, then «🗓 Расписание».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter_map(|session: Session| match session.dialogue {
                Dialogue::Timetable(form) => Some(form),
                _ => None,
            })
            .endpoint(on_form_message),
        )
        .branch(kit::menu_button(MenuButton::Timetable).endpoint(on_timetable_button))
}

/// Inline buttons with prefix `tt`.
pub fn callbacks() -> Branch {
    kit::form_buttons::<Action>(
        |ctx, session, target, action| Box::pin(run_action(ctx, session, target, action)),
        |session, action| {
            matches!(
                action,
                Action::FirstWeek { .. } | Action::Cancel | Action::Answer { .. } | Action::Save
            ) && matches!(session.dialogue, Dialogue::Timetable(_))
        },
        |ctx, session, text| Box::pin(leave_with(ctx, session, text)),
    )
}

/// «🗓 Расписание»: today.
async fn on_timetable_button(ctx: Ctx, session: Session) -> HandlerResult {
    let target = Target::New(session.chat);
    let flow = async {
        let viewer = service::viewer(&ctx.db, session.user_id).await?;
        let today = viewer.today(ctx.notifier.now());
        show_day(&ctx, &session, target, today).await
    }
    .await;
    finish_message(&ctx, &session, flow).await
}

async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: TimetableForm,
) -> HandlerResult {
    let flow = match (message.text(), message.document(), &form) {
        (_, Some(document), TimetableForm::Ics) => upload::file(&ctx, &session, document).await,
        (Some(text), _, _) => step(&ctx, &session, form, text).await,
        _ => {
            say(
                &ctx,
                &session,
                &session.locale.text("timetable-not-text"),
                None,
            )
            .await
        }
    };
    finish_message(&ctx, &session, flow).await
}

/// Whether the user is in a timetable form.
fn in_form(dialogue: &Dialogue) -> bool {
    matches!(dialogue, Dialogue::Timetable(_))
}

/// The end of a message handler: a refusal leaves any timetable form and shows the menu.
async fn finish_message(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    common::finish_form_message(ctx, session, flow, in_form).await
}

/// Tells the user `text`, ends the timetable form they are in, and shows the menu.
pub(super) async fn leave_with(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    common::leave_form_with(ctx, session, text, in_form).await
}

/// Enters `form` and asks its question (with «❌ Отмена» as the keyboard).
pub(super) async fn ask(ctx: &Ctx, session: &Session, form: TimetableForm, text: &str) -> Flow {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Timetable(form)).await?;
    let markup = Some(keyboards::cancel_only(session.locale));
    say(ctx, session, text, markup).await
}

// ----- screens ------------------------------------------------------------------------------

async fn show_day(ctx: &Ctx, session: &Session, target: Target, date: NaiveDate) -> Flow {
    let locale = session.locale;
    let days = service::days(&ctx.db, session.user_id, date, date).await?;
    let today = days.viewer.today(ctx.notifier.now());
    let text = render::day_text(locale, &days);
    let keyboard = render::view_keyboard(locale, &days, today, None, Some(date));
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_week(ctx: &Ctx, session: &Session, target: Target, date: NaiveDate) -> Flow {
    let locale = session.locale;
    let days = service::week(&ctx.db, session.user_id, date).await?;
    let today = days.viewer.today(ctx.notifier.now());
    let monday = crate::timetable::week::monday_of(date);
    let text = render::week_text(locale, &days);
    let keyboard = render::view_keyboard(locale, &days, today, Some(monday), None);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_manage(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    let semester = service::semester(&ctx.db, user).await?;
    let classes = service::classes(&ctx.db, user).await?;
    let today = service::viewer(&ctx.db, user)
        .await?
        .today(ctx.notifier.now());
    let text = render::manage_text(locale, semester.as_ref(), classes.len());
    screen::show(ctx, target, &text, render::manage_keyboard(locale, today)).await?;
    Ok(None)
}

async fn show_classes(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let locale = session.locale;
    let classes = service::classes(&ctx.db, session.user_id).await?;
    let from = usize::try_from(from)
        .unwrap_or(usize::MAX)
        .min(classes.len().saturating_sub(1) / CLASSES_PAGE * CLASSES_PAGE);
    let mut rows: Vec<_> = classes
        .iter()
        .skip(from)
        .take(CLASSES_PAGE)
        .map(|class| {
            let text = locale.text_with(
                "timetable-class-button",
                &Args::new()
                    .plain("weekday", &short_weekday(locale, class.spec.weekday))
                    .num("pair", i64::from(class.spec.pair.number()))
                    .plain("subject", class.spec.subject.as_str()),
            );
            vec![render::button(text, Action::Class { class: class.id })]
        })
        .collect();
    let page = |from: usize| Action::Classes {
        from: u32::try_from(from).unwrap_or(u32::MAX),
    };
    let mut pages = Vec::new();
    if from > 0 {
        pages.push(label(
            locale,
            "timetable-btn-earlier",
            page(from - CLASSES_PAGE),
        ));
    }
    if from + CLASSES_PAGE < classes.len() {
        pages.push(label(
            locale,
            "timetable-btn-later",
            page(from + CLASSES_PAGE),
        ));
    }
    if !pages.is_empty() {
        rows.push(pages);
    }
    rows.push(vec![label(locale, "timetable-btn-back", Action::Manage)]);
    let id = if classes.is_empty() {
        "timetable-classes-none"
    } else {
        "timetable-classes-title"
    };
    let keyboard = InlineKeyboardMarkup::new(rows);
    screen::show(ctx, target, &locale.text(id), keyboard).await?;
    Ok(None)
}

pub(super) fn short_weekday(locale: Locale, weekday: chrono::Weekday) -> String {
    let names = locale.text("calendar-weekdays");
    names
        .split_whitespace()
        .nth(weekday.num_days_from_monday() as usize)
        .unwrap_or_default()
        .to_owned()
}

async fn show_day_changes(ctx: &Ctx, session: &Session, target: Target, date: NaiveDate) -> Flow {
    let locale = session.locale;
    let days = service::editable_day(&ctx.db, session.user_id, date).await?;
    let mut rows = Vec::new();
    for day in &days.days {
        for held in &day.plan.held {
            let args = Args::new()
                .num("pair", i64::from(held.pair.number()))
                .plain("subject", &held.subject);
            if let Some(change) = held.extra {
                rows.push(vec![render::button(
                    locale.text_with("timetable-btn-remove-extra", &args),
                    Action::RemoveExtra { change },
                )]);
            }
            let (Some(class), crate::timetable::schedule::Status::Regular) =
                (held.class, held.status)
            else {
                continue;
            };
            let args = Args::new()
                .num("pair", i64::from(held.pair.number()))
                .plain("subject", &held.subject);
            rows.push(vec![render::button(
                locale.text_with("timetable-btn-cancel-class", &args),
                Action::CancelClass { class, date },
            )]);
            rows.push(vec![render::button(
                locale.text_with("timetable-btn-move-class", &args),
                Action::MoveClass { class, date },
            )]);
        }
    }
    rows.push(vec![label(locale, "timetable-btn-extra", Action::Extra)]);
    rows.push(vec![label(
        locale,
        "timetable-btn-back",
        Action::Day { date },
    )]);
    let text = locale.text_with(
        "timetable-day-changes",
        &Args::new().user("date", &format_date(date)),
    );
    screen::show(ctx, target, &text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(None)
}

// ----- inline buttons -----------------------------------------------------------------------

async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Day { date } => show_day(ctx, session, target, date).await,
        Action::Week { date } => show_week(ctx, session, target, date).await,
        Action::Subgroups => {
            let count = service::subgroup_count(&ctx.db, user).await?;
            let keyboard = render::subgroup_keyboard(locale, count);
            let text = locale.text("timetable-subgroup-ask");
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::SetSubgroup { number } => {
            let subgroup = Subgroup::new(number);
            ctx.write(user, |uow| {
                Box::pin(service::set_my_subgroup(uow, subgroup))
            })
            .await?;
            let today = service::viewer(&ctx.db, user)
                .await?
                .today(ctx.notifier.now());
            show_day(ctx, session, target, today).await?;
            Ok(Some(locale.text("timetable-subgroup-saved")))
        }
        Action::ProfileSubgroups => {
            let viewer = service::viewer(&ctx.db, user).await?;
            let count = service::subgroup_count(&ctx.db, user).await?;
            let text = locale.text_with(
                "timetable-profile-subgroup-ask",
                &Args::new().plain("subgroup", &render::subgroup_label(locale, viewer.subgroup)),
            );
            let keyboard = render::profile_subgroup_keyboard(locale, count);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::SetProfileSubgroup { number } => {
            let subgroup = Subgroup::new(number);
            ctx.write(user, |uow| {
                Box::pin(service::set_my_subgroup(uow, subgroup))
            })
            .await?;
            let text = locale.text_with(
                "timetable-profile-subgroup-saved",
                &Args::new().plain("subgroup", &render::subgroup_label(locale, subgroup)),
            );
            let back = InlineKeyboardMarkup::new(vec![vec![render::back_to_profile(locale)]]);
            screen::show(ctx, target, &text, back).await?;
            Ok(Some(locale.text("timetable-subgroup-saved")))
        }
        Action::Manage => show_manage(ctx, session, target).await,
        Action::Semester => {
            service::may_edit(&ctx.db, user).await?;
            let text = locale.text("timetable-semester-ask");
            ask(ctx, session, TimetableForm::SemesterDays, &text).await
        }
        Action::Bells => {
            service::may_edit(&ctx.db, user).await?;
            let bells = service::bells(&ctx.db, user).await?;
            let current: Vec<String> = bells
                .iter()
                .zip(1..)
                .map(|(bell, n): (_, u32)| {
                    format!(
                        "{n}. {}-{}",
                        bell.start.format("%H:%M"),
                        bell.end.format("%H:%M")
                    )
                })
                .collect();
            let text = locale.text_with(
                "timetable-bells-ask",
                &Args::new()
                    .user("bells", &current.join("\n"))
                    .num("max", i64::from(crate::timetable::week::Bells::MAX_PAIRS)),
            );
            ask(ctx, session, TimetableForm::Bells, &text).await
        }
        Action::Paste => {
            service::may_edit(&ctx.db, user).await?;
            let text = locale.text("timetable-paste-ask");
            ask(ctx, session, TimetableForm::Paste, &text).await
        }
        Action::Extra => {
            service::may_edit(&ctx.db, user).await?;
            let text = locale.text("timetable-extra-ask");
            ask(ctx, session, TimetableForm::Extra, &text).await
        }
        Action::MoveClass { class, date } => {
            let stored = service::editable_class(&ctx.db, user, class).await?;
            let text = locale.text_with(
                "timetable-move-ask",
                &Args::new()
                    .user("subject", stored.spec.subject.as_str())
                    .user("date", &format_date(date)),
            );
            ask(ctx, session, TimetableForm::Move { class, date }, &text).await
        }
        Action::FirstWeek { odd } => {
            let Dialogue::Timetable(TimetableForm::SemesterParity { first, last }) =
                session.dialogue
            else {
                return outdated(locale);
            };
            let parity = if odd { Parity::Odd } else { Parity::Even };
            let semester = ctx
                .write(user, |uow| {
                    Box::pin(service::set_semester(uow, first, last, parity))
                })
                .await?;
            screen::show(
                ctx,
                target,
                &semester_saved(locale, &semester),
                Default::default(),
            )
            .await?;
            leave_with(ctx, session, &locale.text("main-menu")).await?;
            Ok(None)
        }
        Action::Cancel => match session.dialogue {
            Dialogue::Timetable(_) => kit::cancel_form(ctx, session, target).await,
            _ => outdated(locale),
        },
        Action::MemberSubgroup { member } => {
            service::may_set_member_subgroup(&ctx.db, user, member).await?;
            let count = service::subgroup_count(&ctx.db, user).await?;
            let keyboard = render::member_subgroup_keyboard(locale, member, count);
            let text = locale.text("timetable-member-subgroup-ask");
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::SetMemberSubgroup { member, number } => {
            let subgroup = Subgroup::new(number);
            ctx.write(user, |uow| {
                Box::pin(service::set_member_subgroup(uow, member, subgroup))
            })
            .await?;
            let text = locale.text("timetable-member-subgroup-saved");
            screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
            Ok(Some(locale.text("timetable-subgroup-saved")))
        }
        Action::Classes { from } => show_classes(ctx, session, target, from).await,
        Action::DeleteClass { class } => {
            let stored = service::editable_class(&ctx.db, user, class).await?;
            let text = locale.text_with(
                "timetable-delete-confirm",
                &Args::new()
                    .user("subject", stored.spec.subject.as_str())
                    .user("weekday", &short_weekday(locale, stored.spec.weekday))
                    .num("pair", i64::from(stored.spec.pair.number())),
            );
            let keyboard = InlineKeyboardMarkup::new(vec![vec![
                label(
                    locale,
                    "timetable-btn-delete-yes",
                    Action::DeleteClassYes { class },
                ),
                label(locale, "timetable-btn-back", Action::Class { class }),
            ]]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::DeleteClassYes { class } => {
            ctx.write(user, |uow| Box::pin(service::delete_class(uow, class)))
                .await?;
            show_classes(ctx, session, target, 0).await?;
            Ok(Some(locale.text("timetable-class-deleted")))
        }
        Action::DayChanges { date } => show_day_changes(ctx, session, target, date).await,
        Action::NewClass => steps::start(ctx, session).await,
        Action::Class { class } => steps::card(ctx, session, target, class).await,
        Action::EditClass { class, field } => steps::start_edit(ctx, session, class, field).await,
        Action::Ics => upload::start(ctx, session).await,
        Action::Answer { value } => {
            let field = match &session.dialogue {
                Dialogue::Timetable(TimetableForm::NewClass { asking, .. }) => *asking,
                Dialogue::Timetable(TimetableForm::EditClass { field, .. }) => *field,
                _ => return outdated(locale),
            };
            let (Some(text), Dialogue::Timetable(form)) =
                (steps::answer_text(field, value), session.dialogue.clone())
            else {
                return outdated(locale);
            };
            steps::take(ctx, session, form, &text).await
        }
        Action::Save => match session.dialogue.clone() {
            Dialogue::Timetable(TimetableForm::ClassSummary { spec }) => {
                steps::save(ctx, session, target, spec).await
            }
            Dialogue::Timetable(TimetableForm::IcsPreview { classes, cancelled }) => {
                upload::save(ctx, session, classes, cancelled).await
            }
            _ => outdated(locale),
        },
        Action::CancelClass { class, date } => {
            let stored = service::editable_class(&ctx.db, user, class).await?;
            let text = locale.text_with(
                "timetable-cancel-confirm",
                &Args::new()
                    .user("subject", stored.spec.subject.as_str())
                    .user("date", &format_date(date)),
            );
            let keyboard = InlineKeyboardMarkup::new(vec![vec![
                label(
                    locale,
                    "timetable-btn-cancel-yes",
                    Action::CancelClassYes { class, date },
                ),
                label(locale, "timetable-btn-back", Action::DayChanges { date }),
            ]]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::RemoveExtra { change } => {
            let date = service::editable_extra(&ctx.db, user, change).await?;
            let text = locale.text_with(
                "timetable-remove-extra-confirm",
                &Args::new()
                    .user("subject", date.subject.as_str())
                    .user("date", &format_date(date.date)),
            );
            let keyboard = InlineKeyboardMarkup::new(vec![vec![
                label(
                    locale,
                    "timetable-btn-remove-extra-yes",
                    Action::RemoveExtraYes { change },
                ),
                label(
                    locale,
                    "timetable-btn-back",
                    Action::DayChanges { date: date.date },
                ),
            ]]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::RemoveExtraYes { change } => {
            let removed = ctx
                .write(user, |uow| Box::pin(service::remove_extra(uow, change)))
                .await?;
            show_day(ctx, session, target, removed.date).await?;
            Ok(Some(locale.text("timetable-extra-removed")))
        }
        Action::CancelClassYes { class, date } => {
            ctx.write(user, |uow| Box::pin(service::cancel(uow, class, date)))
                .await?;
            show_day(ctx, session, target, date).await?;
            Ok(Some(locale.text("timetable-class-cancelled")))
        }
    }
}

fn semester_saved(locale: Locale, semester: &Semester) -> String {
    locale.text_with(
        "timetable-semester-saved",
        &Args::new()
            .user("from", &format_date(semester.first_day))
            .user("to", &format_date(semester.last_day))
            .user("parity", &render::parity(locale, semester.first_week)),
    )
}

// ----- form steps ---------------------------------------------------------------------------

async fn step(ctx: &Ctx, session: &Session, form: TimetableForm, text: &str) -> Flow {
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
            let bells = match input::parse_bells(text) {
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
fn bells_refused(locale: Locale, err: input::BellsInputError) -> String {
    use crate::timetable::week::BellsError;
    let n = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    match err {
        input::BellsInputError::Line { line } => locale.text_with(
            "timetable-bells-bad-line",
            &Args::new().num("line", n(line)),
        ),
        input::BellsInputError::Bells(BellsError::Empty) => locale.text("timetable-bells-empty"),
        input::BellsInputError::Bells(BellsError::TooMany { max }) => locale.text_with(
            "timetable-bells-too-many",
            &Args::new().num("max", i64::from(max)),
        ),
        input::BellsInputError::Bells(BellsError::EndsBeforeStart { pair }) => locale.text_with(
            "timetable-bells-ends-before-start",
            &Args::new().num("pair", n(pair)),
        ),
        input::BellsInputError::Bells(BellsError::Overlaps { pair }) => {
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
