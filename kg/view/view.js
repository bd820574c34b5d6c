/* kg interactive view: draws the graph embedded in #kg-data with vis-network and wires the controls.
 * Every string from the graph reaches the page through textContent or a DOM property, never as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var styles = data.styles;
  var started = performance.now();

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== null && text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(parent, key, value) {
    if (value === null || value === undefined || value === "") return;
    var line = el("div", null, "kg-tip-row");
    line.appendChild(el("span", key + ": ", "kg-tip-key"));
    line.appendChild(el("span", value));
    parent.appendChild(line);
  }

  function paperTip(info) {
    var tip = el("div", null, "kg-tip");
    tip.appendChild(el("div", info.title, "kg-tip-head"));
    row(tip, "Date", info.date);
    var authors = info.authors || [];
    if (authors.length) {
      var extra = (info.author_count || 0) - authors.length;
      row(tip, "Authors", authors.join(", ") + (extra > 0 ? " and " + extra + " more" : ""));
    } else if (info.author_count) {
      row(tip, "Authors", info.author_count + " authors");
    }
    row(tip, "Upvotes", info.upvotes);
    if (info.url) {
      var line = el("div", null, "kg-tip-row");
      var link = el("a", info.url);
      link.href = info.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.appendChild(link);
      tip.appendChild(line);
    }
    return tip;
  }

  function entityTip(info) {
    var tip = el("div", null, "kg-tip");
    tip.appendChild(el("div", info.name, "kg-tip-head"));
    row(tip, "Type", info.type);
    row(tip, "Aliases", (info.aliases || []).join(", "));
    row(tip, "Papers", info.papers);
    return tip;
  }

  function edgeTip(relation, info) {
    var tip = el("div", null, "kg-tip");
    tip.appendChild(el("div", relation, "kg-tip-head"));
    if (info.sentence) tip.appendChild(el("div", "\u201c" + info.sentence + "\u201d", "kg-tip-quote"));
    if (info.more > 0) row(tip, "More evidence", info.more + " more sentence" + (info.more > 1 ? "s" : ""));
    return tip;
  }

  /* The same normal form as kg.names.name_key, so a search matches what the graph merged. */
  function nameKey(text) {
    var key = String(text).normalize("NFKC").toLowerCase().replace(/[\s\-_/.,:;()'"\u2018\u2019\u201c\u201d]+/g, "");
    if (key.length > 3 && /(ss|sh|ch|x)es$/.test(key)) return key.slice(0, -2);
    if (key.length > 2 && /s$/.test(key) && !/ss$/.test(key)) return key.slice(0, -1);
    return key;
  }

  var groupOf = {};
  var byId = {};
  var entityNeighbours = {};
  var byKey = {};
  var rank = function (n) { return n.info.kind === "entity" ? -n.papers : 1; };
  data.nodes.forEach(function (n) {
    groupOf[n.id] = n.group_name;
    byId[n.id] = n;
    n.title = n.info.kind === "paper" ? paperTip(n.info) : entityTip(n.info);
    n.hidden = false;
    n.keys.forEach(function (k) {
      var old = byKey[k];
      if (!old || rank(n) < rank(old) || (rank(n) === rank(old) && n.id < old.id)) byKey[k] = n;
    });
  });
  data.edges.forEach(function (e) {
    var style = styles.edges[e.relation] || {};
    e.title = edgeTip(e.relation, e.info);
    e.color = style.color;
    e.width = style.width;
    e.dashes = style.dashes;
    if (groupOf[e.from] === "Paper" && groupOf[e.to] !== "Paper") {
      (entityNeighbours[e.from] = entityNeighbours[e.from] || []).push(e.to);
    }
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  var view = {
    network: network, nodes: nodes, edges: edges, stable: false,
    startedAt: started, stableAt: null, firstDrawAt: null,
  };
  window.kgView = view;

  network.once("afterDrawing", function () { view.firstDrawAt = performance.now(); });
  function settle() {
    if (view.stable) return;
    network.setOptions({ physics: { enabled: false } });
    view.stable = true;
    view.stableAt = performance.now();
    document.body.setAttribute("data-stable", "true");
    if (data.focus) focusNode(data.focus);  /* an ego view opens on its entity */
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
  } else {
    network.once("afterDrawing", settle);  /* a precomputed layout is stable when first drawn */
  }

  /* A paper's link is in its tooltip, which moves with the mouse: a double click opens it. */
  network.on("doubleClick", function (params) {
    var node = params.nodes.length ? byId[params.nodes[0]] : null;
    if (node && node.info.url) window.open(node.info.url, "_blank", "noopener");
  });

  /* Filters: a type checkbox, the minimum number of papers, and nodes revealed by a search. */
  var state = { groups: {}, minPapers: 1, revealed: {} };
  data.groups.forEach(function (g) { state.groups[g] = true; });

  function entityVisible(n) {
    return state.revealed[n.id] || (state.groups[n.group_name] && n.papers >= state.minPapers);
  }

  function visible(n) {
    if (n.info.kind !== "paper") return entityVisible(n);
    if (state.revealed[n.id]) return true;
    if (!state.groups.Paper) return false;
    var linked = entityNeighbours[n.id];
    if (!linked || !linked.length) return true;
    return linked.some(function (id) { return entityVisible(byId[id]); });
  }

  function applyFilters() {
    var changes = [];
    var shown = 0;
    nodes.forEach(function (n) {
      var hide = !visible(n);
      if (!hide) shown += 1;
      if (Boolean(n.hidden) !== hide) changes.push({ id: n.id, hidden: hide });
    });
    if (changes.length) nodes.update(changes);
    document.getElementById("kg-stats").textContent =
      shown + " of " + nodes.length + " nodes shown, " + edges.length + " links";
  }

  function swatch(group) {
    var style = styles.nodes[group];
    var glyphs = { dot: "\u25cf", square: "\u25a0", diamond: "\u25c6", triangle: "\u25b2", star: "\u2605", hexagon: "\u2b22" };
    var mark = el("span", glyphs[style.shape] || "\u25cf", "kg-swatch");
    mark.style.color = style.color;
    return mark;
  }

  var counts = {};
  data.nodes.forEach(function (n) { counts[n.group_name] = (counts[n.group_name] || 0) + 1; });
  var typesBox = document.getElementById("kg-types");
  data.groups.forEach(function (g) {
    var label = el("label", null, "kg-legend-item");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = g;
    box.id = "kg-type-" + g;
    box.addEventListener("change", function () { state.groups[g] = box.checked; applyFilters(); });
    label.appendChild(box);
    label.appendChild(swatch(g));
    label.appendChild(el("span", styles.nodes[g].label));
    label.appendChild(el("span", counts[g] || 0, "kg-count"));
    typesBox.appendChild(label);
  });

  var relationsBox = document.getElementById("kg-relations");
  var relationCounts = {};
  data.edges.forEach(function (e) { relationCounts[e.relation] = (relationCounts[e.relation] || 0) + 1; });
  Object.keys(styles.edges).forEach(function (r) {
    var item = el("div", null, "kg-legend-item");
    var line = el("span", null, "kg-line");
    line.style.borderTopColor = styles.edges[r].color;
    if (styles.edges[r].dashes) line.style.borderTopStyle = styles.edges[r].dashes[0] > 3 ? "dashed" : "dotted";
    item.appendChild(line);
    item.appendChild(el("span", r));
    item.appendChild(el("span", relationCounts[r] || 0, "kg-count"));
    relationsBox.appendChild(item);
  });

  var minBox = document.getElementById("kg-min-papers");
  var maxPapers = 1;
  data.nodes.forEach(function (n) { if (n.papers > maxPapers) maxPapers = n.papers; });
  minBox.max = String(maxPapers);
  minBox.addEventListener("input", function () {
    var value = parseInt(minBox.value, 10);
    state.minPapers = isNaN(value) || value < 1 ? 1 : value;
    applyFilters();
  });

  /* Search: exact name or alias (by nameKey) first, then a name or title containing the text. */
  var names = document.getElementById("kg-names");
  data.nodes.filter(function (n) { return n.info.kind === "entity"; })
    .sort(function (a, b) { return b.papers - a.papers || (a.label < b.label ? -1 : 1); })
    .forEach(function (n) {
      var option = el("option");
      option.value = n.label;
      names.appendChild(option);
    });

  function findNode(text) {
    var key = nameKey(text);
    if (!key) return null;
    if (byKey[key]) return byKey[key];
    var needle = String(text).toLowerCase().trim();
    var best = null;
    data.nodes.forEach(function (n) {
      var hay = [n.info.name || n.info.title || ""].concat(n.info.aliases || []);
      var hit = hay.some(function (h) { return h.toLowerCase().indexOf(needle) >= 0; });
      if (hit && (!best || rank(n) < rank(best) || (rank(n) === rank(best) && n.id < best.id))) best = n;
    });
    return best;
  }

  function focusNode(id) {
    state.revealed[id] = true;
    applyFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: false });
  }

  var status = document.getElementById("kg-search-status");
  view.search = function (text) {
    var node = findNode(text);
    if (!node) {
      status.textContent = "No node matches \u201c" + text + "\u201d.";
      return null;
    }
    focusNode(node.id);
    status.textContent = "Found " + (node.info.name || node.info.title) + " (" + node.group_name + ").";
    return node.id;
  };
  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    view.search(document.getElementById("kg-search").value);
  });

  applyFilters();
})();
