//! Following a case: the receipt of a submission, the application's timeline, what changed between
//! rounds, and the PDFs (the submitted Annex 1, the notice of nonconformity).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use senim_domain::lang::Lang;
use senim_domain::status::Status;
use senim_store::applications::{self as apps, Application, Round};
use senim_store::{audit, bodies};

use super::{Ctx, error_page, render, require_user, service_error};
use crate::AppState;
use crate::services::applications as svc;
use crate::services::documents;
use senim_domain::fields::flatten;

/// One thing that happened to an application.
pub struct Event {
    pub at: String,
    pub text: String,
}

/// An instant as a reader in Kazakhstan sees it (UTC+5), `YYYY-MM-DD HH:MM`.
pub fn local_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(ts) => jiff::tz::offset(5).to_datetime(ts).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// The timeline of an application from its audit records: every round, decision and withdrawal.
pub async fn timeline(p: &Ctx, state: &AppState, app_id: &str) -> Vec<Event> {
    let records = audit::for_object(&state.store, app_id).await.unwrap_or_default();
    records
        .into_iter()
        .filter_map(|r| {
            let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
            let s = |k: &str| detail.get(k).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
            let text = match r.action.as_str() {
                "application.create" => p.t("event-create"),
                "application.submit" | "application.resubmit" => crate::i18n::t_args(
                    p.lang,
                    "event-submit",
                    &[("round", s("round").unwrap_or_default()), ("due", s("due_on").unwrap_or_default())],
                ),
                "application.take" => p.t("event-take"),
                "application.include" => p.ta("event-include", "number", &s("registry_number").unwrap_or_default()),
                "application.notice" => p.ta("event-notice", "round", &s("round").unwrap_or_default()),
                "application.withdraw" => p.t("event-withdraw"),
                "attachment.add" => {
                    p.ta("event-attach", "kind", &p.t(&format!("kind-{}", s("kind").unwrap_or_default())))
                }
                "attachment.remove" => p.t("event-detach"),
                "application.published" => p.ta("event-published", "edition", &s("edition").unwrap_or_default()),
                "application.excluded" => p.ta("event-excluded", "edition", &s("edition").unwrap_or_default()),
                _ => return None,
            };
            Some(Event { at: local_time(&r.at), text })
        })
        .collect()
}

/// One difference between two rounds.
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// What changed from one round to the next (Rules §8: the corrections of a resubmission).
pub struct RoundDiff {
    pub from: i64,
    pub to: i64,
    pub changes: Vec<Change>,
}

fn field_name(p: &Ctx, key: &str) -> String {
    match Lang::ALL.iter().find(|l| key.ends_with(&format!(".{}", l.code()))) {
        Some(l) => format!("{} ({})", p.field_label(&key[..key.len() - 3]), p.t(&format!("lang-{}", l.code()))),
        None => p.field_label(key),
    }
}

