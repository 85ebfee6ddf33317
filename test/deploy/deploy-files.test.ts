/**
 * Static checks of deploy/ (no Docker engine or cluster here: the files are parsed and linted, not
 * run): two HTTP replicas behind a load balancer without sticky sessions, one PostgreSQL, secrets from
 * the environment or a Secret, readiness on /readyz and liveness on /livez.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

/** What the app needs in OAuth mode over HTTP (CONTRACT.md, Environment). */
const OAUTH_HTTP_VARIABLES = [
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'TOKEN_ENCRYPTION_KEY',
  'DATABASE_URL',
];

type Obj = Record<string, unknown>;

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as {
    services: Record<string, Obj>;
    volumes?: Obj;
  };
  const services = compose.services;
  const replicas = Object.entries(services).filter(([name]) => name.startsWith('tokenfix'));

  it('runs two replicas of the root Dockerfile in HTTP mode on PostgreSQL', () => {
    expect(replicas).toHaveLength(2);
    for (const [, s] of replicas) {
      expect(s.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
      const env = s.environment as Record<string, string>;
      expect(env.SLACK_APP_TOKEN).toBe('');
      expect(env.DATABASE_URL).toMatch(
        /^postgres:\/\/tokenfix:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/tokenfix$/,
      );
      expect(s.env_file).toBe('.env');
      expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      // Longer than the app's 8 s drain on SIGTERM.
      expect(String(s.stop_grace_period)).toBe('15s');
    }
  });

  it('has a PostgreSQL with a health check and a volume, its password from the environment', () => {
    const pg = services.postgres as Obj;
    expect(String(pg.image)).toMatch(/^postgres:\d+/);
    expect((pg.environment as Obj).POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD/);
    expect(JSON.stringify(pg.healthcheck)).toMatch(/pg_isready/);
    expect(pg.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('pgdata');
  });

  it('puts nginx in front of the replicas with deploy/nginx.conf', () => {
    const lb = services.lb as Obj;
    expect(String(lb.image)).toMatch(/^nginx:/);
    expect(lb.volumes).toEqual(['./nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(lb.depends_on).toEqual(replicas.map(([name]) => name));
    expect(lb.ports).toEqual(['8080:80']);
  });

  it('holds no secret values', () => {
    const text = read('deploy/docker-compose.yml');
    expect(text).not.toMatch(/xox[bpe]-|xapp-/);
    for (const name of OAUTH_HTTP_VARIABLES.filter((n) => n !== 'DATABASE_URL'))
      expect(text).not.toMatch(new RegExp(`${name}:\\s*\\S`));
  });
});

describe('deploy/nginx.conf', () => {
  const conf = read('deploy/nginx.conf');
  const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as {
    services: Record<string, Obj>;
  };
  const replicaNames = Object.keys(compose.services).filter((n) => n.startsWith('tokenfix'));

  it('balances over every replica of the compose file, on the app port', () => {
    const upstream = /upstream tokenfix \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    const servers = [...upstream.matchAll(/server ([\w.-]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(replicaNames.map((n) => `${n}:3000`));
  });

  it('has no sticky sessions', () => {
    const code = conf.replace(/#.*$/gm, '');
    expect(code).not.toMatch(/^\s*(ip_hash|hash|sticky)\b/m);
  });

  it('proxies /slack/ (events, install, OAuth redirect) to the upstream with the forwarded headers', () => {
    const slack = /location \/slack\/ \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(slack).toMatch(/proxy_pass http:\/\/tokenfix;/);
    expect(slack).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(slack).toMatch(/proxy_next_upstream [^;]*http_503/);
  });

  it('is balanced: every brace closes, every directive ends', () => {
    const code = conf.replace(/#.*$/gm, '');
    expect((code.match(/\{/g) ?? []).length).toBe((code.match(/\}/g) ?? []).length);
    for (const line of code.split('\n').map((l) => l.trim())) {
      if (line === '' || line.endsWith('{') || line === '}') continue;
      expect(line).toMatch(/;$/);
    }
  });
});

describe('deploy/kubernetes/tokenfix.yaml', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes/tokenfix.yaml')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Obj;
  });
  const byKind = (kind: string) => docs.find((d) => d.kind === kind) as Obj & { spec: Obj; metadata: Obj };

  it('holds a Deployment and a Service, and nothing secret', () => {
    expect(docs.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual(['apps/v1/Deployment', 'v1/Service']);
    expect(read('deploy/kubernetes/tokenfix.yaml')).not.toMatch(/xox[bpe]-|xapp-/);
  });

  const deployment = byKind('Deployment');
  const pod = (deployment.spec.template as { spec: Obj; metadata: Obj }).spec;
  const container = (pod.containers as Obj[])[0] as Obj;

  it('runs two or more replicas, rolling without dropping below that', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect((deployment.spec.strategy as Obj).rollingUpdate).toMatchObject({ maxUnavailable: 0 });
    const selector = (deployment.spec.selector as { matchLabels: Obj }).matchLabels;
    expect((deployment.spec.template as { metadata: { labels: Obj } }).metadata.labels).toMatchObject(
      selector,
    );
  });

  it('is ready on /readyz and alive on /livez, on the container port', () => {
    const port = (container.ports as Obj[])[0] as Obj;
    expect(port.containerPort).toBe(3000);
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: port.name } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/livez', port: port.name } });
  });

  it('takes every OAuth/HTTP variable from the Secret, in HTTP mode (no SLACK_APP_TOKEN)', () => {
    const env = container.env as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: Obj } }>;
    for (const name of OAUTH_HTTP_VARIABLES) {
      const v = env.find((e) => e.name === name);
      expect(v?.valueFrom?.secretKeyRef).toEqual({ name: 'tokenfix', key: name });
    }
    expect(env.some((e) => e.name === 'SLACK_APP_TOKEN')).toBe(false);
    expect(env.find((e) => e.name === 'PORT')?.value).toBe('3000');
  });

  it('runs as non-root and gives SIGTERM more time than the app’s 8 s drain', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(8);
  });

  it('has a Service selecting the pods, to the named container port', () => {
    const service = byKind('Service');
    const labels = (deployment.spec.template as { metadata: { labels: Obj } }).metadata.labels;
    expect(labels).toMatchObject(service.spec.selector as Obj);
    expect((service.spec.ports as Obj[])[0]).toMatchObject({ targetPort: 'http' });
  });
});

describe('root Dockerfile, for OAuth mode', () => {
  it('ships manifest.yml, whose bot scopes the OAuth install link asks for', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/COPY[^\n]*manifest\.yml/);
    expect(read('.dockerignore').split('\n')).not.toContain('manifest.yml');
    expect(read('.dockerignore').split('\n')).toContain('**/.env');
  });
});
