//! The public List (Annex 2) as a table on A4 landscape.
//!
//! The List may hold 100,000 rows, so the two passes keep almost nothing: the first only
//! measures row heights and records where each page starts (a row and, for a row taller than a
//! page, a line within it); the second wraps each row again while drawing it. The rows themselves
//! may be made on demand ([`table_of`]). Memory is then krilla's document (content streams and one
//! structure element per cell), roughly linear in the number of rows: about 800 MB at its peak, when
//! krilla writes the file, for 100,000 rows (23,500 pages).
//!
//! The header row is drawn on every page; on the first page it is the table's real header
//! (`THead`/`TH`), on later pages a pagination artifact, so a screen reader reads it once.

use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, Identifier, Node, TableHeaderScope, Tag, TagGroup, TagTree};

use crate::fonts::Weight;
use crate::page::{self, PageBox};
use crate::text::{self, Line, Style};
use crate::{Meta, PdfError};

const TITLE: Style = Style::new(Weight::Bold, 14.0);
const SUBTITLE: Style = Style::new(Weight::Regular, 10.0);
const HEADER: Style = Style::new(Weight::Bold, 8.0);
const CELL: Style = Style::new(Weight::Regular, 8.0);
const PAD_X: f32 = 3.0;
const PAD_Y: f32 = 2.5;
const AFTER_TITLE: f32 = 8.0;

/// A column: its header title and its width relative to the other columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub width: f32,
}

impl Column {
    pub fn new(title: impl Into<String>, width: f32) -> Self {
        Self { title: title.into(), width }
    }
}

/// Everything about the table except its rows. `meta.footer` is the edition text shown in every
/// footer; `meta.title` is drawn above the table on the first page, followed by `subtitle`.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSpec {
    pub meta: Meta,
    pub subtitle: String,
    pub columns: Vec<Column>,
}

/// Renders `rows` (each exactly one string per column; empty strings are fine) as a paginated,
/// tagged PDF/UA-1 table on A4 landscape.
pub fn table<R, S>(spec: &TableSpec, rows: &[R]) -> Result<Vec<u8>, PdfError>
where
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    table_of(spec, rows.len(), |i| &rows[i])
}

