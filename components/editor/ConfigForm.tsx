"use client";
import { memo, useMemo, useState } from "react";
import { z } from "zod";
import { nodeDefinition } from "@/engine/pipeline/catalog";
import type { Diagnostic } from "@/engine/pipeline/diagnostics";
import { CodeField } from "./CodeField";

interface Prop {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  widget?: string;
  params?: string;
  minimum?: number;
  maximum?: number;
}

/** The inspector form of a node kind, generated from its zod config schema (via JSON Schema). */
export function useFormFields(kind: string): [string, Prop][] {
  return useMemo(() => {
    const def = nodeDefinition(kind);
    if (!def) return [];
    const json = z.toJSONSchema(def.config, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Prop> };
    return Object.entries(json.properties ?? {});
  }, [kind]);
}

function JsonField({ value, onChange, id }: { value: unknown; onChange: (v: unknown) => void; id: string }) {
  const [text, setText] = useState(() => JSON.stringify(value));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea id={id} rows={3} value={text} onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(JSON.parse(e.target.value));
          setError(null);
        } catch (err) {
          setError((err as Error).message);
        }
      }} />
      {error ? <div className="field-error">JSON: {error}</div> : null}
    </>
  );
}

function ConfigFormImpl(props: {
  nodeId: string;
  kind: string;
  config: Record<string, unknown>;
  diagnostics: Diagnostic[];
  onChange: (field: string, value: unknown) => void;
}) {
  const { nodeId, kind, config, diagnostics, onChange } = props;
  const fields = useFormFields(kind);
  if (fields.length === 0) return <p className="muted">This node has no settings.</p>;
  return (
    <div className="config-form">
      {fields.map(([name, prop]) => {
        const id = `f-${nodeId}-${name}`;
        const value = config[name] ?? prop.default;
        const problems = diagnostics.filter((d) => d.field === name || d.field?.startsWith(`${name}.`));
        let input;
        if (prop.widget === "function") {
          input = <CodeField label={name} value={typeof value === "string" ? value : ""} onChange={(v) => onChange(name, v)} />;
        } else if (prop.enum) {
          input = (
            <select id={id} value={String(value ?? "")} onChange={(e) => onChange(name, e.target.value)}>
              {prop.enum.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          );
        } else if (prop.type === "boolean") {
          input = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(name, e.target.checked)} />;
        } else if (prop.type === "number" || prop.type === "integer") {
          input = (
            <span className="number-field">
              <input id={id} type="number" value={typeof value === "number" ? value : ""} step={prop.type === "integer" ? 1 : "any"}
                onChange={(e) => onChange(name, e.target.value === "" ? undefined : Number(e.target.value))} />
              {prop.widget === "duration" ? <span className="unit">ms</span> : null}
            </span>
          );
        } else if (prop.widget === "list") {
          input = <input id={id} type="text" value={Array.isArray(value) ? value.join(", ") : ""} onChange={(e) => onChange(name, e.target.value.split(",").map((s) => s.trim()).filter(Boolean))} />;
        } else if (prop.widget === "json" || prop.type === "array" || prop.type === "object") {
          input = <JsonField key={`${nodeId}-${name}`} id={id} value={value} onChange={(v) => onChange(name, v)} />;
        } else {
          input = <input id={id} type="text" value={typeof value === "string" ? value : ""} onChange={(e) => onChange(name, e.target.value)} />;
        }
        return (
          <div key={name} className={`field${problems.length ? " invalid" : ""}`} data-testid={`field-${name}`}>
            <label htmlFor={id}>
              {name}
              {prop.params ? <code className="params"> ({prop.params}) =&gt;</code> : null}
            </label>
            {input}
            {prop.description ? <div className="hint">{prop.description}</div> : null}
            {problems.map((d, i) => <div key={i} className="field-error">{d.message}</div>)}
          </div>
        );
      })}
    </div>
  );
}
export const ConfigForm = memo(ConfigFormImpl);
