//! Charts drawn on the server as inline SVG: no script, nothing fetched, printable, and readable by a
//! screen reader (`role="img"` named by its title and description). The page puts the same figures in
//! a table beside each chart, and every bar carries its value as text, so that nothing is told by
//! colour alone (WCAG 2.1, 1.4.1). Colours have at least 3:1 contrast with the white background
//! (1.4.11). Attributes only, no `style`: the CSP has no `unsafe-inline`.

use std::fmt::Write;

/// One series of a bar chart: its name in the legend, a colour, a value per category.
pub struct Series {
    pub label: String,
    pub colour: &'static str,
    pub values: Vec<u32>,
}

/// Blue (#1d70b8, 5.2:1 on white) and dark orange (#a34400, 6.0:1).
pub const BLUE: &str = "#1d70b8";
pub const ORANGE: &str = "#a34400";

const WIDTH: u32 = 720;
const PLOT_TOP: u32 = 36;
const PLOT_HEIGHT: u32 = 180;
const LEFT: u32 = 40;
const BOTTOM_LABELS: u32 = 40;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round top for the axis: 1, 2, 5 × 10^k at or above `max`.
fn nice_top(max: u32) -> u32 {
    if max <= 5 {
        return 5;
    }
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step = step.saturating_mul(10);
    }
}

fn open(out: &mut String, id: &str, title: &str, desc: &str, height: u32) {
    let _ = write!(
        out,
        r##"<svg class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"##,
        esc(title),
        esc(desc),
    );
}

/// Bars grouped by category (e.g. months), one colour per series, with a legend and value labels.
pub fn grouped_bars(id: &str, title: &str, desc: &str, categories: &[String], series: &[Series]) -> String {
    let height = PLOT_TOP + PLOT_HEIGHT + BOTTOM_LABELS;
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
    let top = nice_top(max);
    let base = PLOT_TOP + PLOT_HEIGHT;
    // Legend.
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r##"<rect x="{x}" y="8" width="14" height="14" fill="{}"/><text x="{}" y="20" font-size="13" fill="#0b0c0c">{}</text>"##,
            s.colour,
            x + 20,
            esc(&s.label)
        );
        x += 28 + 8 * u32::try_from(s.label.chars().count()).unwrap_or(20);
    }
    // Axis with four gridlines.
    for i in 0..=4 {
        let value = top * i / 4;
        let y = base - PLOT_HEIGHT * i / 4;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{WIDTH}" y1="{y}" y2="{y}" stroke="#b1b4b6" stroke-width="1"/><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">{value}</text>"##,
            LEFT - 6,
            y + 4
        );
    }
    let n = u32::try_from(categories.len().max(1)).unwrap_or(1);
    let group = (WIDTH - LEFT) / n;
    let k = u32::try_from(series.len().max(1)).unwrap_or(1);
    let bar = ((group - 8) / k).max(2);
    for (i, cat) in categories.iter().enumerate() {
        let gx = LEFT + group * u32::try_from(i).unwrap_or(0) + 4;
        for (j, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0);
            let h = PLOT_HEIGHT * v / top;
            let bx = gx + bar * u32::try_from(j).unwrap_or(0);
            let _ = write!(
                out,
                r#"<rect x="{bx}" y="{}" width="{}" height="{h}" fill="{}"/>"#,
                base - h,
                bar.saturating_sub(1),
                s.colour
            );
            if v > 0 {
                let _ = write!(
                    out,
                    r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#0b0c0c">{v}</text>"##,
                    bx + bar / 2,
                    base - h - 3
                );
            }
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#0b0c0c">{}</text>"##,
            gx + group / 2 - 4,
            base + 16,
            esc(cat)
        );
    }
    out.push_str("</svg>");
    out
}

/// One horizontal bar per row (e.g. per body), with its label and its value as text.
pub fn horizontal_bars(id: &str, title: &str, desc: &str, rows: &[(String, f64, String)], max: f64) -> String {
    const ROW: u32 = 26;
    const LABEL: u32 = 260;
    let height = 12 + ROW * u32::try_from(rows.len().max(1)).unwrap_or(1);
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    let span = f64::from(WIDTH - LABEL - 70);
    for (i, (label, value, shown)) in rows.iter().enumerate() {
        let y = 6 + ROW * u32::try_from(i).unwrap_or(0);
        let w = if max > 0.0 { (value / max * span).round().clamp(0.0, span) } else { 0.0 };
        let label: String = label.chars().take(38).collect();
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#0b0c0c">{}</text><rect x="{LABEL}" y="{y}" width="{w}" height="18" fill="{BLUE}"/><text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>"##,
            LABEL - 8,
            y + 14,
            esc(&label),
            f64::from(LABEL) + w + 6.0,
            y + 14,
            esc(shown)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_a_round_number_at_or_above_the_maximum() {
        assert_eq!(nice_top(0), 5);
        assert_eq!(nice_top(7), 10);
        assert_eq!(nice_top(11), 20);
        assert_eq!(nice_top(20), 20);
        assert_eq!(nice_top(430), 500);
    }

    #[test]
    fn bars_are_scaled_labelled_and_their_text_escaped() {
        let svg = grouped_bars(
            "c",
            "Received <and> decided",
            "desc",
            &["2026-01".into(), "2026-02".into()],
            &[
                Series { label: "Received".into(), colour: BLUE, values: vec![10, 5] },
                Series { label: "Decided".into(), colour: ORANGE, values: vec![0, 10] },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Received &lt;and&gt; decided"));
        assert!(!svg.contains("<and>"));
        // The axis top is 10: a 10 is the full 180 px, a 5 half of it; a zero bar has no label.
        assert_eq!(svg.matches(r#"height="180""#).count(), 2, "{svg}");
        assert_eq!(svg.matches(r#"height="90""#).count(), 1);
        assert!(!svg.contains(">0</text><text"), "zero bars carry no label");
        assert!(!svg.contains("style="));
    }

    #[test]
    fn horizontal_bars_have_one_row_each_with_the_value_shown() {
        let svg = horizontal_bars(
            "h",
            "t",
            "d",
            &[("A & B".into(), 50.0, "50%".into()), ("C".into(), 100.0, "100%".into())],
            100.0,
        );
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains(">50%<") && svg.contains(">100%<"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
