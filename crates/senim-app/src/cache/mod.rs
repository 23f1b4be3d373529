//! In-memory caches of what is expensive to produce and rarely (or never) changes (issues 5 and 7).
//!
//! - [`ArtifactCache`]: an edition's files are immutable, so once read from the database they are
//!   served from memory, with gzip and brotli variants computed once, on first request. Keyed by
//!   (body, edition, name); an entry is never stale.
//! - [`PageCache`]: the rendered public List page of a body for anonymous readers with the default
//!   query, keyed by (body, edition, language, the declared next update). The edition number and
//!   the next-update sentence are in the key, so a new edition or a new inclusion — made by this
//!   instance or another sharing the database — is never served stale; publication also drops the
//!   body's pages here at once ([`PageCache::invalidate_body`]) so the memory goes back.
//!
//! Both are bounded by total bytes and drop the least recently used entry first; a file larger than a
//! quarter of the artifact budget is served from the database as stored. Two first requests
//! for the same file may both compress it; the second result simply replaces the first.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

mod encoding;

use bytes::Bytes;
use senim_domain::lang::Lang;

pub use encoding::{CachedFile, Coding, none_match};

/// Default memory budget of the artifact cache (all variants counted): enough for the files a reader
/// of a 100,000-entry List fetches most (its CSV and edition JSON, about 250 MB together).
pub const ARTIFACT_BUDGET: usize = 512 * 1024 * 1024;
/// Files up to this size get their compressed variants before the first answer; larger ones are
/// answered as stored at once and compressed in the background (seconds of CPU at 100 MB).
pub const COMPRESS_INLINE: usize = 8 * 1024 * 1024;
/// Default memory budget of the List page cache.
pub const PAGE_BUDGET: usize = 16 * 1024 * 1024;

/// The application's caches (one per process).
pub struct Caches {
    pub artifacts: ArtifactCache,
    pub pages: PageCache,
}

impl Default for Caches {
    fn default() -> Self {
        Caches { artifacts: ArtifactCache::new(ARTIFACT_BUDGET), pages: PageCache::new(PAGE_BUDGET) }
    }
}

