// ---- how is X connected to Y: the shortest paths, direction ignored, over the relations shown -----
// (graph.paths and `cubamed path` give the same on the whole graph.)
var PATHS_LISTED = 25;

function adjacency() {
  var adj = new Map();
  shownRelations.forEach(function (i) {
    var r = relations[i];
    if (r.from === r.to) return;
    [[r.from, r.to], [r.to, r.from]].forEach(function (p) {
      var m = adj.get(p[0]);
      if (!m) adj.set(p[0], m = new Map());
      var list = m.get(p[1]);
      if (list) list.push(i); else m.set(p[1], [i]);
    });
  });
  return adj;
}
function distances(adj, start) {
  var dist = new Map([[start, 0]]), count = new Map([[start, 1]]), queue = [start];
  for (var q = 0; q < queue.length; q++) {
    var u = queue[q], du = dist.get(u);
    (adj.get(u) || new Map()).forEach(function (_, v) {
      if (!dist.has(v)) { dist.set(v, du + 1); count.set(v, 0); queue.push(v); }
      if (dist.get(v) === du + 1) count.set(v, count.get(v) + count.get(u));
    });
  }
  return { dist: dist, count: count };
}
// {length, count, paths: [[ids]] (at most `limit`), entities: Set, relations: [indexes]} or null
function shortestPaths(a, b, limit) {
  var adj = adjacency(), fromA = distances(adj, a);
  if (!fromA.dist.has(b)) return null;
  var d = fromA.dist.get(b), fromB = distances(adj, b), on = new Set(), rels = [];
  fromA.dist.forEach(function (da, x) { if (fromB.dist.has(x) && da + fromB.dist.get(x) === d) on.add(x); });
  shownRelations.forEach(function (i) {
    var r = relations[i];
    if (!on.has(r.from) || !on.has(r.to)) return;
    var f = fromA.dist.get(r.from), t = fromA.dist.get(r.to);
    if (Math.abs(f - t) === 1) rels.push(i);
  });
  var paths = [];
  (function walk(path) {
    if (paths.length >= limit) return;
    var u = path[path.length - 1];
    if (u === b) { paths.push(path.slice()); return; }
    Array.from((adj.get(u) || new Map()).keys()).sort().forEach(function (v) {
      if (on.has(v) && fromA.dist.get(v) === fromA.dist.get(u) + 1) { path.push(v); walk(path); path.pop(); }
    });
  })([a]);
  return { length: d, count: fromA.count.get(b), paths: paths, entities: on, relations: rels };
}
function relationsBetween(u, v) {
  return incident.get(u).filter(function (i) {
    var r = relations[i];
    return shownRelations.has(i) && ((r.from === u && r.to === v) || (r.from === v && r.to === u));
  }).map(function (i) { return relations[i]; });
}

function setPathEnd(which, id) {
  state.path[which] = id;
  $(which === "from" ? "path-from" : "path-to").value = id ? nameOf(id) : "";
  if (state.path.from && state.path.to) {
    state.selected = null;
    showPath();
    if (api.lastPaths) network.fit({ nodes: Array.from(api.lastPaths.entities), maxZoomLevel: 1.2, animation: false });  // the paths in view
  }
  viewChanged();
}
function showPath() {
  var a = state.path.from, b = state.path.to, d = details();
  api.lastPaths = null;
  network.unselectAll();
  d.replaceChildren(el("h3", nameOf(a) + " ⟷ " + nameOf(b)));
  if (!entityById.has(a) || !entityById.has(b)) {
    d.append(el("p", "Only entities drawn on this page can be connected here; write a focused page (cubamed html FILE --focus NAME) or run: cubamed path NAME NAME", "hint"));
    return;
  }
  var found = shortestPaths(a, b, PATHS_LISTED);
  api.lastPaths = found;
  if (!found) {
    highlight(new Set([a, b]), new Set(), [a, b]);
    d.append(el("p", "No path connects them through the relations shown" + (shownRelations.size < relations.length ? " (the filters hide some)." : "."), "hint"));
    return;
  }
  var bund = new Set(found.relations.map(function (i) { return bundleOfRelation[i]; }));
  var first = [a, b];
  found.paths.forEach(function (p) { p.forEach(function (x) { if (first.indexOf(x) < 0) first.push(x); }); });
  highlight(found.entities, bund, first);
  d.append(el("div", plural(found.count, "shortest path", "shortest paths") + " of " + plural(found.length, "step", "steps") + ", direction ignored" +
    (found.count > found.paths.length ? "; the first " + found.paths.length + " listed" : ""), "meta"));
  found.paths.forEach(function (p, n) {
    var box = el("section", null, "path");
    box.setAttribute("data-path", p.join(" "));
    box.append(el("h4", "Path " + (n + 1) + ": " + p.map(nameOf).join(" – ")));
    var ol = el("ol", null, "steps");
    for (var k = 0; k + 1 < p.length; k++) {
      var li = el("li");
      li.append(el("div", nameOf(p[k]) + " – " + nameOf(p[k + 1]), "step"));
      li.append(relationList(relationsBetween(p[k], p[k + 1])));
      ol.append(li);
    }
    box.append(ol);
    d.append(box);
  });
  openDrawer("details");
}
function clearPath() {
  state.path.from = state.path.to = null;
  $("path-from").value = ""; $("path-to").value = "";
  clear();
}
searchBox($("path-from"), $("path-from-results"), function (id) { setPathEnd("from", id); if (!state.path.to) $("path-to").focus(); });
searchBox($("path-to"), $("path-to-results"), function (id) { setPathEnd("to", id); });
$("path-swap").addEventListener("click", function () { var f = state.path.from; state.path.from = state.path.to; setPathEnd("to", f); setPathEnd("from", state.path.from); });
$("path-clear").addEventListener("click", clearPath);
api.shortestPaths = function (a, b) { var f = shortestPaths(a, b, 1e6); return f && f.paths; };
api.setPath = function (a, b) { setPathEnd("from", a); setPathEnd("to", b); };
