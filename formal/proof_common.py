"""What the two formal runners (run_proof.py: yosys-smtbmc/z3; run_abc_proof.py: ABC) share:
running a tool with its log kept, the common command-line options, and the Yosys `chparam`
commands that turn --set PARAM=VALUE into parameters of the harness top."""
import argparse
import subprocess
import time


def run(cmd, log):
    """Runs cmd, writes the command line and its output to log; returns (status, output, s)."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.monotonic() - t0
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + p.stdout)
    return p.returncode, p.stdout, dt


def tail(text, n=25):
    return "\n".join(text.splitlines()[-n:])


def common_args():
    """An ArgumentParser with the options both runners take; each adds its own."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--top", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--expect", choices=["pass", "fail"], required=True)
    ap.add_argument("--set", action="append", default=[], help="PARAM=VALUE on the top")
    ap.add_argument("--bmc", type=int, required=True)
    ap.add_argument("--yosys", default="yosys")
    return ap


def chparam(settings, top):
    return "".join(f"chparam -set {p.split('=')[0]} {p.split('=')[1]} {top}; " for p in settings)
