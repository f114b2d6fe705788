import { type AgencyDirectory, findAgency } from '../../src/cases/directory';
import type { Texts } from '../../src/core/i18n';
import type { AgencyFigures, StatsReport } from '../../src/stats/report';
import type { Language } from '../../src/taxonomy';

/** One agency's figures (or all agencies') in the JSON of `/api/v1/stats`. */
export interface FiguresJson {
  cases: number;
  open: number;
  finished: number;
  finished_on_time: number | null;
  median_response_days: number | null;
  median_resolution_days: number | null;
  rating: { average: number | null; count: number };
  reopened: number | null;
}

/** The JSON of `/api/v1/stats`: aggregates only, nothing about any one case. */
export interface StatsJson {
  from: string;
  to: string;
  agency: { id: string; name: string } | null;
  weeks: {
    week: string;
    complaints: number;
    aspirations: number;
    handoffs: number;
    questions_answered: number | null;
  }[];
  categories: { category: string; name: string; cases: number }[];
  agencies: ({ agency_id: string; name: string } & FiguresJson)[];
  total: FiguresJson;
}

function figuresJson(f: AgencyFigures): FiguresJson {
  return {
    cases: f.cases,
    open: f.open,
    finished: f.finished,
    finished_on_time: f.finishedOnTime,
    median_response_days: f.medianResponseDays,
    median_resolution_days: f.medianResolutionDays,
    rating: f.rating,
    reopened: f.reopened,
  };
}

/**
 * A report as `/api/v1/stats` answers it, with the agencies' and categories' names in `lang`
 * (an agency no longer in the directory keeps its id as its name). Pure.
 */
export function statsJson(
  report: StatsReport,
  directory: AgencyDirectory,
  texts: Texts,
  lang: Language,
): StatsJson {
  const agencyName = (id: string) => findAgency(directory, id)?.name[lang] ?? id;
  return {
    from: report.from,
    to: report.to,
    agency: report.agencyId ? { id: report.agencyId, name: agencyName(report.agencyId) } : null,
    weeks: report.weeks.map((w) => ({
      week: w.week,
      complaints: w.byKind.complaint,
      aspirations: w.byKind.aspiration,
      handoffs: w.byKind.handoff,
      questions_answered: w.questionsAnswered,
    })),
    categories: report.categories.map((c) => ({
      category: c.category,
      name: texts.t(lang, `categories.${c.category}`),
      cases: c.cases,
    })),
    agencies: report.agencies.map((a) => ({
      agency_id: a.agencyId,
      name: agencyName(a.agencyId),
      ...figuresJson(a),
    })),
    total: figuresJson(report.total),
  };
}
