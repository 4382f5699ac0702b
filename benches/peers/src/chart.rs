//! A small SVG line chart of ns/op against K, one line per peer, made from the run's
//! own numbers.

use std::fmt::Write as _;

/// One line: a peer's (K, ns/op) points.
pub struct Series {
    /// The peer's name.
    pub name: String,
    /// (K, median ns/op), in increasing K.
    pub points: Vec<(usize, f64)>,
}

const COLORS: [&str; 10] = [
    "#444444", "#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22",
];

/// Renders the series as an SVG document: K on a log2 x axis, ns/op on a log10 y axis.
pub fn svg(title: &str, series: &[Series]) -> String {
    svg_with(title, series, "K", "median ns per operation (log)")
}

/// As [`svg`], naming the x values `x_name` (ticks read `x_name = value`) and the y
/// axis `y_label`.
pub fn svg_with(title: &str, series: &[Series], x_name: &str, y_label: &str) -> String {
    let (w, h) = (900.0, 420.0);
    let (left, right, top, bottom) = (70.0, 350.0, 40.0, 50.0);
    let ks: Vec<usize> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|y| *y > 0.0)
        .collect();
    let kmin = ks.iter().copied().min().unwrap_or(1).max(1) as f64;
    let kmax = ks.iter().copied().max().unwrap_or(2).max(2) as f64;
    let ymin = ys.iter().copied().fold(f64::INFINITY, f64::min).max(1.0);
    let ymax = ys.iter().copied().fold(0.0, f64::max).max(ymin * 10.0);
    let (ylo, yhi) = (ymin.log10().floor(), ymax.log10().ceil());
    let x =
        |k: f64| left + (k.log2() - kmin.log2()) / (kmax.log2() - kmin.log2()) * (w - left - right);
    let y = |v: f64| top + (yhi - v.log10()) / (yhi - ylo) * (h - top - bottom);

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="22" font-size="15" text-anchor="middle">{title}</text>
"#,
        (w - right + left) / 2.0
    );
    // Axes, grid and labels.
    let mut decade = ylo;
    while decade <= yhi {
        let yy = y(10f64.powf(decade));
        let _ = writeln!(
            out,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            w - right,
            left - 6.0,
            yy + 4.0,
            10f64.powf(decade)
        );
        decade += 1.0;
    }
    let mut kk: Vec<usize> = ks.clone();
    kk.sort_unstable();
    kk.dedup();
    for k in kk {
        let xx = x(k as f64);
        let _ = writeln!(
            out,
            r##"<line x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{:.1}" stroke="#eee"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle">{x_name} = {k}</text>"##,
            h - bottom,
            h - bottom + 18.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="16" y="{:.1}" transform="rotate(-90 16 {:.1})" text-anchor="middle">{y_label}</text>"#,
        (h - bottom + top) / 2.0,
        (h - bottom + top) / 2.0
    );
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let pts: Vec<String> = s
            .points
            .iter()
            .filter(|p| p.1 > 0.0)
            .map(|&(k, v)| format!("{:.1},{:.1}", x(k as f64), y(v)))
            .collect();
        let dash = if s.name.starts_with("the limit") {
            r#" stroke-dasharray="5,4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"#,
            pts.join(" ")
        );
        for p in &pts {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = writeln!(out, r#"<circle cx="{px}" cy="{py}" r="3" fill="{color}"/>"#);
        }
        let ly = top + 10.0 + i as f64 * 20.0;
        let lx = w - right + 15.0;
        let _ = writeln!(
            out,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/><text x="{}" y="{:.1}">{}</text>"#,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0,
            s.name.replace('&', "&amp;").replace('<', "&lt;")
        );
    }
    out.push_str("</svg>\n");
    out
}
