import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# `pv check` keeps a proof cache (driver/cache.py); the suite never writes into the user's:
# every run gets a fresh directory, inherited by the pv processes tests start.
import atexit
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="pv-test-cache-")
os.environ["PV_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)
