"""The published copy (`remit publish --demo`) in headless Chromium, read from disk over
`file://` as someone who was sent the folder would read it: every kind of page at 360 px and
1366 px without sideways scrolling and with its stylesheet applied, the links between pages
followed, and the search box on the home page finding a misspelt place through the copy's own
search script and index. Screenshots go to the output folder.

Only the Python standard library and Debian's chromium + chromium-driver are needed. Run it
through tests/browser/run.sh.
"""

import argparse
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
import urllib.parse
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1366,900",
]

# The place whose guides and common questions are published: one city keeps the copy small.
PLACE = "ocd-division/country:us/state:ca/place:los_angeles"


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
    """A WebDriver session in headless Chromium, with JavaScript on (the copy's search)."""

    def __init__(self, driver_url, profile):
        options = {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": CHROMIUM_FLAGS + [f"--user-data-dir={profile}"],
        }
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


def publish(remit, site):
    command = [remit, "--quiet", "publish", "--demo", "--out", site, "--place", PLACE, "--max-views", "4", "--max-files", "3000"]
    print("   " + " ".join(command))
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    check(done.returncode == 0, f"remit publish failed ({done.returncode}): {done.stderr}")
    print("   " + done.stdout.splitlines()[0])


def first_file(site, folder):
    """The first page (in name order) under `folder` of the copy, other than its own index."""
    own = os.path.join(folder, "index.html")
    for root, _, names in sorted(os.walk(os.path.join(site, folder))):
        for name in sorted(names):
            path = os.path.relpath(os.path.join(root, name), site)
            if name.endswith(".html") and path != own:
                return path
    raise Failure(f"no page under {folder}/ in the copy")


def wait_for(browser, css, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if browser.find_all(css):
            return
        time.sleep(0.1)
    raise Failure(f"`{css}` did not appear on {browser.url()}")


def run(browser, site, out):
    root = "file://" + urllib.parse.quote(os.path.abspath(site))
    pages = [
        "index.html",
        "287g/index.html",
        "rules/index.html",
        "jurisdictions/index.html",
        "jurisdictions/ocd-division/country-us/state-ca/index.html",
        "agencies/index.html",
        "audits/index.html",
        "audits/demo-network-audit/index.html",
        "sharing/index.html",
        "guide/index.html",
        "ask/index.html",
        "search/index.html",
        "-/left-out/index.html",
        first_file(site, "rules/us-ca"),
        first_file(site, "ask"),
        first_file(site, "guide"),
    ]
    print("1. every kind of page at 360 px and 1366 px, from file://")
    for width, height in [(360, 780), (1366, 900)]:
        browser.resize(width, height)
        for page in pages:
            browser.open(f"{root}/{page}")
            check(browser.url().startswith("file://"), f"{page} left the copy: {browser.url()}")
            scroll, client = browser.script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            check(scroll <= client, f"{page} scrolls sideways at {width} px: {scroll} px wide in {client} px")
            # The stylesheet is a file of the copy: without it the search form is not a row.
            display = browser.script("return getComputedStyle(document.querySelector('form.search')).display")
            check(display == "flex", f"{page}: the stylesheet did not load from file:// ({display})")
            check("not legal advice" in browser.text(browser.find("footer")), f"{page} lost the disclaimer")
        print(f"   {len(pages)} pages fit {width} px")
    browser.resize(360, 780)
    browser.open(f"{root}/index.html")
    browser.screenshot(os.path.join(out, "published-home-phone.png"))

    print("2. a link followed: Places, then California")
    browser.resize(1366, 900)
    browser.open(f"{root}/index.html")
    browser.click(browser.find("nav a[href='jurisdictions/index.html']"))
    check(browser.url().endswith("/jurisdictions/index.html"), f"Places led to {browser.url()}")
    links = [l for l in browser.find_all("main a") if browser.text(l) == "California"]
    check(links, "the list of places has no California")
    browser.click(links[0])
    check("California" in browser.text(browser.find("h1")), f"California's page: {browser.url()}")

    print("3. the search box on the home page, with a misspelt place")
    browser.open(f"{root}/index.html")
    browser.type(browser.find("#site-search"), "califronia")
    browser.click(browser.find("form.search button"))
    wait_for(browser, "#search-summary")
    check("/search/index.html" in browser.url(), f"the search box led to {browser.url()}")
    results = browser.find_all("#search-results a")
    titles = [browser.text(r) for r in results]
    check("California" in titles, f"the search for `califronia` did not find California: {titles[:10]}")
    browser.screenshot(os.path.join(out, "published-search.png"))
    browser.click(results[titles.index("California")])
    check(
        browser.url().endswith("/jurisdictions/ocd-division/country-us/state-ca/index.html"),
        f"the result led to {browser.url()}",
    )
    browser.resize(360, 780)
    browser.open(f"{root}/search/index.html?q=sample+sheriff")
    wait_for(browser, "#search-summary")
    summary = browser.text(browser.find("#search-summary"))
    check("match" in summary and not summary.startswith("Nothing"), f"no agency found: {summary}")
    scroll, client = browser.script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    check(scroll <= client, f"search results scroll sideways at 360 px: {scroll} in {client}")
    browser.screenshot(os.path.join(out, "published-search-phone.png"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remit", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="remit-published-")
    site = os.path.join(folder, "site")
    profile = tempfile.mkdtemp(prefix="remit-browser-")
    driver = None
    browser = None
    try:
        print("== remit publish --demo, read from file:// in Chromium with JavaScript on")
        publish(args.remit, site)
        driver, driver_url = start_driver()
        browser = Browser(driver_url, profile)
        run(browser, site, args.out)
        print("ok: the published copy works from disk in Chromium")
        return 0
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        if browser is not None:
            try:
                browser.screenshot(os.path.join(args.out, "published-failure.png"))
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
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
