//! The exact bytes of a CSV rendering, written out by hand: any drift in the layout consumers parse
//! (BOM, column order, titles, quoting, CRLF, the audit cell, empty BIN) fails here.

mod common;

use common::*;

#[test]
fn csv_of_a_two_entry_edition_is_byte_exact() {
    let edition = build_edition(2, None, vec![entry_of_company(), entry_of_person()]);
    let csv = edition.artifacts.iter().find(|a| a.name == "2.kk.csv").unwrap();
    let expected = concat!(
        "\u{feff}",
        "№,Жасанды интеллект жүйесінің атауы,",
        "Жасанды интеллект жүйесінің меншік иесінің және (немесе) иегерінің атауы,",
        "Жасанды интеллект жүйесінің қолдану саласы (аясы),",
        "Жасанды интеллект жүйесінің функционалдығының (қысқаша сипаттамасы),",
        "\"Жүргізілген аудит туралы мәліметтер (аудитордың атауы, күні, қорытындылары)\",",
        "Тізбеге енгізілген күні,Салалық мемлекеттік органның атауы,",
        "Тізілім нөмірі,Меншік иесінің (иегерінің) БСН,Орган коды\r\n",
        "1,Әйгерім: рентгенді талдау,\"\"\"Ғылым-Қазақ\"\" ЖШС\",Денсаулық сақтау,",
        "\"Өкпе суреттерін талдайды,\nҰсыныс береді <script>alert('Қ')</script>\",",
        "\"Үміт Аудит ЖШС, 2026-05-14, Сәйкес келеді & Һ І\",2026-06-02,Денсаулық сақтау министрлігі,",
        "HEALTH-2026-0001,971240001315,health\r\n",
        "2,Ңұр <script>x()</script>,Өмірзақ Ұлықбек,Медицина,Кестені жоспарлау,",
        "\"Аудит, 2026-05-20, Оң\",2026-06-03,Денсаулық сақтау министрлігі,",
        "HEALTH-2026-0002,,health\r\n",
    );
    assert_eq!(String::from_utf8(csv.bytes.clone()).unwrap(), expected);
    assert_eq!(csv.media_type, "text/csv");
}

#[test]
fn russian_csv_header_and_fallbacks() {
    let edition = build_edition(2, None, vec![entry_of_person()]);
    let csv = edition.artifacts.iter().find(|a| a.name == "2.ru.csv").unwrap();
    let expected = concat!(
        "\u{feff}",
        "№,Наименование системы искусственного интеллекта,",
        "Наименование собственника и (или) владельца системы искусственного интеллекта,",
        "Сфера (область) применения системы искусственного интеллекта,",
        "Функциональность системы искусственного интеллекта (краткое описание),",
        "\"Сведения о проведенном аудите (наименование аудитора, дата, выводы)\",",
        "Дата включения в перечень,Наименование отраслевого государственного органа,",
        "Реестровый номер,БИН собственника (владельца),Код органа\r\n",
        "1,Ңұр <script>x()</script>,Омирзак Улыкбек,Медицина,Планирование,",
        "\"Аудит, 2026-05-20, Положительное\",2026-06-03,Министерство здравоохранения,",
        "HEALTH-2026-0002,,health\r\n",
    );
    assert_eq!(String::from_utf8(csv.bytes.clone()).unwrap(), expected);
}

/// Issue 16, finding 3: texts that a spreadsheet would run as formulas are published inert in the CSV
/// (an apostrophe first, OWASP's rule), and exactly in N.json.
#[test]
fn formulas_in_published_texts_are_inert_in_the_csv() {
    let mut entry = entry_of_company();
    entry.system_name = text("=HYPERLINK(\"http://evil.example\",\"Ақыл\")", "+cmd|' /C calc'!A0");
    entry.area = text("@SUM(1+1)", "-2+3");
    entry.functionality = text("Талдайды\r\n=2+2", "\t=1");
    let edition = build_edition(2, None, vec![entry]);
    let kk = String::from_utf8(edition.artifacts.iter().find(|a| a.name == "2.kk.csv").unwrap().bytes.clone()).unwrap();
    let row = kk.split("\r\n").nth(1).unwrap();
    assert!(row.starts_with("1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Ақыл\"\")\","), "{row}");
    assert!(row.contains(",'@SUM(1+1),"), "{row}");
    assert!(kk.contains("\"Талдайды\r\n'=2+2\""), "{kk}");
    let ru = String::from_utf8(edition.artifacts.iter().find(|a| a.name == "2.ru.csv").unwrap().bytes.clone()).unwrap();
    assert!(ru.contains("\n1,'+cmd|' /C calc'!A0,"), "{ru}");
    assert!(ru.contains(",'-2+3,"), "{ru}");
    // The projection trims the tab; what is left still starts with `=`.
    assert!(ru.contains(",'=1,"), "{ru}");
    for line in kk.split(['\r', '\n']).chain(ru.split(['\r', '\n'])) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@', '\t']), "a live formula: {cell:?}");
        }
    }
    let names: Vec<&str> = edition.artifacts.iter().map(|a| a.name.as_str()).collect();
    let html = edition.artifacts.iter().find(|a| a.name == "2.kk.html").unwrap_or_else(|| panic!("{names:?}"));
    assert!(String::from_utf8_lossy(&html.bytes).contains("=HYPERLINK"), "other renderings keep the text exactly");
}
