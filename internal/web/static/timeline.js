// timeline.js draws the weekly timeline of the incidents matching the
// page's filters with uPlot: incidents stacked by type on the left axis,
// the killed figures' lower and upper sums as a band on the right one.
// Selecting a stretch of weeks filters the page to those dates. It records
// its state in data attributes of #timeline (data-state, data-weeks).
const el = document.getElementById('timeline');
if (el) {
  start(el).catch((err) => {
    el.dataset.state = 'error';
    el.textContent = String(err && err.message ? err.message : err);
  });
}

const fallbackColours = ['#b2182b', '#d6604d', '#762a83', '#e08214', '#8c510a', '#35978f', '#878787'];

function typeColours() {
  const out = {};
  const spec = document.getElementById('map')?.dataset.colours || '';
  for (const pair of spec.split(';')) {
    const [type, colour] = pair.split('=');
    if (type && colour) out[type] = colour;
  }
  return out;
}

const monthNames = {
  es: { MMMM: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    MMM: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
    WWWW: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    WWW: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'] },
};

function iso(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

async function start(el) {
  el.dataset.state = 'loading';
  const resp = await fetch(el.dataset.src, { headers: { Accept: 'application/json' } });
  const d = await resp.json();
  if (!resp.ok) throw new Error(d.error || resp.statusText);
  el.dataset.weeks = String(d.weeks.length);
  if (d.weeks.length === 0) {
    el.dataset.state = 'empty';
    el.textContent = '—';
    return;
  }
  // Draw when the page is idle: the map, above, draws first.
  await new Promise((resolve) => (globalThis.requestIdleCallback ? requestIdleCallback(resolve, { timeout: 1500 }) : setTimeout(resolve, 0)));
  const uPlot = globalThis.uPlot;
  const colours = typeColours();
  const n = d.weeks.length;
  const data = [d.weeks];
  const series = [{}];
  // Stacked areas: cumulative sums, drawn top of the stack first so that
  // each lower one covers the rest of the one above.
  const cum = [];
  let acc = new Array(n).fill(0);
  d.types.forEach((t, i) => {
    acc = acc.map((v, j) => v + d.counts[i][j]);
    cum.push(acc.slice());
  });
  for (let i = d.types.length - 1; i >= 0; i--) {
    const t = d.types[i];
    const colour = colours[t] || fallbackColours[i % fallbackColours.length];
    const counts = d.counts[i];
    data.push(cum[i]);
    series.push({
      label: d.labels[t] || t, scale: 'n', stroke: colour, fill: colour + 'aa', width: 1,
      value: (u, v, si, idx) => (idx == null ? '' : String(counts[idx])),
    });
  }
  data.push(d.killed_max, d.killed_min);
  const maxIdx = series.length;
  series.push({ label: el.dataset.labelMax, scale: 'k', stroke: '#222', width: 1.5, dash: [4, 3] });
  series.push({ label: el.dataset.labelMin, scale: 'k', stroke: '#222', width: 1.5 });
  const lang = document.documentElement.lang;
  const opts = {
    width: Math.max(320, el.clientWidth || 800),
    height: 260,
    series,
    bands: [{ series: [maxIdx, maxIdx + 1], fill: 'rgba(0,0,0,0.12)' }],
    scales: { x: { time: true }, n: { range: (u, min, max) => [0, Math.max(1, max)] }, k: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      {},
      { scale: 'n', label: el.dataset.labelIncidents },
      { scale: 'k', side: 1, grid: { show: false }, label: el.dataset.labelMax.replace(/\s*\(.*\)/, '') },
    ],
    cursor: { drag: { x: true, y: false, setScale: false } },
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 2) return;
        const from = u.posToVal(u.select.left, 'x');
        const to = u.posToVal(u.select.left + u.select.width, 'x');
        const q = new URLSearchParams(window.location.search);
        q.set('since', iso(from));
        q.set('until', iso(to + 6 * 86400));
        q.delete('cursor');
        window.location.search = q.toString();
      }],
    },
  };
  if (monthNames[lang]) opts.fmtDate = (tpl) => uPlot.fmtDate(tpl, monthNames[lang]);
  el.textContent = '';
  const plot = new uPlot(opts, data, el);
  el.dataset.series = String(plot.series.length - 1);
  el.dataset.state = 'ready';
}
