//! The HTML rendering: one standalone HTML5 page per language.
//!
//! It is stored and served byte-identical forever and matched by hash, so it depends on nothing but
//! its inputs: no scripts, no external stylesheet or font, no generation time. A small `<style>`
//! element makes the table readable; the table has a caption and column headers with `scope` for
//! screen readers (WCAG 2.1 AA is a project bar).

use senim_domain::annex2::{Annex2Entry, BodyRef};
use senim_domain::lang::Lang;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4}\
table{border-collapse:collapse}\
th,td{border:1px solid #555;padding:.25rem .5rem;text-align:left;vertical-align:top}\
td{white-space:pre-line}";

/// Page texts that are not column titles.
pub(super) struct Labels {
    pub(super) list: &'static str,
    published: &'static str,
}

pub(super) fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Kk => Labels {
            list: "Қауіп-қатер дәрежесі жоғары жасанды интеллектінің сенімді жүйелерінің тізбесі",
            published: "Жарияланған уақыты",
        },
        Lang::Ru => Labels {
            list: "Перечень доверенных систем искусственного интеллекта высокой степени риска",
            published: "Опубликовано",
        },
        Lang::En => Labels { list: "List of trusted high-risk AI systems", published: "Published" },
    }
}

fn edition_label(lang: Lang, edition: u32) -> String {
    match lang {
        Lang::Kk => format!("{edition}-редакция"),
        Lang::Ru => format!("Редакция № {edition}"),
        Lang::En => format!("Edition {edition}"),
    }
}

/// The HTML page of an edition's `entries` in `lang`.
pub fn html(entries: &[Annex2Entry], body: &BodyRef, edition: u32, published_at: &str, lang: Lang) -> Vec<u8> {
    let labels = labels(lang);
    let body_name = escape(body.name.best(lang));
    let list = escape(labels.list);
    let edition = escape(&edition_label(lang, edition));
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n");
    page.push_str(&format!("<html lang=\"{}\">\n<head>\n", lang.code()));
    page.push_str("<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(&format!("<title>{list} — {body_name}, {edition}</title>\n"));
    page.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"));
    page.push_str(&format!("<h1>{list}</h1>\n<p>{body_name}</p>\n"));
    page.push_str(&format!(
        "<p>{edition}. {}: <time datetime=\"{}\">{}</time></p>\n",
        escape(labels.published),
        escape(published_at),
        escape(&published_at.replacen('T', " ", 1)),
    ));
    page.push_str(&format!("<table>\n<caption>{body_name}, {edition}</caption>\n<thead>\n<tr>"));
    for title in super::header(lang) {
        page.push_str(&format!("<th scope=\"col\">{}</th>", escape(title)));
    }
    page.push_str("</tr>\n</thead>\n<tbody>\n");
    for entry in entries {
        page.push_str("<tr>");
        for cell in super::row(entry, lang) {
            page.push_str(&format!("<td>{}</td>", escape(&cell)));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    page.into_bytes()
}

/// Escapes text for element content and double- or single-quoted attribute values.
///
/// Control characters other than tab, LF and CR, and Unicode noncharacters, are parse errors in an
/// HTML document; they are replaced by U+FFFD so that a stray one in a submission cannot make the
/// page invalid.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// U+FDD0..U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// The List's title, "List of trusted high-risk AI systems", as the HTML page heads it.
pub fn list_title(lang: Lang) -> &'static str {
    labels(lang).list
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_controls_are_neutralised() {
        assert_eq!(escape("<script>alert('x&y')</script>"), "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;");
        assert_eq!(escape("a\"b"), "a&quot;b");
        assert_eq!(escape("Қ\u{0}\u{7f}\u{FFFF}\n"), "Қ\u{FFFD}\u{FFFD}\u{FFFD}\n");
    }
}
