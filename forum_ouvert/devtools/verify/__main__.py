"""``python -m forum_ouvert.devtools.verify [throughput load faults scale] [--duration N]``

Starts the verify cluster and Redis (var/verify/), loads the dataset once, runs the chosen
checks (all by default), prints a table of figures, writes var/verify/results.json, and
exits with 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback

from . import dataset, infra

CHECKS = ("throughput", "load", "faults", "scale")


def _module(name: str):
    import importlib

    return importlib.import_module(f"{__package__}.{name}")


def _table(results: dict) -> None:
    print("\n=== make verify : chiffres ===")
    if "throughput" in results and "rows" in results["throughput"]:
        print(
            f"\n{'page':<15} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'% hello':>8}  chemin"
        )
        for row in results["throughput"]["rows"]:
            print(
                f"{row['page']:<15} {row['rps']:>8.1f} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                f"{row['p99']:>8.1f} {row['share']:>7.1f}%  {row['path']}"
            )
    for name in ("load", "faults", "scale"):
        figures = results.get(name, {}).get("figures")
        if not figures:
            continue
        print(f"\n[{name}]")
        for key, value in figures.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            print(f"  {key:<28} {value}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forum_ouvert.devtools.verify")
    parser.add_argument("checks", nargs="*", help=f"parmi {', '.join(CHECKS)} (toutes)")
    parser.add_argument(
        "--duration",
        type=int,
        default=60,
        help="secondes de régime établi par mesure (60 par défaut)",
    )
    args = parser.parse_args(argv)
    checks = args.checks or list(CHECKS)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        parser.error(f"vérifications inconnues : {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    results: dict = {"checks": checks, "duration": args.duration}
    failures: list[str] = []
    with infra.Stack() as stack:
        dataset.ensure()
        for name in checks:
            print(f"\n--- {name} ---", flush=True)
            check_started = time.perf_counter()
            try:
                outcome = _module(name).run(
                    stack, duration=args.duration, out=lambda line: print(line, flush=True)
                )
            except Exception as exc:
                traceback.print_exc()
                outcome = {"failures": [f"{name} : {exc!r}"]}
                stack.stop_apps()
            outcome["seconds"] = round(time.perf_counter() - check_started)
            results[name] = outcome
            failures += outcome.get("failures", [])
    results["seconds"] = round(time.perf_counter() - started)
    results["failures"] = failures
    infra.VAR.mkdir(parents=True, exist_ok=True)
    (infra.VAR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    _table(results)
    print(f"\nDurée totale : {results['seconds']} s — résultats : {infra.VAR / 'results.json'}")
    if failures:
        print("\nHORS CIBLE :")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("\nToutes les cibles sont tenues.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