/// [`table`] with its `rows` rows made by `cells_of(row)` when needed rather than held: each row is
/// made twice (once to measure, once to draw) and let go, so a List of 100,000 entries need not be
/// copied into cells first.
pub fn table_of<R, S>(spec: &TableSpec, rows: usize, cells_of: impl Fn(usize) -> R) -> Result<Vec<u8>, PdfError>
where
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let grid = Grid::new(&spec.columns, &PageBox::A4_LANDSCAPE)?;
    let titles: Vec<&str> = spec.columns.iter().map(|c| c.title.as_str()).collect();
    let title = text::wrap(&spec.meta.title, TITLE, grid.page.content_width());
    let subtitle = if spec.subtitle.is_empty() {
        Vec::new()
    } else {
        text::wrap(&spec.subtitle, SUBTITLE, grid.page.content_width())
    };
    let title_height =
        title.len() as f32 * TITLE.line_height() + subtitle.len() as f32 * SUBTITLE.line_height() + AFTER_TITLE;
    let header_height = grid.row_height(grid.line_count(&titles, HEADER), HEADER);
    let body_top_first = grid.page.margin_top + title_height + header_height;
    let body_top = grid.page.margin_top + header_height;

    let starts = paginate(&grid, rows, &cells_of, body_top_first, body_top)?;
    let count = starts.len();

    let mut document = page::new_document();
    let mut title_ids = Vec::new();
    let mut subtitle_ids = Vec::new();
    let mut head = TagGroup::new(Tag::TR);
    let mut body = TagGroup::new(Tag::TBody);
    let mut open_row: Option<(usize, Vec<Vec<Identifier>>)> = None;

    for (index, &start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(Cursor { row: rows, line: 0 });
        let mut pdf_page = document.start_page_with(grid.page.settings());
        let mut surface = pdf_page.surface();
        let mut y = grid.page.margin_top;
        if index == 0 {
            for line in &title {
                title_ids.push(page::draw_tagged(&mut surface, line, TITLE, grid.page.margin_x, y));
                y += TITLE.line_height();
            }
            for line in &subtitle {
                let id = page::draw_tagged(&mut surface, line, SUBTITLE, grid.page.margin_x, y);
                subtitle_ids.push(id);
                y += SUBTITLE.line_height();
            }
            y += AFTER_TITLE;
        }
        let (header_ids, _) = grid.draw_row(&mut surface, &titles, HEADER, y, 0..usize::MAX, index > 0);
        if index == 0 {
            for ids in header_ids {
                let nodes = ids.into_iter().map(Node::from).collect();
                head.push(TagGroup::with_children(Tag::TH(TableHeaderScope::Column), nodes));
            }
        }
        y += header_height;
        let mut rules = vec![(y, grid.left(), grid.right())];

        let last = if end.line > 0 { end.row + 1 } else { end.row };
        for row in start.row..last.min(rows) {
            let cells = cells_of(row);
            let from = if row == start.row { start.line } else { 0 };
            let to = if row == end.row { end.line } else { usize::MAX };
            let cells = cells.as_ref();
            let (ids, drawn) = grid.draw_row(&mut surface, cells, CELL, y, from..to, false);
            y += grid.row_height(drawn, CELL);
            rules.push((y, grid.left(), grid.right()));
            match &mut open_row {
                Some((open, cell_ids)) if *open == row => {
                    for (cell, more) in cell_ids.iter_mut().zip(ids) {
                        cell.extend(more);
                    }
                }
                _ => {
                    if let Some((_, done)) = open_row.replace((row, ids)) {
                        body.push(table_row(done));
                    }
                }
            }
        }
        page::draw_rules(&mut surface, &rules, 0.4);
        page::draw_footer(&mut surface, &grid.page, &spec.meta, index + 1, count);
        surface.finish();
        pdf_page.finish();
    }
    if let Some((_, done)) = open_row {
        body.push(table_row(done));
    }

    let mut tags = TagTree::new();
    let title_text = Some(spec.meta.title.clone());
    let heading_level = std::num::NonZeroU16::MIN;
    let title_nodes = title_ids.into_iter().map(Node::from).collect();
    tags.push(TagGroup::with_children(Tag::Hn(heading_level, title_text), title_nodes));
    if !subtitle_ids.is_empty() {
        tags.push(TagGroup::with_children(Tag::P, subtitle_ids.into_iter().map(Node::from).collect()));
    }
    let mut table = TagGroup::new(Tag::Table);
    table.push(TagGroup::with_children(Tag::THead, vec![head.into()]));
    table.push(body);
    tags.push(table);

    let mut outline = Outline::new();
    let anchor = Point::from_xy(grid.page.margin_x, grid.page.margin_top);
    let title = spec.meta.title.replace('\n', " ");
    outline.push_child(OutlineNode::new(title, XyzDestination::new(0, anchor)));
    page::finish(document, &spec.meta, tags, outline)
}

/// A row of the tag tree. Its cells are collected at their exact number (pushing one by one would
/// leave room for 16 nodes of 88 bytes per row: 50 MB more at 100,000 rows).
fn table_row(cells: Vec<Vec<Identifier>>) -> TagGroup {
    let cells =
        cells.into_iter().map(|ids| TagGroup::with_children(Tag::TD, ids.into_iter().map(Node::from).collect()));
    TagGroup::with_children(Tag::TR, cells.map(Node::from).collect())
}

/// Where a page starts: a row, and the first line of that row drawn there (non-zero only when
/// a row taller than a page is continued).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    row: usize,
    line: usize,
}

