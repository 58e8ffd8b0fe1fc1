"""The dashboard in headless Chromium, driven over W3C WebDriver (chromedriver), with JavaScript
turned off: open the overview, ask California about sharing plate-reader data with Texas through
the form, check the verdict against the JSON API, follow Florida on the 287(g) map, open an
audit report, and check every kind of page at 360 px and 1366 px for sideways scrolling and for
internal identifiers outside "Technical details" disclosures. Every step saves a screenshot.

Only the Python standard library and Debian's chromium + chromium-driver are needed. Run it
through tests/browser/run.sh.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from webdriver import Failure, check, http, run_in_browser

# A word joined by underscores (`share_alpr_data`, `vague_reason`): the vocabulary's and the
# code's identifiers, which belong only inside "Technical details" disclosures.
INTERNAL_ID = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")

def start_server(remit):
    server = subprocess.Popen(
        [remit, "serve", "--demo", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline()
    prefix = "remit: serving on "
    if not line.startswith(prefix):
        server.kill()
        raise Failure(f"remit serve did not start: {line!r} {server.stderr.read()}")
    return server, line[len(prefix):].split()[0].rstrip("/")


def run(browser, site, out):
    print("1. the overview")
    browser.open(f"{site}/")
    check(browser.text(browser.find("h1")) == "Remit", "the overview has no `Remit` heading")
    check("Demo data" in browser.text(browser.find("main")), "the demo is not labelled as such")
    browser.screenshot(os.path.join(out, "01-overview.png"))

    print("2. the ask form: California, plate-reader data, an agency of another state")
    browser.open(f"{site}/ask")
    browser.type(browser.find("#where"), "CA")
    for select, value in [
        ("actor", "local_police"),
        ("action", "share_alpr_data"),
        ("counterparty", "out_of_state_agency"),
    ]:
        browser.click(browser.find(f"#{select} option[value='{value}']"))
    browser.screenshot(os.path.join(out, "02-ask-form.png"))
    browser.click(browser.find("form.ask button[type=submit]"))
    answered = browser.url_when(lambda url: urllib.parse.urlparse(url).query != "")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(answered).query)
    check(query.get("where") == ["CA"], f"the answer's address lost the place: {answered}")
    check(query.get("action") == ["share_alpr_data"], f"the answer's address lost the action: {answered}")
    # The verdict the page shows is the one the API gives for the same address.
    api = answered.replace("/ask?", "/ask.json?", 1)
    status, body = http("GET", api)
    check(status == 200, f"{api} answered {status}")
    expected = json.loads(body)["data"]
    shown = browser.text(browser.find("h1#verdict .verdict"))
    check(
        shown.lower().replace(" ", "_") == expected["verdict"],
        f"the page shows `{shown}`, the API says `{expected['verdict']}`",
    )
    main = browser.text(browser.find("main"))
    for citation in expected["determining"]:
        check(citation["citation"] in main, f"the citation `{citation['citation']}` is not shown")
    check(expected["disclaimer"] in main, "the disclaimer is not shown")
    trace = browser.find("main details")
    check(browser.prop(trace, "open") is False, "the trace is not collapsed")
    print(f"   verdict: {shown} ({len(expected['determining'])} determining rules)")
    browser.screenshot(os.path.join(out, "03-ask-answer.png"))

    print("3. 287(g): follow Florida on the map")
    browser.open(f"{site}/287g")
    state_map = browser.find("svg#state-map")
    box = browser.rect(state_map)
    check(box["width"] > 300 and box["height"] > 150, f"the state map is drawn {box['width']}x{box['height']} px")
    check(len(browser.find_all("svg#state-map path[data-fips]")) == 56, "the state map does not draw 56 places")
    check(browser.find_all("svg#county-map a path[data-fips]"), "the national county map links no county")
    # Florida's shape: the middle of its box is in the Gulf, so the link is followed by its address.
    florida = browser.find("svg#state-map a[href='/287g?state=FL#map']")
    title = browser.prop(browser.find("svg#state-map a[href='/287g?state=FL#map'] title"), "textContent")
    check(title.startswith("Florida: "), f"Florida's tooltip is {title!r}")
    browser.open(site + browser.call("GET", f"/element/{florida}/attribute/href"))
    check(browser.url().endswith("/287g?state=FL#map"), f"the map link went to {browser.url()}")
    headline = browser.text(browser.find("p.headline"))
    check("in Florida" in headline, f"the Florida page says: {headline}")
    status, body = http("GET", f"{site}/287g.json?state=FL")
    agencies = json.loads(body)["data"]["agencies"]
    check(f"held by {agencies} agencies in Florida" in headline, f"{headline!r} does not say {agencies} agencies")
    print(f"   {headline}")
    browser.screenshot(os.path.join(out, "04-287g-florida.png"))

    print("3b. 287(g): a county on Florida's map, its count and its agreements")
    status, body = http("GET", f"{site}/287g.json?state=FL")
    counties = {c["fips"]: c for c in json.loads(body)["data"]["counties"]}
    clay = counties.get("12019")
    check(clay is not None, f"the JSON counts no agreement in Clay County: {sorted(counties)}")
    drawn = browser.find_all("svg#county-map path[data-fips]")
    check(drawn, "Florida's county map draws no county with agreements")
    check(
        all(browser.call("GET", f"/element/{p}/attribute/data-fips").startswith("12") for p in drawn),
        "Florida's county map draws a county of another state",
    )
    path = browser.find("svg#county-map path[data-fips='12019']")
    box = browser.rect(path)
    check(box["width"] > 5 and box["height"] > 5, f"Clay County is drawn {box['width']}x{box['height']} px")
    value = browser.call("GET", f"/element/{path}/attribute/data-value")
    check(value == str(clay["agreements"]), f"Clay County is shaded for {value}, the JSON says {clay['agreements']}")
    tooltip = browser.prop(browser.find("svg#county-map path[data-fips='12019'] title"), "textContent")
    def plural(number, one, many):
        return f"{number} {one if number == 1 else many}"

    expected = (
        f"Clay, FL: {plural(clay['agreements'], 'agreement', 'agreements')}, "
        f"{plural(clay['agencies'], 'agency', 'agencies')}"
    )
    check(tooltip == expected, f"Clay County's tooltip is {tooltip!r}, not {expected!r}")
    # The same number in the table below the map, for screen readers and phones.
    rows = [browser.prop(r, "textContent") for r in browser.find_all("#counties ~ details table tbody tr")]
    check(any(r.startswith("ClayFL" + str(clay["agreements"])) for r in rows), f"the county table lacks Clay: {rows[:5]}")
    browser.click(path)
    went = browser.url_when(lambda url: "county=12019" in url)
    check("county=12019" in went, f"Clay County's link went to {went}")
    heading = browser.text(browser.find("h2#agreements"))
    check("Clay, FL" in heading, f"the list's heading is {heading!r}")
    status, body = http("GET", f"{site}/287g.json?state=FL&county=12019")
    listed = json.loads(body)["data"]["listed_total"]
    shown = browser.find_all("h2#agreements ~ .scroll table tbody tr")
    check(len(shown) == listed, f"the list shows {len(shown)} agreements, the JSON {listed}")
    print(f"   {tooltip}; {listed} agreements listed")
    browser.resize(360, 780)
    browser.open(f"{site}/287g?state=FL#counties")
    box = browser.rect(browser.find("svg#county-map"))
    check(box["x"] + box["width"] <= 361, f"Florida's county map reaches {box['x'] + box['width']} px at 360 px")
    check(box["height"] > 150, f"Florida's county map is {box['height']} px tall at 360 px")
    browser.screenshot(os.path.join(out, "04b-287g-florida-counties-phone.png"))
    browser.resize(1366, 900)

    print("4. an audit report")
    browser.open(f"{site}/audits")
    links = browser.find_all("main a[href^='/audits/']")
    check(links, "the audits page lists no audit")
    browser.click(links[0])
    went = browser.url_when(lambda url: "/audits/" in url)
    check("/audits/" in went, f"the audit link went to {went}")
    report = browser.text(browser.find("main"))
    check("immigration" in report.lower(), "the audit report says nothing about immigration searches")
    check(browser.find_all("main svg"), "the audit report has no chart")
    browser.screenshot(os.path.join(out, "05-audit-report.png"))

    print("5. the guide for a department, on a 360-px phone screen")
    browser.resize(360, 780)
    viewport = browser.rect(browser.find("html"))["width"]
    browser.open(f"{site}/guide?where=Los+Angeles%2C+CA&actor=local_police&date=2026-01-15")
    heading = browser.text(browser.find("h1"))
    check("Los Angeles" in heading, f"the guide's heading is {heading!r}")
    items = browser.find_all(".guide ol > li")
    check(len(items) >= 10, f"the guide lists only {len(items)} questions")
    status, body = http("GET", f"{site}/guide.json?where=Los+Angeles%2C+CA&actor=local_police&date=2026-01-15")
    guide = json.loads(body)["data"]
    listed = sum(len(section["items"]) for section in guide["sections"])
    check(listed == len(items), f"the page lists {len(items)} questions, the JSON {listed}")
    check(guide["disclaimer"] in browser.text(browser.find("main")), "the guide has no disclaimer")
    for element in [browser.find("h1"), browser.find("form"), *items]:
        box = browser.rect(element)
        check(
            box["x"] + box["width"] <= viewport + 1,
            f"an element reaches {box['x'] + box['width']} px on a {viewport}-px screen",
        )
    links = browser.find_all(".guide a.tap")
    check(links, "the guide has no link to a full answer")
    small = [browser.rect(link)["height"] for link in links[:20] if browser.rect(link)["height"] < 44]
    check(not small, f"tap targets under 44 px: {small}")
    browser.screenshot(os.path.join(out, "06-guide-phone.png"))
    browser.click(links[0])
    went = browser.url_when(lambda url: "/ask?" in url)
    check("/ask?" in went, f"the guide's link went to {went}")

    print("6. every kind of page at 360 px and 1366 px: no sideways scrolling, no internal ids")
    pages = [
        "/",
        "/ask",
        "/ask?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
        "/guide?where=El+Cajon%2C+CA&actor=local_police",
        "/287g",
        "/287g?state=FL",
        "/287g?state=FL&county=12019",
        "/changes",
        "/compliance",
        "/compliance/TX",
        "/coverage",
        "/agencies",
        "/search?q=el+cajon",
        "/audits",
        "/audits/demo-network-audit",
        "/sharing",
        "/-/imports",
        "/rules",
        "/rules/us-ca/gov-7284.6-a1B",
        "/jurisdictions",
        "/jurisdictions/CA",
        "/sources",
        "/vocabulary",
        "/sharing?state=CA",
        "/sharing/Sample%20City%20CA%20PD",
        "/sharing/Sample%20City%20CA%20PD?show=forbidden",
        "/agencies/FL/Bay%20County%20Sample%20Sheriff%27s%20Office",
        "/287g?as_of=1999-01-01",
    ]
    # The same pages in Spanish, whose words run longer.
    pages += ["/es" + path for path in pages]
    for width in (360, 1366):
        browser.resize(width, 900)
        for path in pages:
            browser.open(f"{site}{path}")
            scroll, client = browser.call(
                "POST",
                "/execute/sync",
                {"script": "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]", "args": []},
            )
            check(scroll <= client, f"{path} scrolls sideways at {width} px: {scroll} px wide in {client} px")
            if path.startswith("/es/"):
                lang = browser.call("POST", "/execute/sync", {"script": "return document.documentElement.lang", "args": []})
                check(lang == "es", f"{path} is not lang=\"es\": {lang!r}")
            # Text a reader sees: closed "Technical details" disclosures are not in innerText.
            shown = browser.text(browser.find("main"))
            ids = sorted(set(INTERNAL_ID.findall(shown)))
            check(not ids, f"{path} shows internal identifiers outside a disclosure at {width} px: {ids}")
        print(f"   {len(pages)} pages fit {width} px")
    browser.resize(360, 780)
    browser.open(f"{site}/")
    browser.screenshot(os.path.join(out, "07-home-phone.png"))
    browser.open(f"{site}/search?q=el+cajon")
    browser.screenshot(os.path.join(out, "08-search-phone.png"))
    browser.open(f"{site}/audits/demo-network-audit")
    browser.screenshot(os.path.join(out, "09-audit-phone.png"))
    browser.resize(1366, 900)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remit", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    server, site = start_server(args.remit)

    def body(browser):
        print(f"remit serve --demo at {site}; Chromium with JavaScript off")
        run(browser, site, args.out)
        print("ok: the dashboard works in Chromium")

    try:
        return run_in_browser("1280,2200", False, args.out, "failure.png", body)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
