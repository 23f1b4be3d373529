//! The Order's own words (issue 18, item 3): no translation file uses a term the glossary forbids, and
//! the Kazakh Annex 2 headers are the Order's, character for character.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
struct Glossary {
    rules: std::collections::BTreeMap<String, Vec<Rule>>,
    annex2_kk: String,
}

#[derive(Deserialize)]
struct Rule {
    forbidden: String,
    #[serde(rename = "use")]
    instead: String,
    #[serde(default)]
    allowed: Vec<String>,
}

fn glossary() -> Glossary {
    serde_json::from_str(include_str!("../data/glossary.json")).expect("data/glossary.json parses")
}

/// `file:line: «term» → use …` for each use of a forbidden term in `text` (case-insensitive; the
/// rule's allowed phrases are not counted).
fn offences(file: &str, text: &str, rules: &[Rule]) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let lower = line.to_lowercase();
        for rule in rules {
            let forbidden = rule.forbidden.to_lowercase();
            let mut rest = lower.clone();
            for allowed in &rule.allowed {
                rest = rest.replace(&allowed.to_lowercase(), "");
            }
            if rest.contains(&forbidden) {
                out.push(format!("{file}:{}: «{}» → use «{}»", n + 1, rule.forbidden, rule.instead));
            }
        }
    }
    out
}

fn ftl_files(lang: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n").join(lang);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    files
}

#[test]
fn no_translation_uses_a_term_the_glossary_forbids() {
    let g = glossary();
    let mut found = Vec::new();
    let mut read = 0;
    for (lang, rules) in &g.rules {
        for path in ftl_files(lang) {
            let text = std::fs::read_to_string(&path).unwrap();
            read += 1;
            found.extend(offences(&format!("{lang}/{}", path.file_name().unwrap().to_string_lossy()), &text, rules));
        }
    }
    assert!(read >= 30, "the translation files were read ({read})");
    assert!(found.is_empty(), "terms the Order does not use:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_a_planted_wrong_term_and_spares_the_allowed_phrases() {
    let g = glossary();
    let planted =
        "mail-x = Өтінімді иеленуші берді; аудиторлық есеп тіркелді.\nok = мемлекеттік тізілімге, тізілім нөмірі";
    let found = offences("kk/planted.ftl", planted, &g.rules["kk"]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("kk/planted.ftl:1: «иеленуші»"), "{found:?}");
    let found = offences("ru/planted.ftl", "x = Ваша заявка принята", &g.rules["ru"]);
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn the_kazakh_annex_2_headers_are_the_orders_character_for_character() {
    let text = glossary().annex2_kk;
    let order: Vec<&str> = text.split('\t').collect();
    let ours = senim_publish::render::column_titles(senim_domain::lang::Lang::Kk);
    assert_eq!(ours.as_slice(), order.as_slice());
}
