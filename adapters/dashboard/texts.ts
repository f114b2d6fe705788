import type { Language } from '../../src/taxonomy';

/** Everything the statistics page and the supervisor view say, in one language. */
export interface DashboardTexts {
  site: string;
  languageName: string;
  switchTo: string;
  skipToContent: string;
  publicTitle: string;
  publicIntro: string;
  dashboardTitle: (agency: string) => string;
  period: (from: string, to: string) => string;
  allAgencies: string;
  filters: string;
  from: string;
  to: string;
  agency: string;
  show: string;
  summary: string;
  cases: string;
  open: string;
  finished: string;
  onTime: string;
  medianResponse: string;
  medianResolution: string;
  rating: string;
  ratingValue: (average: string, count: number) => string;
  reopened: string;
  none: string;
  days: (n: string) => string;
  perWeek: string;
  week: string;
  complaints: string;
  aspirations: string;
  handoffs: string;
  questionsAnswered: string;
  byCategory: string;
  category: string;
  perAgency: string;
  chartWeeks: string;
  chartCategories: string;
  chartAgencies: string;
  tableFollows: string;
  privacy: string;
  badRequest: string;
  unavailable: string;
  queue: string;
  queueIntro: string;
  queueEmpty: string;
  trackingId: string;
  age: string;
  deadline: string;
  state: string;
  reporter: string;
  sla: { overdue: string; due_soon: string };
  csv: string;
  signOut: string;
  signedOut: string;
  linkInvalid: string;
  sessionEnded: string;
  signInAgain: string;
  ageDays: (n: number) => string;
  identity: { named: string; anonymous: string; confidential: string };
  signInTitle: string;
  signInIntro: string;
  signIn: string;
  signedOutTitle: string;
  scopeRefused: string;
}

const ID: DashboardTexts = {
  site: 'Suara · Layanan pengaduan masyarakat',
  languageName: 'Bahasa Indonesia',
  switchTo: 'Tampilkan dalam Bahasa Indonesia',
  skipToContent: 'Langsung ke isi',
  publicTitle: 'Statistik pengaduan',
  publicIntro:
    'Berapa laporan masuk, berapa yang selesai, dan seberapa cepat. Hanya angka gabungan: tidak ada data pribadi.',
  dashboardTitle: (agency) => `Dasbor ${agency}`,
  period: (from, to) => `Laporan yang masuk ${from} – ${to}`,
  allAgencies: 'Semua instansi',
  filters: 'Saring',
  from: 'Dari tanggal',
  to: 'Sampai tanggal',
  agency: 'Instansi',
  show: 'Tampilkan',
  summary: 'Ringkasan',
  cases: 'Laporan',
  open: 'Masih terbuka',
  finished: 'Selesai',
  onTime: 'Selesai tepat waktu',
  medianResponse: 'Median tanggapan pertama',
  medianResolution: 'Median sampai selesai',
  rating: 'Penilaian warga',
  ratingValue: (average, count) => `${average} dari 5 (${count} penilaian)`,
  reopened: 'Dibuka kembali',
  none: '–',
  days: (n) => `${n} hari kerja`,
  perWeek: 'Laporan per minggu',
  week: 'Minggu mulai',
  complaints: 'Pengaduan',
  aspirations: 'Aspirasi',
  handoffs: 'Minta petugas',
  questionsAnswered: 'Pertanyaan terjawab otomatis',
  byCategory: 'Laporan per kategori',
  category: 'Kategori',
  perAgency: 'Kinerja per instansi',
  chartWeeks: 'Grafik batang laporan per minggu menurut jenis; angkanya ada di tabel berikut.',
  chartCategories: 'Grafik batang laporan per kategori; angkanya ada di tabel berikut.',
  chartAgencies:
    'Grafik batang persentase laporan yang selesai tepat waktu per instansi; angkanya ada di tabel berikut.',
  tableFollows: 'Tabel',
  privacy:
    'Angka dihitung dari semua laporan, termasuk yang dirahasiakan; tidak ada isi laporan atau data pelapor yang ditampilkan. Hari kerja: Senin–Jumat di luar hari libur nasional.',
  badRequest: 'Saringan tidak dapat dipakai',
  unavailable: 'Statistik sedang tidak dapat dimuat. Silakan coba lagi beberapa saat lagi.',
  queue: 'Antrean yang perlu perhatian',
  queueIntro:
    'Laporan yang sudah lewat tenggat atau akan jatuh tempo, yang paling mendesak di atas.',
  queueEmpty: 'Tidak ada laporan yang lewat tenggat atau segera jatuh tempo.',
  trackingId: 'Nomor laporan',
  age: 'Umur',
  deadline: 'Tenggat',
  state: 'Keadaan',
  reporter: 'Pelapor',
  sla: { overdue: 'Lewat tenggat', due_soon: 'Segera jatuh tempo' },
  csv: 'Unduh tabel (CSV)',
  signOut: 'Keluar',
  signedOut: 'Anda sudah keluar. Minta tautan baru dengan /suara dashboard di Slack.',
  linkInvalid:
    'Tautan masuk ini tidak berlaku (sudah dipakai atau lewat 10 menit). Minta tautan baru dengan /suara dashboard di Slack.',
  sessionEnded: 'Sesi Anda sudah berakhir atau tidak ada.',
  signInAgain: 'Minta tautan masuk baru dengan /suara dashboard di kanal instansi Anda di Slack.',
  ageDays: (n) => `${n} hari`,
  identity: { named: 'Bernama', anonymous: 'Anonim', confidential: 'Rahasia' },
  signInTitle: 'Masuk ke dasbor',
  signInIntro: 'Tautan ini hanya untuk Anda dan hanya dapat dipakai sekali.',
  signIn: 'Masuk',
  signedOutTitle: 'Sudah keluar',
  scopeRefused: 'Instansi ini di luar wewenang sesi Anda.',
};

