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

/// How many characters of a button's text a phone shows untruncated in a full-width row
/// (`telegram::kit::ROW_CHARS`; a row's buttons share them, which each screen's keyboard test
/// checks). Placeholders are left out here: what fills them is cut by the code.
const BUTTON_CHARS: usize = 26;

#[test]
fn button_texts_fit_a_phone_and_cross_means_cancel() {
    for locale in ["ru", "en"] {
        for (file, n, line) in lines_of(locale) {
            let Some((id, value)) = line.split_once(" = ") else {
                continue;
            };
            if !id.contains("-btn-") {
                continue;
            }
            let mut shown = String::new();
            let mut depth = 0;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 && c != '\u{FE0F}' => shown.push(c),
                    _ => {}
                }
            }
            assert!(
                shown.chars().count() <= BUTTON_CHARS,
                "{file}:{n}: {} characters are cut on a phone: {line}",
                shown.chars().count()
            );
            // ❌ is «Отмена» / "Cancel" and nothing else (an "off" or a refusal has its own sign).
            if value.contains('❌') {
                let lower = value.to_lowercase();
                assert!(
                    lower.contains("отмен") || lower.contains("cancel"),
                    "{file}:{n}: ❌ on a button that does not cancel: {line}"
                );
            }
            // One pager, one look for every arrow: ◀️ and ▶️ as emoji, never ◀ ▶ › ‹ « ».
            for bare in ['›', '‹'] {
                assert!(!value.contains(bare), "{file}:{n}: {line}");
            }
            for (i, c) in value.char_indices() {
                if c == '◀' || c == '▶' {
                    assert!(
                        value[i + c.len_utf8()..].starts_with('\u{FE0F}'),
                        "{file}:{n}: an arrow without its emoji form: {line}"
                    );
                }
            }
        }
    }
}

/// The pagers are one (`telegram::kit::pager`): no screen builds its own arrows.
#[test]
fn every_pager_is_the_kits() {
    let mut found = Vec::new();
    let mut stack = vec![root().join("src").join("telegram")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.ends_with("kit.rs") || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            for (n, line) in text.lines().enumerate() {
                // The month grid's arrows sit around the month's name: a title, not a pager.
                let month = line.contains("navigate(month");
                if (line.contains("(\"◀️\"") || line.contains("(\"▶️\"")) && !month {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "pagers of their own: {found:#?}");
}

/// ё is written wherever it belongs: these common words never lose it (`все` is left out — it
/// is also the plural «все участники»).
#[test]
fn russian_texts_write_yo() {
    const WITHOUT_YO: [&str; 24] = [
        "еще",
        "ее",
        "нее",
        "нем",
        "нему",
        "пришлете",
        "удален",
        "сохранен",
        "отменен",
        "подтвержден",
        "ждет",
        "идет",
        "придет",
        "найдет",
        "вернет",
        "пойдет",
        "зачтет",
        "учтет",
        "чет",
        "нечет",
        "отошел",
        "пришел",
        "нажмет",
        "займет",
    ];
    let is_letter = |c: char| c.is_alphabetic();
    let mut found = Vec::new();
    for (file, n, line) in lines_of("ru") {
        let lower = line.to_lowercase();
        let words = lower
            .split(|c: char| !is_letter(c))
            .filter(|w| !w.is_empty());
        for word in words {
            if WITHOUT_YO.contains(&word) {
                found.push(format!("{file}:{n}: «{word}» in {line}"));
            }
        }
    }
    assert!(found.is_empty(), "ё missing: {found:#?}");
}
