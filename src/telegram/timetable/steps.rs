//! The class form (add one class field by field, or edit one field from its card) and the
//! class's card. Every answer — typed, or a button of the step — is parsed by the rules'
//! `parse_field`; a refused one is explained and the step asked again.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use super::form::TimetableForm;
use super::handlers::{leave_with, short_weekday};
use super::render::{self, button};
use super::typed::problem_text;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::kit::{Flow, inline, label, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Ctx, Locale, Session, common};
use crate::timetable::fields::{ClassDraft, ClassField, FieldValue, parse_field};
use crate::timetable::input::{ClassSpec, ClassSubject, Room, Teacher};
use crate::timetable::schedule::Class;
use crate::timetable::service;
use crate::timetable::week::{Bells, ClassKind, Subgroup, Weeks};

/// What a step's button stands for, as the text the step would take typed.
pub fn answer_text(field: ClassField, value: u8) -> Option<String> {
    const DAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
    let pick = |options: &[&str]| options.get(usize::from(value)).map(|s| (*s).to_owned());
    match field {
        ClassField::Weekday => DAYS
            .get(usize::from(value).checked_sub(1)?)
            .map(|s| (*s).to_owned()),
        ClassField::Pair => Some(value.to_string()),
        ClassField::Subject => None,
        ClassField::Kind => pick(&["лекция", "практика", "лабораторная"]),
        ClassField::Teacher | ClassField::Room => pick(&["-"]),
        ClassField::Weeks => pick(&["все", "нечет", "чет"]),
        ClassField::Subgroup if value == 0 => Some("все".to_owned()),
        ClassField::Subgroup => Some(value.to_string()),
    }
}

/// «➕ Добавить занятие»: the form's first question.
pub async fn start(ctx: &Ctx, session: &Session) -> Flow {
    service::may_edit(&ctx.db, session.user_id).await?;
    let form = TimetableForm::NewClass {
        draft: ClassDraft::default(),
        asking: ClassField::Weekday,
    };
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Timetable(form)).await?;
    ask(ctx, session, ClassField::Weekday, None).await
}

/// «✏️ …» on a class's card: asks for the field's new value.
pub async fn start_edit(ctx: &Ctx, session: &Session, class: Uuid, field: u8) -> Flow {
    let Some(field) = ClassField::from_number(field) else {
        return outdated(session.locale);
    };
    let stored = service::editable_class(&ctx.db, session.user_id, class).await?;
    let form = TimetableForm::EditClass { class, field };
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Timetable(form)).await?;
    ask(ctx, session, field, Some(&stored.spec)).await
}

fn field_name(locale: Locale, field: ClassField) -> String {
    locale.text(match field {
        ClassField::Weekday => "timetable-field-weekday",
        ClassField::Pair => "timetable-field-pair",
        ClassField::Subject => "timetable-field-subject",
        ClassField::Kind => "timetable-field-kind",
        ClassField::Teacher => "timetable-field-teacher",
        ClassField::Room => "timetable-field-room",
        ClassField::Weeks => "timetable-field-weeks",
        ClassField::Subgroup => "timetable-field-subgroup",
    })
}

fn answer(text: String, value: u8) -> InlineKeyboardButton {
    button(text, Action::Answer { value })
}

