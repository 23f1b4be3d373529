//! Reminders to the body before a deadline and on the day it is missed: the examination of a round
//! (Rules §6: 10 working days; §8: 5 for a resubmission), the last day for a preliminary decision that
//! lets the hearing end in time (АППК Art. 73(1)), and the publication of an inclusion (§7: 5).
//!
//! Two stages per deadline: *due soon* (two working days or fewer left, the due day included) and
//! *overdue* (the due day has ended without a decision or an edition). Who is told:
//! - a round: the reviewer it is assigned to, or every reviewer of the body when nobody has it; when
//!   overdue, the body administrators too;
//! - a publication: the body's publishers; when overdue, the body administrators too.
//!
//! Each person gets one message per run listing everything that concerns them. A reminder is claimed
//! in the `reminders` table in the same transaction that queues its e-mails, so it is sent exactly
//! once however often [`run_due`] runs and however many server instances run it; a calendar change
//! that moves a due date makes a new reminder for the new date.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use senim_domain::calendar::kz_date;
use senim_domain::lang::Lang;
use senim_domain::role::Role;
use senim_store::deadlines;
use senim_store::staff::QueueFilter;
use senim_store::users::{self, User};
use tokio::sync::watch;

use super::ServiceResult;
use super::accounts::user_lang;
use crate::AppState;
use crate::i18n::t_args;

/// How often the server looks for reminders to send.
pub const INTERVAL: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    DueSoon,
    Overdue,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::DueSoon => "due_soon",
            Stage::Overdue => "overdue",
        }
    }

    fn of(days_left: i32) -> Option<Stage> {
        match days_left {
            d if d < 0 => Some(Stage::Overdue),
            0..=2 => Some(Stage::DueSoon),
            _ => None,
        }
    }
}

/// One deadline to remind of.
struct Due {
    subject: String,
    body_code: String,
    stage: Stage,
    due_on: jiff::civil::Date,
    days_left: i32,
    /// Translation key of the line and its arguments (without the language-dependent ones).
    line: &'static str,
    reference: String,
    system: senim_domain::lang::LangText,
    link: String,
    recipients: Vec<User>,
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    /// Reminders claimed (deadline × stage).
    pub reminders: usize,
    /// E-mails queued (one per person).
    pub messages: usize,
}

