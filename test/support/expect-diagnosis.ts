import { diagnose, type Knowledge, loadKnowledge } from '../../src/diagnosis';

// The two checks the phrase and false-alarm tests make on a message, with the built-in knowledge.
const knowledge = loadKnowledge();

/** A message the engine must read as a login error. */
export interface LoginCase {
  text: string;
  /** The public page a real message is quoted from; absent for a made-up variant. */
  source?: string;
  platform?: string | null;
  cause: string;
}

/** A message the engine must not read as a login error (optionally: as this other kind of problem). */
export interface NotLoginCase {
  text: string;
  /** The public page a real message is quoted from; absent for a made-up variant. */
  source?: string;
  otherKind?: string | null;
}

/** The checks with the given knowledge, as one-argument functions for test.each. */
export function checksWith(k: Knowledge): {
  expectLoginError: (c: LoginCase) => void;
  expectNotLoginError: (c: NotLoginCase) => void;
  staysQuiet: (text: string) => void;
} {
  const expectNotLoginError = ({ text, otherKind }: NotLoginCase): void => {
    const d = diagnose(text, k);
    expect(d.isTokenError).toBe(false);
    if (otherKind !== undefined) expect(d.otherKind).toBe(otherKind);
  };
  return {
    /** A message the engine must read as a login error. */
    expectLoginError: ({ text, platform, cause }) => {
      const d = diagnose(text, k);
      expect({ isTokenError: d.isTokenError, cause: d.cause }).toEqual({ isTokenError: true, cause });
      if (platform !== undefined) expect(d.platform).toBe(platform);
    },
    /** A message the engine must not read as a login error (optionally: as this other kind of problem). */
    expectNotLoginError,
    /** For `test.each([...texts])`: the text is not a login error. */
    staysQuiet: (text) => expectNotLoginError({ text }),
  };
}

// The checks with the built-in knowledge.
export const { expectLoginError, expectNotLoginError, staysQuiet } = checksWith(knowledge);
