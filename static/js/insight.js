// Enlace dashboard: draws each chart from its JSON endpoint with the vendored Chart.js, and
// fills the accessible table beside it. No inline script (CSP); text comes from the page.
(function () {
  "use strict";
  var PALETTE = ["#123a5c", "#e07a1f", "#2a9d8f", "#c2410c", "#6d28d9", "#0f766e", "#9ca3af"];

  function colour(index) {
    return PALETTE[index % PALETTE.length];
  }

  function fillTable(holder, columns, rows) {
    var table = document.createElement("table");
    table.className = "table table-sm table-striped mb-0";
    var head = table.createTHead().insertRow();
    columns.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (cells) {
      var tr = body.insertRow();
      cells.forEach(function (value) {
        tr.insertCell().textContent = value === null ? "" : String(value);
      });
    });
    holder.replaceChildren(table);
  }

  function draw(figure, data) {
    var canvas = figure.querySelector("canvas");
    if (!data.labels || data.labels.length === 0) {
      figure.querySelector("[data-chart-empty]").classList.remove("d-none");
      canvas.parentElement.classList.add("d-none");
      return;
    }
    var horizontal = data.type === "hbar";
    var stacked = Boolean(data.stacked);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colour(index) };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function load(figure) {
    fetch(figure.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        fillTable(figure.querySelector("[data-chart-table]"), data.columns, data.rows);
        if (window.Chart) { draw(figure, data); }
      })
      .catch(function () {
        figure.querySelector("[data-chart-error]").classList.remove("d-none");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-url]").forEach(load);
  });
})();
