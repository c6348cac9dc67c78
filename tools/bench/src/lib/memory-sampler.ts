import { readFileSync } from 'node:fs';

/** Peak RSS and heap of this process, sampled on a timer while a measured phase runs. */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  peakRss = 0;
  peakHeapUsed = 0;
  samples = 0;

  constructor(private readonly everyMs = 20) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  stop(): { peakRssMb: number; peakHeapMb: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { peakRssMb: mb(this.peakRss), peakHeapMb: mb(this.peakHeapUsed), samples: this.samples };
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeapUsed) this.peakHeapUsed = m.heapUsed;
  }
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * The kernel's high-water mark of this process's resident memory (Linux `VmHWM`): the true peak,
 * also during synchronous work no timer can sample (a long better-sqlite3 query). 0 elsewhere.
 */
export function peakRssMbSoFar(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : 0;
  } catch {
    return 0;
  }
}
