"""Keepalive and registration intervals per handset (phones.overrides.<ext>.*): each handset
really sends at its own rate (hosted scenario, counted in its own capture)."""
import pytest

from test_pcap_tshark import TSHARK, tshark_fields


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (scripts/setup.sh installs it)")
def test_each_handset_keeps_its_own_intervals(scenario_run):
    result, out = scenario_run("hosted", "none", "--set", "phones.overrides.101.keepalive_interval=10s",
                               "--set", "phones.overrides.102.register_expiry=120s")
    assert {k for k, v in result["symptoms"].items() if v["present"]} == set()

    def sent(phone, method):
        return len(tshark_fields(out / f"phone-{phone}-if1.pcap",
                                 f'sip.Method == "{method}" && ip.src == 10.0.1.0/24', "frame.number"))

    # 1800 s: OPTIONS every 10 s from 101 against every 25 s from 103 (the default), minus the
    # reboot's outage; REGISTER refreshes at 80% of 120 s from 102 against 80% of 300 s.
    assert sent("101", "OPTIONS") > 2 * sent("103", "OPTIONS"), (sent("101", "OPTIONS"), sent("103", "OPTIONS"))
    assert sent("102", "REGISTER") > 2 * sent("103", "REGISTER"), (sent("102", "REGISTER"), sent("103", "REGISTER"))
