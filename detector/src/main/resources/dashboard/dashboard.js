// The dashboard: counts, the chart and transitions from GET /events (Server-Sent Events); groups
// and device types from GET /stats?by=; lookups from GET /devices/{id} and its history. Plain
// browser JavaScript, no build step and nothing loaded from elsewhere. Device ids, groups and types
// are user data: they only ever reach the page as textContent or attribute values, never as markup.
'use strict';

(function () {
  const MAX_ROWS = 200;            // rows kept on the page; older ones drop off the bottom
  const RENDER_EVERY_MS = 100;     // events are added in batches, so that a storm does not freeze the page
  const FILTER_DELAY_MS = 300;     // typing in the device filter reconnects once typing pauses
  const REPLAY_MS = 500;           // rows arriving this soon after connecting are the replay: not highlighted
  const CHART_MS = 3600000;        // the chart keeps an hour of points, one a second
  const CHART_MIN_SPAN_MS = 60000; // a young chart still spans a minute, so its first points do not fill it
  const BREAKDOWN_EVERY_MS = 5000; // groups and types are read again this often…
  const BREAKDOWN_AFTER_TRANSITION_MS = 1000; // …and after a transition, at most this often
  const GROUPS_LIMIT = 50;
  const OFFLINE_PAGE = 100;        // a group's offline devices: read from the offline list, a page at a time…
  const OFFLINE_PAGES = 5;         // …this many pages at most
  const HISTORY_LIMIT = 50;

  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat('en-US');

  let source = null;
  let pending = [];
  let renderScheduled = false;
  let shown = new Set();           // deviceId + '#' + sequence: a reconnect's replay is not shown twice
  let dropped = 0;
  let filterTimer = null;
  let highlightFrom = 0;           // rows arriving after this time are new, and briefly highlighted
  let points = [];                 // {t, online, offline}: the chart's points, oldest first
  let selectedGroup;               // undefined: every group; otherwise {key}, key null for devices without one
  let breakdownTimer = null;
  let breakdownAt = 0;             // when groups and types were last asked for
  let lookupToken = 0;             // a newer lookup wins over an older one still answering

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
    source.addEventListener('transition', (e) => {
      queue(JSON.parse(e.data));
      refreshBreakdownSoon();
    });
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
    addPoint(Date.now(), stats.online, stats.offline);
  }

  // The chart: what this page has received, nothing from before it opened.
  function addPoint(t, online, offline) {
    points.push({ t, online, offline });
    while (points.length > 0 && points[0].t < t - CHART_MS) points.shift();
    drawChart(t);
  }

  function drawChart(now) {
    const from = points.length > 0 ? Math.max(now - CHART_MS, Math.min(points[0].t, now - CHART_MIN_SPAN_MS)) : now - CHART_MIN_SPAN_MS;
    const max = Math.max(1, ...points.map((p) => Math.max(p.online, p.offline)));
    const x = (t) => ((t - from) / (now - from) * 1000).toFixed(1);
    const y = (n) => (198 - n / max * 196).toFixed(1); // lines at 0 and at the top stay visible
    for (const series of ['online', 'offline']) {
      const line = $('chart-' + series);
      line.setAttribute('points', points.map((p) => x(p.t) + ',' + y(p[series])).join(' '));
      line.dataset.points = String(points.length);
    }
    $('chart-max').textContent = number.format(max);
    $('chart-mid').textContent = max >= 2 ? number.format(max / 2) : '';
    $('chart-from').textContent = clock(from);
  }

  function clock(ms) {
    return new Date(ms).toISOString().substring(11, 19) + ' UTC';
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

  function matchesGroup(group) {
    return selectedGroup === undefined || (selectedGroup.key ?? '') === (group ?? '');
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
    showEmpty();
  }

  // The group filter hides rows rather than reconnecting: the feed has no group filter.
  function applyGroupFilter() {
    for (const tr of $('transitions').rows) tr.hidden = !matchesGroup(tr.dataset.group);
    showEmpty();
  }

  function showEmpty() {
    const visible = Array.from($('transitions').rows).some((tr) => !tr.hidden);
    const empty = $('empty');
    empty.hidden = visible;
    empty.textContent = selectedGroup === undefined ? 'Waiting for transitions…' : 'Waiting for transitions in ' + groupName(selectedGroup.key) + '…';
  }

  // Built with textContent only: device ids are arbitrary text and must never become markup.
  function row(event, fresh) {
    const tr = document.createElement('tr');
    if (fresh) tr.className = 'fresh';
    tr.dataset.device = event.deviceId;
    tr.dataset.status = event.status;
    tr.dataset.sequence = event.sequence;
    tr.dataset.group = event.group ?? '';
    tr.hidden = !matchesGroup(event.group);
    tr.append(
      cell(time(event.changedAt)),
      cell(deviceLink(event.deviceId)),
      cell(groupLabel(event.group)),
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

  function groupName(key) {
    return key == null || key === '' ? '(no group)' : key;
  }

  function groupLabel(key) {
    const span = document.createElement('span');
    span.textContent = groupName(key);
    if (key == null || key === '') span.className = 'muted';
    return span;
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

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    return { response, body: await response.json() };
  }

  async function lookUp(id) {
    const token = ++lookupToken;
    const panel = $('device');
    panel.hidden = false;
    panel.replaceChildren(text('Looking up ' + id + '…', 'muted'));
    try {
      const { response, body } = await getJson('/devices/' + encodeURIComponent(id));
      if (token !== lookupToken) return;
      if (response.ok) {
        const history = document.createElement('div');
        history.id = 'device-history';
        history.append(text('Reading its history…', 'muted'));
        panel.replaceChildren(deviceCard(body, response.headers.get('X-Served-By')), history);
        showHistory(id, history, token);
      } else if (response.status === 404) {
        panel.replaceChildren(text('No device ' + id + ' has been heard of.', 'error'));
      } else {
        panel.replaceChildren(text(response.status + ': ' + body.error, 'error'));
      }
    } catch (e) {
      if (token === lookupToken) panel.replaceChildren(text('The lookup failed: ' + e.message, 'error'));
    }
  }

  async function showHistory(id, panel, token) {
    try {
      const { response, body } = await getJson('/devices/' + encodeURIComponent(id) + '/history?limit=' + HISTORY_LIMIT);
      if (token !== lookupToken) return;
      if (!response.ok) {
        panel.replaceChildren(text('No history: ' + response.status + ': ' + body.error, 'error'));
        return;
      }
      panel.replaceChildren(uptime(body), timeline(body.transitions));
    } catch (e) {
      if (token === lookupToken) panel.replaceChildren(text('The history could not be read: ' + e.message, 'error'));
    }
  }

  function uptime(history) {
    const p = document.createElement('p');
    p.id = 'device-uptime';
    p.className = 'uptime';
    const label = document.createElement('span');
    label.className = 'muted';
    label.textContent = 'Uptime ';
    p.append(label, share('24 h', history.uptime['24h']), share('7 d', history.uptime['7d']));
    if (!history.complete) {
      const note = document.createElement('span');
      note.id = 'device-uptime-incomplete';
      note.className = 'warning';
      note.textContent = 'incomplete: the kept transitions do not reach back 7 days, so this is the share of the time they cover';
      p.append(note);
    }
    return p;
  }

  function share(period, fraction) {
    const span = document.createElement('span');
    span.className = 'share';
    span.textContent = period + ': ' + (fraction * 100).toFixed(fraction === 1 || fraction === 0 ? 0 : 1) + ' %';
    return span;
  }

  // The device's transitions, newest first, as the history answers them.
  function timeline(transitions) {
    const table = document.createElement('table');
    table.className = 'timeline';
    const head = document.createElement('tr');
    for (const title of ['Changed at (UTC)', 'Transition', 'Reason', 'Seq']) {
      const th = document.createElement('th');
      th.textContent = title;
      if (title === 'Seq') th.className = 'number';
      head.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(head);
    const body = document.createElement('tbody');
    body.id = 'device-timeline';
    for (const t of transitions) {
      const tr = document.createElement('tr');
      tr.dataset.status = t.status;
      tr.append(cell(time(t.changedAt)), cell(badge(t.previousStatus), arrow(), badge(t.status)), cell(t.reason), numberCell(String(t.sequence)));
      body.append(tr);
    }
    table.append(thead, body);
    return table;
  }

  // Groups and types: read now and every few seconds, and soon after a transition (at most once a second).
  function refreshBreakdownSoon() {
    if (breakdownTimer !== null) return;
    const wait = Math.max(0, breakdownAt + BREAKDOWN_AFTER_TRANSITION_MS - Date.now());
    breakdownTimer = setTimeout(refreshBreakdown, wait);
  }

  function refreshBreakdown() {
    clearTimeout(breakdownTimer);
    breakdownAt = Date.now();
    breakdownTimer = null;
    showGroups();
    showTypes();
  }

  async function showGroups() {
    const note = $('groups-note');
    try {
      const { response, body } = await getJson('/stats?by=group&sort=offline&limit=' + GROUPS_LIMIT);
      if (!response.ok) throw new Error(response.status + ': ' + body.error);
      const rows = body.groups.map((g) => {
        const tr = countsRow(g, groupButton(g.key));
        tr.dataset.group = g.key ?? '';
        if (selectedGroup !== undefined && matchesGroup(g.key)) tr.className = 'selected';
        return tr;
      });
      $('groups').replaceChildren(...rows);
      note.hidden = rows.length > 0 && !body.partial && !body.next;
      note.textContent = rows.length === 0 ? 'No devices yet.'
        : body.partial ? 'Partial: missing ' + body.missing.join(', ')
        : 'The worst ' + GROUPS_LIMIT + ' groups; there are more.';
    } catch (e) {
      note.hidden = false;
      note.textContent = 'The groups could not be read: ' + e.message;
    }
  }

  async function showTypes() {
    const note = $('types-note');
    try {
      const { response, body } = await getJson('/stats?by=deviceType&sort=offline');
      if (!response.ok) throw new Error(response.status + ': ' + body.error);
      const most = Math.max(1, ...body.groups.map((g) => g.total));
      const rows = body.groups.map((g) => {
        const tr = countsRow(g, typeLabel(g.key), bar(g, most));
        tr.dataset.type = g.key ?? '';
        return tr;
      });
      $('types').replaceChildren(...rows);
      note.hidden = rows.length > 0 && !body.partial && !body.next;
      note.textContent = rows.length === 0 ? 'No devices yet.'
        : body.partial ? 'Partial: missing ' + body.missing.join(', ')
        : 'The worst 100 types; there are more.';
    } catch (e) {
      note.hidden = false;
      note.textContent = 'The device types could not be read: ' + e.message;
    }
  }

  function countsRow(counts, label, ...extra) {
    const tr = document.createElement('tr');
    const offline = numberCell(number.format(counts.offline));
    if (counts.offline > 0) offline.classList.add('offline');
    tr.append(cell(label), offline, numberCell(number.format(counts.online)), numberCell(number.format(counts.total)));
    if (extra.length > 0) tr.append(cell(...extra));
    return tr;
  }

  function typeLabel(key) {
    const span = document.createElement('span');
    span.textContent = key == null || key === '' ? '(no type)' : key;
    if (key == null || key === '') span.className = 'muted';
    return span;
  }

  // A bar as wide as the type's share of the largest type, its offline part in red.
  function bar(counts, most) {
    const outer = document.createElement('span');
    outer.className = 'bar';
    outer.style.width = (counts.total / most * 100).toFixed(1) + '%';
    const off = document.createElement('span');
    off.className = 'bar-offline';
    off.style.width = (counts.total > 0 ? counts.offline / counts.total * 100 : 0).toFixed(1) + '%';
    outer.append(off);
    outer.title = counts.offline + ' of ' + counts.total + ' offline';
    return outer;
  }

  function groupButton(key) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = groupName(key);
    button.title = 'Show only ' + groupName(key);
    button.addEventListener('click', () => selectGroup({ key }));
    return button;
  }

  function selectGroup(group) {
    selectedGroup = group;
    const selected = $('group-selected');
    selected.hidden = group === undefined;
    selected.textContent = group === undefined ? '' : 'Showing ' + groupName(group.key);
    $('group-clear').hidden = group === undefined;
    for (const tr of $('groups').rows) tr.className = group !== undefined && matchesGroup(tr.dataset.group) ? 'selected' : '';
    applyGroupFilter();
    showGroupDevices();
  }

  // GET /devices filters by group; devices without one cannot be asked for (an empty group means
  // any), so for them the page reads the first pages of offline devices and keeps those.
  async function showGroupDevices() {
    const panel = $('group-devices-panel');
    const group = selectedGroup;
    if (group === undefined) {
      panel.hidden = true;
      delete panel.dataset.group;
      $('group-devices').replaceChildren();
      return;
    }
    panel.hidden = false;
    $('group-devices-title').textContent = 'Offline in ' + groupName(group.key);
    const note = $('group-devices-note');
    if (panel.dataset.group !== (group.key ?? '')) { // another group: its list is not this one's
      panel.dataset.group = group.key ?? '';
      $('group-devices').replaceChildren();
      note.textContent = 'Reading…';
    }
    try {
      const found = [];
      let after = null;
      let pages = 0;
      let partial = false;
      do {
        const params = new URLSearchParams({ status: 'OFFLINE', limit: String(OFFLINE_PAGE) });
        if (group.key) params.set('group', group.key);
        if (after !== null) params.set('after', after);
        const { response, body } = await getJson('/devices?' + params);
        if (!response.ok) throw new Error(response.status + ': ' + body.error);
        found.push(...body.devices.filter((d) => (d.group ?? '') === (group.key ?? '')));
        partial = partial || Boolean(body.partial);
        after = body.next;
        pages++;
      } while (after !== null && pages < OFFLINE_PAGES);
      if (selectedGroup !== group) return;
      $('group-devices').replaceChildren(...found.map((d) => {
        const li = document.createElement('li');
        li.dataset.device = d.deviceId;
        const since = document.createElement('span');
        since.className = 'muted';
        since.textContent = ' offline since ' + time(d.since);
        li.append(deviceLink(d.deviceId), since);
        return li;
      }));
      const notes = [];
      if (found.length === 0) notes.push('None.');
      if (after !== null) notes.push('The first ' + number.format(pages * OFFLINE_PAGE) + ' offline devices only.');
      if (partial) notes.push('Some instances did not answer.');
      note.textContent = notes.join(' ');
    } catch (e) {
      if (selectedGroup === group) note.textContent = 'The offline devices could not be read: ' + e.message;
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
      ['Group', device.group || '–'],
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

  $('group-clear').addEventListener('click', () => selectGroup(undefined));

  connect();
  refreshBreakdown();
  setInterval(() => {
    refreshBreakdown();
    if (selectedGroup !== undefined) showGroupDevices();
  }, BREAKDOWN_EVERY_MS);
})();
