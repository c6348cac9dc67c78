import { checkB7 } from './b7-live-listings';
import type { BenchReport } from './report';

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * What makes a run's numbers usable, never how fast they are (speed targets are reported, not
 * asserted): every measurement present and finite, and the correctness checks that come with them
 * (B1 engine = floor = generator, B2 every change arrived, B3 every scenario settled).
 */
export function checkReport(r: BenchReport): string[] {
  const problems: string[] = [];
  for (const b of r.b1) {
    const tag = `B1 ${b.engine}`;
    if (![b.worker.ms, b.floor.ms, b.worker.peakRssMb, b.ratio].every(finite)) problems.push(`${tag}: a measurement is missing`);
    if (b.worker.listings !== b.rows['listing']) problems.push(`${tag}: the engine saw ${b.worker.listings} listings, ${b.rows['listing']} were loaded`);
    if (b.mismatches.engineVsFloor) problems.push(`${tag}: engine and floor disagree on ${b.mismatches.engineVsFloor} listings (${b.mismatches.examples.join('; ')})`);
    if (b.mismatches.floorVsExpected) problems.push(`${tag}: floor and generator disagree on ${b.mismatches.floorVsExpected} listings (${b.mismatches.examples.join('; ')})`);
    if (b.differing.engine === 0) problems.push(`${tag}: no listing differs from Amazon: the data set has no drift to find`);
  }
  if (r.b2) {
    const b = r.b2;
    const lanes = [b.lanes.steady.decrease, b.lanes.steady.increase, b.lanes.burst.decrease, b.lanes.burst.increase];
    if (![b.connected.perSecond, b.baseline.perSecond, b.feedPath.p50Ms, ...lanes.flatMap((l) => [l.p50Ms, l.p99Ms])].every(finite)) problems.push('B2: a measurement is missing');
    const lost = lanes.reduce((t, l) => t + l.unresolved, 0);
    if (b.feedPath.unresolved || lost) problems.push(`B2: changes never reached the sandbox (bulk ${b.feedPath.unresolved}, patch path ${lost})`);
    if (b.wrongFinal) problems.push(`B2: ${b.wrongFinal} listings end with another quantity on the sandbox than on hand`);
  }
  for (const s of r.b3 ?? []) {
    if (!s.settled) problems.push(`B3 "${s.name}": did not settle`);
    if (!finite(s.updates)) problems.push(`B3 "${s.name}": no count`);
  }
  if (r.b4) {
    if (![r.b4.movements.requestsPerSecond, r.b4.baseline.requestsPerSecond, r.b4.authBaseline.requestsPerSecond].every(finite) || r.b4.movements.requests === 0) problems.push('B4: no requests measured');
    if (r.b4.movements.non2xx || r.b4.movements.errors) problems.push(`B4: ${r.b4.movements.non2xx} non-2xx answers, ${r.b4.movements.errors} errors`);
  }
  if (r.b5) {
    const b = r.b5;
    if (![b.engine.oversoldUnits, ...b.models.map((m) => m.oversoldUnits), b.races, b.cpu.coresUsed, b.memory.peakRssMb].every(finite)) problems.push('B5: a measurement is missing');
    if (b.engine.amazonOrders === 0 || b.engine.otherSales === 0) problems.push(`B5: the day sold nothing (${b.engine.amazonOrders} Amazon orders, ${b.engine.otherSales} other sales)`);
  }
  for (const b of r.b6 ?? []) {
    const tag = `B6 ${b.engine}`;
    if (![b.importProducts.ms, b.importStock.ms, b.exportProducts.ms, b.exportStock.ms].every(finite)) problems.push(`${tag}: a measurement is missing`);
    if (b.importProducts.created !== b.products || b.exportProducts.rows !== b.products) problems.push(`${tag}: ${b.importProducts.created} created and ${b.exportProducts.rows} exported of ${b.products} products`);
    if (b.importStock.movements !== b.importStock.rows || b.exportStock.rows !== b.importStock.rows) problems.push(`${tag}: ${b.importStock.movements} movements and ${b.exportStock.rows} levels exported of ${b.importStock.rows} rows`);
    if (b.importListings.connected !== b.importListings.rows) problems.push(`${tag}: ${b.importListings.connected} of ${b.importListings.rows} listings connected`);
    if (!b.roundTripUnchanged) problems.push(`${tag}: the product export did not import back unchanged`);
  }
  problems.push(...checkB7(r.b7 ?? []));
  return problems;
}
