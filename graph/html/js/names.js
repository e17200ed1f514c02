// ---- names and sanctioned rings, drawn on the canvas after vis-network's own drawing -----------
// Names keep one size on screen at any zoom and never overlap: each frame places them in order of
// importance (the highlighted ones first: the selection, a path, a neighbourhood; then the most
// connected), each where it does not cover a name already placed and is not cut by the map's edge,
// else not at all. A highlighted name tries ten places around its entity (below, above, right,
// left, the corners, a line further away), and is drawn below it even if all ten are taken (for
// the first FORCED of a highlight).
// Sanctioned entities get a double ring (white, then DATA.sanctioned.color) outside their shape, so
// the mark shows on any fill and any background.
var NAME_PX = 12, CELL = 64, PAD = 2, FORCED = 40;
var widths = new Map();  // measured name widths at NAME_PX, by entity id and weight
var byImportance = entities.filter(function (e) { return !isBoxed(e); })
  .sort(function (a, b) { return b.size - a.size || a.name.length - b.name.length; });
api.drawnNames = [];
api.rings = [];

function isBoxed(e) { var lab = labelByName.get(e.label); return !!lab && (lab.shape === "box" || lab.shape === "ellipse"); }
function ratio() { return network.canvas.pixelRatio || window.devicePixelRatio || 1; }
function toScreen(e, scale, view) {
  var q = (drawnAt && drawnAt[e.id]) || e;
  return [q.x * scale + view.x, q.y * scale + view.y];
}
function nameWidth(ctx, e, bold) {
  var key = (bold ? "b" : "n") + e.id, w = widths.get(key);
  if (w === undefined) {
    ctx.font = (bold ? "600 " : "") + NAME_PX + "px system-ui, sans-serif";
    w = ctx.measureText(e.name).width;
    widths.set(key, w);
  }
  return w;
}

// While the map is dragged (only moved, not zoomed, nothing else changed) the names placed last are
// drawn again, shifted: placing them anew each frame would slow the drag down on big graphs.
var namesVersion = 0, namesCache = null, panning = false, drawnAt = null;
network.on("dragStart", function (p) { panning = !p.nodes.length; });
network.on("dragEnd", function () { if (panning) { panning = false; network.redraw(); } });
function namesChanged() { namesVersion += 1; }

network.on("afterDrawing", function (ctx) {
  // the canvas's own transform (vis-network's translation and zoom) maps entities to CSS pixels exactly
  var m = ctx.getTransform(), k = ratio(), view = { scale: m.a / k, x: m.e / k, y: m.f / k };
  var w = network.canvas.frame.canvas.clientWidth, h = network.canvas.frame.canvas.clientHeight;
  drawnAt = network.getPositions();  // where vis-network has the entities now (they move with physics or a drag)
  ctx.save();
  ctx.setTransform(k, 0, 0, k, 0, 0);  // draw in CSS pixels
  drawRings(ctx, view.scale, view, w, h);
  var c = namesCache;
  if (panning && c && c.scale === view.scale && c.version === namesVersion) {
    paintNames(ctx, c.placed, view.x - c.x, view.y - c.y);
  } else {
    var placed = placeNames(ctx, view.scale, view, w, h);
    namesCache = { scale: view.scale, x: view.x, y: view.y, version: namesVersion, placed: placed };
    paintNames(ctx, placed, 0, 0);
  }
  ctx.restore();
});

var sanctionedEntities = entities.filter(function (e) { return !!e.sanctioned_by; });
function drawRings(ctx, scale, view, w, h) {
  api.rings = [];
  sanctionedEntities.forEach(function (e) {
    if (hiddenNodes.has(e.id)) return;
    var p = toScreen(e, scale, view), r = ringRadius(e, scale);
    if (p[0] < -r - 10 || p[1] < -r - 10 || p[0] > w + r + 10 || p[1] > h + r + 10) return;
    ctx.globalAlpha = lit && !lit.entities.has(e.id) ? 0.25 : 1;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.beginPath(); ctx.arc(p[0], p[1], r + 1.5, 0, 2 * Math.PI); ctx.stroke();
    ctx.strokeStyle = DATA.sanctioned.color;
    ctx.beginPath(); ctx.arc(p[0], p[1], r + 4.5, 0, 2 * Math.PI); ctx.stroke();
    api.rings.push({ id: e.id, x: p[0], y: p[1], inner: r + 1.5, outer: r + 4.5 });
  });
  ctx.globalAlpha = 1;
}
function ringRadius(e, scale) { return e.size * scale * (shapeOf(e) === "dot" ? 1 : 1.12) + 1; }  // the white ring's inner edge
function shapeOf(e) { var lab = labelByName.get(e.label); return lab ? lab.shape : "dot"; }

