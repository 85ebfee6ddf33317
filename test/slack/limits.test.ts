/** Every outgoing payload is checked by the fake Slack; these make sure that check is wired and sharp. */
import { renderHomeView } from '../../src/cards/home';
import { blockKitProblems } from '../support/block-kit-limits';
import { knowledge } from '../support/bot';
import { BOT_TOKEN, FakeSlack } from '../support/fake-slack';

describe('Block Kit limits on outgoing payloads', () => {
  it('the Home tab view fits a view (≤ 100 blocks) and names the five ways in', () => {
    const view = renderHomeView(knowledge());
    expect(view.type).toBe('home');
    expect(blockKitProblems({ blocks: view.blocks }, 'view')).toEqual([]);
    const text = JSON.stringify(view.blocks);
    for (const way of [
      '/tokenfix',
      '@tokenfix',
      'Diagnose token error',
      `:${knowledge().settings.triggerEmoji}:`,
      '/invite @tokenfix',
    ]) {
      expect(text).toContain(way);
    }
  });

  it('the fake Slack records a payload that breaks a limit', async () => {
    const fake = await FakeSlack.start();
    try {
      await fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'C1',
          text: 'x',
          blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        }),
      });
      expect(fake.violations).toHaveLength(1);
      expect(fake.violations[0]).toMatch(/chat\.postMessage: blocks\[0\] \(header\)/);
    } finally {
      await fake.close();
    }
  });
});
