"""`alglab detect --live` and `alglab detect-server`: the active detector on real sockets.

On loopback (no root): no NAT and no ALG, so no alarm, and the verdict validates against
docs/schemas/detect-verdict.schema.json; bad flags are one-line errors with status 2.

Through the real kernel SIP helper (root, nftables, nf_conntrack_sip; live_detect_kernel.py
builds the namespaces and pins the module parameters): helper on, off, and with
sip_direct_media=0 / sip_direct_signalling=0.
Waits are bounded (--max-wait 2: a run takes about 5 s).
"""
import json
import os
import socket
import time

import jsonschema
import pytest

import live_detect_kernel
from conftest import SOURCE_DIR, ALGLAB, run_alglab
from live_detect_kernel import CLIENT_TIMEOUT_S

SCHEMA = json.loads((SOURCE_DIR / "docs" / "schemas" / "detect-verdict.schema.json").read_text())


def validate(verdict):
    jsonschema.validate(verdict, SCHEMA)


NOTES = {"nat-mapping", "nat-filtering", "port-preservation"}


def alarms(verdict):
    """The evidence entries that raise alg_present (the NAT's class is a note, not an alarm)."""
    return [e for e in verdict["evidence"] if e["conclusion"] not in NOTES]


def top_family(verdict):
    """The first-ranked vendor family (the ranking against the simulated models' references)."""
    assert verdict["vendor_family"], verdict
    return verdict["vendor_family"][0]["family"]


