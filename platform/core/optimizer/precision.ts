/**
 * The precision rules (platform/core/precision-rules.ts) as a placement filter: an offer whose GPU
 * cannot serve the requested precision in vLLM is excluded; one that serves it another way (bf16 as
 * fp16 on T4/V100, fp8 weight-only on Ampere) stays, with a warning. Decided once per GPU type.
 */
import { precisionSupport, type PrecisionSupport } from "../precision-rules";
import type { Precision } from "../types";

/** Per candidate list (cached per catalog or footprint), per precision: 1 where the GPU may serve it. */
const FLAGS = new WeakMap<readonly { gpuType: string }[], Map<Precision, Uint8Array>>();

/** precisionSupport is pure: its answers are kept per precision for every quote of the process. */
const ANSWERS = new Map<Precision, Map<string, PrecisionSupport>>();

export class PrecisionGate {
  private readonly byGpu: Map<string, PrecisionSupport>;

  constructor(readonly precision: Precision) {
    let m = ANSWERS.get(precision);
    if (!m) {
      m = new Map();
      ANSWERS.set(precision, m);
    }
    this.byGpu = m;
  }

  /** What the rules say for `gpuType` at the requested precision (cached). */
  support(gpuType: string): PrecisionSupport {
    let s = this.byGpu.get(gpuType);
    if (s === undefined) {
      s = precisionSupport(gpuType, this.precision);
      this.byGpu.set(gpuType, s);
    }
    return s;
  }

  /**
   * One flag per candidate of `list` (same index): 1 when its GPU can serve the precision. Cached
   * per list object, so the quote's scan reads a byte instead of looking the GPU up.
   */
  allowed(list: readonly { gpuType: string }[]): Uint8Array {
    let byPrecision = FLAGS.get(list);
    if (!byPrecision) {
      byPrecision = new Map();
      FLAGS.set(list, byPrecision);
    }
    let flags = byPrecision.get(this.precision);
    if (!flags) {
      flags = new Uint8Array(list.length);
      for (let i = 0; i < list.length; i += 1) flags[i] = this.refusal(list[i]!.gpuType) === undefined ? 1 : 0;
      byPrecision.set(this.precision, flags);
    }
    return flags;
  }

  /** The same rules for another precision (the explanation's "relax precision" check). */
  at(precision: Precision): PrecisionGate {
    return precision === this.precision ? this : new PrecisionGate(precision);
  }

  /** The rule that refuses `gpuType`, or undefined when it can serve the precision. */
  refusal(gpuType: string): string | undefined {
    const s = this.support(gpuType);
    return s.ok ? undefined : s.rule;
  }

  /** The precision vLLM actually runs on `gpuType` (the substitute, e.g. fp16 for bf16 on T4); the requested one when refused. */
  served(gpuType: string): Precision {
    const s = this.support(gpuType);
    return s.ok ? s.served : this.precision;
  }

  /** One warning per GPU type among `gpuTypes` that serves the precision differently than asked. */
  warnings(gpuTypes: Iterable<string>): string[] {
    const out: string[] = [];
    for (const g of new Set(gpuTypes)) {
      const s = this.support(g);
      if (s.ok && (s.served !== this.precision || s.weightOnly === true) && s.note !== undefined) {
        out.push(`${g}: ${s.note}`);
      }
    }
    return out;
  }
}
