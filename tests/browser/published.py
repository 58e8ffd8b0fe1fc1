"""The published copy (`remit publish --demo`) in headless Chromium, read from disk over
`file://` as someone who was sent the folder would read it: every kind of page at 360 px and
1366 px without sideways scrolling and with its stylesheet applied, the links between pages
followed, and the search box on the home page finding a misspelt place through the copy's own
search script and index. Screenshots go to the output folder.

Only the Python standard library and Debian's chromium + chromium-driver are needed. Run it
through tests/browser/run.sh.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from webdriver import Failure, check, run_in_browser

# What an internal identifier looks like (`local_police`): none may show outside a disclosure.
INTERNAL_ID = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")

# The place whose guides and common questions are published: one city keeps the copy small.
PLACE = "ocd-division/country:us/state:ca/place:los_angeles"


def publish(remit, site):
    command = [remit, "--quiet", "publish", "--demo", "--out", site, "--place", PLACE, "--max-views", "4", "--max-files", "6000"]
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
    went = browser.url_when(lambda url: url.endswith("/jurisdictions/index.html"))
    check(went.endswith("/jurisdictions/index.html"), f"Places led to {went}")
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
    went = browser.url_when(lambda url: url.endswith("/jurisdictions/ocd-division/country-us/state-ca/index.html"))
    check(
        went.endswith("/jurisdictions/ocd-division/country-us/state-ca/index.html"),
        f"the result led to {went}",
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

    print("4. the Spanish half: every kind of page at 360 px and 1366 px, its switch, its search")
    spanish = ["es/" + page for page in pages if not page.startswith(("rules/us-ca/", "ask/q", "guide/"))]
    spanish += [
        "es/guide/index.html",
        "es/compliance/index.html",
        "es/changes/index.html",
        "es/-/upload/index.html",
        first_file(site, "es/rules/us-ca"),
        first_file(site, "es/ask"),
        first_file(site, "es/guide"),
    ]
    for width, height in [(360, 780), (1366, 900)]:
        browser.resize(width, height)
        for page in spanish:
            browser.open(f"{root}/{page}")
            check(browser.url().startswith("file://"), f"{page} left the copy: {browser.url()}")
            check(browser.script("return document.documentElement.lang") == "es", f"{page} is not lang=\"es\"")
            scroll, client = browser.script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            check(scroll <= client, f"{page} scrolls sideways at {width} px: {scroll} px wide in {client} px")
            shown = browser.text(browser.find("main"))
            # Commands shown as code (`remit ask ... --action honor_detainer`) are program words.
            commands = " ".join(browser.script("return Array.from(document.querySelectorAll('main code')).map(function (c) { return c.textContent; })"))
            ids = sorted(set(INTERNAL_ID.findall(shown)) - set(INTERNAL_ID.findall(commands)))
            check(not ids, f"{page} shows internal identifiers outside a disclosure at {width} px: {ids}")
            check("asesoramiento legal" in browser.text(browser.find("footer")), f"{page} lost the disclaimer")
        print(f"   {len(spanish)} Spanish pages fit {width} px")
    browser.resize(1366, 900)
    browser.open(f"{root}/es/rules/index.html")
    browser.click(browser.find("a[hreflang='en']"))
    went = browser.url_when(lambda url: url.endswith("/rules/index.html") and "/es/" not in url)
    check(went.endswith("/rules/index.html") and "/es/" not in went, f"the switch led to {went}")
    browser.click(browser.find("a[hreflang='es']"))
    went = browser.url_when(lambda url: url.endswith("/es/rules/index.html"))
    check(went.endswith("/es/rules/index.html"), f"the switch back led to {went}")
    browser.open(f"{root}/es/index.html")
    browser.type(browser.find("#site-search"), "califronia")
    browser.click(browser.find("form.search button"))
    wait_for(browser, "#search-summary")
    check("/es/search/index.html" in browser.url(), f"the Spanish search box led to {browser.url()}")
    summary = browser.text(browser.find("#search-summary"))
    check("resultado" in summary, f"the Spanish search does not speak Spanish: {summary}")
    results = browser.find_all("#search-results a")
    titles = [browser.text(r) for r in results]
    check("California" in titles, f"the Spanish search did not find California: {titles[:10]}")
    browser.click(results[titles.index("California")])
    went = browser.url_when(lambda url: url.endswith("/es/jurisdictions/ocd-division/country-us/state-ca/index.html"))
    check(went.endswith("/es/jurisdictions/ocd-division/country-us/state-ca/index.html"), f"the result led to {went}")
    browser.resize(360, 780)
    browser.open(f"{root}/es/audits/demo-network-audit/index.html")
    browser.screenshot(os.path.join(out, "published-audit-es-phone.png"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remit", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="remit-published-")
    site = os.path.join(folder, "site")
    print("== remit publish --demo, read from file:// in Chromium with JavaScript on")
    try:
        publish(args.remit, site)
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        return 1

    def body(browser):
        run(browser, site, args.out)
        print("ok: the published copy works from disk in Chromium")

    try:
        return run_in_browser("1366,900", True, args.out, "published-failure.png", body)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
