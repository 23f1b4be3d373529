//! Translations: the Fluent files in `i18n/{kk,ru,en}` of this crate, for pages (through `senim-web`),
//! e-mails and generated documents alike. Kazakh is the fallback language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use senim_domain::lang::Lang;
use unic_langid::langid;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "kk",
        // Fluent's bidi isolation marks would end up inside HTML attributes and CSV cells.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::Kk => langid!("kk"),
        Lang::Ru => langid!("ru"),
        Lang::En => langid!("en"),
    }
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.try_lookup(&langid(lang), key).unwrap_or_else(|| missing(key))
}

/// A missing translation shows its key (and a test fails), never a panic.
fn missing(key: &str) -> String {
    tracing::warn!(key, "missing translation");
    key.to_owned()
}

/// The text of `key` with named arguments.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
    LOCALES.try_lookup_with_args(&langid(lang), key, &map).unwrap_or_else(|| missing(key))
}

/// Whether a key exists in Kazakh (every key must; a test checks all three languages agree).
pub fn has(lang: Lang, key: &str) -> bool {
    LOCALES.try_lookup(&langid(lang), key).is_some()
}

/// The message for a field error code (`bin_iin.checksum` → key `err-bin_iin-checksum`).
pub fn error_message(lang: Lang, code: &str) -> String {
    let key = format!("err-{}", code.replace('.', "-"));
    if has(lang, &key) { t(lang, &key) } else { t(lang, "err-invalid") }
}

/// The label of a field path (`applicant.bin_iin` → key `f-applicant-bin_iin`).
pub fn field_label(lang: Lang, field: &str) -> String {
    let key = format!("f-{}", field.replace('.', "-"));
    if has(lang, &key) { t(lang, &key) } else { field.to_owned() }
}

#[cfg(test)]
mod completeness {
    use super::*;

    fn keys(ftl: &str) -> std::collections::BTreeSet<String> {
        ftl.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    /// Every key of a language, from all its files (the loader reads every `.ftl` in the directory).
    fn all_keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n").join(lang);
        let mut out = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("i18n directory") {
            let path = entry.expect("i18n entry").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                out.extend(keys(&std::fs::read_to_string(&path).expect("ftl file")));
            }
        }
        out
    }

    /// Every `$variable` used in any message of any language.
    fn variables() -> Vec<&'static str> {
        let mut names = std::collections::BTreeSet::new();
        for lang in ["kk", "ru", "en"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n").join(lang);
            for entry in std::fs::read_dir(&dir).expect("i18n directory") {
                let text = std::fs::read_to_string(entry.expect("i18n entry").path()).unwrap_or_default();
                for part in text.split('$').skip(1) {
                    let name: String =
                        part.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
                    if !name.is_empty() {
                        names.insert(name);
                    }
                }
            }
        }
        names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect()
    }

    #[test]
    fn kazakh_russian_and_english_have_the_same_messages() {
        let (kk, ru, en) = (all_keys("kk"), all_keys("ru"), all_keys("en"));
        assert!(kk.len() > 200);
        assert_eq!(kk.symmetric_difference(&ru).collect::<Vec<_>>(), Vec::<&String>::new());
        assert_eq!(kk.symmetric_difference(&en).collect::<Vec<_>>(), Vec::<&String>::new());
        for key in &kk {
            // Messages with variables resolve only with their arguments: give every variable used.
            let args: Vec<(&'static str, String)> = variables().iter().map(|k| (*k, "1".to_owned())).collect();
            for lang in Lang::ALL {
                let text = t_args(lang, key, &args);
                assert!(text != *key && !text.is_empty(), "{key} does not load in {lang}");
            }
        }
    }

    #[test]
    fn every_error_code_and_field_has_a_message() {
        use senim_domain::application::codes;
        for code in [
            codes::REQUIRED,
            codes::EMAIL,
            codes::PHONE,
            codes::DATE_FUTURE,
            codes::TOO_LONG,
            codes::NOT_CONFIRMED,
            codes::UNKNOWN_BODY,
            "bin_iin.format",
            "bin_iin.checksum",
            "bin_iin.no_check_digit",
            "date.format",
            "upload.not_pdf",
            "upload.too_large",
            "upload.empty",
            "review.fail_needs_comment",
            "attachment.kind",
            "password.too_short",
            "password.mismatch",
            "password.wrong",
            "org.exists",
            "email.taken",
            "invite.has_account",
            "search.limit",
            "search.offset",
        ] {
            for lang in Lang::ALL {
                assert!(has(lang, &format!("err-{}", code.replace('.', "-"))), "{code} in {lang}");
            }
        }
        let mut errors =
            senim_domain::application::ApplicationForm::default().check_complete(jiff::civil::date(2026, 1, 1));
        // The account forms' fields.
        for field in ["name", "email", "password", "password_confirm", "current_password", "org_bin_iin", "org_name"] {
            errors.push(senim_domain::application::FieldError::new(field, codes::REQUIRED));
        }
        for e in errors {
            for lang in Lang::ALL {
                assert_ne!(field_label(lang, &e.field), e.field, "no label for {} in {lang}", e.field);
            }
        }
    }
}
