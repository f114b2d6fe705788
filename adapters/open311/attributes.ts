import type { Category, Language } from '../../src/taxonomy';

/**
 * The attributes (GeoReport v2 "service definition") some services ask for, and the check of a
 * request's `attribute[code]` answers against them. Only lists and numbers are asked: a free-text
 * attribute would duplicate `description` and could carry personal data into staff notes.
 */

type Bilingual = Readonly<Record<Language, string>>;

export const DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type Datatype = (typeof DATATYPES)[number];

/** One attribute of a service. `order` is its position (1 first). */
export interface AttributeDef {
  code: string;
  /** False: only information for the user, shown with the form; no answer is taken. */
  variable: boolean;
  datatype: Datatype;
  required: boolean;
  description: Bilingual;
  datatypeDescription?: Bilingual;
  values?: readonly { key: string; name: Bilingual }[];
  /** Bounds of a `number`, and whether it must be whole. */
  min?: number;
  max?: number;
  integer?: boolean;
}

const OTHER = { key: 'other', name: { id: 'Lainnya', en: 'Other' } } as const;

const DEFINITIONS: Partial<Record<Category, readonly AttributeDef[]>> = {
  roads_drainage: [
    {
      code: 'damage_kind',
      variable: true,
      datatype: 'singlevaluelist',
      required: true,
      description: { id: 'Jenis kerusakan', en: 'Kind of damage' },
      values: [
        { key: 'pothole', name: { id: 'Jalan berlubang', en: 'Pothole' } },
        { key: 'cracked', name: { id: 'Jalan retak atau amblas', en: 'Cracked or sunken road' } },
        {
          key: 'drain',
          name: { id: 'Selokan tersumbat atau rusak', en: 'Blocked or broken drain' },
        },
        { key: 'standing_water', name: { id: 'Genangan air', en: 'Standing water' } },
        { key: 'bridge', name: { id: 'Jembatan rusak', en: 'Damaged bridge' } },
        { key: 'sidewalk', name: { id: 'Trotoar rusak', en: 'Damaged sidewalk' } },
        OTHER,
      ],
    },
    {
      code: 'width_m',
      variable: true,
      datatype: 'number',
      required: false,
      description: { id: 'Perkiraan lebar kerusakan', en: 'Estimated width of the damage' },
      datatypeDescription: { id: 'Dalam meter, 0–1000', en: 'In metres, 0–1000' },
      min: 0,
      max: 1000,
    },
  ],
  street_lighting: [
    {
      code: 'light_problem',
      variable: true,
      datatype: 'singlevaluelist',
      required: true,
      description: { id: 'Masalah lampu', en: 'What is wrong with the light' },
      values: [
        { key: 'off', name: { id: 'Mati', en: 'Off' } },
        { key: 'flickering', name: { id: 'Berkedip', en: 'Flickering' } },
        { key: 'on_by_day', name: { id: 'Menyala siang hari', en: 'On during the day' } },
        { key: 'damaged', name: { id: 'Tiang atau lampu rusak', en: 'Damaged pole or lamp' } },
        { key: 'missing', name: { id: 'Belum ada lampu', en: 'No light yet' } },
      ],
    },
    {
      code: 'lamp_count',
      variable: true,
      datatype: 'number',
      required: false,
      description: { id: 'Jumlah lampu yang bermasalah', en: 'How many lights' },
      datatypeDescription: { id: 'Bilangan bulat, 1–100', en: 'A whole number, 1–100' },
      min: 1,
      max: 100,
      integer: true,
    },
  ],
  waste_environment: [
    {
      code: 'waste_problem',
      variable: true,
      datatype: 'singlevaluelist',
      required: true,
      description: { id: 'Jenis masalah', en: 'Kind of problem' },
      values: [
        {
          key: 'not_collected',
          name: { id: 'Sampah tidak diangkut', en: 'Garbage not collected' },
        },
        { key: 'illegal_dumping', name: { id: 'Pembuangan liar', en: 'Illegal dumping' } },
        { key: 'burning', name: { id: 'Pembakaran sampah', en: 'Burning of waste' } },
        { key: 'pollution', name: { id: 'Pencemaran atau bau', en: 'Pollution or smell' } },
        { key: 'tree', name: { id: 'Pohon perlu dipangkas', en: 'Tree needs trimming' } },
        OTHER,
      ],
    },
  ],
  water_utility: [
    {
      code: 'water_problem',
      variable: true,
      datatype: 'singlevaluelist',
      required: false,
      description: { id: 'Jenis masalah air', en: 'Kind of water problem' },
      values: [
        { key: 'no_water', name: { id: 'Air tidak mengalir', en: 'No water' } },
        { key: 'leak', name: { id: 'Pipa bocor', en: 'Leaking pipe' } },
        { key: 'quality', name: { id: 'Air keruh atau berbau', en: 'Dirty or smelly water' } },
        { key: 'billing', name: { id: 'Tagihan atau meteran', en: 'Bill or meter' } },
        OTHER,
      ],
    },
  ],
  disaster_fire: [
    {
      code: 'emergency',
      variable: false,
      datatype: 'string',
      required: false,
      description: {
        id: 'Jika ada bahaya bagi jiwa, hubungi 112 sekarang: laporan ini bukan panggilan darurat.',
        en: 'If lives are in danger, call 112 now: this report is not an emergency call.',
      },
    },
    {
      code: 'hazards',
      variable: true,
      datatype: 'multivaluelist',
      required: true,
      description: { id: 'Apa yang terjadi', en: 'What is happening' },
      values: [
        { key: 'fire', name: { id: 'Kebakaran', en: 'Fire' } },
        { key: 'flood', name: { id: 'Banjir', en: 'Flood' } },
        { key: 'landslide', name: { id: 'Tanah longsor', en: 'Landslide' } },
        { key: 'fallen_tree', name: { id: 'Pohon tumbang', en: 'Fallen tree' } },
        OTHER,
      ],
    },
  ],
};

