// The «Аналитика» page: each <canvas data-chart> becomes a Chart.js chart of the table beside it.
// Data comes from the data attribute (CSP forbids inline scripts); the drawn labels are written back
// to data-drawn so a test (and a curious reader) sees what the chart shows.
import Chart from "chart.js/auto";

const COLOURS = ["#2f6fde", "#2e9d5b", "#d9534f", "#f0ad4e", "#7b5ea7", "#17a2b8", "#8d6e63", "#6c757d"];

function draw(canvas) {
  const spec = JSON.parse(canvas.dataset.chart);
  const round = spec.type === "pie" || spec.type === "doughnut";
  const chart = new Chart(canvas, {
    type: spec.type,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.label,
        data: series.data,
        backgroundColor: round ? COLOURS : COLOURS[i % COLOURS.length],
        borderColor: round ? "#fff" : COLOURS[i % COLOURS.length],
        fill: false,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: round || spec.series.length > 1, position: "bottom" } },
    },
  });
  canvas.dataset.drawn = JSON.stringify(chart.data.labels);
}

document.querySelectorAll("canvas[data-chart]").forEach(draw);
