//! The applicant organisation: its profile (the Annex 1 applicant block, prefilled into each new
//! application), its members, and invitations of colleagues.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_domain::application::{Applicant, Contact, FieldError};
use senim_domain::role::Role;
use senim_store::email_tokens::EmailToken;
use senim_store::organisations::Organisation;
use senim_store::users::{self, User};
use serde::Deserialize;

use super::form::Field;
use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::{ServiceError, accounts};

#[derive(Template)]
#[template(path = "organisation.html")]
pub struct OrgPage {
    pub p: Ctx,
    pub org: Option<Organisation>,
    pub fields: Vec<Field>,
    pub errors: Vec<FieldError>,
    pub saved: bool,
    pub members: Vec<User>,
    pub invitations: Vec<EmailToken>,
    pub invite_field: Field,
    pub invite_errors: Vec<FieldError>,
    pub invited: String,
}

impl OrgPage {
    /// What `field.html` asks of its page for multilingual inputs (none here).
    pub fn langs(&self) -> Vec<(&'static str, String)> {
        vec![]
    }
    pub fn v(&self, _key: &str) -> String {
        String::new()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    #[serde(rename = "applicant.name")]
    name: String,
    #[serde(rename = "applicant.bin_iin")]
    bin_iin: String,
    #[serde(rename = "applicant.legal_address")]
    legal_address: String,
    #[serde(rename = "applicant.actual_address")]
    actual_address: String,
    #[serde(rename = "applicant.contact.name")]
    contact_name: String,
    #[serde(rename = "applicant.contact.position")]
    contact_position: String,
    #[serde(rename = "applicant.contact.phone")]
    contact_phone: String,
    #[serde(rename = "applicant.contact.email")]
    contact_email: String,
}

impl ProfileForm {
    fn into_applicant(self) -> Applicant {
        let t = |s: String| s.trim().to_owned();
        Applicant {
            role: None,
            name: t(self.name),
            bin_iin: t(self.bin_iin),
            legal_address: t(self.legal_address),
            actual_address: t(self.actual_address),
            contact: Contact {
                name: t(self.contact_name),
                position: t(self.contact_position),
                phone: t(self.contact_phone),
                email: t(self.contact_email),
            },
        }
    }
}

fn profile_fields(p: &Ctx, a: &Applicant, with_bin: bool, errors: &[FieldError]) -> Vec<Field> {
    let mut fields = vec![Field::new(p, "applicant.name", "text", "organization", &a.name, errors)];
    if with_bin {
        fields.push(Field::new(p, "applicant.bin_iin", "bin", "off", &a.bin_iin, errors));
    }
    fields.extend([
        Field::new(p, "applicant.legal_address", "text", "address-line1", &a.legal_address, errors),
        Field::new(p, "applicant.actual_address", "text", "address-line1", &a.actual_address, errors),
        Field::new(p, "applicant.contact.name", "text", "name", &a.contact.name, errors),
        Field::new(p, "applicant.contact.position", "text", "organization-title", &a.contact.position, errors),
        Field::new(p, "applicant.contact.phone", "tel", "tel", &a.contact.phone, errors),
        Field::new(p, "applicant.contact.email", "email", "email", &a.contact.email, errors),
    ]);
    fields
}

fn applicant_user(p: &Ctx) -> Result<User, Response> {
    let user = require_user(p)?.clone();
    if user.role != Role::Applicant {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    Ok(user)
}

struct View {
    profile: Option<Applicant>,
    errors: Vec<FieldError>,
    saved: bool,
    invite_email: String,
    invite_errors: Vec<FieldError>,
    invited: String,
}

async fn page(p: Ctx, state: &AppState, user: &User, view: View) -> Response {
    let org = match accounts::organisation_of(state, user).await {
        Ok(o) => o,
        Err(e) => return service_error(&p, e),
    };
    let (members, invitations) = match &org {
        Some(o) => (
            users::of_org(&state.store, &o.id).await.unwrap_or_default(),
            senim_store::email_tokens::open_invitations(&state.store, &o.id).await.unwrap_or_default(),
        ),
        None => (vec![], vec![]),
    };
    let shown = view.profile.or_else(|| org.as_ref().map(|o| o.profile.clone())).unwrap_or_default();
    let fields = profile_fields(&p, &shown, org.is_none(), &view.errors);
    let invite_field = Field::new(&p, "email", "email", "off", &view.invite_email, &view.invite_errors);
    let status = if view.errors.is_empty() && view.invite_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OrgPage {
        p,
        org,
        fields,
        errors: view.errors,
        saved: view.saved,
        members,
        invitations,
        invite_field,
        invite_errors: view.invite_errors,
        invited: view.invited,
    };
    (status, render(&page)).into_response()
}

fn view() -> View {
    View {
        profile: None,
        errors: vec![],
        saved: false,
        invite_email: String::new(),
        invite_errors: vec![],
        invited: String::new(),
    }
}

pub async fn show(p: Ctx, State(state): State<AppState>) -> Response {
    let user = match applicant_user(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    page(p, &state, &user, view()).await
}

/// Saves the profile, or creates the organisation for an applicant who has none yet.
pub async fn save(p: Ctx, State(state): State<AppState>, Form(f): Form<ProfileForm>) -> Response {
    let user = match applicant_user(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let profile = f.into_applicant();
    let result = if user.org_id.is_some() {
        accounts::save_profile(&state, &user, profile.clone()).await.map(|_| ())
    } else {
        accounts::create_organisation(&state, &user, profile.clone()).await.map(|_| ())
    };
    match result {
        Ok(()) if user.org_id.is_none() => see_other("/organisation"),
        Ok(()) => page(p, &state, &user, View { saved: true, ..view() }).await,
        Err(ServiceError::Invalid(errors)) => {
            page(p, &state, &user, View { profile: Some(profile), errors, ..view() }).await
        }
        Err(e) => service_error(&p, e),
    }
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

pub async fn invite(p: Ctx, State(state): State<AppState>, Form(f): Form<InviteForm>) -> Response {
    let user = match applicant_user(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match accounts::invite(&state, &user, &f.email).await {
        Ok(()) => page(p, &state, &user, View { invited: f.email.trim().to_owned(), ..view() }).await,
        Err(ServiceError::Invalid(invite_errors)) => {
            page(p, &state, &user, View { invite_email: f.email, invite_errors, ..view() }).await
        }
        Err(e) => service_error(&p, e),
    }
}
