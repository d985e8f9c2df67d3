// The HTML report's own script, inlined into every page html.ts writes (its style is in
// html-style.ts). Plain browser JavaScript kept as text (a bundler must not rewrite it:
// it runs in the page, not in Node); test/unit/html-report.test.ts compiles it, and
// test/e2e/html-report.test.ts runs it in Chromium.
//
// What it does: reads the data html.ts embedded, draws the totals and the matrix, and
// renders rows in chunks only as they scroll into view (5000 hosts stay responsive).
// Status is told by a symbol and a word, never by colour alone; the matrix is a grid
// the arrow keys move through; Enter opens a cell, Escape closes it.

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('tend-data').textContent);
  var meta = data.meta;
  var check = meta.mode === 'check';
  var CHUNK = 100;
  var ROW_HEIGHT = 31;

  // Status: a symbol and a word for every cell, so colour is never the only sign.
  var CELL = {
    'ok': ['\u2713', 'ok', 'ok'],
    'would-change': ['\u25B3', 'change', 'would change'],
    'changed': ['\u25CF', 'changed', 'changed'],
    'failed': ['\u2717', 'FAILED', 'failed'],
    'ignored': ['\u2717', 'ignored', 'failed, ignored (ignore_errors)'],
    'skipped': ['\u2212', 'skip', 'skipped'],
    'unreachable': ['\u2298', 'unreach', 'host unreachable: not run'],
    'not-run': ['\u00B7', 'not run', 'not run']
  };
  var HOST = {
    'ok': ['\u2713', 'in sync', 'st-ok'],
    'changed': check ? ['\u25B3', 'drifted', 'st-changed-host'] : ['\u25CF', 'changed', 'st-changed'],
    'failed': ['\u2717', 'failed', 'st-failed'],
    'unreachable': ['\u2298', 'unreachable', 'st-unreachable'],
    'interrupted': ['\u2016', 'interrupted', 'st-interrupted']
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function taskLabel(t) { return '[' + t.number + '] ' + (t.handler ? 'handler ' : '') + t.name + (t.item !== undefined ? ' (' + t.item + ')' : t.module !== t.name ? ' (' + t.module + ')' : ''); }
  function hostOf(i) { return data.hosts[i]; }
  function rowStatus(row) { return hostOf(row.hosts[0]).status; }

  /** A cell's status: its task's, or why it has none. */
  function cellState(row, j) {
    var ci = row.cells[j];
    if (ci === null) return { key: rowStatus(row) === 'unreachable' ? 'unreachable' : 'not-run', cell: null };
    var cell = data.cells[ci];
    return { key: cell.ignored ? 'ignored' : cell.status, cell: cell };
  }
  function cellWords(state) {
    var s = CELL[state.key];
    if (state.cell && state.cell.afterTask) return [s[0], 'after ' + state.cell.afterTask.number, 'would change after task ' + state.cell.afterTask.number];
    if (state.key === 'would-change' && !check) return [s[0], 'pending', 'pending'];
    return s;
  }

  // ---- header: what ran, and the totals -----------------------------------------
  var exitMeaning = meta.exitCode === 0 ? 'all well' : meta.exitCode === 130 ? 'interrupted' : [
    meta.exitCode & 1 ? 'failures' : '', meta.exitCode & 2 ? 'changes' : '', meta.exitCode & 4 ? 'unreachable hosts' : ''
  ].filter(Boolean).join(', ');
  var metaItems = [
    ['Mode', check ? 'check (nothing changed)' : 'apply'],
    ['Inventory', meta.inventory],
    ['Started', new Date(meta.startedAt).toLocaleString() + ' (' + meta.startedAt + ')'],
    ['Duration', (meta.durationMs / 1000).toFixed(1) + ' s'],
    ['Exit code', meta.exitCode + ' (' + exitMeaning + ')']
  ];
  if (meta.limit) metaItems.push(['Limit', meta.limit]);
  if (meta.shard) metaItems.push(['Shard', meta.shard]);
  if (meta.merged) metaItems.push(['Merged from', meta.merged.join(', ')]);
  if (meta.interrupted) metaItems.push(['Interrupted', 'yes: Ctrl-C or SIGTERM stopped the run']);
  var totals = [
    ['ok', 'st-ok', '\u2713 In sync', data.totals.inSync],
    ['changed', check ? 'st-changed-host' : 'st-changed', check ? '\u25B3 Drifted' : '\u25CF Changed', data.totals.changed],
    ['failed', 'st-failed', '\u2717 Failed', data.totals.failed],
    ['unreachable', 'st-unreachable', '\u2298 Unreachable', data.totals.unreachable]
  ];
  if (data.totals.interrupted > 0) totals.push(['interrupted', 'st-interrupted', '\u2016 Interrupted', data.totals.interrupted]);
  var stopped = meta.rollout && meta.rollout.stopped;
  var header = el('header', null, [
    el('h1', null, ['tend ' + meta.mode + ': ', el('code', { text: meta.playbook })]),
    el('dl', { class: 'meta' }, metaItems.map(function (m) { return el('div', null, [el('dt', { text: m[0] }), el('dd', { text: m[1] })]); })),
    stopped ? el('p', { class: 'rollout st-failed', id: 'rollout', role: 'alert' }, [
      '\u2717 Rollout stopped in play \u201C' + stopped.play + '\u201D, wave ' + stopped.wave + ' of ' + stopped.waves + ': ' + stopped.reason + '. ',
      meta.rollout.notStarted.length ? 'Never started (' + meta.rollout.notStarted.length + '): ' + meta.rollout.notStarted.join(', ') + '. ' : '',
      meta.rollout.notFinished.length ? 'Later plays not run (' + meta.rollout.notFinished.length + '): ' + meta.rollout.notFinished.join(', ') + '.' : ''
    ]) : null,
    el('ul', { class: 'totals', 'aria-label': 'hosts by status' }, totals.map(function (t) {
      return el('li', { class: t[1], 'data-total': t[0] }, [t[2], el('b', { text: String(t[3]) })]);
    }).concat([el('li', { 'data-total': 'hosts' }, ['Hosts', el('b', { text: String(data.totals.hosts) })])]))
  ]);

  // ---- filters ----------------------------------------------------------------
  var statusBoxes = Object.keys(HOST).map(function (s) {
    var box = el('input', { type: 'checkbox', value: s, checked: '' });
    return el('label', { class: HOST[s][2] }, [box, HOST[s][0] + ' ' + HOST[s][1]]);
  });
  var hostInput = el('input', { type: 'text', id: 'f-host', placeholder: 'web*, db-?', autocomplete: 'off' });
  var taskSelect = el('select', { id: 'f-task' }, [el('option', { value: '', text: 'all tasks' })].concat(data.tasks.map(function (t, j) {
    return el('option', { value: String(j), text: (data.tasks.length > 1 && t.play ? t.play + ': ' : '') + taskLabel(t) });
  })));
  var searchInput = el('input', { type: 'search', id: 'f-search', placeholder: 'host, task, file, value\u2026', autocomplete: 'off' });
  var shown = el('output', { id: 'shown', 'aria-live': 'polite' });
  var filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'filter the matrix' }, [
    el('fieldset', { id: 'f-status' }, [el('legend', { text: 'Host status' })].concat(statusBoxes)),
    el('label', null, ['Hosts', hostInput]),
    el('label', null, ['Task', taskSelect]),
    el('label', null, ['Search', searchInput]),
    shown
  ]);
  filters.addEventListener('submit', function (e) { e.preventDefault(); });

  // ---- the matrix -------------------------------------------------------------
  var table = el('table', { class: 'matrix', role: 'grid', id: 'matrix', 'aria-label': 'hosts \u00D7 tasks' });
  var wrap = el('div', { class: 'matrix-wrap' }, [table]);
  var detail = el('aside', { id: 'detail', hidden: '', tabindex: '-1', 'aria-label': 'details' });
  var legend = el('section', { class: 'legend', 'aria-label': 'legend' }, [
    el('strong', { text: 'Legend' }),
    el('ul', null, Object.keys(CELL).map(function (k) { return el('li', { class: 'st-' + k }, [CELL[k][0] + ' ' + CELL[k][1] + ': ' + CELL[k][2]]); }))
  ]);
  document.body.appendChild(header);
  document.body.appendChild(filters);
  document.body.appendChild(el('main', null, [wrap, detail]));
  document.body.appendChild(legend);

  var visibleRows = data.rows;
  var columns = data.tasks.map(function (_, j) { return j; });
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { if (entry.isIntersecting) fillChunk(entry.target); });
  }, { root: wrap, rootMargin: '800px 0px' }) : null;

  function hostList(row) {
    var names = row.hosts.map(function (i) { return hostOf(i).name; });
    return names.length <= 3 ? names.join(', ') : names.slice(0, 3).join(', ') + ' \u2026';
  }

  function drawTable() {
    table.textContent = '';
    var head = el('tr', null, [el('th', { scope: 'col', class: 'hosts-head', text: 'Hosts' }), el('th', { scope: 'col', text: 'Status' })].concat(columns.map(function (j) {
      var t = data.tasks[j];
      return el('th', { scope: 'col', title: t.play + ': ' + taskLabel(t) }, [el('span', { class: 'num', text: '[' + t.number + ']' + (t.handler ? ' handler' : '') }), el('span', { class: 'name', text: t.name + (t.item !== undefined ? ' (' + t.item + ')' : '') })]);
    })));
    table.appendChild(el('thead', null, [head]));
    for (var start = 0; start < visibleRows.length; start += CHUNK) {
      var body = el('tbody', { 'data-start': String(start) });
      var n = Math.min(CHUNK, visibleRows.length - start);
      var filler = el('td', { colspan: String(columns.length + 2) });
      // Through the CSSOM, not a style attribute: the page's policy refuses inline style attributes.
      filler.style.height = n * ROW_HEIGHT + 'px';
      body.appendChild(el('tr', { class: 'placeholder', 'aria-hidden': 'true' }, [filler]));
      table.appendChild(body);
      if (observer) observer.observe(body); else fillChunk(body);
    }
    var hostCount = visibleRows.reduce(function (sum, r) { return sum + r.hosts.length; }, 0);
    shown.textContent = 'showing ' + plural(hostCount, 'host') + ' of ' + data.hosts.length + ' in ' + plural(visibleRows.length, 'row');
    focusCell = null;
    firstFocus();
  }

  function fillChunk(body) {
    if (body.getAttribute('data-filled')) return;
    body.setAttribute('data-filled', '1');
    if (observer) observer.unobserve(body);
    var start = Number(body.getAttribute('data-start'));
    body.textContent = '';
    visibleRows.slice(start, start + CHUNK).forEach(function (row, k) { body.appendChild(drawRow(row, start + k)); });
  }
  function fillAll() { Array.prototype.forEach.call(table.tBodies, fillChunk); }

  function drawRow(row, r) {
    var status = HOST[rowStatus(row)];
    var names = row.hosts.map(function (i) { return hostOf(i).name; }).join(', ');
    var tr = el('tr', { 'data-row': String(r), 'data-hosts': String(row.hosts.length), 'data-status': rowStatus(row) });
    tr.appendChild(el('th', { scope: 'row', tabindex: '-1', title: names, 'data-col': '-2', 'aria-label': names + ': ' + status[1] }, [
      hostList(row), row.hosts.length > 1 ? el('span', { class: 'count', text: '(' + row.hosts.length + ' hosts)' }) : null
    ]));
    tr.appendChild(el('td', { class: status[2] + ' host-status', tabindex: '-1', 'data-col': '-1' }, [el('span', { 'aria-hidden': 'true', text: status[0] + ' ' }), status[1]]));
    columns.forEach(function (j) {
      var state = cellState(row, j);
      var words = cellWords(state);
      tr.appendChild(el('td', {
        class: 'c st-' + state.key, tabindex: '-1', 'data-col': String(j), 'data-status': state.key,
        'aria-label': taskLabel(data.tasks[j]) + ': ' + words[2]
      }, [el('span', { 'aria-hidden': 'true', text: words[0] + ' ' }), words[1]]));
    });
    return tr;
  }

  // ---- filtering ----------------------------------------------------------------
  function globs(text) {
    return text.split(',').map(function (p) { return p.trim(); }).filter(Boolean).map(function (p) {
      return new RegExp('^' + p.replace(/[.+^$()|[\]{}\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    });
  }
  var searchText = [];
  function rowText(r) {
    if (searchText[r] !== undefined) return searchText[r];
    var row = data.rows[r];
    var parts = row.hosts.map(function (i) { var h = hostOf(i); return h.name + ' ' + (h.error || ''); });
    row.cells.forEach(function (ci, j) {
      if (ci === null) return;
      var cell = data.cells[ci];
      if (cell.status === 'ok' || cell.status === 'skipped') return;
      parts.push(taskLabel(data.tasks[j]), cell.error || '');
      cell.changes.forEach(function (c) {
        parts.push(c.subject, c.reason || '', c.before || '', c.after || '', c.patch !== undefined ? data.patches[c.patch] : '');
      });
    });
    return (searchText[r] = parts.join('\n').toLowerCase());
  }
  function applyFilters() {
    var statuses = statusBoxes.map(function (l) { return l.firstChild; }).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var patterns = globs(hostInput.value);
    var task = taskSelect.value;
    var needle = searchInput.value.trim().toLowerCase();
    columns = task === '' ? data.tasks.map(function (_, j) { return j; }) : [Number(task)];
    visibleRows = data.rows.filter(function (row, r) {
      if (statuses.indexOf(rowStatus(row)) < 0) return false;
      if (patterns.length && !row.hosts.some(function (i) { return patterns.some(function (p) { return p.test(hostOf(i).name); }); })) return false;
      if (needle && rowText(r).indexOf(needle) < 0) return false;
      return true;
    });
    drawTable();
  }
  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(applyFilters, 120); }
  filters.addEventListener('change', applyFilters);
  hostInput.addEventListener('input', soon);
  searchInput.addEventListener('input', soon);

  // ---- details --------------------------------------------------------------------
  var opener = null;
  function value(v) { return v === null || v === undefined ? el('em', { text: '(unset)' }) : el('span', { class: 'value', text: v === '' ? '""' : v }); }
  function changeItem(c) {
    var why = c.reason ? ' (' + c.reason + ')' : '';
    if (c.secret) return el('li', null, [el('strong', { text: c.subject }), ': ' + (c.kind === 'content' ? 'content differs ' : '') + '(secret)' + why]);
    switch (c.kind) {
      case 'set': return el('li', null, [el('strong', { text: c.subject }), ': ', value(c.before), ' \u2192 ', value(c.after), why]);
      case 'add': return el('li', null, ['+ ', el('strong', { text: c.subject }), c.after ? ' ' : '', c.after ? value(c.after) : null, why]);
      case 'remove': return el('li', null, ['\u2212 ', el('strong', { text: c.subject }), c.before ? ' ' : '', c.before ? value(c.before) : null, why]);
      case 'run': return el('li', null, [el('strong', { text: c.subject }), ': ' + (c.reason || 'would run')]);
      case 'content': {
        var box = el('div', { class: 'diff' });
        // diff2html escapes every line it draws; the patch is text from the report.
        box.innerHTML = window.Diff2Html.html(data.patches[c.patch], { drawFileList: false, outputFormat: 'line-by-line', matching: 'lines' });
        return el('li', null, [el('strong', { text: c.subject }), why, box]);
      }
    }
    return el('li', { text: c.subject });
  }
  function timingTable(row, j) {
    var shownHosts = row.hosts.slice(0, 200);
    var t = el('table', null, [el('thead', null, [el('tr', null, [
      el('th', { text: 'host' }), el('th', { text: j >= 0 ? 'task ms' : 'status' }), el('th', { text: 'round trips' }), el('th', { text: 'connect ms' }), el('th', { text: 'host ms' })
    ])])]);
    var body = el('tbody');
    shownHosts.forEach(function (i) {
      var h = hostOf(i);
      var d = j >= 0 ? h.durations[j] : null;
      body.appendChild(el('tr', null, [el('td', { text: h.name }), el('td', { text: j >= 0 ? (d === null ? '\u2013' : String(d)) : HOST[h.status][1] }),
        el('td', { text: String(h.stats.roundTrips) }), el('td', { text: String(h.stats.connectMs) }), el('td', { text: String(h.stats.durationMs) })]));
    });
    t.appendChild(body);
    var parts = [t];
    if (row.hosts.length > shownHosts.length) parts.push(el('p', { text: 'and ' + (row.hosts.length - shownHosts.length) + ' more hosts' }));
    return el('div', null, parts);
  }
  function openDetail(target) {
    var tr = target.parentNode;
    var row = visibleRows[Number(tr.getAttribute('data-row'))];
    var j = Number(target.getAttribute('data-col'));
    var names = row.hosts.map(function (i) { return hostOf(i).name; });
    detail.textContent = '';
    var close = el('button', { type: 'button', class: 'close', text: 'Close (Esc)' });
    close.addEventListener('click', closeDetail);
    detail.appendChild(close);
    if (j < 0) {
      var h0 = hostOf(row.hosts[0]);
      detail.appendChild(el('h2', { text: plural(names.length, 'host') + ': ' + HOST[h0.status][1] }));
      detail.appendChild(el('p', { class: 'hosts', text: names.join(', ') }));
      if (h0.error) detail.appendChild(el('pre', { class: 'error', text: h0.error }));
      detail.appendChild(el('h3', { text: 'Timings' }));
      detail.appendChild(timingTable(row, -1));
    } else {
      var t = data.tasks[j];
      var state = cellState(row, j);
      var words = cellWords(state);
      detail.appendChild(el('h2', { text: taskLabel(t) }));
      detail.appendChild(el('p', null, ['Play: ', el('strong', { text: t.play || '(unnamed)' })]));
      detail.appendChild(el('p', { class: 'status st-' + state.key }, [el('span', { 'aria-hidden': 'true', text: words[0] + ' ' }), words[2] + (state.cell && state.cell.afterTask ? ' (' + state.cell.afterTask.name + ')' : '')]));
      detail.appendChild(el('p', { class: 'hosts' }, [plural(names.length, 'host') + ': ', names.join(', ')]));
      var cell = state.cell;
      if (cell && cell.changes.length) {
        detail.appendChild(el('h3', { text: check && cell.status !== 'changed' ? 'What would change' : 'What changed' }));
        detail.appendChild(el('ul', { class: 'changes' }, cell.changes.map(changeItem)));
      }
      if (cell && cell.reason) detail.appendChild(el('p', { class: 'reason', text: 'Skipped: ' + cell.reason }));
      if (cell && cell.ignored) detail.appendChild(el('p', { class: 'reason', text: 'Failed, and ignored (ignore_errors): the host went on.' }));
      if (cell && cell.error) {
        detail.appendChild(el('h3', { text: 'Error' }));
        detail.appendChild(el('pre', { class: 'error', text: cell.error }));
      }
      if (!cell) detail.appendChild(el('p', { text: rowStatus(row) === 'unreachable' ? 'The host could not be reached: ' + (hostOf(row.hosts[0]).error || '') : 'This task did not run on these hosts.' }));
      detail.appendChild(el('h3', { text: 'Timings' }));
      detail.appendChild(timingTable(row, j));
    }
    detail.hidden = false;
    opener = target;
    detail.focus();
  }
  function closeDetail() {
    detail.hidden = true;
    if (opener && document.body.contains(opener)) opener.focus();
  }
  detail.addEventListener('keydown', function (e) { if (e.key === 'Escape') { e.preventDefault(); closeDetail(); } });

  // ---- keyboard: one cell is in the tab order; arrows move it -----------------
  var focusCell = null;
  function setFocus(cell) {
    if (!cell) return;
    if (focusCell) focusCell.setAttribute('tabindex', '-1');
    cell.setAttribute('tabindex', '0');
    focusCell = cell;
    cell.focus();
  }
  function cellAt(r, col) {
    var tr = table.querySelector('tr[data-row="' + r + '"]');
    if (!tr) {
      var body = table.tBodies[Math.floor(r / CHUNK)];
      if (!body) return null;
      fillChunk(body);
      tr = table.querySelector('tr[data-row="' + r + '"]');
    }
    return tr ? tr.children[Math.max(0, Math.min(col, tr.children.length - 1))] : null;
  }
  table.addEventListener('click', function (e) {
    var cell = e.target.closest('td, th[scope=row]');
    if (!cell || !cell.parentNode.hasAttribute('data-row')) return;
    setFocus(cell);
    openDetail(cell);
  });
  table.addEventListener('keydown', function (e) {
    var cell = e.target.closest('td, th[scope=row]');
    if (!cell || !cell.parentNode.hasAttribute('data-row')) return;
    var r = Number(cell.parentNode.getAttribute('data-row'));
    var col = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var next = null;
    switch (e.key) {
      case 'ArrowRight': next = cellAt(r, col + 1); break;
      case 'ArrowLeft': next = cellAt(r, col - 1); break;
      case 'ArrowDown': next = cellAt(Math.min(r + 1, visibleRows.length - 1), col); break;
      case 'ArrowUp': next = cellAt(Math.max(r - 1, 0), col); break;
      case 'PageDown': next = cellAt(Math.min(r + 10, visibleRows.length - 1), col); break;
      case 'PageUp': next = cellAt(Math.max(r - 10, 0), col); break;
      case 'Home': next = cellAt(e.ctrlKey ? 0 : r, 0); break;
      case 'End': next = cellAt(e.ctrlKey ? visibleRows.length - 1 : r, columns.length + 1); break;
      case 'Enter': case ' ': e.preventDefault(); openDetail(cell); return;
      case 'Escape': if (!detail.hidden) { e.preventDefault(); closeDetail(); } return;
      default: return;
    }
    e.preventDefault();
    setFocus(next);
  });
  // The first row's first cell is where Tab enters the grid.
  var firstFocus = function () { var c = cellAt(0, 0); if (c && !focusCell) { c.setAttribute('tabindex', '0'); focusCell = c; } };

  // Paper gets every row, not just those scrolled to.
  window.addEventListener('beforeprint', fillAll);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', function (e) { if (e.matches) fillAll(); });
  drawTable();
  document.body.setAttribute('data-ready', '1');
})();
`;
