import { describe, expect, it } from 'vitest';
import { flattenClaims } from '../../infra/local/gateway.js';
import { callerFrom, parseListClaim, requireScope } from '../../shared/auth/claims.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { anHttpEvent } from '../support/builders.js';

describe('parseListClaim()', () => {
  it.each([
    ['[12001 12002]', ['12001', '12002']],
    ['[12001]', ['12001']],
    ['12001', ['12001']],
    ['intake:write progress:read', ['intake:write', 'progress:read']],
    ['[]', []],
    ['', []],
  ])('reads the API Gateway string %j', (claim, expected) => {
    expect(parseListClaim(claim)).toEqual(expected);
  });

  it('reads a real array and a number', () => {
    expect(parseListClaim(['33', 323])).toEqual(['33', '323']);
    expect(parseListClaim(33)).toEqual(['33']);
  });

  it('round-trips what the local gateway flattens, as API Gateway does', () => {
    // Arrange
    const payload = { sub: 'post-17', units: ['12046', '12047'], scope: 'intake:write', exp: 1_700_000_000 };
    // Act
    const claims = flattenClaims(payload);
    // Assert
    expect(claims).toEqual({
      sub: 'post-17',
      units: '[12046 12047]',
      scope: 'intake:write',
      exp: '1700000000',
    });
    expect(parseListClaim(claims.units)).toEqual(['12046', '12047']);
  });
});

describe('callerFrom()', () => {
  it('builds the caller from the authorizer claims', () => {
    const caller = callerFrom(
      anHttpEvent({ claims: { sub: 'post-17', scope: 'intake:write', units: '[12046]' } }),
    );
    expect(caller.sub).toBe('post-17');
    expect([...caller.scopes]).toEqual(['intake:write']);
    expect(caller.units).toEqual(['12046']);
  });

  it('answers 401 without claims', () => {
    expect(() => callerFrom(anHttpEvent({ claims: null }))).toThrowError(
      expect.objectContaining({ problem: expect.objectContaining({ status: 401 }) }),
    );
  });

  it('answers 403 when a scope is missing', () => {
    const caller = callerFrom(anHttpEvent({ claims: { sub: 'x', scope: 'progress:read', units: '[33]' } }));
    let thrown: unknown;
    try {
      requireScope(caller, 'admin');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpProblem);
    expect((thrown as HttpProblem).problem.status).toBe(403);
    expect(() => requireScope(caller, 'progress:read')).not.toThrow();
  });
});
