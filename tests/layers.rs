//! The shape of the code, checked: the rules know nothing of Telegram, no domain's Telegram
//! side reaches into another domain's handlers, and no handler or use-case file grows past a
//! page a newcomer can read.
//!
//! - The rules (`src/<domain>/`, `src/uow/`, `src/storage/`, …) never mention `teloxide`,
//!   `fluent` or `crate::telegram`; only `src/telegram/`, `src/http/`, `src/app.rs` and
//!   `src/main.rs` (the sides and the wiring) may.
//! - `src/telegram/<domain>/` never imports `<other domain>::handlers`.
//! - No source file but a migration is over 600 lines.

use std::path::{Path, PathBuf};

/// Directories and files allowed to know the Telegram side.
const OUTER: [&str; 4] = ["telegram", "http", "app.rs", "main.rs"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The first component of `path` below `src/`.
fn top(path: &Path) -> String {
    path.strip_prefix(src())
        .ok()
        .and_then(|rel| rel.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn the_rules_know_nothing_of_telegram() {
    let mut offences = Vec::new();
    for file in rust_files(&src()) {
        if OUTER.contains(&top(&file).as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            for needle in ["teloxide", "fluent", "crate::telegram"] {
                if line.contains(needle) {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the rules layer mentions the Telegram side:\n{}",
        offences.join("\n")
    );
}

#[test]
fn no_domain_imports_another_domains_handlers() {
    let telegram = src().join("telegram");
    let mut offences = Vec::new();
    for file in rust_files(&telegram) {
        let Some(domain) = file
            .strip_prefix(&telegram)
            .ok()
            .filter(|rel| rel.components().count() > 1)
            .and_then(|rel| rel.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
        else {
            continue; // the shared kit composes every domain
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let imports_handlers = line
                .match_indices("::handlers")
                .filter_map(|(at, _)| line[..at].rsplit([':', ' ', '(', '&', '{']).next())
                .any(|other| !other.is_empty() && other != domain && other != "super");
            if imports_handlers {
                offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "a domain imports another domain's handlers:\n{}",
        offences.join("\n")
    );
}

/// Longer than this, a handler or use-case file stops being something a newcomer reads at a
/// sitting; it wants splitting by topic.
const MAX_LINES: usize = 600;

#[test]
fn no_source_file_is_longer_than_a_page_or_two() {
    let mut long = Vec::new();
    for file in rust_files(&src()) {
        if file.components().any(|c| c.as_os_str() == "migrations") {
            continue; // a migration is written once and never read as code to change
        }
        let lines = std::fs::read_to_string(&file)
            .expect("readable source")
            .lines()
            .count();
        if lines > MAX_LINES {
            long.push(format!("{}: {lines} lines", file.display()));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}
