//! What the next edition would be (Rules §7), before the publisher publishes it: the pending changes
//! with their due dates, the entries as they will appear (Annex 2 columns, positions), and the
//! difference from the current edition. Nothing is signed or stored.

use jiff::civil::Date;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::LangText;
use senim_store::amendments;
use senim_store::entries::{self, ListEntry, Pending};
use senim_store::users::User;
use serde_json::Value;

use super::amendment::field_value;
use super::publication::publisher_body;
use super::{ServiceResult, lists};
use crate::AppState;

/// The fields compared between two editions of an entry, in Annex 2 order (the position is the
/// entry's place in one edition, not part of what is published about it).
pub const COMPARED: [&str; 10] = [
    "system_name",
    "owner",
    "owner_bin",
    "area",
    "functionality",
    "audit.auditor",
    "audit.date",
    "audit.conclusions",
    "included_on",
    "body",
];

/// A change waiting for the next edition.
#[derive(Debug, Clone)]
pub struct PendingChange {
    pub entry: ListEntry,
    /// Rules §7: five working days from inclusion (from the amendment, by analogy, for an amendment);
    /// `None` for an exclusion, for which the Rules set no period.
    pub due_on: Option<Date>,
}

impl PendingChange {
    pub fn change(&self) -> &'static str {
        self.entry.pending.map_or("", Pending::code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: Value,
    pub after: Value,
}

#[derive(Debug, Clone)]
pub struct AmendedEntry {
    pub registry_number: String,
    pub system_name: LangText,
    pub fields: Vec<FieldChange>,
    /// The reasons of the amendments waiting for this entry, oldest first.
    pub reasons: Vec<LangText>,
}

#[derive(Debug, Clone)]
pub struct ExcludedEntry {
    pub registry_number: String,
    pub system_name: LangText,
    pub reason: LangText,
}

/// The would-be next edition.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The number the next edition will have.
    pub edition: i64,
    /// The current edition's number, if any.
    pub current: Option<i64>,
    pub pending: Vec<PendingChange>,
    /// The entries as they will be published, positions 1..n.
    pub entries: Vec<Annex2Entry>,
    pub added: Vec<Annex2Entry>,
    pub amended: Vec<AmendedEntry>,
    pub excluded: Vec<ExcludedEntry>,
}

impl Preview {
    /// How many changes the edition will carry.
    pub fn change_count(&self) -> usize {
        self.pending.len()
    }
    /// The earliest due date among the pending changes.
    pub fn earliest_due(&self) -> Option<Date> {
        self.pending.iter().filter_map(|p| p.due_on).min()
    }
}

/// The field-level difference between two versions of an entry.
pub fn diff(before: &Annex2Entry, after: &Annex2Entry) -> Vec<FieldChange> {
    COMPARED
        .iter()
        .filter_map(|f| {
            let (b, a) = (field_value(before, f), field_value(after, f));
            (b != a).then_some(FieldChange { field: f, before: b, after: a })
        })
        .collect()
}

/// The pending changes of the body, in List order, with their due dates.
pub async fn pending(state: &AppState, user: &User, body_code: &str) -> ServiceResult<Vec<PendingChange>> {
    publisher_body(user, body_code)?;
    Ok(pending_of(entries::of_body(&state.store, body_code).await?))
}

fn pending_of(all: Vec<ListEntry>) -> Vec<PendingChange> {
    all.into_iter()
        .filter(|e| e.pending.is_some())
        .map(|e| PendingChange {
            due_on: (e.pending != Some(Pending::Excluded)).then_some(e.publication_due_on),
            entry: e,
        })
        .collect()
}

/// The next edition as it would be published now.
pub async fn preview(state: &AppState, user: &User, body_code: &str) -> ServiceResult<Preview> {
    publisher_body(user, body_code)?;
    let all = entries::of_body(&state.store, body_code).await?;
    let current = lists::current(state, body_code).await?;
    let waiting = amendments::pending(&state.store, body_code).await?;
    let (current_number, current_entries) = match current {
        Some((e, entries)) => (Some(e.number), entries),
        None => (None, vec![]),
    };
    let mut entries: Vec<Annex2Entry> =
        all.iter().filter(|e| e.listed && e.pending != Some(Pending::Excluded)).map(|e| e.entry.clone()).collect();
    for (i, e) in entries.iter_mut().enumerate() {
        e.position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    let published = |n: &str| current_entries.iter().find(|e| e.registry_number == n);
    let mut added = vec![];
    let mut amended = vec![];
    let mut excluded = vec![];
    for e in &all {
        match e.pending {
            Some(Pending::Added) => {
                if let Some(x) = entries.iter().find(|x| x.registry_number == e.registry_number) {
                    added.push(x.clone());
                }
            }
            Some(Pending::Amended) => amended.push(AmendedEntry {
                registry_number: e.registry_number.clone(),
                system_name: e.entry.system_name.clone(),
                fields: published(&e.registry_number).map(|b| diff(b, &e.entry)).unwrap_or_default(),
                reasons: waiting
                    .iter()
                    .filter(|a| a.registry_number == e.registry_number)
                    .map(|a| a.reason.clone())
                    .collect(),
            }),
            Some(Pending::Excluded) => excluded.push(ExcludedEntry {
                registry_number: e.registry_number.clone(),
                system_name: published(&e.registry_number).map_or(&e.entry, |p| p).system_name.clone(),
                reason: e.pending_reason.clone().unwrap_or_default(),
            }),
            None => {}
        }
    }
    Ok(Preview {
        edition: current_number.map_or(1, |n| n + 1),
        current: current_number,
        pending: pending_of(all),
        entries,
        added,
        amended,
        excluded,
    })
}