/// Sends every reminder due at `now` that was not sent before.
pub async fn run_due(state: &AppState, now: Timestamp) -> ServiceResult<Sent> {
    let today = kz_date(now);
    let calendar = state.calendar();
    let base = state.config.public_url.trim_end_matches('/').to_owned();
    let mut staff: BTreeMap<String, Vec<User>> = BTreeMap::new();
    let mut due: Vec<Due> = Vec::new();

    let periods = super::procedure::periods(state).await?;
    for case in senim_store::staff::queue(&state.store, &QueueFilter::default()).await? {
        let app = &case.item.application;
        let body_staff = staff_of(state, &mut staff, &app.body_code).await?;
        let assignee = case.assignee_id.as_deref().and_then(|a| body_staff.iter().find(|u| u.id == a));
        let mut recipients: Vec<User> = match assignee {
            Some(a) if a.role == Role::Reviewer => vec![a.clone()],
            _ => body_staff.iter().filter(|u| u.role == Role::Reviewer).cloned().collect(),
        };
        // АППК Art. 73(1): before the examination is decided, the reviewers are warned of the last day on
        // which a preliminary decision still lets the hearing end in time (that day and the one before).
        let last = periods.last_day_to_issue(&calendar, case.item.due_on)?;
        let to_last = calendar.working_days_left(today, last)?;
        if app.status != senim_domain::status::Status::Hearing && (0..=1).contains(&to_last) {
            due.push(Due {
                subject: format!("{}/{}/preliminary", app.id, case.item.round),
                body_code: app.body_code.clone(),
                stage: Stage::DueSoon,
                due_on: last,
                days_left: to_last,
                line: "reminder-line-preliminary",
                reference: super::documents::reference(&app.id),
                system: app.form.system.name.clone(),
                link: format!("{base}/review/{}", app.id),
                recipients: recipients.clone(),
            });
        }
        let Some(stage) = Stage::of(calendar.working_days_left(today, case.item.due_on)?) else { continue };
        if stage == Stage::Overdue {
            recipients.extend(body_staff.iter().filter(|u| u.role == Role::BodyAdmin).cloned());
        }
        due.push(Due {
            subject: format!("{}/{}", app.id, case.item.round),
            body_code: app.body_code.clone(),
            stage,
            due_on: case.item.due_on,
            days_left: calendar.working_days_left(today, case.item.due_on)?,
            line: if case.item.round > 1 { "reminder-line-resubmission" } else { "reminder-line-round" },
            reference: super::documents::reference(&app.id),
            system: app.form.system.name.clone(),
            link: format!("{base}/review/{}", app.id),
            recipients,
        });
    }
    for p in deadlines::pending_publications(&state.store, None).await? {
        let days_left = calendar.working_days_left(today, p.due_on)?;
        let Some(stage) = Stage::of(days_left) else { continue };
        let body_staff = staff_of(state, &mut staff, &p.body_code).await?;
        let recipients = body_staff
            .iter()
            .filter(|u| u.role == Role::Publisher || (stage == Stage::Overdue && u.role == Role::BodyAdmin))
            .cloned()
            .collect();
        let system = match senim_store::applications::get(&state.store, &p.application_id).await? {
            Some(app) => app.form.system.name,
            None => senim_domain::lang::LangText::new(),
        };
        due.push(Due {
            subject: p.registry_number.clone(),
            body_code: p.body_code.clone(),
            stage,
            due_on: p.due_on,
            days_left,
            line: "reminder-line-publication",
            reference: p.registry_number.clone(),
            system,
            link: format!("{base}/publish"),
            recipients,
        });
    }
    if due.is_empty() {
        return Ok(Sent::default());
    }

    // Claim, then write one message per person, all in one transaction.
    let mut tx = state.store.begin().await?;
    let mut sent = Sent::default();
    let mut lines: BTreeMap<String, (Lang, Vec<(Stage, String)>)> = BTreeMap::new();
    for d in &due {
        let claimed = deadlines::claim_reminder(
            &mut tx,
            &d.subject,
            d.stage.code(),
            d.due_on,
            &d.body_code,
            d.recipients.len(),
            now,
        )
        .await?;
        if !claimed {
            continue;
        }
        sent.reminders += 1;
        for r in &d.recipients {
            let lang = user_lang(r);
            let args = [
                ("reference", d.reference.clone()),
                ("system", d.system.best(lang).to_owned()),
                ("due", d.due_on.to_string()),
                ("days", d.days_left.abs().to_string()),
                ("stage", d.stage.code().to_owned()),
                ("link", d.link.clone()),
            ];
            let line = t_args(lang, d.line, &args);
            lines.entry(r.email.clone()).or_insert_with(|| (lang, Vec::new())).1.push((d.stage, line));
        }
    }
    for (email, (lang, mut items)) in lines {
        items.sort();
        let overdue = items.iter().filter(|(s, _)| *s == Stage::Overdue).count();
        let text: Vec<String> = items.into_iter().map(|(_, l)| format!("• {l}")).collect();
        let args = [("count", text.len().to_string()), ("overdue", overdue.to_string()), ("items", text.join("\n"))];
        super::notify::mail(&mut tx, &email, lang, "mail-reminder", &args).await?;
        sent.messages += 1;
    }
    tx.commit().await?;
    state.metrics.reminders_sent(sent.reminders, sent.messages);
    Ok(sent)
}

async fn staff_of<'a>(
    state: &AppState,
    cache: &'a mut BTreeMap<String, Vec<User>>,
    body: &str,
) -> ServiceResult<&'a Vec<User>> {
    if !cache.contains_key(body) {
        let list = users::staff_of(&state.store, body).await?;
        cache.insert(body.to_owned(), list);
    }
    Ok(&cache[body])
}

/// The background task of `senim serve`: [`run_due`] now and every [`INTERVAL`].
pub struct RemindersHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RemindersHandle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub fn spawn(state: &AppState) -> RemindersHandle {
    let (stop, mut rx) = watch::channel(false);
    let state = state.clone();
    let task = tokio::spawn(async move {
        loop {
            match run_due(&state, Timestamp::now()).await {
                Ok(s) if s.reminders > 0 => {
                    tracing::info!(reminders = s.reminders, messages = s.messages, "deadline reminders queued");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "deadline reminders failed; will retry"),
            }
            tokio::select! {
                _ = tokio::time::sleep(INTERVAL) => {}
                _ = rx.changed() => break,
            }
        }
    });
    RemindersHandle { stop, task }
}
