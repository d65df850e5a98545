"""Clients generated from the committed OpenAPI documents, the way an integrator makes them.

`openapi-python-client generate --path openapi/<service>.v1.json` (docs/clients.md) runs
once per test session, offline, into a temporary folder; the packages it writes are
imported as they are. Each must have a function for every operation of its document, with
no endpoint skipped and no warning, and one enum per vocabulary; and the governed flow
(site, go-live, authorization request, the PC's approval, booking, provenance) must run
through them against the two services as real processes.
"""

from __future__ import annotations

import enum
import fcntl
import importlib
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_python_client.strings import snake_case

from mhg_cli.services import OPENAPI_FILES
from tests.conftest import StoreUrl, auth
from tests.e2e.flows import BASIS, ITEMS, LINE, PRO_FORMA, booking
from tests.e2e.harness import running_services, wait_until

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGES = {"mso-ops": "mso_ops_client", "pc-governance": "pc_governance_client"}
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
FEED_WAIT = 20.0


@dataclass(frozen=True)
class Generated:
    """A generated client package, with what the generator said while writing it."""

    package: ModuleType
    folder: Path
    output: str

    @property
    def models(self) -> Any:
        return importlib.import_module(f"{self.package.__name__}.models")

    def operation(self, tag_and_name: str) -> Any:
        return importlib.import_module(f"{self.package.__name__}.api.{tag_and_name}")


def _generate(name: str, root: Path) -> str:
    """Write one client package into `root`; what the generator said."""
    package = PACKAGES[name]
    # the generator formats its output with ruff, found on PATH as an integrator has it
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(GENERATOR), "generate", "--path", str(ROOT / OPENAPI_FILES[name])]
    command += ["--output-path", str(root / package), "--meta", "none"]
    run = {"capture_output": True, "text": True, "env": env, "timeout": 300}
    done = subprocess.run(command, check=False, **run)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def _generated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both packages, written once per test session: the workers of a parallel run share
    the session's base folder, and the first to take the lock writes them."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / "generated-clients"
    with (base / "generated-clients.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "done").exists():
            root.mkdir(exist_ok=True)
            for name, package in PACKAGES.items():
                (root / f"{package}.log").write_text(_generate(name, root))
            (root / "done").touch()
    return root


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Generated]]:
    """Both services' clients, generated once per test session (no network needed)."""
    root = _generated_once(tmp_path_factory)
    sys.path.insert(0, str(root))
    try:
        yield {
            name: Generated(
                importlib.import_module(package),
                root / package,
                (root / f"{package}.log").read_text(),
            )
            for name, package in PACKAGES.items()
        }
    finally:
        sys.path.remove(str(root))
        for package in PACKAGES.values():
            for module in [m for m in sys.modules if m.split(".")[0] == package]:
                del sys.modules[module]


def _document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / OPENAPI_FILES[name]).read_text())
    return document


@pytest.mark.parametrize("name", PACKAGES)
def test_a_generated_client_has_every_operation_and_no_warning(
    generated: dict[str, Generated], name: str
) -> None:
    client = generated[name]
    assert "warning" not in client.output.lower(), client.output
    assert "will not be generated" not in client.output, client.output
    operations = {
        snake_case(operation["operationId"])
        for item in _document(name)["paths"].values()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }
    modules = {
        f"{path.parent.name}.{path.stem}": path
        for path in (client.folder / "api").glob("*/*.py")
        if path.stem != "__init__"
    }
    assert sorted(m.split(".")[1] for m in modules) == sorted(operations)
    for module in modules:
        assert callable(client.operation(module).sync_detailed), module


@pytest.mark.parametrize("name", PACKAGES)
def test_a_generated_client_has_one_enum_per_vocabulary(
    generated: dict[str, Generated], name: str
) -> None:
    models = generated[name].models
    enums = [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, enum.Enum)
    ]
    vocabularies = Counter(frozenset(member.value for member in e) for e in enums)
    assert [sorted(v) for v, count in vocabularies.items() if count > 1] == []
    assert {member.value for member in models.ServiceLineCode} >= {LINE}


def _token(role: str, name: str) -> str:
    return auth(role, name)["Authorization"].removeprefix("Bearer ")


def _parsed(response: Any, model: type, status: int = 200) -> Any:
    """The typed body of a success: the generated model, never None or a problem."""
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, model), response.parsed
    return response.parsed


