// Remit's search in a published copy: the site has no server, so the search page looks the
// query up in a prebuilt index of places, agencies, rules and audits (search-index.js, the same
// entries as search-index.json) and lists what matches, best first. It forgives case,
// punctuation and small misspellings as the dashboard's own search does: every word of the
// query must match a word of the entry exactly, as a prefix, or within one or two edits.
(function () {
  "use strict";

  function words(text) {
    return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return w.length > 0;
    });
  }

  // Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a part).
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
    }
    for (var j = 1; j <= b.length; j++) {
      rows[0][j] = j;
    }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = best;
      }
    }
    return rows[a.length][b.length];
  }

  function wordScore(query, word) {
    if (query === word) {
      return 10;
    }
    if (word.indexOf(query) === 0) {
      return query.length >= 3 ? 7 : 4;
    }
    var length = query.length;
    if (length < 4) {
      return 0;
    }
    var allowed = length >= 8 ? 2 : 1;
    var found = distance(query, word);
    if (word.length > length) {
      found = Math.min(found, distance(query, word.slice(0, length)));
    }
    if (found <= allowed) {
      return found === 1 ? 5 : 3;
    }
    return length >= 5 && word.indexOf(query) >= 0 ? 3 : 0;
  }

  function score(terms, entry) {
    var title = entry.titleWords;
    var total = 0;
    for (var t = 0; t < terms.length; t++) {
      var best = 0;
      for (var i = 0; i < title.length; i++) {
        best = Math.max(best, wordScore(terms[t], title[i]) * 2);
      }
      for (i = 0; i < entry.otherWords.length; i++) {
        best = Math.max(best, wordScore(terms[t], entry.otherWords[i]));
      }
      if (best === 0) {
        return 0;
      }
      total += best;
    }
    if (title.join(" ") === terms.join(" ")) {
      total += 50;
    }
    return total;
  }

  // The search's words in the page's language (`data-lang` of the results box).
  var WORDS = {
    en: {
      headings: { place: "Places", agency: "Agencies", audit: "Plate-reader audits", rule: "Rules" },
      prompt: "Type a place, an agency or a law, then Search.",
      nothing: function (query) { return "Nothing matches \u201c" + query + "\u201d. Try fewer words or a state's name."; },
      found: function (n, query) { return n + (n === 1 ? " match" : " matches") + " for \u201c" + query + "\u201d."; },
      more: function (n) { return n + " more: add a word to narrow the search."; }
    },
    es: {
      headings: { place: "Lugares", agency: "Agencias", audit: "Auditorías de lectores de placas", rule: "Normas" },
      prompt: "Escriba un lugar, una agencia o una ley y elija Buscar.",
      nothing: function (query) { return "Nada coincide con \u201c" + query + "\u201d. Pruebe con menos palabras o con el nombre de un estado."; },
      found: function (n, query) { return n + (n === 1 ? " resultado" : " resultados") + " para \u201c" + query + "\u201d."; },
      more: function (n) { return n + " más: añada una palabra para acotar la búsqueda."; }
    }
  };
  var HEADINGS = WORDS.en.headings;
  var TEXT = WORDS.en;
  var ORDER = ["place", "agency", "audit", "rule"];
  var SHOWN = 25;

  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function show(box, root, entries, query) {
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    var terms = words(query);
    if (terms.length === 0) {
      box.appendChild(element("p", TEXT.prompt));
      return;
    }
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var found = score(terms, entries[i]);
      if (found > 0) {
        hits.push({ entry: entries[i], score: found });
      }
    }
    hits.sort(function (a, b) {
      return b.score - a.score ||
        ORDER.indexOf(a.entry.kind) - ORDER.indexOf(b.entry.kind) ||
        (a.entry.title < b.entry.title ? -1 : a.entry.title > b.entry.title ? 1 : 0);
    });
    var summary = element("p", hits.length === 0
      ? TEXT.nothing(query)
      : TEXT.found(hits.length, query));
    summary.id = "search-summary";
    box.appendChild(summary);
    ORDER.forEach(function (kind) {
      var group = hits.filter(function (hit) { return hit.entry.kind === kind; });
      if (group.length === 0) {
        return;
      }
      box.appendChild(element("h2", HEADINGS[kind] + " (" + group.length + ")"));
      var list = element("ul");
      list.className = "results";
      group.slice(0, SHOWN).forEach(function (hit) {
        var item = element("li");
        var link = element("a", hit.entry.title);
        link.href = root + hit.entry.url;
        item.appendChild(link);
        if (hit.entry.detail) {
          item.appendChild(element("br"));
          var detail = element("span", hit.entry.detail);
          detail.className = "note";
          item.appendChild(detail);
        }
        list.appendChild(item);
      });
      box.appendChild(list);
      if (group.length > SHOWN) {
        box.appendChild(element("p", TEXT.more(group.length - SHOWN)));
      }
    });
  }

  function start() {
    var box = document.getElementById("search-results");
    var index = window.remitSearchIndex;
    if (!box || !index) {
      return;
    }
    var root = box.getAttribute("data-root") || "";
    // A Spanish page searches in Spanish and leads to the Spanish pages where the copy has them.
    var spanish = box.getAttribute("data-lang") === "es";
    if (spanish) {
      TEXT = WORDS.es;
      HEADINGS = WORDS.es.headings;
    }
    var entries = index.entries.map(function (entry) {
      return {
        kind: entry.kind,
        title: entry.title,
        detail: entry.detail,
        url: (spanish && entry.es) || entry.url,
        titleWords: words(entry.title),
        otherWords: words((entry.aliases || []).join(" "))
      };
    });
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var inputs = document.querySelectorAll("input[name=q]");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].value = query;
    }
    var own = document.getElementById("search-query");
    if (own) {
      own.addEventListener("input", function () {
        show(box, root, entries, own.value);
      });
    }
    show(box, root, entries, query);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
