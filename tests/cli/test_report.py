"""The HTML report: alglab matrix --out's report.html and alglab run --out's run.html.

The matrix page is opened in headless Chromium (Debian's chromium, driven over the DevTools
protocol with python3-websocket): the grid, a plot and a ladder must render, and a real click on
a cell must show its evidence. The ladder's messages are checked against tshark's reading of the
router's pcaps.
"""
import base64
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import websocket

from conftest import run_alglab

SCENARIO = "shared-rtp-port"  # 100 simulated seconds, hosted PBX: every SIP message crosses the router
VENDORS = "linux-netfilter,none"
CHROMIUM = shutil.which("chromium")
TSHARK = shutil.which("tshark")
WAIT = 30  # seconds: the bound of every wait on the browser


def page_data(html_path):
    """The data a report page embeds (script#report-data)."""
    text = Path(html_path).read_text()
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S)
    assert m, "no report data in the page"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def matrix_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "m"
    proc = run_alglab("matrix", "--vendors", VENDORS, "--scenarios", SCENARIO, "--jobs", "2", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


class Browser:
    """One headless Chromium and one page, over the DevTools protocol."""

    def __init__(self, profile):
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--mute-audio", "--disable-background-networking", "--window-size=1400,1000",
             # The DevTools server listens on loopback only; a client without an Origin header
             # (below) is what recent Chromium lets in, older ones take the flag.
             "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + WAIT
        while not (port_file.exists() and port_file.read_text().strip()):
            assert time.monotonic() < deadline, "chromium did not start its DevTools server"
            assert self.proc.poll() is None, "chromium exited"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=WAIT) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=WAIT, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                assert "error" not in msg, msg["error"]
                return msg["result"]
            self.events.append(msg)
        raise AssertionError(f"no answer to {method}")

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in r, r["exceptionDetails"]
        return r["result"].get("value")

    def wait_for(self, expression):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.eval(expression):
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def click(self, selector):
        """A real mouse click (press and release) at the middle of the element."""
        rect = self.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                         "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                         "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=rect[0], y=rect[1], button="left", clickCount=1)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(matrix_out, tmp_path_factory):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed (scripts/setup.sh installs it)")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        b.call("Network.enable")
        b.call("Page.enable")
        b.call("Page.navigate", url=(matrix_out / "report.html").resolve().as_uri())
        b.wait_for("document.readyState === 'complete' && !!window.alglabReport")
        yield b
    finally:
        b.close()


def test_the_pages_are_written_and_self_contained(matrix_out):
    html = (matrix_out / "report.html").read_text()
    # Nothing to fetch: no src or href pointing anywhere (scripts and styles are inline).
    assert not re.search(r'\s(src|href)\s*=', html)
    data = page_data(matrix_out / "report.html")
    assert data["kind"] == "matrix"
    assert data["matrix"] == json.loads((matrix_out / "matrix.json").read_text())
    assert set(data["runs"]) == {"linux-netfilter", "none"}
    for vendor in ("linux-netfilter", "none"):
        ev = json.loads((matrix_out / "runs" / vendor / SCENARIO / "alg-on.evidence.json").read_text())
        assert ev["rtp"] and ev["registrations"] and ev["ladder"]["messages"]
        run = json.loads((matrix_out / "runs" / vendor / SCENARIO / "alg-on.json").read_text())
        assert "evidence" not in run  # the run's JSON stays what --json prints


