import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const s = new Session(); s.connect();
const post = (m, p) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))));
process.on('SIGUSR2', async () => {
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  console.error('sampling');
});
process.on('SIGUSR1', () => {});
process.on('SIGHUP', async () => {
  const { profile } = await post('HeapProfiler.stopSampling');
  writeFileSync('/tmp/alloc.heapprofile', JSON.stringify(profile));
  console.error('written');
});
