//! An Atom feed (RFC 4287) of published editions, so that readers and harvesters learn of a new
//! edition without polling every body.

/// One published edition, as a feed entry. Texts are in the feed's language, chosen by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub body_code: String,
    pub body_name: String,
    pub number: u32,
    /// RFC 3339 with offset, as in the manifest: `2026-06-05T10:12:03+05:00`.
    pub published_at: String,
    /// The edition's permanent page or manifest URL; also the entry's id, since it never changes.
    pub url: String,
    /// What changed, for people: "2 added, 1 excluded".
    pub summary: String,
}

/// The `<updated>` of a feed without entries: RFC 4287 requires one, and nothing has changed yet.
const NEVER: &str = "1970-01-01T00:00:00Z";

/// The Atom document of `entries` (newest first is the caller's order to choose; Atom does not
/// require one). The feed's `<updated>` is the latest `published_at` as an instant. Each entry's author
/// is its body, so the feed itself needs none (RFC 4287 §4.1.1).
pub fn atom_feed(feed_id: &str, title: &str, self_url: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .iter()
        .max_by_key(|e| e.published_at.parse::<jiff::Timestamp>().ok())
        .map_or(NEVER, |e| e.published_at.as_str());
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <id>{}</id>\n", escape(feed_id)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", escape(updated)));
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(self_url)));
    xml.push_str("  <generator>Senim</generator>\n");
    for e in entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&e.url)));
        xml.push_str(&format!("    <title>{} — № {}</title>\n", escape(&e.body_name), e.number));
        xml.push_str(&format!("    <updated>{}</updated>\n", escape(&e.published_at)));
        xml.push_str(&format!("    <published>{}</published>\n", escape(&e.published_at)));
        xml.push_str(&format!("    <author><name>{}</name></author>\n", escape(&e.body_name)));
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            escape(&e.body_code),
            escape(&e.body_name)
        ));
        xml.push_str(&format!("    <link rel=\"alternate\" href=\"{}\"/>\n", escape(&e.url)));
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `text` safe in XML character data and in double- or single-quoted attributes. Characters XML 1.0
/// forbids (C0 controls other than tab, LF, CR) are dropped: no escape can carry them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
