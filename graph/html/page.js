// The cubamed explorer page. Every text that comes from the data goes into the DOM through
// textContent (never innerHTML); vis-network draws names on the canvas and shows edge titles as text.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cubamed-data").textContent);
  var NAME_PX = 13, MAX_PX = 18;  // a name's size in pixels when it first shows, and at most (see sizeNames)
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
  if (DATA.note) { $("note").textContent = DATA.note; $("note").hidden = false; }  // before sizing: it takes room from the map
  var fitScale = sizeNames(DATA.nodes);

  // ---- entities not drawn (a reduced page) ---------------------------------------------------
  // DATA.index.n: [id, name, aliases, label number, properties, sanctioned by] for each entity not drawn;
  // DATA.index.r: its relations [from, to, type number, first year, last year, source, properties], where
  // entities are numbered: the drawn ones in page order, then the rows of n. Unpacked on first use.
  var IDX = DATA.index, indexedAt = new Map(), extraRels = null;
  if (IDX) IDX.n.forEach(function (row, i) { indexedAt.set(row[0], i); });
  function idOf(k) { return k < DATA.nodes.length ? DATA.nodes[k].id : IDX.n[k - DATA.nodes.length][0]; }
  function relationsNotDrawn(id) {
    if (!IDX || !IDX.r) return [];
    if (!extraRels) {
      extraRels = new Map();
      IDX.r.forEach(function (r) {
        var e = { from: idOf(r[0]), to: idOf(r[1]), t: IDX.types[r[2]], y0: r[3], y1: r[4], s: r[5], p: r[6] };
        [e.from, e.to].forEach(function (end, j) {
          if (j === 1 && e.to === e.from) return;
          var list = extraRels.get(end);
          if (list) list.push(e); else extraRels.set(end, [e]);
        });
      });
    }
    return extraRels.get(id) || [];
  }

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
    search: search, selectNode: selectNode, selectEdge: selectEdge, openEntity: openEntity, indexedCount: DATA.index ? DATA.index.n.length : 0, setLabel: setLabel, setType: setType, setYears: setYears,
    clear: clear, hiddenNodeIds: function () { return Array.from(hiddenNodes); }, hiddenEdgeIds: function () { return Array.from(hiddenEdges); },
  };

  var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
  api.network = network;
  api.fitScale = fitScale;
  api.capNames = capNames;
  network.once("afterDrawing", function () { api.firstDraw = performance.now(); document.body.setAttribute("data-ready", "1"); });

  // ---- names on the canvas --------------------------------------------------------------------
  // vis-network draws a name when its font size times the zoom reaches scaling.label.drawThreshold.
  // Each name gets the font size (n.fs) that makes it NAME_PX pixels at the zoom where it first fits
  // without covering the name of a better-connected entity: at the fitted zoom the hubs are named, and
  // as one zooms in the rest follow (all of them by ALL_NAMED). Names inside their shape (box) keep the
  // default. Zoomed in, a name would grow without end (vis-network 9.1.2 ignores scaling.label.maxVisible):
  // capNames keeps it at most MAX_PX pixels.
  function sizeNames(list) {
    // At zoom z at most FIRST * (z / s0)² names are drawn (a fitted view's worth, growing as fast as the
    // part of the graph in view shrinks), the most connected first, skipping those that would overlap.
    var ALL_NAMED = 1.5, STEP = 1.5, CELL = 128, FIRST = 40;
    if (!list.length) return 1;
    var g = $("graph"), w = g.clientWidth || 800, h = g.clientHeight || 600;
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    list.forEach(function (n) {
      x0 = Math.min(x0, n.x - n.size); x1 = Math.max(x1, n.x + n.size);
      y0 = Math.min(y0, n.y - n.size); y1 = Math.max(y1, n.y + n.size);
    });
    var s0 = Math.min(1, w / (1.1 * (x1 - x0) || 1), h / (1.1 * (y1 - y0) || 1));  // as network.fit() computes it
    var vx0 = (x0 + x1) / 2 * s0 - w / 2, vy0 = (y0 + y1) / 2 * s0 - h / 2;  // the fitted view, in pixels at zoom s0
    var order = list.filter(function (n) { return n.shape !== "box" && n.shape !== "ellipse"; })
      .sort(function (a, b) { return b.size - a.size || a.label.length - b.label.length; });
    var at = new Array(order.length).fill(0);  // zoom at which each name is first drawn (0: not yet)
    var named = [], grid = new Map();
    function boxOf(n, z, px) {  // the name's box in pixels at zoom z, with a margin
      var bw = 0.56 * px * Math.min(n.label.length, 60) + 8, cx = n.x * z, top = (n.y + n.size) * z + 2;
      return [cx - bw / 2, top, cx + bw / 2, top + 1.25 * px + 2];
    }
    function visit(b, fn) {
      for (var i = Math.floor(b[0] / CELL), i1 = Math.floor(b[2] / CELL); i <= i1; i++)
        for (var j = Math.floor(b[1] / CELL), j1 = Math.floor(b[3] / CELL); j <= j1; j++) if (fn(i * 1048576 + j) === false) return false;
      return true;
    }
    function put(b) { visit(b, function (k) { var c = grid.get(k); if (c) c.push(b); else grid.set(k, [b]); }); }
    function free(b) {
      return visit(b, function (k) {
        var c = grid.get(k);
        if (c) for (var i = 0; i < c.length; i++) if (b[0] < c[i][2] && c[i][0] < b[2] && b[1] < c[i][3] && c[i][1] < b[3]) return false;
      });
    }
    for (var z = s0, last = false; !last; z *= STEP) {
      if (z >= Math.max(s0, ALL_NAMED)) { z = Math.max(s0, ALL_NAMED); last = true; }
      grid.clear();
      named.forEach(function (i) { put(boxOf(order[i], z, Math.min(MAX_PX, NAME_PX * z / at[i]))); });
      var quota = last ? order.length : Math.round(FIRST * (z / s0) * (z / s0));
      for (var i = 0; i < order.length && named.length < quota; i++) {
        if (at[i]) continue;
        var b = boxOf(order[i], z, NAME_PX);
        if (z === s0 && (b[0] < vx0 || b[2] > vx0 + w || b[3] > vy0 + h)) continue;  // cut off in the fitted view
        if (last || free(b)) { at[i] = z; named.push(i); put(b); }
      }
    }
    order.forEach(function (n, i) {
      n.fs = NAME_PX / at[i];
      n.fc = Math.min(n.fs, MAX_PX / s0);
      n.font = { size: n.fc };
    });
    return s0;
  }
  function fontOf(n) {
    var f = { color: n.dim ? "rgba(0,0,0,0.15)" : "#222222" };
    if (n.fs) f.size = n.fc;
    return f;
  }
  var capPending = false;
  function capNames() {
    capPending = false;
    var cap = MAX_PX / network.getScale(), nu = [];
    DATA.nodes.forEach(function (n) {
      if (!n.fs) return;
      var f = Math.min(n.fs, cap);
      if (Math.abs(f - n.fc) > 0.03 * n.fc) { n.fc = f; nu.push({ id: n.id, font: fontOf(n) }); }
    });
    if (nu.length) nodes.update(nu);
  }
  function capNamesSoon() { if (!capPending) { capPending = true; requestAnimationFrame(capNames); } }

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
  updateCounts();

  // ---- highlight and details -----------------------------------------------------------------
  function highlight(keepNodes, keepEdges) {
    var nu = [], eu = [];
    DATA.nodes.forEach(function (n) {
      var on = !keepNodes || keepNodes.has(n.id);
      n.dim = !on;  // the font is replaced whole (DataSet.update merges one level deep): fontOf keeps the size
      nu.push({ id: n.id, opacity: on ? 1 : 0.15, font: fontOf(n) });
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
  function nameOf(id) {
    var n = nodeById.get(id);
    if (n) return n.label;
    return indexedAt.has(id) ? IDX.n[indexedAt.get(id)][1] : id;
  }
  function linkTo(id) {
    var b = el("button", nameOf(id), nodeById.has(id) ? "link" : "link undrawn"); b.type = "button";
    if (!nodeById.has(id)) b.title = "not drawn on this page";
    b.addEventListener("click", function () { openEntity(id); });
    return b;
  }
  function byType(a, b) { return a.t < b.t ? -1 : a.t > b.t ? 1 : (a.y0 || 0) - (b.y0 || 0); }
  function propsList(p) {
    var dl = el("dl");
    Object.keys(p).forEach(function (k) { dl.append(el("dt", k.replace(/_/g, " ")), el("dd", fmt(k, p[k]))); });
    return dl;
  }
  function focusCommand(id) {
    var q = function (s) { return /^[A-Za-z0-9._\/-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; };
    var file = (id.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "focus") + ".html";
    return "cubamed html " + file + " --focus " + q(id) + " --depth 1";
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
    if (Object.keys(n.p).length) d.append(propsList(n.p));
    var rels = incident.get(id);
    d.append(el("h4", rels.length + (rels.length === 1 ? " relation" : " relations")));
    rels.slice().sort(byType).forEach(function (e) { d.append(relationBlock(e, id)); });
    var more = relationsNotDrawn(id);
    if (more.length) {
      d.append(el("h4", more.length + (more.length === 1 ? " more relation" : " more relations") + " with entities not drawn"));
      more.slice().sort(byType).forEach(function (e) { d.append(relationBlock(e, id)); });
    }
  }
  function showIndexed(id) {
    var row = IDX.n[indexedAt.get(id)], d = $("details");
    d.replaceChildren();
    d.append(el("h3", row[1]), el("div", IDX.labels[row[3]] + " · id: " + row[0], "meta"));
    d.append(el("div", "Not drawn: this page draws the " + DATA.nodes.length.toLocaleString("en") + " most connected entities.", "undrawn-note"));
    if (row[5]) d.append(el("div", "Sanctioned" + (row[5].length ? " by " + row[5].join(", ") : ""), "badge"));
    if (row[2].length) d.append(el("div", "Also: " + row[2].join("; ")));
    if (Object.keys(row[4]).length) d.append(propsList(row[4]));
    var cmd = el("div", null, "command");
    cmd.append(el("div", "Write its own page, with everything around it:"), el("code", focusCommand(id)));
    d.append(cmd);
    if (!IDX.r) {
      d.append(el("p", "Its relations are not in this page (too many to include): write its page to see them.", "hint"));
      return;
    }
    var rels = relationsNotDrawn(id);
    d.append(el("h4", rels.length + (rels.length === 1 ? " relation" : " relations")));
    rels.slice().sort(byType).forEach(function (e) { d.append(relationBlock(e, id)); });
  }
  function openEntity(id) {
    if (nodeById.has(id)) return selectNode(id, true);
    if (!indexedAt.has(id)) return false;
    // dim the drawn map but for the entities it is related to
    var near = new Set();
    relationsNotDrawn(id).forEach(function (e) { [e.from, e.to].forEach(function (x) { if (nodeById.has(x)) near.add(x); }); });
    if (near.size) highlight(near, new Set()); else if (dimmed) highlight(null, null);
    network.unselectAll();
    state.selected = id;
    showIndexed(id);
    return true;
  }
  function showEdge(id) {
    var e = edgeById.get(id), d = $("details");
    d.replaceChildren();
    d.append(el("h3", e.t), el("div", "Relation · id: " + e.rid, "meta"), relationBlock(e));
    var rest = {};
    Object.keys(e.p).forEach(function (k) { if (FIGURES.indexOf(k) < 0 && k !== "evidence" && k !== "locator") rest[k] = e.p[k]; });
    if (Object.keys(rest).length) d.append(propsList(rest));
  }
  function selectNode(id, centre) {
    if (!nodeById.has(id)) return false;
    var n = nodeById.get(id);
    if (!state.labels.has(n.lab)) setLabel(n.lab, true);
    var hood = neighbourhood(id);
    highlight(hood[0], hood[1]);
    network.selectNodes([id], false);
    if (centre) { network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false }); capNames(); }
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
  var searchAll = null;
  function search(q) {
    var f = fold(q);
    if (!f) return [];
    if (!searchAll) {  // the entities not drawn join the search on first use, not before the first drawing
      searchAll = IDX ? searchIndex.concat(IDX.n.map(function (row) { return { id: row[0], keys: [row[1]].concat(row[2]).map(fold) }; })) : searchIndex;
    }
    var exact = [], starts = [], partial = [];
    searchAll.forEach(function (s) {
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
      if (n) {
        b.append(el("span", n.label), el("span", n.lab + (n.al.length ? " · " + n.al.join("; ") : ""), "sub"));
      } else {
        var row = IDX.n[indexedAt.get(id)];
        b.append(el("span", row[1]), el("span", IDX.labels[row[3]] + (row[2].length ? " · " + row[2].join("; ") : "") + " · not drawn", "sub"));
      }
      b.addEventListener("click", function () { pick(id); });
      box.append(b);
    });
  }
  function pick(id) { $("results").replaceChildren(); openEntity(id); }
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
  $("fit").addEventListener("click", function () { network.fit({ animation: false }); capNames(); });
  network.on("zoom", capNamesSoon);
})();
