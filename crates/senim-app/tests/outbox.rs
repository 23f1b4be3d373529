//! E-mail from the outbox, without HTTP: delivered to a real SMTP server on loopback (aiosmtpd, when
//! `SENIM_TEST_SMTP=1`), retried after a refused connection, given up after the last try, claimed once
//! by racing workers. The administrator's view of the outbox is tested in senim-web (`mail_pages`).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::message::{Mailbox, Message};
use senim_app::services::mailer::{self, Deliver, Retry, Smtp, SmtpUrl, Worker};
use senim_store::testing::{TempDir, TestDb, enqueue_mail as enqueue};
use senim_store::{Store, dual_tests};

const SMTP_ENV: &str = "SENIM_TEST_SMTP";

fn from() -> Mailbox {
    mailer::DEFAULT_FROM.parse().unwrap()
}

/// The tests that need aiosmtpd run only when CI has installed it (`SENIM_TEST_SMTP=1`).
fn smtp_tests_enabled(test: &str) -> bool {
    let on = std::env::var(SMTP_ENV).is_ok_and(|v| v == "1");
    if !on {
        eprintln!("{test}: {SMTP_ENV} unset: not run (needs `python3 -m pip install aiosmtpd`)");
    }
    on
}

/// aiosmtpd writing every message it accepts into a Maildir; killed on drop.
struct SmtpSink {
    child: Child,
    port: u16,
    maildir: TempDir,
}

