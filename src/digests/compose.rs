//! What a digest says, pure: the lines of one recipient's day (classes, homework, deadlines,
//! queues) as a [`Note`] of template ids and arguments, rendered in the recipient's language
//! when it is sent; nothing to say, no note. And the order the sender takes a minute's digests
//! in ([`stagger`]): round the groups, not one group's whole list after another.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use super::settings::Digest;
use crate::groups::Timezone;
use crate::notifications::{Note, Text};
use crate::timetable::schedule::Occurrence;
use crate::timetable::week::Bells;

/// A class of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassLine {
    pub pair: u8,
    /// When it starts (`None`: the bells have no such pair).
    pub start: Option<NaiveTime>,
    pub subject: String,
    pub room: Option<String>,
    /// Whose class it is, shown in the group chat's digest only (`None`: everyone's).
    pub subgroup: Option<u8>,
}

impl ClassLine {
    /// The line of a held class; `labelled`: with its subgroup (the group chat's digest).
    pub fn of(occurrence: &Occurrence, bells: &Bells, labelled: bool) -> Self {
        Self {
            pair: occurrence.pair.number(),
            start: bells.pair(occurrence.pair).map(|bell| bell.start),
            subject: occurrence.subject.clone(),
            room: occurrence.room.clone(),
            subgroup: occurrence.subgroup.filter(|_| labelled).map(|s| s.number()),
        }
    }
}

/// A task due that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeworkLine {
    pub subject: Option<String>,
    pub body: String,
}

/// A deadline within the next 48 hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineLine {
    pub text: String,
    pub at: DateTime<Utc>,
}

/// A queue the recipient stands in whose event is that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLine {
    pub title: String,
    pub event: String,
    /// 1 = first.
    pub place: u32,
}

/// One recipient's digest of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub digest: Digest,
    pub date: NaiveDate,
    pub tz: Timezone,
    pub classes: Vec<ClassLine>,
    pub homework: Vec<HomeworkLine>,
    pub deadlines: Vec<DeadlineLine>,
    pub queues: Vec<QueueLine>,
}

/// How long ahead a digest names deadlines.
pub const DEADLINES_AHEAD: Duration = Duration::hours(48);

impl Day {
    /// Nothing to say.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
            && self.homework.is_empty()
            && self.deadlines.is_empty()
            && self.queues.is_empty()
    }

    /// The message, `None` when there is nothing to say.
    pub fn note(&self) -> Option<Note> {
        if self.is_empty() {
            return None;
        }
        let mut lines = Vec::new();
        if !self.classes.is_empty() {
            let first = self.classes.iter().find_map(|c| c.start);
            lines.push(match first {
                Some(start) => Text::new("digest-classes-from")
                    .num("count", self.classes.len())
                    .user("start", start.format("%H:%M").to_string()),
                None => Text::new("digest-classes").num("count", self.classes.len()),
            });
            lines.extend(self.classes.iter().map(class_line));
        }
        if !self.homework.is_empty() {
            lines.push(Text::new("digest-homework-head"));
            lines.extend(self.homework.iter().map(|task| {
                match &task.subject {
                    Some(subject) => Text::new("digest-homework-subject")
                        .user("subject", subject)
                        .user("body", &task.body),
                    None => Text::new("digest-homework").user("body", &task.body),
                }
            }));
        }
        if !self.deadlines.is_empty() {
            lines.push(Text::new("digest-deadlines-head"));
            lines.extend(self.deadlines.iter().map(|deadline| {
                Text::new("digest-deadline")
                    .user("text", &deadline.text)
                    .time("at", deadline.at, self.tz)
            }));
        }
        if !self.queues.is_empty() {
            lines.push(Text::new("digest-queues-head"));
            lines.extend(self.queues.iter().map(|queue| {
                Text::new("digest-queue")
                    .user_or("title", &queue.title, crate::queues::events::UNNAMED)
                    .user("event", &queue.event)
                    .num("place", queue.place)
            }));
        }
        let title = match self.digest {
            Digest::Evening => "digest-evening",
            Digest::Morning => "digest-morning",
        };
        Some(Note::new(
            Text::new(title)
                .date("date", self.date)
                .list("lines", lines),
        ))
    }
}

fn class_line(class: &ClassLine) -> Text {
    let id = match (class.subgroup.is_some(), class.room.is_some()) {
        (false, false) => "digest-class",
        (false, true) => "digest-class-room",
        (true, false) => "digest-class-sub",
        (true, true) => "digest-class-sub-room",
    };
    let time = class
        .start
        .map(|start| start.format("%H:%M").to_string())
        .unwrap_or_default();
    let mut text = Text::new(id)
        .num("pair", class.pair)
        .user("time", time)
        .user("subject", &class.subject);
    if let Some(room) = &class.room {
        text = text.user("room", room);
    }
    if let Some(subgroup) = class.subgroup {
        text = text.num("subgroup", subgroup);
    }
    text
}

