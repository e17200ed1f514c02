// ---- highlight -----------------------------------------------------------------------------------
// Dims everything but `ents` (entity ids) and `bund` (bundle indexes); `first` are the ids whose
// names are placed first (names.js). highlight(null) undims.
function highlight(ents, bund, first) {
  var before = lit;
  namesChanged();
  lit = ents ? { entities: ents, bundles: bund || new Set(), first: first || [] } : null;
  var nu = [];
  entities.forEach(function (e) {
    var was = !before || before.entities.has(e.id), on = !lit || lit.entities.has(e.id);
    if (was !== on) nu.push({ id: e.id, opacity: on ? 1 : 0.15 });
  });
  if (nu.length) nodes.update(nu);
  if (!before !== !lit) { retint(bundles.map(function (b) { return b.index; })); return; }  // all dim or undim
  var changed = new Set(lit ? lit.bundles : []);
  if (before) before.bundles.forEach(function (i) { changed.add(i); });
  retint(changed);
}
function bySize(ids) {
  return Array.from(ids).sort(function (a, b) { return (entityById.get(b) ? entityById.get(b).size : 0) - (entityById.get(a) ? entityById.get(a).size : 0); });
}
function litAround(relationIndexes, keep) {  // the endpoints and bundles of these relations, plus `keep`
  var ents = new Set(keep || []), bund = new Set();
  relationIndexes.forEach(function (i) { var r = relations[i]; ents.add(r.from); ents.add(r.to); bund.add(bundleOfRelation[i]); });
  return [ents, bund];
}

// ---- the details panel -----------------------------------------------------------------------------
function details() { return $("details-body"); }
function isUrl(v) { return typeof v === "string" && /^https?:\/\/[^\s]+$/i.test(v); }
function linkTo(id) {
  var b = el("button", nameOf(id), entityById.has(id) ? "link" : "link undrawn"); b.type = "button";
  if (!entityById.has(id)) b.title = "not drawn on this page";
  b.addEventListener("click", function () { openEntity(id); });
  return b;
}
function typeMark(type) {
  var fam = familyOfType.get(type), s = el("span", type, "type");
  if (fam) { var sw = el("span", null, "swatch"); sw.style.background = fam.color; s.prepend(sw); s.title = fam.doc; }
  return s;
}
function byType(a, b) { return a.type < b.type ? -1 : a.type > b.type ? 1 : ((a.years || [0])[0]) - ((b.years || [0])[0]); }
function propsList(p) {
  var dl = el("dl");
  Object.keys(p).forEach(function (k) {
    var dd = el("dd");
    if (isUrl(p[k])) dd.append(anchor(p[k], p[k])); else dd.textContent = fmt(p[k]);
    dl.append(el("dt", k.replace(/_/g, " ")), dd);
  });
  return dl;
}
function anchor(text, url) {
  var a = el("a", text); a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
  return a;
}
function figuresText(p) {
  return Object.keys(p).map(function (k) { return k.replace(/_/g, " ") + ": " + fmt(p[k]); }).join(" · ");
}
// The citation: the source's title (a link when it has an address), its other fields, the locator.
function citation(sourceId, locator) {
  var box = el("div", null, "citation"), s = sourceOf(sourceId);
  box.append(el("span", DATA.source_label + ": ", "what"));
  if (s) {
    var url = null, rest = [];
    s.fields.forEach(function (f) { if (isUrl(f[1]) && url === null) url = f[1]; else rest.push(f[0].replace(/_/g, " ") + ": " + fmt(f[1])); });
    box.append(url ? anchor(s.title, url) : el("cite", s.title));
    if (rest.length) box.append(el("span", " · " + rest.join(" · "), "fields"));
  } else if (sourceId !== null) {
    box.append(el("cite", sourceId));
  } else {
    box.append(el("span", "none given"));
  }
  if (locator) box.append(el("span", " · at " + locator, "place"));
  return box;
}
// One relation: who did what to whom, figures, evidence, citation, its id.
function relationBlock(r, from) {
  var box = el("div", null, "rel"), line = el("div", null, "head");
  box.setAttribute("data-relation", r.id);
  if (from === undefined || from === null) line.append(linkTo(r.from), " ", typeMark(r.type), " → ", linkTo(r.to));
  else if (r.from === from && r.to === from) line.append(typeMark(r.type), " ↻ ", linkTo(r.to));
  else if (r.from === from) line.append(typeMark(r.type), " → ", linkTo(r.to));
  else line.append("← ", typeMark(r.type), " ", linkTo(r.from));
  box.append(line);
  var figs = figuresText(r.properties);
  if (figs) box.append(el("div", figs, "figures"));
  if (r.evidence) box.append(el("div", r.evidence, "paraphrase"));
  box.append(citation(r.source, r.locator));
  var foot = el("div", null, "foot");
  foot.append(el("span", "id: " + r.id, "rid"));
  if (r.index !== null && r.index !== undefined && !(state.selected && state.selected.kind === "relation" && state.selected.id === r.id)) {
    var only = el("button", "show only this", "small"); only.type = "button";
    only.addEventListener("click", function () { selectRelation(r.id); });
    foot.append(only);
  }
  box.append(foot);
  return box;
}
function relationList(rs, from) {
  var frag = document.createDocumentFragment();
  rs.slice().sort(byType).forEach(function (r) { frag.append(relationBlock(r, from)); });
  return frag;
}

