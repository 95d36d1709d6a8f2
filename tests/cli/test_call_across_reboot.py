"""A long call spanning a router reboot (scenarios/call-across-reboot.yaml, hosted PBX, plain
NAT): the 30 s outage is excused as the reboot's, the dialog survives (no BYE until the talk
time ends), and audio flows again on new bindings after the router is back."""


def test_the_call_survives_the_reboot_and_its_audio_returns(scenario_run):
    result, _ = scenario_run("call-across-reboot")
    assert {k for k, v in result["symptoms"].items() if v["present"]} == set()
    drop = result["symptoms"]["audio_drop_midcall"]
    assert drop["drops"] == []
    outage = sorted((d["device"], round(d["start"]), round(d["end"])) for d in drop["reboot_outage_drops"])
    # Both handsets and both PBX legs heard nothing from the reboot (200 s) until the router
    # forwarded again (boot_time 30 s), and nothing worse.
    assert outage == [("pbx", 200, 230), ("pbx", 200, 230), ("phone-101", 200, 230), ("phone-102", 200, 230)]
    # Audio after the reboot: the 300 s of talk left, both ways on both legs (50 packets/s).
    assert result["metrics"]["rtp_packets_received_after_reboot"] > 4 * 50 * 250
    assert result["metrics"]["calls_established"] == 2  # the two legs, established once
