"""Cisco ASA's inspect sip (alg-models/cisco-asa/) and the example data model through the
office's trunk: each inspects only its SIP port, the ASA also over TCP (it reassembles what it
inspects), the example over UDP only; what they rewrite is in the run's `alg` record."""
import pytest

from test_provider_port_transport import TCP_TRUNK

def present(result):
    return {k for k, v in result["symptoms"].items() if v["present"]}


@pytest.mark.parametrize("vendor", ["cisco-asa", "example-cpe"])
def test_a_trunk_on_another_port_is_not_inspected(scenario_run, vendor):
    usual, _ = scenario_run("office", vendor)
    moved, _ = scenario_run("office", vendor, "--set", "provider.sip_port=5080")
    assert usual["alg"]["rewritten"] > 0
    assert moved["alg"]["rewritten"] == 0 and moved["alg"]["messages"] == {}
    assert present(moved) == set()


def test_the_asa_inspects_the_trunk_over_tcp_the_example_does_not(scenario_run):
    asa, _ = scenario_run("office", "cisco-asa", *TCP_TRUNK)
    cpe, _ = scenario_run("office", "example-cpe", *TCP_TRUNK)
    # Address-only translation: the Via naming the listening port is translated too (Linux's
    # exact-port rule leaves it, test_provider_port_transport.py).
    assert {"Via", "Contact"} <= set(asa["alg"]["messages"]["outbound REGISTER"]["fields"])
    assert present(asa) == set()
    assert cpe["alg"]["rewritten"] == 0
