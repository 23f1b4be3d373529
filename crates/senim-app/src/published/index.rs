//! One edition held in memory with what its readers ask of it: a word index of the searchable texts,
//! sort keys per language and text column, the filters offered, inclusion proofs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;

use crate::collation;

/// One body's edition with its index.
pub struct IndexedEdition {
    pub body_code: String,
    pub number: i64,
    pub published_at: String,
    pub entries: Vec<Annex2Entry>,
    /// Name, owner (every language), registry number and BIN: what the List pages search.
    names: WordIndex,
    /// The same plus area and functionality: what the search API searches.
    everything: WordIndex,
    /// Sort keys by language and column (name, owner).
    sort_keys: [[OnceLock<SortKeys>; 2]; 3],
    facets: [OnceLock<Facets>; 3],
    /// The results of recent queries (see [`IndexedEdition::matching_cached`]).
    recent: Mutex<RecentQueries>,
    /// The entries' Merkle tree, for inclusion proofs (built on first use).
    tree: OnceLock<senim_publish::merkle::Tree>,
}

/// The positions matched by recent queries of one edition, oldest first out. Bounded by the positions
/// held, not the number of queries: a word in every entry of a 100,000-entry List holds 100,000.
#[derive(Default)]
struct RecentQueries {
    found: HashMap<(Box<str>, Scope), Arc<[u32]>>,
    order: std::collections::VecDeque<(Box<str>, Scope)>,
    positions: usize,
}

/// Positions the results of recent queries may hold per edition (4 bytes each: 16 MB).
const RECENT_POSITIONS: usize = 4 << 20;

/// One collation sort key per entry.
type SortKeys = Vec<Box<[u8]>>;

/// The areas (in one language, Kazakh order) and years (newest first) of an edition's entries.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub areas: Vec<String>,
    pub years: Vec<i16>,
}

/// Which texts a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Name, owner, registry number, BIN (the List pages).
    Names,
    /// Those and area and functionality (the search API).
    Everything,
}

/// A text column with sort keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextColumn {
    Name,
    Owner,
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    }
}

impl IndexedEdition {
    /// Indexes `entries` (CPU-heavy for a large edition: call it off the async threads).
    pub fn new(body_code: String, number: i64, published_at: String, entries: Vec<Annex2Entry>) -> Self {
        let names = WordIndex::build(entries.iter().map(|e| texts(e, Scope::Names)));
        let everything = WordIndex::build(entries.iter().map(|e| texts(e, Scope::Everything)));
        IndexedEdition {
            body_code,
            number,
            published_at,
            entries,
            names,
            everything,
            sort_keys: Default::default(),
            facets: Default::default(),
            recent: Mutex::default(),
            tree: OnceLock::new(),
        }
    }

    /// The inclusion proof of the entry with `registry_number`, or `None` when the edition does not
    /// hold it. The tree is built once per edition (100,000 entries take about a second), not once per
    /// entry page, and keeps its complete blocks, so that a proof is a few dozen lookups and hashes.
    pub fn proof(&self, registry_number: &str) -> Option<senim_publish::manifest::InclusionProof> {
        let index = self.entries.iter().position(|e| e.registry_number == registry_number)?;
        let tree = self.tree.get_or_init(|| {
            senim_publish::merkle::Tree::new(self.entries.iter().map(senim_publish::edition::entry_leaf).collect())
        });
        let path = tree.inclusion_proof(index)?;
        Some(senim_publish::manifest::InclusionProof {
            leaf_index: index as u64,
            tree_size: tree.len() as u64,
            path: path.iter().map(hex::encode).collect(),
            entry: self.entries[index].clone(),
        })
    }

    /// [`matching`](Self::matching) when this query was answered recently, else `None`.
    pub fn recently_matched(&self, needle: &str, scope: Scope) -> Option<Arc<[u32]>> {
        let recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent.found.get(&(Box::from(needle), scope)).cloned()
    }

    /// [`matching`](Self::matching), kept for the next reader asking the same: readers of a popular
    /// List search for the same few words, and a word in most entries costs milliseconds to collect.
    pub fn matching_cached(&self, needle: &str, scope: Scope) -> Arc<[u32]> {
        if let Some(found) = self.recently_matched(needle, scope) {
            return found;
        }
        let found: Arc<[u32]> = self.matching(needle, scope).into();
        self.remember(needle, scope, found.clone(), RECENT_POSITIONS);
        found
    }

    /// Keeps `found` for `needle`, dropping the oldest results while more than `budget` positions
    /// would be held (a result larger than the budget is not kept).
    fn remember(&self, needle: &str, scope: Scope, found: Arc<[u32]>, budget: usize) {
        if found.len() > budget {
            return;
        }
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        let key = (Box::<str>::from(needle), scope);
        if recent.found.contains_key(&key) {
            return;
        }
        while recent.positions + found.len() > budget {
            let Some(old) = recent.order.pop_front() else { break };
            if let Some(gone) = recent.found.remove(&old) {
                recent.positions -= gone.len();
            }
        }
        recent.positions += found.len();
        recent.order.push_back(key.clone());
        recent.found.insert(key, found);
    }

