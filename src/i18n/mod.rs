//! Messages in Slovenian (the default) and English, from the Fluent files in `locales/`,
//! compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "sl",
        // Bidi isolation marks around arguments would show up in plain-text e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The messages without arguments formatted so far, by language (`Lang as usize`).
static FORMATTED: LazyLock<[RwLock<HashMap<String, String>>; Lang::ALL.len()]> =
    LazyLock::new(Default::default);
const _: () = {
    let mut index = 0;
    while index < Lang::ALL.len() {
        assert!(Lang::ALL[index] as usize == index);
        index += 1;
    }
};

static SL: LanguageIdentifier = langid!("sl");
static EN: LanguageIdentifier = langid!("en");

/// A language of the user interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Sl,
    En,
}

impl Lang {
    /// Every language, each at the index `as usize` gives it.
    pub const ALL: [Lang; 2] = [Lang::Sl, Lang::En];

    /// The BCP 47 tag, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sl => "sl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Sl => &SL,
            Lang::En => &EN,
        }
    }

    /// The message `key`; a missing one shows as its key (the tests keep that from happening).
    /// Each is formatted once: a page shows dozens, most of them on every page, and Fluent
    /// resolves a message anew each time.
    pub fn t(self, key: &str) -> String {
        let formatted = &FORMATTED[self as usize];
        let known = formatted.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(text) = known.get(key) {
            return text.clone();
        }
        drop(known);
        match LOCALES.lookup_single_language::<&str>(self.id(), key, None) {
            // Only the bundle's own messages are kept, so the map holds at most all of them.
            Ok(text) => {
                let mut known = formatted.write().unwrap_or_else(PoisonError::into_inner);
                known.insert(key.to_owned(), text.clone());
                text
            }
            Err(_) => LOCALES.lookup_complete(self.id(), key, None),
        }
    }

    /// The message `key` with named arguments; numbers select the plural form.
    pub fn t_with(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.to_fluent()))
            .collect();
        self.message(key, Some(&args))
    }

    /// The message `key` in this language, or else as Fluent falls back. Looked up in this
    /// language's bundle first: Fluent's own lookup negotiates the language anew (and
    /// allocates) for each of a page's dozens of messages.
    fn message(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        LOCALES
            .lookup_single_language(self.id(), key, args)
            .unwrap_or_else(|_| LOCALES.lookup_complete(self.id(), key, args))
    }
}

/// A message argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(text) => FluentValue::from(text.clone()),
            Arg::Number(number) => FluentValue::from(*number),
        }
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg {
    fn from(number: i64) -> Self {
        Arg::Number(number)
    }
}

/// A moment as shown to users: in Ljubljana's time, Slovenian style (`31. 1. 2020 ob 14.05`
/// reads oddly in English, so both use the numeric form `31. 1. 2020, 14:05`).
pub fn format_date_time_sl(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Ljubljana)
        .format("%-d. %-m. %Y, %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn message_ids(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut ids = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.starts_with([' ', '#', '.', '*', '['])
                    && !id.is_empty()
                {
                    ids.insert(id.trim().to_owned());
                }
            }
        }
        ids
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let sl = message_ids("sl");
        let en = message_ids("en");
        assert!(!sl.is_empty());
        let only_sl: Vec<_> = sl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&sl).collect();
        assert!(
            only_sl.is_empty() && only_en.is_empty(),
            "only sl: {only_sl:?}, only en: {only_en:?}"
        );
    }

    /// Whether `text` has the shape of a message id: lower-case words joined by hyphens.
    fn looks_like_an_id(text: &str) -> bool {
        text.contains('-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    /// Where a string literal in code or a template is a message id: the argument of `t(…)`,
    /// `t_with(…)`, `chrome(…)`, a letter's subject or action, a `*_key` field or a match arm
    /// that picks one.
    fn used_as_an_id(before: &str) -> bool {
        let before = before.trim_end();
        [
            ".t(", ".t_with(", "chrome(", ".action(", "=>", "_key:", "_key(",
        ]
        .iter()
        .any(|context| before.ends_with(context))
            || before
                .rsplit_once("Letter::new(")
                .is_some_and(|(_, args)| args.ends_with(',') && !args.contains(')'))
    }

    fn ids_used_in(path: &std::path::Path, found: &mut BTreeSet<(String, String)>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                ids_used_in(&entry.unwrap().path(), found);
            }
            return;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let mut rest = text.as_str();
        let mut offset = 0;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else {
                break;
            };
            let literal = &after[..close];
            let start = offset + open;
            if looks_like_an_id(literal) && used_as_an_id(&text[..start]) {
                found.insert((literal.to_owned(), path.display().to_string()));
            }
            offset = start + 1 + close + 1;
            rest = &text[offset..];
        }
    }

    #[test]
    fn every_message_id_in_code_and_templates_is_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeSet::new();
        ids_used_in(&root.join("src"), &mut used);
        ids_used_in(&root.join("templates"), &mut used);
        assert!(used.len() > 300, "the scan finds the ids ({})", used.len());
        for lang in ["sl", "en"] {
            let defined = message_ids(lang);
            let missing: Vec<_> = used
                .iter()
                .filter(|(id, _)| !defined.contains(id))
                .collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        }
    }

    #[test]
    fn times_show_in_ljubljana() {
        use chrono::TimeZone;
        let winter = chrono::Utc.with_ymd_and_hms(2020, 1, 31, 13, 5, 0).unwrap();
        assert_eq!(format_date_time_sl(winter), "31. 1. 2020, 14:05");
        let summer = chrono::Utc.with_ymd_and_hms(2020, 7, 1, 22, 30, 0).unwrap();
        assert_eq!(format_date_time_sl(summer), "2. 7. 2020, 00:30");
    }

    #[test]
    fn slovenian_has_four_plural_forms() {
        let forms: Vec<String> = [1, 2, 3, 5]
            .into_iter()
            .map(|n| Lang::Sl.t_with("count-rows", &[("count", Arg::Number(n))]))
            .collect();
        assert_eq!(forms, ["1 vrstica", "2 vrstici", "3 vrstice", "5 vrstic"]);
        assert_eq!(
            Lang::En.t_with("count-rows", &[("count", Arg::Number(1))]),
            "1 row"
        );
    }
}
