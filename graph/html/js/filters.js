// ---- bundles: one drawn edge per pair of entities and family --------------------------------------
// Its width grows with the number of relations shown in it, its arrows show the directions they
// take, its tooltip (b.tip) lists them and a click lists every one in the details (details.js).
function bundleLook(b, shown, fresh) {
  var forward = false, backward = false, lines = [];
  shown.forEach(function (i) {
    var r = relations[i];
    if (r.from === b.from) forward = true; else backward = true;
    if (lines.length < 8) lines.push(nameOf(r.from) + " —" + r.type + "→ " + nameOf(r.to) + (r.years ? " (" + spanText(r.years) + ")" : ""));
  });
  if (shown.length > lines.length) lines.push("… and " + (shown.length - lines.length) + " more");
  lines.push(shown.length > 1 ? "Click to list all " + shown.length + "." : "Click for its source.");
  var look = bundleTint(b, shown);
  look.from = b.from; look.to = b.to;
  look.width = 1.2 + 1.3 * Math.log2(Math.max(1, shown.length));
  b.tip = lines.join("\n");  // shown by the page's own tooltip (view.js), not vis-network's
  // vis-network sets up every option an edge carries: the defaults (straight, one arrow forward)
  // are left out, and given again only to undo a change
  if (backward || !forward || b.arrowed) { look.arrows = { to: { enabled: forward }, from: { enabled: backward } }; b.arrowed = backward || !forward; }
  if (fresh && b.curve) look.smooth = { enabled: true, type: b.curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(b.curve) };
  if (fresh && b.from === b.to) look.selfReference = { size: Math.max(20, 0.9 * entityById.get(b.from).size), angle: Math.PI / 4 };
  return look;
}
// What highlighting changes: the opacity, and the count on highlighted bundles (the width shows it
// always; only bundles that have or had a count carry the key, as labels cost vis-network time).
function bundleTint(b, shown) {
  var fam = familyOfType.get(relations[b.relations[0]].type), color = fam ? fam.color : "#888888";
  var on = !lit || lit.bundles.has(b.index), counted = !!lit && on && shown.length > 1;
  var tint = { id: b.id, color: { color: color, highlight: color, hover: color, opacity: on ? 1 : 0.08 } };
  if (counted || b.labelled) { tint.label = counted ? String(shown.length) : ""; b.labelled = counted; }
  return tint;
}
function shownIn(b) { return b.relations.filter(function (i) { return shownRelations.has(i); }); }
function retint(which) {
  var up = [];
  which.forEach(function (i) { var b = bundles[i], s = shownIn(b); if (s.length) up.push(bundleTint(b, s)); });
  if (up.length) edges.update(up);
}

// ---- filters -------------------------------------------------------------------------------------
function relationShown(r) {
  if (!state.types.has(r.type)) return false;
  if (years && r.years && (r.years[1] < state.lo || r.years[0] > state.hi)) return false;  // both bounds inclusive
  return !hiddenNodes.has(r.from) && !hiddenNodes.has(r.to);
}
function applyFilters() {
  var nu = [], changed = new Set();
  namesChanged();
  entities.forEach(function (e) {
    var hide = !state.labels.has(e.label);
    if (hide !== hiddenNodes.has(e.id)) { nu.push({ id: e.id, hidden: hide }); if (hide) hiddenNodes.add(e.id); else hiddenNodes.delete(e.id); }
  });
  relations.forEach(function (r) {
    var show = relationShown(r);
    if (show !== shownRelations.has(r.index)) { changed.add(bundleOfRelation[r.index]); if (show) shownRelations.add(r.index); else shownRelations.delete(r.index); }
  });
  var eu = [];
  changed.forEach(function (i) {
    var b = bundles[i], s = shownIn(b), hide = s.length === 0;
    if (hide) { if (!hiddenBundles.has(i)) { hiddenBundles.add(i); eu.push({ id: b.id, hidden: true }); } return; }
    hiddenBundles.delete(i);
    var look = bundleLook(b, s, false); look.hidden = false; eu.push(look);
  });
  if (nu.length) nodes.update(nu);
  if (eu.length) edges.update(eu);
  syncLegend();
  updateCounts();
  refreshDetails();  // what the details list (and the paths) follows the relations shown
  viewChanged();
}
function setLabel(label, on) {
  if (on) state.labels.add(label); else state.labels.delete(label);
  applyFilters();
}
function setType(type, on) {
  if (on) state.types.add(type); else state.types.delete(type);
  applyFilters();
}
function setFamily(name, on) {
  familyByName.get(name).types.forEach(function (t) { if (on) state.types.add(t.name); else state.types.delete(t.name); });
  applyFilters();
}
function setYears(lo, hi) {
  if (!years) return;
  state.lo = Math.max(years[0], Math.min(lo, hi)); state.hi = Math.min(years[1], Math.max(lo, hi));
  applyFilters();
}
function updateCounts() {
  var shownE = entities.length - hiddenNodes.size, text = plural(shownE, "entity", "entities") + " · " + plural(shownRelations.size, "relation", "relations");
  if (entities.length < DATA.total.nodes) text += " (of " + grouped(DATA.total.nodes) + " / " + grouped(DATA.total.edges) + ")";
  $("counts").textContent = text;
}

