// map.js draws the incidents matching the page's filters on an offline
// basemap: country outlines from world-atlas, points clustered by MapLibre,
// coloured by type and sized by the killed figure. It records its state in
// data attributes of #map (data-state, data-features, data-rendered) so that
// tests and assistive scripts can read what is shown.
import * as maplibregl from './vendor/maplibre-gl-6.17.0/maplibre-gl.mjs';
import './vendor/topojson-client-3.1.0/topojson-client.min.js';

const el = document.getElementById('map');
if (el) {
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

async function start(el) {
  for (const sw of document.querySelectorAll('.swatch[data-colour]')) sw.style.background = sw.dataset.colour;
  el.dataset.state = 'loading';
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dce8f2' } }] },
    center: [-95, 20],
    zoom: 2.6,
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.AttributionControl({ customAttribution: 'Natural Earth · GeoNames (CC-BY-4.0)' }));
  const [topo, points] = await Promise.all([getJSON(el.dataset.basemap), getJSON(el.dataset.src)]);
  await loaded(map);
  const countries = globalThis.topojson.feature(topo, topo.objects.countries);
  map.addSource('countries', { type: 'geojson', data: countries });
  map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f6f3ec' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#8f8f8f', 'line-width': 0.6 } });
  map.addSource('incidents', {
    type: 'geojson', data: points, cluster: true, clusterRadius: 40, clusterMaxZoom: 10,
    clusterProperties: { killed: ['+', ['get', 'killed']] },
  });
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

  map.on('click', 'clusters', async (e) => {
    const f = e.features[0];
    const zoom = await map.getSource('incidents').getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom });
  });
  map.on('click', 'points', (e) => {
    const f = e.features[0];
    const a = document.createElement('a');
    a.href = '/incidents/' + Number(f.properties.id);
    a.textContent = '#' + Number(f.properties.id) + ' ' + String(f.properties.type).replaceAll('_', ' ') +
      (f.properties.date ? ', ' + f.properties.date : '');
    new maplibregl.Popup({ closeButton: true }).setLngLat(f.geometry.coordinates).setDOMContent(a).addTo(map);
  });
  for (const layer of ['clusters', 'points']) {
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
  }

  if (points.features.length > 0) {
    const b = new maplibregl.LngLatBounds();
    for (const f of points.features) b.extend(f.geometry.coordinates);
    map.fitBounds(b, { padding: 40, maxZoom: 7, duration: 0 });
  }
  el.dataset.features = String(points.features.length);
  el.dataset.unplaced = String(points.unplaced);
  const note = document.getElementById('map-note');
  if (note) note.textContent = points.unplaced > 0 ? points.unplaced + ' ' + el.dataset.unplacedText : '';
  map.once('idle', () => {
    el.dataset.rendered = String(map.queryRenderedFeatures({ layers: ['points', 'clusters'] }).length);
    el.dataset.state = 'ready';
  });
}