const EN: DashboardTexts = {
  site: 'Suara · Citizen feedback service',
  languageName: 'English',
  switchTo: 'Show in English',
  skipToContent: 'Skip to content',
  publicTitle: 'Complaint statistics',
  publicIntro:
    'How many reports came in, how many were finished, and how fast. Totals only: no personal data.',
  dashboardTitle: (agency) => `${agency} dashboard`,
  period: (from, to) => `Reports received ${from} – ${to}`,
  allAgencies: 'All agencies',
  filters: 'Filter',
  from: 'From',
  to: 'To',
  agency: 'Agency',
  show: 'Show',
  summary: 'Summary',
  cases: 'Reports',
  open: 'Still open',
  finished: 'Finished',
  onTime: 'Finished on time',
  medianResponse: 'Median first response',
  medianResolution: 'Median time to finish',
  rating: "Citizens' rating",
  ratingValue: (average, count) => `${average} of 5 (${count} ratings)`,
  reopened: 'Reopened',
  none: '–',
  days: (n) => `${n} working days`,
  perWeek: 'Reports per week',
  week: 'Week of',
  complaints: 'Complaints',
  aspirations: 'Aspirations',
  handoffs: 'Asked for an officer',
  questionsAnswered: 'Questions answered automatically',
  byCategory: 'Reports by category',
  category: 'Category',
  perAgency: 'Performance by agency',
  chartWeeks: 'Bar chart of reports per week by kind; the figures are in the table below.',
  chartCategories: 'Bar chart of reports by category; the figures are in the table below.',
  chartAgencies:
    'Bar chart of the share of reports finished on time per agency; the figures are in the table below.',
  tableFollows: 'Table',
  privacy:
    'Figures count every report, confidential ones included; no report text or reporter data is shown. Working days: Monday to Friday except national holidays.',
  badRequest: 'These filters cannot be used',
  unavailable: 'The statistics cannot be loaded right now. Please try again in a moment.',
  queue: 'Queue needing attention',
  queueIntro: 'Reports past their deadline or due soon, most urgent first.',
  queueEmpty: 'No report is past its deadline or due soon.',
  trackingId: 'Tracking id',
  age: 'Age',
  deadline: 'Deadline',
  state: 'State',
  reporter: 'Reporter',
  sla: { overdue: 'Overdue', due_soon: 'Due soon' },
  csv: 'Download the table (CSV)',
  signOut: 'Sign out',
  signedOut: 'You are signed out. Ask for a new link with /suara dashboard in Slack.',
  linkInvalid:
    'This sign-in link is not valid (already used, or older than 10 minutes). Ask for a new one with /suara dashboard in Slack.',
  sessionEnded: 'Your session has ended or does not exist.',
  signInAgain: "Ask for a new sign-in link with /suara dashboard in your agency's Slack channel.",
  ageDays: (n) => `${n} days`,
  identity: { named: 'Named', anonymous: 'Anonymous', confidential: 'Confidential' },
  signInTitle: 'Sign in to the dashboard',
  signInIntro: 'This link is for you only and works once.',
  signIn: 'Sign in',
  signedOutTitle: 'Signed out',
  scopeRefused: 'This agency is outside what your session may see.',
};

export function dashboardTexts(lang: Language): DashboardTexts {
  return lang === 'en' ? EN : ID;
}
