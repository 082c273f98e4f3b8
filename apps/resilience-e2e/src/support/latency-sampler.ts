import { Worker } from 'node:worker_threads';

export interface Sample {
  at: number;
  ms: number;
  status: number | string;
}

// Runs in its own thread, so the load the test itself generates does not delay the probes: what
// it measures is the target's responsiveness. A fresh connection per probe, as a kubelet makes.
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
let stopping = false;
const samples = [];
parentPort.once('message', () => { stopping = true; });
const probe = () => new Promise((resolve) => {
  const started = performance.now();
  const req = http.get(workerData.url, { agent: false, timeout: 5000 }, (res) => {
    res.resume();
    res.once('end', () => resolve({ at: Date.now(), ms: performance.now() - started, status: res.statusCode }));
  });
  req.once('timeout', () => req.destroy(new Error('probe timed out')));
  req.once('error', (error) => resolve({ at: Date.now(), ms: performance.now() - started, status: error.code || error.message }));
});
(async () => {
  while (!stopping) {
    samples.push(await probe());
    await new Promise((resolve) => setTimeout(resolve, workerData.everyMs));
  }
  parentPort.postMessage(samples);
})();
`;

/** Probes `url` every `everyMs` until stopped; `stop()` resolves with every sample taken. */
export function sampleLatency(url: string, everyMs = 50): { stop(): Promise<Sample[]> } {
  const worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { url, everyMs } });
  const result = new Promise<Sample[]>((resolve, reject) => {
    worker.once('message', (samples: Sample[]) => resolve(samples));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const samples = await result;
      await worker.terminate();
      return samples;
    },
  };
}
