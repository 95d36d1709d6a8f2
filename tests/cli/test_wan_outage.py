"""A WAN line that drops for 20 s in the middle of a call (scenarios/wan-outage.yaml, timeline
`link`): frames leave the router into the dead line and never arrive, the PBX hears nothing from
either handset, the handsets hear nothing relayed; afterwards audio, registrations and the NAT
bindings carry on. The drop is named at the hop that lost the packets."""
import json

import pytest

from conftest import SOURCE_DIR, run_alglab
from test_pcap_tshark import TSHARK, tshark_fields

SCENARIOS = SOURCE_DIR / "scenarios"


def run_with_pcaps(scenario, out):
    """(result JSON, pcap folder) of `scenario` through a plain NAT."""
    proc = run_alglab("run", scenario, "--vendor", "none", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), out


def audio_drops_only(result):
    """The audio drops of a result whose only symptom is audio_drop_midcall."""
    present = {k for k, v in result["symptoms"].items() if v["present"]}
    assert present == {"audio_drop_midcall"}, present
    return result["symptoms"]["audio_drop_midcall"]["drops"]


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    return run_with_pcaps("wan-outage", tmp_path_factory.mktemp("wan-outage"))


def test_the_gap_is_the_outage_and_everything_else_survives(outage):
    result, _ = outage
    drops = audio_drops_only(result)
    # What the handsets sent into the dead line never reached the PBX: one drop per call leg,
    # from the line going down (120 s) to it coming back (140 s), and nothing after.
    assert sorted((d["device"], round(d["start"]), round(d["end"])) for d in drops) == [("pbx", 120, 140)] * 2
    # The handsets' own silence is the PBX's: it had nothing to relay.
    heard = {g["device"] for g in result["symptoms"]["audio_drop_midcall"]["sender_silent_gaps"]}
    assert heard == {"phone-101", "phone-102"}, heard
    assert result["metrics"]["registrations_failed"] == 0


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_frames_leave_the_router_but_never_arrive_while_the_line_is_down(outage):
    _, out = outage
    def count(pcap, start, end):
        return len(tshark_fields(out / pcap, f"ip.src == 203.0.113.1 && frame.time_epoch >= {start} && "
                                             f"frame.time_epoch < {end}", "frame.number"))
    assert count("router-if2.pcap", 121, 139) > 1000      # the router keeps transmitting
    assert count("internet-if1.pcap", 121, 139) == 0      # nothing arrives
    assert count("internet-if1.pcap", 141, 159) > 1000    # and everything does again


@pytest.fixture(scope="module")
def cable_pulled(tmp_path_factory):
    # The same call, but handset 101's LAN cable is pulled instead of the internet line.
    folder = tmp_path_factory.mktemp("cable")
    text = (SCENARIOS / "wan-outage.yaml").read_text()
    assert text.count("link: {link: wan,") == 2
    scenario = folder / "cable.yaml"
    scenario.write_text(text.replace("link: {link: wan,", "link: {link: phone-101,"))
    return run_with_pcaps(scenario, folder / "out")


def test_a_pulled_handset_cable_drops_only_that_handsets_audio(cable_pulled):
    result, out = cable_pulled
    drops = audio_drops_only(result)
    # The PBX hears nothing from 101 (its leg), and 101 hears nothing the PBX relays; 102's
    # own stream still reaches the PBX, so there is one drop at the PBX, not two.
    assert sorted((d["device"], round(d["start"]), round(d["end"])) for d in drops) == \
        [("pbx", 120, 140), ("phone-101", 120, 140)], drops
    assert result["metrics"]["registrations_failed"] == 0
    if TSHARK:
        # The handset transmits into the dead cable; the switch never passes it on.
        def count(pcap, flt):
            return len(tshark_fields(out / pcap, f"{flt} && frame.time_epoch >= 121 && frame.time_epoch < 139",
                                     "frame.number"))
        assert count("phone-101-if1.pcap", "ip.src == 10.0.1.10") > 800
        assert count("router-if1.pcap", "ip.src == 10.0.1.10") == 0
        assert count("router-if1.pcap", "ip.src == 10.0.1.11") > 800


@pytest.mark.parametrize("link", ["phone-999", "pbx", "lan"])
def test_unknown_links_are_one_line_errors(tmp_path, link):
    text = (SCENARIOS / "wan-outage.yaml").read_text().replace("link: {link: wan,", f"link: {{link: {link},", 1)
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text)
    proc = run_alglab("run", scenario, "--vendor", "none")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.yaml:" in lines[0] and link in lines[0], lines
