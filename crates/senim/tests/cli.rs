//! The command line as an operator uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use senim_store::testing::TempDir;

fn senim(dir: &TempDir, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_senim"))
        .args(args)
        .arg("--data-dir")
        .arg(&dir.0)
        .env_remove("SENIM_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or("").to_owned()
}

#[test]
fn calendar_due_prints_the_rules_deadlines_of_the_worked_examples() {
    let dir = TempDir::new("senim-cli");
    for (received, n, due) in [
        ("2026-03-20", "10", "2026-04-08"),
        ("2026-05-18", "10", "2026-06-02"),
        ("2026-05-22", "5", "2026-06-01"),
        ("2026-10-23", "5", "2026-11-02"),
    ] {
        let o = senim(&dir, &["calendar", "due", "--received", received, "--working-days", n], None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(last_line(&o), due, "{received} + {n}");
    }
}

#[test]
fn calendar_refuses_a_year_without_data_and_bad_dates() {
    let dir = TempDir::new("senim-cli");
    let o = senim(&dir, &["calendar", "due", "--received", "2028-12-20", "--working-days", "10"], None);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("2028"));
    let o = senim(&dir, &["calendar", "due", "--received", "20.03.2026", "--working-days", "10"], None);
    assert!(!o.status.success());
}

#[test]
fn calendar_show_lists_named_days_off() {
    let dir = TempDir::new("senim-cli");
    let o = senim(&dir, &["calendar", "show", "2026", "--lang", "ru"], None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(out.contains("247 working days"), "{out}");
    assert!(out.contains("2026-03-23") && out.contains("Наурыз"), "{out}");
}

#[test]
fn admin_creates_users_and_tokens_and_audit_verify_catches_tampering() {
    let dir = TempDir::new("senim-cli");
    let o = senim(
        &dir,
        &[
            "admin",
            "create-user",
            "--email",
            "r@health.kz",
            "--role",
            "reviewer",
            "--body",
            "health",
            "--password-stdin",
        ],
        Some("a very long password\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = senim(
        &dir,
        &["admin", "create-user", "--email", "x@health.kz", "--role", "reviewer", "--password-stdin"],
        Some("a very long password"),
    );
    assert!(!o.status.success(), "a reviewer needs --body");
    let o = senim(
        &dir,
        &["admin", "create-user", "--email", "y@e.kz", "--role", "admin", "--password-stdin"],
        Some("short"),
    );
    assert!(!o.status.success(), "short passwords are refused");
    let o = senim(&dir, &["admin", "create-token", "--email", "r@health.kz"], None);
    assert!(o.status.success());
    assert!(last_line(&o).starts_with("snm_"));

    let o = senim(&dir, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(last_line(&o).contains("intact: 2 records"));

    // An intruder rewrites record 1 behind the application's back.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.0.join("senim.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update").execute(&pool).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1").execute(&pool).await.unwrap();
        pool.close().await;
    });
    let o = senim(&dir, &["audit", "verify"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(last_line(&o).contains("record 1"), "{}", last_line(&o));
}

#[test]
fn an_administrator_overrides_a_year_and_deadlines_follow() {
    let dir = TempDir::new("senim-cli");
    let shipped = include_str!("../../senim-domain/calendar/2026.toml");
    // Friday 27 March 2026 becomes a day off by a (test) decree.
    let extra = "\n[[days]]\ndate = 2026-03-27\nkind = \"transferred\"\nname = { kk = \"Сынақ\", ru = \"Тест\", en = \"Test\" }\n";
    let file = dir.0.join("2026.toml");
    std::fs::write(&file, format!("{shipped}{extra}")).unwrap();
    let before = senim(&dir, &["calendar", "due", "--received", "2026-03-20", "--working-days", "10"], None);
    assert_eq!(last_line(&before), "2026-04-08");
    let o = senim(&dir, &["calendar", "set", "--file", file.to_str().unwrap(), "--by", "admin@gov.kz"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = senim(&dir, &["calendar", "due", "--received", "2026-03-20", "--working-days", "10"], None);
    assert_eq!(last_line(&after), "2026-04-09", "one more day off moves the deadline");
    std::fs::write(&file, "year = 2026\nnot valid").unwrap();
    assert!(!senim(&dir, &["calendar", "set", "--file", file.to_str().unwrap()], None).status.success());
}

#[test]
fn seed_fills_a_list_and_publishes_an_edition_with_progress() {
    let dir = TempDir::new("senim-cli");
    let o = senim(&dir, &["seed", "--body", "health", "--entries", "40"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(last_line(&o).starts_with("40 entries added to health; edition 1 published"), "{}", last_line(&o));
    let progress = String::from_utf8_lossy(&o.stderr);
    assert!(progress.contains("40/40"), "a progress bar: {progress}");
    // Seeding again adds to the List: the next edition holds both.
    let o = senim(&dir, &["seed", "--body", "health", "--entries", "10"], None);
    assert!(last_line(&o).starts_with("10 entries added to health; edition 2 published"), "{}", last_line(&o));
    let o = senim(&dir, &["seed", "--body", "atlantis", "--entries", "1"], None);
    assert!(!o.status.success(), "an unknown body is an error");
}

#[test]
fn backup_then_restore_into_a_new_data_directory_keeps_accounts_and_the_audit_log() {
    let dir = TempDir::new("senim-cli");
    let o = senim(
        &dir,
        &[
            "admin",
            "create-user",
            "--email",
            "r@health.kz",
            "--role",
            "reviewer",
            "--body",
            "health",
            "--password-stdin",
        ],
        Some("a long test password\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = dir.0.join("senim.backup");
    let o = senim(&dir, &["backup", file.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(last_line(&o).starts_with("backup of sqlite: "), "{}", last_line(&o));
    assert!(!dir.0.join("senim.partial").exists(), "the partial file was renamed");

    let other = TempDir::new("senim-cli-restore");
    let o = senim(&other, &["restore", file.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(last_line(&o).contains("audit log intact"), "{}", last_line(&o));
    // Restoring twice is refused: the database is no longer empty.
    let o = senim(&other, &["restore", file.to_str().unwrap()], None);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("empty database"));
    let o = senim(&other, &["audit", "verify"], None);
    assert!(o.status.success());
}

/// Issue 16, finding 1: deployment runs the PDF worker as `senim pdf-worker` (the binary's allocator
/// and all): it confines itself, reads a report's text, and answers for a form that draws itself
/// instead of overflowing its stack.
#[tokio::test]
async fn senim_pdf_worker_reads_reports_and_survives_a_form_that_draws_itself() {
    let reader = senim_pdfread::PdfReader::command(env!("CARGO_BIN_EXE_senim"), ["pdf-worker"]);
    let pages = reader.text(&senim_pdfread::raw::text_page("Audit 2026")).await.unwrap();
    assert!(pages[0].contains("Audit 2026"), "{pages:?}");
    assert_eq!(reader.inspect(&senim_pdfread::raw::text_page("x"), 500).await.map(|i| i.pages), Ok(1));
    match reader.text(&senim_pdfread::raw::self_drawing_form()).await {
        Err(senim_pdfread::TextFailure::Unreadable(why)) => assert!(why.contains("draws itself"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        reader.inspect(&senim_pdfread::raw::object_stream_bomb(256 << 20), 500).await,
        Err(senim_pdfread::codes::TOO_COMPLEX)
    );
}
