// Draws the reports page's charts with the vendored uPlot. The figures come from the
// <script type="application/json" id="report-data"> block; each <div data-chart="name">
// gets the chart of that name. No inline script: the page keeps a strict CSP.
(function () {
  "use strict";
  var COLOURS = ["#c0392b", "#7f8c8d", "#27ae60", "#bdc3c7", "#2c3e50", "#2980b9"];
  var VOLUME_COLOURS = {negative: "#c0392b", neutral: "#95a5a6", positive: "#27ae60",
                        unlabelled: "#d5d8dc", "all posts": "#2c3e50"};

  function width(el) { return Math.max(280, el.clientWidth || el.parentNode.clientWidth); }

  function lineChart(el, chart) {
    var names = Object.keys(chart.series);
    var data = [chart.x].concat(names.map(function (n) { return chart.series[n]; }));
    var zone = chart.time_zone;
    return new uPlot({
      width: width(el), height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), zone); },
      scales: {x: {time: true}},
      series: [{label: chart.hourly ? "hour" : "day"}].concat(names.map(function (n, i) {
        return {label: n, stroke: VOLUME_COLOURS[n] || COLOURS[i % COLOURS.length],
                width: n === "all posts" ? 2 : 1.5};
      })),
      axes: [{}, {label: "posts", size: 50}],
    }, data, el);
  }

  function barChart(el, chart) {
    var names = Object.keys(chart.series);
    var labels = chart.labels;
    var x = labels.map(function (_, i) { return i; });
    var data = [x].concat(names.map(function (n) { return chart.series[n]; }));
    var many = names.length > 1;
    var narrow = width(el) < 520;
    var slant = labels.length > 4 || (narrow && labels.length > 2);
    return new uPlot({
      width: width(el), height: slant ? 250 : 220,
      legend: {live: false},
      scales: {
        x: {time: false, range: function () { return [-0.6, labels.length - 0.4]; }},
        y: {range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }},
      },
      series: [{label: "", value: function (u, v) { return v == null ? "" : labels[v]; }}]
        .concat(names.map(function (n, i) {
          var colour = COLOURS[(i + 4) % COLOURS.length];
          return {
            label: n + (chart.unit ? " (" + chart.unit + ")" : ""),
            stroke: colour, fill: colour + "cc", width: 1,
            paths: uPlot.paths.bars({size: [many ? 0.4 : 0.6, 90], align: many ? (i === 0 ? -1 : 1) : 0}),
            points: {show: false},
          };
        })),
      axes: [
        {splits: function () { return x; }, grid: {show: false},
         values: function (u, splits) {
           return splits.map(function (v) {
             return (labels[v] || "").split("\n").map(function (line) {
               return narrow && line.length > 14 ? line.slice(0, 13) + "…" : line;
             }).join("\n");
           });
         }, rotate: slant ? -35 : 0, size: slant ? 80 : 40},
        {label: chart.unit, size: 50},
      ],
    }, data, el);
  }

  function draw() {
    var source = document.getElementById("report-data");
    if (!source || typeof uPlot === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = charts[el.dataset.chart];
      if (!chart) { return; }
      el.textContent = "";
      drawn.push({el: el, plot: el.dataset.kind === "bars" ? barChart(el, chart) : lineChart(el, chart)});
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (d) { d.plot.setSize({width: width(d.el), height: d.plot.height}); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
