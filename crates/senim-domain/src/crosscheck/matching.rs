//! Finding a text in a report's pages: each page reduced for matching (case, line breaks, repeated
//! spaces, quotation marks, dashes, soft hyphens, ё/е), with a map back to the original characters for
//! the excerpt the reviewer reads.

use serde::Serialize;

/// Characters of context shown either side of a match.
pub(super) const CONTEXT: usize = 60;

/// Where (and whether) a fact appears in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Finding {
    /// Appears as written: on `page` (1-based), with the text around it.
    Found { page: usize, matched: String, excerpt: String },
    /// A long text of which only `percent` of the words appear together, on `page`.
    Partial { page: usize, percent: u8 },
    /// Does not appear anywhere in the report.
    Missing,
    /// The application does not state the fact, so there is nothing to look for.
    NotGiven,
}

/// A page's text reduced for matching, with a map back to the original characters.
pub(super) struct Normalized {
    original: Vec<char>,
    pub(super) text: Vec<char>,
    /// For each character of `text`, its index in `original`.
    at: Vec<usize>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '`' | '‹' | '›')
}

impl Normalized {
    pub(super) fn new(s: &str) -> Normalized {
        let original: Vec<char> = s.chars().collect();
        let mut text = Vec::with_capacity(original.len());
        let mut at = Vec::with_capacity(original.len());
        let mut space = true;
        for (i, &c) in original.iter().enumerate() {
            if c == '\u{ad}' || is_quote(c) {
                continue;
            }
            if c.is_whitespace() {
                if !space {
                    text.push(' ');
                    at.push(i);
                    space = true;
                }
                continue;
            }
            let c = match c {
                '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
                'ё' | 'Ё' => 'е',
                _ => c,
            };
            for l in c.to_lowercase() {
                text.push(l);
                at.push(i);
            }
            space = false;
        }
        if text.last() == Some(&' ') {
            text.pop();
            at.pop();
        }
        Normalized { original, text, at }
    }

    pub(super) fn find(&self, needle: &[char]) -> Option<usize> {
        if needle.is_empty() || needle.len() > self.text.len() {
            return None;
        }
        self.text.windows(needle.len()).position(|w| w == needle)
    }

    /// The original text around `text[start..end]`, on one line.
    pub(super) fn excerpt(&self, start: usize, end: usize) -> (String, String) {
        let from = self.at[start];
        let to = self.at[end - 1] + 1;
        let matched: String = self.original[from..to].iter().collect();
        let a = from.saturating_sub(CONTEXT);
        let b = (to + CONTEXT).min(self.original.len());
        let mut excerpt = String::new();
        if a > 0 {
            excerpt.push('…');
        }
        excerpt.extend(self.original[a..b].iter());
        if b < self.original.len() {
            excerpt.push('…');
        }
        (one_line(&matched), one_line(&excerpt))
    }
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn needle(s: &str) -> Vec<char> {
    Normalized::new(s).text
}

/// The first of the candidate texts found, on the earliest page.
pub(super) fn find_any(candidates: &[String], pages: &[Normalized]) -> Finding {
    for (n, page) in pages.iter().enumerate() {
        for c in candidates {
            let needle = needle(c);
            if let Some(start) = page.find(&needle) {
                let (matched, excerpt) = page.excerpt(start, start + needle.len());
                return Finding::Found { page: n + 1, matched, excerpt };
            }
        }
    }
    Finding::Missing
}
