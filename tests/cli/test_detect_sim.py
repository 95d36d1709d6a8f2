"""`alglab detect` in simulation and `alglab detect-accuracy`: the active detector through every
model's router, against the model's own behaviour.

What each model should show is not copied from the detector's output: it comes from replaying
a REGISTER, an INVITE with SDP and an OPTIONS, over UDP and TCP, through the model's own chains (`alglab mangle`), read here
with code of this file. A message delivered with a Via the phone did not add (or another
branch) is a re-originating proxy; any other change or an ALG drop is an in-place rewrite;
an OPTIONS the router answers itself is an in-place act too; nothing changed is no ALG.
"""
import base64
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from conftest import ALGLAB, SOURCE_DIR, list_vendors, run_alglab

SCHEMA = SOURCE_DIR / "docs" / "schemas" / "detect-verdict.schema.json"
RFC4787 = ["endpoint-independent", "address-dependent", "address-port-dependent"]

REGISTER = [
    "REGISTER sip:203.0.113.2 SIP/2.0",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKreg1",
    "From: <sip:100@203.0.113.2>;tag=r1",
    "To: <sip:100@203.0.113.2>",
    "Call-ID: r1@10.0.0.2",
    "CSeq: 1 REGISTER",
    "Contact: <sip:100@10.0.0.2:5060>",
    "Expires: 3600",
    "Content-Length: 0",
]
OPTIONS = [
    "OPTIONS sip:203.0.113.2 SIP/2.0",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKopt1",
    "From: <sip:100@203.0.113.2>;tag=o1",
    "To: <sip:203.0.113.2>",
    "Call-ID: o1@10.0.0.2",
    "CSeq: 1 OPTIONS",
    "Content-Length: 0",
]
SDP = ["v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-", "c=IN IP4 10.0.0.2", "t=0 0", "m=audio 4000 RTP/AVP 0"]
INVITE = [
    "INVITE sip:200@203.0.113.2 SIP/2.0",
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKinv1",
    "From: <sip:100@10.0.0.2>;tag=1",
    "To: <sip:200@203.0.113.2>",
    "Call-ID: c1@10.0.0.2",
    "CSeq: 1 INVITE",
    "Contact: <sip:100@10.0.0.2:5060>",
    "Content-Type: application/sdp",
    f"Content-Length: {sum(len(line) + 2 for line in SDP)}",
]


def _payload(headers, body=()):
    text = "".join(h + "\r\n" for h in headers) + "\r\n" + "".join(b + "\r\n" for b in body)
    return text.encode()


def _via_branches(message):
    head = message.split(b"\r\n\r\n", 1)[0].decode(errors="replace").split("\r\n")
    vias = [line for line in head if line.lower().startswith(("via:", "v:"))]
    branches = set()
    for via in vias:
        for param in via.split(";")[1:]:
            if param.strip().lower().startswith("branch="):
                branches.add(param.strip()[7:].lower())
    return len(vias), branches


def _model_kind(vendor, tmp_path):
    """'none', 'rewrite' or 'proxy' from the model's own replay of REGISTER, INVITE and OPTIONS."""
    kind = "none"
    flows = [(name, transport, headers, body) for transport in ("udp", "tcp")
             for name, headers, body in (("register", REGISTER, ()), ("invite", INVITE, SDP), ("options", OPTIONS, ()))]
    for name, transport, headers, body in flows:
        flow = tmp_path / f"{vendor}-{name}-{transport}.flow"
        flow.write_text(f">>> out {transport}\n" + "\n".join(headers) + ("\n\n" + "\n".join(body) if body else "")
                        + "\n")
        proc = run_alglab("mangle", "--model", vendor, "--json", flow)
        assert proc.returncode == 0, proc.stderr
        sent = _payload(headers, body)
        for block in json.loads(proc.stdout):
            if block.get("emitted"):
                # Sent on by the router: re-originated; answered by it: taken in place.
                delivered = base64.b64decode(block["delivered"] or "")
                if block["dir"] == "out" and not delivered.startswith(b"SIP/2.0 "):
                    return "proxy"
                kind = "rewrite"
                continue
            if block["delivered"] is None:
                kind = "rewrite"  # the ALG dropped a well-formed request: it acts on it
                continue
            got = base64.b64decode(block["delivered"])
            sent_vias, sent_branches = _via_branches(sent)
            got_vias, got_branches = _via_branches(got)
            if got_vias > sent_vias or got_branches != sent_branches:
                return "proxy"
            if got != sent:
                kind = "rewrite"
    return kind


