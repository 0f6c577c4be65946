// Charts of the dashboards. Each <canvas data-chart="section|sparkline" data-source="ID"> reads
// its data from the json_script element ID (no inline scripts: the CSP allows only files from
// this site). Section charts: the mean degree of achievement (%) by year, one bar a year
// coloured by status. Sparklines: an indicator's actual value (line) against its target (dashed).
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var STATUS_COLOURS = {
    achieved: "#198754",
    at_risk: "#ffc107",
    not_achieved: "#dc3545",
    missing: "#6c757d",
    none: "#adb5bd",
  };

  function read(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function sectionChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: canvas.dataset.label,
            data: data.data,
            backgroundColor: data.statuses.map(function (status) {
              return STATUS_COLOURS[status] || STATUS_COLOURS.none;
            }),
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.parsed.y === null ? "—" : context.parsed.y.toFixed(1) + " %";
              },
            },
          },
        },
        scales: {
          y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: function (v) { return v + " %"; } } },
        },
      },
    });
  }

  function sparkline(canvas, data) {
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.actualLabel, data: data.actual, borderColor: "#0d6efd", borderWidth: 2, pointRadius: 0, spanGaps: true },
          { label: canvas.dataset.targetLabel, data: data.target, borderColor: "#6c757d", borderWidth: 1, borderDash: [3, 3], pointRadius: 0, spanGaps: true },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false } },
      },
    });
  }

  var builders = { section: sectionChart, sparkline: sparkline };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = read(canvas);
    var build = builders[canvas.dataset.chart];
    if (data && build) {
      build(canvas, data);
    }
  });
})();
