import { describe, expect, it } from 'vitest';
import { basicCredentials } from './credentials.ts';

const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

describe('basicCredentials', () => {
  it('splits at the first colon; the password keeps the rest', () => {
    const credentials = basicCredentials(`Basic ${btoa('user:pa:ss')}`);
    expect(credentials?.user).toBe('user');
    expect(decode(credentials?.password)).toBe('pa:ss');
  });

  it('allows an empty password (the hash decides)', () => {
    expect(decode(basicCredentials(`Basic ${btoa('user:')}`)?.password)).toBe('');
  });

  it.each([null, '', 'Basic', 'Basic ', 'basic dXNlcjpw', 'BASIC dXNlcjpw', ' Basic dXNlcjpw', 'Basic  dXNlcjpw', 'Basic dXNlcjpw ', 'Basic dXNlcjp', 'Basic dXNlcg==', 'Basic dXNlcjpw=', 'Basic ****'])(
    'refuses %j',
    (header) => {
      expect(basicCredentials(header)).toBeUndefined();
    },
  );

  it('refuses a user name that is not UTF-8, and an oversized header', () => {
    expect(basicCredentials(`Basic ${btoa('\xff:p')}`)).toBeUndefined();
    expect(basicCredentials(`Basic ${btoa(`user:${'p'.repeat(4000)}`)}`)).toBeUndefined();
  });
});
