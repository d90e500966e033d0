// The inspector page: lists the machines, redraws a chart when its SVG changes, refreshes on every server-sent
// "changed" event (and every few seconds, should the stream drop). Text from the node is set with textContent;
// the only HTML inserted is the chart's SVG, which the server builds with every name and label escaped.
(() => {
  'use strict';
  const query = '?token=' + encodeURIComponent(new URLSearchParams(location.search).get('token') || '');
  const main = document.getElementById('machines');
  const status = document.getElementById('status');
  const cards = new Map();
  let busy = false;
  let again = false;

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function createCard(machine) {
    const root = element('section', 'machine');
    root.dataset.machine = machine.id;
    root.dataset.node = machine.node;
    const title = element('h2');
    const phase = element('span', 'phase');
    title.append(element('span', 'id', machine.id), element('span', 'node', 'node ' + machine.node), phase);
    const chart = element('div', 'chart');
    const aside = element('aside');
    const active = element('ul', 'active');
    const context = element('pre', 'context');
    const events = element('ol', 'events');
    aside.append(element('h3', null, 'Active states'), active, element('h3', null, 'Context'), context,
      element('h3', null, 'Last events (newest first)'), events);
    const body = element('div', 'body');
    body.append(chart, aside);
    root.append(title, body);
    return { root, phase, chart, active, context, events, svg: null };
  }

  function update(card, machine) {
    if (card.svg !== machine.svg) {
      card.chart.innerHTML = machine.svg;
      card.svg = machine.svg;
      // Scaled to fit its column (CSS max-width), but kept readable: at least half its drawn width, then it scrolls.
      const drawing = card.chart.querySelector('svg');
      if (drawing && drawing.width.baseVal.value > 0) drawing.style.minWidth = Math.round(drawing.width.baseVal.value / 2) + 'px';
    }
    card.phase.textContent = machine.isDone ? 'done' : 'running';
    card.phase.classList.toggle('done', machine.isDone);
    card.active.replaceChildren(...machine.activeStates.map(s => element('li', null, s)));
    card.context.textContent = JSON.stringify(machine.context, null, 2);
    card.events.replaceChildren(...machine.lastEvents.slice().reverse().map(e => {
      const li = element('li');
      li.append(element('span', 'time', new Date(e.at).toLocaleTimeString() + ' '), element('span', 'name', e.name),
        document.createTextNode(' → ' + e.activeStates.join(', ')));
      return li;
    }));
  }

  function render(machines) {
    const seen = new Set();
    for (const machine of machines) {
      const key = machine.node + '/' + machine.id;
      seen.add(key);
      let card = cards.get(key);
      if (!card) {
        card = createCard(machine);
        cards.set(key, card);
        main.appendChild(card.root);
      }
      update(card, machine);
    }
    for (const [key, card] of cards) {
      if (!seen.has(key)) {
        card.root.remove();
        cards.delete(key);
      }
    }
    main.classList.toggle('empty', machines.length === 0);
  }

  function renderTransports(transports) {
    if (!transports) return;
    document.getElementById('listening').textContent = transports.listening.length
      ? 'listening at ' + transports.listening.join(', ')
      : 'no same-host transport listens';
    document.getElementById('peers').replaceChildren(...transports.peers.map(p => {
      const li = element('li', p.alive ? 'peer alive' : 'peer gone',
        p.address + ': ' + (p.alive ? 'alive' + (p.processId ? ' (process ' + p.processId + ')' : '') : 'gone: ' + p.goneReason));
      li.dataset.peer = p.address;
      return li;
    }));
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch('api/machines' + query, { cache: 'no-store' });
      if (!response.ok) throw new Error((await response.text()).trim() || 'HTTP ' + response.status);
      const data = await response.json();
      render(data.machines);
      renderTransports(data.transports);
      status.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      status.textContent = 'not connected: ' + error.message;
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  const changes = new EventSource('api/changes' + query);
  changes.addEventListener('changed', refresh);
  changes.onopen = refresh;
  changes.onerror = () => { status.textContent = 'reconnecting…'; };
  setInterval(refresh, 5000);
  refresh();
})();
