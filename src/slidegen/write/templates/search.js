// slidegen site search: finds sections of every class in this language. Without JavaScript
// the form stays hidden and the site works as it is.
(function () {
  "use strict";
  var records = window.slidegenSearch;
  var form = document.querySelector("form.search");
  if (!form || !Array.isArray(records)) { return; }
  var input = form.querySelector("input");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var folded = records.map(function (r) { return fold(r.title + " " + r.text); });
  function show() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    status.textContent = "";
    if (!words.length) { return; }
    var found = 0;
    for (var i = 0; i < records.length && found < 12; i++) {
      if (words.every(function (w) { return folded[i].indexOf(w) >= 0; })) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = records[i].href;
        a.textContent = records[i].title;
        var where = document.createElement("span");
        where.className = "in";
        where.textContent = records[i]["class"];
        li.appendChild(a);
        li.appendChild(where);
        list.appendChild(li);
        found++;
      }
    }
    if (!found) { status.textContent = input.getAttribute("data-none"); }
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
  input.addEventListener("input", show);
  form.hidden = false;
})();
