"""How the benchmarks start pv: as the installed `pv` console script does (setup.cfg:
``pv = driver:entry``), so that pv's own bytecode cache is used as a user's run uses it
(``python -m driver.cli`` would compile the modules it imports before that cache is set up).

`venv_pv` makes the same in a fresh virtual environment: a machine's own interpreter may run
start-up hooks (``.pth`` files in its site-packages that import modules) that a user's or a
CI's virtualenv does not, and start-up figures should not be charged for them."""
import contextlib
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PV = [sys.executable, "-c", "import sys; from driver import entry; sys.exit(entry())"]

# what pip writes for a console script (pip's own template: it imports re)
_SCRIPT = """\
# -*- coding: utf-8 -*-
import re
import sys
from driver import entry
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(entry())
"""


@contextlib.contextmanager
def venv_pv():
    """(the venv's python, the pv command in it): a virtualenv made from this interpreter
    (``--without-pip``: no network, ~1 s) with this checkout on its path, as ``pip install
    -e .`` leaves it (a ``.pth`` line; the check needs no third-party package), and the
    console script pip would write."""
    with tempfile.TemporaryDirectory(prefix="pv-bench-venv-") as d:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", d], check=True)
        py = os.path.join(d, "bin", "python")
        purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                  "['purelib'])"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        with open(os.path.join(purelib, "__editable__.pv.pth"), "w") as f:
            f.write(ROOT + "\n")
        script = os.path.join(d, "bin", "pv")
        with open(script, "w") as f:
            f.write(f"#!{py}\n" + _SCRIPT)
        yield py, [py, script]


def site_hooks(python: str = sys.executable) -> list:
    """The ``.pth`` files ``python``'s site runs code from at every start (lines starting with
    ``import``), outside the standard library's own setuptools hook."""
    out = subprocess.run([python, "-c", "import site, sys; print('\\n'.join(site.getsitepackages()"
                          " + [site.getusersitepackages()] if site.ENABLE_USER_SITE else "
                          "site.getsitepackages()))"], capture_output=True, text=True).stdout
    hooks = []
    for d in out.split():
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            if not n.endswith(".pth") or n == "distutils-precedence.pth":
                continue
            try:
                with open(os.path.join(d, n), encoding="utf-8", errors="replace") as f:
                    if any(ln.startswith(("import ", "import\t")) for ln in f):
                        hooks.append(os.path.join(d, n))
            except OSError:
                pass
    return hooks

