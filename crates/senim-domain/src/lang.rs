//! Languages and language maps.
//!
//! Published texts (Annex 2 columns) are kept per language: Kazakh is the state language and the default,
//! Russian is used officially beside it, English is optional.

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
/// Deserialising accepts any map of language codes; [`LangText::is_complete`] says whether it
/// holds at least one non-empty text, which is what a submission needs. It serialises as a map in
/// the order of [`Lang::ALL`].
///
/// One slot per language rather than a map: a published List holds seven of these per entry, and at
/// 100,000 entries a `BTreeMap`'s node per text was 200 MB of a publication's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangText([Option<String>; 3]);

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
        self.0[lang as usize] = (!trimmed.is_empty()).then(|| trimmed.to_owned());
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0[lang as usize].as_deref().filter(|s| !s.trim().is_empty())
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
        self.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(l, _)| l)
    }

    /// Every language held with its text, blank ones included (as deserialised), in the order of
    /// [`Lang::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> + '_ {
        Lang::ALL.into_iter().zip(&self.0).filter_map(|(l, t)| Some((l, t.as_deref()?)))
    }

    /// Drops blank entries, so that a stored or published map never holds an empty string.
    pub fn normalized(&self) -> LangText {
        let mut out = LangText::new();
        for (lang, text) in self.iter() {
            out.set(lang, text);
        }
        out
    }
}

impl Serialize for LangText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.iter().count()))?;
        for (lang, text) in self.iter() {
            map.serialize_entry(&lang, text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for LangText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Texts;
        impl<'de> serde::de::Visitor<'de> for Texts {
            type Value = LangText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of language codes (kk, ru, en) to texts")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<LangText, A::Error> {
                let mut texts = LangText::new();
                // A repeated language keeps its last text.
                while let Some((lang, text)) = map.next_entry::<Lang, String>()? {
                    texts.0[lang as usize] = Some(text);
                }
                Ok(texts)
            }
        }
        deserializer.deserialize_map(Texts)
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
        // As read: the blank text is kept (and serialised back) until normalised; keys in
        // kk, ru, en order whatever order they came in.
        assert_eq!(serde_json::to_string(&back).unwrap(), r#"{"ru":"x","en":""}"#);
        let turned: LangText = serde_json::from_str(r#"{"en":"c","ru":"b","kk":"a"}"#).unwrap();
        assert_eq!(serde_json::to_string(&turned).unwrap(), r#"{"kk":"a","ru":"b","en":"c"}"#);
        assert_eq!(turned.iter().collect::<Vec<_>>(), [(Lang::Kk, "a"), (Lang::Ru, "b"), (Lang::En, "c")]);
        // An unknown language is refused, as before; a repeated one keeps its last text.
        assert!(serde_json::from_str::<LangText>(r#"{"de":"x"}"#).is_err());
        assert!(serde_json::from_str::<LangText>(r#"["kk"]"#).is_err());
        let twice: LangText = serde_json::from_str(r#"{"kk":"a","kk":"b"}"#).unwrap();
        assert_eq!(twice.get(Lang::Kk), Some("b"));
    }
}
