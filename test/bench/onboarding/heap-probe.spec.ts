import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { HeapProbe, INSPECTABLE_NODE_OPTIONS, inspectorUrlIn, liveBytes } from './heap-probe';

/**
 * A process started like the benchmark starts the gateway, which on command keeps a million small
 * objects (tens of MB) or allocates as many and drops them.
 */
const CHILD = `
const kept = [];
const make = () => Array.from({ length: 1e6 }, (_, i) => ({ i }));
process.stdin.on('data', (d) => {
  for (const cmd of String(d).trim().split('\\n')) {
    if (cmd === 'keep') kept.push(make());
    if (cmd === 'drop') make().length;
    process.stdout.write('done\\n');
  }
});
`;

describe('HeapProbe', () => {
  let child: ChildProcess;
  let stderr = '';
  let probe: HeapProbe;

  const send = async (cmd: string): Promise<void> => {
    const done = once(child.stdout!, 'data');
    child.stdin!.write(`${cmd}\n`);
    await done;
  };

  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', CHILD], {
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: INSPECTABLE_NODE_OPTIONS },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!/Debugger listening/.test(stderr) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    probe = await HeapProbe.connect(inspectorUrlIn(stderr));
  });

  afterAll(async () => {
    probe?.close();
    child.kill();
    await once(child, 'exit');
  });

  it('finds the inspector address only where Node printed one', () => {
    expect(inspectorUrlIn(stderr)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/[\w-]+$/);
    expect(() => inspectorUrlIn('Nest application successfully started')).toThrow(/inspector address/);
  });

  it('counts what the process keeps, not the garbage it made', async () => {
    const start = liveBytes(await probe.measure());
    await send('drop');
    const afterGarbage = liveBytes(await probe.measure());
    await send('keep');
    const afterKeeping = liveBytes(await probe.measure());

    // A million { i } objects and their array: well over 10 MB when kept, none of it once dropped.
    expect(afterGarbage - start).toBeLessThan(2_000_000);
    expect(afterKeeping - afterGarbage).toBeGreaterThan(10_000_000);
  });

  it('reports resident memory above the live bytes', async () => {
    const m = await probe.measure();
    expect(m.rssBytes).toBeGreaterThan(m.heapUsedBytes);
  });
});
