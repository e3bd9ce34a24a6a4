#!/usr/bin/env python3
"""Runs one formal check with Yosys 0.23 and ABC (yosys-abc): see docs/verification.md.

  run_abc_proof.py --name NAME --top HARNESS --outdir DIR --expect pass|fail
                   [--set PARAM=VALUE ...] --bmc N [--ind K | --bounded-only] [--covers C]
                   SOURCES...

The same checks as run_proof.py, for harnesses on which z3 does not get past the first steps
(wide data paths): the design is bit-blasted to an AIGER model (assumptions as constraints)
and checked by ABC, which drops the logic outside the properties' cone of influence.

expect=pass: bounded check of N steps from reset (bmc3), then an unbounded proof: with --ind K
by k-induction (ABC `ind` on the model with its assertions ORed into one output, `orpos`: K
time frames, the assertions assumed in the first K-1 and checked in the last; N >= K-1 makes
the two together a proof for every depth; the harness's helper assertions must make the
properties K-inductive), else by property directed reachability (pdr: it looks for an
inductive invariant itself, which can take long on wide state), then, with --covers C, a
reachability run: the
harness compiled with FV_COVER turns each of its C cover targets into `assert (!target)` and
the design's own assertions are removed; every one of the C targets must be hit within N
steps.
expect=fail (a mutant): bmc3 must find a failing assertion within N steps; its trace is
replayed by Yosys `sim` into a VCD counterexample. Exit status 0 when the outcome is the
expected one.
"""
import os
import re
import sys

from proof_common import chparam, common_args, run, tail


def main():
    ap = common_args()
    ap.add_argument("--bounded-only", action="store_true",
                    help="no pdr run (a bounded result only, said so in the output)")
    ap.add_argument("--ind", type=int, default=0,
                    help="k-induction with K frames (ABC ind) instead of pdr")
    ap.add_argument("--covers", type=int, default=0, help="cover targets in the harness")
    ap.add_argument("--abc", default="yosys-abc")
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()

    os.makedirs(a.outdir, exist_ok=True)
    base = os.path.join(os.path.abspath(a.outdir), a.name)
    chparams = chparam(a.set, a.top)

    def build(out, defines, drop_design_asserts=False):
        # Assertions of the design (every module but the harness) out for the cover run.
        strip = f"chformal -assert -remove * {a.top} %d; " if drop_design_asserts else ""
        script = (f"read_verilog -sv -formal -defer {defines} {' '.join(a.sources)}; {chparams}"
                  f"prep -top {a.top}; {strip}flatten; memory_map; opt -fast; async2sync; "
                  f"chformal -assume -early; chformal -cover -remove; opt_clean; "
                  f"setundef -anyseq; opt -keepdc -fast; write_rtlil {out}.il; "
                  f"techmap; opt -fast; dffunmap; abc -g AND -fast; opt_clean; "
                  f"write_aiger -I -B -zinit -map {out}.aim {out}.aig")
        rc, log, dt = run([a.yosys, "-q", "-p", script], out + "_yosys.log")
        if rc != 0:
            print(f"{a.name}: yosys failed\n{tail(log)}")
        return rc == 0

    def abc(model, cmds, log):
        return run([a.abc, "-c", f"read_aiger {model}.aig; fold; strash; {cmds}"], log)

    if not build(base, ""):
        return 1
    aiw = base + ".aiw"
    if os.path.exists(aiw):
        os.remove(aiw)
    rc, out, dt = abc(base, f"bmc3 -F {a.bmc}; write_cex -a {aiw}", base + "_bmc.log")
    m = re.search(r"asserted in frame (\d+)", out)
    failed = m is not None
    if not failed and f"No output asserted in {a.bmc} frames" not in out:
        print(f"{a.name}: bounded check did not complete\n{tail(out)}")
        return 1
    print(f"{a.name}: bounded check, {a.bmc} steps: "
          f"{'FAIL at step ' + m.group(1) if failed else 'pass'} ({dt:.1f} s)")

    if failed:
        vcd = base + "_bmc.vcd"
        rc, simout, _ = run([a.yosys, "-p", f"read_rtlil {base}.il; sim -clock clk -r {aiw} "
                             f"-map {base}.aim -vcd {vcd} -hdlname"], base + "_sim.log")
        fails = [l.strip() for l in simout.splitlines() if "failed" in l.lower() and "ssert" in l]
        where = fails[0] if fails else "(see the VCD)"
        if a.expect == "fail":
            print(f"{a.name}: mutant caught as expected: {where}")
            print(f"{a.name}: counterexample VCD: {vcd}")
            return 0 if os.path.exists(vcd) else 1
        print(f"{a.name}: {where}")
        print(f"{a.name}: counterexample VCD: {vcd}")
        return 1
    if a.expect == "fail":
        print(f"{a.name}: ERROR: the mutant passed the bounded check: the proof does not bite")
        return 1

    if a.bounded_only:
        print(f"{a.name}: BOUNDED ONLY ({a.bmc} steps from reset; no unbounded proof run)")
        return 0
    if a.ind:
        if a.bmc < a.ind - 1:
            print(f"{a.name}: ERROR: --bmc {a.bmc} does not cover the base case of --ind {a.ind}")
            return 1
        # ind prints "Networks are equivalent" when no assertion can fail in the last of K
        # frames in which all assertions held in the frames before (the constraints, folded
        # into the model, hold in all of them).
        rc, out, dt = abc(base, f"orpos; ind -v -F {a.ind}", base + "_ind.log")
        proved = "Networks are equivalent" in out
        print(f"{a.name}: unbounded proof (k-induction, k = {a.ind}): "
              f"{'pass' if proved else 'FAIL'} ({dt:.1f} s)")
        if not proved:
            print(tail(out))
            print(f"{a.name}: for a trace of the failed induction step run yosys-smtbmc "
                  f"--unroll -i (docs/verification.md, property 3)")
            return 1
    else:
        rc, out, dt = abc(base, "pdr", base + "_pdr.log")
        proved = "Property proved" in out
        print(f"{a.name}: unbounded proof (pdr): {'pass' if proved else 'FAIL'} ({dt:.1f} s)")
        if not proved:
            print(tail(out))
            return 1

    if a.covers:
        cbase = base + "_cover"
        if not build(cbase, "-DFV_COVER", drop_design_asserts=True):
            return 1
        rc, out, dt = abc(cbase, f"bmc3 -a -F {a.bmc}", cbase + ".log")
        hit = len(set(re.findall(r"Output (\d+) (?:of miter \S+ )?was asserted", out)))
        ok = hit == a.covers
        print(f"{a.name}: cover, {a.bmc} steps: {hit} of {a.covers} targets reached "
              f"({'pass' if ok else 'FAIL'}, {dt:.1f} s)")
        if not ok:
            print(tail(out))
            return 1
    print(f"{a.name}: PROVEN")
    return 0


if __name__ == "__main__":
    sys.exit(main())
