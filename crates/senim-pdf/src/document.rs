//! Form-like documents on A4 portrait: the filled-in application form (Annex 1) and the notice of
//! nonconformity. A flow of headings, paragraphs and label/value fields.
//!
//! Layout is done completely before anything is drawn, so the number of pages is known when the
//! footers ("page p / N") are drawn. These documents are a few pages, so the laid-out lines are
//! simply kept in memory between the two passes.

use std::num::NonZeroU16;

use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use krilla::tagging::{Identifier, Node, TableHeaderScope, Tag, TagGroup, TagKind, TagTree};

use crate::fonts::Weight;
use crate::page::{self, PageBox};
use crate::text::{self, Line, Style};
use crate::{Meta, PdfError};

const HEADING: Style = Style::new(Weight::Bold, 16.0);
const SUBHEADING: Style = Style::new(Weight::Bold, 12.5);
const BODY: Style = Style::new(Weight::Regular, 10.5);
const LABEL: Style = Style::new(Weight::Bold, 10.0);
const VALUE: Style = Style::new(Weight::Regular, 10.0);
/// Share of the content width taken by field labels.
const LABEL_SHARE: f32 = 0.35;
const GUTTER: f32 = 10.0;
const FIELD_PADDING: f32 = 3.0;
const SPACER: f32 = 12.0;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    Field { label: String, value: String },
    Spacer,
}

/// A form-like document. Build it with the block methods (they chain), then [`render`].
///
/// [`render`]: Document::render
#[derive(Clone, Debug)]
pub struct Document {
    meta: Meta,
    blocks: Vec<Block>,
}

impl Document {
    pub fn new(meta: Meta) -> Self {
        Self { meta, blocks: Vec::new() }
    }

    /// A level-1 heading; it also becomes a top-level outline entry. A blank heading is
    /// ignored: PDF/UA forbids a heading without text.
    pub fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.blocks.push(Block::Heading(text));
        }
        self
    }

    /// A level-2 heading, nested in the outline under the preceding heading. A blank one is
    /// ignored.
    pub fn subheading(&mut self, text: impl Into<String>) -> &mut Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.blocks.push(Block::Subheading(text));
        }
        self
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    /// A bold label in the left column (35 %) and its value wrapping in the right one. `'\n'` in
    /// the value starts a new line; a row may continue on the next page. Consecutive fields form
    /// one two-column table in the tag tree, each label a row header.
    pub fn field(&mut self, label: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Field { label: label.into(), value: value.into() });
        self
    }

    /// Vertical space.
    pub fn spacer(&mut self) -> &mut Self {
        self.blocks.push(Block::Spacer);
        self
    }

    /// Lays out, paginates and serialises the document as PDF/UA-1.
    pub fn render(&self) -> Result<Vec<u8>, PdfError> {
        let page_box = PageBox::A4_PORTRAIT;
        let pages = layout(&self.blocks, &page_box);
        let mut ids: Vec<BlockIds> = self.blocks.iter().map(|_| BlockIds::default()).collect();
        let mut anchors: Vec<Option<(usize, f32)>> = vec![None; self.blocks.len()];

        let mut document = page::new_document();
        let count = pages.len();
        for (index, items) in pages.iter().enumerate() {
            let mut pdf_page = document.start_page_with(page_box.settings());
            let mut surface = pdf_page.surface();
            for item in items {
                let id = page::draw_tagged(&mut surface, &item.line, item.style, item.x, item.top);
                let slot = &mut ids[item.block];
                match item.role {
                    Role::Main => slot.main.push(id),
                    Role::Value => slot.value.push(id),
                }
                anchors[item.block].get_or_insert((index, item.top));
            }
            page::draw_footer(&mut surface, &page_box, &self.meta, index + 1, count);
            surface.finish();
            pdf_page.finish();
        }

        let tags = tag_tree(&self.blocks, ids);
        let outline = outline(&self.meta, &self.blocks, &anchors, page_box.margin_x);
        page::finish(document, &self.meta, tags, outline)
    }
}

/// Which part of a block a line belongs to: fields have two (label, value), others one.
#[derive(Clone, Copy, Debug)]
enum Role {
    Main,
    Value,
}

/// A line placed on a page.
struct Item {
    block: usize,
    role: Role,
    line: Line,
    style: Style,
    x: f32,
    top: f32,
}

#[derive(Default)]
struct BlockIds {
    main: Vec<Identifier>,
    value: Vec<Identifier>,
}

