import { join } from 'node:path';
import { loadArticles, parseArticle, summary } from '../../src/knowledge/articles';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base';
import { loadKnowledgeBase } from '../../src/knowledge/load';
import { parseSynonyms } from '../../src/knowledge/synonyms';
import { TextPipeline } from '../../src/nlu/pipeline';
import { INTENTS_DIR, testSlang } from '../support/nlu';

const kb = loadKnowledgeBase(INTENTS_DIR, testSlang());

describe('shipped knowledge base', () => {
  const articles = loadArticles(join(INTENTS_DIR, 'knowledge'));
  const ids = [...new Set(articles.map((a) => a.id))];

  test('at least 40 topics, each in Indonesian and English, marked as sample content', () => {
    expect(ids.length).toBeGreaterThanOrEqual(40);
    for (const id of ids) {
      expect(
        articles
          .filter((a) => a.id === id)
          .map((a) => a.lang)
          .sort(),
      ).toEqual(['en', 'id']);
    }
    expect(articles.every((a) => a.sample)).toBe(true);
  });

  test('covers the topics citizens ask about most', () => {
    for (const id of [
      'ktp-el-baru',
      'kartu-keluarga',
      'akta-kelahiran',
      'akta-kematian',
      'pindah-domisili',
      'bpjs-kesehatan-daftar',
      'pbb-bayar',
      'sim-baru',
      'paspor',
      'ppdb',
      'bansos-dtks-daftar',
      'pdam-gangguan',
      'pln-gangguan',
      'cara-lapor-aduan',
      'cek-status-aduan',
      'lapor-anonim-rahasia',
      'jam-layanan',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('retrieval', () => {
  test.each([
    ['syarat bikin ktp apa aja', 'id', 'ktp-el-baru'],
    ['ktp gw ilang gmn ngurusnya', 'id', 'ktp-el-hilang-rusak'],
    ['cara daftar bpjs kesehatan', 'id', 'bpjs-kesehatan-daftar'],
    ['bayar pbb dimana ya', 'id', 'pbb-bayar'],
    ['akte lahir anak gimana', 'id', 'akta-kelahiran'],
    ['perpanjang sim', 'id', 'sim-perpanjang'],
    ['nomor darurat berapa', 'id', 'layanan-darurat-112'],
    ['how do I renew my passport', 'en', 'paspor'],
    ['how to check my bansos status', 'en', 'cek-bansos'],
    ['how do I get a family card', 'en', 'kartu-keluarga'],
  ] as const)('%j finds %s', (question, lang, id) => {
    const answer = kb.answer(question, lang);
    expect(answer?.doc.id).toBe(id);
    expect(answer?.doc.lang).toBe(lang);
  });

  test.each([
    ['siapa presiden pertama amerika', 'id'],
    ['resep nasi goreng enak', 'id'],
    ['jual pulsa murah', 'id'],
    ['who won the world cup', 'en'],
    ['recommend me a good movie', 'en'],
  ] as const)('%j gets no answer (honest "I don\'t know")', (question, lang) => {
    expect(kb.answer(question, lang)).toBeNull();
  });

  test('an English question gets the English article, an Indonesian one the Indonesian article', () => {
    expect(kb.search('passport', 'en', 1)[0]?.doc).toMatchObject({ id: 'paspor', lang: 'en' });
    expect(kb.search('paspor', 'id', 1)[0]?.doc).toMatchObject({ id: 'paspor', lang: 'id' });
  });

  test('synonyms bridge words the article does not use', () => {
    const docs = [
      {
        id: 'a',
        lang: 'id' as const,
        title: 'Kartu Keluarga',
        tags: [],
        body: 'Cara membuat kartu keluarga baru.',
      },
      {
        id: 'b',
        lang: 'id' as const,
        title: 'Pajak bumi',
        tags: [],
        body: 'Membayar pajak bumi dan bangunan.',
      },
    ];
    const pipeline = new TextPipeline(testSlang());
    const without = new KnowledgeBase(docs, pipeline, parseSynonyms(''));
    const withSyn = new KnowledgeBase(docs, pipeline, parseSynonyms('kk\tkartu keluarga\n'));
    expect(without.search('kk', 'id')).toEqual([]);
    expect(withSyn.search('kk', 'id')[0]?.doc.id).toBe('a');
  });
});

describe('articles', () => {
  test('front matter is validated with a clear message', () => {
    expect(() => parseArticle('no front matter', 'x.md')).toThrow('x.md: missing front matter');
    expect(() => parseArticle('---\nid: Bad Id\nlang: fr\ntitle: t\n---\nbody', 'y.md')).toThrow(
      /y\.md: id: .*; lang: /,
    );
  });

  test('summary is the first paragraph without markup', () => {
    const a = parseArticle(
      '---\nid: a\nlang: id\ntitle: T\n---\n**KTP-el** gratis.\n\n- syarat',
      'a.md',
    );
    expect(summary(a)).toBe('KTP-el gratis.');
  });
});
