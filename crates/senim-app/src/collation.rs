//! Kazakh alphabetical order for the Lists' text columns.
//!
//! Rust's `str` order is by code point, and the root or Russian collations put І before К and Ү before
//! Ұ; a Kazakh reader expects the CLDR `kk` tailoring: А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С
//! Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я, digits first, Latin after Cyrillic, case only as a tie-breaker.
//! `icu_collator` carries that tailoring in its compiled data (`compiled_data` feature, baked into the
//! binary: nothing is downloaded at build or run time), so no hand-written alphabet is needed.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

static KK: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    // Only fails for a locale missing from the compiled data; `kk` is in it (see the tests).
    Collator::try_new(locale!("kk").into(), CollatorOptions::default()).expect("compiled kk collation data")
});

/// Compares two texts in Kazakh alphabetical order (used for texts in any of the three languages:
/// Russian and English words sort as usual within it).
pub fn compare(a: &str, b: &str) -> Ordering {
    KK.compare(a, b)
}

/// The collation sort key of `s`: bytes whose order is [`compare`]'s order. Computed once per text, it
/// lets many texts be sorted, or compared across Lists, by plain byte comparison.
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(s.len() * 2);
    let Ok(()) = KK.write_sort_key_to(s, &mut key);
    key
}

/// Sorts `items` by the text `key` gives, in Kazakh order; equal texts keep their order.
pub fn sort_by_text<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(a: &str, b: &str) {
        assert_eq!(compare(a, b), Ordering::Less, "{a} should come before {b}");
    }

    #[test]
    fn sort_keys_order_texts_as_compare_does() {
        let texts = [
            "Ұлттық",
            "Үкімет",
            "ұлттық",
            "Қазақстан",
            "Казахстан",
            "Ақпарат",
            "Әділет",
            "Іздеу",
            "Ыстық",
            "2026",
            "AI system",
            "Система",
            "Жүйе",
            "жүйе",
            "Ғылым",
            "Гүл",
            "Ңа",
            "Өнім",
            "Онім",
            "",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(sort_key(a).cmp(&sort_key(b)), compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn kazakh_letters_follow_their_base_letters() {
        before("А", "Ә");
        before("Ә", "Б");
        before("Г", "Ғ");
        before("Ғ", "Д");
        before("К", "Қ");
        before("Қ", "Л");
        before("Н", "Ң");
        before("Ң", "О");
        before("О", "Ө");
        before("Ө", "П");
        before("У", "Ұ");
        before("Ұ", "Ү");
        before("Ү", "Ф");
        before("Х", "Һ");
        before("Һ", "Ц");
        before("Ы", "І");
        before("І", "Ь");
    }

    #[test]
    fn case_is_only_a_tie_breaker_digits_first_latin_after_cyrillic() {
        before("әл", "Әм");
        before("Ақ", "әа");
        before("2024", "Алматы");
        before("Яндекс", "Apple");
    }

    #[test]
    fn real_names_sort_as_a_kazakh_reader_expects() {
        let mut names = vec![
            "Іле",
            "Ұлытау",
            "Үржар",
            "Қостанай",
            "Өскемен",
            "Ырғыз",
            "Астана",
            "Әулиеата",
            "Көкшетау",
            "Ақтөбе",
            "Ғабит",
            "Гүлнар",
            "Ұзынағаш",
            "Һиджра",
            "Хромтау",
            "Шымкент",
            "Нұр-Сұлтан",
            "Ңқ",
            "Оңтүстік",
            "Уральск",
        ];
        sort_by_text(&mut names, |s| s);
        assert_eq!(
            names,
            vec![
                "Ақтөбе",
                "Астана",
                "Әулиеата",
                "Гүлнар",
                "Ғабит",
                "Көкшетау",
                "Қостанай",
                "Нұр-Сұлтан",
                "Ңқ",
                "Оңтүстік",
                "Өскемен",
                "Уральск",
                "Ұзынағаш",
                "Ұлытау",
                "Үржар",
                "Хромтау",
                "Һиджра",
                "Шымкент",
                "Ырғыз",
                "Іле",
            ]
        );
    }
}
