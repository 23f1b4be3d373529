//! Shaping and word wrap.
//!
//! Text is shaped once with rustybuzz and the same glyphs are both measured and drawn, so a line
//! that was measured to fit is exactly the line that is drawn. Breaks go after spaces and hyphens;
//! a word wider than the column is broken between characters rather than overflowing into the
//! next column. Hard line breaks (`'\n'`) in the input are kept.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use krilla::text::{GlyphId, KrillaGlyph};

use crate::fonts::Weight;

/// Font size and weight of a run of text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub(crate) weight: Weight,
    pub(crate) size: f32,
}

impl Style {
    pub(crate) const fn new(weight: Weight, size: f32) -> Self {
        Self { weight, size }
    }

    /// Distance between two baselines.
    pub(crate) fn line_height(self) -> f32 {
        self.size * 1.25
    }

    /// Distance from the top of a line box to its baseline: the glyph box (ascender to
    /// descender) centred in the line height.
    pub(crate) fn baseline_offset(self) -> f32 {
        let face = self.weight.face();
        let glyph_box = (face.ascender - face.descender) * self.size;
        (self.line_height() - glyph_box) / 2.0 + face.ascender * self.size
    }
}

/// One laid-out line: its text, the glyphs that draw it (ranges relative to `text`) and the
/// width of its visible part (trailing spaces excluded).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) width: f32,
}

/// A cluster of glyphs that stands for one indivisible piece of text.
struct Cluster {
    bytes: Range<usize>,
    glyphs: Range<usize>,
    width: f32,
    is_space: bool,
    break_after: bool,
}

/// Text shaped into glyphs, grouped into clusters.
struct Shaped<'t> {
    text: Cow<'t, str>,
    glyphs: Vec<KrillaGlyph>,
    clusters: Vec<Cluster>,
}

/// Lays `text` out in lines no wider than `max_width` points.
pub(crate) fn wrap(text: &str, style: Style, max_width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let shaped = shape_cached(paragraph, style);
        for range in break_lines(&shaped.clusters, max_width) {
            lines.push(build_line(&shaped, range));
        }
    }
    lines
}

/// How many lines [`wrap`] would produce, without building them: the first pagination pass
/// only needs heights.
pub(crate) fn line_count(text: &str, style: Style, max_width: f32) -> usize {
    text.split('\n').map(|paragraph| break_lines(&shape_cached(paragraph, style).clusters, max_width).len()).sum()
}

/// One line that is never wrapped (footers, page numbers).
pub(crate) fn single_line(text: &str, style: Style) -> Line {
    let shaped = shape_cached(text, style);
    let all = 0..shaped.clusters.len();
    build_line(&shaped, all)
}

/// Replaces what the font cannot draw: control characters go (a tab becomes a space), characters
/// without a glyph become the replacement character.
fn sanitize(text: &str, weight: Weight) -> Cow<'_, str> {
    let face = weight.face();
    let clean = |c: char| (' '..='~').contains(&c) || (!c.is_control() && face.has_glyph(c));
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if c.is_control() => None,
                c if face.has_glyph(c) => Some(c),
                _ => Some(face.replacement),
            })
            .collect(),
    )
}

/// Text shaped already on this thread, by (weight, size, text). A List repeats the same texts (its
/// body's name, areas, auditors, dates, owners) in thousands of rows, and every cell is shaped twice:
/// once measured for pagination, once drawn. Bounded by the bytes of text it holds: full, it starts
/// over.
struct ShapeCache {
    map: HashMap<(Weight, u32, Box<str>), Rc<Shaped<'static>>>,
    /// What the entries hold, roughly: text, glyphs and clusters.
    bytes: usize,
}

/// Per rendering thread.
const SHAPE_CACHE_BYTES: usize = 48 * 1024 * 1024;

thread_local! {
    static SHAPED: RefCell<ShapeCache> = RefCell::new(ShapeCache { map: HashMap::new(), bytes: 0 });
}

/// [`shape`] through the thread's [`ShapeCache`]: the same glyphs and widths, computed once.
fn shape_cached(paragraph: &str, style: Style) -> Rc<Shaped<'static>> {
    let key = (style.weight, style.size.to_bits(), Box::<str>::from(paragraph));
    SHAPED.with(|cache| {
        if let Some(hit) = cache.borrow().map.get(&key) {
            return hit.clone();
        }
        let shaped = shape(paragraph, style);
        let owned = Rc::new(Shaped {
            text: Cow::Owned(shaped.text.into_owned()),
            glyphs: shaped.glyphs,
            clusters: shaped.clusters,
        });
        let size = 2 * paragraph.len()
            + owned.glyphs.len() * std::mem::size_of::<KrillaGlyph>()
            + owned.clusters.len() * std::mem::size_of::<Cluster>();
        let mut cache = cache.borrow_mut();
        if cache.bytes + size > SHAPE_CACHE_BYTES {
            cache.map.clear();
            cache.bytes = 0;
        }
        cache.bytes += size;
        cache.map.insert(key, owned.clone());
        owned
    })
}