/// The question for `field` with its choices as buttons and «❌ Отмена»; when editing,
/// `current` is the class as it is.
async fn ask(ctx: &Ctx, session: &Session, field: ClassField, current: Option<&ClassSpec>) -> Flow {
    let locale = session.locale;
    let (id, args) = match field {
        ClassField::Subject => (
            "timetable-ask-subject",
            Args::new().num("max", ClassSubject::MAX_CHARS as i64),
        ),
        ClassField::Teacher => (
            "timetable-ask-teacher",
            Args::new().num("max", Teacher::MAX_CHARS as i64),
        ),
        ClassField::Room => (
            "timetable-ask-room",
            Args::new().num("max", Room::MAX_CHARS as i64),
        ),
        ClassField::Weekday => ("timetable-ask-weekday", Args::new()),
        ClassField::Pair => ("timetable-ask-pair", Args::new()),
        ClassField::Kind => ("timetable-ask-kind", Args::new()),
        ClassField::Weeks => ("timetable-ask-weeks", Args::new()),
        ClassField::Subgroup => ("timetable-ask-subgroup", Args::new()),
    };
    let bells = service::bells(&ctx.db, session.user_id).await?;
    let mut text = locale.text_with(id, &args);
    if let Some(spec) = current {
        let now = locale.text_with(
            "timetable-edit-current",
            &Args::new().value("class", class_text(locale, spec, &bells).into()),
        );
        text = format!("{now}\n\n{text}");
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    match field {
        ClassField::Weekday => {
            let days: Vec<_> = (1..=7u8)
                .filter_map(|n| {
                    let day = crate::timetable::week::weekday(n)?;
                    Some(answer(short_weekday(locale, day), n))
                })
                .collect();
            rows.extend(days.chunks(4).map(<[_]>::to_vec));
        }
        ClassField::Pair => {
            let pairs: Vec<_> = (1..=Bells::MAX_PAIRS)
                .filter_map(|n| {
                    let pair = crate::timetable::week::Pair::new(n)?;
                    let bell = bells.pair(pair)?;
                    Some(answer(format!("{n} · {}", bell.start.format("%H:%M")), n))
                })
                .collect();
            rows.extend(pairs.chunks(3).map(<[_]>::to_vec));
        }
        ClassField::Subject => {}
        ClassField::Kind => rows.push(
            ClassKind::ALL
                .iter()
                .zip(0u8..)
                .map(|(&kind, n)| answer(render::kind(locale, kind), n))
                .collect(),
        ),
        ClassField::Teacher | ClassField::Room => {
            rows.push(vec![answer(locale.text("timetable-btn-none"), 0)]);
        }
        ClassField::Weeks => rows.push(vec![
            answer(locale.text("timetable-weeks-every"), 0),
            answer(
                render::parity(locale, crate::timetable::week::Parity::Odd),
                1,
            ),
            answer(
                render::parity(locale, crate::timetable::week::Parity::Even),
                2,
            ),
        ]),
        ClassField::Subgroup => {
            let count = service::subgroup_count(&ctx.db, session.user_id).await?;
            let mut row = vec![answer(locale.text("timetable-subgroup-all"), 0)];
            for n in 1..=count.saturating_add(1).clamp(2, Subgroup::MAX) {
                row.push(answer(n.to_string(), n));
            }
            rows.push(row);
        }
    }
    rows.push(vec![label(locale, "timetable-btn-cancel", Action::Cancel)]);
    say(ctx, session, &text, inline(InlineKeyboardMarkup::new(rows))).await
}

/// An answer to the class form's step `form` (typed, or a button's text).
pub async fn take(ctx: &Ctx, session: &Session, form: TimetableForm, raw: &str) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    let context = service::date_context(&ctx.db, user, ctx.notifier.now()).await?;
    match form {
        TimetableForm::NewClass { draft, asking: at } => {
            let value = match parse_field(at, raw, draft.day(), &context) {
                Ok(value) => value,
                Err(problem) => {
                    say(ctx, session, &refused(locale, &problem), None).await?;
                    return ask(ctx, session, at, None).await;
                }
            };
            let next = match (at.next(), value) {
                (None, FieldValue::Subgroup(subgroup)) => {
                    let Some(spec) = draft.finish(subgroup) else {
                        return outdated(locale);
                    };
                    return summary(ctx, session, spec).await;
                }
                (Some(next), value) => TimetableForm::NewClass {
                    draft: draft.with(value),
                    asking: next,
                },
                (None, _) => return outdated(locale),
            };
            let TimetableForm::NewClass {
                asking: next_field, ..
            } = &next
            else {
                return outdated(locale);
            };
            let next_field = *next_field;
            dialogue::save(&ctx.db, user, &Dialogue::Timetable(next)).await?;
            ask(ctx, session, next_field, None).await
        }
        TimetableForm::EditClass { class, field } => {
            let stored = service::editable_class(&ctx.db, user, class).await?;
            let value = parse_field(field, raw, stored.spec.weekday, &context)
                .and_then(|value| stored.spec.clone().with(value.clone()).map(|_| value));
            let value = match value {
                Ok(value) => value,
                Err(problem) => {
                    say(ctx, session, &refused(locale, &problem), None).await?;
                    return ask(ctx, session, field, Some(&stored.spec)).await;
                }
            };
            ctx.write(user, |uow| {
                Box::pin(service::edit_class(uow, class, &value))
            })
            .await?;
            dialogue::clear(&ctx.db, user).await?;
            let idle = Session {
                dialogue: Dialogue::Idle,
                ..session.clone()
            };
            common::show_menu_with(ctx, &idle, &locale.text("timetable-class-edited")).await?;
            card(ctx, &idle, Target::New(session.chat), class).await
        }
        TimetableForm::ClassSummary { .. } => {
            say(ctx, session, &locale.text("timetable-hint-save"), None).await
        }
        _ => outdated(locale),
    }
}

