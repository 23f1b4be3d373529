//! The documents an application produces as PDF: the submitted application as a filled-in Annex 1,
//! and the notice of nonconformity (Rules §8). Rendered on request from the stored round and review,
//! which never change, so the same request always gives the same bytes.

use senim_domain::application::ApplicationForm;
use senim_domain::lang::Lang;
use senim_store::applications::{Review, Round};
use senim_store::hearing::Preliminary;

use super::acts::ActView;

use crate::i18n::{field_label, t, t_args};
use senim_domain::fields::flatten;

fn pdf_lang(lang: Lang) -> senim_pdf::Lang {
    match lang {
        Lang::Kk => senim_pdf::Lang::Kk,
        Lang::Ru => senim_pdf::Lang::Ru,
        Lang::En => senim_pdf::Lang::En,
    }
}

/// A short reference for people to quote (the application's id is the full one).
pub fn reference(application_id: &str) -> String {
    let hex: String = application_id.chars().filter(|c| c.is_ascii_hexdigit()).take(8).collect();
    format!("SNM-{}", hex.to_uppercase())
}

/// Writes every answer of the form, labelled in `lang`, texts in each language they were given in.
fn answers(doc: &mut senim_pdf::Document, form: &ApplicationForm, body_name: &str, lang: Lang) {
    let values = flatten(form);
    let mut last_section = None;
    for (key, value) in &values {
        let section = senim_domain::sections::Section::of_field(key);
        if last_section != Some(section) {
            doc.subheading(t(lang, &format!("task-{}", section.code())));
            last_section = Some(section);
        }
        let (label, shown) = match Lang::ALL.iter().find(|l| key.ends_with(&format!(".{}", l.code()))) {
            Some(l) => {
                let base = &key[..key.len() - 3];
                (format!("{} ({})", field_label(lang, base), t(lang, &format!("lang-{}", l.code()))), value.clone())
            }
            None => {
                let shown = match key.as_str() {
                    "body" => body_name.to_owned(),
                    "applicant.role" => t(lang, &format!("role-{value}")),
                    _ if value == "yes" => t(lang, "yes"),
                    _ if value == "no" => t(lang, "no"),
                    _ => value.clone(),
                };
                (field_label(lang, key), shown)
            }
        };
        doc.field(label, shown);
    }
}

/// The submitted application (one round) as a filled-in Annex 1.
pub fn annex1_pdf(round: &Round, body_name: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let reference = reference(&round.application_id);
    let title = t(lang, "pdf-annex1-title");
    let meta = senim_pdf::Meta::new(title.clone(), pdf_lang(lang), round.received_on)
        .with_footer(format!("{reference} · {}", t_args(lang, "pdf-round", &[("round", round.number.to_string())])))
        .with_page_label(format!("{} {{page}} / {{pages}}", t(lang, "pdf-page")));
    let mut doc = senim_pdf::Document::new(meta);
    doc.heading(title);
    doc.paragraph(t(lang, "pdf-annex1-lead"));
    doc.field(t(lang, "app-reference"), reference);
    doc.field(t(lang, "app-round"), round.number.to_string());
    doc.field(t(lang, "app-received"), round.received_on.to_string());
    doc.field(t(lang, "app-due"), round.due_on.to_string());
    answers(&mut doc, &round.form, body_name, lang);
    doc.subheading(t(lang, "task-documents"));
    for a in &round.attachments {
        doc.field(t(lang, &format!("kind-{}", a.kind)), format!("{} ({} B)\nSHA-256 {}", a.filename, a.size, a.sha256));
    }
    doc.spacer();
    if round.form.declaration.confirmed {
        doc.paragraph(format!("{} — {}", field_label(lang, "declaration.confirmed"), round.form.declaration.signatory));
    }
    Ok(doc.render()?)
}

