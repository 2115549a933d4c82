// A daily score history as an inline SVG line chart: no library, no CDN.
"use strict";
function drawScoreChart(box, points, scale) {
  const W = 640, H = 180, P = 28;
  if (!points.length) { box.textContent = "No history yet."; return; }
  const x = (i) => P + (points.length === 1 ? (W - 2 * P) / 2 : (i * (W - 2 * P)) / (points.length - 1));
  const y = (v) => H - P - (v / scale) * (H - 2 * P);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "daily score history");
  const add = (tag, attrs, text) => {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    svg.appendChild(el);
    return el;
  };
  for (const v of [0, scale / 2, scale]) {
    add("line", { x1: P, x2: W - P, y1: y(v), y2: y(v), stroke: "#ddd" });
    add("text", { x: 2, y: y(v) + 4, "font-size": 10, fill: "#888" }, String(v));
  }
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(Number(p.value)).toFixed(1)}`);
  add("path", { d: path.join(" "), fill: "none", stroke: "#e4393c", "stroke-width": 2, class: "line" });
  points.forEach((p, i) => {
    add("circle", { cx: x(i), cy: y(Number(p.value)), r: 3, fill: "#e4393c" })
      .appendChild(document.createElementNS(ns, "title")).textContent = `${p.day}: ${p.value}`;
  });
  add("text", { x: P, y: H - 6, "font-size": 10, fill: "#888" }, points[0].day);
  add("text", { x: W - P, y: H - 6, "font-size": 10, fill: "#888", "text-anchor": "end" },
    points[points.length - 1].day);
  box.replaceChildren(svg);
}
