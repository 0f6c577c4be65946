// The partner map (partners/map.py): draws the world outline served by this site and a marker
// per city, each a link to the city's page. The data comes from the page's JSON script
// element; nothing is fetched from another host.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 960;
  var HEIGHT = 500;

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    if (parent) parent.appendChild(node);
    return node;
  }

  function titled(node, text) {
    element("title", {}, node).textContent = text;
    return node;
  }

  function marker(svg, projection, place, className) {
    var point = projection([place.longitude, place.latitude]);
    var group = element("g", { class: className }, svg);
    element("circle", { cx: point[0], cy: point[1], r: 5 }, group);
    element("text", { x: point[0] + 7, y: point[1] + 4 }, group).textContent = place.name;
    return group;
  }

  function draw(container, data, world) {
    // Centred on the Pacific: Khabarovsk's partners lie in East Asia and North America.
    var projection = d3.geoNaturalEarth1().rotate([-data.home.longitude - 15, 0]);
    projection.fitSize([WIDTH, HEIGHT], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var svg = element("svg", {
      viewBox: "0 0 " + WIDTH + " " + HEIGHT,
      class: "partner-map-svg",
      // A group, not an image: its cities are links a keyboard reaches (axe's
      // nested-interactive: an image's children are not announced).
      role: "group",
      "aria-label": container.getAttribute("data-label") || "",
    });
    element("path", { d: path({ type: "Sphere" }), class: "map-sea" }, svg);
    var countries = topojson.feature(world, world.objects.countries);
    element("path", { d: path(countries), class: "map-land" }, svg);
    var borders = topojson.mesh(world, world.objects.countries, function (a, b) {
      return a !== b;
    });
    element("path", { d: path(borders), class: "map-borders" }, svg);
    titled(marker(svg, projection, data.home, "map-home"), data.home.name);
    data.cities.forEach(function (city) {
      var link = element("a", { href: city.url, class: "map-city-link" }, svg);
      var group = marker(link, projection, city, city.sister ? "map-city map-sister" : "map-city");
      titled(group, city.name + ": " + city.summary);
    });
    container.replaceChildren(svg);
  }

  function fail(container) {
    container.querySelector("#partner-map-loading").textContent =
      container.getAttribute("data-error") || "";
  }

  var container = document.getElementById("partner-map");
  var source = document.getElementById("partner-map-data");
  if (!container || !source) return;
  var data = JSON.parse(source.textContent);
  fetch(data.world, { credentials: "same-origin" })
    .then(function (answer) {
      if (!answer.ok) throw new Error(answer.status);
      return answer.json();
    })
    .then(function (world) {
      draw(container, data, world);
    })
    .catch(function () {
      fail(container);
    });
})();
