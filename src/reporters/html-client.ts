/**
 * The script of the HTML report (src/reporters/html.ts): plain ES2017 for the browser,
 * kept as text because the project compiles for Node (no DOM types). It reads the report
 * data from the <script type="application/json" id="report-data"> element and renders
 * the findings table (sortable, filterable, paged) and the fleet matrix. Every text goes
 * into the page through textContent or attribute setters, never as markup: broker banners
 * and topic names are hostile input. The page's Content-Security-Policy allows exactly
 * this script (by its hash) and nothing that loads from the network.
 */
export const HTML_CLIENT = String.raw`(function () {
  'use strict';
  var STATUSES = ['PASS', 'FAIL', 'SKIP', 'ERROR'];
  var SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
  var STATUS_ORDER = { FAIL: 0, ERROR: 1, SKIP: 2, PASS: 3 };
  var PAGE = 200;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var S = data.strings;
  var checks = data.checks;
  var collator = new Intl.Collator('en', { numeric: true });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  var rows = data.results.map(function (x, i) {
    return {
      i: i,
      check: checks[x[0]],
      status: STATUSES[x[1]],
      severity: SEVERITIES[x[2]],
      subject: S[x[3]],
      message: S[x[4]],
      evidence: x[5] < 0 ? null : S[x[5]],
      place: S[x[6]],
      suppression: x[7] < 0 ? null : S[x[7]],
    };
  });

  // ------------------------------------------------------------ filters
  var form = document.getElementById('filters');
  var controls = {
    strategy: form.elements.namedItem('strategy'),
    severity: form.elements.namedItem('severity'),
    status: form.elements.namedItem('status'),
    check: form.elements.namedItem('check'),
    target: form.elements.namedItem('target'),
  };
  var ids = {};
  rows.forEach(function (r) { ids[r.check.id] = r.check.title; });
  Object.keys(ids).sort().forEach(function (id) {
    var o = el('option', null, id + ' ' + ids[id]);
    o.value = id;
    controls.check.appendChild(o);
  });
  form.hidden = false;

  var sortKey = 'status';
  var sortDir = 1;
  var shown = PAGE;
  var filtered = rows;

  function compare(a, b, key) {
    switch (key) {
      case 'status':
        return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
          (a.status === 'FAIL' ? SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) : 0);
      case 'severity':
        return SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
      case 'check':
        return collator.compare(a.check.id, b.check.id);
      case 'place':
        return collator.compare(a.place, b.place);
      case 'message':
        return collator.compare(a.message, b.message);
    }
    return 0;
  }
  var TIE = ['status', 'check', 'place', 'message'];
  function sortRows(list) {
    return list.slice().sort(function (a, b) {
      var c = compare(a, b, sortKey) * sortDir;
      for (var k = 0; !c && k < TIE.length; k++) c = compare(a, b, TIE[k]);
      return c || a.i - b.i;
    });
  }

  function applyFilters() {
    var f = {
      strategy: controls.strategy.value,
      severity: controls.severity.value,
      status: controls.status.value,
      check: controls.check.value,
      target: controls.target.value.trim().toLowerCase(),
    };
    filtered = sortRows(rows.filter(function (r) {
      if (f.strategy && r.check.strategy !== f.strategy) return false;
      if (f.severity && r.severity !== f.severity) return false;
      if (f.status === 'attention') {
        if ((r.status !== 'FAIL' && r.status !== 'ERROR') || r.suppression) return false;
      } else if (f.status && r.status !== f.status) return false;
      if (f.check && r.check.id !== f.check) return false;
      if (f.target && r.place.toLowerCase().indexOf(f.target) < 0 && r.subject.toLowerCase().indexOf(f.target) < 0) return false;
      return true;
    }));
    shown = PAGE;
    renderTable();
  }

  // ------------------------------------------------------------ findings table
  var tbody = document.getElementById('findings-body');
  var count = document.getElementById('shown-count');
  var more = document.getElementById('show-more');

  function fillDetails(box, r) {
    if (box.getAttribute('data-filled')) return;
    box.setAttribute('data-filled', '1');
    if (r.suppression) box.appendChild(el('p', 'suppressed', 'Suppressed: ' + r.suppression));
    if (r.evidence) {
      box.appendChild(el('h4', null, 'Evidence'));
      var text = r.evidence;
      try { text = JSON.stringify(JSON.parse(r.evidence), null, 2); } catch (e) { /* shown as stored */ }
      box.appendChild(el('pre', null, text));
    }
    if (r.status === 'FAIL' && r.check.remediation) {
      box.appendChild(el('h4', null, 'Fix'));
      box.appendChild(el('pre', 'fix', r.check.remediation));
    }
    if (r.check.references.length) {
      box.appendChild(el('h4', null, 'References'));
      var ul = el('ul');
      r.check.references.forEach(function (ref) {
        var li = el('li');
        if (/^https?:\/\//.test(ref)) {
          var a = el('a', null, ref);
          a.setAttribute('href', ref);
          a.setAttribute('rel', 'noreferrer noopener');
          li.appendChild(a);
        } else li.textContent = ref;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
  }

  function rowFor(r) {
    var tr = el('tr', 'st-' + r.status + (r.suppression ? ' is-suppressed' : ''));
    tr.setAttribute('data-status', r.status);
    var st = el('td', 'c-status');
    st.appendChild(el('span', 'badge b-' + r.status, r.status));
    tr.appendChild(st);
    var sev = el('td', 'c-sev');
    if (r.status === 'FAIL') sev.appendChild(el('span', 'sev sev-' + r.severity, r.severity));
    tr.appendChild(sev);
    var ck = el('td', 'c-check');
    ck.appendChild(el('b', null, r.check.id));
    ck.appendChild(el('span', 'title', r.check.title));
    tr.appendChild(ck);
    var pl = el('td', 'c-place');
    pl.appendChild(el('code', null, r.place));
    tr.appendChild(pl);
    var msg = el('td', 'c-msg');
    var d = el('details');
    d.appendChild(el('summary', null, r.message));
    var box = el('div', 'more');
    d.appendChild(box);
    d.addEventListener('toggle', function () { if (d.open) fillDetails(box, r); });
    d.fill = function () { fillDetails(box, r); };
    msg.appendChild(d);
    tr.appendChild(msg);
    return tr;
  }

  function renderTable() {
    var frag = document.createDocumentFragment();
    var n = Math.min(shown, filtered.length);
    for (var k = 0; k < n; k++) frag.appendChild(rowFor(filtered[k]));
    tbody.textContent = '';
    tbody.appendChild(frag);
    count.textContent = 'Showing ' + n.toLocaleString('en-US') + ' of ' + filtered.length.toLocaleString('en-US') +
      ' results (' + rows.length.toLocaleString('en-US') + ' in the report)';
    count.setAttribute('data-shown', String(n));
    count.setAttribute('data-matching', String(filtered.length));
    more.hidden = n >= filtered.length;
    more.textContent = 'Show ' + Math.min(PAGE, filtered.length - n).toLocaleString('en-US') + ' more';
    var ths = document.querySelectorAll('#findings th[data-sort]');
    for (var t = 0; t < ths.length; t++) {
      var key = ths[t].getAttribute('data-sort');
      ths[t].setAttribute('aria-sort', key === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  more.addEventListener('click', function () {
    shown += PAGE;
    renderTable();
  });
  form.addEventListener('input', applyFilters);
  form.addEventListener('change', applyFilters);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(applyFilters, 0); });
  var sortButtons = document.querySelectorAll('#findings th[data-sort] button');
  for (var b = 0; b < sortButtons.length; b++) {
    sortButtons[b].addEventListener('click', function (e) {
      var key = e.currentTarget.parentNode.getAttribute('data-sort');
      if (key === sortKey) sortDir = -sortDir;
      else { sortKey = key; sortDir = 1; }
      filtered = sortRows(filtered);
      renderTable();
    });
  }

  // ------------------------------------------------------------ fleet matrix
  var matrix = document.getElementById('matrix');
  if (matrix) {
    var subjects = [];
    var seen = {};
    rows.forEach(function (r) { if (!seen[r.subject]) { seen[r.subject] = true; subjects.push(r.subject); } });
    subjects.sort(collator.compare);
    var cols = Object.keys(ids).sort();
    var rank = function (r) {
      if (r.suppression) return 1;
      if (r.status === 'FAIL') return 10 + SEVERITIES.indexOf(r.severity);
      return { ERROR: 5, SKIP: 2, PASS: 3 }[r.status];
    };
    var cells = {};
    rows.forEach(function (r) {
      var key = r.subject + '\u0000' + r.check.id;
      var c = cells[key];
      if (!c || rank(r) > rank(c)) cells[key] = r;
    });
    var table = el('table', 'matrix');
    var head = el('tr');
    head.appendChild(el('th', 'corner', 'target \\ check'));
    cols.forEach(function (id) {
      var th = el('th', 'col');
      th.appendChild(el('span', null, id));
      th.setAttribute('title', id + ' ' + ids[id]);
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el('tbody');
    subjects.forEach(function (s) {
      var tr = el('tr');
      tr.appendChild(el('th', 'row', s));
      cols.forEach(function (id) {
        var r = cells[s + '\u0000' + id];
        var td = el('td');
        if (r) {
          var what = r.suppression ? 'suppressed' : r.status === 'FAIL' ? r.severity : r.status;
          td.className = 'm m-' + (r.suppression ? 'suppressed' : r.status === 'FAIL' ? r.severity : r.status);
          td.setAttribute('title', s + ' ' + id + ': ' + what);
          td.setAttribute('data-subject', s);
          td.setAttribute('data-check', id);
        } else td.className = 'm m-none';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    table.addEventListener('click', function (e) {
      var td = e.target;
      if (!td || !td.getAttribute || !td.getAttribute('data-check')) return;
      form.reset();
      controls.check.value = td.getAttribute('data-check');
      controls.target.value = td.getAttribute('data-subject');
      applyFilters();
      document.getElementById('findings').scrollIntoView();
    });
    matrix.appendChild(table);
  }

  // Print: every listed finding with its details.
  window.addEventListener('beforeprint', function () {
    var all = tbody.querySelectorAll('details');
    for (var k = 0; k < all.length; k++) {
      all[k].fill();
      all[k].open = true;
    }
  });

  applyFilters();
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
