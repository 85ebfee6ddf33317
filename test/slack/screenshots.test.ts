/**
 * Screenshots shared in Slack, over signed HTTP: the image is downloaded from (fake) Slack with the bot
 * token, read with OCR and diagnosed on every way of asking; passive listening reads them unless the
 * channel turned it off; what can't be read gets a clear line on an explicit ask and silence otherwise;
 * a file URL outside Slack is never fetched (the token would go with it); a secret read from a picture
 * is masked like a pasted one. In a Slack Connect channel a file from the other organisation arrives as
 * a stub (`file_access: "check_file_info"`): it is looked up with files.info, then read the same way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store';
import { BOT_TOKEN } from '../../src/testing/fake-slack';
import { startBot, type TestBot } from '../support/bot';
import {
  CHANNEL,
  eventCallback,
  keyReaction,
  mentionEvent,
  messageEvent,
  messageShortcut,
  nextTs,
  slackConnectFileStub,
  slashCommand,
} from '../support/payloads';

const SHOTS = join(__dirname, '..', 'fixtures', 'screenshots');
const png = (name: string) => readFileSync(join(SHOTS, `${name}.png`));
const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-screenshots-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Call = { body: Record<string, unknown> };
const blocksText = (c: Call | undefined) => JSON.stringify(c?.body.blocks ?? []);

describe('screenshots shared in Slack', () => {
  let bot: TestBot;
  let store: Store;
  beforeAll(async () => {
    store = await openStore(`sqlite:${join(tmp, 'tokenfix.db')}`);
    bot = await startBot({ store });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  const file = (name: string, bytes: Buffer, mimetype = 'image/png') => ({
    id: `F${name.replace(/\W/g, '').toUpperCase()}`,
    name: `${name}.png`,
    mimetype,
    filetype: mimetype === 'image/png' ? 'png' : 'binary',
    size: bytes.length,
    url_private: bot.fake.addFile(name, bytes, mimetype),
    url_private_download: bot.fake.addFile(name, bytes, mimetype),
  });

  it('passive listening reads a screenshot shared without text and answers in its thread, quoting the line it read', async () => {
    const shared = messageEvent({
      subtype: 'file_share',
      text: '',
      files: [file('ms', png('microsoft-001.light.1x'))],
    });
    await bot.post('event', eventCallback(shared));
    await bot.idle(30_000);
    expect(bot.fake.downloads).toEqual([{ name: 'ms', token: BOT_TOKEN, status: 200 }]);
    const reply = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
    expect(reply?.body).toMatchObject({ channel: CHANNEL, thread_ts: shared.ts });
    expect(blocksText(reply)).toContain('Read from a screenshot');
    expect(blocksText(reply)).toContain('AADSTS700082: The refresh token has expired due to inactivity');
    expect(String(reply?.body.text)).toMatch(/Microsoft/);
    // Neither the picture's text nor the picture is logged.
    expect(bot.logs.join('\n')).not.toContain('refresh token has expired');
  });

  it('a refused key told without a sign it had worked (held back by refusalCheck: passive) is not read from its screenshot either', async () => {
    const shared = messageEvent({
      subtype: 'file_share',
      text: 'I created a new API key in my Mailchimp account and I keep getting "Invalid API key", see screenshot',
      files: [file('ms-held', png('microsoft-001.light.1x'))],
    });
    await bot.post('event', eventCallback(shared));
    await bot.idle(30_000);
    expect(bot.fake.downloads).toEqual([]);
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
  });

  it('a mention, the message shortcut, :key: and a DM read it too', async () => {
    const mention = mentionEvent({ text: '<@UBOT> ', files: [file('m', png('article-5.dark.1x'))] });
    await bot.post('event', eventCallback(mention));
    await bot.idle(30_000);
    expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toMatch(
      /Read from a screenshot[\s\S]*not authorized application/,
    );

    bot.fake.reset();
    const message = {
      ts: nextTs(),
      user: 'U0CUSTOMER',
      text: 'see attached',
      files: [file('s', png('article-7.light.2x'))],
    };
    await bot.post('interactive', messageShortcut(message, bot.fake.responseUrl('sc')));
    await bot.idle(30_000);
    const eph = bot.fake.okCalls('chat.postEphemeral')[0] as Call | undefined;
    expect(blocksText(eph)).toContain('Read from a screenshot');
    expect(String(eph?.body.text)).toMatch(/LinkedIn/);

    bot.fake.reset();
    const ts = nextTs();
    bot.fake.addMessage(CHANNEL, {
      ts,
      user: 'U0CUSTOMER',
      text: '',
      files: [file('r', png('article-4.dark.2x'))],
    } as never);
    await bot.post('event', eventCallback(keyReaction({ channel: CHANNEL, ts, itemUser: 'U0CUSTOMER' })));
    await bot.idle(30_000);
    const keyed = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
    expect(keyed?.body.thread_ts).toBe(ts);
    expect(blocksText(keyed)).toContain('Read from a screenshot');

    bot.fake.reset();
    const dm = messageEvent({
      channel: 'D0ASKER',
      channel_type: 'im',
      text: '',
      subtype: 'file_share',
      files: [file('d', png('google-005.light.1x'))],
    });
    await bot.post('event', eventCallback(dm));
    await bot.idle(30_000);
    const answer = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
    expect(answer?.body.channel).toBe('D0ASKER');
    expect(blocksText(answer)).toContain('invalid_grant');
  });

  it('`/tokenfix listen images off` stops passive listening from reading them; a mention still does', async () => {
    await bot.post('command', slashCommand('listen images off', bot.fake.responseUrl('off')));
    await bot.idle();
    const announced = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
    expect(String(announced?.body.text)).toMatch(/turned off reading screenshots/);
    bot.fake.reset();

    await bot.post(
      'event',
      eventCallback(
        messageEvent({ subtype: 'file_share', text: '', files: [file('off', png('article-4.light.1x'))] }),
      ),
    );
    await bot.idle(30_000);
    expect(bot.fake.downloads).toEqual([]);
    expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

    await bot.post(
      'event',
      eventCallback(mentionEvent({ text: '<@UBOT>', files: [file('off2', png('article-4.light.1x'))] })),
    );
    await bot.idle(30_000);
    expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toContain('Read from a screenshot');

    await bot.post('command', slashCommand('listen images on', bot.fake.responseUrl('on')));
    await bot.idle();
  });

  it('a file that is not a readable picture: a clear line when asked, silence when only listening', async () => {
    const junk = file('junk', Buffer.from('this is not a PNG at all, just text pretending'), 'image/png');
    await bot.post('event', eventCallback(messageEvent({ subtype: 'file_share', text: '', files: [junk] })));
    await bot.idle(30_000);
    expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

    await bot.post('event', eventCallback(mentionEvent({ text: '<@UBOT>', files: [junk] })));
    await bot.idle(30_000);
    expect(String((bot.fake.okCalls('chat.postMessage')[0] as Call | undefined)?.body.text)).toMatch(
      /PNG, JPEG and WebP/,
    );
  });

  it('a file URL outside Slack is never fetched, so the bot token never leaves', async () => {
    const seen: string[] = [];
    const elsewhere: Server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.writeHead(200, { 'content-type': 'image/png' }).end(png('article-4.light.1x'));
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/evil.png`;
      const foreign = {
        id: 'FEVIL',
        mimetype: 'image/png',
        filetype: 'png',
        size: 100,
        url_private: url,
        url_private_download: url,
      };
      await bot.post('event', eventCallback(mentionEvent({ text: '<@UBOT>', files: [foreign] })));
      await bot.idle(30_000);
      expect(seen).toEqual([]);
      expect(String((bot.fake.okCalls('chat.postMessage')[0] as Call | undefined)?.body.text)).toMatch(
        /couldn't download/,
      );
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('a secret read from a picture is masked like a pasted one, everywhere', async () => {
    const secret = 'EAAGm0PX4ZCpsBAOtokenfixSynthetic7Q2';
    await bot.post(
      'event',
      eventCallback(
        mentionEvent({ text: '<@UBOT>', files: [file('secret', png('synthetic-secret.light.2x'))] }),
      ),
    );
    await bot.idle(30_000);
    const card = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
    expect(blocksText(card)).toContain('secret was masked');
    expect(JSON.stringify(bot.fake.calls)).not.toContain(secret);
    expect(bot.logs.join('\n')).not.toContain(secret);
  });

  describe('Slack Connect: a file from the other organisation arrives as a stub', () => {
    /** The customer's organisation, on the other side of the shared channel. */
    const CUSTOMER_TEAM = 'T0CUSTOMER';
    const CUSTOMER = 'U0CUSTOMER';
    /** Registers the file with the fake Slack (download and files.info) and returns what Slack sends. */
    const stub = (name: string, bytes: Buffer, mimetype = 'image/png') => {
      const id = `FSC${name.replace(/\W/g, '').toUpperCase()}`;
      bot.fake.addFile(name, bytes, mimetype, id);
      return slackConnectFileStub(id);
    };
    /** An event from the customer's side: Slack puts their team at the top, our install in authorizations. */
    const shared = (event: Record<string, unknown>) => ({
      ...eventCallback({ ...event, user: CUSTOMER, team: CUSTOMER_TEAM, user_team: CUSTOMER_TEAM }),
      team_id: CUSTOMER_TEAM,
      is_ext_shared_channel: true,
    });
    const lookups = () => bot.fake.callsTo('files.info').map((c) => c.body.file);
    const bearer = (c: { headers: Record<string, unknown> } | undefined) => c?.headers.authorization;
    const postedText = (i = 0) =>
      String((bot.fake.okCalls('chat.postMessage')[i] as Call | undefined)?.body.text);

    it('passive listening, a mention, the message shortcut and :key: look it up with files.info and read it', async () => {
      const passive = messageEvent({
        subtype: 'file_share',
        text: '',
        files: [stub('sc-p', png('microsoft-001.light.1x'))],
      });
      await bot.post('event', shared(passive));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCP']);
      expect(bearer(bot.fake.callsTo('files.info')[0])).toBe(`Bearer ${BOT_TOKEN}`);
      expect(bot.fake.downloads).toEqual([{ name: 'sc-p', token: BOT_TOKEN, status: 200 }]);
      const reply = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
      expect(reply?.body).toMatchObject({ channel: CHANNEL, thread_ts: passive.ts });
      expect(blocksText(reply)).toContain('AADSTS700082: The refresh token has expired due to inactivity');

      bot.fake.reset();
      await bot.post(
        'event',
        shared(mentionEvent({ text: '<@UBOT> ', files: [stub('sc-m', png('article-5.dark.1x'))] })),
      );
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCM']);
      expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toMatch(
        /Read from a screenshot[\s\S]*not authorized application/,
      );

      bot.fake.reset();
      const message = {
        ts: nextTs(),
        user: CUSTOMER,
        text: 'see attached',
        files: [stub('sc-s', png('article-7.light.2x'))],
      };
      await bot.post('interactive', messageShortcut(message, bot.fake.responseUrl('sc-s')));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCS']);
      const eph = bot.fake.okCalls('chat.postEphemeral')[0] as Call | undefined;
      expect(blocksText(eph)).toContain('Read from a screenshot');
      expect(String(eph?.body.text)).toMatch(/LinkedIn/);

      bot.fake.reset();
      const ts = nextTs();
      bot.fake.addMessage(CHANNEL, {
        ts,
        user: CUSTOMER,
        text: '',
        files: [stub('sc-r', png('article-4.dark.2x'))],
      });
      await bot.post('event', eventCallback(keyReaction({ channel: CHANNEL, ts, itemUser: CUSTOMER })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCR']);
      expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toContain('Read from a screenshot');
    });

    it('a bare mention in the thread of a shared stub reads the thread’s first message’s screenshot', async () => {
      const parentTs = nextTs();
      bot.fake.addMessage(CHANNEL, {
        ts: parentTs,
        user: CUSTOMER,
        text: '',
        files: [stub('sc-t', png('article-4.light.1x'))],
      });
      const mention = mentionEvent({ text: '<@UBOT>', thread_ts: parentTs });
      await bot.post('event', shared(mention));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCT']);
      const reply = bot.fake.okCalls('chat.postMessage')[0] as Call | undefined;
      expect(reply?.body.thread_ts).toBe(parentTs);
      expect(blocksText(reply)).toContain('Read from a screenshot');
    });

    it('files.info answering ok:false: the person who asked is told it could not be downloaded; passive stays quiet', async () => {
      const files = [stub('sc-gone', png('article-4.light.1x'))];
      bot.fake.fail('files.info', { error: 'file_not_found' });
      await bot.post('event', shared(messageEvent({ subtype: 'file_share', text: '', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCGONE']);
      expect(bot.fake.downloads).toEqual([]);
      expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

      bot.fake.fail('files.info', { error: 'access_denied' });
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(bot.fake.downloads).toEqual([]);
      expect(postedText()).toMatch(/couldn't download that screenshot/);
      // Only the code is logged.
      expect(bot.logs.join('\n')).toContain('access_denied');
      expect(bot.logs.join('\n')).not.toContain('sc-gone');
    });

    it('files.info rate limited once (429, Retry-After): waited out, then read', async () => {
      bot.fake.fail('files.info', { status: 429, retryAfter: 1 });
      await bot.post(
        'event',
        shared(mentionEvent({ text: '<@UBOT>', files: [stub('sc-429', png('article-4.light.1x'))] })),
      );
      await bot.idle(30_000);
      expect(bot.fake.callsTo('files.info').map((c) => c.status)).toEqual([429, 200]);
      expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toContain('Read from a screenshot');
    });

    it('files.info failing with 500 (retries spent): the asker is told, passive stays quiet, nothing crashes', async () => {
      const files = [stub('sc-500', png('article-4.light.1x'))];
      bot.fake.failFor('files.info', { status: 500 }, 60_000);
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(bot.fake.callsTo('files.info').length).toBeGreaterThan(1);
      expect(bot.fake.okCalls('files.info')).toEqual([]);
      expect(postedText()).toMatch(/couldn't download that screenshot/);

      bot.fake.reset();
      bot.fake.failFor('files.info', { status: 500 }, 60_000);
      await bot.post('event', shared(messageEvent({ subtype: 'file_share', text: '', files })));
      await bot.idle(30_000);
      expect(bot.fake.callsTo('files.info').length).toBeGreaterThan(0);
      expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);
      // Still answering.
      expect((await bot.get('/livez')).status).toBe(200);
    });

    it('a passive message with several stubs while files.info fails (5xx, retries spent): no lookups after the first, quiet', async () => {
      const files = [1, 2, 3].map((n) => stub(`sc-down-${n}`, png('article-4.light.1x')));
      bot.fake.failFor('files.info', { status: 500 }, 60_000);
      await bot.post('event', shared(messageEvent({ subtype: 'file_share', text: '', files })));
      await bot.idle(30_000);
      // Slack is failing, not the file: the client's retries were spent on the first; the others would fare no better.
      expect(lookups().length).toBeGreaterThan(1);
      expect(new Set(lookups())).toEqual(new Set(['FSCSCDOWN1']));
      expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

      // A picture shared directly after such a stub still needs no lookup: it is read.
      bot.fake.reset();
      bot.fake.failFor('files.info', { status: 500 }, 60_000);
      const mixed = [
        stub('sc-down-4', png('article-4.light.1x')),
        stub('sc-down-5', png('article-4.light.1x')),
      ];
      mixed.push(file('sc-direct', png('article-4.light.1x')));
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files: mixed })));
      await bot.idle(30_000);
      expect(new Set(lookups())).toEqual(new Set(['FSCSCDOWN4']));
      expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toContain('Read from a screenshot');
    });

    it('a stub Slack says is gone (ok:false) does not stop the lookup of the next one', async () => {
      const files = [stub('sc-gone1', png('article-4.light.1x')), stub('sc-next', png('article-4.light.1x'))];
      bot.fake.fail('files.info', { error: 'file_not_found' });
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCGONE1', 'FSCSCNEXT']);
      expect(blocksText(bot.fake.okCalls('chat.postMessage')[0])).toContain('Read from a screenshot');
    });

    it('a stub without a usable id (and thousands of them): nothing to look up, the asker is told once, passive stays quiet', async () => {
      const { id: _id, ...noId } = slackConnectFileStub('F0UNUSED');
      const files = [noId, { ...noId, id: 42 }, ...Array.from({ length: 5_000 }, () => noId)];
      await bot.post('event', shared(messageEvent({ subtype: 'file_share', text: '', files })));
      await bot.idle(30_000);
      expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual([]);
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
      expect(postedText()).toMatch(/couldn't download that screenshot/);
    });

    it('files.info answering with the stub again (no type, no URL): the asker is told once, passive stays quiet', async () => {
      const files = [stub('sc-again', png('article-4.light.1x'))];
      bot.fake.describeFile('FSCSCAGAIN', slackConnectFileStub('FSCSCAGAIN'));
      await bot.post('event', shared(messageEvent({ subtype: 'file_share', text: '', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCAGAIN']);
      expect(bot.fake.okCalls('chat.postMessage')).toEqual([]);

      bot.fake.reset();
      bot.fake.describeFile('FSCSCAGAIN', slackConnectFileStub('FSCSCAGAIN'));
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCAGAIN']);
      expect(bot.fake.downloads).toEqual([]);
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
      expect(postedText()).toMatch(/couldn't download that screenshot/);
    });

    it('files.info pointing the download off Slack: never fetched, the token stays, the URL is not logged', async () => {
      const seen: string[] = [];
      const elsewhere: Server = createServer((req, res) => {
        seen.push(String(req.headers.authorization));
        res.writeHead(200, { 'content-type': 'image/png' }).end(png('article-4.light.1x'));
      });
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/sc-evil-name.png`;
        const files = [stub('sc-evil', png('article-4.light.1x'))];
        bot.fake.describeFile('FSCSCEVIL', {
          id: 'FSCSCEVIL',
          name: 'sc-evil-name.png',
          mimetype: 'image/png',
          filetype: 'png',
          size: 100,
          url_private: url,
          url_private_download: url,
        });
        await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
        await bot.idle(30_000);
        expect(lookups()).toEqual(['FSCSCEVIL']);
        expect(seen).toEqual([]);
        expect(postedText()).toMatch(/couldn't download that screenshot/);
        expect(bot.logs.join('\n')).not.toContain('sc-evil-name');
      } finally {
        await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
      }
    });

    it('a stub that turns out not to be a picture, or too large, is refused as a file sent directly is', async () => {
      const pdf = Buffer.from('%PDF-1.7 not a screenshot');
      await bot.post(
        'event',
        shared(mentionEvent({ text: '<@UBOT>', files: [stub('sc-pdf', pdf, 'application/pdf')] })),
      );
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCPDF']);
      expect(bot.fake.downloads).toEqual([]);
      const fromStub = postedText();
      bot.fake.reset();
      const direct = { id: 'FPDF', mimetype: 'application/pdf', filetype: 'pdf', size: pdf.length };
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files: [direct] })));
      await bot.idle(30_000);
      expect(fromStub).toBe(postedText());

      bot.fake.reset();
      const huge = Buffer.alloc(9 * 1024 * 1024);
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files: [stub('sc-huge', huge)] })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCHUGE']);
      // Refused by the size files.info declared, before any byte was fetched.
      expect(bot.fake.downloads).toEqual([]);
      expect(postedText()).toMatch(/too large for me to read/);
    });

    it('looks up at most three files of a message', async () => {
      const pdf = Buffer.from('%PDF-1.7');
      const files = [1, 2, 3, 4, 5].map((n) => stub(`sc-many-${n}`, pdf, 'application/pdf'));
      await bot.post('event', shared(mentionEvent({ text: '<@UBOT>', files })));
      await bot.idle(30_000);
      expect(lookups()).toEqual(['FSCSCMANY1', 'FSCSCMANY2', 'FSCSCMANY3']);
    });
  });
});
