// The dashboard: counts and transitions from GET /events (Server-Sent Events), lookups from
// GET /devices/{id}. Plain browser JavaScript, no build step and nothing loaded from elsewhere.
'use strict';

(function () {
  const MAX_ROWS = 200;            // rows kept on the page; older ones drop off the bottom
  const RENDER_EVERY_MS = 100;     // events are added in batches, so that a storm does not freeze the page
  const FILTER_DELAY_MS = 300;     // typing in the device filter reconnects once typing pauses
  const REPLAY_MS = 500;           // rows arriving this soon after connecting are the replay: not highlighted

  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat('en-US');

  let source = null;
  let pending = [];
  let renderScheduled = false;
  let shown = new Set();           // deviceId + '#' + sequence: a reconnect's replay is not shown twice
  let dropped = 0;
  let filterTimer = null;
  let highlightFrom = 0;           // rows arriving after this time are new, and briefly highlighted

  function eventsUrl() {
    const params = new URLSearchParams();
    const status = $('filter-status').value;
    const device = $('filter-device').value.trim();
    if (status) params.set('status', status);
    if (device) params.set('device', device.includes('*') ? device : '*' + device + '*');
    const query = params.toString();
    return '/events' + (query ? '?' + query : '');
  }

  // A new filter starts afresh: the server replays its latest matching events, then goes live.
  function connect() {
    if (source) source.close();
    pending = [];
    shown = new Set();
    dropped = 0;
    $('transitions').replaceChildren();
    $('dropped').hidden = true;
    $('empty').hidden = false;
    setConnection('connecting');
    source = new EventSource(eventsUrl());
    source.onopen = () => {
      highlightFrom = Date.now() + REPLAY_MS;
      setConnection('live');
    };
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('transition', (e) => queue(JSON.parse(e.data)));
    source.addEventListener('stats', (e) => showStats(JSON.parse(e.data)));
    source.addEventListener('dropped', (e) => showDropped(JSON.parse(e.data).count));
  }

  function setConnection(state) {
    const badge = $('connection');
    badge.dataset.state = state;
    badge.textContent = state;
  }

  function showStats(stats) {
    $('online').textContent = number.format(stats.online);
    $('offline').textContent = number.format(stats.offline);
    $('total').textContent = number.format(stats.total);
    const partial = $('partial');
    partial.hidden = !stats.partial;
    partial.textContent = stats.partial ? 'Counts are partial; missing: ' + stats.missing.join(', ') : '';
  }

  function showDropped(count) {
    dropped += count;
    const note = $('dropped');
    note.hidden = false;
    note.textContent = number.format(dropped) + ' events skipped: they came faster than this page could take them';
  }

  function queue(event) {
    pending.push(event);
    if (!renderScheduled) {
      renderScheduled = true;
      setTimeout(render, RENDER_EVERY_MS);
    }
  }

  function render() {
    renderScheduled = false;
    const body = $('transitions');
    const batch = pending;
    pending = [];
    const fresh = Date.now() >= highlightFrom;
    for (const event of batch) {
      const key = event.deviceId + '#' + event.sequence;
      if (shown.has(key)) continue;
      shown.add(key);
      body.insertBefore(row(event, fresh), body.firstChild); // newest first
    }
    while (body.rows.length > MAX_ROWS) {
      const last = body.rows[body.rows.length - 1];
      shown.delete(last.dataset.device + '#' + last.dataset.sequence);
      last.remove();
    }
    $('empty').hidden = body.rows.length > 0;
  }

  // Built with textContent only: device ids are arbitrary text and must never become markup.
  function row(event, fresh) {
    const tr = document.createElement('tr');
    if (fresh) tr.className = 'fresh';
    tr.dataset.device = event.deviceId;
    tr.dataset.status = event.status;
    tr.dataset.sequence = event.sequence;
    tr.append(
      cell(time(event.changedAt)),
      cell(deviceLink(event.deviceId)),
      cell(badge(event.previousStatus), arrow(), badge(event.status)),
      cell(event.reason),
      numberCell(String(event.sequence)),
      numberCell(seconds(Date.parse(event.detectedAt) - Date.parse(event.changedAt))));
    return tr;
  }

  function cell(...content) {
    const td = document.createElement('td');
    td.append(...content);
    return td;
  }

  function numberCell(value) {
    const td = cell(value);
    td.className = 'number';
    return td;
  }

  function badge(status) {
    const span = document.createElement('span');
    span.className = 'badge ' + status;
    span.textContent = status;
    return span;
  }

  function arrow() {
    const span = document.createElement('span');
    span.className = 'arrow';
    span.textContent = '→';
    return span;
  }

  function deviceLink(id) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = id;
    button.title = 'Look up ' + id;
    button.addEventListener('click', () => {
      $('search-id').value = id;
      lookUp(id);
    });
    return button;
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace('Z', '') : '';
  }

  function seconds(ms) {
    if (!Number.isFinite(ms)) return '';
    return (ms / 1000).toFixed(ms < 10000 ? 2 : 0) + ' s';
  }

  function duration(ms) {
    const units = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
    for (const [unit, size] of units) {
      if (ms >= size && ms % size === 0) return ms / size + unit;
    }
    return ms + 'ms';
  }

  async function lookUp(id) {
    const panel = $('device');
    panel.hidden = false;
    panel.replaceChildren(text('Looking up ' + id + '…', 'muted'));
    try {
      const response = await fetch('/devices/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (response.ok) {
        panel.replaceChildren(deviceCard(body, response.headers.get('X-Served-By')));
      } else if (response.status === 404) {
        panel.replaceChildren(text('No device ' + id + ' has been heard of.', 'error'));
      } else {
        panel.replaceChildren(text(response.status + ': ' + body.error, 'error'));
      }
    } catch (e) {
      panel.replaceChildren(text('The lookup failed: ' + e.message, 'error'));
    }
  }

  function deviceCard(device, servedBy) {
    const card = document.createElement('div');
    const title = document.createElement('div');
    const name = document.createElement('strong');
    name.id = 'device-id';
    name.textContent = device.deviceId;
    const status = badge(device.status);
    status.id = 'device-status';
    title.append(name, ' ', status);
    const details = document.createElement('dl');
    const fields = [
      ['Last seen', time(device.lastSeen)],
      ['Since', time(device.since)],
      ['Timeout', duration(device.timeoutMs)],
      ['Type', device.deviceType || '–'],
      ['Sequence', String(device.sequence)],
      ['Served by', servedBy || '–'],
    ];
    for (const [label, value] of fields) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      details.append(dt, dd);
    }
    card.append(title, details);
    return card;
  }

  function text(message, className) {
    const p = document.createElement('p');
    p.className = className;
    p.textContent = message;
    return p;
  }

  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('search-id').value.trim();
    if (id) lookUp(id);
  });
  $('filter-status').addEventListener('change', connect);
  $('filter-device').addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(connect, FILTER_DELAY_MS);
  });

  connect();
})();
