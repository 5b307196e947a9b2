import { describe, expect, it } from 'vitest';
import { flattenClaims } from '../../../../infra/local/gateway.js';
import { callerFrom, parseScopes, requireScope } from '../../../../shared/auth/claims.js';
import { formatGrant } from '../../../../shared/domain/grants.js';
import { HttpProblem } from '../../../../shared/http/problem.js';
import { aBearerToken, anHttpEvent } from '../../../support/builders.js';

describe('parseScopes()', () => {
  it.each([
    ['intake:write progress:read', ['intake:write', 'progress:read']],
    ['admin', ['admin']],
    ['', []],
    [
      ['admin', 'progress:read'],
      ['admin', 'progress:read'],
    ],
    [undefined, []],
  ])('reads %j', (claim, expected) => {
    expect([...parseScopes(claim)]).toEqual(expected);
  });
});

describe('callerFrom()', () => {
  it('builds the caller from the verified token: subject, scopes and grants', () => {
    // Act
    const caller = callerFrom(
      anHttpEvent({ claims: { sub: 'post-17', scope: 'intake:write', units: ['12046'] } }),
    );
    // Assert
    expect(caller.sub).toBe('post-17');
    expect([...caller.scopes]).toEqual(['intake:write']);
    expect(caller.grants.map(formatGrant)).toEqual(['12046']);
  });

  it.each([
    ['a space inside one element', ['11977 *']],
    ['a comma inside one element', ['11977,*']],
    ['a quoted star', ['"*"']],
    ['a bracketed list', ['[11977 *]']],
  ])('grants nothing for %s, although the flattened claim reads like "*"', (_case, units) => {
    // Arrange: API Gateway flattens ["11977 *"] to "[11977 *]", the same string as ["11977", "*"]
    const event = anHttpEvent({ claims: { sub: 'xa-11977', scope: 'progress:read', units } });
    // Act
    const caller = callerFrom(event);
    // Assert
    expect(caller.grants).toEqual([]);
  });

  it('reads units from the token, not from the flattened authorizer claims', () => {
    // Arrange: the authorizer context says "*", the token itself one commune
    const event = anHttpEvent({ claims: { sub: 'xa-11977', scope: 'progress:read', units: ['11977'] } });
    const context = event.requestContext as unknown as {
      authorizer: { jwt: { claims: Record<string, string> } };
    };
    context.authorizer.jwt.claims.units = '[*]';
    // Act
    const caller = callerFrom(event);
    // Assert
    expect(caller.grants.map(formatGrant)).toEqual(['11977']);
  });

  it('round-trips what the local gateway flattens, as API Gateway does', () => {
    const payload = { sub: 'post-17', units: ['12046', '12047'], scope: 'intake:write', exp: 1_700_000_000 };
    expect(flattenClaims(payload)).toEqual({
      sub: 'post-17',
      units: '[12046 12047]',
      scope: 'intake:write',
      exp: '1700000000',
    });
  });

  it.each([
    ['no claims at all', anHttpEvent({ claims: null })],
    [
      'a bearer token whose subject is not the verified one',
      (() => {
        const event = anHttpEvent({ claims: { sub: 'xa-1', scope: 'admin', units: ['1'] } });
        event.headers.authorization = `Bearer ${aBearerToken({ sub: 'someone-else', scope: 'admin', units: ['*'] })}`;
        return event;
      })(),
    ],
    [
      'no Authorization header',
      (() => {
        const event = anHttpEvent({ claims: { sub: 'xa-1', scope: 'admin', units: ['1'] } });
        delete event.headers.authorization;
        return event;
      })(),
    ],
  ])('answers 401 with %s', (_case, event) => {
    expect(() => callerFrom(event)).toThrowError(
      expect.objectContaining({ problem: expect.objectContaining({ status: 401 }) }),
    );
  });

  it('answers 403 when a scope is missing', () => {
    const caller = callerFrom(anHttpEvent({ claims: { sub: 'x', scope: 'progress:read', units: ['33'] } }));
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
