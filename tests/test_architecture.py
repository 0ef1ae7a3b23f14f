"""The house's shape: stage packages that depend only on earlier stages, no import cycles (at module level
or inside functions), no private names imported across modules, data inside the package, and a wheel that
maps an article outside the checkout exactly as the checkout does."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "geo"
# geo.core → geo.places → geo.story → geo.render → entry points (geo.cli, geo.batch, …, app.py).
STAGES = ("geo.core", "geo.places", "geo.story", "geo.render")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Module → the geo modules it imports anywhere in its body (functions included), with the names taken."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, path in modules.items():
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "geo" and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.append((sub, ()) if sub in modules else (node.module, (alias.name,)))
            elif isinstance(node, ast.Import):
                found += [(a.name, ()) for a in node.names if a.name.split(".")[0] == "geo"]
        graph[name] = found
    return graph


def _stage(module: str) -> int:
    for k, prefix in enumerate(STAGES):
        if module == prefix or module.startswith(prefix + "."):
            return k
    return len(STAGES)  # entry points and the package root


def test_stage_packages_exist_and_each_imports_only_earlier_or_same_stages() -> None:
    graph = _imports()
    assert {m.rsplit(".", 1)[0] for m in graph if m.count(".") == 2} >= set(STAGES)
    wrong = [
        (m, dep)
        for m, deps in graph.items()
        for dep, _ in deps
        if dep != "geo" and _stage(dep) > _stage(m)
    ]
    assert not wrong, f"imports of a later stage: {wrong}"


def test_no_import_cycles_even_inside_functions() -> None:
    graph = {m: sorted({d for d, _ in deps if d in _imports()}) for m, deps in _imports().items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in graph.get(m, ()):
            if state.get(d) == 1:
                cycles.append(path[path.index(d):] + [d])
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])
    assert not cycles, f"import cycles: {cycles}"


def test_no_private_name_is_imported_across_modules() -> None:
    private = [(m, dep, n) for m, deps in _imports().items() for dep, names in deps for n in names if n.startswith("_") and n != "__version__"]
    assert not private, f"private names imported from other modules: {private}"


def test_the_library_reads_no_environment_variables_outside_settings() -> None:
    readers = [
        _module_name(p)
        for p in PACKAGE.rglob("*.py")
        if ("os.environ" in (src := p.read_text(encoding="utf-8")) or "getenv(" in src) and p.name != "settings.py"
    ]
    assert not readers, f"read the environment directly (use geo.core.settings.Settings): {readers}"


def test_one_definition_of_arabic_script() -> None:
    """"Is this Arabic" is asked through geo.core.text (ARABIC_SCRIPT, has_arabic, is_arabic), never re-spelled."""
    own = re.compile(r"""["']\\u0600["']\s*<=|def _?(?:is|has|looks)_arabic\b|re\.compile\(r?["']\[\\u0600-\\u06ff[^"']*\]["']\)""")
    spelled = [_module_name(p) for p in PACKAGE.rglob("*.py") if p.name != "text.py" and own.search(p.read_text(encoding="utf-8"))]
    assert not spelled, f"define their own Arabic-script test (use geo.core.text): {spelled}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (whl,) = out.glob("geo_storymap-*.whl")
    return whl


def test_the_wheel_carries_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("aliases.csv", "regions.csv", "cues.json", "rail_lines.csv", "rail_stations.csv", "world.geojson", "places.csv"):
        assert f"geo/data/{data}" in names
    assert {"geo/core/document.py", "geo/places/matching.py", "geo/story/journeys.py", "geo/render/layers.py"} <= names


def test_an_installed_wheel_maps_the_seed_outside_the_checkout_as_the_checkout_does(
    wheel: Path, seed_path: Path, tmp_path: Path
) -> None:
    # A fresh venv whose only copy of geo is the wheel's; the third-party dependencies come from the test
    # environment's site-packages through a .pth line (a plain path: no editable finder of the checkout runs).
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    deps = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "deps.pth").write_text(deps + "\n", encoding="utf-8")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    article = outside / "article.txt"
    article.write_bytes(seed_path.read_bytes())
    env = {**os.environ, "GEO_PLACES_CACHE": str(tmp_path / "places.csv"), "PYTHONPATH": ""}
    where = subprocess.run([str(python), "-c", "import geo; print(geo.__file__)"], cwd=outside, env=env, capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(site)), where.stdout + where.stderr
    installed = subprocess.run([str(python), "-m", "geo", "extract", "article.txt"], cwd=outside, env=env,
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    checkout = subprocess.run([sys.executable, "-m", "geo", "extract", str(article)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
    assert checkout.returncode == 0, checkout.stderr
    story = json.loads(installed.stdout)
    assert story == json.loads(checkout.stdout)
    assert {"pyongyang", "vladivostok"} <= {p["id"] for p in story["places"]}
    assert any(r["on_rail"] for r in story["routes"])
