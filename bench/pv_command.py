"""How the benchmarks start pv: as the installed `pv` console script does (setup.cfg:
``pv = driver:entry``), so that pv's own bytecode cache is used as a user's run uses it
(``python -m driver.cli`` would compile the modules it imports before that cache is set up)."""
import sys

PV = [sys.executable, "-c", "import sys; from driver import entry; sys.exit(entry())"]
