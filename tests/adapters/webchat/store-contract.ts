import type { WebChatStore } from '../../../adapters/webchat/store';
import { isCodedError } from '../../../src/errors';

/** The web chat store contract: every implementation of the adapter's port runs this suite. */
export function runWebChatStoreContract(
  name: string,
  open: () => Promise<{ chats: WebChatStore; close(): Promise<void> }>,
): void {
  describe(`web chat store contract: ${name}`, () => {
    let chats: WebChatStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ chats, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    const now = new Date('2026-11-27T02:00:00.000Z');

    describe('web chat conversations', () => {
      const conv = (id: string, userId = 'dl_u1') => ({
        id,
        userId,
        createdAt: now.toISOString(),
      });
      const msg = (text: string) => ({ type: 'message', text });

      test('a conversation reads back; a second with the same id is a duplicate', async () => {
        await chats.createConversation({ ...conv('c1'), userName: 'Sari' });
        expect(await chats.getConversation('c1')).toEqual({
          id: 'c1',
          userId: 'dl_u1',
          userName: 'Sari',
          createdAt: now.toISOString(),
        });
        expect(await chats.getConversation('nope')).toBeNull();
        const err = await chats.createConversation(conv('c1', 'dl_other')).catch((e) => e);
        expect(isCodedError(err, 'duplicate')).toBe(true);
        expect((await chats.getConversation('c1'))?.userId).toBe('dl_u1');
      });

      test('watermarks count up per conversation and listing resumes after one', async () => {
        await chats.createConversation(conv('a'));
        await chats.createConversation(conv('b'));
        expect(await chats.lastWatermark('a')).toBe(0);
        expect(
          await chats.append('a', [{ activity: msg('satu') }, { activity: msg('dua') }], now),
        ).toEqual([1, 2]);
        expect(await chats.append('b', [{ activity: msg('lain') }], now)).toEqual([1]);
        expect(await chats.append('a', [{ activity: msg('tiga') }], now)).toEqual([3]);
        expect(await chats.lastWatermark('a')).toBe(3);
        const all = await chats.list('a', { after: 0, limit: 100 });
        expect(all.map((x) => [x.watermark, x.activity.text])).toEqual([
          [1, 'satu'],
          [2, 'dua'],
          [3, 'tiga'],
        ]);
        expect(all[0]).toEqual({
          conversationId: 'a',
          watermark: 1,
          at: now.toISOString(),
          activity: { type: 'message', text: 'satu' },
        });
        const rest = await chats.list('a', { after: 1, limit: 1 });
        expect(rest.map((x) => x.activity.text)).toEqual(['dua']);
        expect(await chats.list('a', { after: 3, limit: 100 })).toEqual([]);
        expect(
          (await chats.list('b', { after: 0, limit: 100 })).map((x) => x.activity.text),
        ).toEqual(['lain']);
      });

      test('an activity with a key seen before is not added again', async () => {
        await chats.createConversation(conv('k'));
        expect(await chats.append('k', [{ activity: msg('x'), key: 'outbox:1' }], now)).toEqual([
          1,
        ]);
        expect(
          await chats.append(
            'k',
            [
              { activity: msg('y'), key: 'outbox:2' },
              { activity: msg('x again'), key: 'outbox:1' },
            ],
            now,
          ),
        ).toEqual([2, 1]);
        const texts = (await chats.list('k', { after: 0, limit: 10 })).map((x) => x.activity.text);
        expect(texts).toEqual(['x', 'y']);
      });

      test('appending to an unknown conversation fails with not_found', async () => {
        const err = await chats
          .append('ghost', [{ activity: msg('x') }], now)
          .catch((e: unknown) => e);
        expect(isCodedError(err, 'not_found')).toBe(true);
        expect(await chats.lastWatermark('ghost')).toBe(0);
      });

      test('uploads keep their bytes and count per conversation', async () => {
        await chats.createConversation(conv('u'));
        const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x10]);
        const upload = {
          id: 'up1',
          conversationId: 'u',
          mimeType: 'image/jpeg',
          bytes,
          createdAt: now.toISOString(),
        };
        await chats.putUpload(upload);
        const back = await chats.getUpload('up1');
        expect(back?.mimeType).toBe('image/jpeg');
        expect(Array.from(back?.bytes ?? [])).toEqual(Array.from(bytes));
        expect(await chats.getUpload('none')).toBeNull();
        expect(await chats.countUploads('u')).toBe(1);
        expect(await chats.countUploads('other')).toBe(0);
        const dup = await chats.putUpload(upload).catch((e: unknown) => e);
        expect(isCodedError(dup, 'duplicate')).toBe(true);
        const orphan = await chats
          .putUpload({ ...upload, id: 'up2', conversationId: 'ghost' })
          .catch((e: unknown) => e);
        expect(isCodedError(orphan, 'not_found')).toBe(true);
      });
    });
  });
}