def _detected_kind(verdict):
    if not verdict["alg_present"]:
        return "none"
    return "proxy" if verdict["proxy"]["re_originates"] else "rewrite"


def _normal(nat_class):
    return nat_class.replace("address-and-port-dependent", "address-port-dependent")


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory):
    """A private reference cache, built once by the first detect of this module."""
    env = dict(os.environ, ALGLAB_CACHE_DIR=str(tmp_path_factory.mktemp("detect-cache")))
    return env


def _detect(env, *args):
    proc = subprocess.run([ALGLAB, "detect", "office", *map(str, args), "--json"], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, f"{args}: {proc.stderr}"
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def verdicts(cache_env):
    """Every model's defaults and plain NAT of every RFC 4787 class, detected two at a time."""
    vendors = sorted(list_vendors())
    runs = {("vendor", v): ["--vendor", v] for v in vendors}
    for m in RFC4787:
        for f in RFC4787:
            runs[("nat", m, f)] = ["--vendor", "none", "--set", f"router.mapping={m}", "--set", f"router.filtering={f}"]
    keys = list(runs)
    # The first run builds the reference cache; the others read it.
    first = _detect(cache_env, *runs[keys[0]])
    with ThreadPoolExecutor(max_workers=2) as pool:
        rest = list(pool.map(lambda k: _detect(cache_env, *runs[k]), keys[1:]))
    return dict(zip(keys, [first, *rest]))


def test_every_model_presence_and_rewrite_kind(verdicts, tmp_path):
    wrong = []
    for key, verdict in verdicts.items():
        if key[0] != "vendor":
            continue
        vendor = key[1]
        expected = _model_kind(vendor, tmp_path)
        if _detected_kind(verdict) != expected or verdict["alg_present"] != (expected != "none"):
            wrong.append(f"{vendor}: model {expected}, detected {_detected_kind(verdict)}")
    assert not wrong, "; ".join(wrong)


def test_no_alarm_on_none_and_plain_nat_with_the_configured_class(verdicts):
    assert verdicts[("vendor", "none")]["alg_present"] is False
    for key, verdict in verdicts.items():
        if key[0] != "nat":
            continue
        _, mapping, filtering = key
        assert verdict["alg_present"] is False, f"false alarm on plain NAT {mapping}/{filtering}: {verdict['evidence']}"
        assert verdict["predicted_symptoms"] == []
        assert verdict["configured"]["mapping"] == mapping and verdict["configured"]["filtering"] == filtering
        assert _normal(verdict["nat"]["mapping"]) == mapping, (key, verdict["nat"])
        assert _normal(verdict["nat"]["filtering"]) == filtering, (key, verdict["nat"])


def test_verdicts_validate_and_rank_a_family(verdicts):
    schema = json.loads(SCHEMA.read_text())
    for key, verdict in verdicts.items():
        jsonschema.validate(verdict, schema)
        families = verdict["vendor_family"]
        assert families, key
        assert abs(sum(f["confidence"] for f in families) - 1.0) < 0.01
        if verdict["alg_present"]:
            assert families[0]["family"] != "none", key
            assert verdict["runbook"] is None or verdict["runbook"]["vendor"] == families[0]["nearest"]["vendor"]
        for p in verdict["predicted_symptoms"]:
            assert p["evidence"], p


def test_kernel_helper_models_rank_as_one_family(verdicts):
    """Models composing the Linux kernel helper share a family with the kernel model itself."""
    kernel = verdicts[("vendor", "linux-netfilter")]["vendor_family"][0]["family"]
    assert kernel == "linux-kernel-helper"
    for vendor in ("mikrotik", "unifi"):
        assert verdicts[("vendor", vendor)]["vendor_family"][0]["family"] == kernel


def test_accuracy_meets_targets(cache_env):
    proc = subprocess.run([ALGLAB, "detect-accuracy", "--json"], capture_output=True, text=True, timeout=600,
                          env=cache_env)
    assert proc.returncode == 0, proc.stderr
    a = json.loads(proc.stdout)
    assert a["presence"]["accuracy"] == 1.0, a["presence"]
    assert a["rewrite_kind"]["accuracy"] == 1.0, a["rewrite_kind"]
    assert a["false_alarms"] == 0
    assert a["no_alg_configurations"] >= 10  # none and the nine RFC 4787 classes
    assert a["family_held_out"]["total"] > 0 and a["family_held_out"]["accuracy"] >= 0.95, a["family_held_out"]
    assert a["targets_met"] is True
    assert len(a["held_out"]) == a["family_held_out"]["total"]


def test_detect_writes_pcaps_tshark_reads(cache_env, tmp_path):
    """--out leaves one pcap per node interface that tshark decodes: the probes' SIP on the LAN."""
    out = tmp_path / "out"
    proc = subprocess.run([ALGLAB, "detect", "office", "--vendor", "mikrotik", "--out", str(out), "--json"],
                          capture_output=True, text=True, timeout=300, env=cache_env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "verdict.json").read_text()) == json.loads(proc.stdout)
    lan = sorted(out.glob("phone-*.pcap"))
    assert lan, sorted(p.name for p in out.iterdir())
    if not shutil.which("tshark"):
        pytest.skip("tshark missing")
    tshark = subprocess.run(["tshark", "-r", str(lan[0]), "-Y", "sip.Method", "-T", "fields", "-e", "sip.Method"],
                            capture_output=True, text=True, timeout=60)
    assert tshark.returncode == 0, tshark.stderr
    methods = set(tshark.stdout.split())
    assert {"REGISTER", "INVITE", "OPTIONS"} <= methods, methods


