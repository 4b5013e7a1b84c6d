"""The linkage across three hosts: network namespaces joined by veth pairs to a bridge, each
with its own address, a `renkei node` per node, mutual TLS with subjectAltName checks.

Needs root and iproute2 (`ip netns`); `.ci/run` runs it after `swift test`:
`python3 -m pytest tests/multihost -q` from the repository root, after `swift build`.
RENKEI names the renkei binary (default .build/debug/renkei)."""

import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# Which nodes run on which host: the network system's side, the 中間サーバー, the municipalities.
HOSTS = {
    "a": ["tsa", "nws", "jlis"],
    "b": ["ms-municipal", "ms-insurers", "ms-nenkin"],
    "c": ["atena-tomakomai", "atena-sapporo"],
}


def run(*command, check=True):
    return subprocess.run(list(command), check=check, capture_output=True, text=True)


class Hosts:
    """Three namespaces on one bridge: host x at 10.77.N.{1,2,3}, the test itself at .254."""

    def __init__(self):
        if os.geteuid() != 0 or shutil.which("ip") is None:
            pytest.fail("the multi-host test needs root and iproute2 (ip netns); .ci/run runs it as root")
        tag = "%04x" % random.randrange(0x10000)
        self.subnet = random.randrange(1, 250)
        self.bridge = f"rkbr{tag}"
        self.namespaces = {}
        self.links = {}
        self.address = {}
        run("ip", "link", "add", self.bridge, "type", "bridge")
        run("ip", "addr", "add", f"10.77.{self.subnet}.254/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        for index, host in enumerate(HOSTS, start=1):
            namespace, inside, outside = f"rk{tag}{host}", f"rk{tag}{host}0", f"rk{tag}{host}1"
            run("ip", "netns", "add", namespace)
            self.namespaces[host] = namespace
            run("ip", "link", "add", inside, "type", "veth", "peer", "name", outside)
            run("ip", "link", "set", inside, "netns", namespace)
            self.address[host] = f"10.77.{self.subnet}.{index}"
            run("ip", "-n", namespace, "addr", "add", f"{self.address[host]}/24", "dev", inside)
            run("ip", "-n", namespace, "link", "set", inside, "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")
            run("ip", "link", "set", outside, "master", self.bridge)
            run("ip", "link", "set", outside, "up")
            self.links[host] = outside

    def cut(self, host):
        run("ip", "link", "set", self.links[host], "down")

    def restore(self, host):
        run("ip", "link", "set", self.links[host], "up")

    def remove(self):
        for namespace in self.namespaces.values():
            run("ip", "netns", "del", namespace, check=False)
        run("ip", "link", "del", self.bridge, check=False)


class Deployment:
    """The default topology with each node at its host's address, its PKI, and the nodes."""

    def __init__(self, hosts):
        self.hosts = hosts
        self.binary = Path(os.environ.get("RENKEI", ROOT / ".build/debug/renkei"))
        if not self.binary.exists():
            pytest.fail(f"{self.binary} does not exist: run `swift build` first, or set RENKEI")
        self.directory = Path(tempfile.mkdtemp(prefix="renkei-multihost-"))
        shutil.copytree(ROOT / "config", self.directory / "config")
        self.topology_file = self.directory / "config/topology.yaml"
        self.locations = ["--config", str(self.topology_file), "--certs", str(self.directory / "certs"),
                          "--data", str(self.directory / "data")]
        host_of = {node: host for host, nodes in HOSTS.items() for node in nodes}
        topology = yaml.safe_load(self.topology_file.read_text())
        # The admin API and the console need every node in one process; these hosts run one per node.
        topology.pop("admin", None)
        topology.pop("console", None)
        self.endpoints = {}

        def place(spec, key="listen"):
            port = spec[key].rsplit(":", 1)[1]
            address = f"{hosts.address[host_of[spec['name']]]}:{port}"
            spec[key] = address
            return address

        for key in ["network_system", "resident_registry", "time_stamp_authority"]:
            self.endpoints[topology[key]["name"]] = place(topology[key])
        for spec in topology["intermediate_servers"] + topology["address_systems"]:
            self.endpoints[spec["name"]] = place(spec)
            if "edge" in spec:
                self.endpoints[spec["name"] + ".edge"] = place(spec, "edge")
        self.topology_file.write_text(yaml.safe_dump(topology, allow_unicode=True, sort_keys=False))
        self.endpoints_file = self.directory / "endpoints.json"
        self.endpoints_file.write_text(json.dumps(self.endpoints))
        generated = run(str(self.binary), "certs", "generate", "--config", str(self.topology_file), "--dir", str(self.directory / "certs"), check=False)
        assert generated.returncode == 0, generated.stderr
        self.nodes = {}
        self.log = open(self.directory / "nodes.log", "w")

    def start(self, node):
        host = next(host for host, nodes in HOSTS.items() if node in nodes)
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.hosts.namespaces[host], str(self.binary), "node", node] + self.locations,
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.nodes[node] = process
        return process

    def wait_ready(self, node):
        lines = []
        for line in self.nodes[node].stdout:
            lines.append(line)
            if line.strip() == "ready":
                return lines
        pytest.fail(f"{node} ended before ready:\n" + "".join(lines) + (self.directory / "nodes.log").read_text())

    def inquire(self, address_number, timeout):
        return run(str(self.binary), "inquire", *self.locations, "--endpoints", str(self.endpoints_file),
                   "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                   "--info", "TM00000000000002", "--address-number", address_number, "--timeout", str(timeout), check=False)

    def stop(self):
        for process in self.nodes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.nodes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="module")
