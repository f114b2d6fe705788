import { type Agency, type AgencyDirectory, findAgency, route } from '../cases/directory';
import type { Category } from '../taxonomy';
import type { Router } from './router';

export type AgencyRouteReason =
  | 'model'
  | 'category'
  | 'low_confidence'
  | 'unrouted_category'
  | 'unknown_label';

/** Which agency a message goes to, and why. */
export interface AgencyRoute {
  agencyId: string;
  confidence: number;
  reason: AgencyRouteReason;
}

/** Decides the agency of a complaint from its text and predicted category. */
export interface AgencyRouter {
  route(text: string, category: Category, categoryConfidence: number): AgencyRoute;
  /** Model labels that match no agency of the directory (they route to triage). */
  unmappedLabels: string[];
}

const key = (s: string) => s.trim().toLowerCase();

/** Matches a model label to an agency by id or by its Indonesian or English name. */
export function agencyForLabel(directory: AgencyDirectory, label: string): Agency | undefined {
  const k = key(label);
  return (
    findAgency(directory, label) ??
    [directory.triage, ...directory.agencies].find(
      (a) => key(a.id) === k || key(a.name.id) === k || key(a.name.en) === k,
    )
  );
}

/**
 * With a router trained from the deployment's history, its prediction decides (labels are agency
 * ids or names); otherwise the category decides through the directory. Below `minConfidence`,
 * or for a label the directory does not know, the case goes to the triage desk.
 *
 * @example
 * const router = createAgencyRouter(directory, { model, minConfidence: 0.4 });
 * router.route('jalan berlubang', 'roads_drainage', 0.9) // { agencyId: 'dinas-pupr', reason: 'model', … }
 */
export function createAgencyRouter(
  directory: AgencyDirectory,
  options: { model?: Router | null; minConfidence: number },
): AgencyRouter {
  const { model, minConfidence } = options;
  if (!model) {
    return {
      unmappedLabels: [],
      route(_text, category, confidence) {
        const r = route(directory, category, { confidence, minConfidence });
        return { agencyId: r.agencyId, confidence, reason: r.reason };
      },
    };
  }
  const byLabel = new Map(model.labels.map((l) => [l, agencyForLabel(directory, l)?.id]));
  return {
    unmappedLabels: model.labels.filter((l) => !byLabel.get(l)),
    route(text) {
      const p = model.predict(text);
      const agencyId = byLabel.get(p.label);
      if (!agencyId)
        return { agencyId: directory.triage.id, confidence: p.confidence, reason: 'unknown_label' };
      if (p.confidence < minConfidence) {
        return {
          agencyId: directory.triage.id,
          confidence: p.confidence,
          reason: 'low_confidence',
        };
      }
      return { agencyId, confidence: p.confidence, reason: 'model' };
    },
  };
}
