//! Amendment of a published entry by the body's publisher (issue 5). The Rules say nothing of
//! amendments (`rules-en.md`, notes); Senim lets the body correct the Annex 2 columns it owns — the
//! system's name, the owner's name, the area, the functionality and the audit column — never the
//! registry number, the date of inclusion, the BIN or the body. The amended row is published with the
//! next edition (`changes.amended`); the reason, in kk and/or ru, and the field-level change are kept
//! in `entry_amendments` and shown in the editions history and the entry's history. Nothing is deleted.

use jiff::Timestamp;
use senim_domain::annex2::Annex2Entry;
use senim_domain::application::FieldError;
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::lang::{Lang, LangText};
use senim_store::amendments::{self, Amendment};
use senim_store::audit;
use senim_store::entries::{self, Pending};
use senim_store::users::User;
use serde_json::{Value, json};

use super::publication::publisher_body;
use super::{ServiceError, ServiceResult};
use crate::AppState;

/// The amendable fields, as named in requests and field errors (`fields.{code}`).
pub const AMENDABLE: [&str; 7] =
    ["system_name", "owner", "area", "functionality", "audit.auditor", "audit.date", "audit.conclusions"];

/// The language-map fields among [`AMENDABLE`].
pub const TEXT_FIELDS: [&str; 6] =
    ["system_name", "owner", "area", "functionality", "audit.auditor", "audit.conclusions"];

/// One amended value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(&'static str, LangText),
    AuditDate(jiff::civil::Date),
}

fn text_field(code: &str) -> Option<&'static str> {
    TEXT_FIELDS.iter().copied().find(|c| *c == code)
}

/// Parses `{"system_name": {"kk": "…"}, "audit": {"date": "2026-05-14", …}, …}`, every error at once.
pub fn parse_fields(fields: &Value) -> Result<Vec<FieldValue>, Vec<FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let Some(map) = fields.as_object() else {
        return Err(vec![FieldError::new("fields", "required")]);
    };
    // `audit` is an object of its own; flatten it to `audit.*`.
    let mut flat: Vec<(String, &Value)> = Vec::new();
    for (k, v) in map {
        match (k.as_str(), v.as_object()) {
            ("audit", Some(audit)) => flat.extend(audit.iter().map(|(ak, av)| (format!("audit.{ak}"), av))),
            _ => flat.push((k.clone(), v)),
        }
    }
    for (code, value) in flat {
        let field = format!("fields.{code}");
        if code == "audit.date" {
            match value.as_str().and_then(|s| s.trim().parse::<jiff::civil::Date>().ok()) {
                Some(d) => out.push(FieldValue::AuditDate(d)),
                None if value.as_str().is_some_and(|s| s.trim().is_empty()) => {
                    errors.push(FieldError::new(field, "required"))
                }
                None => errors.push(FieldError::new(field, "date.format")),
            }
            continue;
        }
        let Some(code) = text_field(&code) else {
            errors.push(FieldError::new(field, "amend.not_amendable"));
            continue;
        };
        match serde_json::from_value::<LangText>(value.clone()) {
            Ok(t) if t.normalized().is_complete() => out.push(FieldValue::Text(code, t.normalized())),
            Ok(_) => errors.push(FieldError::new(field, "required")),
            Err(_) => errors.push(FieldError::new(field, "amend.lang_text")),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The entry with the values applied, and the codes of the fields that really changed.
pub fn apply(entry: &Annex2Entry, values: &[FieldValue]) -> (Annex2Entry, Vec<String>) {
    let mut after = entry.clone();
    for v in values {
        match v {
            FieldValue::Text("system_name", t) => after.system_name = t.clone(),
            FieldValue::Text("owner", t) => after.owner = t.clone(),
            FieldValue::Text("area", t) => after.area = t.clone(),
            FieldValue::Text("functionality", t) => after.functionality = t.clone(),
            FieldValue::Text("audit.auditor", t) => after.audit.auditor = t.clone(),
            FieldValue::Text("audit.conclusions", t) => after.audit.conclusions = t.clone(),
            FieldValue::Text(_, _) => {}
            FieldValue::AuditDate(d) => after.audit.date = *d,
        }
    }
    let changed =
        AMENDABLE.iter().filter(|f| field_value(entry, f) != field_value(&after, f)).map(|f| (*f).to_owned()).collect();
    (after, changed)
}

/// The value of one Annex 2 field as JSON (language maps as maps), for diffs.
pub fn field_value(e: &Annex2Entry, field: &str) -> Value {
    match field {
        "system_name" => json!(e.system_name),
        "owner" => json!(e.owner),
        "owner_bin" => json!(e.owner_bin),
        "area" => json!(e.area),
        "functionality" => json!(e.functionality),
        "audit.auditor" => json!(e.audit.auditor),
        "audit.date" => json!(e.audit.date.to_string()),
        "audit.conclusions" => json!(e.audit.conclusions),
        "included_on" => json!(e.included_on.to_string()),
        "body" => json!(e.body),
        _ => Value::Null,
    }
}

/// The reason of an exclusion or amendment: kk and/or ru required (Rules are published in both).
pub fn check_reason(reason: &LangText) -> Result<LangText, FieldError> {
    let reason = reason.normalized();
    if reason.get(Lang::Kk).is_none() && reason.get(Lang::Ru).is_none() {
        return Err(FieldError::new("reason", "required"));
    }
    Ok(reason)
}

/// Amends a published entry of the publisher's body; takes effect in the next edition.
pub async fn amend(
    state: &AppState,
    user: &User,
    body_code: &str,
    registry_number: &str,
    fields: &Value,
    reason: &LangText,
    now: Timestamp,
) -> ServiceResult<Amendment> {
    publisher_body(user, body_code)?;
    let entry = entries::get(&state.store, registry_number).await?.ok_or(ServiceError::NotFound)?;
    if entry.body_code != body_code {
        return Err(ServiceError::NotFound);
    }
    let mut errors = Vec::new();
    let values = parse_fields(fields).unwrap_or_else(|e| {
        errors.extend(e);
        vec![]
    });
    let reason = check_reason(reason).map_err(|e| errors.push(e)).unwrap_or_default();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if !entry.listed || matches!(entry.pending, Some(Pending::Added | Pending::Excluded)) {
        return Err(ServiceError::State("entry.not_amendable"));
    }
    let (after, changed) = apply(&entry.entry, &values);
    if changed.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("fields", "amend.no_change")]));
    }
    // By analogy with an inclusion (Rules §7: five working days), the amended List is due within five
    // working days of the amendment; the Rules themselves set no period for amendments.
    let due = state.calendar().due_date(kz_date(now), WorkingDays::PUBLICATION)?;
    let amendment = Amendment {
        id: uuid::Uuid::new_v4().to_string(),
        registry_number: registry_number.to_owned(),
        body_code: body_code.to_owned(),
        before: entry.entry.clone(),
        after: after.clone(),
        fields: changed.clone(),
        reason: reason.clone(),
        amended_by: user.id.clone(),
        amended_at: senim_store::rfc3339(now),
        edition: None,
    };
    let mut tx = state.store.begin().await?;
    if !entries::amend(&mut tx, registry_number, &after, &reason, due).await? {
        return Err(ServiceError::State("entry.not_amendable"));
    }
    amendments::insert(&mut tx, &amendment).await?;
    audit::append(
        &mut tx,
        &user.id,
        "entry.amend",
        registry_number,
        &json!({"fields": changed, "reason": reason, "amendment": amendment.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(amendment)
}
