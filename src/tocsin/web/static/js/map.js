/* Tocsin's map: country boundaries drawn offline from world-atlas (TopoJSON, converted
   here with topojson-client), risk levels as a choropleth by country and circles for
   regions and towns, the organisation's assets (routes with their buffer), and the
   events clustered and coloured by type. Everything comes from the JSON API; the URLs,
   colours and strings come from the page, in #map's data-config attribute.

   Text from the data (place names, locations, summaries) is written with textContent,
   never as HTML. #map-count gets the number of events drawn; #map's data-state goes
   from "loading" to "ready" (or "error") once every layer has been fetched. */
(function () {
  "use strict";

  const el = document.getElementById("map");
  if (!el || typeof L === "undefined") {
    return;
  }
  const config = JSON.parse(el.getAttribute("data-config") || "{}");
  const labels = config.labels || {};
  const urls = config.urls || {};

  // ---------------------------------------------------------------- helpers

  function node(tag, className, text) {
    const made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined && text !== null) {
      made.textContent = String(text);
    }
    return made;
  }

  const colon = document.documentElement.lang === "fr" ? " : " : ": ";

  function addLine(parent, label, value) {
    const line = node("div", "popup-line");
    line.appendChild(node("span", "popup-label", label + colon));
    line.appendChild(node("span", "popup-value", value));
    parent.appendChild(line);
  }

  function addLink(parent, href, text) {
    const link = node("a", "popup-link", text);
    link.setAttribute("href", href);
    parent.appendChild(link);
  }

  function getJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (answer) {
      if (!answer.ok) {
        throw new Error(url + ": HTTP " + answer.status);
      }
      return answer.json();
    });
  }

  function typeColour(kind) {
    return (config.typeColours || {})[kind] || config.otherColour || "#6c7a89";
  }

  function levelColour(level) {
    return (config.levelColours || {})[String(level)] || "#cccccc";
  }

  function typeName(kind) {
    return (labels.types || {})[kind] || kind;
  }

  function levelText(level) {
    const name = (labels.levels || {})[String(level)];
    return name ? level + " (" + name + ")" : String(level);
  }

  function show(id, text) {
    const target = document.getElementById(id);
    if (target) {
      if (text !== undefined) {
        target.textContent = text;
      }
      target.hidden = false;
    }
  }

  // A ring crossing the antimeridian (a jump of more than 180 degrees of longitude
  // between two vertices) is moved east so that it is not drawn across the world.
  function unwrapRing(ring) {
    let crosses = false;
    for (let i = 1; i < ring.length; i += 1) {
      if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) {
        crosses = true;
        break;
      }
    }
    if (!crosses) {
      return ring;
    }
    return ring.map(function (point) {
      return point[0] < 0 ? [point[0] + 360, point[1]] : point;
    });
  }

  function unwrapGeometry(geometry) {
    if (!geometry) {
      return geometry;
    }
    if (geometry.type === "Polygon") {
      return { type: "Polygon", coordinates: geometry.coordinates.map(unwrapRing) };
    }
    if (geometry.type === "MultiPolygon") {
      return {
        type: "MultiPolygon",
        coordinates: geometry.coordinates.map(function (polygon) {
          return polygon.map(unwrapRing);
        }),
      };
    }
    return geometry;
  }

  // ---------------------------------------------------------------- the map

  const map = L.map(el, { worldCopyJump: true, minZoom: 2, maxZoom: 13, zoomSnap: 0.5 });
  map.setView([14, -6], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Leaflet · Natural Earth (world-atlas)");

  const panes = [
    ["countries", 200],
    ["riskCountries", 250],
    ["assets", 410],
    ["riskPlaces", 420],
    ["events", 450],
  ];
  panes.forEach(function (pane) {
    map.createPane(pane[0]).style.zIndex = String(pane[1]);
  });

  // Clusters in a neutral colour (the default green, yellow and orange would read as
  // event types); the count is written with textContent.
  function clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
    const inner = node("div", "event-cluster-inner");
    inner.appendChild(node("span", null, count));
    return L.divIcon({
      html: inner,
      className: "marker-cluster event-cluster",
      iconSize: L.point(size, size),
    });
  }

  const eventsLayer = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    chunkedLoading: true,
    clusterPane: "markerPane",
    iconCreateFunction: clusterIcon,
  });
  const riskCountriesLayer = L.featureGroup();
  const riskPlacesLayer = L.featureGroup();
  const assetsLayer = L.featureGroup();
  [riskCountriesLayer, riskPlacesLayer, assetsLayer, eventsLayer].forEach(function (layer) {
    layer.addTo(map);
  });
  const overlays = {};
  overlays[labels.events || "Events"] = eventsLayer;
  overlays[labels.riskCountries || "Risk by country"] = riskCountriesLayer;
  overlays[labels.riskPlaces || "Risk by region and town"] = riskPlacesLayer;
  overlays[labels.assets || "Assets"] = assetsLayer;
  L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);

  // ---------------------------------------------------------------- popups

  function eventPopup(props) {
    const box = node("div", "map-popup event-popup");
    const title = typeName(props.event_type) + (props.sub_event_type ? " — " + props.sub_event_type : "");
    box.appendChild(node("strong", "popup-title", title));
    const where = [props.event_date, props.location, props.country].filter(Boolean).join(" · ");
    if (where) {
      box.appendChild(node("div", "popup-where", where));
    }
    if (props.fatalities !== null && props.fatalities !== undefined) {
      addLine(box, labels.fatalities || "Fatalities", props.fatalities);
    }
    addLine(box, labels.status || "Status", (labels.statuses || {})[props.status] || props.status);
    addLink(box, "/events/" + encodeURIComponent(props.id), labels.openEvent || "Open");
    return box;
  }

  function riskPopup(props) {
    const box = node("div", "map-popup risk-popup");
    box.appendChild(node("strong", "popup-title", props.name || props.country || ""));
    const categories = props.categories || {};
    Object.keys(categories).forEach(function (category) {
      addLine(box, (labels.categories || {})[category] || category, levelText(categories[category]));
    });
    addLink(box, "/risk?area=" + encodeURIComponent(props.country && props.scope === "country" ? props.country : props.name || ""), labels.openRisk || "Risk");
    return box;
  }

  function assetPopup(props) {
    const box = node("div", "map-popup asset-popup");
    box.appendChild(node("strong", "popup-title", props.name || props.id));
    box.appendChild(node("div", "popup-where", (labels.kinds || {})[props.kind] || props.kind));
    if (props.radius_km > 0) {
      const label = props.geometry === "point" ? labels.radius : labels.buffer;
      addLine(box, label || "Radius", props.radius_km + " km");
    }
    return box;
  }

  // ---------------------------------------------------------------- layers

  function drawEvents(data) {
    const markers = [];
    (data.features || []).forEach(function (feature) {
      const coords = feature.geometry && feature.geometry.coordinates;
      if (!coords) {
        return;
      }
      const props = Object.assign({ id: feature.id }, feature.properties || {});
      const marker = L.circleMarker([coords[1], coords[0]], {
        pane: "events",
        radius: 7,
        weight: 1.5,
        color: "#ffffff",
        fillColor: typeColour(props.event_type),
        fillOpacity: 0.95,
        className: "event-marker",
      });
      marker.bindPopup(function () {
        return eventPopup(props);
      });
      markers.push(marker);
    });
    eventsLayer.addLayers(markers);
    const count = document.getElementById("map-count");
    if (count) {
      count.textContent = String(markers.length);
      count.setAttribute("data-count", String(markers.length));
      count.setAttribute("data-state", "ready");
    }
    if (typeof data.total === "number" && data.total > markers.length) {
      show("map-total", (labels.total || "of {total}").replace("{total}", String(data.total)));
    }
    if (data.truncated) {
      show("map-truncated");
    }
    return markers.length;
  }

  function drawCountries(topology, risk) {
    const world = topojson.feature(topology, topology.objects.countries);
    const shapes = world.features.map(function (feature) {
      return { type: "Feature", id: feature.id, properties: feature.properties, geometry: unwrapGeometry(feature.geometry) };
    });
    L.geoJSON({ type: "FeatureCollection", features: shapes }, {
      pane: "countries",
      interactive: false,
      style: { color: "#8d9499", weight: 0.7, fillColor: "#f4f2ec", fillOpacity: 1 },
    }).addTo(map);
    const byNumeric = {};
    ((risk && risk.items) || []).forEach(function (item) {
      if (item.numeric) {
        byNumeric[item.numeric] = item;
      }
    });
    const rated = shapes.filter(function (feature) {
      return byNumeric[feature.id] !== undefined;
    });
    L.geoJSON({ type: "FeatureCollection", features: rated }, {
      pane: "riskCountries",
      style: function (feature) {
        return {
          color: "#6e4b3a",
          weight: 1.2,
          fillColor: levelColour(byNumeric[feature.id].level),
          fillOpacity: 0.55,
          className: "risk-country",
        };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () {
          return riskPopup(byNumeric[feature.id]);
        });
      },
    }).addTo(riskCountriesLayer);
  }

  function drawPlaces(data) {
    L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        const props = feature.properties || {};
        return L.circleMarker(latlng, {
          pane: "riskPlaces",
          radius: props.scope === "admin1" ? 14 : 9,
          color: "#4a1f10",
          weight: 2,
          dashArray: props.scope === "admin1" ? "5 3" : null,
          fillColor: levelColour(props.level),
          fillOpacity: 0.9,
          className: "risk-place risk-" + (props.scope === "admin1" ? "admin1" : "town"),
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () {
          return riskPopup(feature.properties || {});
        });
      },
    }).addTo(riskPlacesLayer);
  }

  function drawAssets(data) {
    (data.features || []).forEach(function (feature) {
      const props = feature.properties || {};
      const geometry = feature.geometry || {};
      let layer;
      if (props.role === "buffer") {
        layer = L.geoJSON(feature, {
          pane: "assets",
          style: { color: "#2e86c1", weight: 1, dashArray: "4 3", fillColor: "#5dade2", fillOpacity: 0.28, className: "asset-buffer" },
        });
      } else if (geometry.type === "Point") {
        const latlng = [geometry.coordinates[1], geometry.coordinates[0]];
        const parts = [];
        if (props.radius_km > 0) {
          parts.push(L.circle(latlng, {
            pane: "assets",
            radius: props.radius_km * 1000,
            color: "#1b4f72",
            weight: 1,
            fillColor: "#5dade2",
            fillOpacity: 0.25,
            className: "asset-radius",
          }));
        }
        parts.push(L.circleMarker(latlng, {
          pane: "assets",
          radius: 5,
          color: "#ffffff",
          weight: 1.5,
          fillColor: "#1b4f72",
          fillOpacity: 1,
          className: "asset-marker",
        }));
        layer = L.featureGroup(parts);
      } else {
        const line = geometry.type === "LineString";
        layer = L.geoJSON(feature, {
          pane: "assets",
          style: line
            ? { color: "#1b4f72", weight: 3, className: "asset-route" }
            : { color: "#1b4f72", weight: 2, fillColor: "#2e86c1", fillOpacity: 0.35, className: "asset-polygon" },
        });
      }
      layer.bindPopup(function () {
        return assetPopup(props);
      });
      layer.addTo(assetsLayer);
    });
  }

  function fitView() {
    const bounds = eventsLayer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { maxZoom: 7, padding: [24, 24] });
      return;
    }
    const others = L.latLngBounds([]);
    [riskPlacesLayer, assetsLayer, riskCountriesLayer].forEach(function (layer) {
      const found = layer.getBounds();
      if (found.isValid()) {
        others.extend(found);
      }
    });
    if (others.isValid()) {
      map.fitBounds(others, { maxZoom: 6, padding: [24, 24] });
    }
  }

  // ---------------------------------------------------------------- load

  const jobs = [
    Promise.all([getJSON(urls.topology), getJSON(urls.countries)]).then(function (both) {
      drawCountries(both[0], both[1]);
    }),
    getJSON(urls.places).then(drawPlaces),
    getJSON(urls.assets).then(drawAssets),
    getJSON(urls.events).then(drawEvents),
  ];
  Promise.allSettled(jobs).then(function (results) {
    const failed = results.filter(function (result) {
      return result.status === "rejected";
    });
    fitView();
    if (failed.length) {
      failed.forEach(function (result) {
        console.error("map:", result.reason);
      });
      show("map-error");
      el.setAttribute("data-state", "error");
    } else {
      el.setAttribute("data-state", "ready");
    }
  });
})();
