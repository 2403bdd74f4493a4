/* Living Well directory: the worker's match screen. The screen works
   without this file as one form that is sent and comes back with the
   matches. This adds, for use during a conversation:
   - chips with type-ahead for interests, strengths, goals and needs
     (suggestions from POST /api/v1/terms; arrow keys, Enter, comma,
     Backspace and Escape work as in other combo boxes);
   - matches that refresh as the profile changes (POST /api/v1/match);
   - pin, unpin, exclude and put back without leaving the page.
   The profile stays in the page: nothing is kept anywhere, and what is
   typed is sent in request bodies, never in addresses. */
(function () {
  'use strict';

  var form = document.querySelector('[data-match-form]');
  if (!form || !window.fetch || !window.JSON) { return; }

  var list = document.querySelector('[data-match-list]');
  var status = document.querySelector('[data-match-status]');
  var relaxed = document.querySelector('[data-match-relaxed]');
  var excludeFields = form.querySelector('[data-exclude-fields]');
  var excludedBox = document.querySelector('[data-excluded]');
  var excludedItems = document.querySelector('[data-excluded-items]');
  var shortlistItems = document.querySelector('[data-shortlist-items]');
  var shortlistEmpty = document.querySelector('[data-shortlist-empty]');
  var csrf = form.querySelector('input[name=csrf]').value;
  var factors = JSON.parse(list.getAttribute('data-factors') || '[]');
  var pinned = {};
  var seq = 0;
  var inflight = null;
  // shown is the profile (as sent) whose matches are on screen: a text
  // field's "change" when it loses focus, after its "input" already
  // brought its matches, must not draw them again (that took the focus
  // away from a button the worker had just tabbed to).
  var shown = null;
  var timer = null;

  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function hidden(text) { return el('span', { 'class': 'visually-hidden' }, text); }

  function postJSON(url, body, signal) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', signal: signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    });
  }

  function postForm(url, fields) {
    var body = new URLSearchParams();
    body.append('csrf', csrf);
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { Accept: 'application/json' }
    }).then(function (r) {
      if (!r.ok) { throw new Error('status ' + r.status); }
      return r.json();
    });
  }

  function splitList(s) {
    return s.split(/[,;\n]/).map(function (x) { return x.trim().replace(/\s+/g, ' '); })
      .filter(function (x) { return x !== ''; });
  }

  /* ---- Chips with type-ahead ---- */

  function Chips(box) {
    var self = this;
    this.box = box;
    this.field = box.getAttribute('data-chips');
    this.input = box.querySelector('input');
    this.name = this.input.name;
    this.values = [];
    this.options = [];
    this.active = -1;
    var labelText = box.querySelector('label').textContent;
    this.list = el('ul', { 'class': 'chips', 'aria-label': labelText });
    this.listbox = el('ul', { 'class': 'typeahead', role: 'listbox', id: this.input.id + '-options', 'aria-label': 'Suggestions' });
    this.listbox.hidden = true;
    this.hiddenBox = el('div');
    box.insertBefore(this.list, this.input);
    box.appendChild(this.listbox);
    box.appendChild(this.hiddenBox);
    this.input.removeAttribute('name');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-autocomplete', 'list');
    this.input.setAttribute('aria-expanded', 'false');
    this.input.setAttribute('aria-controls', this.listbox.id);
    var start = splitList(this.input.value);
    this.input.value = '';
    start.forEach(function (v) { self.add(v, true); });

    this.input.addEventListener('input', function () {
      var v = self.input.value;
      if (/[,;]/.test(v)) {
        var parts = v.split(/[,;]/);
        self.input.value = parts.pop().replace(/^\s+/, '');
        parts.forEach(function (p) { self.add(p); });
      }
      self.suggest();
    });
    this.input.addEventListener('keydown', function (e) { self.key(e); });
    this.input.addEventListener('blur', function () {
      window.setTimeout(function () {
        if (self.input.value.trim() !== '') { self.add(self.input.value); self.input.value = ''; }
        self.close();
      }, 150);
    });
    this.listbox.addEventListener('mousedown', function (e) {
      var li = e.target.closest('[role=option]');
      if (!li) { return; }
      e.preventDefault();
      self.add(li.getAttribute('data-value'));
      self.input.value = '';
      self.close();
    });
  }

  Chips.prototype.add = function (text, quiet) {
    text = text.trim().replace(/\s+/g, ' ');
    if (text === '' || text.length > 100) { return; }
    var lower = text.toLowerCase();
    if (this.values.some(function (v) { return v.toLowerCase() === lower; })) { return; }
    if (this.values.length >= 20) { announce('You can add up to 20.'); return; }
    this.values.push(text);
    this.render();
    if (!quiet) {
      announce(text + ' added');
      changed(0);
    }
  };

  Chips.prototype.remove = function (text) {
    this.values = this.values.filter(function (v) { return v !== text; });
    this.render();
    this.input.focus();
    announce(text + ' removed');
    changed(0);
  };

  Chips.prototype.render = function () {
    var self = this;
    this.list.textContent = '';
    this.hiddenBox.textContent = '';
    this.values.forEach(function (v) {
      var li = el('li', { 'class': 'chip' });
      li.appendChild(el('span', {}, v));
      var b = el('button', { type: 'button', 'class': 'chip-remove', 'aria-label': 'Remove ' + v }, '×');
      b.addEventListener('click', function () { self.remove(v); });
      li.appendChild(b);
      self.list.appendChild(li);
      self.hiddenBox.appendChild(el('input', { type: 'hidden', name: self.name, value: v }));
    });
    this.list.hidden = this.values.length === 0;
  };

  Chips.prototype.suggest = function () {
    var self = this;
    var q = this.input.value.trim();
    window.clearTimeout(this.timer);
    if (q.length < 2) { this.close(); return; }
    this.timer = window.setTimeout(function () {
      postJSON('/api/v1/terms', { q: q, field: self.field, limit: 8 })
        .then(function (r) { return r.ok ? r.json() : { terms: [] }; })
        .then(function (data) {
          if (self.input.value.trim() !== q) { return; }
          var have = self.values.map(function (v) { return v.toLowerCase(); });
          self.show(data.terms.filter(function (t) { return have.indexOf(t.text) < 0; }));
        })
        .catch(function () { self.close(); });
    }, 120);
  };

  Chips.prototype.show = function (terms) {
    var self = this;
    this.options = terms;
    this.active = -1;
    this.listbox.textContent = '';
    terms.forEach(function (t, i) {
      var li = el('li', { role: 'option', id: self.input.id + '-option-' + i, 'aria-selected': 'false', 'data-value': t.text }, t.text);
      self.listbox.appendChild(li);
    });
    var open = terms.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute('aria-expanded', open ? 'true' : 'false');
    this.input.removeAttribute('aria-activedescendant');
  };

  Chips.prototype.close = function () { this.show([]); };

  Chips.prototype.move = function (by) {
    if (!this.options.length) { return; }
    var n = this.options.length + 1;
    this.active = (this.active + 1 + by + n) % n - 1;
    var self = this;
    all('[role=option]', this.listbox).forEach(function (li, i) {
      li.setAttribute('aria-selected', i === self.active ? 'true' : 'false');
    });
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', this.input.id + '-option-' + this.active);
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  };

  Chips.prototype.key = function (e) {
    switch (e.key) {
    case 'ArrowDown':
      e.preventDefault(); this.move(1); break;
    case 'ArrowUp':
      e.preventDefault(); this.move(-1); break;
    case 'Enter':
      e.preventDefault();
      if (this.active >= 0) { this.add(this.options[this.active].text); } else { this.add(this.input.value); }
      this.input.value = '';
      this.close();
      break;
    case 'Escape':
      if (!this.listbox.hidden) { e.preventDefault(); this.close(); }
      break;
    case 'Backspace':
      if (this.input.value === '' && this.values.length) { this.remove(this.values[this.values.length - 1]); }
      break;
    }
  };

  var chips = all('[data-chips]', form).map(function (box) { return new Chips(box); });

  /* ---- The profile and the matches ---- */

  function announce(text) {
    var s = document.querySelector('[data-mylist-status]');
    if (s) { s.textContent = text; }
  }

  function values(name) {
    return all('[name="' + name + '"]', form).filter(function (i) {
      return (i.type !== 'checkbox' && i.type !== 'radio') || i.checked;
    }).map(function (i) { return i.value; });
  }

  function labelsOf(name) {
    return all('input[name="' + name + '"]:checked', form).map(function (i) {
      return form.querySelector('label[for="' + i.id + '"]').textContent.trim();
    });
  }

  function profile() {
    var p = {
      interests: values('interests'), strengths: values('strengths'),
      goals: values('goals').concat(labelsOf('stage')), needs: values('needs'),
      days: values('day'), times: values('time'), accessibility: values('access'),
      languages: splitList(values('languages')[0] || ''),
      free_only: values('free').length > 0, no_referral: values('no_referral').length > 0,
      format: values('format')[0] || '', exclude: values('exclude'), limit: 10
    };
    var postcode = (values('postcode')[0] || '').trim();
    if (postcode) {
      p.postcode = postcode;
      var d = values('distance')[0];
      if (d) { p.max_distance_km = d; }
    }
    var online = values('online')[0];
    p.online_ok = online === 'ok';
    p.online_only = online === 'only';
    var cost = (values('max_cost')[0] || '').replace('£', '').trim();
    if (cost !== '') { p.max_cost = Number(cost); }
    var age = (values('age')[0] || '').trim();
    if (age !== '') { p.age = Number(age); }
    return p;
  }

  function empty(p) {
    return !p.interests.length && !p.strengths.length && !p.goals.length && !p.needs.length && !p.postcode;
  }

  // The list's data-match-state is "pending" from a change until the
  // matches for it are shown, then "ready".
  function changed(wait) {
    window.clearTimeout(timer);
    list.setAttribute('data-match-state', 'pending');
    timer = window.setTimeout(function () { timer = null; refresh(); }, wait);
  }

  function settled(mine) {
    if (mine === seq && timer === null) { list.setAttribute('data-match-state', 'ready'); }
  }

  function formatKm(km) {
    if (km < 0.1) { return 'under 0.1 km'; }
    return km < 10 ? km.toFixed(1) + ' km' : Math.round(km) + ' km';
  }

  function setStatus(text) { status.textContent = text; }

  function refresh() {
    var p = profile();
    if (('max_cost' in p && isNaN(p.max_cost)) || ('age' in p && isNaN(p.age))) {
      setStatus('Write the cost and the age as numbers.');
      settled(++seq);
      return;
    }
    if (empty(p)) {
      shown = null;
      list.textContent = '';
      relaxed.textContent = '';
      setStatus('Add something about them to see matches.');
      settled(++seq);
      return;
    }
    var key = JSON.stringify(p);
    if (key === shown) {
      if (inflight) { inflight.abort(); inflight = null; }
      list.removeAttribute('aria-busy');
      settled(++seq);
      return;
    }
    if (inflight) { inflight.abort(); }
    inflight = new AbortController();
    var mine = ++seq;
    list.setAttribute('aria-busy', 'true');
    postJSON('/api/v1/match', p, inflight.signal)
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (mine !== seq) { return; }
        list.removeAttribute('aria-busy');
        if (!res.ok) {
          var msg = res.body && res.body.error ? res.body.error.message : 'something went wrong';
          setStatus('There is a problem: ' + msg.charAt(0).toUpperCase() + msg.slice(1) + '.');
        } else {
          render(res.body);
          shown = key;
        }
        settled(mine);
      })
      .catch(function (err) {
        if (err.name === 'AbortError' || mine !== seq) { return; }
        list.removeAttribute('aria-busy');
        setStatus('Could not get matches just now. Press “Find matches” to try again.');
        settled(mine);
      });
  }

  function render(data) {
    list.textContent = '';
    relaxed.textContent = '';
    (data.relaxed || []).forEach(function (r) { relaxed.appendChild(el('p', { 'class': 'notice' }, r + '.')); });
    document.querySelector('.urgent-help').classList.toggle('urgent-help--crisis', !!data.crisis);
    data.matches.forEach(function (m) { list.appendChild(item(m, data.postcode)); });
    setStatus(data.matches.length ? data.matches.length + ' matches, best first.' : 'Nothing matches everything yet. Try fewer practicalities or a wider distance.');
  }

  function item(m, postcode) {
    var l = m.listing;
    var li = el('li', { 'class': 'result match', 'data-id': l.id });
    var h = el('h3', { 'class': 'result-title' });
    var a = el('a', { href: l.url + (postcode ? '?postcode=' + encodeURIComponent(postcode) : ''), target: '_blank', rel: 'noopener' }, l.name);
    a.appendChild(hidden(' (opens in a new tab)'));
    h.appendChild(a);
    li.appendChild(h);
    if (l.organisation) { li.appendChild(el('p', { 'class': 'result-org' }, l.organisation)); }
    if (l.summary) { li.appendChild(el('p', { 'class': 'result-summary' }, l.summary)); }
    var meta = [];
    if (l.distance_km !== null && l.distance_km !== undefined) { meta.push(formatKm(l.distance_km) + ' away'); }
    if (l.next_session) { meta.push('Next: ' + l.next_session.text); }
    if (meta.length) {
      var p = el('p', { 'class': 'result-meta' });
      meta.forEach(function (t) { p.appendChild(el('span', {}, t)); });
      li.appendChild(p);
    }
    if (m.reasons.length) {
      var ul = el('ul', { 'class': 'list-bullets reasons' });
      m.reasons.forEach(function (r) { ul.appendChild(el('li', {}, r)); });
      li.appendChild(ul);
    }
    li.appendChild(breakdown(m));
    li.appendChild(actions(l.id, l.name));
    return li;
  }

  function breakdown(m) {
    var d = el('details', { 'class': 'factors' });
    d.appendChild(el('summary', {}, 'Score ' + m.score.toFixed(2) + ': how it adds up'));
    var t = el('table', { 'class': 'factor-table' });
    var head = el('tr');
    ['Factor', 'Fit', 'Weight', 'Adds'].forEach(function (x) { head.appendChild(el('th', { scope: 'col' }, x)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    factors.forEach(function (f) {
      var v = m.factors[f.key] || 0;
      var tr = el('tr');
      tr.appendChild(el('th', { scope: 'row' }, f.label));
      var td = el('td');
      var bar = el('span', { 'class': 'bar', 'aria-hidden': 'true' });
      bar.appendChild(el('span', { 'class': 'bar-fill bar-' + Math.round(v * 10) }));
      td.appendChild(bar);
      td.appendChild(document.createTextNode(' ' + Math.round(v * 100) + '%'));
      tr.appendChild(td);
      tr.appendChild(el('td', {}, f.weight.toFixed(2)));
      tr.appendChild(el('td', {}, (v * f.weight).toFixed(2)));
      body.appendChild(tr);
    });
    t.appendChild(body);
    d.appendChild(t);
    return d;
  }

  function actions(id, name) {
    var div = el('div', { 'class': 'match-actions' });
    if (pinned[id]) {
      div.appendChild(el('span', { 'class': 'tag tag--pinned' }, 'Pinned'));
      div.appendChild(document.createTextNode(' '));
      var u = el('button', { type: 'submit', form: 'match-form', name: 'do', value: 'unpin:' + id, 'class': 'button button--secondary button--small', 'data-unpin': id }, 'Unpin');
      u.appendChild(hidden(' ' + name));
      div.appendChild(u);
    } else {
      var b = el('button', { type: 'submit', form: 'match-form', name: 'do', value: 'pin:' + id, 'class': 'button button--small', 'data-pin': id }, 'Pin to shortlist');
      b.appendChild(hidden(': ' + name));
      div.appendChild(b);
    }
    div.appendChild(document.createTextNode(' '));
    var x = el('button', { type: 'submit', form: 'match-form', name: 'do', value: 'exclude:' + id, 'class': 'button button--secondary button--small', 'data-exclude': id }, 'Exclude');
    x.appendChild(hidden(' ' + name));
    div.appendChild(x);
    return div;
  }

  /* ---- Shortlist and exclusions ---- */

  function showShortlist(data) {
    pinned = {};
    shortlistItems.textContent = '';
    data.listings.forEach(function (l) {
      pinned[l.id] = true;
      var li = el('li', { 'data-id': l.id });
      var a = el('a', { href: l.url, target: '_blank', rel: 'noopener' }, l.name);
      a.appendChild(hidden(' (opens in a new tab)'));
      li.appendChild(a);
      shortlistItems.appendChild(li);
    });
    shortlistEmpty.hidden = data.listings.length > 0;
    all('.match', list).forEach(function (li) {
      var name = li.querySelector('.result-title a').firstChild.textContent;
      var old = li.querySelector('.match-actions');
      li.replaceChild(actions(li.getAttribute('data-id'), name), old);
    });
  }

  function nameOf(id) {
    var li = list.querySelector('.match[data-id="' + id + '"] .result-title a');
    return li ? li.firstChild.textContent : 'It';
  }

  function pin(id, add) {
    var name = nameOf(id);
    postForm('/worker/shortlist', add ? { add: id } : { remove: id })
      .then(function (data) {
        showShortlist(data);
        if (add && data.full) {
          announce('The shortlist is full: remove something first.');
        } else {
          announce(name + (add ? ' pinned to the shortlist' : ' taken off the shortlist'));
        }
        var again = list.querySelector('[data-' + (add ? 'unpin' : 'pin') + '="' + id + '"]');
        if (again) { again.focus(); }
      })
      .catch(function () { announce('Could not change the shortlist. Reload the page and try again.'); });
  }

  function exclude(id) {
    var name = nameOf(id);
    excludeFields.appendChild(el('input', { type: 'hidden', name: 'exclude', value: id }));
    var li = el('li', {}, name + ' ');
    var b = el('button', { type: 'submit', form: 'match-form', name: 'do', value: 'include:' + id, 'class': 'button button--secondary button--small', 'data-include': id }, 'Put back');
    b.appendChild(hidden(' ' + name));
    li.appendChild(b);
    excludedItems.appendChild(li);
    excludedBox.hidden = false;
    announce(name + ' left out');
    status.focus();
    changed(0);
  }

  function include(id, button) {
    all('input[name=exclude]', excludeFields).forEach(function (i) { if (i.value === id) { i.parentNode.removeChild(i); } });
    var li = button.closest('li');
    li.parentNode.removeChild(li);
    excludedBox.hidden = excludedItems.children.length === 0;
    announce('Put back');
    changed(0);
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b) { return; }
    var id;
    if ((id = b.getAttribute('data-pin'))) { e.preventDefault(); pin(id, true); }
    else if ((id = b.getAttribute('data-unpin'))) { e.preventDefault(); pin(id, false); }
    else if ((id = b.getAttribute('data-exclude'))) { e.preventDefault(); exclude(id); }
    else if ((id = b.getAttribute('data-include'))) { e.preventDefault(); include(id, b); }
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    chips.forEach(function (c) {
      if (c.input.value.trim() !== '') { c.add(c.input.value, true); c.input.value = ''; }
    });
    changed(0);
  });
  form.addEventListener('change', function (e) {
    if (!e.target.closest('[data-chips]')) { changed(150); }
  });
  form.addEventListener('input', function (e) {
    if (!e.target.closest('[data-chips]') && e.target.type === 'text') { changed(600); }
  });

  status.setAttribute('tabindex', '-1');
  list.setAttribute('data-match-state', 'ready');
  all('li[data-id]', shortlistItems).forEach(function (li) { pinned[li.getAttribute('data-id')] = true; });
}());