/// The notice of nonconformity of one round (Rules §8) as an administrative act (АППК Art. 78 ff.):
/// each failed §6 check with its paragraph and the reviewer's reason, the act's number and date, the
/// deciding official, how the objection was considered, and how to complain.
pub fn notice_pdf(
    review: &Review,
    round: &Round,
    body_name: &str,
    act: Option<&ActView>,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let reference = reference(&review.application_id);
    let title = t(lang, "pdf-notice-title");
    let decided = review.decided_at.get(..10).and_then(|d| d.parse().ok()).unwrap_or(round.received_on);
    let mut doc = document(&title, &reference, review.round, decided, lang);
    doc.heading(title);
    case_fields(&mut doc, round, body_name, &reference, lang);
    doc.field(t(lang, "pdf-decided-on"), decided.to_string());
    if let Some(act) = act {
        act_fields(&mut doc, act, lang);
    }
    doc.paragraph(t(lang, "pdf-notice-lead"));
    for c in review.checks.results.iter().filter(|c| !c.pass) {
        // The paragraph cited in full, not in the narrow label column.
        doc.paragraph(format!("{}: {}", t(lang, c.check.citation_key()), c.comment));
    }
    if let Some(act) = act {
        doc.subheading(t(lang, "act-considered"));
        doc.paragraph(if act.objection_considered.is_empty() {
            t(lang, "act-hearing-none")
        } else {
            act.objection_considered.clone()
        });
        complaint(&mut doc, act, lang);
    }
    doc.paragraph(t(lang, "pdf-notice-next"));
    Ok(doc.render()?)
}

/// АППК Art. 73: the preliminary decision of a round — its grounds and the hearing's dates.
pub fn preliminary_pdf(
    preliminary: &Preliminary,
    round: &Round,
    body_name: &str,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let reference = reference(&preliminary.application_id);
    let title = t(lang, "pdf-preliminary-title");
    let issued = preliminary.dates.issued_on;
    let mut doc = document(&title, &reference, preliminary.round, issued, lang);
    doc.heading(title);
    case_fields(&mut doc, round, body_name, &reference, lang);
    doc.field(t(lang, "hearing-issued"), issued.to_string());
    doc.field(t(lang, "hearing-objection-due"), preliminary.dates.objection_due_on.to_string());
    doc.field(t(lang, "hearing-decision-due"), preliminary.dates.decision_due_on.to_string());
    doc.subheading(t(lang, "hearing-reasons"));
    for c in preliminary.checks.results.iter().filter(|c| !c.pass) {
        // The paragraph cited in full, not in the narrow label column.
        doc.paragraph(format!("{}: {}", t(lang, c.check.citation_key()), c.comment));
    }
    doc.paragraph(t(lang, "hearing-lead"));
    Ok(doc.render()?)
}

/// Rules §7: the decision to include the system in the List, as an administrative act.
pub fn inclusion_pdf(act: &ActView, round: &Round, registry_number: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let reference = reference(&round.application_id);
    let title = t(lang, "act-title-inclusion");
    let mut doc = document(&title, &reference, round.number, act.adopted_on.parse().unwrap_or(round.received_on), lang);
    doc.heading(title);
    case_fields(&mut doc, round, &act.body, &reference, lang);
    act_fields(&mut doc, act, lang);
    doc.field(t(lang, "app-registry-number"), registry_number.to_owned());
    doc.paragraph(t_args(lang, "pdf-inclusion-lead", &[("number", registry_number.to_owned())]));
    complaint(&mut doc, act, lang);
    Ok(doc.render()?)
}

fn document(title: &str, reference: &str, round: i64, on: jiff::civil::Date, lang: Lang) -> senim_pdf::Document {
    let meta = senim_pdf::Meta::new(title.to_owned(), pdf_lang(lang), on)
        .with_footer(format!("{reference} · {}", t_args(lang, "pdf-round", &[("round", round.to_string())])))
        .with_page_label(format!("{} {{page}} / {{pages}}", t(lang, "pdf-page")));
    senim_pdf::Document::new(meta)
}

fn case_fields(doc: &mut senim_pdf::Document, round: &Round, body_name: &str, reference: &str, lang: Lang) {
    doc.field(t(lang, "col-body"), body_name.to_owned());
    doc.field(t(lang, "app-reference"), reference.to_owned());
    doc.field(field_label(lang, "system.name"), round.form.system.name.best(lang).to_owned());
    doc.field(field_label(lang, "applicant.name"), round.form.applicant.name.clone());
    doc.field(t(lang, "app-received"), round.received_on.to_string());
}

fn act_fields(doc: &mut senim_pdf::Document, act: &ActView, lang: Lang) {
    doc.field(t(lang, "act-number"), act.act_number.clone());
    doc.field(t(lang, "act-date"), act.adopted_on.clone());
    doc.field(t(lang, "act-official"), format!("{}, {}", act.official.name, act.official.position));
}

fn complaint(doc: &mut senim_pdf::Document, act: &ActView, lang: Lang) {
    doc.subheading(t(lang, "act-complaint"));
    doc.paragraph(act.complaint.to.clone());
    doc.paragraph(act.complaint.within.clone());
}
