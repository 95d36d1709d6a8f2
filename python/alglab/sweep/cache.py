"""The run cache: one finished run per file, keyed by what decides its result.

The key is a hash of the point (scenario, vendor, seed, settings, remediation, workarounds), the
alglab build's source hash and the scenario file's bytes, so a repeated sweep skips what it has
already run, an interrupted sweep resumes where it stopped, and a rebuilt alglab or an edited
scenario file runs again. Entries are written to a temporary name and renamed, so a sweep killed
mid-write never leaves half an entry; an entry that does not read back is treated as missing.
This is the idea of ns-3's SEM (simulation execution manager), on plain files.
"""

import hashlib
import json
import os
import tempfile

from .errors import SweepError

# Bumped when an entry's layout changes, so old entries are ignored rather than misread.
ENTRY_FORMAT = 1


def default_directory():
    """$ALGLAB_CACHE_DIR/runs, or ~/.cache/alglab/runs (beside the detector's references)."""
    base = os.environ.get("ALGLAB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "alglab")
    return os.path.join(base, "runs")


def file_digest(path):
    """SHA-256 of a file's bytes, or None when it cannot be read (the run will say why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class RunCache:
    """Finished runs on disk. `directory=None` keeps nothing (every point runs)."""

    def __init__(self, directory, source_hash):
        self.directory = os.fspath(directory) if directory is not None else None
        self.source_hash = source_hash
        if self.directory is not None:
            try:
                os.makedirs(self.directory, exist_ok=True)
            except OSError as e:
                raise SweepError(f"cache {self.directory}: cannot create the directory ({e.strerror})") from None
            if not os.access(self.directory, os.W_OK):
                raise SweepError(f"cache {self.directory}: not writable")

    def key(self, point, scenario_digest):
        """The entry's name: what decides the run's result, hashed."""
        identity = {"format": ENTRY_FORMAT, "point": point.as_dict(), "alglab": self.source_hash,
                    "scenario_sha256": scenario_digest}
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    def _path(self, key):
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, key):
        """The cached run result, or None."""
        if self.directory is None:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as f:
                entry = json.load(f)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or "result" not in entry:
            return None
        return entry["result"]

    def put(self, key, point, result):
        if self.directory is None:
            return
        path = self._path(key)
        folder = os.path.dirname(path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"key": key, "point": point.as_dict(), "alglab": self.source_hash, "result": result}, f)
            os.replace(temporary, path)
        except OSError as e:
            raise SweepError(f"cache {self.directory}: cannot write an entry ({e.strerror})") from None
