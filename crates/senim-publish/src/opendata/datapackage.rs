//! A Frictionless Data Package (`datapackage.json`) for an edition: its CSV files, one per language,
//! each with a Table Schema, so that a consumer can load and validate them without reading our docs.

use serde_json::{Value, json};

use senim_domain::lang::Lang;

use super::{License, artifact_parts};
use crate::manifest::Manifest;
use crate::render;

/// Index of the "No." column, an integer from 1.
const POSITION: usize = 0;
/// Index of the inclusion date, `YYYY-MM-DD`.
const INCLUDED_ON: usize = 6;
/// Index of the registry number: stable, unique, the primary key.
const REGISTRY_NUMBER: usize = 8;
/// Index of the owner's BIN: 12 digits, or empty for a person.
const OWNER_BIN: usize = 9;
/// Index of the body's code.
const BODY_CODE: usize = 10;

/// The descriptor of edition `manifest` as a Data Package.
///
/// `files_base` is put before each CSV's name to make its `path`: the artifact URL prefix
/// (`https://…/api/v1/bodies/health/editions/3/files/`) for a published descriptor, or `""` for a
/// descriptor that lies beside the downloaded files. Each resource records the manifest's size and
/// SHA-256 of its file, so the package is as checkable as the signed manifest it is made from.
pub fn data_package(manifest: &Manifest, files_base: &str, license: &License) -> Value {
    let code = &manifest.body.code;
    let n = manifest.edition;
    let resources: Vec<Value> = manifest
        .artifacts
        .iter()
        .filter_map(|a| {
            let (lang, ext) = artifact_parts(&a.name)?;
            (ext == "csv").then_some((a, lang))
        })
        .map(|(a, lang)| {
            json!({
                "name": resource_name(&format!("{code}-{n}-{lang}")),
                "title": format!("{} — {}, № {n} ({lang})", render::list_title(lang), manifest.body.name.best(lang)),
                "profile": "tabular-data-resource",
                "path": format!("{files_base}{}", a.name),
                "format": "csv",
                "mediatype": a.media_type,
                // The CSV starts with a byte order mark (render::csv). The spec wants an IANA charset
                // name, and frictionless 5 drops the BOM under plain `utf-8` (checked in CI), so the
                // Python-only `utf-8-sig` is not needed.
                "encoding": "utf-8",
                "description": CSV_DESCRIPTION,
                "bytes": a.bytes,
                "hash": format!("sha256:{}", a.sha256),
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": "\"",
                    "doubleQuote": true,
                    "header": true,
                },
                "schema": table_schema(lang),
            })
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": resource_name(&format!("senim-{code}-edition-{n}")),
        "title": format!("{} — {}, № {n}", render::list_title(Lang::Kk), manifest.body.name.best(Lang::Kk)),
        "version": n.to_string(),
        "created": manifest.published_at,
        "keywords": ["senim", "senim-edition/1", code],
        "licenses": [license.descriptor()],
        "resources": resources,
    })
}

/// Said of every CSV resource (issue 16, finding 3): how a reader gets the exact text back.
pub const CSV_DESCRIPTION: &str = "Annex 2 of the Rules (Order No. 196/НҚ). A cell, or a line within a cell, \
    that would start with =, +, -, @, a tab or a carriage return starts with an apostrophe (') instead, so that \
    no spreadsheet runs it as a formula; remove that one apostrophe to read the text as the body published it. \
    The signed edition's N.json holds every text exactly.";

/// The Table Schema of the CSV in `lang`: field names are its header cells, in order.
pub fn table_schema(lang: Lang) -> Value {
    let header = render::header(lang);
    let fields: Vec<Value> = header
        .iter()
        .enumerate()
        .map(|(i, name)| match i {
            POSITION => json!({"name": name, "type": "integer", "constraints": {"required": true, "minimum": 1}}),
            INCLUDED_ON => {
                json!({"name": name, "type": "date", "format": "default", "constraints": {"required": true}})
            }
            REGISTRY_NUMBER => {
                json!({"name": name, "type": "string", "constraints": {"required": true, "unique": true}})
            }
            OWNER_BIN => json!({
                "name": name,
                "type": "string",
                "description": "12-digit BIN of a legal entity; empty for a person, whose IIN is never published",
                "constraints": {"pattern": "[0-9]{12}"},
            }),
            BODY_CODE => json!({"name": name, "type": "string", "constraints": {"required": true}}),
            _ => json!({"name": name, "type": "string", "constraints": {"required": true}}),
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": [header[REGISTRY_NUMBER]],
        "missingValues": [""],
    })
}

/// A package or resource name as the spec allows: lowercase letters, digits, `-`, `_`, `.`.
fn resource_name(raw: &str) -> String {
    raw.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' })
        .collect()
}
