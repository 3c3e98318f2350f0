// map.js draws the incidents matching the page's filters on an offline
// basemap: country outlines from world-atlas, points clustered by the
// server for the current zoom and view, coloured by type and sized by the
// killed figure. It records its state in
// data attributes of #map (data-state, data-features, data-rendered) so that
// tests and assistive scripts can read what is shown.
import * as maplibregl from './vendor/maplibre-gl-6.17.0/maplibre-gl.mjs';
import './vendor/topojson-client-3.1.0/topojson-client.min.js';

const el = document.getElementById('map');
if (el) {
  // Start the map's web worker now, so that it loads its script while the
  // page fetches the basemap and the points, not after.
  maplibregl.prewarm();
  start(el).catch((err) => {
    el.dataset.state = 'error';
    el.dataset.error = String(err && err.message ? err.message : err);
    const note = document.getElementById('map-note');
    if (note) note.textContent += ' (' + el.dataset.error + ')';
  });
}

function colourExpression(spec, fallback) {
  const expr = ['match', ['get', 'type']];
  for (const pair of spec.split(';')) {
    const [type, colour] = pair.split('=');
    if (type && colour) expr.push(type, colour);
  }
  expr.push(fallback);
  return expr;
}

async function getJSON(url) {
  const resp = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error || resp.statusText);
  return body;
}

function loaded(map) {
  return new Promise((resolve) => (map.loaded() ? resolve() : map.once('load', resolve)));
}

// dataURL is the page's data route for the current view of the map: the
// server clusters the points for this zoom and sends only what is in view.
function dataURL(el, map) {
  const u = new URL(el.dataset.src, window.location.href);
  u.searchParams.set('z', String(Math.max(0, Math.floor(map.getZoom()))));
  const b = map.getBounds();
  u.searchParams.set('bbox', [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(4)).join(','));
  return u.pathname + u.search;
}

async function start(el) {
  for (const sw of document.querySelectorAll('.swatch[data-colour]')) sw.style.background = sw.dataset.colour;
  el.dataset.state = 'loading';
  el.dataset.features = el.dataset.placed || '0';
  const unplaced = Number(el.dataset.unplaced || 0);
  const note = document.getElementById('map-note');
  if (note) note.textContent = unplaced > 0 ? unplaced + ' ' + el.dataset.unplacedText : '';
  // The page gives the bounds of the matching incidents, so the map opens
  // on them and asks for its points once.
  const opts = {
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dce8f2' } }] },
    attributionControl: false,
    // Cluster counts appear at once rather than fading in over 300 ms.
    fadeDuration: 0,
  };
  const b = (el.dataset.bounds || '').split(',').map(Number);
  if (b.length === 4 && b.every(Number.isFinite)) {
    opts.bounds = [[b[0], b[1]], [b[2], b[3]]];
    opts.fitBoundsOptions = { padding: 40, maxZoom: 7 };
  } else {
    opts.center = [-95, 20];
    opts.zoom = 2.6;
  }
  const map = new maplibregl.Map(opts);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.AttributionControl({ customAttribution: 'Natural Earth · GeoNames (CC-BY-4.0)' }));
  const [topo, points] = await Promise.all([getJSON(el.dataset.basemap), getJSON(dataURL(el, map))]);
  el.dataset.msFetched = String(Math.round(performance.now()));
  await loaded(map);
  el.dataset.msLoaded = String(Math.round(performance.now()));
  const countries = globalThis.topojson.feature(topo, topo.objects.countries);
  map.addSource('countries', { type: 'geojson', data: countries });
  map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f6f3ec' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#8f8f8f', 'line-width': 0.6 } });
  map.addSource('incidents', { type: 'geojson', data: points });
  map.addLayer({
    id: 'clusters', type: 'circle', source: 'incidents', filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#4d4d4d', 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
      'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 12, 100, 20, 10000, 34],
    },
  });
  map.addLayer({
    id: 'cluster-count', type: 'symbol', source: 'incidents', filter: ['has', 'point_count'],
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['sans-serif'], 'text-size': 12 },
    paint: { 'text-color': '#fff' },
  });
  map.addLayer({
    id: 'points', type: 'circle', source: 'incidents', filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': colourExpression(el.dataset.colours || '', el.dataset.defaultColour || '#2166ac'),
      'circle-radius': ['interpolate', ['linear'], ['get', 'killed'], 0, 5, 10, 9, 50, 14, 500, 22],
      'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
    },
  });
  el.dataset.shown = String(points.features.length);

  map.on('click', 'clusters', (e) => {
    const f = e.features[0];
    map.easeTo({ center: f.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, 14) });
  });
  map.on('click', 'points', (e) => {
    const f = e.features[0];
    const a = document.createElement('a');
    a.href = '/incidents/' + Number(f.properties.id);
    a.textContent = '#' + Number(f.properties.id) + ' ' + String(f.properties.type).replaceAll('_', ' ');
    new maplibregl.Popup({ closeButton: true }).setLngLat(f.geometry.coordinates).setDOMContent(a).addTo(map);
  });
  for (const layer of ['clusters', 'points']) {
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
  }

  // The map first draws the coarse outlines (110m, 108 KB), then swaps in
  // the detailed ones (50m, 756 KB) once it is interactive.
  const upgradeBasemap = () => {
    if (!el.dataset.basemapDetail) return;
    getJSON(el.dataset.basemapDetail).then((t) => {
      map.getSource('countries').setData(globalThis.topojson.feature(t, t.objects.countries));
      el.dataset.basemap = el.dataset.basemapDetail;
    }).catch(() => {});
  };
  map.once('idle', () => {
    el.dataset.rendered = String(map.queryRenderedFeatures({ layers: ['points', 'clusters'] }).length);
    el.dataset.msReady = String(Math.round(performance.now()));
    el.dataset.state = 'ready';
    upgradeBasemap();
  });

  // Every later move asks the server for the points of the new view; only
  // the newest answer is drawn.
  let latest = 0;
  map.on('moveend', async () => {
    const n = ++latest;
    try {
      const data = await getJSON(dataURL(el, map));
      if (n !== latest) return;
      map.getSource('incidents').setData(data);
      el.dataset.shown = String(data.features.length);
    } catch (err) {
      fail(err);
    }
  });
}

function fail(err) {
  el.dataset.state = 'error';
  el.dataset.error = String(err && err.message ? err.message : err);
}
