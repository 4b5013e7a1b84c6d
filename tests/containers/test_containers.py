"""docker/ checked without a Docker engine (none runs on these machines): the compose file by
a compose client (Debian's docker-compose, `config` validates without an engine), the
Prometheus configuration by promtool, and both against the topology, so that neither drifts
from the nodes renkei really has. Images are not built or run here; the README says so.

Run from the repository root: `python3 -m pytest tests/containers -q`."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"this test needs {name}; .ci/run installs it")
    return path


def topology_nodes():
    topology = yaml.safe_load((ROOT / "config/topology.yaml").read_text())
    nodes = {}
    for key in ["time_stamp_authority", "network_system", "resident_registry"]:
        nodes[topology[key]["name"]] = topology[key]
    for spec in topology["intermediate_servers"] + topology["address_systems"]:
        nodes[spec["name"]] = spec
    return topology, nodes


def compose():
    result = subprocess.run([tool("docker-compose"), "-f", str(DOCKER / "compose.yaml"), "config"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_and_runs_each_node_as_a_service():
    services = compose()["services"]
    _, nodes = topology_nodes()
    for name in nodes:
        assert name in services, f"no service for node {name}"
        command = services[name]["command"]
        assert command[:2] == ["node", name], command
        assert "--endpoints" in command and "--certs" in command
        assert services[name]["hostname"] == name
        assert services[name]["depends_on"]["pki"]["condition"] == "service_completed_successfully"
    for extra in ["pki", "postgres", "prometheus", "grafana"]:
        assert extra in services, extra
    assert services["pki"]["command"][:2] == ["certs", "generate"]


def test_endpoints_name_each_node_by_service_at_the_topologys_ports():
    topology, nodes = topology_nodes()
    endpoints = json.loads((DOCKER / "endpoints.json").read_text())
    offset = topology["metrics"]["port_offset"]
    for name, spec in nodes.items():
        port = int(spec["listen"].rsplit(":", 1)[1])
        assert endpoints[name] == f"{name}:{port}"
        assert endpoints[f"{name}.metrics"] == f"{name}:{port + offset}"
        if "edge" in spec:
            assert endpoints[f"{name}.edge"] == f"{name}:{spec['edge'].rsplit(':', 1)[1]}"


def test_prometheus_scrapes_every_node_and_promtool_accepts_it():
    checked = subprocess.run([tool("promtool"), "check", "config", str(DOCKER / "prometheus.yml")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    configuration = yaml.safe_load((DOCKER / "prometheus.yml").read_text())
    targets = {target for job in configuration["scrape_configs"] for static in job["static_configs"] for target in static["targets"]}
    endpoints = json.loads((DOCKER / "endpoints.json").read_text())
    assert targets == {address for key, address in endpoints.items() if key.endswith(".metrics")}


def test_dockerfile_builds_in_one_stage_and_runs_as_a_user_in_another():
    text = (DOCKER / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.MULTILINE)
    assert len(stages) == 2, stages
    assert stages[0][1] == "build"
    final = text[text.rindex("\nFROM "):]
    users = re.findall(r"^USER\s+(\S+)", final, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    assert "COPY --from=build" in final
    assert "swift build -c release" in text


def test_grafana_dashboard_asks_only_for_metrics_renkei_serves():
    source = (ROOT / "Sources/RenkeiNodes/Metrics/NodeMetrics.swift").read_text()
    served = set(re.findall(r'"(renkei_[a-z_]+)": \.init', source))
    dashboard = json.loads((DOCKER / "grafana/dashboards/renkei.json").read_text())
    assert dashboard["panels"], "the dashboard has panels"
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            for name in re.findall(r"renkei_[a-z_]+", target["expr"]):
                base = re.sub(r"_(bucket|sum|count)$", "", name)
                assert base in served, f"{panel['title']}: {name} is not a metric renkei serves ({sorted(served)})"
    provisioning = yaml.safe_load((DOCKER / "grafana/provisioning/dashboards/renkei.yaml").read_text())
    assert provisioning["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
