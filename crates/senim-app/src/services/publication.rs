//! Publication of a body's List (Rules §7): the next edition carries every pending change, is
//! rendered once, hashed, signed, stored, and served byte-identical forever.

use jiff::Timestamp;
use senim_domain::lang::LangText;
use senim_domain::role::Role;
use senim_domain::status::{Action, Status};
use senim_publish::edition::{self, EditionInput};
use senim_publish::manifest::{ArtifactRef, Changes, Exclusion, PreviousRef, SignedManifest};
use senim_store::editions::{self, StoredEdition};
use senim_store::entries::{self, ListEntry, Pending};
use senim_store::users::{self, User};
use senim_store::{applications as apps, audit, bodies};
use serde_json::json;

pub use super::signing_keys::{public_keys, seal_secret, signing_key};
use super::{ServiceError, ServiceResult};
use crate::AppState;

/// The publisher's body, or `Forbidden`.
pub fn publisher_body<'u>(user: &'u User, body_code: &str) -> ServiceResult<&'u str> {
    match (user.role, user.body_code.as_deref()) {
        (Role::Publisher, Some(b)) if b == body_code => Ok(b),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Entries waiting for the next edition.
pub async fn pending(state: &AppState, user: &User, body_code: &str) -> ServiceResult<Vec<ListEntry>> {
    publisher_body(user, body_code)?;
    Ok(entries::pending(&state.store, body_code).await?)
}

/// Publishes the next edition of the body's List with every pending change.
pub async fn publish(state: &AppState, user: &User, body_code: &str, now: Timestamp) -> ServiceResult<StoredEdition> {
    publisher_body(user, body_code)?;
    publish_as(state, &user.id, body_code, now).await
}

/// Publication itself, also used by the demo loader.
pub async fn publish_as(
    state: &AppState,
    actor: &str,
    body_code: &str,
    now: Timestamp,
) -> ServiceResult<StoredEdition> {
    publish_with(state, actor, body_code, now, None).await
}

/// Publication; with `scheduled_run` the day's scheduled run of the body is claimed in the same
/// transaction as the edition (see [`super::schedule`]), so that of two instances exactly one
/// publishes and the claim never outlives a failed publication. `State("schedule.already_run")` when
/// another instance claimed it first.
pub async fn publish_with(
    state: &AppState,
    actor: &str,
    body_code: &str,
    now: Timestamp,
    scheduled_run: Option<jiff::civil::Date>,
) -> ServiceResult<StoredEdition> {
    publish_tracked(state, actor, body_code, now, scheduled_run, None).await
}

/// A pending change of the List, as publication needs it after rendering.
struct Changed {
    registry_number: String,
    application_id: String,
    pending: Option<Pending>,
    reason: Option<LangText>,
    system_name: LangText,
}

/// Told `(done, total, artifact)` as an edition's artifacts are rendered.
pub type ProgressFn = std::sync::Arc<dyn Fn(usize, usize, &str) + Send + Sync>;

/// Publication with progress. The edition is rendered outside the write transaction (rendering a
/// large List takes seconds and must not hold the database's write lock); the transaction then checks
/// that neither the latest edition nor the pending changes moved meanwhile — if they did, nothing is
/// stored and `State("publication.changed")` asks for a new run.
pub async fn publish_tracked(
    state: &AppState,
    actor: &str,
    body_code: &str,
    now: Timestamp,
    scheduled_run: Option<jiff::civil::Date>,
    progress: Option<ProgressFn>,
) -> ServiceResult<StoredEdition> {
    let started = std::time::Instant::now();
    let body = bodies::get(&state.store, body_code).await?.ok_or(ServiceError::NotFound)?;
    let fingerprint = entries::pending_fingerprint(&state.store, body_code).await?;
    let key = signing_key(state).await?;
    let all = entries::of_body(&state.store, body_code).await?;
    // What the changed entries need once the edition is rendered; the entries themselves move into the
    // edition rather than being copied (a first edition holds 100,000).
    let mut changed: Vec<Changed> = Vec::new();
    let mut listed = Vec::with_capacity(all.len());
    for e in all {
        if e.pending.is_some() {
            changed.push(Changed {
                registry_number: e.registry_number,
                application_id: e.application_id,
                pending: e.pending,
                reason: e.pending_reason,
                system_name: e.entry.system_name.clone(),
            });
        }
        if e.listed && e.pending != Some(Pending::Excluded) {
            listed.push(e.entry);
        }
    }
    if changed.is_empty() {
        return Err(ServiceError::State("publication.nothing_pending"));
    }
    let mut changes = Changes { added: vec![], amended: vec![], excluded: vec![] };
    for e in &mut changed {
        match e.pending {
            Some(Pending::Added) => changes.added.push(e.registry_number.clone()),
            Some(Pending::Amended) => changes.amended.push(e.registry_number.clone()),
            Some(Pending::Excluded) => changes.excluded.push(Exclusion {
                registry_number: e.registry_number.clone(),
                reason: e.reason.take().unwrap_or_else(LangText::new),
            }),
            None => {}
        }
    }

    // Whom to tell, read before the write transaction (see `applications::attach`): one query per
    // 100 applications and one per distinct owner, not two per entry.
    let ids: Vec<String> = changed.iter().map(|e| e.application_id.clone()).collect();
    let mut people: std::collections::HashMap<String, Option<User>> = std::collections::HashMap::new();
    let mut owners: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (application, owner_id) in apps::owners_of(&state.store, &ids).await? {
        if !people.contains_key(&owner_id) {
            let user = users::by_id(&state.store, &owner_id).await?;
            people.insert(owner_id.clone(), user);
        }
        owners.insert(application, owner_id);
    }
    let previous = editions::latest_ref(&state.store, body_code).await?;
    let number = previous.as_ref().map_or(1, |p| p.0 + 1);
    let previous_ref = previous
        .as_ref()
        .map(|(n, sha)| PreviousRef { edition: u32::try_from(*n).unwrap_or(u32::MAX), manifest_sha256: sha.clone() });
    let body_ref = body.as_ref();
    let edition_number =
        u32::try_from(number).map_err(|_| ServiceError::Internal(anyhow::anyhow!("edition number")))?;
    let prepared_at = std::time::Instant::now();
    // Each file is stored as soon as it is rendered and then let go (a List of 100,000 entries has
    // over a gigabyte of them); the transaction below only lists them. Should the edition not be
    // stored after all, the files nothing refers to are removed again.
    let kept: std::sync::Arc<std::sync::Mutex<Vec<String>>> = std::sync::Arc::default();
    let (store, runtime, stored_files) = (state.store.clone(), tokio::runtime::Handle::current(), kept.clone());
    let built = tokio::task::spawn_blocking(move || {
        let input = EditionInput {
            body: body_ref,
            number: edition_number,
            published_at: now,
            previous: previous_ref,
            entries: listed,
            changes,
            key: &key,
        };
        let keep = |file: ArtifactRef, bytes: Vec<u8>| {
            runtime.block_on(senim_store::blobs::put_alone(&store, &file.sha256, &bytes))?;
            stored_files.lock().expect("stored files").push(file.sha256);
            Ok::<(), senim_store::StoreError>(())
        };
        let report = |done: usize, total: usize, name: &str| {
            if let Some(p) = &progress {
                p(done, total, name);
            }
        };
        edition::build_into(input, &report, &keep)
    })
    .await;
    let rendered_at = std::time::Instant::now();
    let outcome = match built {
        Ok(Ok(built)) => {
            for (name, took) in &built.render_times {
                let ms = took.as_millis() as u64;
                tracing::info!(body = body_code, edition = number, artifact = %name, ms, "rendered");
            }
            let count = built.entries.len();
            let read = Read { number, previous, fingerprint, scheduled_run, changed, owners, people };
            store_edition(state, actor, body_code, read, built).await.map(|stored| (stored, count))
        }
        Ok(Err(e)) => Err(e.into()),
        Err(e) => Err(ServiceError::Internal(anyhow::anyhow!("rendering the edition: {e}"))),
    };
    let (stored, count) = match outcome {
        Ok(stored) => stored,
        Err(e) => {
            let files = std::mem::take(&mut *kept.lock().expect("stored files"));
            if let Err(discarding) = senim_store::blobs::discard(&state.store, &files).await {
                tracing::warn!(body = body_code, error = %discarding, "removing the files of an edition not stored");
            }
            return Err(e);
        }
    };
    tracing::info!(
        body = body_code,
        edition = number,
        entries = count,
        prepare_ms = prepared_at.duration_since(started).as_millis() as u64,
        // Rendering with each file stored as it comes; then the write transaction.
        render_ms = rendered_at.duration_since(prepared_at).as_millis() as u64,
        store_ms = rendered_at.elapsed().as_millis() as u64,
        "edition published"
    );
    // The body's cached List pages show the previous edition (crate::cache).
    state.caches.pages.invalidate_body(body_code);
    state.current.published();
    state.metrics.observe_publication(started);
    Ok(stored)
}

/// What publication read before rendering, to check or use in its write transaction.
struct Read {
    number: i64,
    /// The latest edition's number and manifest hash when rendering began.
    previous: Option<(i64, String)>,
    /// Of the pending changes when rendering began.
    fingerprint: [u8; 32],
    scheduled_run: Option<jiff::civil::Date>,
    changed: Vec<Changed>,
    /// Application id → its owner's user id.
    owners: std::collections::HashMap<String, String>,
    /// User id → the user, when there still is one.
    people: std::collections::HashMap<String, Option<User>>,
}

/// The write transaction of a publication: checks that nothing moved while the edition was
/// rendered, stores the edition and lists its (already stored) files, settles the changes, and
/// tells each applicant.
async fn store_edition(
    state: &AppState,
    actor: &str,
    body_code: &str,
    read: Read,
    built: edition::Built,
) -> ServiceResult<StoredEdition> {
    let Read { number, previous, fingerprint, scheduled_run, changed, owners, people } = read;

    let mut tx = state.store.begin().await?;
    // A scheduled run another instance has claimed (and published) is theirs, not a change.
    if let Some(day) = scheduled_run
        && !senim_store::schedules::claim(&mut tx, body_code, &day.to_string(), "published", Some(number)).await?
    {
        return Err(ServiceError::State("schedule.already_run"));
    }
    let latest = editions::latest_number_in(&mut tx, body_code).await?;
    if latest != previous.as_ref().map(|p| p.0)
        || entries::pending_fingerprint_in(&mut tx, body_code).await? != fingerprint
    {
        return Err(ServiceError::State("publication.changed"));
    }
    let signed: &SignedManifest = &built.signed;
    // The files were stored before this transaction; a failed publication rendering the same bytes
    // may have removed one since (blobs::discard). Then this run is not stored either.
    let files: Vec<&str> =
        signed.manifest.artifacts.iter().chain([&built.edition_json]).map(|a| a.sha256.as_str()).collect();
    if !senim_store::blobs::all_present(&mut tx, &files).await? {
        return Err(ServiceError::State("publication.changed"));
    }
    let stored = StoredEdition {
        body_code: body_code.to_owned(),
        number,
        published_at: signed.manifest.published_at.clone(),
        manifest_sha256: signed.manifest.sha256_hex(),
        signed_manifest: serde_json::to_string(signed).map_err(anyhow::Error::from)?,
        entries: serde_json::to_string(&built.entries).map_err(anyhow::Error::from)?,
        published_by: actor.to_owned(),
    };
    editions::insert(&mut tx, &stored).await?;
    for a in signed.manifest.artifacts.iter().chain(std::iter::once(&built.edition_json)) {
        editions::insert_artifact(&mut tx, body_code, number, &a.name, &a.media_type, a.bytes, &a.sha256).await?;
    }
    let settled: Vec<String> = changed.iter().map(|e| e.registry_number.clone()).collect();
    entries::settle(&mut tx, &settled).await?;
    let amended: Vec<String> =
        changed.iter().filter(|e| e.pending == Some(Pending::Amended)).map(|e| e.registry_number.clone()).collect();
    senim_store::amendments::mark_published(&mut tx, &amended, number).await?;
    // Each applicant hears of the change of status, on the application's timeline and by e-mail:
    // written in a few statements per 100 entries (a first edition may add 100,000).
    let published = Status::Included.apply(Action::Publish)?;
    let excluded = Status::Published.apply(Action::Exclude)?;
    let (mut to_publish, mut to_exclude, mut records, mut mails) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in &changed {
        let (ids, action, key) = match e.pending {
            Some(Pending::Added) => (&mut to_publish, "application.published", "mail-published"),
            Some(Pending::Excluded) => (&mut to_exclude, "application.excluded", "mail-excluded"),
            _ => continue,
        };
        ids.push(e.application_id.clone());
        records.push((
            action,
            e.application_id.as_str(),
            json!({"edition": number, "registry_number": e.registry_number}),
        ));
        if let Some(Some(owner)) = owners.get(&e.application_id).and_then(|id| people.get(id)) {
            let lang = super::accounts::user_lang(owner);
            let args = [
                ("system", e.system_name.best(lang).to_owned()),
                ("number", e.registry_number.clone()),
                ("edition", number.to_string()),
            ];
            let (subject, body) = super::notify::letter(lang, key, &args);
            mails.push((owner.email.clone(), subject, body));
        }
    }
    apps::set_status_many(&mut tx, &to_publish, Status::Included, published).await?;
    apps::set_status_many(&mut tx, &to_exclude, Status::Published, excluded).await?;
    audit::append_many(&mut tx, actor, &records).await?;
    senim_store::outbox::enqueue_many(&mut tx, &mails).await?;
    audit::append(
        &mut tx,
        actor,
        "edition.publish",
        &format!("{body_code}/{number}"),
        &json!({"manifest_sha256": stored.manifest_sha256, "entries": built.entries.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}

/// Marks a published entry for exclusion in the next edition, with a reason in kk and/or ru.
/// Nothing is deleted: the entry's history stays readable and the change log names the reason.
pub async fn exclude(
    state: &AppState,
    user: &User,
    body_code: &str,
    registry_number: &str,
    reason: &LangText,
) -> ServiceResult<()> {
    publisher_body(user, body_code)?;
    let reason = reason.normalized();
    if reason.get(senim_domain::lang::Lang::Kk).is_none() && reason.get(senim_domain::lang::Lang::Ru).is_none() {
        return Err(ServiceError::Invalid(vec![senim_domain::application::FieldError::new("reason", "required")]));
    }
    let entry = entries::get(&state.store, registry_number).await?.ok_or(ServiceError::NotFound)?;
    if entry.body_code != body_code {
        return Err(ServiceError::NotFound);
    }
    let mut tx = state.store.begin().await?;
    if !entries::mark_excluded(&mut tx, registry_number, &reason).await? {
        return Err(ServiceError::State("entry.not_published"));
    }
    audit::append(&mut tx, &user.id, "entry.exclude", registry_number, &json!({"reason": reason})).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts publishing the next edition in the background (issue 7: a large List takes seconds to
/// render); returns the job's id, whose page shows the progress. One job per body at a time.
pub async fn start_job(state: &AppState, user: &User, body_code: &str) -> ServiceResult<String> {
    publisher_body(user, body_code)?;
    if entries::pending(&state.store, body_code).await?.is_empty() {
        return Err(ServiceError::State("publication.nothing_pending"));
    }
    let id = uuid::Uuid::new_v4().to_string();
    if !senim_store::jobs::start(&state.store, &id, body_code, &user.id).await? {
        return Err(ServiceError::State("publication.running"));
    }
    let (state, actor, body, job) = (state.clone(), user.id.clone(), body_code.to_owned(), id.clone());
    tokio::spawn(async move {
        let seen = std::sync::Arc::new(std::sync::Mutex::new((0usize, 0usize, String::new())));
        let sink = seen.clone();
        let progress: ProgressFn = std::sync::Arc::new(move |done, total, name| {
            if let Ok(mut s) = sink.lock() {
                *s = (done, total, name.to_owned());
            }
        });
        // Progress goes to the database a few times a second, so every instance's page can show it.
        let (store, flush_job, flushed) = (state.store.clone(), job.clone(), seen.clone());
        let flusher = tokio::spawn(async move {
            let mut last = (usize::MAX, 0, String::new());
            loop {
                let now = flushed.lock().map(|s| s.clone()).unwrap_or_default();
                if now != last {
                    let _ = senim_store::jobs::progress(&store, &flush_job, now.0, now.1, &now.2).await;
                    last = now;
                }
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
        });
        let outcome = publish_tracked(&state, &actor, &body, Timestamp::now(), None, Some(progress)).await;
        flusher.abort();
        let last = seen.lock().map(|s| s.clone()).unwrap_or_default();
        let _ = senim_store::jobs::progress(&state.store, &job, last.0, last.1, &last.2).await;
        let outcome = match outcome {
            Ok(edition) => Ok(edition.number),
            Err(ServiceError::State(code)) => Err(code.to_owned()),
            Err(e) => {
                tracing::error!(error = %e, job = %job, "publication failed");
                Err("internal".to_owned())
            }
        };
        if let Err(e) = senim_store::jobs::finish(&state.store, &job, outcome).await {
            tracing::error!(error = %e, job = %job, "recording the end of a publication job");
        }
    });
    Ok(id)
}

/// A publication job, for the publisher of its body.
pub async fn job(state: &AppState, user: &User, id: &str) -> ServiceResult<senim_store::jobs::Job> {
    let job = senim_store::jobs::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    if publisher_body(user, &job.body_code).is_err() {
        return Err(ServiceError::NotFound);
    }
    Ok(job)
}
