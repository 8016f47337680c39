//! SVG charts with plotters: bars and lines (no pies), the GSS Analysis Function palette, direct
//! labels, and Liberation Sans (metric-compatible with Arial, SIL OFL) compiled in so text is
//! measured the same on every machine. Each SVG carries a title and description for screen
//! readers; a value the table shows as a symbol is drawn as a labelled gap, never as zero.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::format::cell_text;
use crate::figures::model::{Cell, Chart, ChartKind};

/// The name fonts are registered and written under; the fallbacks follow in the SVG.
pub(crate) const FONT: &str = "Liberation Sans";
pub(crate) const FONT_BYTES: &[u8] =
    include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");

/// GSS Analysis Function categorical palette, in its recommended order.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x12, 0x43, 0x6D),
    RGBColor(0x28, 0xA1, 0x97),
    RGBColor(0x80, 0x16, 0x50),
    RGBColor(0xF4, 0x6A, 0x25),
    RGBColor(0x3D, 0x3D, 0x3D),
    RGBColor(0xA2, 0x85, 0xD1),
];
const TEXT: RGBColor = RGBColor(0x0B, 0x0C, 0x0C);
const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
const WIDTH: u32 = 760;

static REGISTER: Once = Once::new();

fn register_font() {
    REGISTER.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
            .unwrap_or_else(|_| panic!("the bundled font is a valid TrueType font"));
    });
}

fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Draw = Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The chart as a standalone SVG document.
pub fn render(chart: &Chart) -> Result<String, String> {
    register_font();
    let height = match chart.kind {
        ChartKind::HorizontalBar => {
            110 + 30 * chart.categories.len() as u32 * chart.series.len().max(1) as u32
        }
        _ => 420,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(chart.title.clone(), (16, 12), font(17.0)))
            .map_err(err)?;
        let top = if chart.series.len() > 1 {
            legend(&root, chart)?
        } else {
            44
        };
        match chart.kind {
            ChartKind::Bar => vertical_bars(&root, chart, top, height)?,
            ChartKind::HorizontalBar => horizontal_bars(&root, chart, top, height)?,
            ChartKind::Line => lines(&root, chart, top, height)?,
        }
        root.present().map_err(err)?;
    }
    Ok(accessible(&svg, chart))
}

/// Adds `role="img"`, a `<title>` and a `<desc>` (what a screen reader announces), and font
/// fallbacks for viewers without Liberation Sans.
fn accessible(svg: &str, chart: &Chart) -> String {
    let title_id = format!("chart-{}-title", chart.id);
    let desc_id = format!("chart-{}-desc", chart.id);
    let body = svg.trim_start_matches(|c| c != '<');
    let body = match body.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map(|(_, r)| r.trim_start())
            .unwrap_or(rest),
        None => body,
    };
    let Some(open_end) = body.find('>') else {
        return body.to_string();
    };
    let (open, rest) = body.split_at(open_end);
    let fonts = format!("font-family=\"{FONT}\"");
    format!(
        "{open} role=\"img\" aria-labelledby=\"{title_id} {desc_id}\"><title id=\"{title_id}\">{}</title><desc id=\"{desc_id}\">{}</desc>{}",
        xml_escape(&chart.title),
        xml_escape(&chart.description),
        rest[1..].replace(
            &fonts,
            "font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\""
        )
    )
}

pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids: one in a label would make the whole SVG, or a Word
            // document, unreadable.
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Draws the series key under the title and returns the top of the plot.
fn legend(root: &Area, chart: &Chart) -> Result<i32, String> {
    let mut x = 16;
    let y = 44;
    for (i, series) in chart.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        root.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], colour.filled()))
            .map_err(err)?;
        let label = shorten(&series.name, 40);
        root.draw(&Text::new(label.clone(), (x + 20, y), font(13.0)))
            .map_err(err)?;
        let (w, _) = root.estimate_text_size(&label, &font(13.0)).map_err(err)?;
        x += 20 + w as i32 + 24;
    }
    Ok(y + 30)
}

