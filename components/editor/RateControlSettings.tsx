"use client";
import { rateControlSchema, type PipelineSettings, type RateControlSettings } from "@/engine/pipeline/document";

const DEFAULTS: RateControlSettings = rateControlSchema.parse({});

/** Spark's rate settings of a pipeline: receiver.maxRate and backpressure with its PID terms, checked as typed. */
export function RateControlSettingsForm({ settings, onChange }: { settings: PipelineSettings; onChange: (settings: PipelineSettings, mergeKey?: string) => void }) {
  const rc = settings.rateControl ?? DEFAULTS;
  const parsed = rateControlSchema.safeParse(rc);
  const problem = (path: string) =>
    parsed.success ? undefined : parsed.error.issues.find((i) => i.path.join(".") === path)?.message;
  const set = (next: RateControlSettings, key: string) => onChange({ ...settings, rateControl: next }, `rate:${key}`);
  const num = (v: string) => (v === "" ? undefined : Number(v));
  const numberField = (id: string, label: string, value: number | undefined, path: string, apply: (v: number | undefined) => RateControlSettings, unit = "records/s") => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="number-field">
        <input id={id} type="number" min={0} step="any" value={value ?? ""} onChange={(e) => set(apply(num(e.target.value)), path)} aria-invalid={problem(path) ? true : undefined} />
        <span className="unit">{unit}</span>
      </span>
      {problem(path) ? <div className="field-error" role="alert">{`${label}: ${problem(path)}`}</div> : null}
    </div>
  );
  return (
    <div data-testid="rate-control-settings">
      <h3>Rate control</h3>
      {numberField("p-maxrate", "receiver max rate (spark.streaming.receiver.maxRate, empty: none)", rc.receiverMaxRate, "receiverMaxRate", (v) => ({ ...rc, receiverMaxRate: v }))}
      <div className="field">
        <label>
          <input type="checkbox" checked={rc.backpressure} onChange={(e) => set({ ...rc, backpressure: e.target.checked }, "bp")} /> backpressure (spark.streaming.backpressure.enabled)
        </label>
      </div>
      {rc.backpressure ? (
        <>
          {numberField("p-initial", "initial rate (empty: unlimited until the first estimate)", rc.initialRate, "initialRate", (v) => ({ ...rc, initialRate: v }))}
          {numberField("p-pid-p", "PID proportional", rc.pid.proportional, "pid.proportional", (v) => ({ ...rc, pid: { ...rc.pid, proportional: v ?? DEFAULTS.pid.proportional } }), "")}
          {numberField("p-pid-i", "PID integral", rc.pid.integral, "pid.integral", (v) => ({ ...rc, pid: { ...rc.pid, integral: v ?? DEFAULTS.pid.integral } }), "")}
          {numberField("p-pid-d", "PID derived", rc.pid.derived, "pid.derived", (v) => ({ ...rc, pid: { ...rc.pid, derived: v ?? DEFAULTS.pid.derived } }), "")}
          {numberField("p-pid-min", "PID min rate", rc.pid.minRate, "pid.minRate", (v) => ({ ...rc, pid: { ...rc.pid, minRate: v ?? DEFAULTS.pid.minRate } }))}
        </>
      ) : null}
    </div>
  );
}
