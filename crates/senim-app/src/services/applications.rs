//! The applicant's steps: draft, documents, submission (Rules §5, §6), resubmission (§8), withdrawal.

use jiff::Timestamp;
use senim_domain::application::{ApplicationForm, AttachmentKind, FieldError, missing_attachments};
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::role::Role;
use senim_domain::status::{Action, Status};
use senim_store::applications::{self as apps, Application, Attachment, Round};
use senim_store::users::User;
use senim_store::{audit, bodies, users};
use serde_json::json;

use super::accounts::user_lang;
use super::notify::mail;
use super::{ServiceError, ServiceResult};
use crate::AppState;

pub use super::uploads::MAX_UPLOAD_BYTES;

/// Loads an application the user may see: the applicant who owns it, staff of its body (once
/// submitted), or an administrator. Anyone else gets `NotFound`, never a hint that it exists.
pub async fn visible(state: &AppState, user: &User, id: &str) -> ServiceResult<Application> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ServiceError::NotFound);
    }
    let app = apps::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    let allowed = match user.role {
        // Every member of the applicant organisation works on its applications.
        Role::Applicant => {
            app.owner_user_id == user.id || (app.org_id.is_some() && app.org_id.as_deref() == user.org_id.as_deref())
        }
        Role::Reviewer | Role::Publisher | Role::BodyAdmin => {
            user.body_code.as_deref() == Some(app.body_code.as_str()) && app.status != Status::Draft
        }
        // Oversight across every body: anything submitted, never drafts.
        Role::Observer => app.status != Status::Draft,
        Role::Admin => true,
    };
    if allowed { Ok(app) } else { Err(ServiceError::NotFound) }
}

/// An application of the applicant (or of their organisation), for a change.
async fn own(state: &AppState, user: &User, id: &str) -> ServiceResult<Application> {
    let app = visible(state, user, id).await?;
    if user.role != Role::Applicant {
        return Err(ServiceError::Forbidden);
    }
    Ok(app)
}

async fn check_body(state: &AppState, form: &ApplicationForm, errors: &mut Vec<FieldError>) -> ServiceResult<()> {
    if !form.body.trim().is_empty() && bodies::get(&state.store, &form.body).await?.is_none() {
        errors.push(FieldError::new("body", senim_domain::application::codes::UNKNOWN_BODY));
    }
    Ok(())
}