@pytest.mark.e2e
@pytest.mark.deployed
def test_the_governed_flow_through_generated_clients(
    generated: dict[str, Generated], store_url: StoreUrl, tmp_path: Path
) -> None:
    mso, pc = generated["mso-ops"], generated["pc-governance"]
    m, p = mso.models, pc.models
    with running_services(store_url, tmp_path) as services:
        admin = mso.package.AuthenticatedClient(
            base_url=services.mso.base_url, token=_token("mso_admin", "ann"), timeout=10.0
        )
        director = pc.package.AuthenticatedClient(
            base_url=services.pc.base_url, token=_token("medical_director", "dr-lee"), timeout=10.0
        )

        # the site, its service line, its readiness and the go-live request
        body = m.SiteIn.from_dict({"name": "Eastside HS", "kind": "campus", "address": "1 Main St"})
        site = _parsed(
            mso.operation("sites.propose_site").sync_detailed(client=admin, body=body),
            m.SiteOut,
            201,
        )
        line_in = m.ServiceLineIn.from_dict({"code": LINE})
        _parsed(
            mso.operation("sites.propose_service_line").sync_detailed(
                site.id, client=admin, body=line_in
            ),
            m.ServiceLineOut,
            201,
        )
        _parsed(
            mso.operation("sites.start_site_readiness").sync_detailed(site.id, client=admin),
            m.SiteOut,
        )
        for item in ITEMS:
            evidence = m.EvidenceIn.from_dict({"met": True, "document_ref": f"DOC-{item}"})
            record = mso.operation("sites.record_checklist_evidence")
            _parsed(record.sync_detailed(site.id, item, client=admin, body=evidence), m.SiteOut)
        pro_forma = m.ProFormaIn.from_dict(PRO_FORMA)
        set_pro_forma = mso.operation("sites.set_site_pro_forma")
        _parsed(set_pro_forma.sync_detailed(site.id, client=admin, body=pro_forma), m.SiteOut)
        go_live_in = m.GoLiveRequestIn.from_dict({"summary": "every readiness item met"})
        request_go_live = mso.operation("sites.request_site_go_live")
        _parsed(
            request_go_live.sync_detailed(site.id, client=admin, body=go_live_in), m.SiteOut, 201
        )

        list_authorizations = pc.operation("authorizations.list_authorizations").sync_detailed
        approve = pc.operation("authorizations.approve_authorization").sync_detailed

        def pending(kind: str) -> Any:
            page = _parsed(
                list_authorizations(
                    client=director,
                    status=p.ListAuthorizationsStatusType0("pending"),
                    kind=p.ListAuthorizationsKindType0(kind),
                    site_id=site.id,
                ),
                p.PageAuthorizationRow,
            )
            return page.items[0] if page.items else None

        # the PC approves the go-live; the MSO opens the site
        go_live = wait_until(
            lambda: pending("site_go_live"), FEED_WAIT, message="the go-live at the PC"
        )
        decision = p.ApproveIn.from_dict({"effective_date": "2020-01-01", "basis": BASIS})
        _parsed(approve(go_live.id, client=director, body=decision), p.AuthorizationOut)
        get_site = mso.operation("sites.get_site").sync_detailed

        def approved() -> bool:
            return str(_parsed(get_site(site.id, client=admin), m.SiteOut).status) == "approved"

        wait_until(approved, FEED_WAIT, message="the go-live approval at the MSO")
        opened = _parsed(
            mso.operation("sites.open_site").sync_detailed(site.id, client=admin), m.SiteOut
        )
        assert str(opened.status) == "live"

        # the service line's authorization request, approved by the Medical Director
        readiness = {"summary": "ready", "checklist": [{"item": "lease signed", "met": True}]}
        request = m.AuthorizationRequestIn.from_dict({"readiness": readiness})
        request_line = mso.operation("sites.request_service_line_authorization").sync_detailed
        code = m.ServiceLineCode(LINE)
        _parsed(request_line(site.id, code, client=admin, body=request), m.ServiceLineOut, 201)
        requested = wait_until(
            lambda: pending("service_line"), FEED_WAIT, message="the request at the PC"
        )
        assert str(requested.site_id) == str(site.id)
        terms = {"effective_date": "2026-12-01", "basis": BASIS, "protocol_refs": ["sports v3"]}
        authorization = _parsed(
            approve(requested.id, client=director, body=p.ApproveIn.from_dict(terms)),
            p.AuthorizationOut,
        )
        decision_id = authorization.decisions[-1].decision_id
        get_line = mso.operation("sites.get_service_line").sync_detailed

        def authorized() -> Any:
            line = _parsed(get_line(site.id, code, client=admin), m.ServiceLineOut)
            return line if str(line.status) == "authorized" else None

        line = wait_until(authorized, FEED_WAIT, message="the PC approval at the MSO")
        assert line.decision_id == decision_id

        # the booking runs under that authorization, and its provenance says so
        book = mso.operation("appointments.book_appointment").sync_detailed
        booked = _parsed(
            book(client=admin, body=m.AppointmentIn.from_dict(booking(str(site.id)))),
            m.AppointmentOut,
            201,
        )
        at_mso = mso.operation("provenance.get_appointment_provenance").sync_detailed
        provenance = _parsed(at_mso(booked.id, client=admin), m.ProvenanceOut)
        for record in (booked, provenance):
            assert (record.authorization_id, record.decision_id) == (requested.id, decision_id)
        at_pc = pc.operation("provenance.get_authorization_provenance").sync_detailed
        chain = _parsed(at_pc(requested.id, client=director), p.AuthorizationProvenanceOut)
        assert chain.authorization_id == requested.id
