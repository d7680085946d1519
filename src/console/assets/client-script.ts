// The console's own browser script, served at /console/assets/console.js. Plain ES2020, no
// dependencies: (1) rooms in progress refresh live (the server renders the rows again; this
// only swaps them in), (2) the call-quality charts are drawn with uPlot from the JSON the
// server embedded in the page (drag to zoom, double-click to see the whole query window).
export const CONSOLE_JS = `(() => {
  "use strict";
  const live = document.querySelector("[data-live-refresh]");
  if (live) {
    const every = Number(live.getAttribute("data-live-refresh")) || 5000;
    const tick = async () => {
      try {
        const res = await fetch(live.getAttribute("data-live-url"), { credentials: "same-origin", headers: { accept: "text/html" } });
        if (res.ok) {
          live.innerHTML = await res.text();
          const stamp = document.getElementById("refreshed");
          if (stamp) stamp.textContent = new Date().toISOString().slice(11, 19) + " UTC";
        }
      } catch (e) { /* offline for a moment: the next tick tries again */ }
      if (live.querySelector("[data-status='1']")) setTimeout(tick, every);
    };
    if (live.querySelector("[data-status='1']")) setTimeout(tick, every);
  }
  const data = document.getElementById("qos-data");
  if (data && window.uPlot) {
    const q = JSON.parse(data.textContent);
    const charts = [];
    const sync = uPlot.sync("qos");
    const palette = ["#1f6feb", "#e8590c", "#2f9e44", "#7048e8", "#c92a2a", "#0c8599", "#f59f00", "#5c940d"];
    for (const m of q.metrics) {
      const box = document.getElementById("chart-" + m.mid);
      if (!box) continue;
      const aligned = uPlot.join(m.series.map((s) => [q.streams[s.s].t, s.v]));
      const opts = {
        width: Math.max(480, box.clientWidth - 16), height: 220,
        cursor: { sync: { key: sync.key }, drag: { x: true, y: false } },
        scales: { x: { time: true, min: q.from, max: q.to } },
        // The time axis in UTC, as every time the console shows (not the browser's zone).
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        axes: [{}, { label: m.unit, size: 60 }],
        series: [{}].concat(m.series.map((s, i) => ({ label: q.streams[s.s].label, stroke: palette[i % palette.length], width: 1.5, spanGaps: false }))),
        hooks: { setSelect: [] },
      };
      const chart = new uPlot(opts, aligned, box);
      box.addEventListener("dblclick", () => chart.setScale("x", { min: q.from, max: q.to }));
      // The chart on its element: its x scale is what a zoom changes (the axes are drawn on a canvas).
      box.chart = chart;
      charts.push(chart);
    }
    document.body.setAttribute("data-charts", String(charts.length));
  }
})();
`;