    /// The positions (indexes into `entries`) of the entries whose texts in `scope` contain `needle`
    /// (already lower-cased and trimmed), in edition order. An empty needle matches every entry.
    pub fn matching(&self, needle: &str, scope: Scope) -> Vec<u32> {
        let all = || (0..self.entries.len()).map(|i| i as u32).collect();
        if needle.is_empty() {
            return all();
        }
        let index = match scope {
            Scope::Names => &self.names,
            Scope::Everything => &self.everything,
        };
        let words: Vec<&str> = words(needle).collect();
        let candidates: Vec<u32> =
            if words.is_empty() { all() } else { index.containing_all(&words, self.entries.len()) };
        // A needle that is one word matches exactly the entries with a word containing it. Anything
        // else (several words, punctuation) must also occur as written: check the candidates' texts.
        if words.len() == 1 && words[0] == needle {
            return candidates;
        }
        candidates
            .into_iter()
            .filter(|&i| texts(&self.entries[i as usize], scope).any(|t| t.to_lowercase().contains(needle)))
            .collect()
    }

    /// The sort keys of a text column in `lang`, one per entry (computed on first use).
    pub fn sort_keys(&self, lang: Lang, column: TextColumn) -> &[Box<[u8]>] {
        let slot = &self.sort_keys[lang_slot(lang)][column as usize];
        slot.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| {
                    let text = match column {
                        TextColumn::Name => e.system_name.best(lang),
                        TextColumn::Owner => e.owner.best(lang),
                    };
                    collation::sort_key(text).into_boxed_slice()
                })
                .collect()
        })
    }

    /// The areas and years of the entries, for the List's filters (computed on first use per language).
    pub fn facets(&self, lang: Lang) -> &Facets {
        self.facets[lang_slot(lang)].get_or_init(|| {
            let mut areas: Vec<String> = self
                .entries
                .iter()
                .map(|e| e.area.best(lang))
                .collect::<std::collections::HashSet<_>>()
                .into_iter()
                .map(str::to_owned)
                .collect();
            areas.sort_by(|a, b| collation::compare(a, b));
            let mut years: Vec<i16> = self
                .entries
                .iter()
                .map(|e| e.included_on.year())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            years.reverse();
            Facets { areas, years }
        })
    }
}

/// The texts of an entry that `scope` searches, in every language.
fn texts(e: &Annex2Entry, scope: Scope) -> impl Iterator<Item = &str> {
    let extra = (scope == Scope::Everything).then_some([&e.area, &e.functionality]).into_iter().flatten();
    [&e.system_name, &e.owner]
        .into_iter()
        .chain(extra)
        .flat_map(|t| t.iter().map(|(_, text)| text))
        .chain(std::iter::once(e.registry_number.as_str()))
        .chain(e.owner_bin.as_deref())
}

/// The words of a text: its runs of letters and digits, lower-cased.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Distinct lower-cased words, each with the sorted positions of the entries that contain it. Words of
/// digits only (registry and certificate numbers, BINs: most of a large List's distinct words) are
/// kept apart: a query word with a letter in it cannot be inside them, and need not scan them.
struct WordIndex {
    words: Vec<(Box<str>, Vec<u32>)>,
    numbers: Vec<(Box<str>, Vec<u32>)>,
}

impl WordIndex {
    fn build<'a, I, T>(entries: I) -> WordIndex
    where
        I: Iterator<Item = T>,
        T: Iterator<Item = &'a str>,
    {
        let mut map: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        for (i, texts) in entries.enumerate() {
            let i = i as u32;
            for text in texts {
                let lower = text.to_lowercase();
                for w in words(&lower) {
                    match map.get_mut(w) {
                        Some(list) => {
                            if list.last() != Some(&i) {
                                list.push(i);
                            }
                        }
                        None => {
                            map.insert(w.into(), vec![i]);
                        }
                    }
                }
            }
        }
        let (mut numbers, mut words): (Vec<_>, Vec<_>) =
            map.into_iter().partition(|(w, _): &(Box<str>, Vec<u32>)| w.bytes().all(|b| b.is_ascii_digit()));
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        numbers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        WordIndex { words, numbers }
    }

