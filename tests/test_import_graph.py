"""The project's packages import each other in one direction (README.md, "Where things are").

Every import statement of the top-level packages (migrations left out) is read with `ast`,
function-level imports included, and so are `apps.get_model("<app>", …)` calls with a literal
app label, the way round an import.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PACKAGES = {"tests", "bench"}
CONFIGURATION = "khv_strategy"  # settings, root URLs, the API router: may import every app
# The dashboards sum up every domain (indicators, measures and reports, agreements) and the
# annual report: the one feature app that imports all the others; only the configuration
# imports it.
SUMMARY = "dashboards"
BASE = "core"
DEMO = "demo"  # demo and generated data: may import the feature apps; nothing imports it
# The portal's search looks through the records of the feature apps it imports; nothing
# imports it (the root URLs include "search.urls" by name).
SEARCH = "search"


def packages():
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_PACKAGES
    )


def imported(tree):
    """(line, module) of each module the tree imports or reaches by apps.get_model."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:  # the name may be a module: from khv_strategy import datagen
                yield node.lineno, f"{node.module}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def package_of(module):
    return module.split(".")[0]


def import_graph():
    """{(importer, imported): ["file:line", ...]} between the project's packages."""
    names = set(packages()) | {DEMO}
    paths = [path for name in packages() for path in sorted((ROOT / name).rglob("*.py"))]
    graph = {}
    for path in paths:
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        package = relative.parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported(tree):
            name = package_of(module)
            if name in names and name != package:
                graph.setdefault((package, name), []).append(f"{relative}:{line}")
    return graph


def drawn(graph):
    lines = ["", "import graph (importer -> imported: where):"]
    for (source, target), places in sorted(graph.items()):
        lines.append(f"  {source} -> {target}: {', '.join(places)}")
    return "\n".join(lines)


def test_the_graph_is_read():
    names = packages()
    assert {BASE, CONFIGURATION, "accounts", "activities", "dashboards"} <= set(names), names
    graph = import_graph()
    assert (CONFIGURATION, "activities") in graph, drawn(graph)  # the router
    assert ("activities", BASE) in graph, drawn(graph)


def test_the_base_imports_no_other_package():
    graph = import_graph()
    assert [edge for edge in graph if edge[0] == BASE] == [], drawn(graph)


def test_no_two_packages_import_each_other():
    graph = import_graph()
    both_ways = sorted(
        (source, target)
        for source, target in graph
        if source < target and (target, source) in graph
    )
    assert both_ways == [], drawn(graph)


def test_only_the_configuration_imports_it_and_nothing_imports_the_demo():
    graph = import_graph()
    wrong = sorted(
        edge
        for edge in graph
        if (edge[1] == CONFIGURATION and edge[0] != CONFIGURATION) or edge[1] == DEMO
    )
    assert wrong == [], drawn(graph)


def test_only_the_configuration_the_demo_and_the_dashboards_import_every_feature_app():
    names = set(packages()) | {DEMO}
    feature_apps = names - {BASE, CONFIGURATION, DEMO}
    graph = import_graph()
    importers_of_all = sorted(
        package
        for package in names - {CONFIGURATION, DEMO, SUMMARY}
        if feature_apps - {package} <= {target for source, target in graph if source == package}
    )
    assert importers_of_all == [], drawn(graph)


def test_only_the_configuration_and_the_demo_import_the_dashboards():
    """The demo publishes its years (dashboards.PublishedReport) as it loads every app's data."""
    graph = import_graph()
    importers = sorted(source for source, target in graph if target == SUMMARY)
    assert set(importers) <= {CONFIGURATION, DEMO} and CONFIGURATION in importers, drawn(graph)


def test_only_the_configuration_the_dashboards_and_the_demo_import_the_notifications():
    """The workflow tells the notifications through a signal (core.workflow.item_transitioned):
    the items' apps never import them."""
    graph = import_graph()
    importers = {source for source, target in graph if target == "notifications"}
    assert SUMMARY in importers, drawn(graph)  # the graph is read: the overdue panels
    assert importers <= {CONFIGURATION, SUMMARY, DEMO}, drawn(graph)


def test_nothing_imports_the_search():
    graph = import_graph()
    assert (SEARCH, "partners") in graph, drawn(graph)
    importers = sorted(source for source, target in graph if target == SEARCH)
    assert importers == [], drawn(graph)
