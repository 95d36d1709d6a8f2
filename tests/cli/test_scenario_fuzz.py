"""Mangled scenario files never crash alglab: every run ends with status 0 or with status 2 and
one line naming the file. Seeded and bounded, so it is the same test every time."""
import random

from conftest import SOURCE_DIR, run_alglab

OFFICE = (SOURCE_DIR / "scenarios" / "office.yaml").read_bytes()
JUNK = [b"", b"-", b":", b"[", b"]", b"{", b"}", b"'", b'"', b"\x00", b"\xff\xfe", b"&a", b"*a",
        b"!!binary", b"999999999999999999999s", b"-1s", b"1e308s", b"nan", b"~", b"\t", b"\n  - x\n",
        b"? complex", b"@", b"%YAML 9.9\n", b"---\n", b"...\n"]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(data))
        kind = rng.random()
        if kind < 0.4:
            data[pos:pos + rng.randint(1, 8)] = rng.choice(JUNK)
        elif kind < 0.7:
            del data[pos:pos + rng.randint(1, 40)]
        else:
            data[pos:pos] = rng.choice(JUNK)
    return bytes(data)


def test_mangled_scenarios_fail_cleanly(tmp_path):
    rng = random.Random(4475)
    outcomes = {0: 0, 2: 0}
    for i in range(40):
        path = tmp_path / f"m{i}.yaml"
        path.write_bytes(mutate(rng, OFFICE))
        # A short scenario keeps the runs that do parse quick.
        proc = run_alglab("run", path, "--vendor", "none", "--json", "--set", "duration=200s",
                          "--set", "timeline=[]", timeout=60)
        assert proc.returncode in (0, 2), (path.read_bytes(), proc.returncode, proc.stderr)
        if proc.returncode == 2:
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("alglab: "), proc.stderr
        outcomes[proc.returncode] += 1
    assert outcomes[2] > 0
