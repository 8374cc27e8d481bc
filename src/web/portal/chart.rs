//! A bar chart of volumes, drawn on the server as inline SVG (SPEC §3.9): readable without
//! JavaScript, scaled by its viewBox, described for screen readers. Pure: text in, markup out.

use std::fmt::Write;

use crate::domain::number_format::format_scaled;
use crate::domain::quantity::Volume;

const HEIGHT: f64 = 270.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 32.0;
const TICKS: i64 = 4;
/// The width of an average character of a label, in font sizes.
const CHAR_WIDTH: f64 = 0.6;

/// Which screens a drawing is for. The SVG scales with its viewBox, text with it, so a phone
/// gets a narrower drawing (larger text once scaled) and a wide screen a wider one; the page
/// shows one of the two (CSS), the other is not rendered and not read out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Narrow,
    Wide,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::Narrow, Layout::Wide];

    /// The drawing's own width; the page scales it to the width at hand.
    fn width(self) -> f64 {
        match self {
            Layout::Narrow => 340.0,
            Layout::Wide => 700.0,
        }
    }

    fn font_size(self) -> f64 {
        match self {
            Layout::Narrow => 15.0,
            Layout::Wide => 13.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Narrow => "narrow",
            Layout::Wide => "wide",
        }
    }

    /// Room for the y axis labels, up to `100.000`.
    fn left(self) -> f64 {
        self.font_size() * 4.0
    }
}

/// One period's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    /// `None` where nothing is known, drawn hatched rather than as a zero.
    pub value: Option<Volume>,
    /// Only part of the period is covered: drawn lighter.
    pub partial: bool,
    /// The bar's tooltip, e.g. "1/2024: 12,345 m³".
    pub tooltip: String,
}

/// What a chart says, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    /// An id unique on the page, for aria-labelledby.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The unit over the y axis, e.g. "m³".
    pub unit: String,
    pub bars: Vec<Bar>,
}

