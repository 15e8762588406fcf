//! Charts drawn on the server as SVG: readable without JavaScript, labelled in text, in colours
//! told apart with the common kinds of colour blindness (the Okabe–Ito palette).

/// Blue and orange (Okabe–Ito): distinct for deuteranopia, protanopia and tritanopia alike.
pub const SERIES: [&str; 2] = ["#0072B2", "#E69F00"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Grouped bars: one group per label, one bar per series; `names` name the series in the legend.
pub fn grouped_bars(title: &str, labels: &[String], series: &[Vec<i64>], names: &[String]) -> String {
    let (width, height, left, bottom, top) = (640.0_f64, 220.0_f64, 34.0_f64, 36.0_f64, 26.0_f64);
    let max = series.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let groups = labels.len().max(1) as f64;
    let slot = (width - left) / groups;
    let bar = (slot * 0.8 / series.len().max(1) as f64).min(28.0);
    let plot = height - bottom - top;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title>",
        t = escape(title)
    );
    // The scale: zero and the maximum.
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#8a939d\"/><text x=\"{x}\" y=\"{y}\" font-size=\"11\" text-anchor=\"end\" fill=\"#4f5863\">0</text>\
         <text x=\"{x}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"end\" fill=\"#4f5863\">{max}</text>",
        y = height - bottom,
        x = left - 4.0,
        ty = top + 4.0
    ));
    for (g, label) in labels.iter().enumerate() {
        let x0 = left + g as f64 * slot + slot * 0.1;
        for (s, values) in series.iter().enumerate() {
            let value = values.get(g).copied().unwrap_or(0);
            let h = value as f64 / max * plot;
            let x = x0 + s as f64 * bar;
            let y = height - bottom - h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{c}\"><title>{l}: {n} {v}</title></rect>",
                w = bar - 2.0,
                c = SERIES[s % SERIES.len()],
                l = escape(label),
                n = escape(names.get(s).map(String::as_str).unwrap_or_default()),
                v = value
            ));
            if value > 0 {
                svg.push_str(&format!(
                    "<text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1b1f24\">{value}</text>",
                    tx = x + (bar - 2.0) / 2.0,
                    ty = y - 2.0
                ));
            }
        }
        svg.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#4f5863\">{l}</text>",
            x = x0 + bar * series.len() as f64 / 2.0,
            y = height - bottom + 14.0,
            l = escape(label)
        ));
    }
    for (s, name) in names.iter().enumerate() {
        let x = left + s as f64 * 150.0;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{c}\"/><text x=\"{tx}\" y=\"14\" font-size=\"12\" fill=\"#1b1f24\">{n}</text>",
            c = SERIES[s % SERIES.len()],
            tx = x + 16.0,
            n = escape(name)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars with their values written beside them: (label, value).
pub fn bars(title: &str, rows: &[(String, i64)]) -> String {
    let (width, row_height, label_width) = (420.0_f64, 24.0_f64, 130.0_f64);
    let height = (rows.len().max(1) as f64) * row_height + 8.0;
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title>",
        t = escape(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * row_height;
        let w = *value as f64 / max * (width - label_width - 60.0);
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f24\">{l}</text>\
             <rect x=\"{label_width}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\" fill=\"{c}\"/>\
             <text x=\"{vx:.1}\" y=\"{ty:.1}\" font-size=\"12\" fill=\"#1b1f24\">{value}</text>",
            lx = label_width - 6.0,
            ty = y + 14.0,
            h = row_height - 6.0,
            c = SERIES[0],
            vx = label_width + w + 6.0,
            l = escape(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}