def deployment():
    hosts = Hosts()
    deployment = None
    try:
        deployment = Deployment(hosts)
        # The witness first: every other node checks its log against it before it serves.
        deployment.start("tsa")
        deployment.wait_ready("tsa")
        others = [node for nodes in HOSTS.values() for node in nodes if node != "tsa"]
        for node in others:
            deployment.start(node)
        for node in others:
            deployment.wait_ready(node)
        yield deployment
    finally:
        if deployment is not None:
            deployment.stop()
        hosts.remove()


def mover(deployment):
    listed = run(str(deployment.binary), "population", *deployment.locations, "--city", "tomakomai", "--movers", "--limit", "1")
    return listed.stdout.splitlines()[2].split("\t")[0]


def certificate_names(deployment, node):
    text = run("openssl", "x509", "-in", str(deployment.directory / f"certs/{node}.crt"), "-noout", "-ext", "subjectAltName").stdout
    return text


def test_each_certificate_names_its_host(deployment):
    for host, nodes in HOSTS.items():
        for node in nodes:
            assert f"IP Address:{deployment.hosts.address[host]}" in certificate_names(deployment, node), node


def test_inquiry_crosses_three_hosts_then_a_cut_link_times_out_and_recovers(deployment):
    person = mover(deployment)
    first = deployment.inquire(person, timeout=10)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["outcome"] == "provided"

    # Host a (the network system) drops off the network: packets are lost, nothing is refused.
    deployment.hosts.cut("a")
    started = time.monotonic()
    cut = deployment.inquire(person, timeout=3)
    waited = time.monotonic() - started
    deployment.hosts.restore("a")
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert cut.stderr.startswith("error: DEADLINE_EXCEEDED: "), cut.stderr
    assert waited < 10, f"the inquirer waited {waited:.1f} s for a 3 s deadline"

    # The three parties' records agree on every exchange, the timed-out one included.
    reconciled = run(str(deployment.binary), "records", "reconcile", *deployment.locations, check=False)
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    assert "0 disagreements" in reconciled.stdout

    # The link back: the same processes answer, no restart.
    again = None
    for _ in range(20):
        again = deployment.inquire(person, timeout=5)
        if again.returncode == 0:
            break
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["outcome"] == "provided"
    for node, process in deployment.nodes.items():
        assert process.poll() is None, f"{node} stopped"
