"""Scale: a large hosted office through a clean NAT shows no symptom, and where a symptom does
come from load (a saturated uplink), the probes say so instead of blaming the router."""
import json
import sys

from conftest import SOURCE_DIR, run_alglab

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import large_office  # noqa: E402  (bench/large_office.py writes the scenario files)

SYMPTOMS = ["registration_failure", "incoming_calls_not_ringing", "blf_not_updating",
            "one_way_audio", "audio_drop_midcall", "fails_after_reboot", "calls_not_connecting"]


def run_generated(tmp_path, name, text, *extra):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    proc = run_alglab("run", path, "--vendor", "none", "--json", *extra, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_200_handsets_80_concurrent_calls_vendor_none_no_symptom(tmp_path):
    """The issue's office: 200 handsets, 80 concurrent calls, every packet through the NAT, on
    0.5 ms LAN cables. A switched LAN is full duplex, so nothing may be lost."""
    result = run_generated(tmp_path, "hosted-200",
                           large_office.scenario_yaml(200, 80, duration=200, lan_delay="0.5ms"))
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert present == {}, json.dumps(present)[:2000]
    m = result["metrics"]
    assert m["registrations_failed"] == 0
    assert m["queue_drops"] == 0
    # Every handset registered, and all 80 calls were up at once: 40 internal calls (two
    # dialogs each through the hosted B2BUA) and 40 trunk calls (two dialogs each too).
    assert m["registrations_succeeded"] >= 200
    assert m["calls_established"] >= 80 + 80
    # 80 calls for ~130 s at 50 packets/s per direction, relayed by the PBX: millions of
    # packets, and every one sent arrived except those in flight at the end.
    assert m["rtp_packets_sent"] > 80 * 2 * 2 * 50 * 100
    assert m["rtp_packets_received"] >= 0.999 * m["rtp_packets_sent"], m


def saturated_uplink(tmp_path, wan_rate):
    # 10 handsets, 4 calls: 6 RTP streams leave the office (about 81 kbit/s each with IP and
    # PPP headers), so 300 kbit/s of uplink cannot carry them.
    return run_generated(tmp_path, f"uplink-{wan_rate}",
                         large_office.scenario_yaml(10, 4, duration=120, wan_rate=wan_rate))


def test_saturated_uplink_symptom_is_attributed_to_load(tmp_path):
    result = saturated_uplink(tmp_path, "300kbps")
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert "one_way_audio" in present or "audio_drop_midcall" in present, list(present)
    for name, s in present.items():
        assert s["cause"] == "load", (name, s.get("cause"))
        drops = s["load"]["queue_drops"]
        # The uplink's queue (the router's WAN transmitter) overflowed, and that is named.
        assert drops["router-wan"]["dropped"] > 1000, drops
        assert s["load"]["dropped_total"] == sum(q["dropped"] for q in drops.values())
    assert result["metrics"]["queue_drops"] == present[next(iter(present))]["load"]["dropped_total"]
    # The router's NAT refused next to nothing (stray packets at call ends): it is not where
    # the audio went.
    assert result["metrics"]["router_packets_dropped"] < 0.05 * result["metrics"]["queue_drops"]


def test_same_office_with_enough_uplink_is_clean(tmp_path):
    """The control for the test above: only the uplink rate differs."""
    result = saturated_uplink(tmp_path, "10Mbps")
    assert [k for k, v in result["symptoms"].items() if v["present"]] == []
    assert result["metrics"]["queue_drops"] == 0


def test_a_symptom_without_queue_drops_is_not_blamed_on_load():
    proc = run_alglab("run", "office", "--vendor", "none", "--json",
                      "--set", "provider.fix_contact=false", "--set", "pbx.trunk.keepalive=none",
                      "--set", "provider.nat_keepalive=0s")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    assert ring["present"] and ring["cause"] == "not_load" and "load" not in ring
    assert result["metrics"]["queue_drops"] == 0


def test_queue_size_knobs_are_validated():
    for key, bad in (("network.lan_queue", "0"), ("network.wan_queue", "many")):
        proc = run_alglab("run", "office", "--vendor", "none", "--set", f"{key}={bad}")
        assert proc.returncode == 2, proc.stderr
        assert key in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_wan_queue_knob_sets_the_uplink_buffer(tmp_path):
    """A longer uplink queue holds more of the same overload: fewer drops."""
    text = large_office.scenario_yaml(10, 4, duration=120, wan_rate="300kbps")
    short = run_generated(tmp_path, "short-queue", text, "--set", "network.wan_queue=5")
    long = run_generated(tmp_path, "long-queue", text, "--set", "network.wan_queue=2000")
    drops = lambda r: r["symptoms"]["one_way_audio"]["load"]["queue_drops"]["router-wan"]["dropped"]
    assert drops(short) > drops(long) > 0