impl SmtpSink {
    fn start_on(port: u16) -> SmtpSink {
        let maildir = TempDir::new("senim-maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.0.join("box"))
            .args(["-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd");
        let mut sink = SmtpSink { child, port, maildir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sink.child.try_wait() {
                panic!("aiosmtpd exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        sink
    }

    fn url(&self) -> SmtpUrl {
        SmtpUrl(format!("smtp://127.0.0.1:{}", self.port))
    }

    /// The messages in the Maildir, parsed by Python's `email` package (an independent reader):
    /// `[to, decoded subject, content type, charset, decoded body, message id]` each.
    fn messages(&self) -> Vec<serde_json::Value> {
        let script = r#"
import email, email.policy, json, mailbox, sys
box = mailbox.Maildir(sys.argv[1], factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default), create=False)
out = []
for m in box:
    part = m.get_body(('plain',))
    out.append({"to": str(m["To"]), "subject": str(m["Subject"]), "content_type": m.get_content_type(),
                "charset": m.get_content_charset(), "body": part.get_content(), "message_id": str(m["Message-ID"])})
print(json.dumps(out, ensure_ascii=False))
"#;
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(self.maildir.0.join("box"))
            .output()
            .expect("python3 reads the Maildir");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn raw_files(&self) -> Vec<String> {
        let dir = self.maildir.0.join("box").join("new");
        std::fs::read_dir(dir)
            .map_or_else(|_| Vec::new(), |d| d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn pending(store: &Store) -> usize {
    mailer::page(store, 1000, 0).await.unwrap().0.iter().filter(|m| m.sent_at.is_none()).count()
}

/// Runs the worker until nothing is left to send (or fails the test after `limit`).
async fn drain<T: Deliver>(worker: &Worker<T>, store: &Store, limit: Duration) {
    let deadline = Instant::now() + limit;
    while pending(store).await > 0 {
        assert!(Instant::now() < deadline, "the outbox did not empty in {limit:?}");
        worker.deliver_due(None).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

const MAILS: [(&str, &str, &str); 3] = [
    (
        "aigul@dariger.kz",
        "Өтініш қабылданды: «Көз AI» жүйесі",
        "«Көз AI» өтінішіңіз (1-беру) қабылданды.\nМемлекеттік орган оны 2026-04-08 дейін қарайды.",
    ),
    (
        "reviewer@health.gov.kz",
        "Қарауға жаңа өтініш: Ұлттық тіл үлгісі",
        "Өтініш қарауды күтуде, мерзімі — 2026-04-08. Іңкәр, Үміт, Ғалым, Һ, Ә, Ө, Ұ, Қ, Ң.",
    ),
    ("b@koz.kz", "Тізбеге енгізілді: Денсаулық", "Тізбеге KZ-AI-HEALTH-0001 тізілім нөмірімен енгізілді."),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kazakh_mail_reaches_a_real_smtp_server_with_its_headers_intact() {
    if !smtp_tests_enabled("kazakh_mail_reaches_a_real_smtp_server_with_its_headers_intact") {
        return;
    }
    let sink = SmtpSink::start_on(free_port());
    let db = TestDb::sqlite().await;
    let mut ids = Vec::new();
    for (to, subject, body) in MAILS {
        ids.push(enqueue(&db.store, to, subject, body).await);
    }
    let worker = Worker::new(db.store.clone(), Smtp::from_url(&sink.url()).unwrap(), from());
    drain(&worker, &db.store, Duration::from_secs(30)).await;

    let got = sink.messages();
    assert_eq!(got.len(), 3, "{got:#?}");
    for ((to, subject, body), id) in MAILS.iter().zip(&ids) {
        let m = got.iter().find(|m| m["to"] == *to).unwrap_or_else(|| panic!("no message to {to}: {got:#?}"));
        assert_eq!(m["subject"], *subject, "the subject decodes to the Kazakh text");
        assert_eq!(m["content_type"], "text/plain");
        assert_eq!(m["charset"], "utf-8");
        assert_eq!(m["body"].as_str().unwrap().replace("\r\n", "\n").trim_end(), *body);
        assert!(m["message_id"].as_str().unwrap().contains(id.as_str()), "Message-ID names the outbox row");
        let row = mailer::get(&db.store, id).await.unwrap().unwrap();
        assert!(row.sent_at.is_some() && row.last_error.is_none() && row.attempts == 1, "{row:?}");
    }
    for raw in sink.raw_files() {
        let subject = raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
        assert!(subject.is_ascii() && subject.contains("=?utf-8?"), "encoded-word subject on the wire: {subject}");
        assert!(raw.contains("From: Senim <noreply@senim.localhost>"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_leaves_the_message_queued_and_a_later_attempt_delivers_it() {
    if !smtp_tests_enabled("a_refused_connection_leaves_the_message_queued_and_a_later_attempt_delivers_it") {
        return;
    }
    let port = free_port();
    let db = TestDb::sqlite().await;
    let id = enqueue(&db.store, "aigul@dariger.kz", "Сәйкессіздік туралы хабарлама", "Түзетіп, қайта беріңіз.").await;
    let url = SmtpUrl(format!("smtp://127.0.0.1:{port}"));
    let worker = Worker::new(db.store.clone(), Smtp::from_url(&url).unwrap(), from()).retry(Retry {
        base_secs: 1,
        cap_secs: 1,
        max_attempts: 10,
    });

    // Nobody listens on the port yet: refused.
    let pass = worker.deliver_due(None).await.unwrap();
    assert_eq!((pass.sent, pass.failed), (0, 1));
    let row = mailer::get(&db.store, &id).await.unwrap().unwrap();
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_none());
    let error = row.last_error.clone().expect("the error is recorded");
    assert!(error.contains("SMTP"), "{error}");
    assert!(row.next_attempt_at > row.created_at, "the retry waits: {row:?}");
    let again = worker.deliver_due(None).await.unwrap();
    assert_eq!(again.sent + again.failed, 0, "not due again at once");

    // The server comes up; the retry delivers.
    let sink = SmtpSink::start_on(port);
    drain(&worker, &db.store, Duration::from_secs(30)).await;
    let row = mailer::get(&db.store, &id).await.unwrap().unwrap();
    assert!(row.sent_at.is_some(), "{row:?}");
    assert_eq!(row.attempts, 2);
    assert_eq!(row.last_error, None);
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["subject"], "Сәйкессіздік туралы хабарлама");
}

/// Records what it is given; fails when told to.
#[derive(Clone, Default)]
struct Stub {
    delivered: Arc<Mutex<Vec<String>>>,
    fail: bool,
}

impl Deliver for Stub {
    async fn deliver(&self, message: Message) -> Result<(), String> {
        if self.fail {
            return Err("SMTP: 550 mailbox unavailable".into());
        }
        // Long enough for the racing worker to reach the same row.
        tokio::time::sleep(Duration::from_millis(3)).await;
        let id = message.headers().get_raw("Message-ID").unwrap_or_default().to_owned();
        self.delivered.lock().unwrap().push(id);
        Ok(())
    }
}

dual_tests! {
    async fn two_workers_racing_on_one_outbox_send_each_message_once(db: TestDb) {
        let n = 40;
        for i in 0..n {
            enqueue(&db.store, &format!("u{i}@example.kz"), &format!("Хат №{i}"), "Мәтін").await;
        }
        // Two instances: each its own connection pool, as two `senim serve` processes would have.
        let other = Store::connect(&db.url).await.unwrap();
        let stub = Stub::default();
        let a = Worker::new(db.store.clone(), stub.clone(), from());
        let b = Worker::new(other.clone(), stub.clone(), from());
        let (pa, pb) = tokio::join!(a.deliver_due(None), b.deliver_due(None));
        let (pa, pb) = (pa.unwrap(), pb.unwrap());
        assert_eq!(pa.sent + pb.sent, n);
        let delivered = stub.delivered.lock().unwrap().clone();
        let unique: std::collections::BTreeSet<_> = delivered.iter().collect();
        assert_eq!(delivered.len(), n, "each message once");
        assert_eq!(unique.len(), n, "no message twice");
        assert_eq!(pending(&db.store).await, 0);
        other.close().await;
    }

    async fn a_message_is_given_up_after_its_last_attempt_with_the_error_kept(db: TestDb) {
        let id = enqueue(&db.store, "aigul@dariger.kz", "Хат", "Мәтін").await;
        let bad = enqueue(&db.store, "not an address", "Хат", "Мәтін").await;
        let failing = Stub { fail: true, ..Stub::default() };
        // No wait between tries: one pass uses them all.
        let worker = Worker::new(db.store.clone(), failing, from()).retry(Retry { base_secs: 0, cap_secs: 0, max_attempts: 3 });
        let pass = worker.deliver_due(None).await.unwrap();
        assert_eq!((pass.sent, pass.failed, pass.given_up), (0, 2, 2));
        let row = mailer::get(&db.store, &id).await.unwrap().unwrap();
        assert_eq!(row.attempts, 3);
        assert!(row.given_up() && row.sent_at.is_none());
        assert_eq!(row.last_error.as_deref(), Some("gave up after 3 attempts: SMTP: 550 mailbox unavailable"));
        let row = mailer::get(&db.store, &bad).await.unwrap().unwrap();
        assert_eq!(row.attempts, 1, "an address that cannot be used is not retried");
        assert!(row.given_up() && row.last_error.unwrap().contains("recipient address"));
        assert_eq!(worker.deliver_due(None).await.unwrap(), mailer::Pass::default(), "never due again");
    }


}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_polls_the_outbox_and_stops_when_told() {
    let db = TestDb::sqlite().await;
    let (stop, rx) = tokio::sync::watch::channel(false);
    let stub = Stub::default();
    let task = tokio::spawn(Worker::new(db.store.clone(), stub.clone(), from()).run(Duration::from_millis(50), rx));
    // Queued after the worker started: found by polling.
    enqueue(&db.store, "aigul@dariger.kz", "Хат", "Мәтін").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while pending(&db.store).await > 0 {
        assert!(Instant::now() < deadline, "the worker did not pick the message up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task).await.expect("stops when told").unwrap();
    assert_eq!(stub.delivered.lock().unwrap().len(), 1);
}

#[test]
fn the_smtp_url_never_shows_its_password() {
    let url = SmtpUrl("smtps://user:secret@mail.example.kz:465".into());
    let shown = format!("{url:?}");
    assert!(!shown.contains("secret") && shown.contains("mail.example.kz:465"), "{shown}");
}

#[test]
fn retries_back_off_exponentially_to_an_hour() {
    let r = Retry::default();
    let waits: Vec<i64> = (1..=9).map(|a| r.wait_secs(a)).collect();
    assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
}
