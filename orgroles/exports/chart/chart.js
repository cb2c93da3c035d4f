// orgroles org chart: hand-written, no libraries, no network. Data comes from the JSON block
// that `orgroles export --format html` writes; every text from it is set as text, never markup.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("orgroles-data").textContent);
  // Row fields (orgroles/exports/html.py, _row)
  const PARENT = 0, ID = 1, KIND = 2, NAME = 3, COUNT = 5, STATUS = 7, SLIDES = 8, NOTE = 9,
    OPEN = 11, PEOPLE = 12, STAFF = 14, SUPERIOR = 16;
  const ROWS = DATA.rows;
  const KIDS = ROWS.map(() => []);
  const ROOTS = [];
  const ROWS_OF = new Map(); // id -> row numbers
  ROWS.forEach((row, i) => {
    (row[PARENT] < 0 ? ROOTS : KIDS[row[PARENT]]).push(i);
    if (!ROWS_OF.has(row[ID])) ROWS_OF.set(row[ID], []);
    ROWS_OF.get(row[ID]).push(i);
  });
  const HEADED = new Map(); // unit -> the posts that head it
  for (const [post, info] of Object.entries(DATA.posts)) {
    if (info[1]) {
      if (!HEADED.has(info[1])) HEADED.set(info[1], []);
      HEADED.get(info[1]).push(post);
    }
  }
  const state = {
    lang: document.documentElement.lang === "en" ? 1 : 0,
    expanded: new Set(),
    layout: "top-down",
    focus: ROOTS.length ? ROOTS[0] : -1,
  };
  const w = (key) => DATA.words[key][state.lang];
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  };

  // --- names: folded and looked up as orgroles.names does -------------------------------
  const LETTERS = { "æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o" };
  const MORE = { "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l" };
  const OLD_CYRILLIC = "вдосттъѣꙋ"; // U+1C80..U+1C88 as casefold gives them
  // Unicode's default-ignorable code points, as orgroles.names._IGNORABLE lists them.
  const IGNORABLE =
    /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]+/gu;
  const DROP = /[ \t\n\r\f\v\-_.'\u2019\u00a0\u2013\u2014]/g;
  function fold(name) {
    let key;
    if (/^[\x00-\x7f]*$/.test(name)) key = name.toLowerCase();
    else {
      name = name.replace(IGNORABLE, "");
      // toLowerCase, and where Python's casefold differs: ß, final sigma, iota subscript,
      // Cherokee (casefold gives its capitals: U+AB70.. to U+13A0.., U+13F8.. to U+13F0..),
      // old Cyrillic letter forms.
      key = name.normalize("NFC").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
      key = key.normalize("NFD").replace(/\u0345/g, "ι").normalize("NFC"); // ᾳ: αι
      key = key.replace(/[\uab70-\uabbf\u13f8-\u13fd]/g, (c) =>
        String.fromCharCode(c.charCodeAt(0) - (c >= "\uab70" ? 0x97d0 : 8)),
      );
      key = key.replace(/[\u1c80-\u1c88]/g, (c) => OLD_CYRILLIC[c.charCodeAt(0) - 0x1c80]);
      // (the spaces of Python's \s: JavaScript's and U+001C..U+001F, U+0085)
      key = key.replace(/[æøåäö]/g, (c) => LETTERS[c]).replace(/[\s\x1c-\x1f\x85]+/gu, "");
      if (!/^[\x00-\x7f]*$/.test(key)) {
        key = key.normalize("NFKD").replace(/[łđðþıŀ]/g, (c) => MORE[c]); // (ͺ: a mark here)
        key = key.replace(/\p{Mn}/gu, "").replace(/[æøåäö]/g, (c) => LETTERS[c]); // ǿ, ǽ
      }
    }
    return key.replace(/aa/g, "a").replace(/oe/g, "o").replace(DROP, "");
  }
  function stems(key) {
    const found = new Set([key]);
    for (const ending of DATA.names.endings) {
      if (key.endsWith(ending) && key.length - ending.length >= DATA.names.shortest_stem)
        found.add(key.slice(0, -ending.length));
    }
    return found;
  }
  const KEYS = DATA.names.keys;
  function lookup(key) {
    return Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : [];
  }
  /** The ids a typed name names: exactly, else through a regular ending (as the CLI). */
  function resolve(name) {
    const key = fold(name);
    let found = new Set(lookup(key));
    if (!found.size) {
      for (const stem of stems(key)) {
        lookup(stem).forEach((i) => found.add(i));
        if (stem.length >= DATA.names.shortest_stem)
          for (const ending of DATA.names.endings) lookup(stem + ending).forEach((i) => found.add(i));
      }
    }
    if (found.size === 2) {
      const [a, b] = [...found];
      for (const [role, post] of [[a, b], [b, a]])
        if (DATA.names.sole_post[role] === post) found = new Set([post]);
    }
    return [...found].sort();
  }
  window.orgrolesResolve = resolve; // for the tests: the page resolves as the CLI does
  window.orgrolesFold = fold;

  /** Rows for an id: its own cards; a unit's are the cards of the posts heading it. */
  function rowsFor(id) {
    if (ROWS_OF.has(id)) return ROWS_OF.get(id);
    return (HEADED.get(id) || []).flatMap((post) => ROWS_OF.get(post) || []);
  }
  /** The folded words of a text, as orgroles.names.words: no invisibles, NFKC, no marks. */
  function words(text) {
    const plain = text.replace(IGNORABLE, "").normalize("NFKC").replace(/\p{M}/gu, "");
    return (plain.match(/[\p{L}\p{N}_]+/gu) || []).map(fold).filter((key) => key);
  }
  window.orgrolesWords = words; // for the tests: the page splits words as the CLI does
  /** Cards whose names (or people) have words beginning with the typed words, in order. */
  function byWords(query, limit) {
    const wanted = words(query);
    if (!wanted.length) return [];
    const out = [];
    for (let i = 0; i < ROWS.length && out.length < limit; i++) {
      const row = ROWS[i];
      for (const text of [row[NAME], row[NAME + 1], row[PEOPLE], row[PEOPLE + 1]]) {
        const have = words(text);
        if (have.some((_, s) => wanted.every((wd, j) => (have[s + j] || "").startsWith(wd)))) {
          out.push(i);
          break;
        }
      }
    }
    return out;
  }

  // --- the page --------------------------------------------------------------------------
  const title = el("h1", { id: "title" });
  const search = el("input", { id: "search", type: "search", autocomplete: "off" });
  const hits = el("ul", { id: "hits", role: "listbox" });
  const langButton = el("button", { id: "lang", type: "button" });
  const layoutButton = el("button", { id: "layout", type: "button" });
  const expandButton = el("button", { id: "expand", type: "button" });
  const collapseButton = el("button", { id: "collapse", type: "button" });
  const tree = el("ul", { id: "tree", role: "tree", class: "top-down" });
  const panel = el("aside", { id: "details", role: "dialog", "aria-modal": "false", hidden: "" });
  const header = el("header", {}, title,
    el("div", { class: "controls" }, search, langButton, layoutButton, expandButton, collapseButton),
    hits);
  document.body.append(header, el("main", {}, tree), panel);

  function sourceText(row) {
    const slides = row[SLIDES].map((s) => "S" + s).join(", ");
    const status = row[STATUS] !== "stated" ? w(row[STATUS]) : "";
    return [slides, status].filter(Boolean).join(" · ");
  }

  function card(i) {
    const row = ROWS[i];
    const lang = state.lang;
    const kids = KIDS[i];
    const item = el("li", {
      role: "treeitem",
      "aria-level": String(level(i) + 1),
      "data-row": String(i),
      "data-id": row[ID],
      class: "node" + (row[OPEN] ? " open-line" : ""),
      tabindex: i === state.focus ? "0" : "-1",
    });
    const name = el("span", { class: "name" }, row[NAME + lang]);
    const count = row[COUNT + lang] ? el("span", { class: "count" }, ", " + row[COUNT + lang]) : null;
    const box = el("div", { class: "card kind-" + row[KIND] + (row[STATUS] !== "stated" ? " " + row[STATUS] : "") },
      el("div", { class: "title" }, name, count),
      row[PEOPLE + lang] ? el("div", { class: "people" }, row[PEOPLE + lang]) : null,
      row[STAFF + lang] ? el("div", { class: "staff" }, "+ " + row[STAFF + lang]) : null,
      row[NOTE + lang] ? el("div", { class: "note" }, row[NOTE + lang]) : null,
      sourceText(row) ? el("div", { class: "source" }, sourceText(row)) : null);
    item.append(box);
    if (kids.length) {
      const open = state.expanded.has(i);
      item.setAttribute("aria-expanded", open ? "true" : "false");
      const toggle = el("button", { class: "toggle", type: "button", tabindex: "-1",
        "aria-label": (open ? "−" : "+") + " " + row[NAME + lang] },
        open ? "−" : "+" + " " + w("more_below").replace("{n}", String(kids.length)));
      box.append(toggle);
      if (open) {
        const leaves = kids.every((k) => !KIDS[k].length);
        const group = el("ul", { role: "group", class: leaves && kids.length > 1 ? "leaves" : "" });
        for (const k of kids) group.append(card(k));
        item.append(group);
      }
    }
    return item;
  }

  const LEVEL = new Int32Array(ROWS.length);
  ROWS.forEach((row, i) => { LEVEL[i] = row[PARENT] < 0 ? 0 : LEVEL[row[PARENT]] + 1; });
  function level(i) { return LEVEL[i]; }

  function render() {
    const lang = state.lang;
    document.documentElement.lang = lang ? "en" : "nb";
    title.textContent = DATA.title[lang];
    document.title = DATA.title[lang];
    search.placeholder = w("search");
    search.setAttribute("aria-label", w("search"));
    langButton.textContent = lang ? "Norsk" : "English";
    langButton.setAttribute("aria-label", w("language"));
    layoutButton.textContent = w("layout") + ": " + w(state.layout === "top-down" ? "left_right" : "top_down");
    expandButton.textContent = w("expand_all");
    collapseButton.textContent = w("collapse_all");
    tree.className = state.layout;
    tree.setAttribute("aria-label", DATA.title[lang]);
    tree.replaceChildren(...ROOTS.map(card));
    if (!panel.hidden && panel.dataset.row) showDetails(Number(panel.dataset.row), false);
  }

  function expandInitially() {
    let shown = ROOTS.length;
    let frontier = [...ROOTS];
    while (frontier.length) {
      const next = [];
      for (const i of frontier) {
        if (KIDS[i].length && shown + KIDS[i].length <= DATA.initial_cards) {
          state.expanded.add(i);
          shown += KIDS[i].length;
          next.push(...KIDS[i]);
        }
      }
      frontier = next;
    }
  }

  // --- details: what `orgroles show` prints ----------------------------------------------
  function sectionNode(section) {
    const box = el("section", {}, el("h3", {}, section.title));
    if (section.columns.length) {
      const table = el("table", {});
      if (section.header) table.append(el("thead", {}, el("tr", {}, ...section.columns.map((c) => el("th", {}, c)))));
      const body = el("tbody", {});
      for (const r of section.rows) body.append(el("tr", {}, ...r.map((c) => el("td", {}, c))));
      table.append(body);
      box.append(table);
    }
    for (const line of section.lines) box.append(el("p", {}, line));
    for (const note of section.notes) box.append(el("p", { class: "note" }, note));
    return box;
  }

  function postHead(i) {
    const row = ROWS[i];
    const lang = state.lang;
    const [role, unit] = DATA.posts[row[ID]] || ["", ""];
    const rows = [];
    if (row[PEOPLE + lang]) rows.push([w("held_by"), row[PEOPLE + lang]]);
    if (role) rows.push([w("role"), DATA.labels[role][lang]]);
    if (unit) rows.push([w("heads"), DATA.labels[unit][lang]]);
    const up = row[SUPERIOR + lang] || w("top"); // as `show` names it (not the group above)
    rows.push([w("superior"), up + (row[NOTE + lang] ? " (" + row[NOTE + lang] + ")" : "")]);
    if (sourceText(row)) rows.push([w("source"), sourceText(row)]);
    return { title: row[NAME + lang] + "  (" + row[ID] + ", " + w("kind_post") + ")",
      columns: ["", ""], rows, lines: [], notes: [], header: false };
  }

  function showDetails(i, moveFocus) {
    const row = ROWS[i];
    const lang = state.lang;
    const sections = [];
    if (row[KIND] === "post") {
      sections.push(postHead(i));
      const role = (DATA.posts[row[ID]] || [""])[0];
      if (role && DATA.details[role]) {
        sections.push({ title: w("role_facts") + ": " + DATA.labels[role][lang], columns: [], rows: [], lines: [], notes: [], header: true });
        // The role's facts; not whom its posts have reporting (the post's own are below it).
        sections.push(...DATA.details[role][lang].slice(1).filter((s) => s.title !== w("reports")));
      }
    } else if (DATA.details[row[ID]]) {
      sections.push(...DATA.details[row[ID]][lang]);
    }
    const close = el("button", { type: "button", class: "close" }, w("close"));
    close.addEventListener("click", hideDetails);
    panel.replaceChildren(close, ...sections.map(sectionNode));
    panel.setAttribute("aria-label", w("details") + ": " + row[NAME + lang]);
    panel.dataset.row = String(i);
    panel.hidden = false;
    document.body.classList.add("with-details");
    if (moveFocus) close.focus();
  }
  function hideDetails() {
    panel.hidden = true;
    delete panel.dataset.row;
    document.body.classList.remove("with-details");
    focusRow(state.focus);
  }

  // --- moving around ----------------------------------------------------------------------
  function itemOf(i) { return tree.querySelector('li[data-row="' + i + '"]'); }
  function focusRow(i) {
    if (i < 0) return;
    const old = tree.querySelector('li[tabindex="0"]');
    if (old) old.setAttribute("tabindex", "-1");
    state.focus = i;
    const item = itemOf(i);
    if (item) {
      item.setAttribute("tabindex", "0");
      item.focus({ preventScroll: true });
      item.querySelector(".card").scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }
  function toggle(i, open) {
    if (!KIDS[i].length) return;
    if (open) state.expanded.add(i); else state.expanded.delete(i);
    const item = itemOf(i);
    if (item) item.replaceWith(card(i));
    focusRow(i);
  }
  function reveal(i) {
    for (let p = ROWS[i][PARENT]; p >= 0; p = ROWS[p][PARENT]) state.expanded.add(p);
    render();
    focusRow(i);
    const item = itemOf(i);
    if (item) {
      item.querySelector(".card").classList.add("hit");
      setTimeout(() => item.querySelector(".card").classList.remove("hit"), 2000);
    }
  }
  function visible() {
    return [...tree.querySelectorAll('li[role="treeitem"]')].map((n) => Number(n.dataset.row));
  }

  tree.addEventListener("click", (event) => {
    const item = event.target.closest('li[role="treeitem"]');
    if (!item) return;
    const i = Number(item.dataset.row);
    if (event.target.closest(".toggle")) toggle(i, !state.expanded.has(i));
    else { focusRow(i); showDetails(i, false); }
    event.stopPropagation();
  });
  tree.addEventListener("keydown", (event) => {
    const i = state.focus;
    const order = visible();
    const at = order.indexOf(i);
    const key = event.key;
    if (key === "ArrowDown" && at + 1 < order.length) focusRow(order[at + 1]);
    else if (key === "ArrowUp" && at > 0) focusRow(order[at - 1]);
    else if (key === "Home") focusRow(order[0]);
    else if (key === "End") focusRow(order[order.length - 1]);
    else if (key === "ArrowRight") {
      if (KIDS[i].length && !state.expanded.has(i)) toggle(i, true);
      else if (KIDS[i].length) focusRow(KIDS[i][0]);
    } else if (key === "ArrowLeft") {
      if (state.expanded.has(i)) toggle(i, false);
      else if (ROWS[i][PARENT] >= 0) focusRow(ROWS[i][PARENT]);
    } else if (key === "Enter" || key === " ") showDetails(i, true);
    else return;
    event.preventDefault();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) { hideDetails(); event.preventDefault(); }
  });

  // --- search -----------------------------------------------------------------------------
  let timer = 0;
  function runSearch() {
    const query = search.value.trim();
    hits.replaceChildren();
    if (!query) return;
    const found = [];
    for (const id of resolve(query)) for (const r of rowsFor(id)) if (!found.includes(r)) found.push(r);
    for (const r of byWords(query, 20)) if (!found.includes(r)) found.push(r);
    if (!found.length) {
      hits.append(el("li", { class: "none" }, w("no_hit")));
      return;
    }
    for (const r of found.slice(0, 20)) {
      const row = ROWS[r];
      const path = [];
      for (let p = row[PARENT]; p >= 0 && path.length < 3; p = ROWS[p][PARENT]) path.unshift(ROWS[p][NAME + state.lang]);
      const hit = el("li", { role: "option", tabindex: "0", "data-row": String(r) },
        el("span", { class: "name" }, row[NAME + state.lang]),
        row[PEOPLE + state.lang] ? el("span", { class: "people" }, " — " + row[PEOPLE + state.lang]) : null,
        path.length ? el("span", { class: "path" }, "  " + path.join(" › ")) : null);
      hits.append(hit);
    }
  }
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(timer);
      runSearch();
      const first = hits.querySelector("li[data-row]");
      if (first) { reveal(Number(first.dataset.row)); }
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      const first = hits.querySelector("li[data-row]");
      if (first) first.focus();
      event.preventDefault();
    }
  });
  hits.addEventListener("click", (event) => {
    const hit = event.target.closest("li[data-row]");
    if (hit) { reveal(Number(hit.dataset.row)); hits.replaceChildren(); }
  });
  hits.addEventListener("keydown", (event) => {
    const hit = event.target.closest("li[data-row]");
    if (!hit) return;
    if (event.key === "Enter") { reveal(Number(hit.dataset.row)); hits.replaceChildren(); }
    else if (event.key === "ArrowDown" && hit.nextElementSibling) hit.nextElementSibling.focus();
    else if (event.key === "ArrowUp") (hit.previousElementSibling || search).focus();
    else return;
    event.preventDefault();
  });

  // --- controls ---------------------------------------------------------------------------
  const EXPAND_LIMIT = 5000; // cards "expand all" opens at most, to stay responsive
  langButton.addEventListener("click", () => { state.lang = 1 - state.lang; render(); runSearch(); });
  layoutButton.addEventListener("click", () => {
    state.layout = state.layout === "top-down" ? "left-right" : "top-down";
    render();
  });
  expandButton.addEventListener("click", () => {
    let shown = 0;
    const queue = [...ROOTS];
    while (queue.length && shown < EXPAND_LIMIT) {
      const i = queue.shift();
      if (KIDS[i].length) { state.expanded.add(i); shown += KIDS[i].length; queue.push(...KIDS[i]); }
    }
    render();
  });
  collapseButton.addEventListener("click", () => { state.expanded.clear(); render(); });

  expandInitially();
  render();
  document.body.dataset.ready = "true";
})();
