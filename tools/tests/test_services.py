"""Every service in ``services/`` is one that ``make run`` starts, and each starts the same way."""

import importlib
import importlib.util
from pathlib import Path

import pytest

from docflow_tools.chaos.launcher import REPLACED
from docflow_tools.corpus import REPOSITORY
from docflow_tools.services import DEFAULT_HEALTH_PORT_BASE, SERVICES, Service, configured


def test_make_run_starts_every_service_package() -> None:
    folders = {path.name for path in (REPOSITORY / "services").iterdir() if path.is_dir()}
    assert {service.name for service in SERVICES} == folders


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_each_service_runs_as_python_dash_m_with_a_main(service: Service) -> None:
    assert importlib.util.find_spec(f"{service.module}.__main__") is not None
    main = importlib.import_module(f"{service.module}.__main__").main
    assert callable(main)
    package = REPOSITORY / "services" / service.name
    assert (package / "src" / service.module / "settings.py").is_file()
    assert any((package / "tests").glob("test_*.py")), f"{service.name} has no tests"


@pytest.mark.parametrize("service", SERVICES[1:], ids=[s.name for s in SERVICES[1:]])
def test_each_service_but_ingest_is_built_by_a_factory_and_run_by_the_runtime(
    service: Service,
) -> None:
    factory = importlib.import_module(f"{service.module}.factory")
    assert callable(factory.build)
    source = Path(importlib.import_module(f"{service.module}.__main__").__file__ or "")
    assert "run_stage(" in source.read_text() or "run_periodic(" in source.read_text()


def test_make_run_can_move_the_health_ports_and_run_another_module_for_a_service() -> None:
    moved = configured(SERVICES, health_port_base=20000, modules={"enrich": "elsewhere"})
    assert [s.name for s in moved] == [s.name for s in SERVICES]
    assert [s.health_port for s in moved] == [None, *range(20000, 20007)]
    assert [s.module for s in moved if s.name != "enrich"] == [
        s.module for s in SERVICES if s.name != "enrich"
    ]
    assert next(s for s in moved if s.name == "enrich").argv()[1:] == ["-m", "elsewhere"]
    assert configured(SERVICES, health_port_base=DEFAULT_HEALTH_PORT_BASE, modules={}) == list(
        SERVICES
    )


def test_the_chaos_suite_s_faulty_enrich_is_runnable_as_make_run_checks() -> None:
    assert importlib.util.find_spec(f"{REPLACED['enrich']}.__main__") is not None
