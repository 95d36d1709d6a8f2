"""The SIP helper's module parameters: machine-wide knobs the oracle pins, overrides and restores.

/sys/module/nf_conntrack_sip/parameters/ holds them. They are global to the machine, not per
namespace, so a run pins every writable one to the kernel's default (or to the --param override),
restores what it found afterwards, and holds a lock file meanwhile so two oracle runs never
interleave their settings. `ports` is read-only (mode 0400) on a kernel with the helper built in.
"""

import errno
import fcntl
import json
import os
import sys
import time

from oracle_netns import OracleError

PARAM_DIR = "/sys/module/nf_conntrack_sip/parameters"
# The kernel's own defaults: golden files are recorded with these.
DEFAULTS = {
    "sip_direct_media": "1",
    "sip_direct_signalling": "1",
    "sip_external_media": "0",
    "sip_timeout": "3600",
}
READ_ONLY = ("ports",)
LOCK_PATH = "/run/lock/alglab-kernel-oracle.lock"
# While parameters are pinned, the values found are saved here: a run killed by SIGKILL cannot
# restore them itself, so the next run does (it holds the lock, so nothing else is running).
SAVED_PATH = "/run/lock/alglab-kernel-oracle.params.json"
LOCK_WAIT_S = 120.0


class ParamError(ValueError):
    """A --param override that cannot be applied (unknown name, read-only, bad value)."""


def parse_overrides(items):
    """Turns ["sip_direct_media=0", ...] into {"sip_direct_media": "0"}; raises ParamError."""
    overrides = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ParamError("--param %r: expected NAME=VALUE, e.g. sip_direct_media=0" % item)
        if name in READ_ONLY:
            raise ParamError("--param %s: read-only, fixed when the kernel booted" % name)
        if name not in DEFAULTS:
            raise ParamError("--param %s: unknown parameter (valid: %s)"
                             % (name, ", ".join(sorted(DEFAULTS))))
        if not value.isdigit() or len(value) > 10 or int(value) > 0xFFFFFFFF:
            raise ParamError("--param %s=%s: expected a non-negative integer" % (name, value))
        if name in overrides:
            raise ParamError("--param %s given twice" % name)
        overrides[name] = str(int(value))
    return overrides


def _path(name):
    return os.path.join(PARAM_DIR, name)


def read_all():
    """Every parameter the running kernel exposes, name -> value as text."""
    values = {}
    for name in sorted(os.listdir(PARAM_DIR)):
        with open(_path(name)) as f:
            values[name] = f.read().strip()
    return values


def _write(name, value):
    with open(_path(name), "w") as f:
        f.write(value)


class PinnedParams:
    """Context manager: pins DEFAULTS+overrides on entry, restores the found values on exit."""

    def __init__(self, overrides, saved_path=SAVED_PATH):
        self.overrides = dict(overrides)
        self.saved_path = saved_path
        self.found = {}
        self.applied = {}

    def _recover_from_killed_run(self):
        try:
            with open(self.saved_path) as f:
                saved = json.load(f)
        except (OSError, ValueError):
            return
        print("kernel_oracle: restoring SIP helper parameters left by a killed run: %s"
              % " ".join("%s=%s" % kv for kv in sorted(saved.items())), file=sys.stderr)
        for name, value in saved.items():
            if name in DEFAULTS and os.path.exists(_path(name)):
                _write(name, str(value))
        os.unlink(self.saved_path)

    def __enter__(self):
        self._recover_from_killed_run()
        self.found = read_all()
        missing = sorted(set(self.overrides) - set(self.found))
        if missing:
            raise ParamError("this kernel has no SIP helper parameter %s" % ", ".join(missing))
        with open(self.saved_path, "w") as f:
            json.dump({k: v for k, v in self.found.items() if k in DEFAULTS}, f)
        try:
            for name, default in DEFAULTS.items():
                if name in self.found:
                    value = self.overrides.get(name, default)
                    _write(name, value)
                    self.applied[name] = read_all()[name]
        except BaseException:
            self.restore()
            raise
        return self

    def __exit__(self, *exc):
        self.restore()

    def restore(self):
        complete = True
        for name, value in self.found.items():
            if name in DEFAULTS:
                try:
                    _write(name, value)
                except OSError:
                    complete = False  # keep restoring the others; the saved copy stays
        if complete and os.path.exists(self.saved_path):
            os.unlink(self.saved_path)


class MachineLock:
    """An exclusive lock file shared by every oracle run on this machine (bounded wait)."""

    def __init__(self, path=LOCK_PATH, wait_s=LOCK_WAIT_S):
        self.path = path
        self.wait_s = wait_s
        self.fd = None

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() > deadline:
                os.close(self.fd)
                self.fd = None
                raise OracleError("another kernel oracle run held %s for %.0f s"
                                  % (self.path, self.wait_s))
            time.sleep(0.1)

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
