#!/usr/bin/env python3
"""Opens a generated HTML backtest report in headless Chromium, offline, and checks the rendered
DOM: the charts are SVGs with drawn content, each pair's chart has one marker per entry and exit,
and every table has one row per record. Also saves a screenshot for people to look at.

Usage: check_report_in_browser.py <html_report_demo> <data dir> <output dir>
Exit 77 (CTest: skipped) when no Chromium is installed, unless CEPHALO_REQUIRE_BROWSER=1.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        node = self.current
        while node is not None:
            node.text += data
            node = node.parent

    def by_id(self, element_id):
        return next((n for n in self.root.walk() if n.attrs.get("id") == element_id), None)


def find_chromium():
    configured = os.environ.get("CEPHALO_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(chromium, profile_dir, extra_args, url):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile_dir,
               # Any name lookup fails: the page must render from the file alone.
               "--host-resolver-rules=MAP * ~NOTFOUND"] + extra_args + [url]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    print(("ok   " if condition else "FAIL ") + message)


def main():
    demo, data_dir, out_dir = sys.argv[1:4]
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found (apt-get install chromium, or set CEPHALO_CHROMIUM)")
        return 1 if os.environ.get("CEPHALO_REQUIRE_BROWSER") == "1" else 77
    if not os.access(demo, os.X_OK):
        print("%s is not built: cmake --build <build> --target html_report_demo" % demo)
        return 1
    os.makedirs(out_dir, exist_ok=True)
    report = os.path.join(out_dir, "report_demo.html")
    screenshot = os.path.join(out_dir, "report_demo.png")
    for stale in (report, screenshot):
        if os.path.exists(stale):
            os.remove(stale)
    made = subprocess.run([demo, data_dir, report], capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        print("html_report_demo failed:", made.stderr)
        return 1
    expected = json.loads(made.stdout)
    print("expected:", json.dumps(expected))
    url = "file://" + os.path.abspath(report)

    with tempfile.TemporaryDirectory(prefix="cephalo_chromium_") as profile:
        dumped = run_chromium(chromium, os.path.join(profile, "dom"), ["--dump-dom"], url)
        check(dumped.returncode == 0, "chromium --dump-dom exits 0 (%d)" % dumped.returncode)
        dom = Dom()
        dom.feed(dumped.stdout)

        for chart_id, drawn_class in (("equity-chart", "equity-line"),
                                      ("drawdown-chart", "drawdown-area")):
            svg = dom.by_id(chart_id)
            check(svg is not None and svg.tag == "svg", "#%s is an <svg>" % chart_id)
            if svg is None:
                continue
            paths = [n for n in svg.walk() if n.tag == "path" and drawn_class in n.classes()]
            longest = max((len(p.attrs.get("d", "")) for p in paths), default=0)
            check(longest > 1000, "#%s draws a %s path (%d chars of path data)"
                  % (chart_id, drawn_class, longest))
            labels = [n for n in svg.walk() if n.tag == "text" and n.text.strip()]
            check(len(labels) >= 4, "#%s has axis labels (%d)" % (chart_id, len(labels)))

        for pair in expected["pairs"]:
            svg = dom.by_id(pair["id"])
            check(svg is not None and svg.tag == "svg", "#%s is an <svg>" % pair["id"])
            if svg is None:
                continue
            bodies = [n for n in svg.walk() if n.tag == "path" and "body" in n.classes()]
            check(len(bodies) == 2 and all(len(b.attrs.get("d", "")) > 1000 for b in bodies),
                  "#%s draws up and down candle bodies" % pair["id"])
            markers = [n for n in svg.walk() if n.tag == "path" and "marker" in n.classes()]
            entries = sum(1 for m in markers if "entry" in m.classes())
            exits = sum(1 for m in markers if "exit" in m.classes())
            check(entries == pair["entries"], "#%s has %d entry markers (expected %d)"
                  % (pair["id"], entries, pair["entries"]))
            check(exits == pair["exits"], "#%s has %d exit markers (expected %d)"
                  % (pair["id"], exits, pair["exits"]))

        for table_id, key in (("trades-table", "trades"), ("open-positions-table", "open_positions"),
                              ("rejected-orders-table", "rejected_orders"),
                              ("per-pair-table", "per_pair"), ("exit-reasons-table", "exit_reasons"),
                              ("metrics-table", "metrics"), ("buy-and-hold-table", "buy_and_hold")):
            table = dom.by_id(table_id)
            check(table is not None and table.tag == "table", "#%s is a <table>" % table_id)
            if table is None:
                continue
            body = next((n for n in table.children if n.tag == "tbody"), None)
            rows = [n for n in body.children if n.tag == "tr"] if body else []
            check(len(rows) == expected[key], "#%s has %d body rows (expected %d)"
                  % (table_id, len(rows), expected[key]))
        check(expected["trades"] > 10, "the demo made a real number of trades (%d)"
              % expected["trades"])

        # A reason carrying markup must arrive as text, not as an element.
        check(not any(n.tag == "img" for n in dom.root.walk()), "no <img> element was injected")
        rejected = dom.by_id("rejected-orders-table")
        check(rejected is not None and "<img src=x>" in rejected.text,
              "the markup in a rejected reason shows as text")

        shot = run_chromium(chromium, os.path.join(profile, "shot"),
                            ["--screenshot=" + screenshot, "--window-size=1280,3800",
                             "--hide-scrollbars"], url)
        size = os.path.getsize(screenshot) if os.path.exists(screenshot) else 0
        check(shot.returncode == 0 and size > 50_000,
              "chromium --screenshot wrote %s (%d bytes)" % (screenshot, size))

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all browser checks passed; look at", screenshot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