fn value_of(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Symbol(_) | Cell::Text(_) => None,
        other => other.as_f64(),
    }
}

/// The largest value drawn (hidden and unavailable values are not drawn).
fn largest_value(chart: &Chart) -> f64 {
    chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().filter_map(value_of))
        .fold(0.0, f64::max)
}

/// A straight axis line.
fn axis_line(root: &Area, from: (i32, i32), to: (i32, i32)) -> Draw {
    root.draw(&PathElement::new(vec![from, to], TEXT.stroke_width(1)))
        .map_err(err)
}

/// A round axis maximum and tick step for values up to `max`.
fn nice_scale(max: f64, percent: bool) -> (f64, f64) {
    if percent && max <= 100.0 {
        return (100.0, 25.0);
    }
    let max = max.max(1.0);
    let magnitude = 10f64.powf(max.log10().floor());
    let step = [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| max / step <= 5.0)
        .unwrap_or(magnitude * 10.0)
        .max(1.0);
    ((max / step).ceil() * step, step)
}

fn tick_label(value: f64, percent: bool) -> String {
    let text = super::format::decimal(value, if value.fract() == 0.0 { 0 } else { 1 });
    if percent { format!("{text}%") } else { text }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max_chars - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// Splits a label into at most three lines that fit `width` pixels.
fn wrap(root: &Area, text: &str, width: u32, style: &TextStyle) -> Result<Vec<String>, String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let candidate = match lines.last() {
            Some(line) => format!("{line} {word}"),
            None => word.to_string(),
        };
        let (w, _) = root.estimate_text_size(&candidate, style).map_err(err)?;
        match lines.last_mut() {
            Some(line) if w <= width => *line = candidate,
            None => lines.push(candidate),
            Some(_) => lines.push(word.to_string()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2] = format!("{}…", lines[2]);
    }
    Ok(lines)
}

/// The y axis: gridlines and tick labels. Returns the plot's left edge.
fn y_axis(
    root: &Area,
    top: i32,
    bottom: i32,
    max: f64,
    step: f64,
    percent: bool,
) -> Result<i32, String> {
    let style = font(12.0).pos(Pos::new(HPos::Right, VPos::Center));
    let widest = (0..=((max / step).round() as i32))
        .map(|i| {
            root.estimate_text_size(&tick_label(i as f64 * step, percent), &font(12.0))
                .map(|(w, _)| w)
        })
        .collect::<Result<Vec<u32>, _>>()
        .map_err(err)?
        .into_iter()
        .max()
        .unwrap_or(20);
    let left = 16 + widest as i32 + 8;
    let mut value = 0.0;
    while value <= max + step / 2.0 {
        let y = bottom - ((value / max) * (bottom - top) as f64) as i32;
        root.draw(&PathElement::new(
            vec![(left, y), (WIDTH as i32 - 16, y)],
            GRID.stroke_width(1),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            tick_label(value, percent),
            (left - 6, y),
            style.clone(),
        ))
        .map_err(err)?;
        value += step;
    }
    Ok(left)
}

/// The value axis of a vertical chart, from `top` to `bottom`: the plot's left edge and the
/// axis maximum.
fn value_axis(root: &Area, chart: &Chart, top: i32, bottom: i32) -> Result<(i32, f64), String> {
    let (axis_max, step) = nice_scale(largest_value(chart), chart.percent);
    let left = y_axis(root, top + 16, bottom, axis_max, step, chart.percent)?;
    Ok((left, axis_max))
}

