// Target vs actual chart of an indicator page. Data comes from the json_script element
// "chart-data" (no inline scripts: the CSP allows only files from this site).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var canvas = document.getElementById("indicator-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#6c757d", "#0d6efd"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, index) {
        return {
          label: series.label,
          data: series.data,
          type: index === 0 ? "line" : "bar",
          borderColor: colours[index % colours.length],
          backgroundColor: colours[index % colours.length],
          spanGaps: false,
        };
      }),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: data.unit } } },
    },
  });
})();
