// Draws the dashboard's charts with Chart.js from the data each one's json_script holds. The
// numbers are also in the table beside each chart; the canvas carries a one-sentence summary
// (role="img", aria-label), so the chart itself is a picture, not a second copy to read out.
(() => {
  // Colours told apart by people with the common colour-vision differences (Okabe–Ito), each
  // with at least 3:1 contrast on white.
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00"];
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const datasets = spec.series.map((series, index) => ({
      label: series.label,
      data: series.data,
      backgroundColor: COLOURS[index % COLOURS.length],
      borderColor: COLOURS[index % COLOURS.length],
      borderWidth: spec.kind === "line" ? 3 : 0,
    }));
    const indexAxis = spec.horizontal ? "y" : "x";
    const valueAxis = spec.horizontal ? "x" : "y";
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis,
        animation: reducedMotion ? false : undefined,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          [indexAxis]: { stacked: spec.stacked },
          [valueAxis]: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
