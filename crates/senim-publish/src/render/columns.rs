//! Annex 2's columns: their titles in each language and each entry's cells, shared by every rendering.

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::{Lang, LangText};

/// Annex 2's column titles.
///
/// Kazakh is the official text of the Rules, copied character for character. English is the
/// project's working translation (`rules-en.md`). Russian is our translation of the Kazakh, in the
/// wording Russian versions of Kazakhstan's orders use for the same terms.
pub fn column_titles(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Kk => [
            "№",
            "Жасанды интеллект жүйесінің атауы",
            "Жасанды интеллект жүйесінің меншік иесінің және (немесе) иегерінің атауы",
            "Жасанды интеллект жүйесінің қолдану саласы (аясы)",
            "Жасанды интеллект жүйесінің функционалдығының (қысқаша сипаттамасы)",
            "Жүргізілген аудит туралы мәліметтер (аудитордың атауы, күні, қорытындылары)",
            "Тізбеге енгізілген күні",
            "Салалық мемлекеттік органның атауы",
        ],
        Lang::Ru => [
            "№",
            "Наименование системы искусственного интеллекта",
            "Наименование собственника и (или) владельца системы искусственного интеллекта",
            "Сфера (область) применения системы искусственного интеллекта",
            "Функциональность системы искусственного интеллекта (краткое описание)",
            "Сведения о проведенном аудите (наименование аудитора, дата, выводы)",
            "Дата включения в перечень",
            "Наименование отраслевого государственного органа",
        ],
        Lang::En => [
            "No.",
            "Name of the AI system",
            "Name of the owner and/or holder",
            "Area (sphere) of use",
            "Functionality (short description)",
            "Audit carried out (auditor's name, date, conclusions)",
            "Date of inclusion in the List",
            "Name of the sectoral state body",
        ],
    }
}

/// Titles of the three identifier columns that follow the Annex 2 columns.
pub fn identifier_titles(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Kk => ["Тізілім нөмірі", "Меншік иесінің (иегерінің) БСН", "Орган коды"],
        Lang::Ru => ["Реестровый номер", "БИН собственника (владельца)", "Код органа"],
        Lang::En => ["Registry number", "BIN of the owner/holder", "Body code"],
    }
}

/// The languages an edition is rendered in: Kazakh (the state language) and Russian (used officially
/// beside it) always; English only when every entry has an English system name, since an English
/// List whose names fall back to Kazakh would mislead more than help. An empty List gets no English
/// rendering for the same reason: nothing shows that English was provided.
pub fn languages_of(entries: &[Annex2Entry]) -> Vec<Lang> {
    let mut langs = vec![Lang::Kk, Lang::Ru];
    if !entries.is_empty() && entries.iter().all(|e| e.system_name.get(Lang::En).is_some()) {
        langs.push(Lang::En);
    }
    langs
}

/// Every header cell of a rendering: the Annex 2 titles, then the identifier titles.
pub(crate) fn header(lang: Lang) -> Vec<&'static str> {
    let mut cells = column_titles(lang).to_vec();
    cells.extend(identifier_titles(lang));
    cells
}

/// The cells of one entry's row, matching [`header`].
///
/// The audit column is one cell in the order its title gives: `auditor, YYYY-MM-DD, conclusions`.
/// Dates are ISO `YYYY-MM-DD` so that they sort and parse the same in every language.
pub(crate) fn row(entry: &Annex2Entry, lang: Lang) -> Vec<String> {
    let text = |t: &LangText| t.best(lang).to_owned();
    let audit =
        format!("{}, {}, {}", entry.audit.auditor.best(lang), entry.audit.date, entry.audit.conclusions.best(lang));
    vec![
        entry.position.to_string(),
        text(&entry.system_name),
        text(&entry.owner),
        text(&entry.area),
        text(&entry.functionality),
        audit,
        entry.included_on.to_string(),
        text(&entry.body.name),
        entry.registry_number.clone(),
        entry.owner_bin.clone().unwrap_or_default(),
        entry.body.code.clone(),
    ]
}
