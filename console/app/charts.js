import { html, useEffect, useRef, uPlot } from "./lib.js";

// Points issued, redeemed and expired per bucket, drawn on a canvas by uPlot.
export function SeriesChart({ buckets, labels, colors, title, lang }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current) return undefined;
    const xs = buckets.map((b) => Date.parse(b.start) / 1000);
    const data = [xs, ...labels.map(([key]) => buckets.map((b) => b[key]))];
    const styles = getComputedStyle(document.documentElement);
    const ink = styles.getPropertyValue("--ink").trim() || "#222";
    const grid = styles.getPropertyValue("--line").trim() || "#ddd";
    const axis = { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid } };
    const width = Math.max(320, box.current.clientWidth || 640);
    const plot = new uPlot(
      {
        width,
        height: 260,
        series: [{}, ...labels.map(([, label], i) => ({ label, stroke: colors[i], width: 2 }))],
        axes: [{ ...axis }, { ...axis, size: 60 }],
        legend: { show: true },
        scales: { x: { time: true } },
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [buckets, lang]);
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <div ref=${box} class="uplot-box" data-testid="series-chart" role="img" aria-label=${title}></div>
  </figure>`;
}

// Members per tier or segment: an SVG bar per row, with its count written beside it.
export function BarChart({ rows, title, testid, fmt, rtl }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 28;
  const height = rows.length * rowHeight + 8;
  return html`<figure class="chart bars">
    <figcaption>${title}</figcaption>
    <svg data-testid=${testid} direction=${rtl ? "rtl" : "ltr"} viewBox=${`0 0 400 ${height}`} width="100%" role="img"
      aria-label=${title} preserveAspectRatio="xMinYMin meet">
      ${rows.map((row, i) => {
        const y = 4 + i * rowHeight;
        const w = Math.round((row.value / max) * 220);
        // Mirrored in Arabic: labels on the right, bars growing leftwards.
        const barX = rtl ? 280 - Math.max(w, 1) : 120;
        return html`<g key=${row.label} data-value=${row.value}>
          <text x=${rtl ? 396 : 0} y=${y + 18} class="bar-label">${row.label}</text>
          <rect x=${barX} y=${y + 4} width=${Math.max(w, 1)} height="18" rx="3" class="bar" />
          <text x=${rtl ? barX - 8 : 128 + w} y=${y + 18} class="bar-value">${fmt.num(row.value)}</text>
        </g>`;
      })}
    </svg>
  </figure>`;
}
