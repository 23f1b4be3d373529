//! The open-data descriptors: the Atom feed is well-formed XML that carries any text, the Data
//! Package describes the CSV files exactly as they are, and the DCAT dataset points at the stable
//! "latest" URLs of every format. (CI also validates the Data Package with `frictionless`.)

mod common;

use senim_domain::lang::Lang;
use senim_publish::edition::{Edition, XLSX_MEDIA_TYPE};
use senim_publish::opendata::{CC_BY_4_0, FeedEntry, atom_feed, data_package, dcat_dataset, latest_url};
use serde_json::Value;
use sha2::{Digest, Sha256};

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn feed_entry(number: u32, published_at: &str, summary: &str) -> FeedEntry {
    FeedEntry {
        body_code: "health".to_owned(),
        body_name: "Денсаулық сақтау министрлігі".to_owned(),
        number,
        published_at: published_at.to_owned(),
        url: format!("https://senim.example.kz/bodies/health/editions/{number}?a=1&b=2"),
        summary: summary.to_owned(),
    }
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children().find(|c| c.has_tag_name((ATOM, name))).unwrap_or_else(|| panic!("no <{name}>"))
}

#[test]
fn atom_feed_is_well_formed_and_escapes_markup() {
    let tricky = "1 added <script>alert(\"Қ\")</script> & 'Ә' excluded";
    let entries =
        [feed_entry(2, "2026-07-01T09:00:00+05:00", tricky), feed_entry(1, "2026-06-05T10:12:03+05:00", "3 added")];
    let xml = atom_feed("urn:senim:feed", "Редакциялар <&\">", "https://senim.example.kz/feed.atom?x=1&y=2", &entries);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(child(feed, "title").text(), Some("Редакциялар <&\">"));
    assert_eq!(child(feed, "id").text(), Some("urn:senim:feed"));
    assert_eq!(child(feed, "updated").text(), Some("2026-07-01T09:00:00+05:00"));
    let link = child(feed, "link");
    assert_eq!(link.attribute("rel"), Some("self"));
    assert_eq!(link.attribute("href"), Some("https://senim.example.kz/feed.atom?x=1&y=2"));
    let items: Vec<_> = feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))).collect();
    assert_eq!(items.len(), 2);
    let first = items[0];
    assert_eq!(child(first, "summary").text(), Some(tricky));
    assert_eq!(child(first, "title").text(), Some("Денсаулық сақтау министрлігі — № 2"));
    assert_eq!(child(first, "id").text(), Some("https://senim.example.kz/bodies/health/editions/2?a=1&b=2"));
    assert_eq!(child(first, "link").attribute("href"), child(first, "id").text());
    assert_eq!(child(first, "category").attribute("term"), Some("health"));
    assert_eq!(child(child(first, "author"), "name").text(), Some("Денсаулық сақтау министрлігі"));
    assert!(!xml.contains("<script>"));
}

#[test]
fn atom_feed_latest_update_is_by_instant_and_an_empty_feed_is_valid() {
    // 10:00+05:00 is 05:00Z, earlier than 06:00Z, though it sorts later as text.
    let entries = [feed_entry(1, "2026-06-05T10:00:00+05:00", "a"), feed_entry(2, "2026-06-05T06:00:00Z", "b")];
    let xml = atom_feed("urn:x", "t", "https://x/feed", &entries);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(child(doc.root_element(), "updated").text(), Some("2026-06-05T06:00:00Z"));

    let empty = atom_feed("urn:x", "t", "https://x/feed", &[]);
    let doc = roxmltree::Document::parse(&empty).unwrap();
    assert!(child(doc.root_element(), "updated").text().is_some());
    // Characters XML cannot carry at all are dropped rather than breaking the document.
    let xml = atom_feed("urn:x", "bell\u{7}", "https://x/feed", &[]);
    assert!(roxmltree::Document::parse(&xml).is_ok());
}

fn csv_header(edition: &Edition, name: &str) -> Vec<String> {
    let bytes = &edition.artifacts.iter().find(|a| a.name == name).unwrap().bytes;
    let text = std::str::from_utf8(bytes).unwrap().trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.headers().unwrap().iter().map(str::to_owned).collect()
}

