"""Per call and direction, the figures VoIP monitoring reports (loss, RFC 3550 jitter, longest
gap, G.107 R-factor and MOS) in every leg of one_way_audio's `streams`, checked against
Wireshark's own RTP stream analysis (tshark -z rtp,streams) of the handsets' pcaps; and random
WAN loss that makes audio break up is audio_drop_midcall's `degraded_streams`."""
import subprocess

import pytest

from test_pcap_tshark import TSHARK

LOSSY = ("--set", "network.wan_loss=0.05", "--set", "network.wan_rate=1Mbps")


def tshark_rtp_streams(pcap):
    """Wireshark's RTP stream table: one dict per stream."""
    out = subprocess.run([TSHARK, "-r", str(pcap), "-o", "rtp.heuristic_rtp:TRUE", "-q", "-z", "rtp,streams"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    streams = []
    for line in out.splitlines():
        f = line.split()
        if len(f) < 17 or f[7] != "g711U":
            continue
        streams.append({"dst": f[4], "packets": int(f[8]), "lost": int(f[9]), "max_delta": float(f[13]),
                        "mean_jitter": float(f[15]), "max_jitter": float(f[16])})
    return streams


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_loss_jitter_and_gaps_match_wiresharks_rtp_analysis(scenario_run):
    result, out = scenario_run("hosted", "none", *LOSSY)
    ours = [s for s in result["symptoms"]["one_way_audio"]["streams"] if s["device"].startswith("phone-")]
    compared = 0
    for n, address in enumerate(["10.0.1.10", "10.0.1.11", "10.0.1.12", "10.0.1.13"]):
        device = f"phone-{101 + n}"
        # Streams toward the handset that carried a call (not the few packets of a ring-group
        # leg that lost the race).
        for theirs in (s for s in tshark_rtp_streams(out / f"{device}-if1.pcap")
                       if s["dst"] == address and s["packets"] > 100):
            # The capture also holds the packets that arrived after the handset hung up and
            # closed its socket (a few at most): the same stream is the closest in count.
            mine = min((s for s in ours if s["device"] == device),
                       key=lambda s: abs(s["received"] - theirs["packets"]))
            assert 0 <= theirs["packets"] - mine["received"] <= 3, (device, mine, theirs)
            q = mine["quality"]
            assert abs(q["lost"] - theirs["lost"]) <= 3, (device, q, theirs)
            assert q["max_jitter_ms"] == pytest.approx(theirs["max_jitter"], abs=0.002), (device, q, theirs)
            assert q["mean_jitter_ms"] == pytest.approx(theirs["mean_jitter"], abs=0.002), (device, q, theirs)
            assert q["longest_gap_ms"] == pytest.approx(theirs["max_delta"], abs=0.01), (device, q, theirs)
            assert 1.0 <= q["mos"] <= 4.5 and q["r_factor"] <= 93.2
            compared += 1
    assert compared >= 8
    # The lossy WAN really lost packets, and queueing behind SIP on a 1 Mbit/s line left jitter.
    assert any(s["quality"]["lost"] > 0 for s in ours)
    assert any(s["quality"]["max_jitter_ms"] > 0.1 for s in ours)


def test_audio_that_breaks_up_is_degraded_and_clean_audio_is_not(scenario_run):
    clean, _ = scenario_run("hosted")
    assert clean["symptoms"]["audio_drop_midcall"]["summary"]["degraded_streams"] == 0
    for s in clean["symptoms"]["one_way_audio"]["streams"]:
        if s["quality"]:
            assert s["quality"]["lost"] == 0 and s["quality"]["mos"] > 4.4, s
    broken, _ = scenario_run("hosted", "none", "--set", "network.wan_loss=0.085")
    drop = broken["symptoms"]["audio_drop_midcall"]
    assert drop["present"]
    degraded = drop["degraded_streams"]
    assert len(degraded) >= 8
    for s in degraded:
        # About 8.5% lost per WAN crossing (relayed audio crosses twice): G.711 with concealment
        # rates R < 70.
        assert 0.05 < s["scattered_loss_ratio"] < 0.25 and s["mos"] < 3.6, s
    # Loss on a link is no queue overflowing: the cause is not load.
    assert drop["cause"] == "not_load"
