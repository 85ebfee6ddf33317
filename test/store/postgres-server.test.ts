import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin } from '../../src/bench/postgres-server';

// When the test server can't start, the one line shown (test/support/postgres.ts) must say why: the
// command's errors, not the last lines of what it printed before failing (which once read only
// "The database cluster will be initialized with locale "C"" for a TMPDIR postgres could not enter).
const asRootWithServer = process.getuid?.() === 0 && findPostgresBin() !== null;
const dist = join(__dirname, '..', '..', 'dist', 'bench', 'postgres-server.js');

(asRootWithServer ? test : test.skip)(
  'a temp folder the postgres user cannot enter: initdb fails and the message names the refusal',
  () => {
    const locked = mkdtempSync(join(tmpdir(), 'tokenfix-locked-'));
    chmodSync(locked, 0o700);
    try {
      // A process of its own: os.tmpdir() reads the real environment's TMPDIR, not jest's copy.
      const said = execFileSync(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(dist)}).startPostgres().then((s) => { s.stop(); console.log('started'); }, (e) => console.log(e.message))`,
        ],
        { env: { ...process.env, TMPDIR: locked }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(said.trim()).toMatch(/^initdb failed: .*Permission denied/);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  },
);
