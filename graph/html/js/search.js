// ---- search: names and aliases, any case, accents ignored; drawn entities and those not drawn -----
var searchAll = null;
function search(q) {
  var f = fold(q);
  if (!f) return [];
  if (!searchAll) {  // built on first use, not before the first drawing
    searchAll = entities.map(function (e) { return { id: e.id, keys: [e.name].concat(e.aliases).map(fold) }; });
    if (IDX) searchAll = searchAll.concat(IDX.entities.map(function (row) { return { id: row[0], keys: [row[1]].concat(row[2]).map(fold) }; }));
  }
  var exact = [], starts = [], partial = [];
  searchAll.forEach(function (s) {
    if (s.keys.indexOf(f) >= 0) exact.push(s.id);
    else if (s.keys.some(function (k) { return k.indexOf(f) === 0; })) starts.push(s.id);
    else if (s.keys.some(function (k) { return k.indexOf(f) >= 0; })) partial.push(s.id);
  });
  return exact.concat(starts, partial);
}

// A search box with its list of results: typing lists them, the arrow keys move through them,
// Enter picks the active one (the first by default), Escape closes the list.
function searchBox(input, list, onPick) {
  var ids = [], active = -1;
  function render() {
    list.replaceChildren();
    ids.slice(0, 12).forEach(function (id, i) {
      var b = el("button", null, i === active ? "active" : ""), e = entityById.get(id);
      b.type = "button"; b.id = list.id + "-" + i; b.tabIndex = -1;
      b.setAttribute("role", "option"); b.setAttribute("aria-selected", String(i === active));
      if (e) {
        b.append(el("span", e.name), el("span", e.label + (e.aliases.length ? " · " + e.aliases.join("; ") : ""), "sub"));
      } else {
        var row = IDX.entities[indexedAt.get(id)];
        b.append(el("span", row[1]), el("span", IDX.labels[row[3]] + (row[2].length ? " · " + row[2].join("; ") : "") + " · not drawn", "sub"));
      }
      b.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the focus in the box
      b.addEventListener("click", function () { pick(id); });
      list.append(b);
    });
    if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active); else input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-expanded", String(ids.length > 0));
  }
  function pick(id) {
    ids = []; active = -1; render();
    input.value = nameOf(id);
    onPick(id);
  }
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  list.setAttribute("role", "listbox");
  input.addEventListener("input", function () { ids = search(input.value); active = ids.length ? 0 : -1; render(); });
  input.addEventListener("keydown", function (ev) {
    var n = Math.min(ids.length, 12);
    if (ev.key === "ArrowDown" && n) { active = (active + 1) % n; render(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && n) { active = (active - 1 + n) % n; render(); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      if (!ids.length) ids = search(input.value);
      if (ids.length) pick(ids[Math.max(0, active)]);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      ev.stopPropagation();
      if (ids.length) { ids = []; active = -1; render(); } else input.blur();
    }
  });
  input.addEventListener("blur", function () { setTimeout(function () { ids = []; active = -1; render(); }, 150); });
  return { pick: pick };
}
var mainSearch = searchBox($("search"), $("results"), function (id) { openEntity(id); });
api.search = search;