def ports_free(host, port):
    """True when UDP port, +10, +11, +20 and TCP port are free on host."""
    sockets = []
    try:
        for p in (port, port + 10, port + 11, port + 20):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sockets.append(s)
            s.bind((host, p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sockets.append(t)
        t.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        for s in sockets:
            s.close()


def free_port_block():
    base = 20000 + (os.getpid() * 97) % 30000
    for port in range(base, base + 2000, 37):
        if ports_free("127.0.0.1", port) and ports_free("127.0.0.2", port):
            return port
    pytest.skip("no free port block on loopback")


def Server(listen, alt):
    return live_detect_kernel.Server(ALGLAB, listen, alt)


# --- loopback ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loopback_run():
    port = free_port_block()
    with Server("127.0.0.1:%d" % port, "127.0.0.2") as server:
        proc = run_alglab("detect", "--live", "--server", "127.0.0.1:%d" % port, "--bind", "127.0.0.1",
                          "--max-wait", "1", "--json", timeout=CLIENT_TIMEOUT_S)
        text = run_alglab("detect", "--live", "--server", "127.0.0.1:%d" % port, "--bind", "127.0.0.1",
                          "--max-wait", "1", timeout=CLIENT_TIMEOUT_S)
    assert server.proc.returncode == 0, server.proc.returncode
    assert "stopped after" in server.output
    return proc, text


def test_loopback_verdict_is_valid_and_raises_no_alarm(loopback_run):
    proc, _ = loopback_run
    assert proc.returncode == 0, proc.stderr
    verdict = json.loads(proc.stdout)
    validate(verdict)
    assert verdict["server_reached"] is True
    assert verdict["alg_present"] is False
    assert verdict["rewrites"] == [] and verdict["dropped"] == []
    assert alarms(verdict) == []
    assert verdict["proxy"]["re_originates"] is False
    # No NAT, no filter: every source reaches the binding, unsolicited RTP is no pinhole.
    assert verdict["nat"]["translated"] is False
    assert verdict["nat"]["mapping"] == "endpoint-independent"
    assert verdict["nat"]["filtering"] == "endpoint-independent"
    assert verdict["nat"]["port_preservation"] is True
    assert {(i["from"], i["method"]): i["arrived"] for i in verdict["inbound"]} == {
        ("primary", "INVITE"): True, ("primary", "NOTIFY"): True, ("primary-other-port", "INVITE"): True,
        ("alt", "INVITE"): True}
    assert all(i["rewritten"] == [] for i in verdict["inbound"])
    assert verdict["media"]["pinhole"] is False
    assert verdict["media"]["from_peer"] is True and verdict["media"]["from_other"] is True
    assert verdict["nat"]["timeouts"]["udp"]["longest_alive"] == 1
    assert verdict["nat"]["timeouts"]["sip"]["longest_alive"] == 1
    # Ranked like a simulated verdict, among the references without an ALG.
    assert top_family(verdict) == "none"
    assert verdict["predicted_symptoms"] == [] and verdict["runbook"] is None


def test_loopback_text_says_no_alg(loopback_run):
    _, text = loopback_run
    assert text.returncode == 0, text.stderr
    assert "SIP ALG: not detected" in text.stdout
    assert "NAT: mapping endpoint-independent, filtering endpoint-independent" in text.stdout


def test_an_absent_server_concludes_nothing():
    port = free_port_block()
    proc = run_alglab("detect", "--live", "--server", "127.0.0.1:%d" % port, "--bind", "127.0.0.1",
                      "--max-wait", "1", "--json", timeout=CLIENT_TIMEOUT_S)
    assert proc.returncode == 1, proc.stderr
    verdict = json.loads(proc.stdout)
    validate(verdict)
    assert verdict["server_reached"] is False and verdict["alg_present"] is False


def test_detect_server_stops_after_its_duration():
    port = free_port_block()
    start = time.monotonic()
    proc = run_alglab("detect-server", "--listen", "127.0.0.1:%d" % port, "--duration", "0.5", timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 5
    assert "stopped after 0 echoes" in proc.stdout


@pytest.mark.parametrize("args", [
    ("detect", "--live", "--server", "nonsense"),
    ("detect", "--live", "--server", "203.0.113.2"),
    ("detect", "--live", "--server", "203.0.113.2:0"),
    ("detect", "--live", "--server", "203.0.113.2:99999"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--server-alt", "x.y"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--max-wait", "0"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--max-wait", "abc"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--max-wait", "-3"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--bind", "999.1.1.1"),
    ("detect", "--live", "--server", "127.0.0.1:5060", "--bind", "192.0.2.77"),
    ("detect", "--live"),
    ("detect", "--server", "127.0.0.1:5060"),
    ("detect-server", "--listen", "localhost:5060"),
    ("detect-server", "--listen", "127.0.0.1:5060", "--listen-alt", "127.0.0.1"),
    ("detect-server", "--listen", "127.0.0.1:5060", "--duration", "soon"),
    ("detect-server", "--listen", "192.0.2.77:5060", "--duration", "1"),
])
def test_bad_flags_are_one_line_errors(args):
    proc = run_alglab(*args, timeout=20)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alglab: "), proc.stderr


# --- the real kernel SIP helper ---------------------------------------------------------------

def detect_through_kernel(helper=True, udp_timeout=1, **params):
    """The verdict of one live run through the router, with these module parameters."""
    try:
        verdict = live_detect_kernel.live_verdict(ALGLAB, helper=helper, udp_timeout=udp_timeout, **params)
    except live_detect_kernel.Unavailable as exc:
        pytest.skip(str(exc))
    validate(verdict)
    assert verdict["server_reached"] is True
    return verdict


def rewrite(verdict, method, transport, port):
    for entry in verdict["rewrites"]:
        if (entry["method"], entry["transport"], entry["port"]) == (method, transport, port):
            return set(entry["fields"])
    return None


def inbound(verdict, method="INVITE"):
    return {i["from"]: i for i in verdict["inbound"] if i["method"] == method}


def assert_masquerade(verdict):
    nat = verdict["nat"]
    assert nat["translated"] is True
    assert nat["mapping"] == "endpoint-independent"
    assert nat["filtering"] == "address-and-port-dependent"
    assert nat["port_preservation"] is True


def test_kernel_helper_on_is_an_in_place_rewrite_on_5060():
    v = detect_through_kernel()
    assert v["alg_present"] is True
    assert v["proxy"] == {"re_originates": False, "in_place_rewrite": True}
    for transport in ("udp", "tcp"):
        invite = rewrite(v, "INVITE", transport, 5060)
        assert invite is not None, (transport, v["rewrites"])
        assert {"via-sent-by", "contact", "sdp-origin", "sdp-connection", "content-length"} <= invite
        assert not invite & {"call-id", "via-branch", "via-added", "sdp-media-port"}
        assert "contact" in rewrite(v, "REGISTER", transport, 5060)
    assert rewrite(v, "INVITE", "udp", 5070) is None
    assert v["triggers"]["ports"] == ["tcp/5060", "udp/5060"]
    # Inbound: the Request-URI is mapped back to the phone; the registrar's other port gets in
    # through the signalling expectation, its other address does not (sip_direct_signalling=1).
    ins = inbound(v)
    assert ins["primary"]["arrived"] and "request-uri" in ins["primary"]["rewritten"]
    notify = inbound(v, "NOTIFY")["primary"]
    assert notify["arrived"] and "request-uri" in notify["rewritten"]
    assert ins["primary-other-port"]["arrived"] is True
    assert ins["alt"]["arrived"] is False
    # Media: a pinhole for the SDP peer only (sip_direct_media=1).
    assert v["media"] == {"tested": True, "from_peer": True, "from_other": False, "pinhole": True,
                          "source_restricted": True}
    assert_masquerade(v)
    # Every SIP packet refreshes the helper's flow to sip_timeout (3600 s): the SIP-port binding
    # outlives a plain one (1 s here), the ALG's own timer.
    timeouts = v["nat"]["timeouts"]
    assert timeouts["udp"]["first_expired"] is not None and timeouts["udp"]["first_expired"] <= 2
    assert timeouts["sip"] == {"longest_alive": 2, "first_expired": None}
    assert any(e["conclusion"] == "timer" for e in v["evidence"])
    # The real kernel ranks first among the simulated models as the Linux helper's family, and
    # the fix offered is that family's runbook.
    assert top_family(v) == "linux-kernel-helper", v["vendor_family"]
    assert v["runbook"] is not None


def test_kernel_helper_off_is_plain_masquerade_and_no_alarm():
    v = detect_through_kernel(helper=False)
    assert v["alg_present"] is False
    assert v["rewrites"] == [] and alarms(v) == []
    ins = inbound(v)
    assert ins["primary"]["arrived"] is True and ins["primary"]["rewritten"] == []
    assert inbound(v, "NOTIFY")["primary"]["arrived"] is True
    assert ins["primary-other-port"]["arrived"] is False and ins["alt"]["arrived"] is False
    assert v["media"]["pinhole"] is False
    assert v["media"]["from_peer"] is False and v["media"]["from_other"] is False
    assert_masquerade(v)
    # Without the helper the SIP port is plain UDP: both bindings die after the 1 s timeout.
    timeouts = v["nat"]["timeouts"]
    assert timeouts["udp"]["first_expired"] is not None and timeouts["udp"]["first_expired"] <= 2
    assert timeouts["sip"]["first_expired"] is not None and timeouts["sip"]["first_expired"] <= 2
    assert top_family(v) == "none" and v["runbook"] is None


def test_kernel_direct_media_off_lets_rtp_from_any_address_in():
    v = detect_through_kernel(sip_direct_media=0)
    assert v["alg_present"] is True
    assert v["media"]["from_peer"] is True and v["media"]["from_other"] is True
    assert v["media"]["source_restricted"] is False
    assert inbound(v)["alt"]["arrived"] is False  # signalling still restricted
    assert top_family(v) == "linux-kernel-helper", v["vendor_family"]


def test_kernel_direct_signalling_off_lets_another_address_reach_the_phone():
    v = detect_through_kernel(sip_direct_signalling=0)
    assert v["alg_present"] is True
    assert inbound(v)["alt"]["arrived"] is True
    assert any(e["conclusion"] == "inbound-expectation" and e["probe"] == "inbound/alt" for e in v["evidence"])
    assert v["media"]["source_restricted"] is True  # media still restricted
    assert top_family(v) == "linux-kernel-helper", v["vendor_family"]
