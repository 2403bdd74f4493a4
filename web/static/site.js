/* Living Well directory: small enhancements. Every page works without this
   file. It adds "my list" (kept only in this browser, in localStorage),
   print buttons, closed-by-default filters on small screens, and moves
   focus to a form's error summary. */
(function () {
  'use strict';

  var KEY = 'livingwell.mylist';
  var MAX = 50;

  function storageWorks() {
    try {
      window.localStorage.setItem(KEY + '.test', '1');
      window.localStorage.removeItem(KEY + '.test');
      return true;
    } catch (e) {
      return false;
    }
  }

  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || '[]');
      if (!Array.isArray(v)) { return []; }
      return v.filter(function (x) { return x && typeof x.id === 'string' && /^[0-9a-f]{1,64}$/.test(x.id); });
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(list));
    } catch (e) { /* full or blocked: the list stays as it was */ }
  }

  function has(list, id) {
    return list.some(function (x) { return x.id === id; });
  }

  function announce(text) {
    var s = document.querySelector('[data-mylist-status]');
    if (s) { s.textContent = text; }
  }

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function updateCount() {
    var n = load().length;
    all('[data-mylist-count]').forEach(function (el) {
      el.textContent = n ? ' (' + n + ')' : '';
    });
  }

  function setLabel(btn, saved) {
    var label = btn.querySelector('[data-mylist-label]');
    if (label) { label.textContent = saved ? 'Remove from my list' : 'Add to my list'; }
  }

  function initAddButtons() {
    var list = load();
    all('[data-mylist-add]').forEach(function (btn) {
      setLabel(btn, has(list, btn.getAttribute('data-id')));
      btn.hidden = false;
      btn.addEventListener('click', function () {
        var id = btn.getAttribute('data-id');
        var name = btn.getAttribute('data-name');
        var l = load();
        if (has(l, id)) {
          save(l.filter(function (x) { return x.id !== id; }));
          setLabel(btn, false);
          announce(name + ' removed from your list');
        } else if (l.length >= MAX) {
          announce('Your list is full. Remove something from it first.');
        } else {
          l.push({ id: id, name: name });
          save(l);
          setLabel(btn, true);
          announce(name + ' added to your list');
        }
        updateCount();
      });
    });
  }

  function initPrint() {
    all('[data-print]').forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener('click', function () { window.print(); });
    });
    all('[data-print-hint]').forEach(function (el) { el.hidden = true; });
  }

  function initMyList() {
    var page = document.querySelector('[data-mylist-page]');
    if (!page) { return; }
    var items = page.querySelector('[data-mylist-items]');
    var empty = page.querySelector('[data-mylist-empty]');
    var actions = page.querySelector('[data-mylist-actions]');
    var error = page.querySelector('[data-mylist-error]');

    function show(count) {
      empty.hidden = count > 0;
      actions.hidden = count === 0;
      page.setAttribute('data-mylist-state', 'ready');
    }

    function bindRemove() {
      all('[data-mylist-remove]', items).forEach(function (btn) {
        btn.addEventListener('click', function () {
          var id = btn.getAttribute('data-id');
          var section = btn.closest('section[data-id]');
          var title = section && section.querySelector('.sheet-title');
          save(load().filter(function (x) { return x.id !== id; }));
          if (section) { section.parentNode.removeChild(section); }
          announce((title ? title.textContent : 'It') + ' removed from your list');
          show(load().length);
          updateCount();
          var h1 = document.querySelector('main h1');
          if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
        });
      });
    }

    var list = load();
    if (!list.length) { show(0); return; }
    var query = list.map(function (x) { return 'id=' + encodeURIComponent(x.id); }).join('&');
    fetch('/my-list/items?' + query, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok) { throw new Error('status ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        // Server-rendered and escaped; scripts in it would not run.
        items.innerHTML = html;
        var found = all('section[data-id]', items).map(function (s) { return s.getAttribute('data-id'); });
        // Listings that have been removed from the directory leave the list.
        save(load().filter(function (x) { return found.indexOf(x.id) >= 0; }));
        show(found.length);
        bindRemove();
        updateCount();
      })
      .catch(function () { error.hidden = false; });

    var clear = page.querySelector('[data-mylist-clear]');
    clear.addEventListener('click', function () {
      if (!window.confirm('Remove everything from your list?')) { return; }
      save([]);
      items.innerHTML = '';
      show(0);
      updateCount();
      announce('Your list is now empty');
    });
  }

  function initFilters() {
    var d = document.querySelector('[data-filters]');
    if (d && window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) {
      d.open = false;
    }
  }

  function initErrorSummary() {
    var summary = document.querySelector('[data-error-summary]');
    if (summary) { summary.focus(); }
  }

  function init() {
    if (storageWorks()) {
      updateCount();
      initAddButtons();
      initMyList();
    } else {
      all('[data-mylist-nostorage]').forEach(function (el) { el.hidden = false; });
    }
    initPrint();
    initFilters();
    initErrorSummary();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
