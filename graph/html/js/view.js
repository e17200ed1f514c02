// ---- the view in the URL's fragment: a copied link reopens it (from a file too) -----------------
// #entity=ID | relation=ID | bundle=ID (its first relation) & hide-label=L & hide-type=T (repeated)
// & years=FIRST-LAST & from=ID & to=ID (a path) & view=X,Y,ZOOM
var hashTimer = null, hashWritable = true, lastHash = null;
function viewChanged() {
  if (hashTimer === null) hashTimer = setTimeout(writeHash, 150);
}
function currentHash() {
  var p = new URLSearchParams();
  if (state.selected) p.set(state.selected.kind, state.selected.id);
  DATA.labels.forEach(function (l) { if (!state.labels.has(l.name)) p.append("hide-label", l.name); });
  familyOfType.forEach(function (_, t) { if (!state.types.has(t)) p.append("hide-type", t); });
  if (years && (state.lo !== years[0] || state.hi !== years[1])) p.set("years", state.lo + "-" + state.hi);
  if (state.path.from) p.set("from", state.path.from);
  if (state.path.to) p.set("to", state.path.to);
  var at = network.getViewPosition();
  p.set("view", [at.x.toFixed(1), at.y.toFixed(1), network.getScale().toFixed(4)].join(","));
  return p.toString();
}
function writeHash() {
  hashTimer = null;
  var h = currentHash();
  if (h === lastHash || !hashWritable) return;
  lastHash = h;
  try {
    history.replaceState(null, "", "#" + h);
  } catch (err) {  // an iframe's srcdoc (Jupyter) has no URL of its own: the view works, the link does not
    hashWritable = false;
  }
}
function readHash(hash) {
  var p = new URLSearchParams(hash.replace(/^#/, ""));
  state.labels = new Set(DATA.labels.map(function (l) { return l.name; }));
  p.getAll("hide-label").forEach(function (l) { state.labels.delete(l); });
  state.types = new Set(Array.from(familyOfType.keys()));
  p.getAll("hide-type").forEach(function (t) { state.types.delete(t); });
  var y = /^(\d+)-(\d+)$/.exec(p.get("years") || "");
  if (years) { state.lo = y ? Math.max(years[0], +y[1]) : years[0]; state.hi = y ? Math.min(years[1], +y[2]) : years[1]; }
  state.path.from = entityById.has(p.get("from")) ? p.get("from") : null;
  state.path.to = entityById.has(p.get("to")) ? p.get("to") : null;
  $("path-from").value = state.path.from ? nameOf(state.path.from) : "";
  $("path-to").value = state.path.to ? nameOf(state.path.to) : "";
  if (state.path.from || state.path.to) $("path-box").open = true;
  state.selected = null;
  applyFilters();
  var v = (p.get("view") || "").split(",").map(Number);
  if (v.length === 3 && v.every(isFinite) && v[2] > 0) network.moveTo({ position: { x: v[0], y: v[1] }, scale: v[2], animation: false });
  if (p.get("entity") && (entityById.has(p.get("entity")) || indexedAt.has(p.get("entity")))) {
    if (entityById.has(p.get("entity"))) selectEntity(p.get("entity"), false); else openEntity(p.get("entity"));
  } else if (p.get("relation") && relationById.has(p.get("relation"))) {
    selectRelation(p.get("relation"));
  } else if (p.get("bundle") && relationById.has(p.get("bundle"))) {
    selectBundle(bundleOfRelation[relationById.get(p.get("bundle")).index]);
  } else {
    clear();
  }
  lastHash = currentHash();
}
window.addEventListener("hashchange", function () { if (location.hash.replace(/^#/, "") !== lastHash) readHash(location.hash); });
network.on("zoom", viewChanged);
network.on("dragEnd", viewChanged);
api.currentHash = currentHash;

// ---- keyboard: the map takes focus; arrows pan, + and - zoom, 0 fits, Escape clears -------------
var STEP_PX = 80;
function pan(dx, dy) {
  var at = network.getViewPosition(), s = network.getScale();
  network.moveTo({ position: { x: at.x + dx / s, y: at.y + dy / s }, animation: false });
  viewChanged();
}
function zoom(factor) {
  network.moveTo({ scale: Math.min(10, Math.max(0.02, network.getScale() * factor)), animation: false });
  viewChanged();
}
$("graph").addEventListener("keydown", function (ev) {
  if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
  var k = ev.key;
  if (k === "ArrowLeft") pan(-STEP_PX, 0);
  else if (k === "ArrowRight") pan(STEP_PX, 0);
  else if (k === "ArrowUp") pan(0, -STEP_PX);
  else if (k === "ArrowDown") pan(0, STEP_PX);
  else if (k === "+" || k === "=") zoom(1.25);
  else if (k === "-" || k === "_") zoom(1 / 1.25);
  else if (k === "0") fit();
  else return;
  ev.preventDefault();
});
document.addEventListener("keydown", function (ev) {
  if (ev.key !== "Escape" || ev.defaultPrevented) return;
  if (document.body.classList.contains("filters-open") || document.body.classList.contains("details-open")) closeDrawers();
  if (state.selected) clear(); else if (state.path.from || state.path.to) clearPath();
});
api.pan = pan;
api.zoom = zoom;

// ---- tooltips ------------------------------------------------------------------------------------
// The page's own, for what vis-network reports under the pointer: the same nearest edge a click
// selects (vis-network's title popups pick the last edge within reach instead, which could name a
// relation other than the one a click opens).
var tip = $("tooltip");
function showTip(text, pointer) {  // in <main>, beside the map (vis-network owns the map's children)
  var g = $("graph"), at = g.getBoundingClientRect(), box = g.parentElement.getBoundingClientRect();
  tip.textContent = text;
  tip.hidden = false;
  var x = Math.min(pointer.DOM.x + 14, g.clientWidth - tip.offsetWidth - 4), y = pointer.DOM.y + 16;
  if (y + tip.offsetHeight > g.clientHeight - 4) y = pointer.DOM.y - tip.offsetHeight - 10;
  tip.style.left = at.left - box.left + Math.max(4, x) + "px";
  tip.style.top = at.top - box.top + Math.max(4, y) + "px";
}
function hideTip() { tip.hidden = true; }
network.on("hoverEdge", function (p) { showTip(bundles[+String(p.edge).slice(1)].tip, p.pointer); });
network.on("hoverNode", function (p) { showTip(entityById.get(p.node).tip, p.pointer); });
["blurEdge", "blurNode", "dragStart", "zoom", "click"].forEach(function (ev) { network.on(ev, hideTip); });

// ---- save the view as PNG --------------------------------------------------------------------------
function savePng() {
  var src = document.querySelector("#graph canvas"), out = document.createElement("canvas");
  out.width = src.width; out.height = src.height;
  var g = out.getContext("2d");
  g.fillStyle = "#ffffff"; g.fillRect(0, 0, out.width, out.height);
  g.drawImage(src, 0, 0);
  var a = document.createElement("a");
  a.download = (String(DATA.title).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "cubamed") + ".png";
  a.href = out.toDataURL("image/png");
  document.body.append(a);
  a.click();
  a.remove();
}
$("save-png").addEventListener("click", savePng);

// ---- drawers (narrow screens) and buttons --------------------------------------------------------
function openDrawer(which) {
  if (getComputedStyle($(which === "filters" ? "filters" : "details")).position !== "absolute") return;  // a column here, always open
  document.body.classList.remove(which === "filters" ? "details-open" : "filters-open");
  document.body.classList.add(which + "-open");
}
function closeDrawers() { document.body.classList.remove("filters-open", "details-open"); }
function toggleDrawer(which) {
  if (document.body.classList.contains(which + "-open")) closeDrawers(); else openDrawer(which);
}
$("show-filters").addEventListener("click", function () { toggleDrawer("filters"); });
$("show-details").addEventListener("click", function () { toggleDrawer("details"); });
document.querySelectorAll(".close-drawer").forEach(function (b) { b.addEventListener("click", closeDrawers); });
$("show-path").addEventListener("click", function () {
  $("path-box").open = true;
  openDrawer("details");
  $("path-from").focus();
});
function fit() { network.fit({ animation: false }); viewChanged(); }
$("fit").addEventListener("click", fit);
$("physics").addEventListener("click", function () {
  state.physics = !state.physics;
  network.setOptions({ physics: { enabled: state.physics } });
  $("physics").textContent = "Physics: " + (state.physics ? "on" : "off");
  $("physics").setAttribute("aria-pressed", String(state.physics));
});
api.selectEntity = selectEntity; api.selectNode = selectEntity; api.selectRelation = selectRelation; api.selectBundle = selectBundle;
api.openEntity = openEntity; api.clear = clear; api.setLabel = setLabel; api.setType = setType; api.setFamily = setFamily; api.setYears = setYears;
api.bundleOf = function (rid) { return bundles[bundleOfRelation[relationById.get(rid).index]].id; };

// ---- start ---------------------------------------------------------------------------------------
if (DATA.note) { $("note").textContent = DATA.note; $("note").hidden = false; }
syncLegend();
updateCounts();
var given = location.hash.length > 1;
if (given) readHash(location.hash); else clear();
network.once("afterDrawing", function () {
  api.firstDraw = performance.now();
  sizeBoxes();
  if (!given) lastHash = currentHash();  // the view as it opened is no change: the address stays as it was
  document.body.setAttribute("data-ready", "1");
});
