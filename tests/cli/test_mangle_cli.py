"""alglab mangle: one flow file through one model, in the fixed mangle topology."""
import base64
import json

from conftest import SOURCE_DIR, run_alglab

FLOWS = SOURCE_DIR / "tests" / "data" / "flows"


def test_json_matches_the_kernel_golden_file_for_every_corpus_flow():
    flows = sorted(FLOWS.glob("*.flow"))
    assert len(flows) >= 30
    for flow in flows:
        proc = run_alglab("mangle", "--model", "linux-netfilter", "--json", flow)
        assert proc.returncode == 0, (flow.name, proc.stderr)
        golden = json.loads(flow.with_suffix(".kernel.json").read_text())
        out = json.loads(proc.stdout)
        # Golden files hold the kernel's payloads; "to" says where the model sent each one.
        assert all(("to" in b) == (b["delivered"] is not None) for b in out), flow.name
        assert [{"dir": b["dir"], "delivered": b["delivered"]} for b in out] == golden, flow.name


def test_none_delivers_what_was_sent():
    flow = sorted(FLOWS.glob("*.flow"))[0]
    out = json.loads(run_alglab("mangle", "--model", "none", "--json", flow).stdout)
    assert all(b["delivered"] is not None for b in out)
    assert out[0]["dir"] in ("out", "in")
    assert base64.b64decode(out[0]["delivered"]).startswith(b"")


def test_readable_diff_shows_rewritten_lines():
    invite = next(f for f in sorted(FLOWS.glob("*.flow")) if "invite" in f.name)
    text = run_alglab("mangle", "--model", "linux-netfilter", invite).stdout
    assert "-Contact:" in text or "-c=IN IP4 10.0.0.2" in text
    assert "203.0.113.1" in text


def test_errors_name_the_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.flow"
    bad.write_text(">>> out\nOPTIONS sip:x SIP/2.0\n>>> sideways\nfoo\n")
    proc = run_alglab("mangle", "--model", "linux-netfilter", bad)
    assert proc.returncode == 2
    assert f"{bad}:3" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    flow = sorted(FLOWS.glob("*.flow"))[0]
    proc = run_alglab("mangle", "--model", "acme", flow)
    assert proc.returncode == 2 and "linux-netfilter" in proc.stderr
    proc = run_alglab("mangle", "--model", "linux-netfilter", "--set", "sip_timeout=soon", flow)
    assert proc.returncode == 2 and "sip_timeout" in proc.stderr
    proc = run_alglab("mangle", "--model", "linux-netfilter", tmp_path / "missing.flow")
    assert proc.returncode == 2 and "missing.flow" in proc.stderr
