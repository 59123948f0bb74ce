"""``make bench`` measures every module it names: none is missing and skipped silently."""

from forum_ouvert.portal.management.commands.bench import BENCH_MODULES, _modules


def test_every_bench_module_exists_and_declares_its_scenarios():
    """Each module of ``BENCH_MODULES`` imports and has ``populate`` and ``scenarios``."""
    modules = _modules()
    assert [module.__name__ for module in modules] == BENCH_MODULES
    for module in modules:
        assert callable(module.populate) and callable(module.scenarios), module.__name__
