//! The two faces every Senim PDF uses, embedded in the binary.
//!
//! Why embedded: a PDF must be byte-identical for identical input on any machine, so the crate
//! never looks at system fonts. DejaVu Sans covers Kazakh Cyrillic (Ә Ғ Қ Ң Ө Ұ Ү Һ І), Russian and
//! Latin, and its licence allows embedding (see `fonts/README.md`).

use std::sync::LazyLock;

use krilla::text::Font;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// One face, parsed twice: once by krilla (for embedding a subset) and once by rustybuzz (for
/// shaping, which gives the glyphs we draw *and* the widths we wrap with, so the two never
/// disagree).
pub(crate) struct Face {
    pub(crate) pdf: Font,
    pub(crate) shaper: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
    /// Ascender and descender in ems (descender negative), for placing baselines.
    pub(crate) ascender: f32,
    pub(crate) descender: f32,
    /// What a character the face lacks is replaced with: a `.notdef` glyph would make PDF/UA
    /// validation refuse the whole document, and one stray symbol must not do that.
    pub(crate) replacement: char,
    /// Which Basic Multilingual Plane characters have a glyph, one bit each (8 KiB): asking the
    /// `cmap` table for every character of 100,000 rows was a tenth of the run time.
    bmp_coverage: Vec<u64>,
    /// Shaping plans for the scripts Senim writes in. Building a plan per call was the largest
    /// single cost of shaping; other scripts fall back to building one each time.
    plans: Vec<(rustybuzz::Script, rustybuzz::ShapePlan)>,
}

impl Face {
    fn parse(bytes: &'static [u8]) -> Self {
        // The bytes are fixed at compile time and a test renders with both faces, so a parse
        // failure is a broken build, not a run-time condition.
        let pdf = Font::new(bytes.into(), 0).expect("embedded DejaVu font parses with krilla");
        let shaper = rustybuzz::Face::from_slice(bytes, 0).expect("embedded DejaVu font parses with rustybuzz");
        let units_per_em = f32::from(shaper.units_per_em() as u16);
        let ascender = f32::from(shaper.ascender()) / units_per_em;
        let descender = f32::from(shaper.descender()) / units_per_em;
        let replacement = if shaper.glyph_index('\u{FFFD}').is_some() { '\u{FFFD}' } else { '?' };
        let mut bmp_coverage = vec![0_u64; 0x10000 / 64];
        for code in 0..0x10000_u32 {
            if char::from_u32(code).is_some_and(|c| shaper.glyph_index(c).is_some()) {
                bmp_coverage[code as usize / 64] |= 1 << (code % 64);
            }
        }
        use rustybuzz::script;
        let plans = [script::UNKNOWN, script::CYRILLIC, script::LATIN]
            .into_iter()
            .map(|s| {
                // A buffer with no strong script (digits, punctuation) reports UNKNOWN and
                // must be shaped with a plan that has no script.
                let for_plan = (s != script::UNKNOWN).then_some(s);
                let direction = rustybuzz::Direction::LeftToRight;
                (s, rustybuzz::ShapePlan::new(&shaper, direction, for_plan, None, &[]))
            })
            .collect();
        Self { pdf, shaper, units_per_em, ascender, descender, replacement, bmp_coverage, plans }
    }

    /// Whether the face can draw `c` without a `.notdef` box.
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        let code = c as usize;
        match self.bmp_coverage.get(code / 64) {
            Some(bits) => bits & (1 << (code % 64)) != 0,
            None => self.shaper.glyph_index(c).is_some(),
        }
    }

    /// Shapes a buffer whose segment properties are set (left to right), reusing a cached plan
    /// when there is one for its script.
    pub(crate) fn shape(&self, buffer: rustybuzz::UnicodeBuffer) -> rustybuzz::GlyphBuffer {
        let script = buffer.script();
        let no_language = buffer.language().is_none();
        match self.plans.iter().find(|(s, _)| *s == script) {
            Some((_, plan)) if no_language => rustybuzz::shape_with_plan(&self.shaper, plan, buffer),
            _ => rustybuzz::shape(&self.shaper, &[], buffer),
        }
    }
}

static REGULAR: LazyLock<Face> = LazyLock::new(|| Face::parse(REGULAR_TTF));
static BOLD: LazyLock<Face> = LazyLock::new(|| Face::parse(BOLD_TTF));

/// Which of the two faces a piece of text is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub(crate) fn face(self) -> &'static Face {
        match self {
            Weight::Regular => &REGULAR,
            Weight::Bold => &BOLD,
        }
    }
}