/// The first pass: every line gets a page and a position. Lines are never split; a block
/// simply continues on the next page where the current one is full.
fn layout(blocks: &[Block], page_box: &PageBox) -> Vec<Vec<Item>> {
    let width = page_box.content_width();
    let label_width = width * LABEL_SHARE;
    let value_x = page_box.margin_x + label_width + GUTTER;
    let value_width = width - label_width - GUTTER;

    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = page_box.margin_top;
    // Starts a new page if `height` does not fit below `y`; never on an empty page, so a
    // single line taller than a page cannot loop forever.
    let room = |pages: &mut Vec<Vec<Item>>, y: &mut f32, height: f32| {
        let page_is_empty = pages.last().is_none_or(Vec::is_empty);
        if *y + height > page_box.content_bottom && !page_is_empty {
            pages.push(Vec::new());
            *y = page_box.margin_top;
        }
    };
    let at_top = |y: f32| y <= page_box.margin_top;

    for (block, content) in blocks.iter().enumerate() {
        match content {
            Block::Heading(text) | Block::Subheading(text) => {
                let style = if matches!(content, Block::Heading(_)) { HEADING } else { SUBHEADING };
                if !at_top(y) {
                    y += style.size * 0.6;
                }
                let lines = text::wrap(text, style, width);
                // Keep the heading with at least two lines of what follows.
                let keep = lines.len() as f32 * style.line_height() + 2.0 * BODY.line_height();
                room(&mut pages, &mut y, keep);
                for line in lines {
                    room(&mut pages, &mut y, style.line_height());
                    let x = page_box.margin_x;
                    let (role, top) = (Role::Main, y);
                    push(&mut pages, Item { block, role, line, style, x, top });
                    y += style.line_height();
                }
                y += style.size * 0.4;
            }
            Block::Paragraph(text) => {
                for line in text::wrap(text, BODY, width) {
                    room(&mut pages, &mut y, BODY.line_height());
                    let (x, top, style, role) = (page_box.margin_x, y, BODY, Role::Main);
                    push(&mut pages, Item { block, role, line, style, x, top });
                    y += BODY.line_height();
                }
                y += BODY.size * 0.6;
            }
            Block::Field { label, value } => {
                let labels = text::wrap(label, LABEL, label_width);
                let values = text::wrap(value, VALUE, value_width);
                let rows = labels.len().max(values.len());
                let mut labels = labels.into_iter();
                let mut values = values.into_iter();
                y += FIELD_PADDING;
                for _ in 0..rows {
                    room(&mut pages, &mut y, VALUE.line_height());
                    if let Some(line) = labels.next() {
                        let (x, top, style, role) = (page_box.margin_x, y, LABEL, Role::Main);
                        push(&mut pages, Item { block, role, line, style, x, top });
                    }
                    if let Some(line) = values.next() {
                        let (x, top, style, role) = (value_x, y, VALUE, Role::Value);
                        push(&mut pages, Item { block, role, line, style, x, top });
                    }
                    y += VALUE.line_height();
                }
                y += FIELD_PADDING;
            }
            Block::Spacer => {
                if !at_top(y) {
                    y += SPACER;
                }
            }
        }
    }
    pages
}

fn push(pages: &mut [Vec<Item>], item: Item) {
    if let Some(page) = pages.last_mut() {
        page.push(item);
    }
}

/// The structure: H1/H2 with their text as title, P, and one `Table` for each run of
/// consecutive fields (a row per field: label as row header `TH`, value as `TD`).
fn tag_tree(blocks: &[Block], ids: Vec<BlockIds>) -> TagTree {
    let mut tree = TagTree::new();
    let mut table: Option<TagGroup> = None;
    for (content, ids) in blocks.iter().zip(ids) {
        let group = |tag: TagKind, ids: Vec<Identifier>| {
            TagGroup::with_children(tag, ids.into_iter().map(Node::from).collect())
        };
        if let Block::Field { .. } = content {
            let mut row = TagGroup::new(Tag::TR);
            row.push(group(Tag::TH(TableHeaderScope::Row).into(), ids.main));
            row.push(group(Tag::TD.into(), ids.value));
            table.get_or_insert_with(|| TagGroup::new(Tag::Table)).push(row);
            continue;
        }
        if let Some(done) = table.take() {
            tree.push(done);
        }
        let level = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
        match content {
            Block::Heading(text) => tree.push(group(Tag::Hn(level(1), Some(text.clone())).into(), ids.main)),
            Block::Subheading(text) => tree.push(group(Tag::Hn(level(2), Some(text.clone())).into(), ids.main)),
            Block::Paragraph(_) => tree.push(group(Tag::P.into(), ids.main)),
            Block::Field { .. } | Block::Spacer => {}
        }
    }
    if let Some(done) = table {
        tree.push(done);
    }
    tree
}

/// Headings become outline entries (subheadings nested under the heading before them). PDF/UA
/// requires an outline, so a document without headings gets one entry: its title.
fn outline(meta: &Meta, blocks: &[Block], anchors: &[Option<(usize, f32)>], x: f32) -> Outline {
    let node = |text: &str, anchor: Option<(usize, f32)>| {
        let (page, y) = anchor.unwrap_or((0, 0.0));
        OutlineNode::new(text.replace('\n', " "), XyzDestination::new(page, Point::from_xy(x, y)))
    };
    let mut top: Vec<OutlineNode> = Vec::new();
    for (content, &anchor) in blocks.iter().zip(anchors) {
        match content {
            Block::Heading(text) => top.push(node(text, anchor).with_open(true)),
            Block::Subheading(text) => match top.last_mut() {
                Some(parent) => parent.push_child(node(text, anchor)),
                None => top.push(node(text, anchor)),
            },
            _ => {}
        }
    }
    if top.is_empty() {
        top.push(node(&meta.title, Some((0, 0.0))));
    }
    let mut outline = Outline::new();
    for entry in top {
        outline.push_child(entry);
    }
    outline
}
