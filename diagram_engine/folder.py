"""One dataset folder, possibly several writers: locks and temporary file names.

Every run that writes into a folder holds a lock file, ``OUT/.locks/<tag>.json``, naming its
host, process id and the shards it writes, for as long as it runs. A run refuses to start
when a live run already writes one of its shards, and ``--overwrite`` refuses while any run
is live; slices of one run with disjoint shards may share the folder. A lock whose process
is gone (same host, no such pid) is stale and removed.

Every file is written under a temporary name carrying the writer's tag
(``<name>.<tag>.tmp``) and renamed into place, so a resumed run removes only what dead
writers left behind, never a live slice's file in flight.
"""
from __future__ import annotations

import json
import os
import re
import socket
import time
from pathlib import Path

from .errors import UserError

__all__ = ["LOCKS", "tag", "set_tag", "tmp_path", "FolderLock", "live_locks", "remove_stale_tmp"]

LOCKS = ".locks"
_TAG: dict[str, str] = {}


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:60] or "host"


def tag() -> str:
    """The tag of the run this process writes for (its own host and pid unless a parent set it)."""
    return _TAG.get("tag") or f"{_host()}-{os.getpid()}"


def set_tag(t: str | None) -> None:
    if t is None:
        _TAG.pop("tag", None)
    else:
        _TAG["tag"] = t


def tmp_path(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place."""
    return path.with_name(f"{path.name}.{tag()}.tmp")


def _alive(lock: dict) -> bool:
    if lock.get("host") != _host():
        return True                       # another machine's run: it cannot be checked from here
    try:
        os.kill(int(lock["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError, TypeError):
        return True
    return True


def live_locks(out: Path, remove_stale: bool = True) -> list[dict]:
    """The locks of the runs writing into ``out`` now (stale ones are removed)."""
    d = out / LOCKS
    if not d.is_dir():
        return []
    out_locks = []
    for p in sorted(d.glob("*.json")):
        try:
            lock = json.loads(p.read_text(encoding="utf-8"))
            lock["tag"] = p.stem
        except (OSError, ValueError):
            continue                      # being written, or torn: its owner rewrites or removes it
        if _alive(lock):
            out_locks.append(lock)
        elif remove_stale:
            p.unlink(missing_ok=True)
    return out_locks


def _describe(lock: dict) -> str:
    return f"pid {lock.get('pid')} on {lock.get('host')} since {lock.get('started', '?')} (lock {LOCKS}/{lock['tag']}.json)"


class FolderLock:
    """Held while a run writes into ``out``; refuses to start next to a live run that writes
    one of the same shards (or any run, with ``exclusive``)."""

    def __init__(self, out: Path, shards: list[int], exclusive: bool = False):
        self.out, self.shards, self.exclusive = Path(out), sorted(shards), exclusive
        self.path = self.out / LOCKS / f"{tag()}.json"
        self.others: list[dict] = []

    def __enter__(self) -> "FolderLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"host": _host(), "pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "shards": [self.shards[0], self.shards[-1]] if self.shards else [], "exclusive": self.exclusive}
        self.path.write_text(json.dumps(body) + "\n", encoding="utf-8")
        self.others = [lk for lk in live_locks(self.out) if lk["tag"] != self.path.stem]
        mine = set(self.shards)
        for lk in self.others:
            rng = lk.get("shards") or []
            theirs = set(range(rng[0], rng[1] + 1)) if len(rng) == 2 else set()
            if self.exclusive or lk.get("exclusive") or (mine & theirs) or not theirs:
                self.release()
                what = "replace the folder" if self.exclusive else "write the same shards"
                raise UserError(f"{self.out} is being written by another run ({_describe(lk)}); it cannot "
                                f"{what} at the same time: wait for it, or remove the lock file if that "
                                f"process is gone")
        return self

    def release(self) -> None:
        self.path.unlink(missing_ok=True)
        try:
            self.path.parent.rmdir()          # only when empty: no other run holds a lock
        except OSError:
            pass

    def __exit__(self, *exc) -> None:
        self.release()


def remove_stale_tmp(out: Path) -> None:
    """Remove the temporary files no live writer owns (what an interrupted run left)."""
    live = {lk["tag"] for lk in live_locks(out)} | {tag()}
    for p in out.rglob("*.tmp"):
        if LOCKS in p.parts:
            continue
        parts = p.name.rsplit(".", 2)
        owner = parts[-2] if len(parts) == 3 else None
        if owner in live:
            continue
        p.unlink(missing_ok=True)