@pytest.mark.parametrize("args, needle", [
    (["detect", "office", "--vendor", "no-such-vendor"], "no-such-vendor"),
    (["detect", "office", "--vendor", "mikrotik", "--set", "router.alg.nope=1"], "nope"),
    (["detect", "office", "--set", "router.mapping=sideways"], "sideways"),
    (["detect", "office", "--set", "novalue"], "novalue"),
    (["detect", "no-such-scenario"], "no-such-scenario"),
    (["detect-accuracy", "--jobs", "0"], "--jobs"),
])
def test_bad_input_is_one_line_exit_2(args, needle):
    proc = run_alglab(*args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and needle in proc.stderr, proc.stderr


def test_same_input_same_verdict(cache_env):
    args = ["--vendor", "cisco-asa", "--seed", "7", "--set", "router.udp_timeout=60s"]
    first, second = _detect(cache_env, *args), _detect(cache_env, *args)
    assert first == second
    assert first["seed"] == 7 and first["configured"]["udp_timeout"] == "60s"


def test_matrix_report_carries_the_confusion_matrices(cache_env, tmp_path):
    out = tmp_path / "matrix"
    proc = subprocess.run([ALGLAB, "matrix", "--vendors", "none,mikrotik", "--scenarios", "office", "--workarounds",
                           "none", "--detect-accuracy", "--jobs", "2", "--out", str(out), "--json"],
                          capture_output=True, text=True, timeout=300, env=cache_env)
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)["detect_accuracy"]
    written = json.loads((out / "matrix.json").read_text())["detect_accuracy"]
    assert printed == written
    vendors = {c["vendor"] for c in written["cases"]}
    assert vendors == {"none", "mikrotik"}
    assert written["presence"]["accuracy"] == 1.0 and written["false_alarms"] == 0
    page = (out / "report.html").read_text()
    assert '"detect_accuracy"' in page and "renderDetectAccuracy" in page


def test_predictions_name_evidence_the_verdict_holds(verdicts):
    predicted = 0
    for key, verdict in verdicts.items():
        for p in verdict["predicted_symptoms"]:
            predicted += 1
            evidence = p["evidence"]
            if "media.source_restricted=true" in evidence:
                assert verdict["media"]["source_restricted"] is True, key
            if "media.pinhole=false" in evidence:
                assert verdict["media"]["pinhole"] is False, key
            if "inbound[from=alt].arrived=false" in evidence:
                assert any(i["from"] == "alt" and i["tested"] and not i["arrived"] for i in verdict["inbound"]), key
            for e in evidence:
                if e.startswith("nat.timeouts.sip.first_expired="):
                    assert verdict["nat"]["timeouts"]["sip"]["first_expired"] == float(e.split("=")[1]), key
                if e.startswith("dropped contains "):
                    assert e[len("dropped contains "):] in verdict["dropped"], key
    assert predicted > 0
    # The ASA's media pinholes admit the SDP peer only: audio from a separate media server is lost.
    asa = verdicts[("vendor", "cisco-asa")]
    assert any(p["symptom"] == "one_way_audio" for p in asa["predicted_symptoms"]), asa["predicted_symptoms"]
