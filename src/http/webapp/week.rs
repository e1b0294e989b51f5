//! `GET /app/api/week?date=YYYY-MM-DD`: the week (Monday to Sunday) holding the date, today's
//! by default — the student's subgroup's classes after the changes, the group's events and
//! deadlines — with every word already in the user's language, so the page only draws.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, RawQuery, State};
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use super::api::ApiError;
use super::{Caller, WebApp};
use crate::telegram::kit::toast;
use crate::telegram::timetable::render::{kind, parity, weekday_name};
use crate::telegram::{Args, Locale};
use crate::timetable::schedule::{Occurrence, Status};
use crate::timetable::service::{Day, Days, TimetableError};
use crate::timetable::week::{Bells, monday_of};

/// The dates the page may ask for: far enough for any semester, near enough to stay sane.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The `date` of the query, strictly: nothing else may be asked, and only as `YYYY-MM-DD`.
fn asked_date(query: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    let value = query.strip_prefix("date=").ok_or(ApiError::BadRequest)?;
    let well_formed = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(ApiError::BadRequest);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|date| YEARS.contains(&date.year()))
        .map(Some)
        .ok_or(ApiError::BadRequest)
}

fn timetable_error(err: TimetableError) -> ApiError {
    match err {
        TimetableError::Access(err) => err.into(),
        TimetableError::Db(err) => err.into(),
        _ => ApiError::NotFound,
    }
}

pub async fn week(
    State(app): State<Arc<WebApp>>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let asked = asked_date(query.as_deref())?;
    let db = &app.ctx.db;
    let locale = crate::telegram::session::locale_of(db, caller.0).await?;
    let now = app.ctx.notifier.now();
    let today = match asked {
        Some(_) => None,
        None => Some(
            crate::timetable::service::viewer(db, caller.0)
                .await
                .map_err(timetable_error)?
                .today(now),
        ),
    };
    let date = asked.or(today).unwrap_or_default();
    let days = crate::timetable::service::week(db, caller.0, date)
        .await
        .map_err(timetable_error)?;
    let today = days.viewer.today(now);
    Ok(Json(week_json(locale, &days, monday_of(date), today)))
}

fn week_json(locale: Locale, days: &Days, monday: NaiveDate, today: NaiveDate) -> Value {
    let short = |date: NaiveDate| date.format("%d.%m").to_string();
    let week_note = days
        .days
        .first()
        .and_then(|day| day.week)
        .map(|week| {
            locale.text_with(
                "timetable-week-of",
                &Args::new()
                    .num("number", i64::from(week.number))
                    .plain("parity", &parity(locale, week.parity)),
            )
        })
        .unwrap_or_else(|| locale.text("timetable-outside-semester"));
    let sunday = monday + Duration::days(6);
    json!({
        "monday": monday.to_string(),
        "today": today.to_string(),
        "this_monday": monday_of(today).to_string(),
        "prev": (monday - Duration::days(7)).to_string(),
        "next": (monday + Duration::days(7)).to_string(),
        "range": format!("{} – {}", short(monday), short(sunday)),
        "note": week_note,
        "semester": days.semester.is_some(),
        "days": days.days.iter().map(|day| day_json(locale, &days.bells, day, today)).collect::<Vec<_>>(),
    })
}

fn day_json(locale: Locale, bells: &Bells, day: &Day, today: NaiveDate) -> Value {
    let dropped: Vec<String> = day
        .plan
        .dropped
        .iter()
        .map(|dropped| {
            let args = Args::new()
                .num("pair", i64::from(dropped.pair.number()))
                .plain("subject", &dropped.subject);
            toast(&match dropped.moved_to {
                None => locale.text_with("timetable-cancelled", &args),
                Some((date, pair)) => locale.text_with(
                    "timetable-moved-away",
                    &args
                        .plain("date", &date.format("%d.%m").to_string())
                        .num("to_pair", i64::from(pair.number())),
                ),
            })
        })
        .collect();
    json!({
        "date": day.date.to_string(),
        "weekday": weekday_name(locale, day.date),
        "wd": locale
            .text("calendar-weekdays")
            .split_whitespace()
            .nth(day.date.weekday().num_days_from_monday() as usize)
            .unwrap_or_default(),
        "short": day.date.format("%d.%m").to_string(),
        "today": day.date == today,
        "classes": day.plan.held.iter().map(|held| class_json(locale, bells, held, day)).collect::<Vec<_>>(),
        "dropped": dropped,
        "events": day.events.iter().map(|e| json!({"title": e.title, "important": e.important})).collect::<Vec<_>>(),
        "deadlines": day.deadlines.iter().map(|d| json!({"text": d.text, "at": d.at.to_rfc3339()})).collect::<Vec<_>>(),
    })
}

fn class_json(locale: Locale, bells: &Bells, held: &Occurrence, day: &Day) -> Value {
    let bell = bells.pair(held.pair);
    let note = match held.status {
        Status::Regular => None,
        Status::Moved { from, .. } => Some(toast(&locale.text_with(
            "timetable-moved-here",
            &Args::new().plain("date", &from.format("%d.%m").to_string()),
        ))),
        Status::Extra => Some(toast(&locale.text("timetable-extra"))),
    };
    json!({
        "pair": held.pair.number(),
        "start": bell.map(|b| b.start.format("%H:%M").to_string()),
        "end": bell.map(|b| b.end.format("%H:%M").to_string()),
        "subject": held.subject,
        "kind": kind(locale, held.kind),
        "room": held.room,
        "teacher": held.teacher,
        "subgroup": held.subgroup.map(u8::from),
        "note": note,
        // The published tasks set on this class's date, one a line.
        "homework": homework(held, day),
    })
}

/// The texts of the tasks due at `held` on its day, one a line, ✅ before the viewer's done
/// ones (`null` without any).
fn homework(held: &Occurrence, day: &Day) -> Value {
    let tasks: Vec<String> = day
        .homework
        .iter()
        .filter(|task| task.class_id.is_some() && task.class_id == held.class)
        .map(|task| {
            let mark = if task.done { "✅ " } else { "" };
            format!("{mark}{}", task.body)
        })
        .collect();
    if tasks.is_empty() {
        Value::Null
    } else {
        Value::String(tasks.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::asked_date;

    #[test]
    fn only_a_plain_date_may_be_asked() {
        assert!(matches!(asked_date(None), Ok(None)));
        assert!(matches!(asked_date(Some("")), Ok(None)));
        assert!(matches!(asked_date(Some("date=2026-09-14")), Ok(Some(_))));
        for bad in [
            "date=2026-9-14",
            "date=2026-02-30",
            "date=1900-01-01",
            "date=2026-09-14&x=1",
            "day=2026-09-14",
            "date=+2026-9-14",
            "date=２０２６-09-14",
        ] {
            assert!(asked_date(Some(bad)).is_err(), "{bad}");
        }
    }
}
