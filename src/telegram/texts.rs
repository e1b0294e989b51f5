//! Every user-facing text, looked up in the Fluent files under `locales/` (compiled in).
//!
//! Arguments that carry user-supplied text go through [`Args::user`], which escapes them for
//! Telegram's HTML parse mode; numbers go through [`Args::num`] so Fluent picks the right plural
//! form (Russian has one/few/many).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use super::escape::html;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // Telegram shows the Unicode isolation marks Fluent adds around arguments as garbage.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const RU: LanguageIdentifier = langid!("ru");
const EN: LanguageIdentifier = langid!("en");

/// The interface language of one user: the rules' [`Language`], which this module teaches to
/// look up texts.
pub use crate::members::Language as Locale;

impl Locale {
    fn langid(self) -> LanguageIdentifier {
        match self {
            Locale::Ru => RU,
            Locale::En => EN,
        }
    }

    /// The text `id` without arguments.
    pub fn text(self, id: &str) -> String {
        LOCALES.lookup(&self.langid(), id)
    }

    /// The text `id` with arguments.
    pub fn text_with(self, id: &str, args: &Args) -> String {
        LOCALES.lookup_with_args(&self.langid(), id, &args.0)
    }
}

/// Arguments of a Fluent message.
#[derive(Default, Clone)]
pub struct Args(HashMap<Cow<'static, str>, FluentValue<'static>>);

impl Args {
    pub fn new() -> Self {
        Self::default()
    }

    /// User-supplied text: escaped for HTML.
    pub fn user(mut self, name: &'static str, value: &str) -> Self {
        self.0.insert(name.into(), FluentValue::from(html(value)));
        self
    }

    /// User-supplied text for a plain-text context (button labels, callback toasts), where
    /// Telegram applies no parse mode and escaping would show up as `&lt;`.
    pub fn plain(mut self, name: &'static str, value: &str) -> Self {
        self.0
            .insert(name.into(), FluentValue::from(value.to_owned()));
        self
    }

    /// User-supplied text under a name known only at run time: escaped for HTML.
    pub fn user_owned(mut self, name: &str, value: &str) -> Self {
        self.0
            .insert(name.to_owned().into(), FluentValue::from(html(value)));
        self
    }

    /// A value already formatted (or a number), under a name known only at run time.
    pub fn value(mut self, name: &str, value: FluentValue<'static>) -> Self {
        self.0.insert(name.to_owned().into(), value);
        self
    }

    /// A number: selects plural forms.
    pub fn num(mut self, name: &'static str, value: i64) -> Self {
        self.0.insert(name.into(), FluentValue::from(value));
        self
    }
}

/// Helpers for the domains' text tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::BTreeSet;

    use super::{Args, Locale};

    /// The message ids (`id = …` at the start of a line) of the Fluent file `file` of
    /// `locales/`, the same in both locales.
    pub(crate) fn message_ids(file: &str) -> BTreeSet<String> {
        let [ru, en] = ["ru", "en"].map(|locale| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(locale)
                .join(file);
            let ftl = std::fs::read_to_string(&path).expect("readable .ftl");
            ftl.lines()
                .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
                .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
                .collect::<BTreeSet<String>>()
        });
        assert_eq!(ru, en, "{file}");
        ru
    }

    /// Every one of `ids` renders in every locale with `args`: not empty, not missing.
    pub(crate) fn assert_renders<'a>(ids: impl IntoIterator<Item = &'a str>, args: &Args) {
        for id in ids {
            for locale in Locale::ALL {
                let text = locale.text_with(id, args);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{locale:?} {id}: {text}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_the_core_texts() {
        for locale in Locale::ALL {
            for id in [
                "welcome-unregistered",
                "btn-create-group",
                "help",
                "unknown-text",
            ] {
                let text = locale.text(id);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{id}: {text}"
                );
            }
        }
    }

    /// Message ids (`id = …` at the start of a line) of every .ftl file of one locale.
    fn ids_of(locale: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(locale);
        let mut ids = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("locale directory") {
            let path = entry.expect("locale file").path();
            if path.extension().is_some_and(|ext| ext == "ftl") {
                let text = std::fs::read_to_string(&path).expect("readable .ftl");
                ids.extend(
                    text.lines()
                        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
                        .filter_map(|line| {
                            line.split_once('=').map(|(id, _)| id.trim().to_owned())
                        }),
                );
            }
        }
        ids
    }

    #[test]
    fn both_locales_define_the_same_messages() {
        let (ru, en) = (ids_of("ru"), ids_of("en"));
        assert!(ru.len() > 100, "{} ids", ru.len());
        let only_ru: Vec<_> = ru.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ru).collect();
        assert!(
            only_ru.is_empty() && only_en.is_empty(),
            "ru only: {only_ru:?}; en only: {only_en:?}"
        );
    }

    #[test]
    fn russian_plurals_pick_one_few_many() {
        let members = |n| Locale::Ru.text_with("members-count", &Args::new().num("count", n));
        assert_eq!(members(1), "1 участник");
        assert_eq!(members(3), "3 участника");
        assert_eq!(members(5), "5 участников");
        assert_eq!(members(21), "21 участник");
        assert_eq!(members(22), "22 участника");
        assert_eq!(members(11), "11 участников");
        let en = |n| Locale::En.text_with("members-count", &Args::new().num("count", n));
        assert_eq!(en(1), "1 member");
        assert_eq!(en(2), "2 members");
    }

    #[test]
    fn user_arguments_are_escaped() {
        let text = Locale::Ru.text_with("group-created", &Args::new().user("name", "<b>&"));
        assert!(text.contains("&lt;b&gt;&amp;"), "{text}");
        assert!(!text.contains("<b>&"), "{text}");
    }
}
