/* Exceed dashboard: draws the trend chart from the figures embedded with json_script, and
   draws it again whenever htmx swaps in new figures. Without JavaScript the table stays. */
(function () {
  "use strict";
  var chart = null;

  function draw() {
    var source = document.getElementById("trend-data");
    var canvas = document.getElementById("trend-chart");
    if (chart) { chart.destroy(); chart = null; }
    if (!source || !canvas || typeof window.Chart === "undefined") { return; }
    var trend = JSON.parse(source.textContent);
    var points = trend.points || [];
    var locale = document.documentElement.lang || undefined;
    var labels = points.map(function (p) {
      var d = new Date(p.date + "T00:00:00");
      return d.toLocaleDateString(locale, { day: "numeric", month: "short" });
    });
    var dataset = function (key, label, colour) {
      return {
        label: label, data: points.map(function (p) { return p[key]; }),
        borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 2.5,
        tension: 0.25, spanGaps: true
      };
    };
    chart = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          dataset("return_score", canvas.dataset.labelReturn, "#0b5cad"),
          dataset("expectation_index", canvas.dataset.labelExpectation, "#17683a")
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { suggestedMin: -100, suggestedMax: 100, grid: { color: "#e6e9ef" }, ticks: { color: "#5a6473" } },
          x: { grid: { display: false }, ticks: { color: "#5a6473", maxRotation: 0, autoSkip: true } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              footer: function (items) {
                var p = points[items[0].dataIndex];
                return "n = " + p.n + " " + (canvas.dataset.labelN || "");
              }
            }
          }
        }
      }
    });
  }

  // A breakdown row leads where its name's link does; the link stays the real, keyboard target.
  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("tr[data-href]") : null;
    if (!row || event.target.closest("a, button, input, select") || String(window.getSelection())) { return; }
    var link = row.querySelector("th a");
    if (!link) { return; }
    if (event.ctrlKey || event.metaKey || event.shiftKey) { window.open(link.href, "_blank", "noopener"); }
    else { window.location.assign(link.href); }
  });

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