/** The attributes of a service, in order (none for most services). */
export function attributesOf(category: Category): readonly AttributeDef[] {
  return DEFINITIONS[category] ?? [];
}

/** `GET services/{code}`: the service definition in `lang`, fields in the specification's order. */
export function serviceDefinition(category: Category, lang: Language) {
  return {
    service_code: category,
    attributes: attributesOf(category).map((a, i) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription?.[lang] ?? null,
      order: i + 1,
      description: a.description[lang],
      values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name[lang] })),
    })),
  };
}

/** One accepted answer: the attribute and the values given (list keys, or the value). */
export interface AttributeAnswer {
  def: AttributeDef;
  values: string[];
}

/**
 * Checks the `attribute[code]` answers of a request against the service's attributes: every
 * required one answered, list answers among the keys (one for a single-value list), numbers
 * within bounds. Answers to unknown codes and to information-only attributes are ignored.
 * Returns the answers in attribute order, or one description per problem.
 *
 * @example
 * checkAnswers('roads_drainage', new Map([['damage_kind', ['pothole']]]))
 * // { ok: true, answers: [{ def: <damage_kind>, values: ['pothole'] }] }
 */
export function checkAnswers(
  category: Category,
  given: ReadonlyMap<string, readonly string[]>,
): { ok: true; answers: AttributeAnswer[] } | { ok: false; errors: string[] } {
  const answers: AttributeAnswer[] = [];
  const errors: string[] = [];
  for (const def of attributesOf(category)) {
    if (!def.variable) continue;
    const values = [...new Set((given.get(def.code) ?? []).map((v) => v.trim()))].filter(Boolean);
    const field = `attribute[${def.code}]`;
    if (values.length === 0) {
      if (def.required) errors.push(`${field} is required for service_code ${category}`);
      continue;
    }
    const problem = checkValues(def, values);
    if (problem) errors.push(`${field} ${problem}`);
    else answers.push({ def, values });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

function checkValues(def: AttributeDef, values: string[]): string | null {
  const keys = (def.values ?? []).map((v) => v.key);
  switch (def.datatype) {
    case 'singlevaluelist':
    case 'multivaluelist': {
      if (def.datatype === 'singlevaluelist' && values.length > 1) return 'takes one value';
      const bad = values.find((v) => !keys.includes(v));
      return bad === undefined
        ? null
        : `has no value ${JSON.stringify(bad.slice(0, 40))} (expected one of ${keys.join(', ')})`;
    }
    case 'number': {
      if (values.length > 1) return 'takes one value';
      const n = Number(values[0]);
      const inRange =
        /^-?\d+(\.\d+)?$/.test(values[0] ?? '') &&
        (!def.integer || Number.isInteger(n)) &&
        (def.min === undefined || n >= def.min) &&
        (def.max === undefined || n <= def.max);
      const kind = def.integer ? 'a whole number' : 'a number';
      return inRange ? null : `must be ${kind} from ${def.min ?? '-∞'} to ${def.max ?? '∞'}`;
    }
    case 'datetime':
      return values.length === 1 && !Number.isNaN(Date.parse(values[0] ?? ''))
        ? null
        : 'must be one ISO 8601 datetime';
    case 'string':
      return values.length === 1 &&
        !/[\r\n]/.test(values[0] ?? '') &&
        (values[0]?.length ?? 0) <= 200
        ? null
        : 'must be one line of at most 200 characters';
    case 'text':
      return values.length === 1 && (values[0]?.length ?? 0) <= 1000
        ? null
        : 'must be one text of at most 1000 characters';
  }
}

/**
 * How an answer reads in a staff note: `Kind of damage: Pothole (pothole)`. `mask` is applied
 * to free-text answers (a string or text attribute), which are the citizen's own words.
 */
export function answerLine(
  answer: AttributeAnswer,
  lang: Language,
  mask: (text: string) => string,
): string {
  const { def, values } = answer;
  const free = def.datatype === 'string' || def.datatype === 'text';
  const shown = values.map((v) => {
    if (free) return mask(v);
    const name = def.values?.find((x) => x.key === v)?.name[lang];
    return name ? `${name} (${v})` : v;
  });
  return `${def.description[lang]}: ${shown.join(', ')}`;
}