fn shape(paragraph: &str, style: Style) -> Shaped<'_> {
    let text = sanitize(paragraph, style.weight);
    let face = style.weight.face();
    if text.is_empty() {
        return Shaped { text, glyphs: Vec::new(), clusters: Vec::new() };
    }
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(&text);
    buffer.guess_segment_properties();
    // Kazakh, Russian and English are all left to right; forcing it keeps clusters in order.
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    let output = face.shape(buffer);
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let upem = face.units_per_em;

    let mut glyphs = Vec::with_capacity(infos.len());
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        let end = infos[i + 1..]
            .iter()
            .map(|next| next.cluster as usize)
            .find(|&next| next != start)
            .unwrap_or(text.len())
            .max(start);
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(info.glyph_id),
            pos.x_advance as f32 / upem,
            pos.x_offset as f32 / upem,
            pos.y_offset as f32 / upem,
            pos.y_advance as f32 / upem,
            start..end,
            None,
        ));
        let width = pos.x_advance as f32 / upem * style.size;
        match clusters.last_mut() {
            Some(last) if last.bytes.start == start => {
                last.glyphs.end = i + 1;
                last.width += width;
            }
            _ => {
                let piece = &text[start..end];
                clusters.push(Cluster {
                    bytes: start..end,
                    glyphs: i..i + 1,
                    width,
                    is_space: piece.chars().all(char::is_whitespace),
                    break_after: piece.ends_with(['-', '/', '\u{2013}', '\u{2014}']),
                });
            }
        }
    }
    Shaped { text, glyphs, clusters }
}

/// Greedy line breaking over clusters. Returns cluster ranges, at least one (an empty paragraph
/// is one empty line). Spaces hang past the right edge and stay with the line they end, so the
/// extracted text keeps its word breaks.
fn break_lines(clusters: &[Cluster], max_width: f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut x = 0.0_f32;
    // The last cluster after which the current line may end.
    let mut last_break: Option<usize> = None;
    let mut i = 0;
    while i < clusters.len() {
        let cluster = &clusters[i];
        if cluster.is_space {
            x += cluster.width;
            last_break = Some(i);
            i += 1;
            continue;
        }
        if x + cluster.width > max_width && i > start {
            match last_break.take() {
                Some(b) => {
                    lines.push(start..b + 1);
                    start = b + 1;
                    x = clusters[start..i].iter().map(|c| c.width).sum();
                    // Re-examine cluster `i` on the new line: the word may still be too wide.
                    continue;
                }
                None => {
                    lines.push(start..i);
                    start = i;
                    x = 0.0;
                }
            }
        }
        x += cluster.width;
        if cluster.break_after {
            last_break = Some(i);
        }
        i += 1;
    }
    if start < clusters.len() || lines.is_empty() {
        lines.push(start..clusters.len());
    }
    lines
}

fn build_line(shaped: &Shaped<'_>, range: Range<usize>) -> Line {
    let clusters = &shaped.clusters[range];
    let (Some(first), Some(last)) = (clusters.first(), clusters.last()) else {
        return Line { text: String::new(), glyphs: Vec::new(), width: 0.0 };
    };
    let offset = first.bytes.start;
    let text = shaped.text[offset..last.bytes.end].to_owned();
    let glyphs = shaped.glyphs[first.glyphs.start..last.glyphs.end]
        .iter()
        .map(|g| {
            let mut g = g.clone();
            g.text_range = g.text_range.start - offset..g.text_range.end - offset;
            g
        })
        .collect();
    let visible = clusters.len() - clusters.iter().rev().take_while(|c| c.is_space).count();
    let width = clusters[..visible].iter().map(|c| c.width).sum();
    Line { text, glyphs, width }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Weight::Regular, 10.0);

    #[test]
    fn a_long_word_is_broken_to_fit() {
        let word = "Қ".repeat(200);
        let lines = wrap(&word, BODY, 100.0);
        assert!(lines.len() > 5, "{} lines", lines.len());
        assert!(lines.iter().all(|l| l.width <= 100.0));
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, word);
    }

    #[test]
    fn words_wrap_at_spaces_and_keep_them() {
        let text = "Қазақстан Республикасы Денсаулық сақтау министрлігі";
        let lines = wrap(text, BODY, 120.0);
        assert!(lines.len() >= 2);
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, text);
        assert!(lines[0].text.ends_with(' '));
        assert!(lines.iter().all(|l| l.width <= 120.0));
        assert_eq!(lines.len(), line_count(text, BODY, 120.0));
    }

    #[test]
    fn hard_breaks_and_empty_lines_are_kept() {
        let lines = wrap("a\n\nb", BODY, 100.0);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "", "b"]);
    }

    #[test]
    fn characters_the_font_lacks_are_replaced_not_dropped() {
        let line = single_line("a\u{4E2D}b\u{7}", BODY);
        assert_eq!(line.text, "a\u{FFFD}b");
    }
}
