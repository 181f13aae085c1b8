//! `errcat report`: one self-contained HTML page for reviewers. No external assets
//! and no framework: the data rides along as JSON and a little plain JavaScript
//! renders it, always through `textContent`, so source text is shown as text.
//!
//! A reviewer picks a document, a locale and any two of its revisions and sees the
//! changes side by side with word highlights; the page also shows each code's
//! history and the locale drift. The state lives in the URL fragment
//! (`#doc=…&locale=…&old=…&new=…&code=…`) so a view can be linked to.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, CodeRecord};
use crate::diff::{self, Dated, Drift, RevisionChanges};

#[derive(Serialize)]
struct Data<'a> {
    documents: Vec<Document>,
    codes: &'a [CodeRecord],
    drift: Vec<Drift>,
    sources: &'a str,
}

#[derive(Serialize)]
struct Document {
    document: String,
    title: String,
    chains: Vec<Chain>,
}

#[derive(Serialize)]
struct Chain {
    locale: String,
    revisions: Vec<String>,
    /// `"old|new"` → the changes between them, for every ordered pair.
    pairs: BTreeMap<String, RevisionChanges>,
}

/// The page, for revisions in manifest order.
pub fn html(revisions: &[Dated<'_>], catalog: &Catalog, sources: &str) -> String {
    let mut documents: BTreeMap<&str, Document> = BTreeMap::new();
    for chain in diff::chains(revisions) {
        let (document, locale) = chain[0].0.chain();
        let doc = documents.entry(document).or_insert_with(|| Document {
            document: document.to_owned(),
            title: chain[0].0.title.clone(),
            chains: Vec::new(),
        });
        let mut pairs = BTreeMap::new();
        for (i, old) in chain.iter().enumerate() {
            for new in &chain[i + 1..] {
                let key = format!("{}|{}", old.0.revision, new.0.revision);
                pairs.insert(key, diff::revisions(old.0, new.0, (old.1, new.1)));
            }
        }
        if locale == diff::SOURCE_LOCALE {
            if let Some(last) = chain.last() {
                doc.title = last.0.title.clone();
            }
        }
        doc.chains.push(Chain {
            locale: locale.to_owned(),
            revisions: chain.iter().map(|r| r.0.revision.clone()).collect(),
            pairs,
        });
    }
    let plain: Vec<&crate::model::Revision> = revisions.iter().map(|r| r.0).collect();
    let data = Data {
        documents: documents.into_values().collect(),
        codes: &catalog.codes,
        drift: diff::drift(&plain),
        sources,
    };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    // Inside <script>, `<` could close the element; JSON allows it escaped.
    let json = json
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    TEMPLATE.replace("/*DATA*/{}", &json)
}

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>errcat review</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header { background: #20364b; color: #fff; padding: 10px 18px; display: flex; gap: 14px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 17px; margin: 0 12px 0 0; }
select, input { font: inherit; padding: 3px 6px; }
main { padding: 12px 18px; display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 1fr); gap: 18px; }
section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; margin-bottom: 14px; }
h2 { font-size: 15px; margin: 4px 0 10px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border-top: 1px solid #eee; padding: 5px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #f3f5f7; }
.kind { font: 12px ui-monospace, monospace; color: #555; }
.code { font-family: ui-monospace, monospace; }
del { background: #ffd7d5; color: #82071e; }
ins { background: #ccffd8; color: #055d20; text-decoration: none; }
.editorial { color: #777; }
.muted { color: #777; }
ul { margin: 4px 0; padding-left: 18px; }
</style>
</head>
<body>
<header>
<h1>errcat review</h1>
<label>document <select id="doc"></select></label>
<label>locale <select id="locale"></select></label>
<label>old <select id="old"></select></label>
<label>new <select id="new"></select></label>
<span id="dataset" class="muted"></span>
</header>
<main>
<div>
<section><h2>Terminology</h2><ul id="terminology"></ul></section>
<section><h2>Changes <span id="count" class="muted"></span></h2>
<table id="changes"><thead><tr><th style="width:18%">change</th><th style="width:41%">old</th><th style="width:41%">new</th></tr></thead><tbody></tbody></table>
</section>
</div>
<div>
<section><h2>Code history</h2><input id="code" placeholder="0x801C03ED, a name…" size="24"><div id="history"></div></section>
<section><h2>Locale drift</h2><div id="drift"></div></section>
</div>
</main>
<script type="application/json" id="data">/*DATA*/{}</script>
<script>
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const $ = (id) => document.getElementById(id);
function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}
function state() {
  const out = {};
  for (const part of location.hash.slice(1).split("&")) {
    const at = part.indexOf("=");
    if (at > 0) out[decodeURIComponent(part.slice(0, at))] = decodeURIComponent(part.slice(at + 1));
  }
  return out;
}
function save(s) {
  const parts = Object.keys(s).filter((k) => s[k]).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(s[k]));
  history.replaceState(null, "", "#" + parts.join("&"));
}
function fill(select, values, chosen) {
  select.replaceChildren(...values.map((v) => { const o = el("option", v); o.value = v; return o; }));
  select.value = values.includes(chosen) ? chosen : values[0] || "";
}
function words(cell, spans, side) {
  for (const span of spans) {
    if (span.op === "equal") cell.append(document.createTextNode(span.text));
    else if (span.op === "delete" && side === "old") cell.append(el("del", span.text));
    else if (span.op === "insert" && side === "new") cell.append(el("ins", span.text));
  }
}
function render() {
  const s = state();
  const docs = DATA.documents;
  fill($("doc"), docs.map((d) => d.document), s.doc);
  const doc = docs.find((d) => d.document === $("doc").value);
  if (!doc) return;
  fill($("locale"), doc.chains.map((c) => c.locale), s.locale);
  const chain = doc.chains.find((c) => c.locale === $("locale").value);
  const revs = chain.revisions;
  fill($("old"), revs.slice(0, -1), s.old || revs[revs.length - 2]);
  fill($("new"), revs.slice(1), s.new || revs[revs.length - 1]);
  if (revs.indexOf($("new").value) <= revs.indexOf($("old").value)) {
    $("new").value = revs[revs.indexOf($("old").value) + 1] || "";
  }
  save({ doc: doc.document, locale: chain.locale, old: $("old").value, new: $("new").value, code: s.code });
  $("dataset").textContent = "sources " + DATA.sources.slice(0, 16);
  const pair = chain.pairs[$("old").value + "|" + $("new").value];
  const body = $("changes").tBodies[0];
  body.replaceChildren();
  $("terminology").replaceChildren();
  $("count").textContent = "";
  if (!pair) {
    const row = el("tr"); const cell = el("td", revs.length < 2 ? "One revision so far: nothing to compare." : "Pick two revisions.", "muted");
    cell.colSpan = 3; row.append(cell); body.append(row);
    return;
  }
  for (const r of pair.terminology) {
    const item = el("li");
    item.append(el("del", r.from), " → ", el("ins", r.to), el("span", " (" + r.codes.length + " entries: " + r.codes.join(", ") + ")", "muted"));
    $("terminology").append(item);
  }
  if (!pair.terminology.length) $("terminology").append(el("li", "none", "muted"));
  $("count").textContent = "(" + pair.changes.length + ")";
  for (const c of pair.changes) {
    const row = el("tr", null, "change " + c.kind);
    row.dataset.kind = c.kind;
    if (c.code) row.dataset.code = c.code;
    const what = el("td");
    what.append(el("div", c.kind, "kind"));
    if (c.code) what.append(el("div", c.code, "code"));
    const place = c.section.concat(c.field ? [c.field] : []).join(" › ");
    if (place) what.append(el("div", place, "muted"));
    const oldCell = el("td", null, "old"), newCell = el("td", null, "new");
    if (c.words.length) { words(oldCell, c.words, "old"); words(newCell, c.words, "new"); }
    else { if (c.old !== null) oldCell.append(el("del", c.old)); if (c.new !== null) newCell.append(el("ins", c.new)); }
    row.append(what, oldCell, newCell);
    body.append(row);
  }
  renderHistory(s.code);
}
function renderHistory(query) {
  const box = $("history");
  box.replaceChildren();
  if (!query) { box.append(el("p", "Type a code or a symbolic name.", "muted")); return; }
  const q = query.trim().toUpperCase();
  const record = DATA.codes.find((c) => c.code.toUpperCase() === q || c.names.some((n) => n.toUpperCase() === q));
  if (!record) { box.append(el("p", "Not in the catalogue: " + query, "muted")); return; }
  box.append(el("h3", record.code + (record.names.length ? "  " + record.names.join(", ") : ""), "code"));
  for (const ctx of record.contexts) {
    const item = el("div");
    item.append(el("div", ctx.document + " (" + ctx.locale + ") › " + ctx.section.join(" › ")));
    item.append(el("div", "first seen " + ctx.first_seen + ", last changed " + ctx.last_changed + (ctx.withdrawn_in ? ", withdrawn in " + ctx.withdrawn_in : ""), "muted"));
    const list = el("ul");
    for (const cond of ctx.conditions) {
      for (const cause of cond.causes) list.append(el("li", "cause: " + cause));
      if (cond.message) list.append(el("li", "message: " + cond.message));
      list.append(el("li", "mitigation: " + (cond.mitigation === null ? "none given" : cond.mitigation)));
    }
    item.append(list);
    box.append(item);
  }
}
function renderDrift() {
  const box = $("drift");
  if (!DATA.drift.length) { box.append(el("p", "No translations.", "muted")); return; }
  for (const d of DATA.drift) {
    const item = el("div", null, "drift");
    item.append(el("div", d.document + " " + d.locale + " " + d.revision + " most likely translates en-us " + (d.likely_translates || "(none)") + " (" + d.shared + " codes shared)"));
    item.append(el("div", "only in " + d.locale + ": " + (d.only_here.join(", ") || "none")));
    item.append(el("div", "missing from " + d.locale + ": " + (d.missing.join(", ") || "none")));
    box.append(item);
  }
}
for (const id of ["doc", "locale", "old", "new"]) {
  $(id).addEventListener("change", () => {
    const s = state(); s[id] = $(id).value;
    if (id === "doc") { delete s.locale; delete s.old; delete s.new; }
    if (id === "locale") { delete s.old; delete s.new; }
    save(s); render();
  });
}
$("code").addEventListener("input", () => { const s = state(); s.code = $("code").value; save(s); renderHistory(s.code); });
$("code").value = state().code || "";
renderDrift();
render();
</script>
</body>
</html>
"##;
