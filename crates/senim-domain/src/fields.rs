//! The Annex 1 form as flat named fields (`applicant.name`, `system.name.kk`, …) and back: the names of
//! the HTML form's inputs, of field errors, and of the rows of the Annex 1 document and the round diff.
//!
//! A page always re-renders from the flat values the user sent, so a field that does not parse (a
//! date like `31.02.2026`) is shown again exactly as typed, with its error beside it.

use std::collections::BTreeMap;

use crate::application::{ApplicantRole, ApplicationForm, FieldError};
use crate::lang::{Lang, LangText};
use jiff::civil::Date;

/// Text fields in Kazakh / Russian / English (published texts and the descriptions of Annex 1).
pub const LANG_FIELDS: [&str; 10] = [
    "system.name",
    "system.purpose",
    "system.area",
    "system.functionality",
    "system.conditions_of_use",
    "system.models.description",
    "system.data.categories",
    "system.data.sources",
    "audit.auditor",
    "audit.conclusions",
];

pub type Values = BTreeMap<String, String>;

fn put_lang(v: &mut Values, name: &str, t: &LangText) {
    for lang in Lang::ALL {
        if let Some(s) = t.get(lang) {
            v.insert(format!("{name}.{}", lang.code()), s.to_owned());
        }
    }
}

fn get_lang(v: &Values, name: &str) -> LangText {
    let mut t = LangText::new();
    for lang in Lang::ALL {
        if let Some(s) = v.get(&format!("{name}.{}", lang.code())) {
            t.set(lang, s.clone());
        }
    }
    t
}

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

pub fn flatten(f: &ApplicationForm) -> Values {
    let mut v = Values::new();
    let mut put = |k: &str, s: &str| {
        if !s.is_empty() {
            v.insert(k.to_owned(), s.to_owned());
        }
    };
    put("body", &f.body);
    put("applicant.role", f.applicant.role.map_or("", |r| r.code()));
    put("applicant.name", &f.applicant.name);
    put("applicant.bin_iin", &f.applicant.bin_iin);
    put("applicant.legal_address", &f.applicant.legal_address);
    put("applicant.actual_address", &f.applicant.actual_address);
    put("applicant.contact.name", &f.applicant.contact.name);
    put("applicant.contact.position", &f.applicant.contact.position);
    put("applicant.contact.phone", &f.applicant.contact.phone);
    put("applicant.contact.email", &f.applicant.contact.email);
    put("system.models.algorithm_type", &f.system.models.algorithm_type);
    put("system.models.external_models", &yes_no(f.system.models.external_models));
    put("system.models.embedded_models", &yes_no(f.system.models.embedded_models));
    put("audit.date", &f.audit.date.map(|d| d.to_string()).unwrap_or_default());
    put("copyright.certificate_number", &f.copyright.certificate_number);
    put("copyright.certificate_date", &f.copyright.certificate_date.map(|d| d.to_string()).unwrap_or_default());
    put("copyright.author_contract", if f.copyright.author_contract { "yes" } else { "" });
    put("declaration.confirmed", if f.declaration.confirmed { "yes" } else { "" });
    put("declaration.signatory", &f.declaration.signatory);
    let s = &f.system;
    for (name, t) in [
        ("system.name", &s.name),
        ("system.purpose", &s.purpose),
        ("system.area", &s.area),
        ("system.functionality", &s.functionality),
        ("system.conditions_of_use", &s.conditions_of_use),
        ("system.models.description", &s.models.description),
        ("system.data.categories", &s.data.categories),
        ("system.data.sources", &s.data.sources),
        ("audit.auditor", &f.audit.auditor),
        ("audit.conclusions", &f.audit.conclusions),
    ] {
        put_lang(&mut v, name, t);
    }
    v
}

fn date(v: &Values, key: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let s = v.get(key).map(|s| s.trim()).unwrap_or("");
    if s.is_empty() {
        return None;
    }
    match s.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(key, "date.format"));
            None
        }
    }
}

fn flag(v: &Values, key: &str) -> Option<bool> {
    match v.get(key).map(String::as_str) {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    }
}

/// Builds the form from posted values; parse errors are returned beside it.
pub fn unflatten(v: &Values) -> (ApplicationForm, Vec<FieldError>) {
    let mut errors = Vec::new();
    let s = |k: &str| v.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let mut f = ApplicationForm { body: s("body"), ..Default::default() };
    f.applicant.role = ApplicantRole::parse(&s("applicant.role"));
    f.applicant.name = s("applicant.name");
    f.applicant.bin_iin = s("applicant.bin_iin");
    f.applicant.legal_address = s("applicant.legal_address");
    f.applicant.actual_address = s("applicant.actual_address");
    f.applicant.contact.name = s("applicant.contact.name");
    f.applicant.contact.position = s("applicant.contact.position");
    f.applicant.contact.phone = s("applicant.contact.phone");
    f.applicant.contact.email = s("applicant.contact.email");
    f.system.name = get_lang(v, "system.name");
    f.system.purpose = get_lang(v, "system.purpose");
    f.system.area = get_lang(v, "system.area");
    f.system.functionality = get_lang(v, "system.functionality");
    f.system.conditions_of_use = get_lang(v, "system.conditions_of_use");
    f.system.models.description = get_lang(v, "system.models.description");
    f.system.models.algorithm_type = s("system.models.algorithm_type");
    f.system.models.external_models = flag(v, "system.models.external_models");
    f.system.models.embedded_models = flag(v, "system.models.embedded_models");
    f.system.data.categories = get_lang(v, "system.data.categories");
    f.system.data.sources = get_lang(v, "system.data.sources");
    f.audit.auditor = get_lang(v, "audit.auditor");
    f.audit.date = date(v, "audit.date", &mut errors);
    f.audit.conclusions = get_lang(v, "audit.conclusions");
    f.copyright.certificate_number = s("copyright.certificate_number");
    f.copyright.certificate_date = date(v, "copyright.certificate_date", &mut errors);
    f.copyright.author_contract = flag(v, "copyright.author_contract") == Some(true);
    f.declaration.confirmed = flag(v, "declaration.confirmed") == Some(true);
    f.declaration.signatory = s("declaration.signatory");
    (f, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_survives_the_round_trip_through_flat_fields() {
        let mut v = Values::new();
        for (k, val) in [
            ("body", "health"),
            ("applicant.role", "holder"),
            ("applicant.bin_iin", "971240001315"),
            ("system.name.kk", "Жүйе"),
            ("system.name.ru", "Система"),
            ("audit.date", "2026-05-14"),
            ("system.models.external_models", "no"),
            ("declaration.confirmed", "yes"),
        ] {
            v.insert(k.into(), val.into());
        }
        let (form, errors) = unflatten(&v);
        assert!(errors.is_empty());
        assert_eq!(flatten(&form), v);
    }

    #[test]
    fn a_date_that_does_not_parse_is_an_error_not_a_silent_blank() {
        let mut v = Values::new();
        v.insert("audit.date".into(), "31.02.2026".into());
        let (form, errors) = unflatten(&v);
        assert_eq!(form.audit.date, None);
        assert_eq!(errors, vec![FieldError::new("audit.date", "date.format")]);
    }
}
