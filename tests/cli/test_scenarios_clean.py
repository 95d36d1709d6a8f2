"""The clean office: through a plain NAT router (vendor none) nothing is wrong, and everything
the probes count really happened, before and after the router reboot."""
import pytest

SYMPTOMS = ["registration_failure", "incoming_calls_not_ringing", "blf_not_updating",
            "one_way_audio", "audio_drop_midcall", "fails_after_reboot", "calls_not_connecting"]
COUNTS = ["registrations_succeeded", "inbound_calls", "handsets_rang", "calls_established",
          "rtp_packets_sent", "rtp_packets_received", "blf_notifies_received", "reboots"]
AFTER_REBOOT = ["registrations_succeeded_after_reboot", "handsets_rang_after_reboot",
                "calls_established_after_reboot", "rtp_packets_sent_after_reboot",
                "rtp_packets_received_after_reboot", "blf_notifies_received_after_reboot"]


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_no_symptom_and_every_count_nonzero(scenario_run, scenario):
    result, _ = scenario_run(scenario)
    assert list(result)[:6] == ["scenario", "vendor", "seed", "remediated", "symptoms", "metrics"]
    assert result["scenario"] == scenario and result["vendor"] == "none" and result["remediated"] is False
    assert list(result["symptoms"]) == SYMPTOMS
    present = {k: v for k, v in result["symptoms"].items() if v["present"]}
    assert present == {}, present
    metrics = result["metrics"]
    for key in COUNTS + AFTER_REBOOT:
        assert isinstance(metrics[key], int), key
        assert metrics[key] > 0, (key, metrics)
    # Registrations and calls happened; nothing failed on the way.
    assert metrics["registrations_failed"] == 0
    # Audio both ways: every packet sent arrived except those in flight at the end.
    assert metrics["rtp_packets_received"] >= 0.99 * metrics["rtp_packets_sent"]


@pytest.mark.parametrize("scenario", ["office", "hosted"])
def test_every_ring_group_member_rang_for_every_inbound_call(scenario_run, scenario):
    result, _ = scenario_run(scenario)
    ring = result["symptoms"]["incoming_calls_not_ringing"]
    assert ring["summary"]["all_rang"] == result["metrics"]["inbound_calls"]
    for ext, counts in ring["per_extension"].items():
        assert counts["rang"] == counts["offered"] > 0, ext


def test_hosted_handsets_really_cross_the_nat(scenario_run):
    """In the hosted case every handset's SIP and RTP crosses the router: it forwards far more."""
    office, _ = scenario_run("office")
    hosted, _ = scenario_run("hosted")
    assert hosted["metrics"]["router_packets_forwarded"] > office["metrics"]["router_packets_forwarded"]


def test_symptoms_appear_when_nat_traversal_is_switched_off(alglab, tmp_path):
    """The probes are not decoration: take away the provider's contact fixing and the trunk
    keepalives in the office, and inbound calls stop ringing."""
    import json
    proc = alglab("run", "office", "--vendor", "none", "--json",
                  "--set", "provider.fix_contact=false", "--set", "pbx.trunk.keepalive=none",
                  "--set", "provider.nat_keepalive=0s")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["symptoms"]["incoming_calls_not_ringing"]["present"], result["symptoms"]["incoming_calls_not_ringing"]