function showEntity(id) {
  var e = entityById.get(id), d = details();
  d.replaceChildren(el("h3", e.name), el("div", e.label + " · id: " + e.id, "meta"));
  if (e.sanctioned_by) d.append(el("div", DATA.sanctioned.label + (e.sanctioned_by.length ? " by " + e.sanctioned_by.join(", ") : ""), "badge"));
  if (e.aliases.length) d.append(el("div", "Also: " + e.aliases.join("; ")));
  if (isSource(id) && incident.get(id).length === 0) return showCitedBy(id, d);  // a document: its citation, what cites it
  if (Object.keys(e.properties).length) d.append(propsList(e.properties));
  var rels = incident.get(id).map(function (i) { return relations[i]; });
  var shown = rels.filter(function (r) { return shownRelations.has(r.index); });
  d.append(el("h4", plural(shown.length, "relation", "relations") + (shown.length < rels.length ? " shown (" + (rels.length - shown.length) + " hidden by the filters)" : "")));
  d.append(relationList(shown, id));
  var more = relationsNotDrawn(id);
  if (more.length) {
    d.append(el("h4", plural(more.length, "more relation", "more relations") + " with entities not drawn"));
    d.append(relationList(more, id));
  }
}
function showCitedBy(id, d) {
  var cited = (citing.get(id) || []).map(function (i) { return relations[i]; });
  d.append(citation(id, null));
  d.append(el("h4", "Cited by " + plural(cited.length, "relation", "relations") + " on this page"));
  d.append(relationList(cited));
}
function showIndexed(id) {
  var row = IDX.entities[indexedAt.get(id)], d = details();
  d.replaceChildren(el("h3", row[1]), el("div", IDX.labels[row[3]] + " · id: " + row[0], "meta"));
  d.append(el("div", "Not drawn: this page draws the " + grouped(entities.length) + " most connected entities.", "undrawn-note"));
  if (row[5]) d.append(el("div", DATA.sanctioned.label + (row[5].length ? " by " + row[5].join(", ") : ""), "badge"));
  if (row[2].length) d.append(el("div", "Also: " + row[2].join("; ")));
  if (Object.keys(row[4]).length) d.append(propsList(row[4]));
  var cmd = el("div", null, "command");
  cmd.append(el("div", "Write its own page, with everything around it:"), el("code", focusCommand(id)));
  d.append(cmd);
  if (!IDX.relations) {
    d.append(el("p", "Its relations are not in this page (too many to include): write its page to see them.", "hint"));
    return;
  }
  var rels = relationsNotDrawn(id);
  d.append(el("h4", plural(rels.length, "relation", "relations")));
  d.append(relationList(rels, id));
}
function focusCommand(id) {
  var q = function (s) { return /^[A-Za-z0-9._\/-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; };
  var file = (id.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "focus") + ".html";
  return "cubamed html " + file + " --focus " + q(id) + " --depth 1";
}
function showRelation(r) {
  var d = details();
  d.replaceChildren(el("h3", r.type), el("div", "Relation · " + (familyOfType.get(r.type) || { doc: "" }).doc, "meta"), relationBlock(r));
  var b = bundles[bundleOfRelation[r.index]], others = shownIn(b).length - 1;
  if (others > 0) {
    var back = el("button", "all " + (others + 1) + " relations between " + nameOf(b.from) + " and " + nameOf(b.to) + " in this family", "link");
    back.type = "button";
    back.addEventListener("click", function () { selectBundle(b.index); });
    d.append(back);
  }
}
function showBundle(b) {
  var d = details(), shown = shownIn(b).map(function (i) { return relations[i]; });
  var fam = familyOfType.get(relations[b.relations[0]].type);
  d.replaceChildren(el("h3", nameOf(b.from) + (b.from === b.to ? "" : " — " + nameOf(b.to))));
  d.append(el("div", plural(shown.length, "relation", "relations") + " · " + (fam ? fam.doc : ""), "meta"));
  if (shown.length < b.relations.length) d.append(el("div", (b.relations.length - shown.length) + " more hidden by the filters", "hint"));
  d.append(relationList(shown));
}

// ---- selection -----------------------------------------------------------------------------------
function neighbourhood(id) {
  var rels = incident.get(id).filter(function (i) { return shownRelations.has(i); });
  var around = litAround(rels, [id]);
  return [around[0], around[1], [id].concat(bySize(around[0]).filter(function (x) { return x !== id; }))];
}
function selectEntity(id, centre) {
  if (!entityById.has(id)) return false;
  var e = entityById.get(id);
  if (!state.labels.has(e.label)) setLabel(e.label, true);
  var hood = neighbourhood(id);
  state.selected = { kind: "entity", id: id };
  highlight(hood[0], hood[1], hood[2]);
  network.selectNodes([id], false);
  if (isSource(id) && incident.get(id).length === 0) {  // a drawn source document: light up what it supports
    var around = litAround(citing.get(id) || [], [id]);
    highlight(around[0], around[1], [id].concat(bySize(around[0])));
  }
  showEntity(id);
  selectionShown();
  if (centre) centreOn(id);
  return true;
}
function openEntity(id) {
  if (entityById.has(id)) return selectEntity(id, true);
  if (!indexedAt.has(id)) return false;
  var near = new Set();
  relationsNotDrawn(id).forEach(function (r) { [r.from, r.to].forEach(function (x) { if (entityById.has(x)) near.add(x); }); });
  highlight(near, new Set(), bySize(near));
  network.unselectAll();
  state.selected = { kind: "entity", id: id };
  showIndexed(id);
  selectionShown();
  return true;
}
function selectRelation(rid) {
  var r = relationById.get(rid);
  if (!r) return false;
  var b = bundleOfRelation[r.index];
  state.selected = { kind: "relation", id: rid };
  highlight(new Set([r.from, r.to]), new Set([b]), [r.from, r.to]);
  network.selectEdges([bundles[b].id]);
  showRelation(r);
  selectionShown();
  return true;
}
function selectBundle(i) {
  var b = bundles[i], shown = shownIn(b);
  if (shown.length === 1) return selectRelation(relations[shown[0]].id);
  state.selected = { kind: "bundle", id: relations[b.relations[0]].id };  // named by its first relation: stable in links
  highlight(new Set([b.from, b.to]), new Set([i]), [b.from, b.to]);
  network.selectEdges([b.id]);
  showBundle(b);
  selectionShown();
  return true;
}
function clear() {
  state.selected = null;
  if (state.path.from && state.path.to) { showPath(); return; }
  if (lit) highlight(null);
  network.unselectAll();
  details().replaceChildren(el("p", "Click an entity or a relation to see its details and sources. Click an empty spot to clear.", "hint"));
  viewChanged();
}
// Centres the entity in the part of the map not covered by the details sheet (narrow screens).
function centreOn(id) {
  var sheet = $("details"), covered = 0;
  if (document.body.classList.contains("details-open") && getComputedStyle(sheet).position === "absolute") covered = sheet.offsetHeight;
  network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: { x: 0, y: -covered / 2 }, animation: false });
}
function refreshDetails() {
  var s = state.selected;
  if (s && s.kind === "entity") { if (entityById.has(s.id)) selectEntity(s.id, false); else openEntity(s.id); }
  else if (s && s.kind === "relation") selectRelation(s.id);
  else if (s && s.kind === "bundle") selectBundle(bundleOfRelation[relationById.get(s.id).index]);
  else if (state.path.from && state.path.to) showPath();
}
function selectionShown() { openDrawer("details"); viewChanged(); }

network.on("click", function (p) {
  if (p.nodes.length) selectEntity(p.nodes[0], false);
  else if (p.edges.length) selectBundle(+String(p.edges[0]).slice(1));
  else clear();
});
