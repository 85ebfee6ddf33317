/** Static checks of the files a deployment uses (no Docker engine here: the image is not built). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

const CONTRACT_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'PORT',
  'SLACK_API_URL',
  'DATABASE_URL',
  'LOG_LEVEL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'TOKEN_ENCRYPTION_KEY',
  'ALERT_CHANNEL',
  'KNOWLEDGE_PATH',
];

describe('.env.example', () => {
  const example = read('.env.example');
  it.each(CONTRACT_VARIABLES)('lists %s with a comment', (name) => {
    const lines = example.split('\n');
    const at = lines.findIndex((l) => new RegExp(`^#? ?${name}=`).test(l));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(Math.max(0, at - 3), at).some((l) => l.startsWith('#'))).toBe(true);
  });

  it('holds no real-looking secret', () => {
    expect(example).not.toMatch(/xox[bp]-\d|xapp-\d/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));

  it('is multi-stage on Node 22', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from).toMatch(/^FROM node:22[-.\w]*/);
  });

  it('installs production dependencies only in the runtime, without install scripts', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('runs as a non-root user, checks /livez, and starts dist/index.js', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/livez/);
    expect(runtime).toMatch(/CMD \["node", "dist\/index.js"\]/);
    expect(runtime).toMatch(/COPY[^\n]*knowledge/);
  });

  it('.dockerignore keeps secrets and local builds out of the context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', 'dist', '.git']) expect(ignore).toContain(entry);
  });
});
