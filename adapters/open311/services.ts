import { CATEGORIES, type Category, isCategory, type Language } from '../../src/taxonomy';
import { attributesOf } from './attributes';

/**
 * The GeoReport v2 service list: one service per complaint category of the taxonomy
 * (`service_code` = the category id), named and described in Indonesian or English.
 */

type Bilingual = Readonly<Record<Language, string>>;

/** How a category is presented as an Open311 service. */
interface ServiceInfo {
  name: Bilingual;
  description: Bilingual;
  /** Comma-separated tags and synonyms, per language. */
  keywords: Bilingual;
  group: Group;
}

type Group = 'infrastructure' | 'environment' | 'transport' | 'safety' | 'services' | 'conduct';

const GROUPS: Readonly<Record<Group, Bilingual>> = {
  infrastructure: { id: 'Infrastruktur', en: 'Infrastructure' },
  environment: { id: 'Lingkungan', en: 'Environment' },
  transport: { id: 'Transportasi', en: 'Transport' },
  safety: { id: 'Ketertiban dan keselamatan', en: 'Public order and safety' },
  services: { id: 'Layanan publik', en: 'Public services' },
  conduct: { id: 'Aparatur dan lainnya', en: 'Officials and other' },
};

const SERVICES: Readonly<Record<Category, ServiceInfo>> = {
  roads_drainage: {
    name: { id: 'Jalan, jembatan, dan saluran air', en: 'Roads, bridges and drains' },
    description: {
      id: 'Jalan berlubang atau rusak, jembatan, trotoar, selokan tersumbat, genangan.',
      en: 'Potholes and damaged roads, bridges, sidewalks, blocked drains, standing water.',
    },
    keywords: {
      id: 'jalan, lubang, aspal, jembatan, trotoar, selokan, drainase, genangan',
      en: 'road, pothole, asphalt, bridge, sidewalk, gutter, drain, flooding',
    },
    group: 'infrastructure',
  },
  street_lighting: {
    name: { id: 'Lampu penerangan jalan (PJU)', en: 'Street lights' },
    description: {
      id: 'Lampu jalan mati, berkedip, rusak, atau belum ada.',
      en: 'Street lights that are off, flickering, broken or missing.',
    },
    keywords: { id: 'lampu, PJU, penerangan, tiang', en: 'street light, lamp, lighting, pole' },
    group: 'infrastructure',
  },
  waste_environment: {
    name: { id: 'Sampah dan lingkungan', en: 'Waste and environment' },
    description: {
      id: 'Sampah tidak diangkut, pembuangan liar, pencemaran, bau, taman, pohon.',
      en: 'Uncollected garbage, illegal dumping, pollution, smells, parks, trees.',
    },
    keywords: {
      id: 'sampah, TPS, pembuangan liar, pencemaran, bau, taman, pohon',
      en: 'garbage, waste, dumping, pollution, smell, park, tree',
    },
    group: 'environment',
  },
  water_utility: {
    name: { id: 'Air bersih (PDAM)', en: 'Piped water (PDAM)' },
    description: {
      id: 'Air PDAM mati, pipa bocor, kualitas air, tagihan dan meteran.',
      en: 'No piped water, leaking pipes, water quality, bills and meters.',
    },
    keywords: { id: 'PDAM, air, pipa, bocor, tagihan', en: 'water, pipe, leak, bill, meter' },
    group: 'infrastructure',
  },
  electricity: {
    name: { id: 'Listrik (PLN)', en: 'Electricity (PLN)' },
    description: {
      id: 'Listrik padam, tagihan dan meteran PLN, kabel berbahaya.',
      en: 'Power cuts, PLN bills and meters, dangerous cables.',
    },
    keywords: { id: 'listrik, PLN, padam, kabel, token', en: 'power, outage, PLN, cable, meter' },
    group: 'infrastructure',
  },
  health: {
    name: { id: 'Kesehatan', en: 'Health' },
    description: {
      id: 'Puskesmas, rumah sakit, BPJS Kesehatan, tenaga kesehatan, imunisasi.',
      en: 'Community health centres, hospitals, BPJS health insurance, health workers, vaccination.',
    },
    keywords: {
      id: 'puskesmas, rumah sakit, BPJS, dokter, imunisasi',
      en: 'clinic, hospital, BPJS, doctor, vaccination',
    },
    group: 'services',
  },
  education: {
    name: { id: 'Pendidikan', en: 'Education' },
    description: {
      id: 'Sekolah, PPDB, guru, pungutan sekolah, beasiswa (KIP/PIP).',
      en: 'Schools, admissions (PPDB), teachers, school fees, scholarships (KIP/PIP).',
    },
    keywords: { id: 'sekolah, PPDB, guru, beasiswa, KIP', en: 'school, admission, teacher, fees' },
    group: 'services',
  },
  civil_registry: {
    name: { id: 'Kependudukan (KTP, KK, akta)', en: 'Civil registry (ID card, family card)' },
    description: {
      id: 'KTP-el, Kartu Keluarga, akta kelahiran dan kematian, layanan Dukcapil.',
      en: 'Electronic ID cards, family cards, birth and death certificates, Dukcapil services.',
    },
    keywords: { id: 'KTP, KK, akta, Dukcapil', en: 'ID card, family card, certificate' },
    group: 'services',
  },
  social_assistance: {
    name: { id: 'Bantuan sosial', en: 'Social assistance' },
    description: {
      id: 'Bansos, PKH, BLT, BPNT, pendataan DTKS.',
      en: 'Social aid (bansos, PKH, BLT, BPNT), DTKS registration.',
    },
    keywords: { id: 'bansos, PKH, BLT, BPNT, DTKS', en: 'social aid, welfare, PKH, BLT' },
    group: 'services',
  },
  transport_traffic: {
    name: { id: 'Lalu lintas dan angkutan', en: 'Traffic and transport' },
    description: {
      id: 'Kemacetan, lampu lalu lintas, parkir liar, angkutan umum, rambu.',
      en: 'Congestion, traffic lights, illegal parking, public transport, road signs.',
    },
    keywords: {
      id: 'macet, lampu merah, parkir, angkot, rambu',
      en: 'traffic, traffic light, parking, bus, sign',
    },
    group: 'transport',
  },
  public_order: {
    name: { id: 'Ketertiban umum', en: 'Public order' },
    description: {
      id: 'PKL yang menghalangi jalan, bangunan liar, kebisingan, premanisme.',
      en: 'Street vendors blocking roads, illegal buildings, noise, thugs, nuisance.',
    },
    keywords: { id: 'PKL, bangunan liar, bising, preman', en: 'vendors, illegal building, noise' },
    group: 'safety',
  },
  disaster_fire: {
    name: { id: 'Bencana dan kebakaran', en: 'Disasters and fires' },
    description: {
      id: 'Kebakaran, banjir, longsor, pohon tumbang. Dalam keadaan darurat hubungi 112.',
      en: 'Fires, floods, landslides, fallen trees. In an emergency call 112.',
    },
    keywords: {
      id: 'kebakaran, banjir, longsor, pohon tumbang, darurat',
      en: 'fire, flood, landslide, fallen tree, emergency',
    },
    group: 'safety',
  },
  permits_tax: {
    name: { id: 'Perizinan dan pajak daerah', en: 'Permits and local taxes' },
    description: {
      id: 'Izin usaha dan bangunan (PBG, OSS), PBB, pajak dan retribusi daerah.',
      en: 'Business and building permits (PBG, OSS), property tax (PBB), local taxes and levies.',
    },
    keywords: { id: 'izin, PBG, OSS, PBB, pajak, retribusi', en: 'permit, license, tax, levy' },
    group: 'services',
  },
  employment: {
    name: { id: 'Ketenagakerjaan', en: 'Employment' },
    description: {
      id: 'PHK, upah atau THR tidak dibayar, pelatihan kerja, BPJS Ketenagakerjaan.',
      en: 'Layoffs, unpaid wages or holiday bonus (THR), job training, BPJS employment insurance.',
    },
    keywords: { id: 'PHK, gaji, THR, pelatihan kerja', en: 'layoff, wages, THR, job training' },
    group: 'services',
  },
  civil_servant_conduct: {
    name: { id: 'Perilaku aparatur (pungli, pelayanan)', en: 'Conduct of officials' },
    description: {
      id: 'Pungli, suap, petugas tidak hadir atau tidak sopan, maladministrasi.',
      en: 'Illegal fees (pungli), bribery, absent or rude officials, maladministration.',
    },
    keywords: { id: 'pungli, suap, petugas, pelayanan', en: 'illegal fee, bribery, official' },
    group: 'conduct',
  },
  other: {
    name: { id: 'Lainnya', en: 'Other' },
    description: {
      id: 'Laporan yang tidak cocok dengan layanan lain; tim verifikasi meneruskannya.',
      en: 'Reports that fit no other service; the verification desk routes them.',
    },
    keywords: { id: 'lainnya, umum', en: 'other, general' },
    group: 'conduct',
  },
};

/** One entry of `GET services`, in the specification's order of fields. */
// A type, not an interface: it must fit the XML writer's index signature.
export type ServiceJson = {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
};

/** The service name of a category (`service_name` of services and requests). */
export function serviceName(category: Category, lang: Language): string {
  return SERVICES[category].name[lang];
}

/** A service code of this jurisdiction (a category id), or undefined. */
export function knownServiceCode(code: string): Category | undefined {
  return isCategory(code) ? code : undefined;
}

/**
 * The service list in `lang`. Every service is `realtime`: the tracking id is the
 * `service_request_id`, returned at once. `metadata` is true when the service has attributes.
 *
 * @example
 * serviceList('en')[0] // { service_code: 'roads_drainage', service_name: 'Roads, bridges and drains', metadata: true, … }
 */
export function serviceList(lang: Language): ServiceJson[] {
  return CATEGORIES.map((category) => {
    const s = SERVICES[category];
    return {
      service_code: category,
      service_name: s.name[lang],
      description: s.description[lang],
      metadata: attributesOf(category).length > 0,
      type: 'realtime',
      keywords: s.keywords[lang],
      group: GROUPS[s.group][lang],
    };
  });
}