/// The first pass: only heights, giving the start of every page; also checks that every row has
/// one cell per column.
fn paginate<R, S>(
    grid: &Grid,
    rows: usize,
    cells_of: &impl Fn(usize) -> R,
    body_top_first: f32,
    body_top: f32,
) -> Result<Vec<Cursor>, PdfError>
where
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let bottom = grid.page.content_bottom;
    let line = CELL.line_height();
    let mut starts = vec![Cursor { row: 0, line: 0 }];
    let mut y = body_top_first;
    let mut page_is_empty = true;
    for row in 0..rows {
        let cells = cells_of(row);
        let cells = cells.as_ref();
        if cells.len() != grid.columns.len() {
            return Err(PdfError::RowLength { row, found: cells.len(), expected: grid.columns.len() });
        }
        let lines = grid.line_count(cells, CELL);
        let height = grid.row_height(lines, CELL);
        if y + height <= bottom {
            y += height;
            page_is_empty = false;
            continue;
        }
        if !page_is_empty && body_top + height <= bottom {
            starts.push(Cursor { row, line: 0 });
            y = body_top + height;
            continue;
        }
        // Taller than what is left even on a fresh page: split it between lines. A page that
        // holds nothing yet takes at least one line, so this always ends.
        let mut done = 0;
        loop {
            let fit = ((bottom - y - 2.0 * PAD_Y) / line).floor().max(0.0) as usize;
            let fit = if page_is_empty { fit.max(1) } else { fit };
            if done + fit >= lines {
                y += grid.row_height(lines - done, CELL);
                page_is_empty = false;
                break;
            }
            done += fit;
            // A split at line 0 means the row starts on the next page.
            starts.push(Cursor { row, line: done });
            y = body_top;
            page_is_empty = true;
        }
    }
    Ok(starts)
}

/// Column geometry on a page.
struct Grid {
    page: PageBox,
    /// Left edge and width of each column.
    columns: Vec<(f32, f32)>,
}

impl Grid {
    fn new(columns: &[Column], page: &PageBox) -> Result<Self, PdfError> {
        if columns.is_empty() {
            return Err(PdfError::NoColumns);
        }
        for (column, c) in columns.iter().enumerate() {
            if !(c.width.is_finite() && c.width > 0.0) {
                return Err(PdfError::ColumnWidth { column, width: c.width });
            }
        }
        let total: f32 = columns.iter().map(|c| c.width).sum();
        let mut x = page.margin_x;
        let columns = columns
            .iter()
            .map(|c| {
                let width = c.width / total * page.content_width();
                let left = x;
                x += width;
                (left, width)
            })
            .collect();
        Ok(Self { page: *page, columns })
    }

    fn left(&self) -> f32 {
        self.page.margin_x
    }

    fn right(&self) -> f32 {
        self.page.margin_x + self.page.content_width()
    }

    fn text_width(width: f32) -> f32 {
        (width - 2.0 * PAD_X).max(1.0)
    }

    /// Lines of the tallest cell (at least one).
    fn line_count<S: AsRef<str>>(&self, cells: &[S], style: Style) -> usize {
        cells
            .iter()
            .zip(&self.columns)
            .map(|(cell, &(_, width))| text::line_count(cell.as_ref(), style, Self::text_width(width)))
            .max()
            .unwrap_or(1)
    }

    fn row_height(&self, lines: usize, style: Style) -> f32 {
        lines.max(1) as f32 * style.line_height() + 2.0 * PAD_Y
    }

    /// Draws lines `range` of each cell with the row's top at `top`; returns each cell's span ids
    /// (one per cell, none for an artifact row) and the most lines drawn in one cell.
    fn draw_row<S: AsRef<str>>(
        &self,
        surface: &mut Surface<'_>,
        cells: &[S],
        style: Style,
        top: f32,
        range: std::ops::Range<usize>,
        artifact: bool,
    ) -> (Vec<Vec<Identifier>>, usize) {
        let mut all = Vec::with_capacity(cells.len());
        let mut drawn = 0;
        for (cell, &(left, width)) in cells.iter().zip(&self.columns) {
            let lines: Vec<Line> = text::wrap(cell.as_ref(), style, Self::text_width(width));
            let mut ids = Vec::new();
            let end = range.end.min(lines.len());
            drawn = drawn.max(end.saturating_sub(range.start));
            let shown = lines.get(range.start..end).unwrap_or_default();
            let tops = (0..).map(|k| top + PAD_Y + k as f32 * style.line_height());
            if artifact {
                for (line, y) in shown.iter().zip(tops) {
                    page::draw_artifact(surface, line, style, left + PAD_X, y, ArtifactType::Header);
                }
            } else {
                // One span per cell (an empty cell gets an empty one, so it keeps its place).
                ids.push(page::draw_tagged_lines(surface, shown.iter().zip(tops), style, left + PAD_X));
            }
            all.push(ids);
        }
        (all, drawn)
    }
}
