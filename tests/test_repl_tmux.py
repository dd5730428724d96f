"""`pv repl` in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.

Needs tmux; when it is missing the test installs it with apt-get (as CI's machines let it), and
is skipped, saying why, only when that cannot be done."""
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWAP = os.path.join("proofs", "heap", "swap.pv")


def _ensure_tmux():
    if shutil.which("tmux"):
        return
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.skip("tmux is not installed and apt-get is not available to install it")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        pytest.skip("tmux is not installed and this user cannot run apt-get (not root, no sudo)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + [apt, "update", "-q"], env=env, capture_output=True, timeout=600)
    p = subprocess.run(sudo + [apt, "install", "-y", "-q", "tmux"], env=env,
                       capture_output=True, text=True, timeout=600)
    if not shutil.which("tmux"):
        pytest.skip(f"apt-get could not install tmux: {p.stderr.strip()[-300:]}")


class Tmux:
    """One tmux server of our own (private socket), one session of 120x50."""

    def __init__(self, command, env):
        self.sock = f"pv-test-{uuid.uuid4().hex[:8]}"
        self.name = "repl"
        self.run("new-session", "-d", "-x", "120", "-y", "50", "-s", self.name, command,
                 env=env)

    def run(self, *args, env=None):
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True,
                              env=env, timeout=30)

    def send(self, *keys):
        self.run("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        """The whole pane, scroll-back included."""
        return self.run("capture-pane", "-p", "-J", "-S", "-", "-t", self.name).stdout

    def wait_for(self, predicate, timeout=15.0) -> str:
        end = time.monotonic() + timeout
        while True:
            s = self.screen()
            if predicate(s):
                return s
            if time.monotonic() > end:
                raise AssertionError("timed out; the screen is:\n" + s)
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.name).returncode == 0

    def kill(self):
        self.run("kill-server")


def _prompts(screen, prompt="swap_spec <"):   # (capture-pane drops trailing blanks)
    return [ln for ln in screen.split("\n") if ln.startswith(prompt)]


def _last_goal(screen) -> str:
    """The goal display printed after the last input (between the last two prompts)."""
    parts = screen.rstrip().split("\nswap_spec <")
    return parts[-2].split("\n", 1)[1] if len(parts) >= 2 else ""


def _line_of(text):
    with open(os.path.join(ROOT, SWAP), encoding="utf-8") as f:
        return next(i for i, ln in enumerate(f, 1) if text in ln)


def test_repl_in_tmux(tmp_path):
    _ensure_tmux()
    exe = f"{sys.executable} -m driver.cli repl"     # this tree's pv, not an installed one
    line = _line_of("wp_call.")
    env = dict(os.environ, PV_HISTORY=str(tmp_path / "history"), TERM="xterm-256color")
    t = Tmux(f"cd {ROOT} && {exe} {SWAP} --until {line}; sleep 30", env)
    try:
        # the load report, then the prompt of the theorem being proven
        s = t.wait_for(lambda s: len(_prompts(s)) == 1)
        assert "Proving swap_spec" in s
        assert "let a := !#l1 in" in s
        loaded_goal = s.split("Proving swap_spec")[1].split("\n", 1)[1].rsplit(
            "\nswap_spec <", 1)[0]

        t.send("wp_step. wp_pures.", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 2)
        g1 = _last_goal(s)
        lines = g1.split("\n")
        assert lines[0] == "1 goal"
        assert lines[1].strip() == "n : nat  l1 l2 : loc  a b : val"
        assert lines[2].rstrip().endswith("□") and lines[3].rstrip().endswith("∗")
        # the order of the hypotheses is kept (wp_step used H1 and gave it back)
        assert lines[4].strip() == "H1 : l1 ↦[n] a" and lines[5].strip() == "H2 : l2 ↦[n] b"
        rule = len(lines[2].rstrip())
        assert rule == 118             # laid out for the 120 columns less one, and a margin
        assert set(lines[6].strip()) == {"="}
        assert "WP[n] let b := !#l2 in" in lines[7]

        # a sentence over two lines: Enter after an incomplete line only starts a new one
        t.send("wp_step", "Enter")
        time.sleep(0.3)
        assert len(_prompts(t.screen())) == 2
        t.send(".", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 3)
        g2 = _last_goal(s)
        assert "WP[n] let b := #b in" in g2

        # Undo: exactly the goal shown before the last tactic
        t.send("Undo.", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 4)
        assert _last_goal(s) == g1
        # "wp_step. wp_pures." were two sentences: Back 2 undoes both
        t.send("Back 2.", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 5)
        assert _last_goal(s) == loaded_goal

        # the layout follows the terminal when it is resized
        t.run("resize-window", "-t", t.name, "-x", "64")
        time.sleep(0.3)
        t.send("Show.", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 6)
        narrow = _last_goal(s).split("\n")
        assert len(narrow[2].rstrip()) == 62 and narrow[2].rstrip().endswith("□")
        t.run("resize-window", "-t", t.name, "-x", "120")
        time.sleep(0.3)

        # an error is shown with its place in the input, and the REPL goes on
        t.send("wp_pures. bogus.", "Enter")
        s = t.wait_for(lambda s: len(_prompts(s)) == 7)
        assert "Error (line 1, column 11): unknown tactic 'bogus'" in s

        # Ctrl-C abandons the input, Ctrl-D leaves
        t.send("wp_step", "C-c")
        s = t.wait_for(lambda s: len(_prompts(s)) == 8)
        t.send("C-d")
        t.wait_for(lambda s: t.run("list-panes", "-t", t.name, "-F",
                                   "#{pane_current_command}").stdout.strip() == "sleep")
        assert "wp_step. wp_pures." in (tmp_path / "history").read_text()
    finally:
        t.kill()
