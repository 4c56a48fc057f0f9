/* nianbao charts: bar and stacked-bar charts as plain SVG, no dependencies.
 * <figure class="chart" data-chart='{"labels": [...], "series": [{"name", "values"}],
 *   "stacked": true}'> gets an <svg> drawn into it on page load. A series may carry
 * "sources" (a class per point: source-legacy_table …) and "notes" (said on hover).
 * "format": "percent" (62.5%) or "wan" (24.4万 from 10 000 up) for the axis and the totals. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#4e79a7", "#59a14f", "#e15759", "#f28e2b", "#b07aa1", "#9c755f", "#76b7b2"];

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }

  // a round step giving about `count` ticks from 0 to max
  function niceStep(max, count) {
    var raw = max / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * mag >= raw) return steps[i] * mag;
    return 10 * mag;
  }

  // a number as the chart prints it: big counts in 万 so that 16 years of totals fit
  function fmt(v, format) {
    if (format === "percent") return (+v.toFixed(1)) + "%";
    if (format === "wan" && Math.abs(v) >= 10000) {
      var wan = v / 10000;
      return (+wan.toFixed(Math.abs(wan) >= 100 ? 0 : 1)) + "万";
    }
    return String(+v.toFixed(6));
  }

  function draw(figure, spec) {
    var labels = spec.labels || [], series = spec.series || [];
    var W = 600, H = 300, m = { top: 16, right: 12, bottom: 28, left: 48 };
    var w = W - m.left - m.right, h = H - m.top - m.bottom;
    var num = function (v) { return typeof v === "number" && isFinite(v) ? v : 0; };
    var totals = labels.map(function (_, i) {
      return spec.stacked
        ? series.reduce(function (s, ser) { return s + num(ser.values[i]); }, 0)
        : Math.max.apply(null, series.map(function (ser) { return num(ser.values[i]); }));
    });
    var max = Math.max.apply(null, totals.concat([0]));
    var step = niceStep(max || 1, 5), top = Math.max(step, Math.ceil(max / step) * step);
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img" });
    el("title", {}, svg).textContent = spec.title || "";
    var g = el("g", { transform: "translate(" + m.left + "," + m.top + ")" }, svg);
    var y = function (v) { return h - (v / top) * h; };
    for (var t = 0; t <= top + 1e-9; t += step) {
      el("line", { x1: 0, x2: w, y1: y(t), y2: y(t), stroke: t ? "#e5e5e5" : "#999" }, g);
      text(g, -6, y(t) + 4, fmt(t, spec.format), { "text-anchor": "end", fill: "#555" });
    }
    var band = w / Math.max(labels.length, 1), barW = Math.min(band * 0.7, 80);
    labels.forEach(function (label, i) {
      var x0 = i * band + (band - barW) / 2, base = 0;
      var groups = spec.stacked ? 1 : series.length, sub = barW / Math.max(groups, 1);
      series.forEach(function (ser, s) {
        var v = ser.values[i];
        if (typeof v !== "number") {  // not in the report: no bar, not a zero; the note says why
          var why = ser.notes && ser.notes[i];
          if (why && !spec.stacked) {
            var gap = el("rect", { x: x0, y: 0, width: barW, height: h, fill: "transparent", "class": "gap" }, g);
            el("title", {}, gap).textContent = label + " " + ser.name + ": " + why;
          }
          return;
        }
        var y0 = spec.stacked ? base : 0, x = spec.stacked ? x0 : x0 + s * sub;
        var source = ser.sources && ser.sources[i];
        var rect = el("rect", {
          x: x, y: y(y0 + v), width: Math.max(sub - 1, 1), height: Math.max(y(y0) - y(y0 + v), 0),
          fill: COLORS[s % COLORS.length], "class": "bar" + (source ? " source-" + source : ""),
        }, g);
        if (source) rect.setAttribute("data-source", source);
        var note = ser.notes && ser.notes[i];
        el("title", {}, rect).textContent = label + " " + ser.name + ": " + v + (note ? "\n" + note : "");
        base += spec.stacked ? v : 0;
      });
      text(g, x0 + barW / 2, h + 16, label, { "text-anchor": "middle", fill: "#333" });
      var known = series.some(function (ser) { return typeof ser.values[i] === "number"; });
      if (known && (spec.stacked || series.length === 1))
        text(g, x0 + barW / 2, y(totals[i]) - 4, fmt(totals[i], spec.format),
             { "text-anchor": "middle", fill: "#333", "class": "total" });
    });
    figure.appendChild(svg);
    if (series.length > 1) {
      var legend = document.createElement("div");
      legend.className = "chart-legend";
      series.forEach(function (ser, s) {
        var item = document.createElement("span"), swatch = document.createElement("i");
        swatch.style.background = COLORS[s % COLORS.length];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(ser.name));
        legend.appendChild(item);
      });
      figure.appendChild(legend);
    }
  }

  function init() {
    var figures = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < figures.length; i++) {
      try { draw(figures[i], JSON.parse(figures[i].getAttribute("data-chart"))); }
      catch (e) { figures[i].appendChild(document.createTextNode("chart unavailable: " + e)); }
    }
  }

  window.nianbaoCharts = { draw: draw, fmt: fmt };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
