"""Hold, resume, mute and a handset power-cycle (scenarios/hold-and-mute.yaml) through a plain
NAT router: the handsets really send the re-INVITEs (a=sendonly and c=0.0.0.0), the silences
they chose are named but are no symptom, and a mute longer than the router's UDP timeout leaves
a gap exactly where the timer closes the muted handset's pinhole, and only when inbound RTP does
not refresh the binding (router.refresh_on_inbound)."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields


def silences(result, device):
    return [(g["start"], g["end"]) for g in result["symptoms"]["audio_drop_midcall"]["sender_silent_gaps"]
            if g["device"] == device]


def test_chosen_silences_are_no_symptom(scenario_run):
    result, _ = scenario_run("hold-and-mute")
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert present == {}, present
    assert result["metrics"]["calls_established"] >= 4
    # phone-102 heard nothing while 101 held the call (60-260 s): the PBX had nothing to relay,
    # so the silence is named as the sender's, with its times.
    assert any(55 < s < 65 and 255 < e < 265 for s, e in silences(result, "phone-102")), silences(result, "phone-102")
    # ... and the PBX heard nothing from 102 during its mute (300-400 s) and hold (480-530 s).
    pbx = silences(result, "pbx")
    assert any(295 < s < 305 and 395 < e < 405 for s, e in pbx), pbx
    assert any(475 < s < 485 and 525 < e < 535 for s, e in pbx), pbx


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_handsets_send_both_hold_styles_and_reregister(scenario_run):
    _, out = scenario_run("hold-and-mute")
    offers = {}
    for phone in ("101", "102"):
        rows = tshark_fields(out / f"phone-{phone}-if1.pcap",
                             'sip.Method == "INVITE" && ip.src == 10.0.1.0/24 && sdp',
                             "sdp.connection_info", "sdp.media_attr")
        offers[phone] = rows
    # 101: its call's INVITE, then a=sendonly at its own address, then sendrecv again.
    assert [("sendonly" in r, "0.0.0.0" in r) for r in offers["101"]][:3] == [(False, False), (True, False),
                                                                               (False, False)], offers["101"]
    # 102 answered the call, so its only INVITEs are the hold (c=0.0.0.0) and the resume.
    assert len(offers["102"]) == 2 and "0.0.0.0" in offers["102"][0] and "0.0.0.0" not in offers["102"][1]
    # The power-cycled 103 registers again after booting (600 s + 30 s down).
    registers = [float(t) for t in tshark_fields(out / "phone-103-if1.pcap",
                                                 'sip.Method == "REGISTER" && ip.src == 10.0.1.0/24',
                                                 "frame.time_epoch")]
    assert any(t < 600 for t in registers) and any(630 <= t < 640 for t in registers), registers


def test_a_mute_longer_than_the_udp_timeout_drops_audio_where_the_pinhole_closed(scenario_run):
    result, _ = scenario_run("hold-and-mute", "none", "--set", "timeline.3.mute.duration=150s")
    drop = result["symptoms"]["audio_drop_midcall"]
    assert drop["present"]
    # 102 muted at 300 s: its binding's last outbound packet, so the binding expires at 420 s
    # (udp_timeout 120 s) and the PBX's RTP is filtered until 102 talks again at 450 s.
    assert [(d["device"], round(d["start"]), round(d["end"])) for d in drop["drops"]] == [("phone-102", 420, 450)]


def test_inbound_refresh_keeps_the_muted_pinhole_open(scenario_run):
    result, _ = scenario_run("hold-and-mute", "none", "--set", "timeline.3.mute.duration=150s", "--set",
                    "router.refresh_on_inbound=true")
    assert not result["symptoms"]["audio_drop_midcall"]["present"]
