// Renders a dashboard answer from the analytics API: KPI tiles, bar charts, why a figure is empty.
"use strict";
const Dashboard = (() => {
  function tile(name, value, note) {
    const cls = note ? "kpi pending" : "kpi";
    const title = note ? ` title="${TL.esc(note)}"` : "";
    const shown = note ? "—" : value;
    return `<div class="${cls}"${title}><span class="muted">${TL.esc(name)}</span><b>${TL.esc(shown)}</b>` +
      (note ? `<span class="muted">${TL.esc(note)}</span>` : "") + "</div>";
  }

  function charts(box, data) {
    const hourly = data.window === "1d";
    const series = (key) => data.series.map((p) => ({
      label: Charts.bucketLabel(p.start, hourly), value: p[key] }));
    box.innerHTML = '<div class="card" id="chart-gmv"></div><div class="card" id="chart-orders"></div>' +
      '<div class="card" id="chart-buyers"></div>';
    Charts.bars(box.querySelector("#chart-gmv"), series("gmv_fen"), { title: "GMV", format: TL.yuan });
    Charts.bars(box.querySelector("#chart-orders"), series("paid_orders"), { title: TL.t("Paid orders") });
    Charts.bars(box.querySelector("#chart-buyers"), series("buyers"), { title: TL.t("Buyers") });
  }

  async function load(path, render) {
    TL.requireLogin();
    const picker = document.getElementById("window");
    const show = async () => {
      const error = document.getElementById("error");
      error.hidden = true;
      try {
        const data = await TL.api("GET", `${path}?window=${picker.value}`);
        render(data);
        document.getElementById("csv").href = `#`;
        document.getElementById("csv").onclick = (e) => { e.preventDefault(); download(path, picker.value); };
      } catch (err) {
        error.textContent = err.message; error.hidden = false;
      }
    };
    picker.addEventListener("change", show);
    await show();
  }

  async function download(path, window) {
    const session = JSON.parse(localStorage.getItem("trustlive.session") || "null");
    const res = await fetch(`/api/v1${path}.csv?window=${window}`,
      { headers: session ? { Authorization: `Bearer ${session.token}` } : {} });
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: `dashboard-${window}.csv` });
    a.click(); URL.revokeObjectURL(url);
  }

  return { tile, charts, load };
})();
