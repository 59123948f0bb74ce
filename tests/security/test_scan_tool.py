"""The scanner harness (``make scan``) lists what sqlmap must attack: every parameter of
every form and filter. A form it missed would be a form nobody tested."""

import subprocess
from pathlib import Path

import pytest

from forum_ouvert.devtools.verify import scan

PAGE = """
<a href="/engagements/?status=en_retard">En retard</a>
<a href="https://ailleurs.example/?q=1">Ailleurs</a>
<a href="/compte/logout/">Déconnexion</a>
<form method="get" action="/contributions/">
  <input type="search" name="q"><select name="tri"><option value="recent">Récent</option>
  <option value="soutiens">Soutiens</option></select>
  <input type="radio" name="etat" value="ouvert"><input type="radio" name="etat" value="clos">
</form>
<form method="post" action="/contributions/c/contribuer/">
  <input type="hidden" name="csrfmiddlewaretoken" value="jeton">
  <input type="email" name="email"><textarea name="body"></textarea>
  <input type="file" name="piece"><button type="submit" name="action" value="envoyer">Go</button>
</form>
<form method="post" action="/compte/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="jeton">
</form>
"""


def test_forms_parser_keeps_every_named_field_with_a_value():
    parser = scan._Forms()
    parser.feed(PAGE)
    search, contribute, logout = parser.forms
    assert search["method"] == "GET"
    assert [tuple(f) for f in search["fields"]] == [
        ("q", "1"),
        ("tri", "recent"),
        ("etat", "ouvert"),
    ]
    assert contribute["method"] == "POST"
    assert [tuple(f) for f in contribute["fields"]] == [
        ("csrfmiddlewaretoken", "jeton"),
        ("email", "scan@example.org"),
        ("body", "1"),
        ("action", "envoyer"),
    ]  # no file field: sqlmap cannot send one
    assert logout["fields"] == [["csrfmiddlewaretoken", "jeton"]]
    assert "/engagements/?status=en_retard" in parser.links


def test_pages_that_end_the_session_are_never_followed():
    for path in ("/compte/logout/", "/mon-espace/compte/supprimer/", "/compte/password/change/"):
        assert scan.NOT_FOLLOWED.search(path)
    for path in ("/engagements/", "/mon-espace/", "/pilotage/ami/candidatures/"):
        assert not scan.NOT_FOLLOWED.search(path)


def test_same_view_and_parameters_are_one_target():
    """Seventeen engagement pages share one form: sqlmap tests it once."""
    one = scan.Target("POST", "https://h/pilotage/engagements/a/avancement/", (("p", "1"),), "")
    two = scan.Target("POST", "https://h/pilotage/engagements/b/avancement/", (("p", "2"),), "")
    other = scan.Target("GET", "https://h/pilotage/engagements/a/avancement/", (("p", "1"),), "")
    assert one.key == two.key != other.key


