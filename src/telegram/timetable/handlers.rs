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
use super::{steps, typed, upload};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::keyboards;
use crate::telegram::kit::{self, Flow, label, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common};
use crate::timetable::service;
use crate::timetable::week::{Parity, Semester, Subgroup};

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
        (Some(text), _, _) => typed::step(&ctx, &session, form, text).await,
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
    let keyboard = crate::telegram::miniapp::with_open_button(
        ctx,
        &target,
        locale,
        render::view_keyboard(locale, &days, today, None, Some(date)),
    );
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_week(ctx: &Ctx, session: &Session, target: Target, date: NaiveDate) -> Flow {
    let locale = session.locale;
    let days = service::week(&ctx.db, session.user_id, date).await?;
    let today = days.viewer.today(ctx.notifier.now());
    let monday = crate::timetable::week::monday_of(date);
    let text = render::week_text(locale, &days);
    let keyboard = crate::telegram::miniapp::with_open_button(
        ctx,
        &target,
        locale,
        render::view_keyboard(locale, &days, today, Some(monday), None),
    );
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
    let (posts, bound) = service::post_changes(&ctx.db, user).await?;
    let mut text = render::manage_text(locale, semester.as_ref(), classes.len());
    if let Some(on) = posts {
        let id = match (on, bound) {
            (true, true) => "timetable-manage-post-on",
            (true, false) => "timetable-manage-post-on-unbound",
            (false, _) => "timetable-manage-post-off",
        };
        text = format!("{text}\n{}", locale.text(id));
    }
    let mut keyboard = render::manage_keyboard(locale, today, posts);
    if let Some(on) = service::post_digest(&ctx.db, user).await? {
        let id = if on {
            "digest-manage-chat-on"
        } else {
            "digest-manage-chat-off"
        };
        text = format!("{text}\n{}", locale.text(id));
        // Beside the changes' toggle, above «◀️ Назад».
        let button = if on {
            "digest-btn-chat-off"
        } else {
            "digest-btn-chat-on"
        };
        let row = vec![render::button(
            locale.text(button),
            Action::PostDigest { on: !on },
        )];
        let rows = &mut keyboard.inline_keyboard;
        rows.insert(rows.len().saturating_sub(1), row);
    }
    screen::show(ctx, target, &text, keyboard).await?;
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
    rows.extend(crate::telegram::kit::pager_from(
        from,
        classes.len(),
        CLASSES_PAGE,
        |from| Action::Classes { from },
    ));
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
        Action::PostChanges { on } => {
            ctx.write(user, |uow| Box::pin(service::set_post_changes(uow, on)))
                .await?;
            show_manage(ctx, session, target).await?;
            Ok(Some(locale.text(if on {
                "timetable-post-turned-on"
            } else {
                "timetable-post-turned-off"
            })))
        }
        Action::PostDigest { on } => {
            ctx.write(user, |uow| Box::pin(service::set_post_digest(uow, on)))
                .await?;
            show_manage(ctx, session, target).await?;
            Ok(Some(locale.text(if on {
                "digest-chat-turned-on"
            } else {
                "digest-chat-turned-off"
            })))
        }
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
