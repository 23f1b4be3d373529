//! The session store of tower-sessions on the application's database (queries in
//! `senim_store::sessions`): a session made on one instance works on every other.

use senim_store::Store;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        loop {
            let data = serde_json::to_vec(&*record).map_err(backend)?;
            let expires = record.expiry_date.unix_timestamp();
            if senim_store::sessions::insert_new(&self.store, &record.id.to_string(), &data, expires)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_vec(record).map_err(backend)?;
        senim_store::sessions::save(&self.store, &record.id.to_string(), &data, record.expiry_date.unix_timestamp())
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = jiff::Timestamp::now().as_second();
        let data = senim_store::sessions::load(&self.store, &id.to_string(), now).await.map_err(backend)?;
        data.map(|d| serde_json::from_slice(&d).map_err(backend)).transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        senim_store::sessions::delete(&self.store, &id.to_string()).await.map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = jiff::Timestamp::now().as_second();
        senim_store::sessions::delete_expired(&self.store, now).await.map(|_| ()).map_err(backend)
    }
}
