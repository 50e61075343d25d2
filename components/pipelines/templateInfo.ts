import { templates, type TemplateId } from "@/engine/pipeline/samples";

/** A template as the pages offer it: named and described by its own document. */
export interface TemplateInfo {
  id: TemplateId;
  name: string;
  description: string;
  /** One line on what to expect once it runs, when that is not obvious. */
  note?: string;
}

/** The templates the home page offers to run in one click, in order (the fraud ones lead; not blank). */
export const EXAMPLE_TEMPLATE_IDS = [
  "fraudUpdateStateByKey",
  "fraudMapWithState",
  "transactions",
  "windowExplorer",
  "streamingBasics",
] as const satisfies readonly TemplateId[];

// Both fraud templates window 5 s batches 10 s / 10 s: nothing is flagged before that first window closes.
const FRAUD_NOTE = "Flags appear after the first 10 s window.";
const NOTES: Partial<Record<TemplateId, string>> = { fraudUpdateStateByKey: FRAUD_NOTE, fraudMapWithState: FRAUD_NOTE };

export function templateInfo(id: TemplateId): TemplateInfo {
  const doc = templates[id];
  if (id === "blank") {
    return { id, name: "Blank", description: `An empty canvas with ${doc.settings.batchIntervalMs / 1000} s batches.` };
  }
  return { id, name: doc.name, description: doc.description, note: NOTES[id] };
}

/** Every template the API accepts, in the order of `templates`. */
export function allTemplates(): TemplateInfo[] {
  return (Object.keys(templates) as TemplateId[]).map(templateInfo);
}
