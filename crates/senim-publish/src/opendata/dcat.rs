//! A DCAT dataset description (JSON-LD, in the style of DCAT-AP) of one body's List, for open-data
//! portals that harvest catalogues.
//!
//! The dataset is the List itself, not one edition: its distributions point at the stable "latest"
//! URLs `/bodies/{code}/latest/list.{lang}.{ext}`, which always serve the current edition's file, and
//! `dct:modified` is the current edition's publication date.

use serde_json::{Value, json};

use senim_domain::lang::{Lang, LangText};

use super::{License, artifact_parts};
use crate::manifest::Manifest;
use crate::render;

/// IANA's registry URL of a media type, as DCAT-AP wants `dcat:mediaType`.
const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";

/// The stable URL of the current edition's file of `code` in `lang` with extension `ext`.
pub fn latest_url(site_url: &str, code: &str, lang: Lang, ext: &str) -> String {
    format!("{}/bodies/{code}/latest/list.{lang}.{ext}", site_url.trim_end_matches('/'))
}

/// The dataset of `manifest`'s body as of that (its current) edition. `site_url` is the public base
/// URL without a trailing slash (`https://senim.example.kz`); `license` is the licence the body
/// publishes its List under.
pub fn dcat_dataset(manifest: &Manifest, site_url: &str, license: &License) -> Value {
    let site = site_url.trim_end_matches('/');
    let body = &manifest.body;
    let code = &body.code;
    let dataset_id = format!("{site}/bodies/{code}");
    let title: Vec<Value> = [Lang::Kk, Lang::Ru, Lang::En]
        .into_iter()
        .map(|lang| tagged(lang, &format!("{} — {}", render::list_title(lang), body.name.best(lang))))
        .collect();
    let mut languages = Vec::new();
    let distributions: Vec<Value> = manifest
        .artifacts
        .iter()
        .filter_map(|a| artifact_parts(&a.name).map(|(lang, ext)| (a, lang, ext)))
        .map(|(a, lang, ext)| {
            if !languages.contains(&lang) {
                languages.push(lang);
            }
            let url = latest_url(site, code, lang, ext);
            json!({
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": tagged(lang, &format!("{} ({})", render::list_title(lang), ext.to_uppercase())),
                "dcat:downloadURL": {"@id": url},
                "dcat:accessURL": {"@id": dataset_id},
                "dcat:mediaType": {"@id": format!("{IANA_MEDIA_TYPES}{}", a.media_type)},
                "dct:format": ext.to_uppercase(),
                "dct:language": language_uri(lang),
                "dct:license": {"@id": license.path},
            })
        })
        .collect();
    // The date part of `2026-06-05T10:12:03+05:00`: the Kazakhstan calendar date of publication.
    let modified = manifest.published_at.get(..10).unwrap_or(&manifest.published_at);
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": format!("senim:{code}"),
        "dct:title": title,
        "dct:publisher": {
            "@id": format!("{dataset_id}#body"),
            "@type": "foaf:Agent",
            "foaf:name": lang_map(&body.name),
        },
        "dct:modified": {"@value": modified, "@type": "xsd:date"},
        "dct:license": {"@id": license.path},
        "dct:language": languages.iter().map(|l| language_uri(*l)).collect::<Vec<_>>(),
        "dcat:landingPage": {"@id": dataset_id},
        "dcat:keyword": ["AI", "senim-edition/1", code],
        "dcat:distribution": distributions,
    })
}

/// A language-tagged JSON-LD string.
fn tagged(lang: Lang, value: &str) -> Value {
    json!({"@language": lang.code(), "@value": value})
}

/// Every translation of `text`, language-tagged.
fn lang_map(text: &LangText) -> Vec<Value> {
    [Lang::Kk, Lang::Ru, Lang::En].into_iter().filter_map(|l| text.get(l).map(|v| tagged(l, v))).collect()
}

/// The EU Publications Office language authority URI that DCAT-AP uses for `dct:language`.
fn language_uri(lang: Lang) -> Value {
    let code = match lang {
        Lang::Kk => "KAZ",
        Lang::Ru => "RUS",
        Lang::En => "ENG",
    };
    json!({"@id": format!("http://publications.europa.eu/resource/authority/language/{code}")})
}