function placeNames(ctx, scale, view, w, h) {
  var grid = new Map(), placed = [];
  function cells(b, fn) {
    for (var i = Math.floor(b[0] / CELL), i1 = Math.floor(b[2] / CELL); i <= i1; i++)
      for (var j = Math.floor(b[1] / CELL), j1 = Math.floor(b[3] / CELL); j <= j1; j++) if (fn(i * 65536 + j) === false) return false;
    return true;
  }
  function free(b) {
    return cells(b, function (k) {
      var c = grid.get(k);
      if (c) for (var i = 0; i < c.length; i++) if (b[0] < c[i][2] && c[i][0] < b[2] && b[1] < c[i][3] && c[i][1] < b[3]) return false;
    });
  }
  function put(b) { cells(b, function (k) { var c = grid.get(k); if (c) c.push(b); else grid.set(k, [b]); }); }
  function boxes(e, p, tw) {  // below, above, right, left of the shape; then the four corners; then a line further down or up
    var r = e.sanctioned_by ? ringRadius(e, scale) + 6 : e.size * scale, th = NAME_PX + 2, d = 0.7 * r;
    var below = p[1] + r + PAD, above = p[1] - r - PAD - th, right = p[0] + r + PAD + 2, left = p[0] - r - PAD - 2 - tw;
    return [
      [p[0] - tw / 2, below, p[0] + tw / 2, below + th],
      [p[0] - tw / 2, above, p[0] + tw / 2, above + th],
      [right, p[1] - th / 2, right + tw, p[1] + th / 2],
      [left, p[1] - th / 2, left + tw, p[1] + th / 2],
      [p[0] + d, p[1] + d, p[0] + d + tw, p[1] + d + th],
      [p[0] - d - tw, p[1] + d, p[0] - d, p[1] + d + th],
      [p[0] + d, p[1] - d - th, p[0] + d + tw, p[1] - d],
      [p[0] - d - tw, p[1] - d - th, p[0] - d, p[1] - d],
      [p[0] - tw / 2, below + th, p[0] + tw / 2, below + 2 * th],
      [p[0] - tw / 2, above - th, p[0] + tw / 2, above],
    ];
  }
  function inView(b) { return b[0] >= 0 && b[2] <= w && b[1] >= 0 && b[3] <= h; }  // whole: no name cut at the edge
  function partly(b) { return b[2] > 0 && b[0] < w && b[3] > 0 && b[1] < h; }
  function place(e, first) {
    if (hiddenNodes.has(e.id) || isBoxed(e)) return;
    var p = toScreen(e, scale, view);
    if (p[0] < -200 || p[1] < -50 || p[0] > w + 200 || p[1] > h + 50) return;
    var bold = !!state.selected && state.selected.kind === "entity" && state.selected.id === e.id;
    var tw = nameWidth(ctx, e, bold) + 4, options = boxes(e, p, tw), chosen = null;
    for (var i = 0; i < (first ? options.length : 1); i++) if (inView(options[i]) && free(options[i])) { chosen = options[i]; break; }
    for (i = 0; first && !chosen && i < options.length; i++) if (partly(options[i]) && free(options[i])) chosen = options[i];
    if (!chosen && first === true) chosen = options[0];
    if (!chosen) return;
    put(chosen);
    placed.push({ id: e.id, box: chosen, bold: bold, dim: !!lit && !lit.entities.has(e.id) });
  }
  api.rings.forEach(function (g) { put([g.x - g.outer - 1.5, g.y - g.outer - 1.5, g.x + g.outer + 1.5, g.y + g.outer + 1.5]); });  // names keep off the rings
  var seen = new Set();
  // up to FORCED highlighted names are always drawn; a bigger highlight (a hub's neighbourhood) names
  // its first ones so, and the rest where they fit (more as one zooms in)
  if (lit) lit.first.forEach(function (id, k) {
    var e = entityById.get(id);
    if (e && !seen.has(id)) { seen.add(id); place(e, k < FORCED || lit.first.length <= FORCED ? true : "try"); }
  });
  byImportance.forEach(function (e) { if (!seen.has(e.id)) place(e, false); });
  api.drawnNames = placed;
  return placed;
}
function paintNames(ctx, placed, dx, dy) {
  ctx.textBaseline = "top";
  ctx.lineJoin = "round";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255,255,255,0.9)";
  ctx.fillStyle = "#222222";
  placed.forEach(function (n) {
    var e = entityById.get(n.id), x = n.box[0] + 2 + dx, y = n.box[1] + 1 + dy;
    ctx.font = (n.bold ? "600 " : "") + NAME_PX + "px system-ui, sans-serif";
    ctx.globalAlpha = n.dim ? 0.3 : 1;
    ctx.strokeText(e.name, x, y);
    ctx.fillText(e.name, x, y);
  });
  ctx.globalAlpha = 1;
}

// Names inside boxes (source documents) are vis-network's: their font grows as one zooms out, so
// that they stay at least BOX_PX pixels high on screen.
var BOX_PX = 12, boxed = entities.filter(isBoxed), boxFont = null;
function sizeBoxes() {
  if (!boxed.length) return;
  var size = Math.max(DATA.options.nodes.font.size, BOX_PX / network.getScale());
  if (boxFont !== null && Math.abs(size - boxFont) < 0.02 * boxFont) return;
  boxFont = size;
  nodes.update(boxed.map(function (e) {
    var lab = labelByName.get(e.label);
    return { id: e.id, font: { size: size, color: textOn(lab.color) }, widthConstraint: { maximum: 15 * size } };
  }));
}
network.on("afterDrawing", sizeBoxes);  // after any change of zoom: a wheel, a key, a link
