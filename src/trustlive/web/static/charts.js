// Small charts drawn as inline SVG: bars for a series, no library.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const el = (name, attrs) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };

  // points: [{label, value}], format: value → text. Draws into `box` (replacing its content).
  function bars(box, points, { format = String, title = "" } = {}) {
    const width = 560, height = 200, pad = { top: 24, right: 8, bottom: 28, left: 8 };
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart",
      "aria-label": title });
    const max = Math.max(1, ...points.map((p) => p.value));
    const inner = width - pad.left - pad.right, h = height - pad.top - pad.bottom;
    const step = inner / Math.max(1, points.length), bar = Math.max(1, step * 0.7);
    const label = el("text", { x: pad.left, y: 14, class: "chart-title" });
    label.textContent = `${title} · max ${format(max)}`;
    svg.appendChild(label);
    points.forEach((p, i) => {
      const bh = (p.value / max) * h;
      const x = pad.left + i * step + (step - bar) / 2;
      const rect = el("rect", { x, y: pad.top + h - bh, width: bar, height: bh, class: "chart-bar" });
      const tip = el("title", {});
      tip.textContent = `${p.label}: ${format(p.value)}`;
      rect.appendChild(tip);
      svg.appendChild(rect);
      const every = Math.ceil(points.length / 8);
      if (i % every === 0) {
        const t = el("text", { x: x + bar / 2, y: height - 8, class: "chart-axis",
          "text-anchor": "middle" });
        t.textContent = p.label;
        svg.appendChild(t);
      }
    });
    box.replaceChildren(svg);
    return svg;
  }

  const bucketLabel = (iso, hourly) => hourly ? iso.slice(11, 16) : iso.slice(5, 10);
  const pct = (bp) => bp === null || bp === undefined ? "—" : `${(bp / 100).toFixed(2)}%`;

  return { bars, bucketLabel, pct };
})();
