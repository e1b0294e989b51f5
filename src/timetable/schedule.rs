//! What a range of dates holds, pure: the weekly classes that meet on each date (semester,
//! weekday, weeks rule), less the cancelled and moved ones, plus moved and extra classes at
//! their new place, for one subgroup.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use uuid::Uuid;

use super::input::{ClassSpec, ExtraSpec, MoveSpec};
use super::week::{Pair, Semester, Subgroup};

/// A stored weekly class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub id: Uuid,
    pub spec: ClassSpec,
}

/// What a change does to its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Cancel,
    Move(MoveSpec),
    Extra(ExtraSpec),
}

impl ChangeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Cancel => "cancel",
            ChangeKind::Move(_) => "move",
            ChangeKind::Extra(_) => "extra",
        }
    }
}

/// A stored change to one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateChange {
    pub id: Uuid,
    /// The class cancelled or moved (`None` for an extra class).
    pub class: Option<Uuid>,
    pub on_date: NaiveDate,
    pub kind: ChangeKind,
}

/// How an occurrence differs from the weekly timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Regular,
    /// Moved here from `from` (its usual date), pair `pair`.
    Moved {
        from: NaiveDate,
        pair: Pair,
    },
    Extra,
}

/// A class held on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The weekly class (`None` for an extra class).
    pub class: Option<Uuid>,
    /// The extra class's change (`None` for a weekly class).
    pub extra: Option<Uuid>,
    pub date: NaiveDate,
    pub pair: Pair,
    pub subject: String,
    pub kind: super::week::ClassKind,
    pub teacher: Option<String>,
    pub room: Option<String>,
    pub subgroup: Option<Subgroup>,
    pub status: Status,
}

/// A class not held on its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub class: Uuid,
    pub pair: Pair,
    pub subject: String,
    /// Where it went, if moved.
    pub moved_to: Option<(NaiveDate, Pair)>,
}

/// One date: the classes held (by pair) and the ones cancelled or moved away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub held: Vec<Occurrence>,
    pub dropped: Vec<Dropped>,
}

fn regular(class: &Class, date: NaiveDate) -> Occurrence {
    let spec = &class.spec;
    Occurrence {
        class: Some(class.id),
        extra: None,
        date,
        pair: spec.pair,
        subject: spec.subject.as_str().to_owned(),
        kind: spec.kind,
        teacher: spec.teacher.as_ref().map(|t| t.as_str().to_owned()),
        room: spec.room.as_ref().map(|r| r.as_str().to_owned()),
        subgroup: spec.subgroup,
        status: Status::Regular,
    }
}

/// Whether `class` meets on `date` by the weekly timetable (before changes).
pub fn meets(class: &Class, semester: Option<&Semester>, date: NaiveDate) -> bool {
    let Some(week) = semester.and_then(|s| s.week(date)) else {
        return false;
    };
    class.spec.weekday == date.weekday() && class.spec.weeks.meets(date, week)
}

/// How a weekly class recurs within the semester: its first date and every how many weeks
/// (1 or 2), or, for a class on listed dates, those dates. `None`: it never meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    Weekly { first: NaiveDate, interval: u32 },
    Dates(Vec<NaiveDate>),
}

/// The recurrence of `class` in `semester`.
pub fn recurrence(class: &Class, semester: &Semester) -> Option<Recurrence> {
    if let super::week::Weeks::Dates(dates) = &class.spec.weeks {
        let dates: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .filter(|&d| meets(class, Some(semester), d))
            .collect();
        return (!dates.is_empty()).then_some(Recurrence::Dates(dates));
    }
    let interval = match class.spec.weeks {
        super::week::Weeks::Every => 1,
        _ => 2,
    };
    // The first meeting lies within the first two weeks.
    (0..14)
        .map(|days| semester.first_day + Duration::days(days))
        .find(|&date| meets(class, Some(semester), date))
        .map(|first| Recurrence::Weekly { first, interval })
}

