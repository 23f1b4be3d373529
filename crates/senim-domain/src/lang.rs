//! Languages and language maps.
//!
//! Published texts (Annex 2 columns) are kept per language: Kazakh is the state language and the default,
//! Russian is used officially beside it, English is optional.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A language Senim speaks. The order is the order of preference: Kazakh first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "kk" | "kz" | "kk-kz" => Some(Lang::Kk),
            "ru" | "ru-ru" | "ru-kz" => Some(Lang::Ru),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in one or more languages (`{"kk": "…", "ru": "…"}`).
///
/// Deserialising accepts any map; [`LangText::is_complete`] says whether it holds at least one
/// non-empty text, which is what a submission needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LangText(pub BTreeMap<Lang, String>);

impl LangText {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, lang: Lang, text: impl Into<String>) -> Self {
        self.set(lang, text);
        self
    }

    /// Sets a language's text; an empty or blank text removes the language.
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.0.remove(&lang);
        } else {
            self.0.insert(lang, trimmed.to_owned());
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0.get(&lang).map(String::as_str).filter(|s| !s.trim().is_empty())
    }

    /// The text in `lang`, else in Kazakh, Russian, English in that order; `""` when empty.
    pub fn best(&self, lang: Lang) -> &str {
        self.get(lang).or_else(|| Lang::ALL.iter().find_map(|l| self.get(*l))).unwrap_or("")
    }

    /// At least one language with a non-blank text.
    pub fn is_complete(&self) -> bool {
        Lang::ALL.iter().any(|l| self.get(*l).is_some())
    }

    pub fn languages(&self) -> impl Iterator<Item = Lang> + '_ {
        self.0.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(l, _)| *l)
    }

    /// Drops blank entries, so that a stored or published map never holds an empty string.
    pub fn normalized(&self) -> LangText {
        let mut out = LangText::new();
        for (lang, text) in &self.0 {
            out.set(*lang, text.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_texts_do_not_count() {
        let t = LangText::new().with(Lang::Kk, "   ");
        assert!(!t.is_complete());
        let t = LangText::new().with(Lang::Ru, "Система");
        assert!(t.is_complete());
        assert_eq!(t.best(Lang::Kk), "Система");
    }

    #[test]
    fn serialises_as_a_plain_map() {
        let t = LangText::new().with(Lang::Kk, "Жүйе").with(Lang::Ru, "Система");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"kk":"Жүйе","ru":"Система"}"#);
        let back: LangText = serde_json::from_str(r#"{"ru":"x","en":""}"#).unwrap();
        assert_eq!(back.normalized(), LangText::new().with(Lang::Ru, "x"));
    }
}