fn refused(locale: Locale, problem: &crate::timetable::input::Problem) -> String {
    locale.text_with(
        "timetable-step-refused",
        &Args::new().value("problem", problem_text(locale, problem).into()),
    )
}

/// The class as added, with «✅ Сохранить» and «❌ Отмена».
async fn summary(ctx: &Ctx, session: &Session, spec: ClassSpec) -> Flow {
    let locale = session.locale;
    let bells = service::bells(&ctx.db, session.user_id).await?;
    let text = locale.text_with(
        "timetable-class-summary",
        &Args::new().value("class", class_text(locale, &spec, &bells).into()),
    );
    let form = TimetableForm::ClassSummary { spec };
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Timetable(form)).await?;
    say(ctx, session, &text, inline(save_keyboard(locale))).await
}

/// «✅ Сохранить» and «❌ Отмена».
pub fn save_keyboard(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        label(locale, "timetable-btn-save", Action::Save),
        label(locale, "timetable-btn-cancel", Action::Cancel),
    ]])
}

/// «✅ Сохранить» under a class's summary: the class is added, the form ends.
pub async fn save(ctx: &Ctx, session: &Session, target: Target, spec: ClassSpec) -> Flow {
    let locale = session.locale;
    ctx.write(session.user_id, |uow| {
        Box::pin(service::add_class(uow, &spec))
    })
    .await?;
    let bells = service::bells(&ctx.db, session.user_id).await?;
    let text = locale.text_with(
        "timetable-class-added",
        &Args::new().value("class", class_text(locale, &spec, &bells).into()),
    );
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    leave_with(ctx, session, &locale.text("main-menu")).await?;
    Ok(None)
}

/// A class in full: day and pair with its time, subject and kind, teacher, room, weeks,
/// subgroup (user texts escaped).
pub fn class_text(locale: Locale, spec: &ClassSpec, bells: &Bells) -> String {
    let time = bells
        .pair(spec.pair)
        .map(|bell| {
            format!(
                "{}–{}",
                bell.start.format("%H:%M"),
                bell.end.format("%H:%M")
            )
        })
        .unwrap_or_default();
    let none = locale.text("timetable-none");
    let weeks = match &spec.weeks {
        Weeks::Every => locale.text("timetable-weeks-every"),
        Weeks::Odd => render::parity(locale, crate::timetable::week::Parity::Odd),
        Weeks::Even => render::parity(locale, crate::timetable::week::Parity::Even),
        Weeks::Dates(dates) => dates
            .iter()
            .map(|d| d.format("%d.%m").to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let subgroup = match spec.subgroup {
        Some(s) => s.number().to_string(),
        None => locale.text("timetable-subgroup-all"),
    };
    locale.text_with(
        "timetable-class-card",
        &Args::new()
            .user("weekday", &short_weekday(locale, spec.weekday))
            .num("pair", i64::from(spec.pair.number()))
            .user("time", &time)
            .user("subject", spec.subject.as_str())
            .user("kind", &render::kind(locale, spec.kind))
            .user(
                "teacher",
                spec.teacher.as_ref().map_or(none.as_str(), Teacher::as_str),
            )
            .user(
                "room",
                spec.room.as_ref().map_or(none.as_str(), Room::as_str),
            )
            .user("weeks", &weeks)
            .user("subgroup", &subgroup),
    )
}

/// A class's card: the class, a button to edit each field, delete, back to the list.
pub async fn card(ctx: &Ctx, session: &Session, target: Target, class: Uuid) -> Flow {
    let locale = session.locale;
    let Class { id, spec } = service::editable_class(&ctx.db, session.user_id, class).await?;
    let bells = service::bells(&ctx.db, session.user_id).await?;
    let edits: Vec<InlineKeyboardButton> = ClassField::ALL
        .iter()
        .map(|&field| {
            let text = locale.text_with(
                "timetable-btn-edit-field",
                &Args::new().plain("field", &field_name(locale, field)),
            );
            button(
                text,
                Action::EditClass {
                    class: id,
                    field: field.number(),
                },
            )
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = edits.chunks(2).map(<[_]>::to_vec).collect();
    rows.push(vec![label(
        locale,
        "timetable-btn-delete-class",
        Action::DeleteClass { class: id },
    )]);
    rows.push(vec![label(
        locale,
        "timetable-btn-back",
        Action::Classes { from: 0 },
    )]);
    let text = class_text(locale, &spec, &bells);
    screen::show(ctx, target, &text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(None)
}
