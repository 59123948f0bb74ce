"""Static analysis of the project's code: bandit and the project's semgrep rules find nothing,
and each semgrep rule does fire on the mistake it is about."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "forum_ouvert" / "devtools" / "semgrep.yml"
CODE = ["forum_ouvert", "engagements", "participation", "templates"]
BIN = Path(sys.executable).parent


def _semgrep(paths, cwd=ROOT) -> list[dict]:
    result = subprocess.run(
        [
            str(BIN / "semgrep"),
            "scan",
            "--config",
            str(RULES),
            "--metrics=off",
            "--json",
            "--exclude",
            "*/migrations/*",
            *paths,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
    )
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    return report["results"]


def test_bandit_finds_nothing_of_medium_or_high_severity():
    """bandit -ll over the project's code: 0 findings (reviewed exceptions carry # nosec)."""
    result = subprocess.run(
        [str(BIN / "bandit"), "-ll", "-q", "-r", *CODE[:3], "-x", "*/migrations/*", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    findings = json.loads(result.stdout)["results"]
    assert findings == [], [f"{f['filename']}:{f['line_number']} {f['test_id']}" for f in findings]


def test_semgrep_project_rules_find_nothing():
    """No mark_safe on non-literals, no |safe, no formatted SQL, no csrf_exempt, no
    WeasyPrint outside the sealed renderer, no unchecked redirect."""
    findings = _semgrep(CODE)
    assert findings == [], [f"{f['path']}:{f['start']['line']} {f['check_id']}" for f in findings]


BAD_CODE = {
    "fo-mark-safe-non-literal": "from django.utils.safestring import mark_safe\n"
    "def f(x):\n    return mark_safe(x)\n",
    "fo-raw-sql-formatting": "def f(cursor, name):\n"
    "    cursor.execute(f\"SELECT * FROM t WHERE name = '{name}'\")\n",
    "fo-csrf-exempt": "from django.views.decorators.csrf import csrf_exempt\n"
    "@csrf_exempt\ndef view(request):\n    pass\n",
    "fo-weasyprint-outside-sealed-renderer": "from weasyprint import HTML\n"
    "def f(html):\n    return HTML(string=html).write_pdf()\n",
    "fo-unchecked-redirect": "from django.shortcuts import redirect\n"
    "def view(request):\n    return redirect(request.GET.get('next'))\n",
}


@pytest.mark.parametrize("rule", sorted(BAD_CODE))
def test_each_rule_catches_its_mistake(rule, tmp_path):
    """Each rule fires on a small example of the mistake (so a silent rule cannot pass)."""
    (tmp_path / "bad.py").write_text(BAD_CODE[rule], encoding="utf-8")
    found = {f["check_id"].rsplit(".", 1)[-1] for f in _semgrep(["bad.py"], cwd=tmp_path)}
    assert rule in found


def test_template_rule_catches_the_safe_filter(tmp_path):
    (tmp_path / "page.html").write_text("<p>{{ text|safe }}</p>\n", encoding="utf-8")
    found = {f["check_id"].rsplit(".", 1)[-1] for f in _semgrep(["page.html"], cwd=tmp_path)}
    assert "fo-template-safe-filter" in found


def test_checked_redirect_is_accepted(tmp_path):
    (tmp_path / "ok.py").write_text(
        "from django.shortcuts import redirect\n"
        "from django.utils.http import url_has_allowed_host_and_scheme\n"
        "def view(request):\n"
        "    target = request.GET.get('next')\n"
        "    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):\n"
        "        return redirect(target)\n"
        "    return redirect('/')\n",
        encoding="utf-8",
    )
    assert _semgrep(["ok.py"], cwd=tmp_path) == []


def test_tools_are_installed():
    assert shutil.which("semgrep", path=str(BIN)) and shutil.which("bandit", path=str(BIN))
