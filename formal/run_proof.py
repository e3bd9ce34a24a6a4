#!/usr/bin/env python3
"""Runs one formal check with Yosys 0.23 + yosys-smtbmc (z3): see docs/verification.md.

  run_proof.py --name NAME --top HARNESS --outdir DIR --expect pass|fail
               [--set PARAM=VALUE ...] --bmc N [--ind K] [--cover N] SOURCES...

expect=pass: bounded check of N steps from reset, then k-induction of length K (together a
proof for every depth), then cover analysis (every `cover` in the harness must be reachable
within N steps, so the assumptions cannot have made the proof vacuous).
expect=fail (a mutant): the bounded check must find a failing assertion and write a VCD
counterexample. Either way a failure prints the path of the VCD to open.
Exit status 0 when the outcome is the expected one.
"""
import os
import sys

from proof_common import chparam, common_args, run, tail


def main():
    ap = common_args()
    ap.add_argument("--ind", type=int, default=0)
    ap.add_argument("--cover", type=int, default=0, help="0: no cover run")
    ap.add_argument("--unroll", action="store_true",
                    help="yosys-smtbmc --unroll: z3 4.8.12 hangs on step 0 of some models otherwise")
    ap.add_argument("--smtbmc", default="yosys-smtbmc")
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()

    os.makedirs(a.outdir, exist_ok=True)
    base = os.path.join(os.path.abspath(a.outdir), a.name)
    smt2 = base + ".smt2"
    chparams = chparam(a.set, a.top)
    # Flattened, small memories (FIFOs) as flip-flops: z3 is much faster on those than on
    # SMT arrays. Covers only in a second model (FV_COVER): the BMC and induction runs are
    # slowed down by them.
    def build(out_smt2, defines):
        script = (f"read_verilog -sv -formal -defer {defines} {' '.join(a.sources)}; {chparams}"
                  f"prep -top {a.top}; flatten; memory_map; opt -fast; async2sync; dffunmap; "
                  f"write_smt2 -wires {out_smt2}")
        rc, out, dt = run([a.yosys, "-q", "-p", script], out_smt2 + "_yosys.log")
        if rc != 0:
            print(f"{a.name}: yosys failed\n{tail(out)}")
        return rc == 0
    if not build(smt2, ""):
        return 1

    smt = [a.smtbmc, "-s", "z3", "--noprogress"] + (["--unroll"] if a.unroll else [])
    vcd = base + "_bmc.vcd"
    if os.path.exists(vcd):
        os.remove(vcd)
    rc, out, dt = run(smt + ["-t", str(a.bmc), "--dump-vcd", vcd, smt2], base + "_bmc.log")
    failed = rc != 0
    print(f"{a.name}: bounded check, {a.bmc} steps: {'FAIL' if failed else 'pass'} ({dt:.1f} s)")

    if a.expect == "fail":
        if not failed:
            print(f"{a.name}: ERROR: the mutant passed the bounded check: the proof does not bite")
            return 1
        if "Assert failed" not in out or not os.path.exists(vcd):
            print(f"{a.name}: ERROR: failed without a counterexample trace\n{tail(out)}")
            return 1
        asserts = [l.split("Assert failed in ")[-1] for l in out.splitlines() if "Assert failed" in l]
        print(f"{a.name}: mutant caught as expected: {asserts[0] if asserts else ''}")
        print(f"{a.name}: counterexample VCD: {vcd}")
        return 0

    if failed:
        print(tail(out))
        print(f"{a.name}: counterexample VCD: {vcd}" if os.path.exists(vcd) else "(no VCD written)")
        return 1
    if a.ind:
        vcd = base + "_ind.vcd"
        rc, out, dt = run(smt + ["-i", "-t", str(a.ind), "--dump-vcd", vcd, smt2], base + "_ind.log")
        print(f"{a.name}: k-induction, k = {a.ind}: {'FAIL' if rc else 'pass'} ({dt:.1f} s)")
        if rc != 0:
            print(tail(out))
            print(f"{a.name}: induction counterexample VCD (may start in an unreachable state): {vcd}")
            return 1
    if a.cover:
        vcd = base + "_cover.vcd"
        if not build(base + "_cover.smt2", "-DFV_COVER"):
            return 1
        rc, out, dt = run(smt + ["-c", "-t", str(a.cover), "--dump-vcd", vcd, base + "_cover.smt2"],
                          base + "_cover.log")
        print(f"{a.name}: cover, {a.cover} steps: {'FAIL' if rc else 'pass'} ({dt:.1f} s)")
        if rc != 0:
            print(tail(out))
            return 1
    print(f"{a.name}: PROVEN" + ("" if a.ind else " (bounded only)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