/// «In `minutes` minutes: subject, room».
pub fn ping(minutes: u16, subject: &str, room: Option<&str>) -> Note {
    let text = match room {
        Some(room) => Text::new("digest-ping-room").user("room", room),
        None => Text::new("digest-ping"),
    };
    Note::new(text.num("minutes", minutes).user("subject", subject))
}

/// The due time of each of a minute's digests, given as (group, recipient, minute): the k-th
/// recipient of a group (in the order of their ids) is due k milliseconds after the minute, so
/// the sender, taking rows by due time, goes round the groups — every group's first, then
/// every group's second — rather than through one group's whole list before the next.
pub fn stagger(due: &[(Uuid, i64, DateTime<Utc>)]) -> Vec<DateTime<Utc>> {
    let mut order: Vec<usize> = (0..due.len()).collect();
    order.sort_by_key(|&i| (due[i].0, due[i].2, due[i].1));
    let mut rank: HashMap<(Uuid, DateTime<Utc>), i64> = HashMap::new();
    let mut at = vec![DateTime::<Utc>::MIN_UTC; due.len()];
    for i in order {
        let (group, _, minute) = due[i];
        let k = rank.entry((group, minute)).or_default();
        at[i] = minute + Duration::milliseconds(*k);
        *k += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notifications::note::Arg;

    fn day() -> Day {
        Day {
            digest: Digest::Evening,
            date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap_or_default(),
            tz: Timezone::default(),
            classes: Vec::new(),
            homework: Vec::new(),
            deadlines: Vec::new(),
            queues: Vec::new(),
        }
    }

    fn lines(note: &Note) -> Vec<String> {
        match note.text.args.get("lines") {
            Some(Arg::List(lines)) => lines.iter().map(|l| l.id.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn nothing_to_say_is_no_note() {
        assert_eq!(day().note(), None);
    }

    #[test]
    fn a_day_lists_classes_from_the_first_start_then_the_rest() {
        let mut day = day();
        day.classes = vec![
            ClassLine {
                pair: 2,
                start: NaiveTime::from_hms_opt(10, 40, 0),
                subject: "ОС".into(),
                room: Some("401".into()),
                subgroup: None,
            },
            ClassLine {
                pair: 3,
                start: NaiveTime::from_hms_opt(12, 40, 0),
                subject: "Сети".into(),
                room: None,
                subgroup: Some(2),
            },
        ];
        day.homework = vec![HomeworkLine {
            subject: None,
            body: "§3".into(),
        }];
        day.queues = vec![QueueLine {
            title: "Защита".into(),
            event: "Лаба".into(),
            place: 3,
        }];
        let note = day.note().unwrap_or_else(|| Note::new(Text::new("")));
        assert_eq!(note.text.id, "digest-evening");
        assert_eq!(
            lines(&note),
            [
                "digest-classes-from",
                "digest-class-room",
                "digest-class-sub",
                "digest-homework-head",
                "digest-homework",
                "digest-queues-head",
                "digest-queue",
            ]
        );
        let Some(Arg::List(list)) = note.text.args.get("lines") else {
            panic!("no lines");
        };
        assert_eq!(list[0].args.get("start"), Some(&Arg::User("10:40".into())));
    }

    #[test]
    fn a_minute_goes_round_the_groups() {
        let minute =
            DateTime::<Utc>::from_timestamp(1_765_000_000 / 60 * 60, 0).unwrap_or_default();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let due = vec![
            (a, 10, minute),
            (a, 11, minute),
            (a, 12, minute),
            (b, 20, minute),
            (b, 21, minute),
        ];
        let at = stagger(&due);
        let mut order: Vec<usize> = (0..due.len()).collect();
        order.sort_by_key(|&i| at[i]);
        let groups: Vec<Uuid> = order.iter().map(|&i| due[i].0).collect();
        // Same due time within a pair: the ids decide, so compare rounds, not the pair order.
        let rounds: Vec<Vec<Uuid>> = groups.chunks(2).map(<[Uuid]>::to_vec).collect();
        assert_eq!(rounds.len(), 3);
        for round in &rounds[..2] {
            assert!(round.contains(&a) && round.contains(&b), "{groups:?}");
        }
        assert_eq!(at[0], minute);
        assert_eq!(at[2], minute + Duration::milliseconds(2));
        assert_eq!(at[4], minute + Duration::milliseconds(1));
    }
}