    /// The entries (of `n`) that have, for each of `parts`, a word containing it, in order.
    fn containing_all(&self, parts: &[&str], n: usize) -> Vec<u32> {
        let mut acc: Option<Vec<u64>> = None;
        for part in parts {
            let mut bits = vec![0u64; n.div_ceil(64)];
            let digits_only = part.bytes().all(|b| b.is_ascii_digit());
            let numbers: &[(Box<str>, Vec<u32>)] = if digits_only { &self.numbers } else { &[] };
            for (_, list) in self.words.iter().chain(numbers).filter(|(w, _)| w.contains(part)) {
                for &i in list {
                    bits[i as usize / 64] |= 1 << (i % 64);
                }
            }
            acc = Some(match acc {
                None => bits,
                Some(mut a) => {
                    a.iter_mut().zip(&bits).for_each(|(x, y)| *x &= y);
                    a
                }
            });
        }
        let bits = acc.unwrap_or_default();
        let mut out = Vec::new();
        for (k, &word) in bits.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                out.push((k * 64) as u32 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use senim_domain::annex2::{AuditColumn, BodyRef};
    use senim_domain::lang::LangText;

    fn text(kk: &str, ru: &str) -> LangText {
        let mut t = LangText::new();
        t.set(Lang::Kk, kk);
        if !ru.is_empty() {
            t.set(Lang::Ru, ru);
        }
        t
    }

    fn entry(n: u32, name: &str, owner: &str, functionality: &str) -> Annex2Entry {
        Annex2Entry {
            registry_number: format!("KZ-T-{n:05}"),
            position: n,
            system_name: text(name, ""),
            owner: text(owner, owner),
            owner_bin: Some(format!("97124000{n:04}")),
            area: text("Денсаулық сақтау", "Здравоохранение"),
            functionality: text(functionality, ""),
            audit: AuditColumn {
                auditor: text("Аудитор", ""),
                date: jiff::civil::date(2026, 3, 1),
                conclusions: text("Сәйкес", ""),
            },
            included_on: jiff::civil::date(2026, 4, 1),
            body: BodyRef {
                code: "health".into(), name: text("Денсаулық сақтау министрлігі", "")
            },
        }
    }

    fn sample() -> IndexedEdition {
        let entries = vec![
            entry(1, "Рентген-талдау жүйесі", "«Медтех» ЖШС", "Суреттерді талдайды"),
            entry(2, "Диагноз көмекшісі", "Сенім АҚ", "Дәрігерге кеңес береді, рентген суреттерін қарайды"),
            entry(3, "ЖИ-хатшы", "«Медтех» ЖШС", "Кезек басқарады"),
        ];
        IndexedEdition::new("health".into(), 1, "2026-04-02T10:00:00+05:00".into(), entries)
    }

    /// The plain definition the index must agree with: the needle occurs in one of the texts.
    fn by_scan(e: &IndexedEdition, needle: &str, scope: Scope) -> Vec<u32> {
        (0..e.entries.len() as u32)
            .filter(|&i| {
                needle.is_empty() || texts(&e.entries[i as usize], scope).any(|t| t.to_lowercase().contains(needle))
            })
            .collect()
    }

    #[test]
    fn the_index_finds_exactly_what_a_scan_of_the_texts_finds() {
        let e = sample();
        for needle in [
            "",
            "рентген",
            "ентге",
            "медтех",
            "«медтех» жшс",
            "жүйесі",
            "жи-хатшы",
            "хатшы",
            "kz-t-00002",
            "00002",
            "971240000003",
            "суреттер",
            "талда",
            "кеңес береді",
            "береді, рентген",
            "жоқ",
            "-",
            "«",
            "денсаулық",
        ] {
            for scope in [Scope::Names, Scope::Everything] {
                assert_eq!(e.matching(needle, scope), by_scan(&e, needle, scope), "{needle:?} in {scope:?}");
            }
        }
        assert_eq!(e.matching("рентген", Scope::Names), vec![0], "the List pages search names and owners only");
        assert_eq!(e.matching("рентген", Scope::Everything), vec![0, 1], "the API also searches functionality");
    }

    #[test]
    fn recent_queries_are_answered_from_memory_within_their_budget() {
        let e = sample();
        let first = e.matching_cached("медтех", Scope::Names);
        assert_eq!(&first[..], &e.matching("медтех", Scope::Names)[..]);
        let again = e.recently_matched("медтех", Scope::Names).expect("kept");
        assert!(Arc::ptr_eq(&first, &again), "the second reader gets the kept result");
        assert!(e.recently_matched("медтех", Scope::Everything).is_none(), "each scope is its own query");
        // A budget of three positions: "рентген" (2) and "медтех" (2) cannot both be held, so the
        // older goes; a result over the budget is not kept at all.
        e.remember("рентген", Scope::Everything, e.matching("рентген", Scope::Everything).into(), 3);
        e.remember("хатшы", Scope::Names, e.matching("хатшы", Scope::Names).into(), 3);
        assert!(e.recently_matched("рентген", Scope::Everything).is_some());
        assert!(e.recently_matched("хатшы", Scope::Names).is_some());
        assert!(e.recently_matched("медтех", Scope::Names).is_none(), "the oldest was dropped");
        e.remember("", Scope::Names, e.matching("", Scope::Names).into(), 2);
        assert!(e.recently_matched("", Scope::Names).is_none(), "three positions exceed a budget of two");
        let held = e.recent.lock().unwrap();
        assert_eq!(held.positions, held.found.values().map(|f| f.len()).sum::<usize>());
        assert!(held.positions <= 3);
    }

    #[test]
    fn sort_keys_and_facets_follow_kazakh_order() {
        let e = sample();
        let keys = e.sort_keys(Lang::Kk, TextColumn::Name);
        let mut order: Vec<usize> = (0..3).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        // Д < Ж < Р in the Kazakh alphabet.
        assert_eq!(order, vec![1, 2, 0]);
        assert_eq!(e.facets(Lang::Ru).areas, vec!["Здравоохранение".to_owned()]);
        assert_eq!(e.facets(Lang::Kk).years, vec![2026]);
    }
}
