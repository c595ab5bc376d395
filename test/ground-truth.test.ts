/** Ground truth of a promotion from two members' rows (sim/real/ground-truth.ts), table-driven. */
import { groundTruth } from '../sim/real/ground-truth';

const rows = (entries: [number, number][]): Map<number, number> => new Map(entries);

test('lost = old-primary rows before the promotion missing on the new writer; RPO to the newest kept row', () => {
  const old = rows([
    [1, 1000],
    [2, 1100],
    [3, 1200],
    [4, 1300],
  ]);
  const now = rows([
    [1, 1000],
    [2, 1100],
    [5, 2000],
  ]);
  const t = groundTruth(old, now, 1500, 10);
  expect(t).toMatchObject({ oldPrimaryRows: 4, newWriterRows: 3, lostWrites: 2, rpoMs: 200, inDoubtLost: [], phantom: [] });
  expect(t.splitBrain).toBeUndefined();
});

test('rows the old primary took after the promotion began are split brain, not RPO', () => {
  const old = rows([
    [1, 1000],
    [2, 1100],
    [3, 1600],
    [4, 1700],
  ]);
  const now = rows([
    [1, 1000],
    [2, 1100],
  ]);
  const t = groundTruth(old, now, 1500, 10);
  expect(t.lostWrites).toBe(0);
  expect(t.rpoMs).toBe(0);
  expect(t.splitBrain).toEqual({ writes: 2, firstAt: 1600, lastAt: 1700 });
});

test('a committed row whose ack never came back is in doubt, not an acked loss; total loss adds one interval', () => {
  const old = rows([
    [1, 1000],
    [2, 1100],
  ]);
  const t = groundTruth(old, rows([]), 1500, 10, [2]);
  expect(t.inDoubtLost).toEqual([2]);
  expect(t.lostWrites).toBe(1);
  expect(t.rpoMs).toBe(100); // only seq 1 lost, nothing older kept: 1000 − 1000 + 100
});

test('a row on the new writer the old primary never had is reported (phantom)', () => {
  const t = groundTruth(rows([[1, 1000]]), rows([[9, 1200]]), 1500, 10);
  expect(t.phantom).toEqual([9]);
});