/// `text` safe inside SVG elements and attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A round step for the y axis in litres (1, 2 or 5 × 10ⁿ, at least 1 m³) so that `TICKS`
/// steps reach `max`.
fn tick_step(max_litres: i64) -> i64 {
    let wanted = (max_litres + TICKS - 1) / TICKS;
    let mut magnitude: i64 = 1000;
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude.saturating_mul(factor);
            if step >= wanted {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Every how many bars an x label fits, the longest of `bars`' labels with a space beside it.
fn label_every(bars: &[Bar], layout: Layout) -> usize {
    let longest = bars
        .iter()
        .map(|bar| bar.label.chars().count())
        .max()
        .unwrap_or(0);
    let room = (longest as f64 * CHAR_WIDTH + 1.0) * layout.font_size();
    let slot = (layout.width() - layout.left() - RIGHT) / bars.len().max(1) as f64;
    (room / slot).ceil().max(1.0) as usize
}

impl BarChart {
    /// The SVG element for `layout`, to be placed in the page as it is.
    pub fn to_svg(&self, layout: Layout) -> String {
        let (width, left, font_size) = (layout.width(), layout.left(), layout.font_size());
        let plot_width = width - left - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let baseline = TOP + plot_height;
        let max_litres = self
            .bars
            .iter()
            .filter_map(|bar| bar.value)
            .map(Volume::litres)
            .max()
            .unwrap_or(0)
            .max(0);
        let step = tick_step(max_litres);
        let top_litres = step * TICKS;
        let scale = plot_height / top_litres as f64;
        let id = format!("{}-{}", escape(&self.id), layout.name());

        let mut svg = String::new();
        // Writing to a String cannot fail.
        let _ = write!(
            svg,
            r#"<svg class="chart chart--{layout}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-size="{font_size}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
            title = escape(&self.title),
            desc = escape(&self.description),
            layout = layout.name(),
        );
        let _ = write!(
            svg,
            r#"<defs><pattern id="{id}-none" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" class="chart__hatch"/></pattern></defs>"#,
        );
        let _ = write!(
            svg,
            r#"<text x="4" y="{y}" class="chart__unit">{unit}</text>"#,
            y = TOP - 12.0,
            unit = escape(&self.unit),
        );
        for tick in 0..=TICKS {
            let litres = step * tick;
            let y = baseline - litres as f64 * scale;
            let _ = write!(
                svg,
                r#"<line x1="{left}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" class="chart__grid"/><text x="{tx}" y="{ty:.1}" text-anchor="end" class="chart__tick">{label}</text>"#,
                x2 = width - RIGHT,
                tx = left - 6.0,
                ty = y + font_size / 3.0,
                label = format_scaled(litres, 3, 0),
            );
        }

        let slot = plot_width / self.bars.len().max(1) as f64;
        let bar_width = (slot * 0.7).max(1.0);
        let every = label_every(&self.bars, layout);
        for (index, bar) in self.bars.iter().enumerate() {
            let x = left + slot * index as f64 + (slot - bar_width) / 2.0;
            let tooltip = escape(&bar.tooltip);
            match bar.value {
                Some(value) => {
                    let height = value.litres().max(0) as f64 * scale;
                    let class = if bar.partial {
                        "chart__bar chart__bar--partial"
                    } else {
                        "chart__bar"
                    };
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{y:.1}" width="{bar_width:.1}" height="{height:.1}" class="{class}"><title>{tooltip}</title></rect>"#,
                        y = baseline - height,
                    );
                }
                None => {
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{TOP}" width="{bar_width:.1}" height="{plot_height:.1}" fill="url(#{id}-none)" class="chart__none"><title>{tooltip}</title></rect>"#,
                    );
                }
            }
            if index % every == 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="chart__label">{label}</text>"#,
                    cx = x + bar_width / 2.0,
                    ly = baseline + font_size + 6.0,
                    label = escape(&bar.label),
                );
            }
        }
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{x2}" y1="{baseline}" y2="{baseline}" class="chart__axis"/></svg>"#,
            x2 = width - RIGHT,
        );
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, litres: Option<i64>) -> Bar {
        Bar {
            label: label.to_owned(),
            value: litres.map(Volume::from_litres),
            partial: false,
            tooltip: format!("{label} tip"),
        }
    }

    fn chart(bars: Vec<Bar>) -> BarChart {
        BarChart {
            id: "c".to_owned(),
            title: "Poraba <po mesecih>".to_owned(),
            description: "Skupaj 3 m³".to_owned(),
            unit: "m³".to_owned(),
            bars,
        }
    }

    /// The heights of the bars drawn with a value, in order.
    fn heights(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|rect| rect.contains("chart__bar"))
            .map(|rect| {
                let start = rect.find("height=\"").unwrap() + 8;
                let end = start + rect[start..].find('"').unwrap();
                rect[start..end].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn bar_heights_are_proportional_to_the_values() {
        let svg = chart(vec![
            bar("1/2024", Some(10_000)),
            bar("2/2024", Some(20_000)),
            bar("3/2024", Some(5_000)),
            bar("4/2024", Some(0)),
        ])
        .to_svg(Layout::Narrow);
        let heights = heights(&svg);
        assert_eq!(heights.len(), 4);
        assert!((heights[1] - 2.0 * heights[0]).abs() < 0.2, "{heights:?}");
        assert!((heights[0] - 2.0 * heights[2]).abs() < 0.2, "{heights:?}");
        assert_eq!(heights[3], 0.0);
        // The highest bar reaches at least half the plot: the axis is not stretched far.
        assert!(heights[1] >= (HEIGHT - TOP - BOTTOM) / 2.0);
    }

    #[test]
    fn the_axis_is_labelled_in_slovenian_numbers() {
        let svg = chart(vec![bar("2024", Some(7_500_000))]).to_svg(Layout::Narrow);
        // Steps of 2.000 m³ up to 8.000 m³.
        assert!(svg.contains(">2.000<"), "{svg}");
        assert!(svg.contains(">8.000<"), "{svg}");
        assert!(svg.contains(">m³<"));
        let small = chart(vec![bar("2024", Some(1_500))]).to_svg(Layout::Narrow);
        assert!(small.contains(">1<") && small.contains(">4<"), "{small}");
    }

    #[test]
    fn says_what_it_shows_to_screen_readers_with_text_escaped() {
        let svg = chart(vec![bar("1/2024", Some(1_000))]).to_svg(Layout::Narrow);
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="c-narrow-title c-narrow-desc""#));
        assert!(svg.contains(r#"<title id="c-narrow-title">Poraba &lt;po mesecih&gt;</title>"#));
        assert!(svg.contains(r#"<desc id="c-narrow-desc">Skupaj 3 m³</desc>"#));
        let wide = chart(vec![bar("1/2024", Some(1_000))]).to_svg(Layout::Wide);
        assert!(
            wide.contains(r#"aria-labelledby="c-wide-title c-wide-desc""#),
            "ids differ"
        );
        assert!(svg.contains("<title>1/2024 tip</title>"));
    }

    #[test]
    fn labels_thin_out_when_bars_are_many() {
        let few: Vec<Bar> = (1..=4)
            .map(|year| bar(&year.to_string(), Some(1)))
            .collect();
        let svg = chart(few).to_svg(Layout::Narrow);
        assert_eq!(svg.matches("chart__label").count(), 4);

        let many: Vec<Bar> = (0..36)
            .map(|month| {
                bar(
                    &format!("{}/20{}", month % 12 + 1, 22 + month / 12),
                    Some(1),
                )
            })
            .collect();
        let svg = chart(many.clone()).to_svg(Layout::Narrow);
        let labels = svg.matches("chart__label").count();
        assert!((3..=7).contains(&labels), "{labels} labels");
        assert!(svg.contains(">1/2022<"), "the first bar is labelled");
        let wide = chart(many)
            .to_svg(Layout::Wide)
            .matches("chart__label")
            .count();
        assert!(
            wide > labels && wide <= 18,
            "{wide} labels on a wide screen"
        );
    }

    #[test]
    fn periods_without_data_are_hatched_not_zero() {
        let svg = chart(vec![bar("1/2024", None), bar("2/2024", Some(0))]).to_svg(Layout::Narrow);
        assert_eq!(svg.matches("chart__none").count(), 1);
        assert!(svg.contains(r##"fill="url(#c-narrow-none)""##));
        assert_eq!(heights(&svg), vec![0.0]);
    }

    #[test]
    fn partial_periods_are_marked() {
        let mut partial = bar("3/2024", Some(1_000));
        partial.partial = true;
        let svg = chart(vec![bar("2/2024", Some(1_000)), partial]).to_svg(Layout::Narrow);
        assert_eq!(svg.matches("chart__bar--partial").count(), 1);
    }

    #[test]
    fn draws_an_empty_chart_without_bars() {
        let svg = chart(Vec::new()).to_svg(Layout::Narrow);
        assert!(svg.ends_with("</svg>"));
        assert!(heights(&svg).is_empty());
        assert!(svg.contains(">0<"));
    }
}