// ---- legend: it is the filter --------------------------------------------------------------------
var GLYPHS = { dot: "●", ellipse: "⬬", triangle: "▲", diamond: "◆", star: "★", square: "■", hexagon: "⬢", triangleDown: "▼", box: "▬" };
function checkRow(text, count, mark, attr, value, onChange) {
  var li = el("li"), label = el("label"), box = el("input");
  box.type = "checkbox"; box.checked = true; box.setAttribute(attr, value);
  box.addEventListener("change", function () { onChange(box.checked); });
  label.append(box, mark, el("span", text, "name"), el("span", count, "tally"));
  li.append(label);
  return li;
}
DATA.labels.forEach(function (l) {
  var glyph = el("span", GLYPHS[l.shape] || "●", "glyph"); glyph.style.color = l.color;
  var li = checkRow(l.name, l.count, glyph, "data-label", l.name, function (on) { setLabel(l.name, on); });
  li.title = l.doc;
  $("legend-labels").append(li);
});
(function sanctionedKey() {
  var mark = el("span", null, "ring"); mark.style.borderColor = DATA.sanctioned.color;
  var key = $("legend-sanctioned");
  key.replaceChildren(mark, el("span", DATA.sanctioned.label + " (ringed)"));
})();
DATA.families.forEach(function (f) {
  var sw = el("span", null, "swatch"); sw.style.background = f.color;
  var total = f.types.reduce(function (n, t) { return n + t.count; }, 0);
  var li = checkRow(f.doc, total, sw, "data-family", f.name, function (on) { setFamily(f.name, on); });
  li.className = "family";
  var more = el("button", "▸", "expand"); more.type = "button";
  more.setAttribute("aria-expanded", "false"); more.setAttribute("aria-label", "types of " + f.doc);
  var sub = el("ul", null, "types"); sub.hidden = true;
  more.addEventListener("click", function () {
    sub.hidden = !sub.hidden; more.textContent = sub.hidden ? "▸" : "▾"; more.setAttribute("aria-expanded", String(!sub.hidden));
  });
  li.firstChild.after(more);
  f.types.forEach(function (t) {
    var tsw = el("span", null, "swatch"); tsw.style.background = f.color;
    var tli = checkRow(t.name, t.count, tsw, "data-type", t.name, function (on) { setType(t.name, on); });
    tli.title = t.doc;
    sub.append(tli);
  });
  li.append(sub);
  $("legend-families").append(li);
});
function syncLegend() {
  document.querySelectorAll("input[data-label]").forEach(function (box) { box.checked = state.labels.has(box.getAttribute("data-label")); });
  document.querySelectorAll("input[data-type]").forEach(function (box) { box.checked = state.types.has(box.getAttribute("data-type")); });
  DATA.families.forEach(function (f) {
    var on = f.types.filter(function (t) { return state.types.has(t.name); }).length;
    var box = document.querySelector('input[data-family="' + CSS.escape(f.name) + '"]');
    box.checked = on === f.types.length; box.indeterminate = on > 0 && on < f.types.length;
  });
  if (years) {
    $("year-lo").value = state.lo; $("year-hi").value = state.hi;
    $("years-text").textContent = state.lo + " – " + state.hi;
  }
}
function allTypes(on) {
  DATA.families.forEach(function (f) { f.types.forEach(function (t) { if (on) state.types.add(t.name); else state.types.delete(t.name); }); });
  applyFilters();
}
$("types-all").addEventListener("click", function () { allTypes(true); });
$("types-none").addEventListener("click", function () { allTypes(false); });
if (years) {
  ["year-lo", "year-hi"].forEach(function (id) {
    var r = $(id); r.min = years[0]; r.max = years[1]; r.step = 1;
    r.addEventListener("input", function () { setYears(+$("year-lo").value, +$("year-hi").value); });
  });
} else {
  $("years-box").hidden = true;
}
