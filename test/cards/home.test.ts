import { renderHomeView } from '../../src/cards/home';
import { type Knowledge, loadKnowledge } from '../../src/diagnosis';

const knowledge = loadKnowledge();
const withRefusalCheck = (refusalCheck: Knowledge['settings']['refusalCheck']): Knowledge => ({
  ...knowledge,
  settings: { ...knowledge.settings, refusalCheck },
});

describe('the Home tab says when passive listening holds back', () => {
  const homeText = (k: Knowledge) => JSON.stringify(renderHomeView(k).blocks);

  test('with the refusal check for passive listening (as shipped), a merely refused key is named, with the way to ask', () => {
    expect(knowledge.settings.refusalCheck).toBe('passive');
    expect(homeText(knowledge)).toMatch(
      /merely refused with nothing saying it ever worked .*react :key: for my card/,
    );
  });

  test('with it off, the Home tab does not claim it', () => {
    expect(homeText(withRefusalCheck('off'))).not.toMatch(/merely refused/);
  });
});
