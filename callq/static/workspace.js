// callq – the waiting room refreshes itself without losing the agent's place.
// Written by hand (no CDN): every few seconds fetch the rows for the filters in the address
// bar and patch the list in place. An entry that did not change keeps its element, so its
// open <details>, a playing message and the scroll position stay as they are; an entry that
// changed is replaced (keeping its open details), unless one of its messages is playing.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) { return; }
  var seconds = parseInt(room.getAttribute("data-refresh"), 10) || 10;

  function playing(element) {
    var audios = element.querySelectorAll("audio");
    for (var i = 0; i < audios.length; i++) {
      if (!audios[i].paused && !audios[i].ended) { return true; }
    }
    return false;
  }

  function lastPlaying(list) {
    var last = null;
    Array.prototype.forEach.call(list.children, function (li) {
      if (playing(li)) { last = li; }
    });
    return last;
  }

  // Whether `element` comes after `row` in the list (the end of the list, null, does).
  function below(row, element) {
    return element === null ||
      Boolean(row.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  function openKeys(element) {
    var keys = {};
    element.querySelectorAll("details[open]").forEach(function (d) {
      keys[d.getAttribute("data-key")] = true;
    });
    return keys;
  }

  function patchRow(old, fresh) {
    var same = old.getAttribute("data-version") === fresh.getAttribute("data-version") &&
      old.getAttribute("data-messages") === fresh.getAttribute("data-messages");
    if (same) {  // only the parts that move with time: position, reason, waiting time, claim
      var olds = old.querySelectorAll("[data-live]");
      var news = fresh.querySelectorAll("[data-live]");
      if (olds.length === news.length) {
        for (var i = 0; i < olds.length; i++) {
          if (olds[i].innerHTML !== news[i].innerHTML) { olds[i].innerHTML = news[i].innerHTML; }
        }
        old.className = fresh.className;
        return old;
      }
    }
    if (playing(old)) { return old; }  // try again at the next refresh
    var keys = openKeys(old);
    fresh.querySelectorAll("details").forEach(function (d) {
      if (keys[d.getAttribute("data-key")]) { d.open = true; }
    });
    old.replaceWith(fresh);
    return fresh;
  }

  function patch(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var list = document.getElementById("entries");
    var freshList = holder.querySelector("#entries");
    var count = holder.querySelector("#count");
    if (!list || !freshList) { return; }
    if (count) { document.getElementById("count").innerHTML = count.innerHTML; }
    var current = {};
    Array.prototype.forEach.call(list.children, function (li) { current[li.id] = li; });
    var wanted = Array.prototype.map.call(freshList.children, function (fresh) {
      var old = current[fresh.id];
      delete current[fresh.id];
      return old ? patchRow(old, fresh) : fresh;
    });
    Object.keys(current).forEach(function (id) {  // gone from the list (taken, closed...)
      if (!playing(current[id])) { current[id].remove(); }
    });
    // Newcomers go in before the entry that follows them: nothing already shown changes
    // order. While a message plays, none goes in above its entry, which would push it down
    // under the agent's eyes: they wait below it until the list is reordered.
    var listening = lastPlaying(list);
    var following = null;
    for (var i = wanted.length - 1; i >= 0; i--) {
      if (wanted[i].parentNode !== list) {
        list.insertBefore(wanted[i], listening && !below(listening, following)
          ? listening.nextSibling : following);
      }
      following = wanted[i];
    }
    var inOrder = wanted.every(function (li, n) { return list.children[n] === li; });
    // Moving an element pauses its audio: reorder the rest only when nothing is playing.
    if (!inOrder && !listening) {
      wanted.forEach(function (li) { list.appendChild(li); });
    }
  }

  function refresh() {
    var query = window.location.search ? window.location.search + "&" : "?";
    fetch(window.location.pathname + query + "fragment=1", {
      credentials: "same-origin", headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (response.status === 401) { window.location.reload(); return null; }
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html) { patch(html); }
    }).catch(function () { /* offline for a moment: the next tick tries again */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