#[test]
fn data_package_describes_each_csv_exactly() {
    let edition = common::sample();
    let package = data_package(&edition.signed.manifest, "https://x/files/", &CC_BY_4_0);
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(package["name"], "senim-health-edition-1");
    assert_eq!(package["licenses"][0]["path"], "https://creativecommons.org/licenses/by/4.0/");
    let resources = package["resources"].as_array().unwrap();
    let names: Vec<&str> = resources.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(names, ["https://x/files/1.kk.csv", "https://x/files/1.ru.csv"]);
    for (resource, lang) in resources.iter().zip(["kk", "ru"]) {
        let file = format!("1.{lang}.csv");
        let artifact = edition.artifacts.iter().find(|a| a.name == file).unwrap();
        assert_eq!(resource["bytes"], artifact.bytes.len() as u64);
        assert_eq!(resource["hash"], format!("sha256:{}", hex::encode(Sha256::digest(&artifact.bytes))));
        assert_eq!(resource["encoding"], "utf-8");
        assert_eq!(resource["mediatype"], "text/csv");
        let fields = resource["schema"]["fields"].as_array().unwrap();
        let field_names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(field_names, csv_header(&edition, &file), "field names are the CSV's header");
        assert_eq!(fields[0]["type"], "integer");
        assert_eq!(fields[6]["type"], "date");
        assert_eq!(resource["schema"]["primaryKey"], serde_json::json!([field_names[8]]));
    }
    let kk = &resources[0]["schema"]["primaryKey"][0];
    assert_eq!(kk, "Тізілім нөмірі");
}

#[test]
fn data_package_with_english_has_three_resources() {
    let edition = common::build_edition(2, None, vec![common::entry_in_three_languages()]);
    let package = data_package(&edition.signed.manifest, "", &CC_BY_4_0);
    let paths: Vec<&str> =
        package["resources"].as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["2.kk.csv", "2.ru.csv", "2.en.csv"]);
    assert_eq!(package["resources"][2]["schema"]["primaryKey"][0], "Registry number");
}

fn values<'a>(v: &'a Value, lang_key: &str) -> Vec<(&'a str, &'a str)> {
    v.as_array().unwrap().iter().map(|t| (t["@language"].as_str().unwrap(), t[lang_key].as_str().unwrap())).collect()
}

#[test]
fn dcat_dataset_points_at_latest_urls_of_every_format() {
    let edition = common::build_edition(3, None, vec![common::entry_in_three_languages()]);
    let dataset = dcat_dataset(&edition.signed.manifest, "https://senim.example.kz/", &CC_BY_4_0);
    assert_eq!(dataset["@type"], "dcat:Dataset");
    assert_eq!(dataset["@id"], "https://senim.example.kz/bodies/health");
    let titles = values(&dataset["dct:title"], "@value");
    assert_eq!(titles.iter().map(|t| t.0).collect::<Vec<_>>(), ["kk", "ru", "en"]);
    assert!(titles[2].1.contains("Ministry of Health"));
    assert!(titles[0].1.contains("Денсаулық сақтау министрлігі"));
    let publisher = values(&dataset["dct:publisher"]["foaf:name"], "@value");
    assert!(publisher.contains(&("ru", "Министерство здравоохранения")));
    assert_eq!(dataset["dct:modified"]["@value"], "2026-06-05");
    assert_eq!(dataset["dct:modified"]["@type"], "xsd:date");
    assert_eq!(dataset["dct:license"]["@id"], CC_BY_4_0.path);
    let distributions = dataset["dcat:distribution"].as_array().unwrap();
    assert_eq!(distributions.len(), edition.artifacts.len(), "one per stored rendering");
    let urls: Vec<&str> = distributions.iter().map(|d| d["dcat:downloadURL"]["@id"].as_str().unwrap()).collect();
    assert!(urls.contains(&"https://senim.example.kz/bodies/health/latest/list.kk.xlsx"));
    assert!(urls.contains(&"https://senim.example.kz/bodies/health/latest/list.en.csv"));
    assert_eq!(urls[0], latest_url("https://senim.example.kz", "health", Lang::Kk, "html"));
    let xlsx = distributions.iter().find(|d| d["dct:format"] == "XLSX").unwrap();
    assert_eq!(
        xlsx["dcat:mediaType"]["@id"],
        format!("https://www.iana.org/assignments/media-types/{XLSX_MEDIA_TYPE}")
    );
    assert_eq!(dataset["dct:language"].as_array().unwrap().len(), 3);
}