def test_matrix_page_renders_grid_and_a_click_shows_the_evidence(browser, matrix_out):
    b = browser
    # Loading the page requested nothing but the file itself.
    urls = [e["params"]["request"]["url"] for e in b.events if e.get("method") == "Network.requestWillBeSent"]
    assert urls and all(u.startswith(("file:", "data:", "about:")) for u in urls), urls
    assert b.eval("document.querySelectorAll('#matrix-grid td.cell').length") == 2 * 7
    assert b.eval("document.querySelectorAll('#legend .swatch').length") == 5
    # linux-netfilter's ALG causes one-way audio here (the golden matrix says so too).
    cell = '#matrix-grid td.cell[data-vendor="linux-netfilter"][data-symptom="one_way_audio"]'
    assert b.eval(f"document.querySelector('{cell}').dataset.cause") == "alg"
    assert not b.eval("!!document.querySelector('#evidence .run')")
    b.click(cell)
    b.wait_for("document.querySelectorAll('#evidence .plot canvas').length > 0")
    assert b.eval(f"document.querySelector('{cell}').classList.contains('selected')")
    assert "one_way_audio" in b.eval("document.querySelector('#evidence h2').textContent")
    assert b.eval("document.querySelectorAll('#evidence .plot.rtp').length") >= 1
    assert b.eval("document.querySelectorAll('#evidence .plot.registration').length") == 1
    assert b.eval("document.querySelectorAll('#evidence svg.ladder g.msg').length") > 0
    # The ALG's changes are highlighted, and a click shows the before/after diff.
    assert b.eval("document.querySelectorAll('#evidence svg.ladder g.msg.alg-rewrote').length") > 0
    assert b.eval("document.querySelectorAll('#evidence svg.ladder g.msg.alg-dropped').length") > 0
    b.eval("document.querySelector('#evidence svg.ladder g.msg.alg-rewrote')"
           ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    b.wait_for("!document.querySelector('#evidence .diff').hidden")
    assert b.eval("document.querySelectorAll('#evidence .diff .del').length") > 0
    assert b.eval("document.querySelectorAll('#evidence .diff .ins').length") > 0
    shot = base64.b64decode(b.call("Page.captureScreenshot", format="png")["data"])
    (matrix_out / "report.png").write_bytes(shot)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20000


def test_optional_sections_render_from_the_data(browser):
    b = browser
    # after_remediation comes from the matrix: the kernel helper's runbook fixes its one-way audio.
    badge = ('#matrix-grid td.cell[data-vendor="linux-netfilter"][data-symptom="one_way_audio"] '
             '.badge[data-after-remediation]')
    assert b.eval(f"document.querySelector('{badge}').dataset.afterRemediation") == "false"
    # Each vendor's runbook, from alg-models/<vendor>/runbook.yaml.
    assert b.eval("document.querySelectorAll('#runbooks details.runbook[data-vendor=\"linux-netfilter\"]').length") == 1
    assert "conntrack -F" in b.eval("document.querySelector('#runbooks').textContent")
    # The matrix's workaround table: TLS removes the kernel helper's one-way audio, TCP does not.
    row = ("Array.from(document.querySelectorAll('#workarounds table.workarounds tr')).find(r => "
           "r.cells[0].textContent === 'linux-netfilter' && r.cells[1].textContent === '{}')")
    col = "Array.from(document.querySelectorAll('#workarounds table.workarounds th')).findIndex(h => h.title === 'one_way_audio')"
    assert b.eval(f"({row.format('tls')}).cells[{col}].textContent") == "Y"
    assert b.eval(f"({row.format('tcp')}).cells[{col}].textContent") == "n"
    b.eval("""(() => {
      const d = JSON.parse(JSON.stringify(window.alglabReport.data));
      d.runbooks = {"linux-netfilter":
                    {"steps": [{"action": "disable sip helper", "command": "modprobe -r nf_nat_sip"}]}};
      d.workarounds = [{"symptom": "one_way_audio", "workaround": "move SIP to port 5080"}];  // any shape renders
      window.alglabReport.render(d);
    })()""")
    assert b.eval("document.querySelectorAll('#runbooks details.runbook').length") == 1
    assert "nf_nat_sip" in b.eval("document.querySelector('#runbooks').textContent")
    assert "port 5080" in b.eval("document.querySelector('#workarounds table').textContent")


def tshark_first_lines(pcap, call_id):
    proc = subprocess.run([TSHARK, "-n", "-r", str(pcap), "-Y", f'sip.Call-ID == "{call_id}"', "-T", "fields",
                           "-e", "sip.Request-Line", "-e", "sip.Status-Line"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()]


def router_pcaps(out):
    """{"lan": pcap, "wan": pcap} of the router, told apart by their link layer."""
    sides = {}
    for pcap in sorted(out.glob("router-if*.pcap")):
        proc = subprocess.run([TSHARK, "-n", "-r", str(pcap), "-c", "1", "-T", "fields", "-e", "frame.protocols"],
                              capture_output=True, text=True, timeout=60)
        sides["lan" if proc.stdout.startswith("eth") else "wan"] = pcap
    return sides


def test_the_ladder_agrees_with_tshark_on_one_dialog(scenario_run):
    if TSHARK is None:
        pytest.fail("tshark is not installed (scripts/setup.sh installs it)")
    _, out = scenario_run(SCENARIO, "linux-netfilter")
    data = page_data(out / "run.html")
    assert data["kind"] == "run"
    ladder = data["evidence"][data["results"]["r0"]["evidence"]]["ladder"]
    # The first dialog the ALG changed a message of, with messages on both sides of the router.
    dialog = None
    for d in ladder["dialogs"]:
        msgs = [m for m in ladder["messages"] if m["call_id"] == d["call_id"]]
        if any("alg" in m for m in msgs) and {m["side"] for m in msgs} == {"lan", "wan"}:
            dialog = d["call_id"]
            break
    assert dialog, ladder["dialogs"]
    assert ladder["omitted"] == 0
    pcaps = router_pcaps(out)
    assert set(pcaps) == {"lan", "wan"}
    for side in ("lan", "wan"):
        ours = [m["first_line"] for m in ladder["messages"] if m["call_id"] == dialog and m["side"] == side]
        assert ours == tshark_first_lines(pcaps[side], dialog), side
    # A rewritten message carries its text before and after the ALG.
    rewritten = [m for m in ladder["messages"] if m.get("alg") == "rewrote"]
    assert rewritten and all(m["before"] != m["after"] for m in rewritten)


def test_run_page_is_deterministic(scenario_run, tmp_path):
    _, out = scenario_run(SCENARIO, "linux-netfilter")
    again = tmp_path / "again"
    proc = run_alglab("run", SCENARIO, "--vendor", "linux-netfilter", "--out", again, "--json")
    assert proc.returncode == 0, proc.stderr
    for name in ("run.html", "evidence.json"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