/// Creates a draft (Annex 1 may be partial; formats are checked). The organisation's profile fills in
/// the applicant block where the caller left it empty.
pub async fn create(state: &AppState, user: &User, mut form: ApplicationForm) -> ServiceResult<Application> {
    if user.role != Role::Applicant {
        return Err(ServiceError::Forbidden);
    }
    if let Some(org) = super::accounts::organisation_of(state, user).await?
        && form.applicant == Default::default()
    {
        form.applicant = org.profile;
    }
    let mut errors = form.check_draft(kz_date(Timestamp::now()));
    if form.body.trim().is_empty() {
        errors.push(FieldError::new("body", senim_domain::application::codes::REQUIRED));
    }
    check_body(state, &form, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    let app = apps::create(&mut tx, &user.id, user.org_id.as_deref(), &form).await?;
    audit::append(&mut tx, &user.id, "application.create", &app.id, &json!({"body": form.body})).await?;
    tx.commit().await?;
    Ok(app)
}

/// Replaces the form data of a draft or of a nonconforming application (Rules §8: corrections).
/// Returns the format errors that remain; the data is saved either way, so nothing typed is lost.
pub async fn save(state: &AppState, user: &User, id: &str, form: ApplicationForm) -> ServiceResult<Vec<FieldError>> {
    let app = own(state, user, id).await?;
    if !app.status.is_editable() {
        return Err(ServiceError::State("application.not_editable"));
    }
    let mut errors = form.check_draft(kz_date(Timestamp::now()));
    if form.body.trim().is_empty() {
        errors.push(FieldError::new("body", senim_domain::application::codes::REQUIRED));
    }
    check_body(state, &form, &mut errors).await?;
    if errors.iter().any(|e| e.field == "body") {
        // The body decides who may see the application; never store an unknown one.
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    apps::save_form(&mut tx, id, &form).await?;
    audit::append(&mut tx, &user.id, "application.save", id, &json!({})).await?;
    tx.commit().await?;
    Ok(errors)
}

pub async fn attach(
    state: &AppState,
    user: &User,
    id: &str,
    kind: AttachmentKind,
    filename: &str,
    bytes: &[u8],
) -> ServiceResult<Attachment> {
    let app = own(state, user, id).await?;
    if !app.status.is_editable() {
        return Err(ServiceError::State("application.not_editable"));
    }
    super::uploads::check(&state.config.uploads, bytes)
        .await
        .map_err(|code| ServiceError::Invalid(vec![FieldError::new("file", code)]))?;
    let filename = sanitize_filename(filename);
    // Read before the write transaction: on SQLite a pool read while holding the write lock can wait for
    // a connection that the writers queued behind that lock are holding.
    let replaced: Vec<Attachment> =
        apps::attachments(&state.store, id).await?.into_iter().filter(|a| a.kind() == Some(kind)).collect();
    let mut tx = state.store.begin().await?;
    // One document of each kind: a new upload replaces the old one (which stays in earlier rounds).
    for old in &replaced {
        apps::remove_attachment(&mut tx, id, &old.id).await?;
        audit::append(&mut tx, &user.id, "attachment.remove", id, &json!({"attachment": old.id, "replaced": true}))
            .await?;
    }
    let a = apps::add_attachment(&mut tx, id, kind, &filename, "application/pdf", bytes).await?;
    audit::append(
        &mut tx,
        &user.id,
        "attachment.add",
        id,
        &json!({"attachment": a.id, "kind": kind.code(), "sha256": a.sha256}),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

/// A file name safe to show and to send back in `Content-Disposition`.
/// Ends in `.pdf` whatever the uploader called it (issue 16, finding 8: an `.html` or `.hta` name must not
/// come back to a reviewer's browser): another short extension is replaced, none is added.
pub fn sanitize_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control() && !"\"<>|:*?".contains(*c)).take(120).collect();
    if clean.trim().is_empty() { "document.pdf".to_owned() } else { pdf_filename(clean.trim()) }
}

/// `name` with the extension `.pdf` (stored names from before the rule are served so too).
pub fn pdf_filename(name: &str) -> String {
    if name.to_lowercase().ends_with(".pdf") {
        return name.to_owned();
    }
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && (1..=5).contains(&ext.chars().count()) && !ext.contains(' ') => stem,
        _ => name,
    };
    format!("{stem}.pdf")
}

pub async fn detach(state: &AppState, user: &User, id: &str, attachment_id: &str) -> ServiceResult<()> {
    let app = own(state, user, id).await?;
    if !app.status.is_editable() {
        return Err(ServiceError::State("application.not_editable"));
    }
    let mut tx = state.store.begin().await?;
    if !apps::remove_attachment(&mut tx, id, attachment_id).await? {
        return Err(ServiceError::NotFound);
    }
    audit::append(&mut tx, &user.id, "attachment.remove", id, &json!({"attachment": attachment_id})).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything that stops submission, fields and documents, at once (Rules §5).
pub async fn missing(state: &AppState, app: &Application) -> ServiceResult<Vec<FieldError>> {
    let mut errors = app.form.check_complete(kz_date(Timestamp::now()));
    check_body(state, &app.form, &mut errors).await?;
    let present: Vec<AttachmentKind> =
        apps::attachments(&state.store, &app.id).await?.iter().filter_map(Attachment::kind).collect();
    errors.extend(missing_attachments(&app.form, &present));
    Ok(errors)
}

/// Submits (round 1, due in 10 working days — Rules §6) or resubmits after a notice (round k ≥ 2,
/// due in 5 — Rules §8). Only a complete set is accepted, so the clock starts at receipt.
pub async fn submit(state: &AppState, user: &User, id: &str, now: Timestamp) -> ServiceResult<Round> {
    let app = own(state, user, id).await?;
    let action = match app.status {
        Status::Draft => Action::Submit,
        Status::Nonconforming => Action::Resubmit,
        _ => return Err(ServiceError::State("status.illegal_transition")),
    };
    let next = app.status.apply(action)?;
    let errors = missing(state, &app).await?;
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let received_on = kz_date(now);
    let number = app.current_round + 1;
    let period = if number == 1 { WorkingDays::EXAMINATION } else { WorkingDays::RE_EXAMINATION };
    let due_on = state.calendar().due_date(received_on, period)?;
    let attachments = apps::attachments(&state.store, id).await?;
    let round = Round {
        application_id: id.to_owned(),
        number,
        form: app.form.clone(),
        attachments,
        submitted_at: senim_store::rfc3339(now),
        received_on,
        due_on,
    };
    let staff = users::staff_of(&state.store, &app.body_code).await?;
    let mut tx = state.store.begin().await?;
    apps::set_status(&mut tx, id, app.status, next).await?;
    apps::insert_round(&mut tx, &round).await?;
    audit::append(
        &mut tx,
        &user.id,
        if number == 1 { "application.submit" } else { "application.resubmit" },
        id,
        &json!({"round": number, "received_on": received_on.to_string(), "due_on": due_on.to_string()}),
    )
    .await?;
    for staff in staff {
        if staff.role == Role::Reviewer {
            let lang = user_lang(&staff);
            let args = [
                ("system", app.form.system.name.best(lang).to_owned()),
                ("due", due_on.to_string()),
                ("round", number.to_string()),
            ];
            mail(&mut tx, &staff.email, lang, "mail-new-case", &args).await?;
        }
    }
    let lang = user_lang(user);
    let args = [
        ("system", app.form.system.name.best(lang).to_owned()),
        ("due", due_on.to_string()),
        ("round", number.to_string()),
    ];
    mail(&mut tx, &user.email, lang, "mail-submitted", &args).await?;
    tx.commit().await?;
    Ok(round)
}

/// Withdrawal by the applicant, any time before a decision.
pub async fn withdraw(state: &AppState, user: &User, id: &str) -> ServiceResult<Application> {
    let app = own(state, user, id).await?;
    let next = app.status.apply(Action::Withdraw)?;
    let mut tx = state.store.begin().await?;
    apps::set_status(&mut tx, id, app.status, next).await?;
    audit::append(&mut tx, &user.id, "application.withdraw", id, &json!({"from": app.status.code()})).await?;
    let lang = user_lang(user);
    let args = [("system", app.form.system.name.best(lang).to_owned())];
    mail(&mut tx, &user.email, lang, "mail-withdrawn", &args).await?;
    tx.commit().await?;
    Ok(Application { status: next, ..app })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_header_breaking_characters() {
        assert_eq!(sanitize_filename("C:\\Users\\a\\есеп.pdf"), "есеп.pdf");
        assert_eq!(sanitize_filename("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(sanitize_filename(""), "document.pdf");
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd.pdf");
    }

    /// Issue 16, finding 8.
    #[test]
    fn documents_are_named_as_pdfs_whatever_they_were_called() {
        assert_eq!(sanitize_filename("Audit report.html"), "Audit report.pdf");
        assert_eq!(sanitize_filename("run.hta"), "run.pdf");
        assert_eq!(sanitize_filename("setup.exe"), "setup.pdf");
        assert_eq!(sanitize_filename("Есеп.PDF"), "Есеп.PDF");
        assert_eq!(sanitize_filename("report v1.2 final"), "report v1.2 final.pdf");
        assert_eq!(sanitize_filename(".htaccess"), ".htaccess.pdf");
        assert_eq!(pdf_filename("Audit report.html"), "Audit report.pdf");
    }
}
