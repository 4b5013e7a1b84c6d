"""The training console in a real browser: `renkei up` on ephemeral ports in a scratch
directory, Chromium (headless) through chromedriver and selenium.

Run from the repository root: `python3 -m pytest tests/browser` (after `swift build`).
RENKEI names the renkei binary (default .build/debug/renkei); RENKEI_SCREENSHOTS names a
folder to save the main screens in (docs/console is where the README takes them from)."""

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser-test-password"
STAFF = [("tomakomai", "user01"), ("tomakomai", "zei01"), ("tomakomai", "trainer01"), ("sapporo", "user01")]


def renkei_binary():
    path = Path(os.environ.get("RENKEI", ROOT / ".build/debug/renkei"))
    if not path.exists():
        pytest.fail(f"{path} does not exist: run `swift build` first, or set RENKEI")
    return path


class Network:
    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="renkei-browser-"))
        self.binary = renkei_binary()
        shutil.copytree(ROOT / "config", self.directory / "config")
        self.locations = ["--config", str(self.directory / "config/topology.yaml"), "--certs", str(self.directory / "certs"),
                          "--data", str(self.directory / "data")]
        self.log = open(self.directory / "up.log", "w")
        self.process = subprocess.Popen([str(self.binary), "up", "--single-process", "--ephemeral-ports"] + self.locations,
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        lines = []
        # The readiness signal is the line `ready` (no sleeping on a guess).
        for line in self.process.stdout:
            lines.append(line)
            if line.strip() == "ready":
                break
        else:
            pytest.fail("renkei up ended before ready:\n" + "".join(lines) + (self.directory / "up.log").read_text())
        endpoints = json.loads((self.directory / "data/endpoints.json").read_text())
        self.console = "https://" + endpoints["console"]
        for organization, user in STAFF:
            subprocess.run([str(self.binary), "staff", "reset-password", "--org", organization, "--user", user, "--password-stdin"]
                           + self.locations, input=PASSWORD + "\n", text=True, check=True, capture_output=True)

    def spki_hash(self):
        """The console's public key, the one certificate the browser is told to trust."""
        der = subprocess.run(["openssl", "x509", "-in", str(self.directory / "certs/trainer.crt"), "-pubkey", "-noout"],
                             check=True, capture_output=True).stdout
        key = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=der, check=True, capture_output=True).stdout
        digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=key, check=True, capture_output=True).stdout
        return base64.b64encode(digest).decode()

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def network():
    for tool in ["chromium", "chromedriver", "openssl"]:
        if shutil.which(tool) is None:
            pytest.fail(f"the browser tests need {tool}; .ci/run installs it (apt-get install chromium chromium-driver)")
    started = Network()
    yield started
    started.stop()


@pytest.fixture
def browser(network):
    """A fresh browser (no cookies), trusting only the console's key."""
    drivers = []

    def make():
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ja",
                         f"--ignore-certificate-errors-spki-list={network.spki_hash()}"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        driver.implicitly_wait(5)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


def screenshot(driver, name):
    folder = os.environ.get("RENKEI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))
