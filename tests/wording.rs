//! The texts themselves, read from the Fluent files: no Cyrillic reaches an English screen, no
//! Russian text addresses the reader as a man or a woman, and every change-log action has a
//! readable name in the history (never `groupchat.publish` on a screen).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (file name, line number, line) of every line of the locale's Fluent files.
fn lines_of(locale: &str) -> Vec<(String, usize, String)> {
    let dir = root().join("locales").join(locale);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the locale's directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ftl"))
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("a readable .ftl");
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with('#') {
                lines.push((name.clone(), n + 1, line.to_owned()));
            }
        }
    }
    lines
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

#[test]
fn no_cyrillic_in_english_texts() {
    let found: Vec<String> = lines_of("en")
        .into_iter()
        .filter(|(_, _, line)| line.chars().any(is_cyrillic))
        .map(|(file, n, line)| format!("{file}:{n}: {line}"))
        .collect();
    assert!(found.is_empty(), "Cyrillic in English texts: {found:#?}");
}

/// Russian forms that address the reader with a gender: «вы первый», «Вы следующий»,
/// «присоединился(-ась)», «отошёл(а)».
#[test]
fn no_gendered_forms_in_russian_texts() {
    let gendered_you = [
        "вы первый",
        "вы первая",
        "вы следующий",
        "вы следующая",
        "вы последний",
        "вы уверены",
        "вы готовы",
        "вы записаны",
        "вы должны",
    ];
    let found: Vec<String> = lines_of("ru")
        .into_iter()
        .filter(|(_, _, line)| {
            let lower = line.to_lowercase();
            gendered_you.iter().any(|form| lower.contains(form))
                || ["(а)", "(-а)", "(-ась)", "(ась)", "(-ла)", "(ла)"]
                    .iter()
                    .any(|ending| lower.contains(ending))
        })
        .map(|(file, n, line)| format!("{file}:{n}: {line}"))
        .collect();
    assert!(found.is_empty(), "gendered forms: {found:#?}");
}

/// The change-log actions the rules write (`"queue.join"` literals in `src/`).
fn actions_in(dir: &Path, found: &mut BTreeSet<String>) {
    const ENTITIES: [&str; 13] = [
        "admin",
        "announcement",
        "deadline",
        "event",
        "group",
        "groupchat",
        "invite",
        "member",
        "profile",
        "queue",
        "timetable",
        "topic",
        "topics",
    ];
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            if !path.ends_with("telegram") && !path.ends_with("http") {
                actions_in(&path, found);
            }
            continue;
        }
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        for literal in text.split('"').skip(1).step_by(2) {
            let Some((entity, what)) = literal.split_once('.') else {
                continue;
            };
            let is_word =
                |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if ENTITIES.contains(&entity) && is_word(what) {
                found.insert(literal.to_owned());
            }
        }
    }
}

#[test]
fn every_change_has_a_name_in_the_history() {
    let mut actions = BTreeSet::new();
    actions_in(&root().join("src"), &mut actions);
    assert!(actions.contains("queue.join") && actions.contains("groupchat.publish"));
    for locale in ["ru", "en"] {
        let ids: BTreeSet<String> = lines_of(locale)
            .into_iter()
            .filter_map(|(_, _, line)| Some(line.split_once(" =")?.0.trim().to_owned()))
            .collect();
        let unnamed: Vec<&String> = actions
            .iter()
            .filter(|action| {
                let id = format!("history-action-{}", action.replace(['.', '_'], "-"));
                !ids.contains(&id)
            })
            .collect();
        assert!(
            unnamed.is_empty(),
            "{locale}: actions shown raw: {unnamed:?}"
        );
    }
}

/// One look for each control: ◀️ means back (never ⬅️), and no button is a bare emoji whose
/// meaning one has to guess.
#[test]
fn controls_look_the_same_everywhere() {
    for locale in ["ru", "en"] {
        for (file, n, line) in lines_of(locale) {
            assert!(!line.contains('⬅'), "{file}:{n}: ⬅️ for back: {line}");
            let Some((id, value)) = line.split_once(" = ") else {
                continue;
            };
            if id.contains("-btn-") {
                assert!(
                    value.chars().any(|c| c.is_alphabetic() || c == '{'),
                    "{file}:{n}: a button with no word: {line}"
                );
            }
        }
    }
}
