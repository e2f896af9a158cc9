import { describe, expect, test } from 'vitest';
import { TokenLimits, type TokenLimitDecision } from './token-limits';

const limits = () => new TokenLimits({ perTokenPerMinute: () => 3, invalidPerAddressPerMinute: () => 2 });
const T0 = 1_000_000;

/** A request: from an address, with a valid token (its id) or an invalid one (null), at a second after T0. */
type Step = [address: string, tokenId: string | null, second: number, want: TokenLimitDecision['kind'] | 'limited:token' | 'limited:address'];

function run(steps: Step[]): string[] {
  const gate = limits();
  return steps.map(([address, tokenId, second]) => {
    const decision = gate.decide(address, tokenId, T0 + second * 1000);
    return decision.kind === 'limited' ? `limited:${decision.by}` : decision.kind;
  });
}

describe('TokenLimits', () => {
  test.each<[string, Step[]]>([
    [
      'invalid tokens from one address never lock out a valid token from the same address',
      [
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 1, 'invalid'],
        ['10.0.0.1', null, 2, 'limited:address'],
        ['10.0.0.1', null, 3, 'limited:address'],
        ['10.0.0.1', 'ci', 4, 'pass'],
        ['10.0.0.1', null, 5, 'limited:address'],
        ['10.0.0.1', 'ci', 6, 'pass'],
      ],
    ],
    [
      'the address limit is per address',
      [
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 0, 'limited:address'],
        ['10.0.0.2', null, 0, 'invalid'],
      ],
    ],
    [
      'valid tokens do not count towards the address limit',
      [
        ['10.0.0.1', 'a', 0, 'pass'],
        ['10.0.0.1', 'b', 0, 'pass'],
        ['10.0.0.1', 'c', 0, 'pass'],
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 0, 'invalid'],
      ],
    ],
    [
      'a valid token is held to its own limit, from any address, and others are not',
      [
        ['10.0.0.1', 'busy', 0, 'pass'],
        ['10.0.0.2', 'busy', 0, 'pass'],
        ['10.0.0.3', 'busy', 0, 'pass'],
        ['10.0.0.4', 'busy', 0, 'limited:token'],
        ['10.0.0.4', 'calm', 0, 'pass'],
      ],
    ],
    [
      'both limits end with their minute',
      [
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 0, 'invalid'],
        ['10.0.0.1', null, 59, 'limited:address'],
        ['10.0.0.1', null, 60, 'invalid'],
      ],
    ],
  ])('%s', (_, steps) => expect(run(steps)).toEqual(steps.map((s) => s[3])));

  test('a refusal says how long to wait', () => {
    const gate = limits();
    gate.decide('10.0.0.1', null, T0);
    gate.decide('10.0.0.1', null, T0);
    expect(gate.decide('10.0.0.1', null, T0 + 15_000)).toEqual({ kind: 'limited', by: 'address', retryAfterSeconds: 45 });
  });
});