/// The plan of each date from `from` to `to` (inclusive) for a student of `subgroup` (`None`:
/// every class). `changes` must hold every change whose date or new date is in the range.
pub fn plan(
    classes: &[Class],
    changes: &[DateChange],
    semester: Option<&Semester>,
    from: NaiveDate,
    to: NaiveDate,
    subgroup: Option<Subgroup>,
) -> BTreeMap<NaiveDate, Plan> {
    let mut days: BTreeMap<NaiveDate, Plan> = BTreeMap::new();
    let mut date = from;
    while date <= to {
        days.insert(date, Plan::default());
        date += Duration::days(1);
    }
    let visible = |class: Option<Subgroup>| Subgroup::sees(subgroup, class);
    let by_id: BTreeMap<Uuid, &Class> = classes.iter().map(|c| (c.id, c)).collect();
    let changed: BTreeMap<(Uuid, NaiveDate), &DateChange> = changes
        .iter()
        .filter_map(|change| Some(((change.class?, change.on_date), change)))
        .collect();
    for (&date, day) in days.iter_mut() {
        for class in classes.iter().filter(|c| visible(c.spec.subgroup)) {
            if !meets(class, semester, date) {
                continue;
            }
            match changed.get(&(class.id, date)).map(|c| &c.kind) {
                None => day.held.push(regular(class, date)),
                Some(ChangeKind::Cancel) => day.dropped.push(Dropped {
                    class: class.id,
                    pair: class.spec.pair,
                    subject: class.spec.subject.as_str().to_owned(),
                    moved_to: None,
                }),
                Some(ChangeKind::Move(to)) => day.dropped.push(Dropped {
                    class: class.id,
                    pair: class.spec.pair,
                    subject: class.spec.subject.as_str().to_owned(),
                    moved_to: Some((to.date, to.pair)),
                }),
                // An extra class is never keyed by a class.
                Some(ChangeKind::Extra(_)) => {}
            }
        }
    }
    for change in changes {
        match &change.kind {
            ChangeKind::Cancel => {}
            ChangeKind::Move(to) => {
                let Some(class) = change.class.and_then(|id| by_id.get(&id)) else {
                    continue;
                };
                let held = meets(class, semester, change.on_date);
                if let (true, true, Some(day)) =
                    (held, visible(class.spec.subgroup), days.get_mut(&to.date))
                {
                    let mut moved = regular(class, to.date);
                    moved.pair = to.pair;
                    if to.room.is_some() {
                        moved.room = to.room.as_ref().map(|r| r.as_str().to_owned());
                    }
                    moved.status = Status::Moved {
                        from: change.on_date,
                        pair: class.spec.pair,
                    };
                    day.held.push(moved);
                }
            }
            ChangeKind::Extra(extra) => {
                if let (true, Some(day)) = (visible(extra.subgroup), days.get_mut(&extra.date)) {
                    day.held.push(Occurrence {
                        class: None,
                        extra: Some(change.id),
                        date: extra.date,
                        pair: extra.pair,
                        subject: extra.subject.as_str().to_owned(),
                        kind: extra.kind,
                        teacher: extra.teacher.as_ref().map(|t| t.as_str().to_owned()),
                        room: extra.room.as_ref().map(|r| r.as_str().to_owned()),
                        subgroup: extra.subgroup,
                        status: Status::Extra,
                    });
                }
            }
        }
    }
    for day in days.values_mut() {
        day.held
            .sort_by(|a, b| (a.pair, &a.subject).cmp(&(b.pair, &b.subject)));
        day.dropped.sort_by_key(|d| d.pair);
    }
    days
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::timetable::input::{ClassSubject, Room};
    use crate::timetable::week::{ClassKind, Parity, Weeks};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn pair(n: u8) -> Pair {
        Pair::new(n).unwrap_or_else(|| panic!("pair {n}"))
    }

    fn class(weekday: Weekday, n: u8, subject: &str, weeks: Weeks, sub: Option<u8>) -> Class {
        Class {
            id: Uuid::new_v4(),
            spec: ClassSpec {
                weekday,
                pair: pair(n),
                subject: ClassSubject::parse(subject).unwrap_or_else(|e| panic!("{e}")),
                kind: ClassKind::Lecture,
                teacher: None,
                room: None,
                weeks,
                subgroup: sub.and_then(Subgroup::new),
            },
        }
    }

    fn semester() -> Semester {
        // Monday 7 September 2026 is week 1, odd.
        Semester::new(d(2026, 9, 7), d(2026, 12, 27), Parity::Odd).unwrap_or_else(|e| panic!("{e}"))
    }

    fn subjects(plan: &Plan) -> Vec<&str> {
        plan.held.iter().map(|o| o.subject.as_str()).collect()
    }

    #[test]
    fn recurrences_start_at_the_first_meeting() {
        let s = semester();
        let every = class(Weekday::Wed, 1, "Каждую", Weeks::Every, None);
        let even = class(Weekday::Mon, 1, "Знаменатель", Weeks::Even, None);
        let listed = class(
            Weekday::Mon,
            1,
            "Даты",
            Weeks::Dates(vec![d(2026, 9, 21), d(2027, 1, 4)]),
            None,
        );
        assert_eq!(
            recurrence(&every, &s),
            Some(Recurrence::Weekly {
                first: d(2026, 9, 9),
                interval: 1
            })
        );
        assert_eq!(
            recurrence(&even, &s),
            Some(Recurrence::Weekly {
                first: d(2026, 9, 14),
                interval: 2
            })
        );
        assert_eq!(
            recurrence(&listed, &s),
            Some(Recurrence::Dates(vec![d(2026, 9, 21)]))
        );
    }

    #[test]
    fn odd_and_even_weeks_alternate() {
        let classes = [
            class(Weekday::Mon, 1, "Каждую", Weeks::Every, None),
            class(Weekday::Mon, 2, "Числитель", Weeks::Odd, None),
            class(Weekday::Mon, 2, "Знаменатель", Weeks::Even, None),
        ];
        let s = semester();
        let days = plan(&classes, &[], Some(&s), d(2026, 9, 7), d(2026, 9, 14), None);
        assert_eq!(subjects(&days[&d(2026, 9, 7)]), ["Каждую", "Числитель"]);
        assert!(days[&d(2026, 9, 8)].held.is_empty());
        assert_eq!(subjects(&days[&d(2026, 9, 14)]), ["Каждую", "Знаменатель"]);
        // Before the semester: nothing.
        let before = plan(
            &classes,
            &[],
            Some(&s),
            d(2026, 8, 31),
            d(2026, 8, 31),
            None,
        );
        assert!(before[&d(2026, 8, 31)].held.is_empty());
        // No semester set: nothing either.
        let unset = plan(&classes, &[], None, d(2026, 9, 7), d(2026, 9, 7), None);
        assert!(unset[&d(2026, 9, 7)].held.is_empty());
    }

    #[test]
    fn a_subgroup_sees_its_own_and_the_common_classes() {
        let classes = [
            class(Weekday::Tue, 1, "Общая", Weeks::Every, None),
            class(Weekday::Tue, 2, "Первая", Weeks::Every, Some(1)),
            class(Weekday::Tue, 2, "Вторая", Weeks::Every, Some(2)),
        ];
        let s = semester();
        let tue = d(2026, 9, 8);
        let of = |sub: Option<u8>| {
            let days = plan(
                &classes,
                &[],
                Some(&s),
                tue,
                tue,
                sub.and_then(Subgroup::new),
            );
            subjects(&days[&tue])
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(of(Some(1)), ["Общая", "Первая"]);
        assert_eq!(of(Some(2)), ["Общая", "Вторая"]);
        assert_eq!(of(None), ["Общая", "Вторая", "Первая"]);
    }

    #[test]
    fn a_moved_class_appears_once_at_its_new_place_and_a_cancelled_one_not_at_all() {
        let lecture = class(Weekday::Mon, 1, "Матан", Weeks::Every, None);
        let lab = class(Weekday::Mon, 3, "Физика", Weeks::Every, None);
        let (mon, wed) = (d(2026, 9, 7), d(2026, 9, 9));
        let changes = [
            DateChange {
                id: Uuid::new_v4(),
                class: Some(lecture.id),
                on_date: mon,
                kind: ChangeKind::Move(MoveSpec {
                    date: wed,
                    pair: pair(4),
                    room: Room::parse("210").ok(),
                }),
            },
            DateChange {
                id: Uuid::new_v4(),
                class: Some(lab.id),
                on_date: mon,
                kind: ChangeKind::Cancel,
            },
        ];
        let s = semester();
        let classes = [lecture.clone(), lab.clone()];
        let days = plan(&classes, &changes, Some(&s), mon, d(2026, 9, 14), None);
        assert!(days[&mon].held.is_empty());
        assert_eq!(days[&mon].dropped.len(), 2);
        assert_eq!(days[&mon].dropped[0].moved_to, Some((wed, pair(4))));
        let moved = &days[&wed].held;
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].room.as_deref(), Some("210"));
        assert_eq!(
            moved[0].status,
            Status::Moved {
                from: mon,
                pair: pair(1)
            }
        );
        // The next Monday is as usual.
        assert_eq!(subjects(&days[&d(2026, 9, 14)]), ["Матан", "Физика"]);
        let this_week = days.range(mon..d(2026, 9, 14));
        let held = this_week
            .flat_map(|(_, p)| &p.held)
            .filter(|o| o.subject == "Матан");
        assert_eq!(held.count(), 1, "the moved lecture is held once that week");
    }
}
