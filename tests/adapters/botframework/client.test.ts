import { sdkAuthConfig } from '../../../adapters/botframework/client';

const APP_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe("our settings onto the Agents SDK's", () => {
  test('a multi-tenant bot: client id and secret, tokens from the SDK default (botframework.com)', () => {
    expect(
      sdkAuthConfig({
        appId: APP_ID,
        appPassword: 's3cret',
        tenantId: 'ignored-for-multi-tenant',
        appType: 'MultiTenant',
      }),
    ).toEqual({ clientId: APP_ID, clientSecret: 's3cret', authType: 'ClientSecret' });
  });

  test('a single-tenant bot: its tenant', () => {
    expect(
      sdkAuthConfig({
        appId: APP_ID,
        appPassword: 's',
        tenantId: 'kota.go.id',
        appType: 'SingleTenant',
      }),
    ).toEqual({
      clientId: APP_ID,
      clientSecret: 's',
      authType: 'ClientSecret',
      tenantId: 'kota.go.id',
    });
  });

  test('anonymous mode: nothing (no token checked or sent)', () => {
    expect(
      sdkAuthConfig({ appId: null, appPassword: null, tenantId: null, appType: 'MultiTenant' }),
    ).toEqual({});
  });

  test('the authority and issuers of a test (or a sovereign cloud) are passed on', () => {
    expect(
      sdkAuthConfig(
        { appId: APP_ID, appPassword: 's', tenantId: null, appType: 'MultiTenant' },
        { authority: 'http://127.0.0.1:1/t', issuers: ['http://127.0.0.1:1/t/v2.0'] },
      ),
    ).toMatchObject({ authority: 'http://127.0.0.1:1/t', issuers: ['http://127.0.0.1:1/t/v2.0'] });
  });
});
