"""``make bench``: load large datasets into PostgreSQL, then time every declared page.

Server time is measured in-process with Django's test client (middleware, views,
templates, database), repeated, and reported as median and 95th percentile, with the
number of SQL queries of one request. Speed targets live here, never in the test suite.
"""

from __future__ import annotations

import importlib
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

BENCH_MODULES = [
    "engagements.bench",
    "participation.forum.bench",
    "participation.workshops.bench",
    "participation.contributions.bench",
    "participation.cocreation.bench",
    "forum_ouvert.reports.bench",
]


def _modules():
    """Every module of ``BENCH_MODULES``: one that is missing is an error, never skipped."""
    return [importlib.import_module(name) for name in BENCH_MODULES]


#: The bench's staff accounts' password and authenticator secret (bench database only).
BENCH_PASSWORD = "banc-de-mesure-mot-de-passe"  # noqa: S105  # nosec (a throwaway database)
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  # nosec


def _login_with_second_factor(client: Client, user) -> None:
    """Log ``user`` in through allauth's pages: password, then a TOTP code."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    user.set_password(BENCH_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, BENCH_TOTP_SECRET)
    response = client.post(
        "/compte/login/", {"login": user.email, "password": BENCH_PASSWORD}, follow=False
    )
    if response.status_code == 302 and "/2fa/" in response["Location"]:
        counter = next(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(BENCH_TOTP_SECRET, counter))
        response = client.post(response["Location"], {"code": code}, follow=False)
    if response.status_code != 302 or "/2fa/" in response.get("Location", ""):
        raise RuntimeError(f"Connexion du compte de banc {user.email} impossible")


class Command(BaseCommand):
    help = "Mesure les pages et exports sur un grand jeu de données (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", help="Ne mesurer que les scénarios dont le nom contient ce texte"
        )
        parser.add_argument("--skip-populate", action="store_true")
        parser.add_argument(
            "--populate-only",
            action="store_true",
            help="Charger les données sans rien mesurer (utilisé par make verify)",
        )

    def handle(self, *args, only=None, skip_populate=False, populate_only=False, **options):
        call_command("migrate", verbosity=0)
        modules = list(_modules())
        if not skip_populate:
            for module in modules:
                started = time.perf_counter()
                module.populate(out=lambda line: self.stdout.write(f"  {line}"))
                self.stdout.write(
                    f"{module.__name__}: données prêtes en {time.perf_counter() - started:.1f} s"
                )
        if populate_only:
            return
        from django.conf import settings
        from django.test.utils import override_settings

        from forum_ouvert.core.bench import Scenario

        settings.ALLOWED_HOSTS = ["*"]
        # The yardstick: the cheapest Django response through the same middleware, timed
        # in the same run, so that every figure reads as a ratio that survives a loaded
        # machine (as make verify's throughput step does, with the same view).
        with override_settings(ROOT_URLCONF="forum_ouvert.devtools.verify.urls"):
            hello = self._measure(Scenario("hello-world", "/__verify__/hello", repeat=200))
            rows = []
            for module in modules:
                for scenario in module.scenarios():
                    if only and only not in scenario.name:
                        continue
                    rows.append(self._measure(scenario))
        self._report(rows, hello)
        for module in modules:
            names = [module.__name__, *(s.name for s in module.scenarios())]
            if hasattr(module, "measure") and (not only or any(only in n for n in names)):
                module.measure(out=lambda line: self.stdout.write(line))

    def _client(self, role):
        """One logged-in client per role for the whole run. DITP staff and admins log in
        as people do, password then the code of their authenticator app (a real TOTP
        session), so that their scenarios time the page and not the redirect to the
        second factor."""
        clients = self.__dict__.setdefault("_clients", {})
        if role in clients:
            return clients[role]
        client = Client()
        if role:
            from forum_ouvert.core.models import User

            user, _ = User.objects.get_or_create(
                email=f"bench-{role}@bench.invalid",
                defaults={"role": role, "display_name": f"Bench {role}"},
            )
            if user.is_ditp:
                _login_with_second_factor(client, user)
            else:
                client.force_login(user)
        clients[role] = client
        return client

    def _measure(self, scenario):
        path = scenario.path() if callable(scenario.path) else scenario.path
        client = self._client(scenario.role)
        headers = {"HX-Request": "true"} if scenario.htmx else {}
        if isinstance(scenario.htmx, str):
            headers["HX-Target"] = scenario.htmx

        def one():
            response = client.get(path, headers=headers)
            size = 0
            if getattr(response, "streaming", False):
                for chunk in response.streaming_content:
                    size += len(chunk)
            else:
                size = len(response.content)
            return response.status_code, size

        with CaptureQueriesContext(connection) as ctx:
            status, size = one()  # warm-up, and the query count of one request
        queries = len(ctx.captured_queries)
        timings = []
        for _ in range(scenario.repeat):
            started = time.perf_counter()
            one()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        ok = status == 200 and median <= scenario.target_median_ms and p95 <= scenario.target_p95_ms
        return {
            "name": scenario.name,
            "path": path,
            "status": status,
            "median": median,
            "p95": p95,
            "queries": queries,
            "size": size,
            "target": f"{scenario.target_median_ms:g}/{scenario.target_p95_ms:g}",
            "ok": ok,
        }

    def _report(self, rows, hello):
        self.stdout.write("")
        self.stdout.write(
            f"hello-world (même processus, même intergiciel) : médiane {hello['median']:.2f} ms, "
            f"p95 {hello['p95']:.2f} ms ; « % hello » = médiane de hello-world / médiane de "
            "la page (100 % : aussi rapide que hello-world)."
        )
        header = (
            f"{'scénario':<42} {'HTTP':>4} {'médiane':>9} {'p95':>9} {'% hello':>8} "
            f"{'cible ms':>10} {'req. SQL':>8} {'taille':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in rows:
            mark = "ok" if r["ok"] else "HORS CIBLE"
            ratio = 100 * hello["median"] / r["median"] if r["median"] else 0
            self.stdout.write(
                f"{r['name']:<42} {r['status']:>4} {r['median']:>7.1f}ms {r['p95']:>7.1f}ms "
                f"{ratio:>7.1f}% {r['target']:>10} {r['queries']:>8} {r['size']:>10}  {mark}"
            )
        missed = [r for r in rows if not r["ok"]]
        self.stdout.write(f"\n{len(rows) - len(missed)}/{len(rows)} scénarios dans la cible.")
