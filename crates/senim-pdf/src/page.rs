//! What the form document and the table have in common: page geometry, PDF/UA settings and
//! metadata, drawing a tagged line, rules and the footer.

use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::Outline;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag, TagTree};
use krilla::{Document, SerializeSettings};

use crate::fonts::Weight;
use crate::text::{self, Line, Style};
use crate::{Meta, PdfError};

/// Size of the footer text.
const FOOTER: Style = Style::new(Weight::Regular, 8.0);

/// A page size with its margins, in points (1/72 inch), y growing downwards as in krilla.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageBox {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) margin_x: f32,
    pub(crate) margin_top: f32,
    /// Where content must stop, leaving room for the footer.
    pub(crate) content_bottom: f32,
}

const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;

impl PageBox {
    pub(crate) const A4_PORTRAIT: PageBox = PageBox::new(A4_SHORT, A4_LONG, 56.7);
    pub(crate) const A4_LANDSCAPE: PageBox = PageBox::new(A4_LONG, A4_SHORT, 36.0);

    const fn new(width: f32, height: f32, margin: f32) -> Self {
        Self { width, height, margin_x: margin, margin_top: margin, content_bottom: height - margin - 18.0 }
    }

    pub(crate) fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }

    pub(crate) fn settings(&self) -> PageSettings {
        PageSettings::from_wh(self.width, self.height).expect("A4 has a positive size")
    }

    fn footer_top(&self) -> f32 {
        self.height - self.margin_top + 4.0
    }
}

/// A krilla document that refuses to finish unless it is valid PDF/UA-1: tagged, titled, with
/// a language, an outline and no `.notdef` glyphs.
pub(crate) fn new_document() -> Document {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .expect("PDF/UA-1 alone is a valid configuration");
    Document::new_with(SerializeSettings { configuration, enable_tagging: true, ..SerializeSettings::default() })
}

/// Sets metadata, tags and outline, and serialises. Everything comes from the caller's input,
/// so identical input gives identical bytes (krilla derives the file id from the content).
pub(crate) fn finish(
    mut document: Document,
    meta: &Meta,
    mut tags: TagTree,
    outline: Outline,
) -> Result<Vec<u8>, PdfError> {
    if meta.title.trim().is_empty() {
        return Err(PdfError::NoTitle);
    }
    let date = meta.created;
    let created = DateTime::new(date.year().try_into().map_err(|_| PdfError::Date(date))?)
        .month(date.month().try_into().map_err(|_| PdfError::Date(date))?)
        .day(date.day().try_into().map_err(|_| PdfError::Date(date))?);
    document.set_metadata(
        Metadata::new()
            .title(meta.title.clone())
            .language(meta.lang.tag().to_owned())
            .creation_date(created)
            .creator("Senim".to_owned())
            .producer("senim-pdf (krilla)".to_owned()),
    );
    tags.lang = Some(meta.lang.tag().to_owned());
    document.set_tag_tree(tags);
    document.set_outline(outline);
    document.finish().map_err(PdfError::Export)
}

/// Draws `line` with its top at `top` as one marked-content span and returns the identifier to
/// hang in the tag tree. An empty line still yields an (empty) span so that, say, an empty
/// table cell keeps its place in the structure.
pub(crate) fn draw_tagged(surface: &mut Surface<'_>, line: &Line, style: Style, x: f32, top: f32) -> Identifier {
    draw_tagged_lines(surface, [(line, top)], style, x)
}

/// Draws several lines (each with its top) as one marked-content span: a table cell's lines on one
/// page. A List of 100,000 entries has millions of lines; one span per cell rather than per line
/// keeps the structure tree, the parent tree and the content streams a third of the size.
pub(crate) fn draw_tagged_lines<'a>(
    surface: &mut Surface<'_>,
    lines: impl IntoIterator<Item = (&'a Line, f32)>,
    style: Style,
    x: f32,
) -> Identifier {
    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
    for (line, top) in lines {
        draw_glyphs(surface, line, style, x, top);
    }
    surface.end_tagged();
    id
}

/// Draws `line` as an artifact: content a screen reader should skip (repeated headers,
/// footers).
pub(crate) fn draw_artifact(
    surface: &mut Surface<'_>,
    line: &Line,
    style: Style,
    x: f32,
    top: f32,
    kind: ArtifactType,
) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    draw_glyphs(surface, line, style, x, top);
    surface.end_tagged();
}

fn draw_glyphs(surface: &mut Surface<'_>, line: &Line, style: Style, x: f32, top: f32) {
    if line.glyphs.is_empty() {
        return;
    }
    surface.draw_glyphs(
        Point::from_xy(x, top + style.baseline_offset()),
        &line.glyphs,
        style.weight.face().pdf.clone(),
        &line.text,
        style.size,
        false,
    );
}

/// Draws horizontal rules (`y`, `x0`, `x1`) as one layout artifact.
pub(crate) fn draw_rules(surface: &mut Surface<'_>, rules: &[(f32, f32, f32)], width: f32) {
    let mut path = PathBuilder::new();
    for &(y, x0, x1) in rules {
        path.move_to(x0, y);
        path.line_to(x1, y);
    }
    let Some(path) = path.finish() else {
        return;
    };
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
    surface.set_stroke(Some(Stroke {
        paint: krilla::color::rgb::Color::new(140, 140, 140).into(),
        width,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    surface.end_tagged();
}

/// The footer: the caller's text on the left, "page p / N" on the right, both artifacts.
pub(crate) fn draw_footer(surface: &mut Surface<'_>, page_box: &PageBox, meta: &Meta, page: usize, pages: usize) {
    let top = page_box.footer_top();
    let label = meta.page_label.replace("{page}", &page.to_string()).replace("{pages}", &pages.to_string());
    let right = text::single_line(&label, FOOTER);
    let right_x = page_box.width - page_box.margin_x - right.width;
    draw_artifact(surface, &right, FOOTER, right_x, top, ArtifactType::Footer);
    if !meta.footer.is_empty() {
        // The caller's text must not run into the page number.
        let room = (right_x - page_box.margin_x - 12.0).max(FOOTER.size);
        if let Some(left) = text::wrap(&meta.footer.replace('\n', " "), FOOTER, room).first() {
            draw_artifact(surface, left, FOOTER, page_box.margin_x, top, ArtifactType::Footer);
        }
    }
}
