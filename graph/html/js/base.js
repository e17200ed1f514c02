// The cubamed explorer page. The files of graph/html/js/ run in this order in one function scope:
// base (data, indexes, state, the network), names (names and sanctioned rings on the canvas),
// filters (legend, years), details (selection and the details panel), search, paths, view (URL,
// keyboard, PNG, drawers, start).
// Every text from the data reaches the DOM through textContent, never innerHTML; the canvas draws
// names as text. No label, type or property name is written here: they come from DATA (the page
// data, built from the schema by graph/html/_data.py, which documents its keys).

var DATA = JSON.parse(document.getElementById("cubamed-data").textContent);

function $(id) { return document.getElementById(id); }
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function fold(s) { return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
function fmt(v) {
  if (Array.isArray(v)) return v.map(fmt).join(", ");
  // thousands separators from five digits on, so that years and small counts read as written
  return typeof v === "number" && Math.abs(v) >= 10000 ? grouped(v) : String(v);
}
// 1234567.5 -> "1,234,567.5" (by hand: the first toLocaleString call loads locale data, ~20 ms)
function grouped(n) { var p = String(n).split("."); p[0] = p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ","); return p.join("."); }
function plural(n, one, many) { return grouped(n) + " " + (n === 1 ? one : many); }
function spanText(years) { return years ? (years[0] === years[1] ? String(years[0]) : years[0] + "–" + years[1]) : ""; }

// ---- indexes -----------------------------------------------------------------------------------
var entities = DATA.entities, relations = DATA.relations, bundles = DATA.bundles;
var entityById = new Map(), relationById = new Map(), incident = new Map(), bundleOfRelation = new Array(relations.length);
var labelByName = new Map(), familyByName = new Map(), familyOfType = new Map();
DATA.labels.forEach(function (l) { labelByName.set(l.name, l); });
DATA.families.forEach(function (f) {
  familyByName.set(f.name, f);
  f.types.forEach(function (t) { familyOfType.set(t.name, f); });
});
entities.forEach(function (e, i) { e.index = i; entityById.set(e.id, e); incident.set(e.id, []); });
relations.forEach(function (r, i) {
  r.index = i;
  relationById.set(r.id, r);
  incident.get(r.from).push(i);
  if (r.to !== r.from) incident.get(r.to).push(i);
});
bundles.forEach(function (b, i) {
  b.index = i;
  b.id = "b" + i;
  b.relations.forEach(function (r) { bundleOfRelation[r] = i; });
});
function isSource(id) { return Object.prototype.hasOwnProperty.call(DATA.sources, id); }
function sourceOf(id) { return id !== null && isSource(id) ? DATA.sources[id] : null; }
// the relations citing each source, for a drawn source document's details
var citing = new Map();
relations.forEach(function (r) {
  if (r.source === null) return;
  if (!citing.has(r.source)) citing.set(r.source, []);
  citing.get(r.source).push(r.index);
});

// ---- entities not drawn (a reduced page) -------------------------------------------------------
// DATA.index.entities: [id, name, aliases, label number, properties, sanctioned by] per entity not drawn;
// DATA.index.relations: [from, to, type number, first year, last year, source, locator, evidence,
// properties, id], entities numbered as the drawn ones in page order, then the rows of entities.
var IDX = DATA.index, indexedAt = new Map(), extraRels = null;
if (IDX) IDX.entities.forEach(function (row, i) { indexedAt.set(row[0], i); });
function idOf(k) { return k < entities.length ? entities[k].id : IDX.entities[k - entities.length][0]; }
function relationsNotDrawn(id) {
  if (!IDX || !IDX.relations) return [];
  if (!extraRels) {
    extraRels = new Map();
    IDX.relations.forEach(function (row) {
      var r = {
        from: idOf(row[0]), to: idOf(row[1]), type: IDX.types[row[2]], years: row[3] === null ? null : [row[3], row[4]],
        source: row[5], locator: row[6], evidence: row[7], properties: row[8], id: row[9], index: null,
      };
      [r.from, r.to].forEach(function (end, j) {
        if (j === 1 && r.to === r.from) return;
        var list = extraRels.get(end);
        if (list) list.push(r); else extraRels.set(end, [r]);
      });
    });
  }
  return extraRels.get(id) || [];
}
function nameOf(id) {
  var e = entityById.get(id);
  if (e) return e.name;
  return indexedAt.has(id) ? IDX.entities[indexedAt.get(id)][1] : id;
}

// ---- state -------------------------------------------------------------------------------------
var years = DATA.years;
var state = {
  labels: new Set(DATA.labels.map(function (l) { return l.name; })),
  types: new Set(Array.from(familyOfType.keys())),
  lo: years ? years[0] : null, hi: years ? years[1] : null,
  selected: null,  // {kind: "entity" | "relation" | "bundle", id}: an entity id, or a relation id
  path: { from: null, to: null },
  physics: false,
};
var hiddenNodes = new Set(), hiddenBundles = new Set();
var shownRelations = new Set(relations.map(function (r) { return r.index; }));
var lit = null;  // the highlighted part: {entities: Set of ids, bundles: Set of indexes, first: [ids named first]}, or null

// ---- the network -------------------------------------------------------------------------------
function textOn(hex) {  // black or white text on a fill, whichever reads better
  var c = parseInt(hex.slice(1), 16), r = c >> 16, g = (c >> 8) & 255, b = c & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#222222" : "#ffffff";
}
function visNode(e) {
  var lab = labelByName.get(e.label) || { color: "#999999", shape: "dot" };
  var n = {
    id: e.id, x: e.x, y: e.y, shape: lab.shape, size: e.size, borderWidth: 1, borderWidthSelected: 3,
    color: { background: lab.color, border: lab.color, highlight: { background: lab.color, border: lab.color }, hover: { background: lab.color, border: lab.color } },
  };
  e.tip = e.name + " · " + e.label + (e.sanctioned_by ? " · " + DATA.sanctioned.label : "");
  if (lab.shape === "box" || lab.shape === "ellipse") {  // names inside their shape: drawn by vis-network
    n.label = e.name;
    n.font = { color: textOn(lab.color) };
  }
  return n;
}
var nodes = new vis.DataSet(entities.map(visNode));
var edges = new vis.DataSet(bundles.map(function (b) { return bundleLook(b, b.relations, true); }));

var api = window.cubamed = {
  data: DATA, nodes: nodes, edges: edges, state: state, network: null, firstDraw: null,
  nodeCount: entities.length, edgeCount: relations.length, indexedCount: IDX ? IDX.entities.length : 0,
  hiddenNodeIds: function () { return Array.from(hiddenNodes); },
  shownRelationIds: function () { return Array.from(shownRelations).map(function (i) { return relations[i].id; }); },
};
var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
api.network = network;
