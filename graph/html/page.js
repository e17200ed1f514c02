// The cubamed explorer page. Every text that comes from the data goes into the DOM through
// textContent (never innerHTML); vis-network draws names on the canvas and shows edge titles as text.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cubamed-data").textContent);
  var GLYPHS = { dot: "●", ellipse: "●", triangle: "▲", diamond: "◆", star: "★", square: "■", hexagon: "⬢", triangleDown: "▼", box: "▬" };
  var FIGURES = ["count", "count_qualifier", "count_min", "count_max", "countries", "role", "year", "start_year", "end_year", "date",
    "amount_usd", "amount_period", "quantity", "unit", "percent_min", "percent_max", "status", "event", "program", "claimed_by"];

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fold(s) { return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
  function fmt(k, v) {
    if (Array.isArray(v)) return v.join(", ");
    return typeof v === "number" && !/year|date/.test(k) ? v.toLocaleString("en") : String(v);
  }

  var nodeById = new Map(), edgeById = new Map(), incident = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); incident.set(n.id, []); });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
  });
  var searchIndex = DATA.nodes.map(function (n) { return { id: n.id, keys: [n.label].concat(n.al).map(fold) }; });

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var years = DATA.years;
  var state = {
    labels: new Set(DATA.labels.map(function (l) { return l.name; })),
    types: new Set(DATA.types.map(function (t) { return t.name; })),
    lo: years ? years[0] : null, hi: years ? years[1] : null,
    selected: null, physics: false,
  };
  var hiddenNodes = new Set(), hiddenEdges = new Set(), dimmed = false;

  var api = window.cubamed = {
    data: DATA, nodes: nodes, edges: edges, state: state, network: null, firstDraw: null,
    nodeCount: DATA.nodes.length, edgeCount: DATA.edges.length,
    search: search, selectNode: selectNode, selectEdge: selectEdge, setLabel: setLabel, setType: setType, setYears: setYears,
    clear: clear, hiddenNodeIds: function () { return Array.from(hiddenNodes); }, hiddenEdgeIds: function () { return Array.from(hiddenEdges); },
  };

  var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
  api.network = network;
  network.once("afterDrawing", function () { api.firstDraw = performance.now(); document.body.setAttribute("data-ready", "1"); });

  // ---- filters -------------------------------------------------------------------------------
  function nodeShown(n) { return state.labels.has(n.lab); }
  function edgeShown(e) {
    if (!state.types.has(e.t)) return false;
    if (years && e.y0 !== null && (e.y1 < state.lo || e.y0 > state.hi)) return false;
    return !hiddenNodes.has(e.from) && !hiddenNodes.has(e.to);
  }
  function applyFilters() {
    var nu = [], eu = [];
    DATA.nodes.forEach(function (n) {
      var hide = !nodeShown(n);
      if (hide !== hiddenNodes.has(n.id)) { nu.push({ id: n.id, hidden: hide }); if (hide) hiddenNodes.add(n.id); else hiddenNodes.delete(n.id); }
    });
    DATA.edges.forEach(function (e) {
      var hide = !edgeShown(e);
      if (hide !== hiddenEdges.has(e.id)) { eu.push({ id: e.id, hidden: hide }); if (hide) hiddenEdges.add(e.id); else hiddenEdges.delete(e.id); }
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    updateCounts();
  }
  function setLabel(label, on) {
    if (on) state.labels.add(label); else state.labels.delete(label);
    var box = document.querySelector('input[data-label="' + CSS.escape(label) + '"]');
    if (box) box.checked = on;
    applyFilters();
  }
  function setType(type, on) {
    if (on) state.types.add(type); else state.types.delete(type);
    var box = document.querySelector('input[data-type="' + CSS.escape(type) + '"]');
    if (box) box.checked = on;
    applyFilters();
  }
  function setYears(lo, hi) {
    if (!years) return;
    state.lo = Math.min(lo, hi); state.hi = Math.max(lo, hi);
    $("year-lo").value = state.lo; $("year-hi").value = state.hi;
    $("years-text").textContent = state.lo + " – " + state.hi;
    applyFilters();
  }
  function updateCounts() {
    var shownN = DATA.nodes.length - hiddenNodes.size, shownE = DATA.edges.length - hiddenEdges.size;
    var text = shownN.toLocaleString("en") + " entities · " + shownE.toLocaleString("en") + " relations shown";
    if (DATA.nodes.length < DATA.total.nodes) text += " (graph: " + DATA.total.nodes.toLocaleString("en") + " / " + DATA.total.edges.toLocaleString("en") + ")";
    $("counts").textContent = text;
  }

  // ---- legend --------------------------------------------------------------------------------
  DATA.labels.forEach(function (l) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-label", l.name);
    box.addEventListener("change", function () { setLabel(l.name, box.checked); });
    var glyph = el("span", GLYPHS[l.shape] || "●", "glyph"); glyph.style.color = l.color;
    label.title = l.doc;
    label.append(box, glyph, el("span", l.name), el("span", l.count, "count"));
    li.append(label); $("legend-labels").append(li);
  });
  DATA.types.forEach(function (t) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.name);
    box.addEventListener("change", function () { setType(t.name, box.checked); });
    var sw = el("span", null, "swatch"); sw.style.background = t.color;
    label.title = t.doc;
    label.append(box, sw, el("span", t.name), el("span", t.count, "count"));
    li.append(label); $("legend-types").append(li);
  });
  function allTypes(on) {
    DATA.types.forEach(function (t) {
      if (on) state.types.add(t.name); else state.types.delete(t.name);
      document.querySelector('input[data-type="' + CSS.escape(t.name) + '"]').checked = on;
    });
    applyFilters();
  }
  $("types-all").addEventListener("click", function () { allTypes(true); });
  $("types-none").addEventListener("click", function () { allTypes(false); });
  if (years) {
    ["year-lo", "year-hi"].forEach(function (id) {
      var r = $(id); r.min = years[0]; r.max = years[1]; r.step = 1;
      r.addEventListener("input", function () { setYears(+$("year-lo").value, +$("year-hi").value); });
    });
    $("year-lo").value = years[0]; $("year-hi").value = years[1];
    $("years-text").textContent = years[0] + " – " + years[1];
  } else {
    $("years-box").hidden = true;
  }
  if (DATA.note) { $("note").textContent = DATA.note; $("note").hidden = false; }
  updateCounts();

  // ---- highlight and details -----------------------------------------------------------------
  function highlight(keepNodes, keepEdges) {
    var nu = [], eu = [];
    DATA.nodes.forEach(function (n) {
      var on = !keepNodes || keepNodes.has(n.id);
      nu.push({ id: n.id, opacity: on ? 1 : 0.15, font: { color: on ? "#222222" : "rgba(0,0,0,0.15)" } });
    });
    DATA.edges.forEach(function (e) {
      var on = !keepEdges || keepEdges.has(e.id);
      eu.push({ id: e.id, color: { color: e.color.color, highlight: e.color.color, hover: e.color.color, opacity: on ? 1 : 0.08 } });
    });
    nodes.update(nu); edges.update(eu);
    dimmed = !!keepNodes;
  }
  function neighbourhood(id) {
    var ns = new Set([id]), es = new Set();
    incident.get(id).forEach(function (e) { es.add(e.id); ns.add(e.from); ns.add(e.to); });
    return [ns, es];
  }
  function nameOf(id) { var n = nodeById.get(id); return n ? n.label : id; }
  function linkTo(id) {
    var b = el("button", nameOf(id), "link"); b.type = "button";
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }
  function figuresText(p) {
    return FIGURES.filter(function (k) { return p[k] !== undefined && p[k] !== null; })
      .map(function (k) { return k.replace(/_/g, " ") + ": " + fmt(k, p[k]); }).join(" · ");
  }
  function relationBlock(e, from) {
    var box = el("div", null, "rel"), line = el("div");
    if (from === undefined) {
      line.append(linkTo(e.from), " ", el("span", "—" + e.t + "→", "type"), " ", linkTo(e.to));
    } else if (e.from === from) {
      line.append(el("span", e.t + " →", "type"), " ", linkTo(e.to));
    } else {
      line.append(el("span", "← " + e.t, "type"), " ", linkTo(e.from));
    }
    box.append(line);
    var figs = figuresText(e.p);
    if (figs) box.append(el("div", figs, "figures"));
    var src = e.s === null ? null : (DATA.sources[e.s] || e.s);
    if (src !== null) box.append(el("div", "Source: " + src + (e.p.locator ? " (" + e.p.locator + ")" : ""), "source"));
    if (e.p.evidence) box.append(el("div", e.p.evidence, "evidence"));
    return box;
  }
  function showNode(id) {
    var n = nodeById.get(id), d = $("details");
    d.replaceChildren();
    d.append(el("h3", n.label), el("div", n.lab + " · id: " + n.id, "meta"));
    if (n.sb) d.append(el("div", "Sanctioned" + (n.sb.length ? " by " + n.sb.join(", ") : ""), "badge"));
    if (n.al.length) d.append(el("div", "Also: " + n.al.join("; ")));
    var keys = Object.keys(n.p);
    if (keys.length) {
      var dl = el("dl");
      keys.forEach(function (k) { dl.append(el("dt", k.replace(/_/g, " ")), el("dd", fmt(k, n.p[k]))); });
      d.append(dl);
    }
    var rels = incident.get(id);
    d.append(el("h4", rels.length + (rels.length === 1 ? " relation" : " relations")));
    rels.slice().sort(function (a, b) { return a.t < b.t ? -1 : a.t > b.t ? 1 : (a.y0 || 0) - (b.y0 || 0); })
      .forEach(function (e) { d.append(relationBlock(e, id)); });
  }
  function showEdge(id) {
    var e = edgeById.get(id), d = $("details");
    d.replaceChildren();
    d.append(el("h3", e.t), el("div", "Relation · id: " + e.rid, "meta"), relationBlock(e));
    var rest = Object.keys(e.p).filter(function (k) { return FIGURES.indexOf(k) < 0 && k !== "evidence" && k !== "locator"; });
    if (rest.length) {
      var dl = el("dl");
      rest.forEach(function (k) { dl.append(el("dt", k.replace(/_/g, " ")), el("dd", fmt(k, e.p[k]))); });
      d.append(dl);
    }
  }
  function selectNode(id, centre) {
    if (!nodeById.has(id)) return false;
    var n = nodeById.get(id);
    if (!state.labels.has(n.lab)) setLabel(n.lab, true);
    var hood = neighbourhood(id);
    highlight(hood[0], hood[1]);
    network.selectNodes([id], false);
    if (centre) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    state.selected = id;
    showNode(id);
    return true;
  }
  function selectEdge(id) {
    var e = edgeById.get(id);
    highlight(new Set([e.from, e.to]), new Set([id]));
    network.selectEdges([id]);
    state.selected = null;
    showEdge(id);
  }
  function clear() {
    if (dimmed) highlight(null, null);
    network.unselectAll();
    state.selected = null;
    $("details").replaceChildren(el("p", "Click an entity or a relation to see its details and sources. Click an empty spot to clear.", "hint"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) selectNode(p.nodes[0], false);
    else if (p.edges.length) selectEdge(p.edges[0]);
    else clear();
  });

  // ---- search --------------------------------------------------------------------------------
  function search(q) {
    var f = fold(q);
    if (!f) return [];
    var exact = [], starts = [], partial = [];
    searchIndex.forEach(function (s) {
      if (s.keys.indexOf(f) >= 0) exact.push(s.id);
      else if (s.keys.some(function (k) { return k.indexOf(f) === 0; })) starts.push(s.id);
      else if (s.keys.some(function (k) { return k.indexOf(f) >= 0; })) partial.push(s.id);
    });
    return exact.concat(starts, partial);
  }
  function showResults(ids) {
    var box = $("results");
    box.replaceChildren();
    ids.slice(0, 12).forEach(function (id) {
      var n = nodeById.get(id), b = el("button"); b.type = "button";
      b.append(el("span", n.label), el("span", n.lab + (n.al.length ? " · " + n.al.join("; ") : ""), "sub"));
      b.addEventListener("click", function () { pick(id); });
      box.append(b);
    });
  }
  function pick(id) { $("results").replaceChildren(); selectNode(id, true); }
  var input = $("search");
  input.addEventListener("input", function () { showResults(search(input.value)); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var ids = search(input.value); if (ids.length) pick(ids[0]); }
    if (ev.key === "Escape") { $("results").replaceChildren(); }
  });

  // ---- buttons -------------------------------------------------------------------------------
  $("physics").addEventListener("click", function () {
    state.physics = !state.physics;
    network.setOptions({ physics: { enabled: state.physics } });
    $("physics").textContent = "Physics: " + (state.physics ? "on" : "off");
    $("physics").setAttribute("aria-pressed", String(state.physics));
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: false }); });
})();
