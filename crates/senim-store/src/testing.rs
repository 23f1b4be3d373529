//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database on the server named
//! by `SENIM_TEST_DATABASE_URL` (dropped again when the test ends).
//!
//! [`dual_tests!`] writes each test twice, `sqlite::name` and `postgres::name`; the PostgreSQL copy
//! returns at once, saying so, when the variable is unset. CI runs `cargo test` and then, with the
//! variable set, `cargo test postgres::` so that the second run is exactly the PostgreSQL suite.

use crate::Store;

pub const PG_ENV: &str = "SENIM_TEST_DATABASE_URL";

/// A database that exists for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Option<Cleanup>,
    _dir: Option<TempDir>,
}

enum Cleanup {
    Postgres { admin_url: String, name: String },
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).expect("temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = TempDir::new("senim-test");
        let url = format!("sqlite://{}", dir.0.join("senim.db").display());
        let store = Store::connect(&url).await.expect("sqlite");
        store.migrate().await.expect("migrate");
        TestDb { store, url, cleanup: None, _dir: Some(dir) }
    }

    /// `None` when `SENIM_TEST_DATABASE_URL` is unset; panics when it is set but unusable.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var(PG_ENV).ok()?;
        let name = format!("senim_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Store::connect(&admin_url).await.unwrap_or_else(|e| panic!("{PG_ENV}={admin_url}: {e}"));
        crate::on_pool!(admin, p => sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(p).await.map(|r| r.rows_affected()))
            .expect("create test database");
        admin.close().await;
        let url = with_database(&admin_url, &name);
        let store = Store::connect(&url).await.expect("postgres test database");
        store.migrate().await.expect("migrate");
        Some(TestDb { store, url, cleanup: Some(Cleanup::Postgres { admin_url, name }), _dir: None })
    }
}

/// The URL with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(Cleanup::Postgres { admin_url, name }) = self.cleanup.take() {
            let store = self.store.clone();
            // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async move {
                    store.close().await;
                    let admin = Store::connect(&admin_url).await.ok()?;
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = crate::on_pool!(admin, p => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.map(|r| r.rows_affected()));
                    admin.close().await;
                    Some(())
                })
            })
            .join();
        }
    }
}

/// Writes each `async fn name(db: TestDb)` as `sqlite::name` and `postgres::name` tests.
#[macro_export]
macro_rules! dual_tests {
    ($(async fn $name:ident($db:ident : TestDb) $body:block)*) => {
        $(async fn $name($db: $crate::testing::TestDb) $body)*

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::testing::TestDb::sqlite().await).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match $crate::testing::TestDb::postgres().await {
                        Some(db) => super::$name(db).await,
                        None => eprintln!("{} unset: PostgreSQL variant not run", $crate::testing::PG_ENV),
                    }
                }
            )*
        }
    };
}

/// Queues one e-mail in its own transaction: its outbox id.
pub async fn enqueue_mail(store: &Store, to: &str, subject: &str, body: &str) -> String {
    let mut tx = store.begin().await.unwrap();
    let id = crate::outbox::enqueue(&mut tx, to, subject, body).await.unwrap();
    tx.commit().await.unwrap();
    id
}
