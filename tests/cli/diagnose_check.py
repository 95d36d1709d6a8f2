"""What `alglab diagnose` should find in a simulator run's pcaps, from the run's own result.

Shared by tests/cli/test_diagnose.py (a representative set of matrix cells) and
bench/diagnose_agreement.py (every cell).

The phone-side capture is the router's LAN interface (router-if1.pcap, Ethernet), the WAN
capture its provider side (router-if2.pcap, PPP): together they see every packet the router
forwarded, before and after its ALG.
"""

import json
from pathlib import Path

# Symptoms a capture at the router can show, and why the others cannot be seen there.
VISIBLE = {"registration_failure", "incoming_calls_not_ringing", "calls_not_connecting", "one_way_audio",
           "audio_drop_midcall", "blf_not_updating"}
NOT_VISIBLE = {
    "fails_after_reboot": "a router reboot is not in a capture; the run names it from the devices' own records",
}


def expected_rewrites(result):
    """{(direction, message, field)} the router's ALG says it rewrote (result.json's alg)."""
    out = set()
    for per_message in result.get("alg", {}).get("mechanisms", {}).values():
        for key, record in per_message.items():
            direction, message = key.split(" ", 1)
            for field in record.get("fields", {}):
                out.add((direction, message, field))
    return out


def found_rewrites(diagnosis):
    return {(r["direction"], r["message"], r["field"]) for r in diagnosis.get("across_router", {}).get("rewrites", [])}


# The router's record names a line it inserted or took out ("added", "removed": FortiOS's own
# Via, its i= NAT trace) by what it did; the capture shows it as a change of that line's field.
LINE_ACTIONS = {"added", "removed"}


def match_rewrites(expected, found, dropped):
    """(missed, extra): a rewrite of a message the router then dropped (an INVITE grown past the
    MTU) is seen only as that drop; added/removed lines are matched by the fields they changed."""
    named = {e for e in expected if e[2] not in LINE_ACTIONS}
    line_messages = {(d, m) for d, m, f in expected if f in LINE_ACTIONS}
    extra = {f for f in found - named if (f[0], f[1]) not in line_messages}
    missed = {e for e in named - found if (e[0], e[1]) not in dropped}
    for d, m in line_messages:
        explained = {f for f in found - named if (f[0], f[1]) == (d, m)}
        if not explained and (d, m) not in dropped:
            missed.add((d, m, "added/removed"))
    return missed, extra


def compare(result, diagnosis):
    """{"symptoms": {"expected","found","missed","extra"}, "rewrites": {...}} for one cell."""
    present = {name for name, s in result["symptoms"].items() if s.get("present")}
    expected = present & VISIBLE
    found = set(diagnosis["summary"]["symptoms"])
    rewrites_expected = expected_rewrites(result)
    rewrites_found = found_rewrites(diagnosis)
    dropped = {(d["direction"], d["message"]) for d in diagnosis.get("across_router", {}).get("dropped", [])}
    missed, extra = match_rewrites(rewrites_expected, rewrites_found, dropped)
    return {
        "symptoms": {"expected": sorted(expected), "found": sorted(found), "missed": sorted(expected - found),
                     "extra": sorted(found - present), "not_visible": sorted(present - VISIBLE)},
        "rewrites": {"expected": sorted(rewrites_expected), "missed": sorted(missed), "extra": sorted(extra)},
        "alg_fingerprints": diagnosis["summary"]["alg_fingerprints"],
    }


def load(path):
    return json.loads(Path(path).read_text())