/// A least-recently-used map bounded by the total weight (bytes) of its values.
struct Lru<K, V> {
    budget: usize,
    inner: Mutex<LruInner<K, V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

struct LruInner<K, V> {
    map: HashMap<K, (V, usize, u64)>,
    used: usize,
    tick: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(budget: usize) -> Self {
        Lru {
            budget,
            inner: Mutex::new(LruInner { map: HashMap::new(), used: 0, tick: 0 }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruInner<K, V>> {
        // A panic while holding the lock leaves a consistent map (every update is one statement).
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let found = inner.map.get_mut(key).map(|slot| {
            slot.2 = tick;
            slot.0.clone()
        });
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The value without counting a hit or a miss (a second look after waiting for another reader).
    fn peek(&self, key: &K) -> Option<V> {
        self.lock().map.get(key).map(|slot| slot.0.clone())
    }

    /// Stores `value` of `weight` bytes, dropping the least recently used entries to stay in budget.
    /// A value larger than the whole budget is not stored.
    fn put(&self, key: K, value: V, weight: usize) {
        if weight > self.budget {
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        if let Some((_, old, _)) = inner.map.insert(key, (value, weight, tick)) {
            inner.used -= old;
        }
        inner.used += weight;
        while inner.used > self.budget {
            let Some(oldest) = inner.map.iter().min_by_key(|(_, (_, _, t))| *t).map(|(k, _)| k.clone()) else { break };
            if let Some((_, w, _)) = inner.map.remove(&oldest) {
                inner.used -= w;
            }
        }
    }

    fn retain(&self, keep: impl Fn(&K) -> bool) {
        let mut inner = self.lock();
        let before: usize = inner.used;
        let mut freed = 0;
        inner.map.retain(|k, (_, w, _)| {
            let kept = keep(k);
            if !kept {
                freed += *w;
            }
            kept
        });
        inner.used = before - freed;
    }

    fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.map.len(),
            bytes: inner.used,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

/// What a cache holds and how often it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
}

/// Edition files by (body, edition, name).
pub struct ArtifactCache(Lru<(String, i64, String), std::sync::Arc<CachedFile>>, Loading);

/// The files being read from the database now, so that many first readers of a large file wait for
/// one read instead of each reading it (64 readers of a 175 MB file would hold 11 GB).
type Loading = Mutex<HashMap<(String, i64, String), std::sync::Arc<tokio::sync::Mutex<()>>>>;

impl ArtifactCache {
    pub fn new(budget: usize) -> Self {
        ArtifactCache(Lru::new(budget), Mutex::default())
    }

    /// The lock that one reader of a file not yet cached holds while it reads the file: take it, look
    /// in the cache again, and read only if the file is still missing; then call [`Self::loaded`].
    pub fn loading(&self, body: &str, edition: i64, name: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let mut map = self.1.lock().unwrap_or_else(|p| p.into_inner());
        map.entry((body.to_owned(), edition, name.to_owned())).or_default().clone()
    }

    /// The file has been read (or failed to be): forget its lock.
    pub fn loaded(&self, body: &str, edition: i64, name: &str) {
        self.1.lock().unwrap_or_else(|p| p.into_inner()).remove(&(body.to_owned(), edition, name.to_owned()));
    }
    /// Whether a file of `size` bytes is kept (with its variants): up to half the budget. A larger
    /// one is served from the database as stored each time — compressing it again for every request
    /// would cost more than the bytes saved.
    pub fn keeps(&self, size: usize) -> bool {
        size <= self.0.budget / 2
    }
    pub fn get(&self, body: &str, edition: i64, name: &str) -> Option<std::sync::Arc<CachedFile>> {
        self.0.get(&(body.to_owned(), edition, name.to_owned()))
    }
    /// [`Self::get`] without counting: for the second look of a reader that waited on [`Self::loading`].
    pub fn peek(&self, body: &str, edition: i64, name: &str) -> Option<std::sync::Arc<CachedFile>> {
        self.0.peek(&(body.to_owned(), edition, name.to_owned()))
    }
    pub fn put(&self, body: &str, edition: i64, name: &str, file: std::sync::Arc<CachedFile>) {
        let weight = file.weight();
        self.0.put((body.to_owned(), edition, name.to_owned()), file, weight);
    }
    pub fn stats(&self) -> CacheStats {
        self.0.stats()
    }
}

/// The key of a cached List page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub body: String,
    pub edition: Option<i64>,
    pub lang: Lang,
    /// The declared next update as shown, which changes with inclusions between editions.
    pub next_update: String,
    /// The page of the List (1-based).
    pub page: usize,
}

/// Rendered List pages (HTML) for anonymous readers with the default query.
pub struct PageCache(Lru<PageKey, Bytes>, Mutex<HashMap<PageSlot, (std::time::Instant, PageKey)>>);

/// A List page as readers ask for it: (body, language, page).
type PageSlot = (String, Lang, usize);

impl PageCache {
    pub fn new(budget: usize) -> Self {
        PageCache(Lru::new(budget), Mutex::default())
    }

    /// The page of `body` in `lang` whose key was checked against the database less than `ttl` ago
    /// (see `Config::read_ttl`), without asking the database again.
    pub fn recent(&self, body: &str, lang: Lang, page: usize, ttl: std::time::Duration) -> Option<Bytes> {
        if ttl.is_zero() {
            return None;
        }
        let key = {
            let marks = self.1.lock().unwrap_or_else(|p| p.into_inner());
            let (at, key) = marks.get(&(body.to_owned(), lang, page))?;
            if at.elapsed() >= ttl {
                return None;
            }
            key.clone()
        };
        self.get(&key)
    }

    /// Notes that `key` is what the database says now for its body, language and page.
    pub fn checked(&self, key: &PageKey) {
        let mut marks = self.1.lock().unwrap_or_else(|p| p.into_inner());
        marks.insert((key.body.clone(), key.lang, key.page), (std::time::Instant::now(), key.clone()));
    }
    pub fn get(&self, key: &PageKey) -> Option<Bytes> {
        self.0.get(key)
    }
    pub fn put(&self, key: PageKey, html: Bytes) {
        let weight = html.len();
        self.0.put(key, html, weight);
    }
    /// Drops every cached page of the body (after a publication).
    pub fn invalidate_body(&self, body: &str) {
        self.0.retain(|k| k.body != body);
        self.1.lock().unwrap_or_else(|p| p.into_inner()).retain(|(b, _, _), _| b != body);
    }
    pub fn stats(&self) -> CacheStats {
        self.0.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entry_goes_first_and_the_budget_holds() {
        let lru: Lru<u32, u32> = Lru::new(10);
        lru.put(1, 1, 4);
        lru.put(2, 2, 4);
        assert_eq!(lru.get(&1), Some(1));
        lru.put(3, 3, 4);
        assert_eq!(lru.get(&2), None, "2 was least recently used");
        assert_eq!(lru.get(&1), Some(1));
        assert_eq!(lru.get(&3), Some(3));
        assert_eq!(lru.stats().bytes, 8);
        lru.put(4, 4, 11);
        assert_eq!(lru.get(&4), None, "larger than the budget: not stored");
        lru.retain(|k| *k != 1);
        assert_eq!(lru.stats(), CacheStats { entries: 1, bytes: 4, hits: 3, misses: 2 });
    }

    #[test]
    fn accept_encoding_picks_the_best_accepted_variant() {
        let text = "Сенім ".repeat(2000).into_bytes();
        let f = CachedFile::build("text/csv".into(), "abc".into(), text);
        assert!(f.gzip.is_some() && f.brotli.is_some());
        assert_eq!(f.variant(None).0, Coding::Identity);
        assert_eq!(f.variant(Some("gzip")).0, Coding::Gzip);
        assert_eq!(f.variant(Some("gzip, deflate, br")).0, Coding::Brotli);
        assert_eq!(f.variant(Some("br;q=0.5, gzip")).0, Coding::Gzip);
        assert_eq!(f.variant(Some("br;q=0, gzip;q=0")).0, Coding::Identity);
        assert_eq!(f.variant(Some("*")).0, Coding::Brotli);
        assert_eq!(f.variant(Some("identity")).0, Coding::Identity);
        assert_eq!(f.variant(Some("gzip;q=bogus")).0, Coding::Identity);
        assert_eq!(f.variant(Some("br;q=0.1, gzip;q=0.9")).0, Coding::Gzip);
        assert_eq!(f.variant(Some("identity;q=1, gzip;q=0.5")).0, Coding::Identity);
        let pdf = CachedFile::build("application/pdf".into(), "abc".into(), vec![0; 4096]);
        assert!(pdf.gzip.is_none() && pdf.brotli.is_none(), "PDF and XLSX are compressed already");
        assert_eq!(pdf.variant(Some("br, gzip")).0, Coding::Identity);
    }

    #[test]
    fn files_over_half_the_budget_are_not_kept() {
        let c = ArtifactCache::new(1000);
        assert!(c.keeps(500));
        assert!(!c.keeps(501));
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        assert!(none_match(Some("\"a\""), "\"a\""));
        assert!(none_match(Some("\"x\", W/\"a\""), "\"a\""));
        assert!(none_match(Some("*"), "\"a\""));
        assert!(!none_match(Some("\"a.gz\""), "\"a\""));
        assert!(!none_match(None, "\"a\""));
    }
}