fn vertical_bars(root: &Area, chart: &Chart, top: i32, height: u32) -> Draw {
    let bottom = height as i32 - 70;
    let (left, axis_max) = value_axis(root, chart, top, bottom)?;
    let right = WIDTH as i32 - 16;
    let groups = chart.categories.len().max(1) as i32;
    let group_width = (right - left) / groups;
    let series = chart.series.len().max(1) as i32;
    let bar_width = (group_width * 7 / 10 / series).max(2);
    let label_style = font(12.0).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (g, category) in chart.categories.iter().enumerate() {
        let group_left = left + g as i32 * group_width + (group_width - bar_width * series) / 2;
        for (s, data) in chart.series.iter().enumerate() {
            let x0 = group_left + s as i32 * bar_width;
            let centre = x0 + bar_width / 2;
            let cell = &data.values[g];
            let text = cell_text(cell);
            match value_of(cell) {
                Some(value) => {
                    let y =
                        bottom - ((value.max(0.0) / axis_max) * (bottom - top - 16) as f64) as i32;
                    let colour = PALETTE[s % PALETTE.len()];
                    root.draw(&Rectangle::new(
                        [(x0, y), (x0 + bar_width - 2, bottom)],
                        colour.filled(),
                    ))
                    .map_err(err)?;
                    let (w, _) = root.estimate_text_size(&text, &font(12.0)).map_err(err)?;
                    if w as i32 <= bar_width + 8 {
                        root.draw(&Text::new(text, (centre, y - 3), label_style.clone()))
                            .map_err(err)?;
                    }
                }
                None => {
                    root.draw(&Text::new(text, (centre, bottom - 3), label_style.clone()))
                        .map_err(err)?;
                }
            }
        }
        let lines = wrap(
            root,
            category,
            (group_width - 6).max(20) as u32,
            &font(12.0),
        )?;
        for (i, line) in lines.into_iter().enumerate() {
            root.draw(&Text::new(
                line,
                (
                    left + g as i32 * group_width + group_width / 2,
                    bottom + 8 + 15 * i as i32,
                ),
                font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(err)?;
        }
    }
    axis_line(root, (left, bottom), (right, bottom))
}

fn horizontal_bars(root: &Area, chart: &Chart, top: i32, height: u32) -> Draw {
    let labels: Vec<String> = chart.categories.iter().map(|c| shorten(c, 42)).collect();
    let widest = labels
        .iter()
        .map(|l| root.estimate_text_size(l, &font(12.0)).map(|(w, _)| w))
        .collect::<Result<Vec<u32>, _>>()
        .map_err(err)?
        .into_iter()
        .max()
        .unwrap_or(40);
    let left = 16 + widest.min(WIDTH / 2) as i32 + 10;
    let right = WIDTH as i32 - 70;
    let bottom = height as i32 - 20;
    let max = largest_value(chart);
    let (axis_max, _) = nice_scale(max, chart.percent);
    let series = chart.series.len().max(1) as i32;
    let row_height = (bottom - top) / chart.categories.len().max(1) as i32;
    let bar_height = (row_height * 7 / 10 / series).max(4);
    for (c, label) in labels.iter().enumerate() {
        let row_top = top + c as i32 * row_height;
        root.draw(&Text::new(
            label.clone(),
            (left - 8, row_top + row_height / 2),
            font(12.0).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
        for (s, data) in chart.series.iter().enumerate() {
            let y0 = row_top + (row_height - bar_height * series) / 2 + s as i32 * bar_height;
            let cell = &data.values[c];
            let text = cell_text(cell);
            let label_at = match value_of(cell) {
                Some(value) => {
                    let x = left + ((value.max(0.0) / axis_max) * (right - left) as f64) as i32;
                    let colour = PALETTE[s % PALETTE.len()];
                    root.draw(&Rectangle::new(
                        [(left, y0), (x.max(left + 1), y0 + bar_height - 2)],
                        colour.filled(),
                    ))
                    .map_err(err)?;
                    x + 5
                }
                None => left + 5,
            };
            root.draw(&Text::new(
                text,
                (label_at, y0 + bar_height / 2),
                font(12.0).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
        }
    }
    axis_line(root, (left, top), (left, bottom))
}

fn lines(root: &Area, chart: &Chart, top: i32, height: u32) -> Draw {
    let bottom = height as i32 - 50;
    let (left, axis_max) = value_axis(root, chart, top, bottom)?;
    let right = WIDTH as i32 - 16;
    let points = chart.categories.len().max(1) as i32;
    let spacing = (right - left) / points;
    let x_of = |i: usize| left + spacing / 2 + i as i32 * spacing;
    let y_of = |v: f64| bottom - ((v.max(0.0) / axis_max) * (bottom - top - 16) as f64) as i32;
    for (i, category) in chart.categories.iter().enumerate() {
        root.draw(&Text::new(
            shorten(category, 18),
            (x_of(i), bottom + 8),
            font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
    }
    for (s, data) in chart.series.iter().enumerate() {
        let colour = PALETTE[s % PALETTE.len()];
        // Gaps break the line: a missing year is not joined across.
        let mut run: Vec<(i32, i32)> = Vec::new();
        let mut runs: Vec<Vec<(i32, i32)>> = Vec::new();
        for (i, cell) in data.values.iter().enumerate() {
            match value_of(cell) {
                Some(v) => run.push((x_of(i), y_of(v))),
                None => {
                    runs.push(std::mem::take(&mut run));
                    root.draw(&Text::new(
                        cell_text(cell),
                        (x_of(i), bottom - 4),
                        font(12.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ))
                    .map_err(err)?;
                }
            }
        }
        runs.push(run);
        for run in runs.iter().filter(|r| !r.is_empty()) {
            root.draw(&PathElement::new(run.clone(), colour.stroke_width(3)))
                .map_err(err)?;
            for &(x, y) in run {
                root.draw(&Circle::new((x, y), 4, colour.filled()))
                    .map_err(err)?;
            }
        }
        if chart.series.len() <= 2 {
            for (i, cell) in data.values.iter().enumerate() {
                if let Some(v) = value_of(cell) {
                    root.draw(&Text::new(
                        cell_text(cell),
                        (x_of(i), y_of(v) - 8),
                        font(12.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ))
                    .map_err(err)?;
                }
            }
        }
    }
    axis_line(root, (left, bottom), (right, bottom))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::model::{ChartSeries, Symbol};

    fn chart(kind: ChartKind) -> Chart {
        Chart {
            id: "test".into(),
            title: "Complaints <by> year".into(),
            description: "A chart & its \"description\".".into(),
            kind,
            categories: vec![
                "2022-23".into(),
                "2023-24".into(),
                "<script>alert(1)</script>".into(),
            ],
            series: vec![ChartSeries {
                name: "Complaints".into(),
                values: vec![
                    Cell::Count(12),
                    Cell::Symbol(Symbol::Suppressed),
                    Cell::Count(30),
                ],
            }],
            table_id: "test".into(),
            value_label: "Complaints".into(),
            percent: false,
            source: Default::default(),
        }
    }

    #[test]
    fn every_kind_renders_an_accessible_svg_with_escaped_text() {
        for kind in [ChartKind::Bar, ChartKind::HorizontalBar, ChartKind::Line] {
            let svg = render(&chart(kind)).unwrap();
            assert!(svg.starts_with("<svg"), "{kind:?}");
            assert!(
                svg.contains(r#"role="img" aria-labelledby="chart-test-title chart-test-desc""#)
            );
            assert!(
                svg.contains("<title id=\"chart-test-title\">Complaints &lt;by&gt; year</title>")
            );
            assert!(svg.contains("A chart &amp; its &quot;description&quot;."));
            assert!(!svg.contains("<script"), "{kind:?}: {svg}");
            // The suppressed value is labelled, not drawn.
            assert!(svg.contains("[c]"), "{kind:?}");
            assert!(svg.contains("Liberation Sans, Arial"), "{kind:?}");
        }
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(87.0, false), (100.0, 20.0));
        assert_eq!(nice_scale(7.0, false), (8.0, 2.0));
        assert_eq!(nice_scale(1234.0, false), (1250.0, 250.0));
        assert_eq!(nice_scale(64.0, true), (100.0, 25.0));
    }
}
