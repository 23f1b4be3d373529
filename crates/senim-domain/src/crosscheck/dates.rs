//! The ways an audit report may write a date: ISO, `dd.mm.yyyy`, and in words in Kazakh, Russian and
//! English.

use jiff::civil::Date;

const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The ways a report writes the date: 2026-03-15, 15.03.2026, 15 марта 2026, 2026 жылғы 15 наурыз,
/// 15 March 2026, March 15, 2026.
pub fn date_forms(date: Option<Date>) -> Vec<String> {
    let Some(d) = date else { return vec![] };
    let (y, m, day) = (d.year(), usize::try_from(d.month()).unwrap_or(1) - 1, d.day());
    vec![
        d.to_string(),
        format!("{day:02}.{:02}.{y}", m + 1),
        format!("{day}.{:02}.{y}", m + 1),
        format!("{day} {} {y}", MONTHS_RU[m]),
        format!("{day:02} {} {y}", MONTHS_RU[m]),
        format!("{y} жылғы {day} {}", MONTHS_KK[m]),
        format!("{y} ж. {day} {}", MONTHS_KK[m]),
        format!("{day} {} {y}", MONTHS_KK[m]),
        format!("{day} {} {y}", MONTHS_EN[m]),
        format!("{} {day}, {y}", MONTHS_EN[m]),
    ]
}
