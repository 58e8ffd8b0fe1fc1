"""What the browser tests share: a WebDriver session in headless Chromium (started through
Debian's chromedriver), a small HTTP client, and the flags this machine needs.

Only the Python standard library and Debian's chromium + chromium-driver are needed.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# What the probe of this machine showed Chromium needs here: no sandbox as root, and no
# background networking (the network is closed, and Chromium would keep trying).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Browser:
    """A WebDriver session in headless Chromium: `window` as `WIDTHxHEIGHT`, JavaScript on or
    off."""

    def __init__(self, driver_url, profile, window, javascript):
        options = {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": CHROMIUM_FLAGS + [f"--window-size={window}", f"--user-data-dir={profile}"],
        }
        if not javascript:
            options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
        status, body = http(
            "POST",
            f"{driver_url}/session",
            {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}},
        )
        reply = json.loads(body)
        if status != 200:
            raise Failure(f"cannot start Chromium: {reply}")
        self.session = f"{driver_url}/session/{reply['value']['sessionId']}"

    def call(self, method, path, body=None):
        status, raw = http(method, f"{self.session}{path}", body)
        reply = json.loads(raw) if raw else {}
        if status != 200:
            raise Failure(f"WebDriver {method} {path}: {reply.get('value', reply)}")
        return reply.get("value")

    def open(self, url):
        self.call("POST", "/url", {"url": url})

    def url(self):
        return self.call("GET", "/url")

    def url_when(self, condition, seconds=15):
        """The page's address once `condition(address)` holds (a click may return before the
        browser has moved), or the last address read after `seconds`."""
        url = self.url()
        deadline = time.monotonic() + seconds
        while not condition(url) and time.monotonic() < deadline:
            time.sleep(0.1)
            url = self.url()
        return url

    def script(self, source):
        return self.call("POST", "/execute/sync", {"script": source, "args": []})

    def find(self, css):
        found = self.call("POST", "/element", {"using": "css selector", "value": css})
        if not isinstance(found, dict) or ELEMENT not in found:
            raise Failure(f"no element `{css}` on {self.url()}: {found}")
        return found[ELEMENT]

    def find_all(self, css):
        found = self.call("POST", "/elements", {"using": "css selector", "value": css})
        return [f[ELEMENT] for f in found]

    def text(self, element):
        return self.call("GET", f"/element/{element}/text")

    def click(self, element):
        self.call("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self.call("POST", f"/element/{element}/clear", {})
        self.call("POST", f"/element/{element}/value", {"text": text})

    def prop(self, element, name):
        return self.call("GET", f"/element/{element}/property/{name}")

    def rect(self, element):
        return self.call("GET", f"/element/{element}/rect")

    def resize(self, width, height):
        self.call("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, path):
        png = base64.b64decode(self.call("GET", "/screenshot"))
        with open(path, "wb") as out:
            out.write(png)
        print(f"   screenshot {path}")

    def close(self):
        try:
            http("DELETE", self.session)
        except OSError:
            pass


def start_driver():
    port = free_port()
    driver = subprocess.Popen(
        ["chromedriver", f"--port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            status, _ = http("GET", f"{url}/status", timeout=2)
            if status == 200:
                return driver, url
        except OSError:
            pass
        time.sleep(0.1)
    driver.kill()
    raise Failure("chromedriver did not start")


def run_in_browser(window, javascript, out, failure_png, body):
    """Starts chromedriver and a Chromium session, calls `body(browser)`, and returns the exit
    code: 0 when it returns, 1 with the message and a screenshot of the page when it raises
    `Failure`. The session, the driver and the browser profile are removed in every case."""
    profile = tempfile.mkdtemp(prefix="remit-browser-")
    driver = None
    browser = None
    try:
        driver, driver_url = start_driver()
        browser = Browser(driver_url, profile, window, javascript=javascript)
        body(browser)
        return 0
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        if browser is not None:
            try:
                browser.screenshot(os.path.join(out, failure_png))
            except Failure:
                pass
        return 1
    finally:
        if browser is not None:
            browser.close()
        if driver is not None:
            driver.terminate()
            driver.wait(10)
        shutil.rmtree(profile, ignore_errors=True)
