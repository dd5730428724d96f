"""Installing a benchmark's Debian packages when they are missing (the benchmarks compare pv
with other tools, and a fresh machine has none of them)."""
from __future__ import annotations

import os
import shutil
import subprocess


def ensure(packages: list, present) -> bool:
    """Install ``packages`` with apt-get unless ``present()`` already holds; True if it holds
    afterwards.  Prints what it does: a benchmark run should say where its minutes went."""
    if present():
        return True
    print(f"installing Debian's {', '.join(packages)} with apt-get", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", *packages], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"apt-get failed: {e}")
    return present()


def have(*programs) -> bool:
    return all(shutil.which(p) for p in programs)
