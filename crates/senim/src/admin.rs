//! `senim admin` and `senim calendar`: accounts, tokens and the working-day calendar.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use jiff::civil::Date;
use senim_app::AppState;
use senim_domain::calendar::{Calendar, WorkingDays};
use senim_domain::lang::Lang;
use senim_domain::role::Role;
use senim_store::audit;

use crate::args::DbArgs;
use crate::cli::{AdminCommand, CalendarCommand};

pub async fn admin(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser { db, email, role, body, name, password_stdin: _ } => {
            let role = Role::parse(&role).with_context(|| format!("unknown role `{role}`"))?;
            if role.needs_body() != body.is_some() {
                bail!("--body is required for reviewer, publisher and body_admin, and only for them");
            }
            if !senim_domain::application::is_email(&email) {
                bail!("`{email}` is not an e-mail address");
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            if password.chars().count() < 10 {
                bail!("the password must have at least 10 characters");
            }
            let store = db.open().await?;
            let state = AppState::load(store.clone(), senim_app::Config::default()).await?;
            senim_app::services::demo::ensure_bodies(&state).await?;
            if let Some(b) = &body
                && senim_store::bodies::get(&store, b).await?.is_none()
            {
                bail!("unknown body `{b}`");
            }
            let hash = senim_app::passwords::hash_password_blocking(password).await?;
            let mut tx = store.begin().await?;
            let name = name.unwrap_or_else(|| email.clone());
            let user = senim_store::users::create(
                &mut tx,
                senim_store::users::NewUser {
                    email: &email,
                    name: &name,
                    password_hash: &hash,
                    role,
                    body_code: body.as_deref(),
                },
            )
            .await?;
            audit::append(&mut tx, "cli", "user.create", &user.id, &serde_json::json!({"role": role.code()})).await?;
            tx.commit().await?;
            println!("created {} ({})", user.email, role.code());
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::CreateToken { db, email } => {
            let store = db.open().await?;
            let user =
                senim_store::users::by_email(&store, &email).await?.with_context(|| format!("no user `{email}`"))?;
            let token = senim_app::passwords::new_token()?;
            let mut tx = store.begin().await?;
            senim_store::users::create_token(&mut tx, &user.id, &senim_app::passwords::token_digest(&token), "cli")
                .await?;
            audit::append(&mut tx, "cli", "token.create", &user.id, &serde_json::json!({})).await?;
            tx.commit().await?;
            println!("token for {} ({}):", user.email, user.role.code());
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn calendar(command: CalendarCommand) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::Due { db, received, working_days } => {
            let received: Date = received.parse().with_context(|| format!("`{received}` is not a YYYY-MM-DD date"))?;
            let n = WorkingDays::new(working_days).map_err(|e| anyhow::anyhow!("{e}"))?;
            let cal = load_calendar(&db).await?;
            let registered = cal.registration_day(received)?;
            let due = cal.due_date(received, n)?;
            println!("received {received}, registered {registered}, + {} working days", n.get());
            println!("{due}");
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Set { db, file, by } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let year = senim_domain::calendar::YearCalendar::from_toml(&text)?;
            year.validate()?;
            let store = db.open().await?;
            let mut tx = store.begin().await?;
            senim_store::calendar::save_year(&mut tx, &year, &by).await?;
            let detail =
                serde_json::json!({"working_days": year.working_days_count(), "provisional": year.provisional});
            audit::append(&mut tx, &by, "calendar.set", &year.year.to_string(), &detail).await?;
            tx.commit().await?;
            println!("calendar {} saved: {} working days", year.year, year.working_days_count());
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Show { db, year, lang } => {
            let lang = Lang::parse(&lang).unwrap_or(Lang::Kk);
            let cal = load_calendar(&db).await?;
            let y = cal.year(year).with_context(|| format!("no calendar data for {year}"))?;
            println!(
                "{year}{}: {} working days",
                if y.provisional { " (provisional)" } else { "" },
                y.working_days_count()
            );
            for d in &y.days {
                println!("{} {} {:?} {}", d.date, d.date.strftime("%a"), d.kind, d.name.best(lang));
            }
            for s in &y.sources {
                println!("source: {s}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The calendar with overrides when a database is reachable; the shipped one otherwise.
async fn load_calendar(db: &DbArgs) -> anyhow::Result<Calendar> {
    let store = db.open().await?;
    Ok(senim_store::calendar::load(&store).await?)
}