@pytest.mark.skipif(not Path("/usr/bin/wapiti").exists(), reason="wapiti (Debian) absent")
def test_wapiti_exclusions_work_on_python_311():
    """Debian's wapiti 3.0.4 builds ``…\\Z(?ms)``, which Python 3.11 rejects, so any
    ``-x`` crashes it; the harness runs it with that one function fixed."""
    check = (
        "print(bool(crawler.wildcard_translate('https://h/compte/*').match('https://h/compte/logout/')),"
        " bool(crawler.wildcard_translate('https://h/compte/*').match('https://h/engagements/')))"
    )
    result = subprocess.run(
        ["/usr/bin/python3", "-c", scan.WAPITI_PATCH + check],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_sqlmap_candidates_its_own_check_rejected_are_not_findings():
    """Lines from a real run: rate-limited answers made a login field look injectable,
    sqlmap's false-positive check rejected it; the next candidate was never checked."""
    lines = [
        "[INFO] POST parameter 'login' appears to be 'AND boolean-based blind' injectable",
        "[INFO] checking if the injection point on POST parameter 'login' is a false positive",
        "[WARNING] false positive or unexploitable injection point detected",
        "[WARNING] heuristic test shows that POST parameter 'remember' might not be injectable",
        "[INFO] POST parameter 'password' appears to be 'AND boolean-based blind' injectable",
    ]
    hits = scan.sqlmap_hits(lines)
    assert len(hits) == 1
    assert "NON CONFIRMÉ" in hits[0] and "'password'" in hits[0]
    assert scan.sqlmap_hits([*lines[:3], "sqlmap identified the following injection point(s)"]) == [
        "sqlmap identified the following injection point(s)"
    ]


def _form(*names: str) -> scan.Target:
    params = (("csrfmiddlewaretoken", "jeton"), *((n, "1") for n in names))
    return scan.Target("POST", "https://h/pilotage/ateliers/nouveau/", params, "https://h/p/")


def test_a_large_form_becomes_one_sqlmap_process_per_parameter():
    """sqlmap tests a form's parameters one after another (about three minutes each on the
    large /pilotage/ and admin forms): past ``split_over`` each parameter gets its own
    process (``-p``), longest jobs first; the CSRF field is never attacked."""
    large = _form("title", "starts_at", "title", *(f"f{i}" for i in range(7)))
    small = _form("q", "tri")
    jobs = scan.sqlmap_jobs([("citizen", small), ("staff", large)], split_over=6)
    assert jobs[0] == scan.Job("citizen", small)
    assert jobs[0].params == ["q", "tri"]
    split = jobs[1:]
    assert [job.only for job in split] == [(n,) for n in scan.attacked(large)]
    assert scan.attacked(large)[:3] == ["title", "starts_at", "f0"]  # each name once
    assert all(job.role == "staff" and job.target is large for job in split)
    assert scan.sqlmap_jobs([("staff", large)], split_over=0) == [scan.Job("staff", large)]


def test_coverage_counts_parameters_sqlmap_went_through(tmp_path, capsys):
    """A parameter counts once sqlmap says it « does not seem to be injectable » (or found
    an injection): a process stopped by its time limit leaves its current one unfinished."""
    log = tmp_path / "one.log"
    log.write_text(
        "[INFO] testing for SQL injection on POST parameter 'title'\n"
        "[WARNING] POST parameter 'title' does not seem to be injectable\n"
        "[INFO] testing for SQL injection on POST parameter 'place'\n"
    )
    parsed = scan.parse_sqlmap_log(log)
    assert parsed["tested"] == ["place", "title"]
    assert parsed["finished"] == ["title"]
    job = {"role": "staff", "target": "POST /x/", "seconds": 10, "timed_out": True}
    results = [
        {**job, **parsed, "params": ["title", "place"], "skipped": False},
        {**job, "params": ["when"], "skipped": False, "timed_out": False, "tested": ["when"]}
        | {"finished": ["when"], "hits": [], "problems": []},
    ]
    assert scan.report_sqlmap(results) == []
    out = capsys.readouterr().out
    assert "2/3" in out and "non terminés : place" in out
    assert "1 cibles en 2 processus" in out and "2/3 paramètres testés jusqu'au bout" in out


@pytest.mark.parametrize(("rate_limits", "module"), [(True, "production"), (False, "scan")])
def test_the_scanned_site_runs_production_settings_with_limits_lifted_on_demand(
    tmp_path, rate_limits, module
):
    """By default the production settings; ``--no-rate-limits`` lifts the limits only
    (``forum_ouvert.settings.scan`` is production plus two switches), so that every
    payload reaches the form's code instead of a 429."""
    site = scan.Site(tmp_path / "run", rate_limits=rate_limits)
    try:
        assert site.env["DJANGO_SETTINGS_MODULE"] == f"forum_ouvert.settings.{module}"
    finally:
        site.smtp.shutdown()
        site.smtp.server_close()
    text = Path(scan.ROOT / "forum_ouvert/settings/scan.py").read_text()
    assert "from .production import *" in text
    assert [line for line in text.splitlines() if "=" in line and not line.startswith(" ")] == [
        "RATE_LIMITS_ENABLED = False",
        "ACCOUNT_RATE_LIMITS = False",
    ]


def test_a_hint_sqlmap_then_tested_through_is_not_a_finding():
    """Lines from a real run: the admin redirects a bad date filter to ``?e=1``, which the
    heuristic takes for a hint; every test then ran, and sqlmap's verdict clears it."""
    lines = [
        "[INFO] heuristic (basic) test shows that GET parameter 'created_at__year' might be"
        " injectable",
        "[INFO] testing for SQL injection on GET parameter 'created_at__year'",
        "[WARNING] GET parameter 'created_at__year' does not seem to be injectable",
    ]
    assert scan.sqlmap_hits(lines) == []
    assert len(scan.sqlmap_hits(lines[:2])) == 1  # stopped before its verdict: still open