/// The changes between consecutive rounds, fields and documents (compared by SHA-256).
pub fn diffs(p: &Ctx, rounds: &[Round]) -> Vec<RoundDiff> {
    rounds
        .windows(2)
        .map(|w| {
            let (a, b) = (flatten(&w[0].form), flatten(&w[1].form));
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            let mut changes: Vec<Change> = keys
                .into_iter()
                .filter(|k| a.get(*k) != b.get(*k))
                .map(|k| Change {
                    label: field_name(p, k),
                    before: a.get(k).cloned().unwrap_or_default(),
                    after: b.get(k).cloned().unwrap_or_default(),
                })
                .collect();
            let doc = |r: &Round, kind: &str| {
                r.attachments
                    .iter()
                    .filter(|x| x.kind == kind)
                    .map(|x| format!("{} ({})", x.filename, &x.sha256[..12]))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            for kind in senim_domain::application::AttachmentKind::ALL {
                let (before, after) = (doc(&w[0], kind.code()), doc(&w[1], kind.code()));
                if before != after {
                    changes.push(Change { label: p.t(&format!("kind-{}", kind.code())), before, after });
                }
            }
            RoundDiff { from: w[0].number, to: w[1].number, changes }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "receipt.html")]
pub struct ReceiptPage {
    pub p: Ctx,
    pub app: Application,
    pub round: Round,
    pub reference: String,
    pub body_name: String,
}

async fn round_of(state: &AppState, app: &Application, n: i64) -> Option<Round> {
    apps::rounds(&state.store, &app.id).await.ok()?.into_iter().find(|r| r.number == n)
}

async fn body_name(state: &AppState, p: &Ctx, code: &str) -> String {
    bodies::get(&state.store, code).await.ok().flatten().map(|b| p.text(&b.name)).unwrap_or_default()
}

/// The receipt of a submission (Rules §6): reference, date of receipt, the examination's due date.
pub async fn receipt(p: Ctx, State(state): State<AppState>, Path((id, n)): Path<(String, i64)>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let Some(round) = round_of(&state, &app, n).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let body_name = body_name(&state, &p, &app.body_code).await;
    render(&ReceiptPage { reference: documents::reference(&app.id), body_name, p, app, round })
}

/// Which PDF of a round.
#[derive(Clone, Copy)]
pub enum RoundPdf {
    Annex1,
    Notice,
    /// АППК Art. 73: the preliminary decision.
    Preliminary,
    /// Rules §7: the decision to include, an act.
    Inclusion,
}

/// Renders a PDF of a visible application's round (off the async threads); `None` if the round (or,
/// for a notice, a nonconformity decision on it) does not exist. Returns the file name and bytes.
pub async fn round_pdf(
    state: &AppState,
    app: &Application,
    n: i64,
    which: RoundPdf,
    lang: Lang,
) -> Option<anyhow::Result<(String, Vec<u8>)>> {
    let round = round_of(state, app, n).await?;
    let body = bodies::get(&state.store, &app.body_code).await.ok().flatten().map(|b| b.name.best(lang).to_owned())?;
    let reference = documents::reference(&app.id);
    let work: Box<dyn FnOnce() -> anyhow::Result<Vec<u8>> + Send> = match which {
        RoundPdf::Annex1 => Box::new(move || documents::annex1_pdf(&round, &body, lang)),
        RoundPdf::Notice => {
            let review = apps::reviews(&state.store, &app.id)
                .await
                .ok()?
                .into_iter()
                .find(|r| r.round == n && r.decision == Status::Nonconforming)?;
            let act = act_of(state, app, n, lang).await;
            Box::new(move || documents::notice_pdf(&review, &round, &body, act.as_ref(), lang))
        }
        RoundPdf::Preliminary => {
            let file = crate::services::hearing::file_of(state, &app.id).await.ok()?;
            let preliminary = file.preliminary(n)?.clone();
            Box::new(move || documents::preliminary_pdf(&preliminary, &round, &body, lang))
        }
        RoundPdf::Inclusion => {
            let act = act_of(state, app, n, lang).await.filter(|a| a.kind == "inclusion")?;
            let number = app.registry_number.clone()?;
            Box::new(move || documents::inclusion_pdf(&act, &round, &number, lang))
        }
    };
    let kind = match which {
        RoundPdf::Annex1 => "annex1",
        RoundPdf::Notice => "notice",
        RoundPdf::Preliminary => "preliminary",
        RoundPdf::Inclusion => "decision",
    };
    let name = format!("{reference}-{n}-{kind}-{}.pdf", lang.code());
    Some(match tokio::task::spawn_blocking(work).await {
        Ok(Ok(bytes)) => Ok((name, bytes)),
        Ok(Err(e)) => Err(e),
        Err(e) => Err(anyhow::anyhow!("rendering a PDF panicked: {e}")),
    })
}

/// The act that ended round `n`, as read in `lang`.
async fn act_of(state: &AppState, app: &Application, n: i64, lang: Lang) -> Option<crate::services::acts::ActView> {
    let file = crate::services::hearing::file_of(state, &app.id).await.ok()?;
    let act = file.act(n)?;
    let review = apps::reviews(&state.store, &app.id).await.ok()?.into_iter().find(|r| r.round == n)?;
    let body = bodies::get(&state.store, &app.body_code).await.ok().flatten()?;
    let role = crate::i18n::t(lang, "role-label-reviewer");
    Some(crate::services::acts::view(act, &review.checks, body.name.best(lang), &role, lang))
}

async fn pdf_page(p: Ctx, state: AppState, id: String, n: i64, which: RoundPdf) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    match round_pdf(&state, &app, n, which, p.lang).await {
        None => error_page(&p, StatusCode::NOT_FOUND, "page-not-found"),
        Some(Ok((name, bytes))) => super::download_response(bytes, "application/pdf", &name),
        Some(Err(e)) => {
            tracing::error!(error = %e, "rendering a PDF");
            error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal")
        }
    }
}

/// The submitted application of a round as a filled-in Annex 1, in the reader's language.
pub async fn annex1(p: Ctx, State(state): State<AppState>, Path((id, n)): Path<(String, i64)>) -> Response {
    pdf_page(p, state, id, n, RoundPdf::Annex1).await
}

/// The notice of nonconformity of a round, in the reader's language.
pub async fn notice(p: Ctx, State(state): State<AppState>, Path((id, n)): Path<(String, i64)>) -> Response {
    pdf_page(p, state, id, n, RoundPdf::Notice).await
}

/// АППК Art. 73: the preliminary decision of a round, in the reader's language.
pub async fn preliminary(p: Ctx, State(state): State<AppState>, Path((id, n)): Path<(String, i64)>) -> Response {
    pdf_page(p, state, id, n, RoundPdf::Preliminary).await
}

/// Rules §7: the decision to include, in the reader's language.
pub async fn inclusion(p: Ctx, State(state): State<AppState>, Path((id, n)): Path<(String, i64)>) -> Response {
    pdf_page(p, state, id, n, RoundPdf::Inclusion).await
}
