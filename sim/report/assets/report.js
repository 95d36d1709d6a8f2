// alglab's report page: renders the data in <script id="report-data"> (sim/report/report-data.h).
// Plots are dygraphs (Debian's libjs-dygraphs, embedded beside this script); the SIP ladder is
// an SVG drawn here. Every section renders only from keys present in the data, so sections
// added later (runbooks, workarounds) plug in by key.
(function () {
  'use strict';

  var SHORT = {
    registration_failure: 'REG', incoming_calls_not_ringing: 'RING', blf_not_updating: 'BLF',
    one_way_audio: '1WAY', audio_drop_midcall: 'DROP', fails_after_reboot: 'BOOT',
    calls_not_connecting: 'CONN'
  };
  var CAUSES = [
    ['alg', 'the ALG causes it (absent with the ALG off)'],
    ['plain-nat', 'plain NAT causes it (also with the ALG off)'],
    ['both', 'both: present either way, and the ALG acts on it too'],
    ['masked', 'masked: the ALG hides a plain-NAT problem'],
    ['absent', 'absent']
  ];
  var BLF_LEVEL = { terminated: 0, idle: 0, none: 0, trying: 1, proceeding: 1, early: 1, confirmed: 2 };
  var MAX_CALL_PLOTS = 12;

  // --- small DOM helpers -------------------------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'onclick') node.addEventListener('click', attrs[k]);
        else node.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; ++i) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    return node;
  }
  function keys(o) { return o && typeof o === 'object' ? Object.keys(o) : []; }
  function fmtTime(t) { return (Math.round(t * 1000) / 1000).toFixed(3); }

  // --- generic rendering of JSON sections (runbooks, workarounds) ---------------------------
  function renderValue(v) {
    if (Array.isArray(v)) {
      if (v.length && v.every(function (x) { return x && typeof x === 'object' && !Array.isArray(x); })) {
        var cols = [];
        v.forEach(function (row) { keys(row).forEach(function (k) { if (cols.indexOf(k) < 0) cols.push(k); }); });
        var head = el('tr');
        cols.forEach(function (c) { head.appendChild(el('th', { text: c })); });
        var table = el('table', { 'class': 'data' }, el('thead', null, head));
        var body = el('tbody');
        v.forEach(function (row) {
          var tr = el('tr');
          cols.forEach(function (c) { tr.appendChild(el('td', null, c in row ? renderValue(row[c]) : '')); });
          body.appendChild(tr);
        });
        table.appendChild(body);
        return table;
      }
      var ol = el('ol');
      v.forEach(function (x) { ol.appendChild(el('li', null, renderValue(x))); });
      return ol;
    }
    if (v && typeof v === 'object') {
      var dl = el('dl', { 'class': 'data' });
      keys(v).forEach(function (k) {
        dl.appendChild(el('dt', { text: k }));
        dl.appendChild(el('dd', null, renderValue(v[k])));
      });
      return dl;
    }
    return document.createTextNode(v === null ? '' : String(v));
  }

  function renderRunbook(data, vendor) {
    if (!data.runbooks || !(vendor in data.runbooks)) return null;
    return el('details', { 'class': 'runbook', 'data-vendor': vendor },
      el('summary', { text: 'Runbook: ' + vendor }), renderValue(data.runbooks[vendor]));
  }

  // The matrix's second table ({vendor: {workaround: {symptoms: {S: {helps, removed_in}}}}}): per
  // vendor, which workaround removes which of its symptoms. Any other shape renders generically.
  function renderWorkarounds(table, symptoms) {
    var vendors = keys(table);
    var shaped = vendors.length && vendors.every(function (v) {
      return keys(table[v]).every(function (w) { return table[v][w] && table[v][w].symptoms; });
    });
    if (!shaped || !symptoms) return renderValue(table);
    var holder = el('div', { 'class': 'workaround-tables' });
    holder.appendChild(el('p', { 'class': 'hint', text: 'Y removes it wherever the vendor shows it, p in some ' +
      'scenarios, n nowhere; blank: the vendor does not show it.' }));
    var t = el('table', { 'class': 'workarounds' });
    var head = el('tr', null, el('th', { text: 'vendor' }), el('th', { text: 'workaround' }));
    symptoms.forEach(function (s) { head.appendChild(el('th', { title: s, text: SHORT[s] || s })); });
    t.appendChild(head);
    vendors.forEach(function (v) {
      keys(table[v]).forEach(function (w) {
        var tr = el('tr', null, el('td', { text: v }), el('td', { text: w }));
        symptoms.forEach(function (s) {
          var c = table[v][w].symptoms[s] || {};
          var mark = c.helps === true ? 'Y' : c.helps === false ? ((c.removed_in || []).length ? 'p' : 'n') : '';
          tr.appendChild(el('td', { 'class': 'wa wa-' + (mark || 'na'), text: mark,
                                    title: (c.removed_in || []).length ? 'removed in ' + c.removed_in.join(', ') : '' }));
        });
        t.appendChild(tr);
      });
    });
    holder.appendChild(t);
    return holder;
  }

  // alglab matrix --detect-accuracy: the active detector's confusion matrices, truth by row.
  function renderConfusion(title, m) {
    var t = el('table', { 'class': 'confusion' });
    var head = el('tr', null, el('th', { text: 'truth \\ detected' }));
    m.labels.forEach(function (l) { head.appendChild(el('th', { text: l })); });
    t.appendChild(head);
    keys(m.counts).forEach(function (truth) {
      var tr = el('tr', null, el('th', { text: truth }));
      m.labels.forEach(function (l) {
        var n = m.counts[truth][l] || 0;
        tr.appendChild(el('td', { text: String(n), 'class': n && l !== truth ? 'miss' : '' }));
      });
      t.appendChild(tr);
    });
    return el('div', null, el('h3', { text: title + ': ' + (m.accuracy * 100).toFixed(1) + '% (' +
      m.correct + '/' + m.total + ')' }), t);
  }

  function renderDetectAccuracy(a) {
    var section = el('section', { id: 'detect-accuracy' }, el('h2', { text: 'Detector accuracy' }),
      el('p', { text: a.configurations + ' router configurations in scenario ' + a.scenario + ', ' +
        a.held_out.length + ' held out; false alarms on none and plain NAT: ' + a.false_alarms + '; targets ' +
        (a.targets_met ? 'met' : 'NOT met') }));
    [['Presence', 'presence'], ['Rewrite kind', 'rewrite_kind'], ['Proxy vs rewrite', 'proxy_vs_rewrite'],
      ['Vendor family, tuning (leave-one-out)', 'family_tuning'],
      ['Vendor family, held out', 'family_held_out']].forEach(function (p) {
      if (a[p[1]]) section.appendChild(renderConfusion(p[0], a[p[1]]));
    });
    section.appendChild(el('details', null, el('summary', { text: 'Configurations' }), renderValue(a.cases)));
    return section;
  }

  // alglab matrix --kernel-accuracy: the same matrices measured through the real Linux SIP helper
  // (bench/kernel-accuracy.py), with the settings it ran.
  function renderKernelAccuracy(k) {
    var section = el('section', { id: 'kernel-accuracy' }, el('h2', { text: 'Accuracy through the real kernel' }),
      el('p', { text: 'Linux ' + k.kernel + ': ' + k.cases.length + ' runs (live detector and diagnose on SIPp ' +
        'captures) in network namespaces, nf_conntrack_sip on, off and with its parameters changed.' }));
    [['Presence', 'presence'], ['Rewrite kind', 'rewrite_kind'], ['Proxy vs rewrite', 'proxy'],
      ['Vendor family', 'vendor_family'], ['Diagnose: presence', 'diagnose_presence']].forEach(function (p) {
      if (k.matrices[p[1]]) section.appendChild(renderConfusion(p[0], k.matrices[p[1]]));
    });
    section.appendChild(el('details', null, el('summary', { text: 'Runs' }), renderValue(k.cases)));
    return section;
  }

  function renderOptionalSections(data, app) {
    if (data.runbooks && keys(data.runbooks).length) {
      var section = el('section', { id: 'runbooks' }, el('h2', { text: 'Runbooks' }));
      keys(data.runbooks).forEach(function (v) { section.appendChild(renderRunbook(data, v)); });
      app.appendChild(section);
    }
    if (data.workarounds) {
      app.appendChild(el('section', { id: 'workarounds' }, el('h2', { text: 'Workarounds' }),
        renderWorkarounds(data.workarounds, (data.matrix || {}).symptoms)));
    }
    if (data.detect_accuracy) {
      app.appendChild(renderDetectAccuracy(data.detect_accuracy));
    }
    if (data.kernel_accuracy) {
      app.appendChild(renderKernelAccuracy(data.kernel_accuracy));
    }
    if (data.remediation) {
      // alglab run --remediate: what each step changed, the symptoms without and with it, advice.
      app.appendChild(el('section', { id: 'remediation' }, el('h2', { text: 'Remediation' }),
        renderValue(data.remediation)));
    }
  }

  // --- the matrix grid ----------------------------------------------------------------------
  function cellCause(cell) {
    if (!cell) return 'absent';
    if (cell.present) return cell.cause || 'both';
    if (cell.masked_in && cell.masked_in.length) return 'masked';
    return 'absent';
  }

  function renderLegend() {
    var legend = el('div', { id: 'legend', 'class': 'legend' });
    CAUSES.forEach(function (c) {
      legend.appendChild(el('span', { 'class': 'swatch cause-' + c[0], text: c[0] }));
      legend.appendChild(el('span', { 'class': 'legend-text', text: c[1] }));
    });
    legend.appendChild(el('span', { 'class': 'badge remediation-still', text: 'still after fix' }));
    legend.appendChild(el('span', { 'class': 'legend-text', text: 'present after the vendor\'s remediation' }));
    legend.appendChild(el('span', { 'class': 'badge remediation-fixed', text: 'fixed' }));
    legend.appendChild(el('span', { 'class': 'legend-text', text: 'gone after the remediation' }));
    legend.appendChild(el('span', { 'class': 'legend-text',
      text: '(servers\' NAT traversal on; click a cell for its evidence)' }));
    return legend;
  }

  function renderGrid(data, onCell) {
    var m = data.matrix;
    var head = el('tr', null, el('th', { text: 'vendor' }));
    m.symptoms.forEach(function (s) { head.appendChild(el('th', { title: s, text: SHORT[s] || s })); });
    var table = el('table', { id: 'matrix-grid' }, el('thead', null, head));
    var body = el('tbody');
    keys(m.vendors).forEach(function (vendor) {
      var tr = el('tr', null, el('th', { 'class': 'vendor', text: vendor }));
      m.symptoms.forEach(function (s) {
        var cell = (m.vendors[vendor].symptoms || {})[s];
        var cause = cellCause(cell);
        var td = el('td', {
          'class': 'cell cause-' + cause, 'data-vendor': vendor, 'data-symptom': s, 'data-cause': cause,
          title: (cell && cell.mechanism) || cause
        }, el('span', { 'class': 'cause', text: cause }));
        if (cell && 'after_remediation' in cell) {
          td.appendChild(el('span', {
            'class': 'badge ' + (cell.after_remediation ? 'remediation-still' : 'remediation-fixed'),
            'data-after-remediation': String(cell.after_remediation),
            text: cell.after_remediation ? 'still after fix' : 'fixed'
          }));
        }
        td.addEventListener('click', function () {
          var prev = table.querySelector('td.selected');
          if (prev) prev.classList.remove('selected');
          td.classList.add('selected');
          onCell(vendor, s);
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  /// The scenarios to offer for a cell: where the symptom shows, where it is masked, the rest.
  function cellScenarios(data, vendor, symptom) {
    var cell = ((data.matrix.vendors[vendor] || {}).symptoms || {})[symptom] || {};
    var out = [];
    (cell.scenarios || []).concat(cell.masked_in || [], data.matrix.scenarios || []).forEach(function (s) {
      if (out.indexOf(s) < 0) out.push(s);
    });
    return out;
  }

  function showCellEvidence(data, vendor, symptom) {
    var panel = document.getElementById('evidence');
    panel.textContent = '';
    var cell = ((data.matrix.vendors[vendor] || {}).symptoms || {})[symptom];
    var cause = cellCause(cell);
    panel.appendChild(el('h2', { text: vendor + ' \u00d7 ' + symptom + ': ' + cause }));
    if (cell && cell.mechanism) panel.appendChild(el('p', { 'class': 'mechanism', text: cell.mechanism }));
    if (cell && 'after_remediation' in cell) {
      panel.appendChild(el('p', { text: cell.after_remediation ? 'Still present after the vendor\'s remediation.'
                                                                : 'Gone after the vendor\'s remediation.' }));
    }
    var runbook = renderRunbook(data, vendor);
    if (runbook) { runbook.open = true; panel.appendChild(runbook); }
    var present = (cell && cell.scenarios) || [];
    var masked = (cell && cell.masked_in) || [];
    var state = { scenario: null, variant: 'alg-on' };
    var picker = el('div', { 'class': 'picker' });
    var body = el('div', { 'class': 'run-evidence-holder' });
    function draw() {
      Array.prototype.forEach.call(picker.querySelectorAll('button'), function (b) {
        b.classList.toggle('active', b.getAttribute('data-scenario') === state.scenario ||
                                     b.getAttribute('data-variant') === state.variant);
      });
      body.textContent = '';
      var id = (((data.runs || {})[vendor] || {})[state.scenario] || {})[state.variant];
      if (!id) { body.appendChild(el('p', { text: 'No run recorded for this choice.' })); return; }
      renderRun(data, id, body, symptom);
    }
    picker.appendChild(el('span', { 'class': 'label', text: 'scenario: ' }));
    cellScenarios(data, vendor, symptom).forEach(function (s) {
      var tag = present.indexOf(s) >= 0 ? ' \u25cf' : masked.indexOf(s) >= 0 ? ' \u25cb' : '';
      picker.appendChild(el('button', { 'data-scenario': s, text: s + tag,
        onclick: function () { state.scenario = s; draw(); } }));
    });
    picker.appendChild(el('span', { 'class': 'label', text: ' router: ' }));
    ['alg-on', 'alg-off', 'remediated'].forEach(function (v) {
      picker.appendChild(el('button', { 'data-variant': v, text: v,
        onclick: function () { state.variant = v; draw(); } }));
    });
    panel.appendChild(picker);
    panel.appendChild(el('p', { 'class': 'hint',
      text: '\u25cf the symptom is present there, \u25cb the ALG masks it there.' }));
    panel.appendChild(body);
    state.scenario = cellScenarios(data, vendor, symptom)[0];
    if (!present.length && masked.length) state.variant = 'alg-off';
    draw();
    panel.scrollIntoView({ block: 'start' });
  }

  // --- one run ------------------------------------------------------------------------------
  function renderRun(data, id, holder, focusSymptom) {
    var result = data.results[id];
    var ev = result.evidence ? data.evidence[result.evidence] : null;
    var run = el('div', { 'class': 'run', 'data-run': id });
    run.appendChild(el('h3', { text: result.scenario + ' through ' + result.vendor +
                                     (result.variant !== 'run' ? ' (' + result.variant + ')' : '') }));
    var list = el('ul', { 'class': 'symptoms' });
    keys(result.symptoms).forEach(function (s) {
      var r = result.symptoms[s];
      var li = el('li', { 'class': r.present ? 'present' : 'absent' },
        el('b', { text: s }), ': ' + (r.present ? 'present' : 'absent'));
      if (r.present && r.mechanisms && r.mechanisms.length) {
        li.appendChild(document.createTextNode(' \u2014 ' + r.mechanisms.map(function (m) {
          return m.mechanism + ' ' + m.action + ' ' + m.message + (m.field ? ' ' + m.field : '') +
                 (m.reason ? ' (' + m.reason + ')' : '') + ' \u00d7' + m.count;
        }).join('; ')));
      }
      if (s === focusSymptom) li.classList.add('focus');
      list.appendChild(li);
    });
    run.appendChild(list);
    holder.appendChild(run);
    if (!ev) { run.appendChild(el('p', { text: 'No evidence was recorded for this run.' })); return; }
    var plots = el('div', { 'class': 'plots' });
    run.appendChild(el('h4', { text: 'What the probes measured' }));
    run.appendChild(plots);
    renderRtpPlots(ev, plots);
    renderRegistrationPlot(ev, plots);
    renderBlfPlots(ev, plots);
    run.appendChild(el('h4', { text: 'SIP ladder at the router (LAN side | router | WAN side)' }));
    renderLadder(ev, run);
  }

  function plotBox(parent, title, cls) {
    var box = el('div', { 'class': 'plot ' + cls }, el('div', { 'class': 'plot-title', text: title }));
    var graph = el('div', { 'class': 'graph' });
    box.appendChild(graph);
    // The legend below the plot, not over its lines.
    graph.legendDiv = el('div', { 'class': 'plot-legend' });
    box.appendChild(graph.legendDiv);
    parent.appendChild(box);
    return graph;
  }

  function rebootLines(ev) {
    return function (canvas, area, g) {
      (ev.reboots || []).forEach(function (t) {
        var x = g.toDomXCoord(t);
        canvas.fillStyle = 'rgba(200,0,0,0.35)';
        canvas.fillRect(x, area.y, 2, area.h);
      });
    };
  }

  /// Packets per second per direction, one plot per call (Call-ID), a series per device.
  function renderRtpPlots(ev, parent) {
    var byCall = {}, order = [];
    (ev.rtp || []).forEach(function (s) {
      if (!(s.call_id in byCall)) { byCall[s.call_id] = []; order.push(s.call_id); }
      byCall[s.call_id].push(s);
    });
    if (!order.length) { parent.appendChild(el('p', { 'class': 'note', text: 'No RTP in this run.' })); return; }
    order.slice(0, MAX_CALL_PLOTS).forEach(function (callId) {
      var streams = byCall[callId];
      var labels = ['second'], length = 0;
      streams.forEach(function (s) {
        labels.push(s.device + ' sent', s.device + ' received');
        length = Math.max(length, s.sent.length, s.received.length);
      });
      var rows = [];
      for (var t = 0; t < length; ++t) {
        var row = [t];
        streams.forEach(function (s) { row.push(s.sent[t] || 0, s.received[t] || 0); });
        rows.push(row);
      }
      if (rows.length === 1) rows.push([1].concat(rows[0].slice(1)));
      // Zoomed to the call's media, 10 s either side (double-click zooms out to the whole run).
      var first = length, last = 0;
      rows.forEach(function (row) {
        if (row.slice(1).some(function (v) { return v > 0; })) { first = Math.min(first, row[0]); last = row[0]; }
      });
      var graph = plotBox(parent, 'RTP packets/s, call ' + callId, 'rtp');
      new Dygraph(graph, rows, {
        labels: labels, stepPlot: true, xlabel: 'simulated seconds', ylabel: 'packets/s',
        legend: 'always', labelsDiv: graph.legendDiv, labelsSeparateLines: false, width: 560, height: 220,
        dateWindow: [Math.max(0, first - 10), Math.min(Math.max(ev.end, length), last + 11)],
        underlayCallback: rebootLines(ev)
      });
    });
    if (order.length > MAX_CALL_PLOTS)
      parent.appendChild(el('p', { 'class': 'note', text: (order.length - MAX_CALL_PLOTS) + ' more calls not plotted.' }));
    if (ev.rtp_omitted)
      parent.appendChild(el('p', { 'class': 'note', text: ev.rtp_omitted + ' RTP streams not recorded (cap).' }));
  }

  /// Builds dygraph rows from per-series step points {name: [[t, v], ...]}: a row per distinct
  /// time, null where a series has no point (connectSeparatedPoints draws the steps through).
  function stepRows(series, names, end) {
    var times = {};
    names.forEach(function (n) { series[n].forEach(function (p) { times[p[0]] = true; }); });
    times[end] = true;
    var ts = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
    var last = {};
    return ts.map(function (t) {
      var row = [t];
      names.forEach(function (n) {
        var v = null;
        series[n].forEach(function (p) { if (p[0] === t) v = p[1]; });
        if (v === null && t === end && series[n].length) v = series[n][series[n].length - 1][1];
        row.push(v);
        if (v !== null) last[n] = v;
      });
      return row;
    });
  }

  /// Registration state per handset: a step line per device, lifted by its index so lines do
  /// not overlap; up = registered, down = the last REGISTER failed.
  function renderRegistrationPlot(ev, parent) {
    var devices = [], series = {};
    (ev.registrations || []).forEach(function (r) {
      if (!(r.device in series)) { series[r.device] = []; devices.push(r.device); }
    });
    if (!devices.length) { parent.appendChild(el('p', { 'class': 'note', text: 'No registrations in this run.' })); return; }
    (ev.registrations || []).forEach(function (r) {
      var base = devices.indexOf(r.device) * 2;
      series[r.device].push([r.t, base + (r.success ? 1 : 0)]);
    });
    var rows = stepRows(series, devices, ev.end);
    var graph = plotBox(parent, 'Registration state per handset (high = registered, low = failed)', 'registration');
    new Dygraph(graph, rows, {
      labels: ['second'].concat(devices), stepPlot: true, connectSeparatedPoints: true, drawPoints: true,
      xlabel: 'simulated seconds', legend: 'always', labelsDiv: graph.legendDiv, labelsSeparateLines: false, width: 560,
      height: Math.max(160, 40 * devices.length), valueRange: [-0.5, devices.length * 2],
      axes: { y: {
        ticker: function () {
          return devices.map(function (d, i) { return { v: i * 2 + 0.5, label: d }; });
        },
        valueFormatter: function (v) { return v % 2 >= 1 ? 'registered' : 'failed'; },
        axisLabelWidth: 90
      } },
      underlayCallback: rebootLines(ev)
    });
  }

  /// BLF: per extension, the PBX's truth and each watcher's lamp, as levels
  /// (0 idle/terminated, 1 early, 2 confirmed).
  function renderBlfPlots(ev, parent) {
    var blf = ev.blf || {};
    var extensions = [];
    function add(x) { if (extensions.indexOf(x) < 0) extensions.push(x); }
    (blf.watches || []).forEach(function (w) { add(w.extension); });
    (blf.lamps || []).forEach(function (l) { add(l.extension); });
    if (!extensions.length) { parent.appendChild(el('p', { 'class': 'note', text: 'No BLF watches in this run.' })); return; }
    extensions.forEach(function (x) {
      var series = {}, names = ['PBX state'];
      series['PBX state'] = [[0, 0]];
      (blf.truth || []).forEach(function (b) {
        if (b.extension === x) series['PBX state'].push([b.t, BLF_LEVEL[b.state] !== undefined ? BLF_LEVEL[b.state] : 1]);
      });
      (blf.watches || []).forEach(function (w) {
        if (w.extension !== x) return;
        var n = 'lamp at ' + w.watcher;
        if (!(n in series)) { series[n] = [[0, 0]]; names.push(n); }
      });
      (blf.lamps || []).forEach(function (l) {
        if (l.extension !== x) return;
        var n = 'lamp at ' + l.watcher;
        if (!(n in series)) { series[n] = [[0, 0]]; names.push(n); }
        series[n].push([l.t, BLF_LEVEL[l.state] !== undefined ? BLF_LEVEL[l.state] : 1]);
      });
      var graph = plotBox(parent, 'BLF lamp vs PBX state, extension ' + x, 'blf');
      new Dygraph(graph, stepRows(series, names, ev.end), {
        labels: ['second'].concat(names), stepPlot: true, connectSeparatedPoints: true, drawPoints: true,
        xlabel: 'simulated seconds', legend: 'always', labelsDiv: graph.legendDiv, labelsSeparateLines: false, width: 560, height: 180,
        valueRange: [-0.3, 2.3],
        axes: { y: {
          ticker: function () { return [{ v: 0, label: 'idle' }, { v: 1, label: 'early' }, { v: 2, label: 'busy' }]; },
          valueFormatter: function (v) { return v >= 2 ? 'confirmed' : v >= 1 ? 'early' : 'idle'; }
        } },
        underlayCallback: rebootLines(ev)
      });
    });
  }

  // --- the SIP ladder -----------------------------------------------------------------------
  function hostOf(ev, endpoint) {
    var address = endpoint.split(':')[0];
    return { address: address, name: (ev.hosts || {})[address] || address };
  }

  /// The host a message's far end is on: the sender of what the router received, the receiver
  /// of what it sent.
  function farEnd(ev, m) { return hostOf(ev, m.dir === 'in' ? m.src : m.dst); }

  function renderLadder(ev, parent) {
    var ladder = ev.ladder || { messages: [], dialogs: [] };
    var wrap = el('div', { 'class': 'ladder-wrap' });
    parent.appendChild(wrap);
    if (!ladder.messages.length) { wrap.appendChild(el('p', { 'class': 'note', text: 'No SIP crossed the router.' })); return; }
    var select = el('select', { 'class': 'dialog-select' }, el('option', { value: '', text: 'all dialogs shown' }));
    ladder.dialogs.forEach(function (d) {
      select.appendChild(el('option', { value: d.call_id, text: d.method + ' ' + d.call_id + ' (' + d.why + ')' }));
    });
    var diff = el('div', { 'class': 'diff', hidden: 'hidden' });
    var drawing = el('div', { 'class': 'ladder-drawing' });
    wrap.appendChild(el('div', { 'class': 'ladder-controls' }, 'dialog: ', select,
      el('span', { 'class': 'legend-text', text: ' orange = rewritten by the ALG (click for the diff), red = dropped' })));
    wrap.appendChild(drawing);
    wrap.appendChild(diff);
    if (ladder.omitted)
      wrap.appendChild(el('p', { 'class': 'note', text: ladder.omitted + ' messages of these dialogs not shown (cap).' }));
    function draw() {
      drawing.textContent = '';
      var callId = select.value;
      var msgs = ladder.messages.filter(function (m) { return !callId || m.call_id === callId; });
      drawing.appendChild(ladderSvg(ev, msgs, function (m) { showDiff(diff, m); }));
    }
    select.addEventListener('change', draw);
    draw();
  }

  function ladderSvg(ev, msgs, onAltered) {
    var lan = [], wan = [];
    msgs.forEach(function (m) {
      var h = farEnd(ev, m).name;
      var list = m.side === 'lan' ? lan : wan;
      if (list.indexOf(h) < 0) list.push(h);
    });
    var columns = lan.concat(['router LAN', 'router WAN'], wan);
    var colW = 190, left = 90, top = 50, rowH = 26;
    var width = left + colW * columns.length, height = top + rowH * (msgs.length + 1);
    var x = function (name) { return left + colW * columns.indexOf(name) + colW / 2; };
    var root = svg('svg', { 'class': 'ladder', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height });
    var defs = svg('defs');
    ['plain', 'rewrote', 'dropped'].forEach(function (k) {
      var marker = svg('marker', { id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7,
                                   markerHeight: 7, orient: 'auto-start-reverse' });
      marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', 'class': 'arrowhead ' + k }));
      defs.appendChild(marker);
    });
    root.appendChild(defs);
    // The router: a box around its two sides.
    root.appendChild(svg('rect', { 'class': 'router-box', x: x('router LAN') - 20, y: 8,
                                   width: x('router WAN') - x('router LAN') + 40, height: height - 12 }));
    columns.forEach(function (c) {
      root.appendChild(svg('text', { 'class': 'column-head', x: x(c), y: 30, 'text-anchor': 'middle', text: c }));
      root.appendChild(svg('line', { 'class': 'lifeline', x1: x(c), y1: 38, x2: x(c), y2: height - 6 }));
    });
    root.appendChild(svg('text', { 'class': 'side-head', x: left, y: 14, text: 'LAN side' }));
    root.appendChild(svg('text', { 'class': 'side-head', x: width - 10, y: 14, 'text-anchor': 'end', text: 'WAN side' }));
    msgs.forEach(function (m, i) {
      var y = top + rowH * (i + 0.5);
      var far = farEnd(ev, m).name, near = m.side === 'lan' ? 'router LAN' : 'router WAN';
      var from = m.dir === 'in' ? far : near, to = m.dir === 'in' ? near : far;
      var kind = m.alg === 'rewrote' ? 'rewrote' : (m.alg === 'dropped' || m.alg === 'stolen') ? 'dropped' : 'plain';
      var g = svg('g', { 'class': 'msg alg-' + kind, 'data-index': i, 'data-side': m.side, 'data-call-id': m.call_id });
      g.appendChild(svg('title', { text: m.src + ' \u2192 ' + m.dst + ' (' + m.transport + ')\nCall-ID: ' + m.call_id +
                                         '\nCSeq: ' + m.cseq + (m.mechanisms ? '\nALG: ' + m.alg + ' by ' + m.mechanisms : '') +
                                         (m.reason ? ' (' + m.reason + ')' : '') }));
      g.appendChild(svg('text', { 'class': 'time', x: 4, y: y + 4, text: fmtTime(m.t) }));
      g.appendChild(svg('line', { 'class': 'arrow', x1: x(from), y1: y, x2: x(to), y2: y,
                                  'marker-end': 'url(#arrow-' + kind + ')' }));
      var label = m.first_line.length > 44 ? m.first_line.slice(0, 43) + '\u2026' : m.first_line;
      g.appendChild(svg('text', { 'class': 'label', x: (x(from) + x(to)) / 2, y: y - 4, 'text-anchor': 'middle',
                                  text: label + (kind === 'rewrote' ? '  \u270e' : '') }));
      if (kind === 'dropped') {
        // The router took it in and sent nothing on: the cross sits on the router's side.
        g.appendChild(svg('text', { 'class': 'drop-mark', x: x(to), y: y + 12, 'text-anchor': 'middle',
                                    text: '\u2716 ' + (m.reason || m.alg) }));
      }
      if (kind !== 'plain') {
        g.style.cursor = 'pointer';
        g.addEventListener('click', function () { onAltered(m); });
      }
      root.appendChild(g);
    });
    return root;
  }

  /// Line diff (longest common subsequence) of the ALG's input and output.
  function lineDiff(a, b) {
    var n = a.length, m = b.length, i, j;
    var lcs = [];
    for (i = 0; i <= n; ++i) { lcs.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; --i)
      for (j = m - 1; j >= 0; --j)
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    var out = [];
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { out.push([' ', a[i]]); ++i; ++j; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(['-', a[i++]]);
      else out.push(['+', b[j++]]);
    }
    while (i < n) out.push(['-', a[i++]]);
    while (j < m) out.push(['+', b[j++]]);
    return out;
  }

  function showDiff(box, m) {
    box.textContent = '';
    box.removeAttribute('hidden');
    box.appendChild(el('button', { 'class': 'close', text: 'close',
      onclick: function () { box.setAttribute('hidden', 'hidden'); } }));
    box.appendChild(el('h5', { text: m.first_line + ' \u2014 ' + (m.alg === 'rewrote' ? 'rewritten' : m.alg) +
                                      ' by ' + (m.mechanisms || '?') + (m.reason ? ' (' + m.reason + ')' : '') +
                                      ' at ' + fmtTime(m.t) + ' s' }));
    var before = (m.before || '').split(/\r?\n/);
    var after = m.alg === 'rewrote' ? (m.after || '').split(/\r?\n/) : [];
    var pre = el('pre', { 'class': 'diff-text' });
    lineDiff(before, after).forEach(function (d) {
      pre.appendChild(el('span', { 'class': d[0] === '-' ? 'del' : d[0] === '+' ? 'ins' : 'same', text: d[0] + ' ' + d[1] + '\n' }));
    });
    box.appendChild(pre);
  }

  // --- pages --------------------------------------------------------------------------------
  function render(data) {
    var app = document.getElementById('app');
    app.textContent = '';
    app.appendChild(el('h1', { text: data.title || 'alglab report' }));
    if (data.kind === 'matrix') {
      var m = data.matrix;
      app.appendChild(el('p', { 'class': 'summary', text: keys(m.vendors).length + ' vendors \u00d7 ' +
        (m.scenarios || []).length + ' scenarios, ' + m.runs + ' simulations' + (m.seed !== undefined ? ', seed ' + m.seed : '') }));
      app.appendChild(renderLegend());
      app.appendChild(renderGrid(data, function (v, s) { showCellEvidence(data, v, s); }));
      app.appendChild(el('section', { id: 'evidence' }, el('p', { 'class': 'hint', text: 'Click a cell to see its evidence.' })));
    } else {
      var section = el('section', { id: 'evidence' });
      app.appendChild(section);
      var id = keys(data.results)[0];
      if (id) {
        var runbook = renderRunbook(data, data.results[id].vendor);
        if (runbook) section.appendChild(runbook);
        renderRun(data, id, section, null);
      }
    }
    renderOptionalSections(data, app);
  }

  var data = JSON.parse(document.getElementById('report-data').textContent);
  window.alglabReport = { data: data, render: render };
  render(data);
})();
