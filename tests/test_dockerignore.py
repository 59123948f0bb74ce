"""The production image holds only what production runs: ``.dockerignore`` leaves out the
tests, the harnesses and the benchmark datasets, and nothing the kept code imports."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("forum_ouvert", "engagements", "participation")
DOTTED = re.compile(r"^(?:forum_ouvert|engagements|participation)(?:\.\w+)+$")


@cache
def _patterns() -> list[tuple[bool, re.Pattern]]:
    """``.dockerignore``'s patterns as (excluded?, regex), in order (the last match wins)."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", pattern):
            if part in ("**", "**/"):
                regex += "(?:.*/)?" if part == "**/" else ".*"
            elif part == "*":
                regex += "[^/]*"
            elif part == "?":
                regex += "[^/]"
            else:
                regex += re.escape(part)
        rules.append((not negated, re.compile(regex + "$")))
    return rules


def excluded(path: str) -> bool:
    """Whether Docker leaves ``path`` (relative to the root) out of the build context:
    a pattern that matches a folder leaves out everything in it."""
    parts = path.split("/")
    result = False
    for prefix in ("/".join(parts[: i + 1]) for i in range(len(parts))):
        for exclude, regex in _patterns():
            if regex.match(prefix):
                result = exclude
        if result:
            return True
    return result


@cache
def _files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path in listed if (ROOT / path).exists()]


def _kept_modules() -> dict[str, str]:
    """Module name → path, for every Python file of the project that the image holds."""
    modules = {}
    for path in _files():
        if path.endswith(".py") and path.startswith(FIRST_PARTY) and not excluded(path):
            name = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            modules[name] = path
    return modules


def _module_of(dotted: str) -> str | None:
    """The project file a dotted name points at (a module, or an attribute of one)."""
    parts = dotted.split(".")
    while parts:
        path = "/".join(parts)
        for candidate in (f"{path}.py", f"{path}/__init__.py"):
            if (ROOT / candidate).exists():
                return candidate
        parts.pop()
    return None


def _references(path: str) -> set[str]:
    """The project modules a file imports, or names in a dotted string (settings, the
    bench's module list, ``ROOT_URLCONF``…)."""
    tree = ast.parse((ROOT / path).read_text())
    package = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    if not path.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and DOTTED.match(str(node.value)):
            names.add(node.value)
    return {name for name in names if name.startswith(FIRST_PARTY)}


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".venv/bin/python",
        "var/forum_ouvert.sqlite3",
        "tests/conftest.py",
        "tests/browser/test_forum_journey.py",
        "forum_ouvert/devtools/verify/scan.py",
        "forum_ouvert/devtools/backup.py",
        "forum_ouvert/devtools/ensure-system.sh",
        "forum_ouvert/settings/test.py",
        "forum_ouvert/settings/verify.py",
        "engagements/bench.py",
        "forum_ouvert/core/bench.py",
        "forum_ouvert/portal/management/commands/bench.py",
        "engagements/__pycache__/models.cpython-312.pyc",
    ],
)
def test_the_image_leaves_out_tests_harnesses_and_benchmarks(path):
    """Tests, devtools, benchmark datasets, .git, var/ and .venv are not copied."""
    assert excluded(path)


@pytest.mark.parametrize(
    "path",
    [
        "manage.py",
        "pyproject.toml",
        "README.md",
        "forum_ouvert/wsgi.py",
        "forum_ouvert/settings/production.py",
        "engagements/data/plan-2024-2026.json",
        "forum_ouvert/core/data/departements.csv",
        "participation/workshops/data/carte-departements.csv",
        "templates/base.html",
        "forum_ouvert/portal/management/commands/seed_demo.py",
    ],
)
def test_the_image_keeps_what_production_runs(path):
    """The code, settings, templates and data production reads are copied."""
    assert (ROOT / path).exists()
    assert not excluded(path)


def test_nothing_the_image_holds_imports_what_it_leaves_out():
    """No kept module imports (or names in a dotted string) a file left out of the image."""
    broken = []
    for path in _kept_modules().values():
        for name in sorted(_references(path)):
            target = _module_of(name)
            if target is not None and excluded(target):
                broken.append(f"{path} → {name} ({target})")
    assert broken == []


def test_the_kept_tree_alone_passes_the_deploy_check_and_imports(tmp_path):
    """A copy of only the kept files passes ``check --deploy`` and imports every module."""
    for path in _files():
        if not excluded(path):
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((ROOT / path).read_bytes())
    assert not (tmp_path / "tests").exists()
    assert not (tmp_path / "forum_ouvert" / "devtools").exists()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.production",
        "SECRET_KEY": "only-for-this-test-" + "x" * 50,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_HOST": "localhost",
        "SECURITY_CONTACT": "securite@exemple.fr",
        "ACCESSIBILITY_CONTACT": "accessibilite@exemple.fr",
        "FORUM_OUVERT_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(tmp_path),
    }
    script = (
        "import importlib, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')\n"
        f"for name in {sorted(_kept_modules())!r}:\n"
        "    if '.migrations.' not in name:\n"
        "        importlib.import_module(name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
